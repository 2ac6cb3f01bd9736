import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { buildCifarNet } from "../models/cifar_net.ts";
import { buildGridNet } from "../models/grid_net.ts";
import { buildInceptionNet } from "../models/inception_net.ts";
import { StepCompiler } from "./compiled_step.ts";
import { compiledStepsAvailable, grapplerHazard } from "./recorded_function.ts";
import { disposeStep, type StepOptions, type StepResult, trainStep } from "./train_step.ts";
import { maxRelDiff } from "../_test_util.ts";
import { StepDropout } from "../models/layers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Batches of random images and one-hot labels, the same for every call with the same seed. */
function batches(n: number, size: number, seed: number): Array<{ xs: tf.Tensor4D; ys: tf.Tensor2D }> {
  return Array.from({ length: n }, (_, i) => ({
    xs: tf.randomNormal([size, 28, 28, 1], 0, 1, "float32", seed + i) as tf.Tensor4D,
    ys: tf.oneHot(tf.randomUniform([size], 0, 10, "int32", seed + 1000 + i) as tf.Tensor1D, 10) as tf.Tensor2D,
  }));
}

/** Every weight of the model and the optimizer's state, flattened, for comparison. */
async function state(model: tf.LayersModel, optimizer: tf.Optimizer): Promise<Float32Array[]> {
  const opt = (optimizer as unknown as { accumulations: Array<{ variable: tf.Variable }> }).accumulations;
  return await Promise.all([...model.weights.map((w) => w.read()), ...opt.map((a) => a.variable)].map(
    async (t) => new Float32Array(await t.data()),
  ));
}

/**
 * Trains `steps` steps from the same initial weights twice: every step eager,
 * and through a StepCompiler (1 warm-up, 2 recorded, then compiled); the rate
 * changes at every step, and `normsAt` steps take gradient norms (eager in
 * both, as the training loop does). Returns both final states and losses.
 */
async function eagerVersusCompiled(
  build: () => tf.LayersModel,
  steps: number,
  compile: { grappler: boolean },
  normsAt = new Set<number>(),
) {
  const data = batches(steps, 16, 7);
  const run = async (compiled: boolean) => {
    const model = build();
    const optimizer = tf.train.momentum(0.05, 0.9);
    // One compiler per kind of step, as the training loop keeps them.
    const c = compiled ? new StepCompiler(model, optimizer, compile) : undefined;
    const cNorms = compiled ? new StepCompiler(model, optimizer, compile) : undefined;
    const losses: number[] = [], norms: number[] = [];
    const headWeights = Object.fromEntries(model.outputNames.map((n) => [n, n === "main" ? 1 : 0.3]));
    const dropouts = model.layers.filter((l): l is StepDropout => l instanceof StepDropout);
    for (let i = 0; i < steps; i++) {
      optimizer.setLearningRate(0.05 / (1 + i)); // a new rate tensor at every step, as the schedule makes
      for (const d of dropouts) d.step = i; // a new mask at every step, as the training loop draws
      const o: StepOptions = { headWeights, weightDecay: 1e-4, gradNorms: normsAt.has(i) };
      const eager = () => trainStep(model, optimizer, data[i].xs, data[i].ys, o);
      const r: StepResult = (o.gradNorms ? cNorms : c)?.step(data[i].xs, data[i].ys, eager) ?? eager();
      losses.push((await r.loss.data())[0]);
      for (const t of [r.gradNorms, r.mainGradNorms]) if (t) norms.push(...await t.data());
      disposeStep(r);
    }
    const s = await state(model, optimizer);
    const status = c?.status ?? "eager", normsStatus = cNorms?.status ?? "eager";
    c?.dispose(), cNorms?.dispose();
    model.dispose();
    optimizer.dispose();
    return { s, losses, norms, status, normsStatus };
  };
  const e = await run(false), c = await run(true);
  for (const b of data) tf.dispose([b.xs, b.ys]);
  return { e, c };
}

Deno.test(
  "a compiled step without grappler gives the eager step's numbers exactly, gradient norms and a new rate included",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    assert.ok(compiledStepsAvailable().ok, compiledStepsAvailable().why);
    for (
      const [name, build] of [
        ["plain-8", () => buildCifarNet({ depth: 8, seed: 1 })],
        ["residual-8", () => buildCifarNet({ depth: 8, shortcuts: true, seed: 1 })],
        ["plain-8 with auxiliary heads (dropout)", () => buildCifarNet({ depth: 8, aux: true, seed: 1 })],
        ["grid net (max pooling)", () => buildGridNet({ reduction: "pool-first", width: 16, seed: 1 })],
        [
          "Inception net with a BN auxiliary head",
          () => buildInceptionNet({ width: 8, aux: true, auxBn: true, seed: 1 }),
        ],
      ] as const
    ) {
      // Steps 0-3 take gradient norms (their own compiler: compiled from step 3), 4-7 do not (compiled from 7).
      const { e, c } = await eagerVersusCompiled(build, 8, { grappler: false }, new Set([0, 1, 2, 3]));
      assert.match(c.status, /^compiled: \d+ ops in one function/, `${name}: ${c.status}`);
      assert.match(c.normsStatus, /^compiled: \d+ ops in one function/, `${name}: ${c.normsStatus}`);
      assert.deepEqual(c.losses, e.losses, `${name}: losses`);
      assert.deepEqual(c.norms, e.norms, `${name}: gradient norms`);
      e.s.forEach((w, i) => assert.deepEqual(c.s[i], w, `${name}: weight or optimizer state ${i}`));
    }
  },
);

Deno.test(
  "20 compiled steps with grappler stay within rounding of eager, a gradient-norm step between them",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const { e, c } = await eagerVersusCompiled(
      () => buildCifarNet({ depth: 8, shortcuts: true, seed: 2 }),
      20,
      { grappler: true },
      new Set([0, 10]),
    );
    assert.match(c.status, /^compiled/);
    for (let i = 0; i < 20; i++) assert.ok(Math.abs(c.losses[i] - e.losses[i]) < 1e-3 * e.losses[i], `loss ${i}`);
    // Weights and batch norm's moving statistics after 20 steps (the fused-ops tests' tolerance).
    e.s.forEach((w, i) => assert.ok(maxRelDiff(c.s[i], w) < 1e-3, `state ${i}: ${maxRelDiff(c.s[i], w)}`));
  },
);

Deno.test("a step whose constant changes between steps is refused with the reason and stays eager", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const model = buildCifarNet({ depth: 8, seed: 3 });
  const optimizer = tf.train.momentum(0.05, 0.9);
  const c = new StepCompiler(model, optimizer);
  const data = batches(4, 8, 11);
  const losses: number[] = [];
  data.forEach((b, i) => {
    // A number the step uploads as a constant, changing at each step: compiled, it would be frozen.
    const r = c.step(b.xs, b.ys, () => trainStep(model, optimizer, b.xs, b.ys, { weightDecay: 1e-4 * (i + 1) }));
    losses.push(r.loss.dataSync()[0]);
    disposeStep(r);
  });
  assert.match(c.status, /^eager: a constant of shape \[\] uploaded inside the call changes between calls/);
  assert.equal(c.compiled, undefined);
  assert.ok(losses.every(Number.isFinite));
  for (const b of data) tf.dispose([b.xs, b.ys]);
  c.dispose();
  model.dispose();
  optimizer.dispose();
});

Deno.test(
  "recording, compiling and compiled steps leak no tensor; DEEPER_STEP=eager keeps every step eager",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    // With auxiliary heads: their dropout layers' inputs are drawn for every step and must be freed after it.
    const model = buildCifarNet({ depth: 8, aux: true, seed: 4 });
    const headWeights = { main: 1, aux1: 0.3, aux2: 0.3 };
    const optimizer = tf.train.momentum(0.05, 0.9);
    const data = batches(5, 8, 13);
    const stepWith = (c: StepCompiler, i: number) =>
      disposeStep(
        c.step(data[i].xs, data[i].ys, () => trainStep(model, optimizer, data[i].xs, data[i].ys, { headWeights })),
      );
    // Without a warm-up step the first recording holds the optimizer's lazily made state: refused, eager.
    const cold = new StepCompiler(model, optimizer, { warmup: 0 });
    stepWith(cold, 0), stepWith(cold, 1);
    assert.match(cold.status, /^eager: the op count changes between calls/);
    const atStart = tf.memory().numTensors; // the optimizer's state made, nothing held by a compiler
    const c = new StepCompiler(model, optimizer, { warmup: 0 });
    stepWith(c, 2), stepWith(c, 3);
    assert.match(c.status, /^compiled/);
    stepWith(c, 4); // the first call uploads the held constants
    const before = tf.memory().numTensors;
    stepWith(c, 0);
    assert.equal(tf.memory().numTensors, before, "a compiled step leaked");
    c.dispose();
    assert.equal(tf.memory().numTensors, atStart, "recording or compiling leaked");
    Deno.env.set("DEEPER_STEP", "eager");
    try {
      const off = new StepCompiler(model, optimizer, { warmup: 0 });
      for (let i = 0; i < 3; i++) {
        disposeStep(
          off.step(data[i].xs, data[i].ys, () => trainStep(model, optimizer, data[i].xs, data[i].ys, { headWeights })),
        );
      }
      assert.equal(off.status, "eager: DEEPER_STEP=eager");
    } finally {
      Deno.env.delete("DEEPER_STEP");
    }
    for (const b of data) tf.dispose([b.xs, b.ys]);
    model.dispose();
    optimizer.dispose();
  },
);

Deno.test("grappler is left off where the system's LLVM is loaded in the process (Mesa, for WebGPU)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const line = (f: string) => `7f4380000000-7f4383c1d000 r-xp 00000000 fe:00 123 ${f}\n`;
    await Deno.writeTextFile(`${dir}/clean`, line("/usr/lib/libtensorflow_framework.so.2"));
    await Deno.writeTextFile(`${dir}/mesa`, line("/lib/x86_64-linux-gnu/libLLVM-15.so.1"));
    assert.equal(grapplerHazard(`${dir}/clean`), undefined);
    assert.match(grapplerHazard(`${dir}/mesa`)!, /libLLVM-15\.so\.1 is loaded in this process/);
    assert.equal(grapplerHazard(`${dir}/missing`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
