import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { resolveConfig } from "./config.ts";
import { splitFashionMnist } from "../data/fashion_mnist.ts";
import { buildCifarNet, inferenceModel } from "../models/cifar_net.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { train } from "./train.ts";
import type { MetricRecord } from "./results.ts";
import { disposeStep, kernelNames, mainKernelNames, trainStep } from "./train_step.ts";
import { maxRelDiff } from "../_test_util.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const split = splitFashionMnist(syntheticFashion({ n: 600 }), { valSize: 100 });

Deno.test(
  "train() lowers a model with auxiliary heads' loss and records every kernel's gradient norm",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const model = buildCifarNet({ depth: 8, aux: true });
    assert.deepEqual(model.outputNames, ["main", "aux1", "aux2"]);
    const cfg = resolveConfig({
      epochs: 2,
      batchSize: 50,
      lr: 0.05,
      logEvery: 2,
      gradNormEvery: 4,
      trainEvalSize: 100,
    });
    const rows: MetricRecord[] = [];
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const res = await train(model, split, cfg, { sink: (r) => rows.push(r) });
    const wall = (performance.now() - t0) / 1000;
    assert.equal(res.status, "complete");
    assert.equal(res.steps, 20);
    // Where the time went: steps, evaluation and the rest account for the wall time; every part is non-negative.
    const t = res.summary;
    for (const k of ["time_steps_s", "time_eval_s", "time_other_s", "images_per_sec_steps"]) assert.ok(t[k] >= 0, k);
    assert.ok(Math.abs(t.time_steps_s + t.time_eval_s + t.time_other_s - wall) < 0.05 * wall + 0.05, `${wall}`);
    assert.ok(t.images_per_sec_steps >= t.images_per_sec, "plain steps are at least as fast as the run as a whole");
    const losses = rows.filter((r) => r.metric === "loss" && r.split === "train" && r.layer === "").map((r) => r.value);
    assert.ok(losses.at(-1)! < losses[0] * 0.7, `loss ${losses[0]} -> ${losses.at(-1)}`);
    for (const head of ["main", "aux1", "aux2"]) {
      assert.ok(rows.some((r) => r.split === "train" && r.metric === "loss" && r.layer === head), `no ${head} loss`);
      assert.ok(
        rows.some((r) => r.split === "val" && r.metric === "error" && r.layer === head),
        `no ${head} val error`,
      );
      assert.ok(Number.isFinite(res.summary[`test_error_${head}`]));
    }
    const kernels = kernelNames(model);
    assert.equal(
      kernels.length,
      1 + 6 + 1 + 3 * 2,
      "stem, 6 block convs, main dense, per aux head conv, fc and classifier",
    );
    for (const step of [0, 4, 8, 12, 16]) {
      const got = rows.filter((r) => r.metric === "grad_norm" && r.step === step).map((r) => r.layer);
      assert.deepEqual(got, kernels, `gradient norms at step ${step}`);
    }
    assert.ok(rows.filter((r) => r.metric === "grad_norm").every((r) => r.value > 0 && Number.isFinite(r.value)));
    // The main head's own gradient on the main path, at the same steps; each kernel's size once.
    const mainKernels = mainKernelNames(model);
    assert.deepEqual(mainKernels, kernels.filter((k) => !k.startsWith("aux")));
    for (const step of [0, 4, 8]) {
      const got = rows.filter((r) => r.metric === "grad_norm_main" && r.step === step).map((r) => r.layer);
      assert.deepEqual(got, mainKernels, `main-head gradient norms at step ${step}`);
    }
    const sizes = rows.filter((r) => r.metric === "kernel_size");
    assert.deepEqual(sizes.map((r) => r.layer), kernels);
    assert.equal(sizes.find((r) => r.layer === "s1b1_conv1/kernel")!.value, 3 * 3 * 16 * 16);
    // At step 0, the stage-1 gradient of the main loss alone is smaller than the total's (which adds aux1's).
    const at0 = (metric: string) =>
      rows.find((r) => r.metric === metric && r.step === 0 && r.layer === "s1b1_conv1/kernel")!.value;
    assert.ok(at0("grad_norm_main") > 0 && at0("grad_norm_main") !== at0("grad_norm"));
    // The loop leaves behind only the model's own tensors (optimizer slots are disposed).
    assert.equal(tf.memory().numTensors, before, "train() leaked tensors");
    // Auxiliary heads are gone at inference, and the main output is unchanged.
    const inf = inferenceModel(model);
    assert.deepEqual(inf.outputNames, ["main"]);
    const xs = tf.randomNormal([4, 28, 28, 1]);
    const full = (model.predict(xs) as tf.Tensor[])[0].dataSync();
    assert.deepEqual((inf.predict(xs) as tf.Tensor).dataSync(), full);
    tf.dispose(xs);
    model.dispose();
  },
);

Deno.test("a NaN loss ends the run as diverged at the step it was read", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const model = buildCifarNet({ depth: 8, batchNorm: false });
  const cfg = resolveConfig({
    epochs: 3,
    batchSize: 50,
    lr: 1e6,
    momentum: 0.9,
    logEvery: 1,
    gradNormEvery: 0,
    gradNormFirstSteps: 0,
  });
  const res = await train(model, split, cfg);
  assert.equal(res.status, "diverged");
  assert.ok(res.divergedAt! >= 1 && res.divergedAt! < 30, `diverged at ${res.divergedAt}`);
  assert.equal(res.summary.test_error_main, undefined, "no test evaluation after divergence");
  model.dispose();
});

Deno.test(
  "the main head's own gradient costs a second pass but changes nothing: same step, no leak, same moving statistics",
  opts,
  async () => {
    const { gpu } = await selectBackend({ backend: "tensorflow", quiet: true });
    const { batches } = await import("../data/fashion_mnist.ts");
    const b = batches(split.train, { batchSize: 32, seed: 0, epoch: 0 }).next().value!;
    const read = (ws: tf.LayerVariable[]) => ws.map((w) => [w.originalName, Array.from(w.read().dataSync())] as const);
    const trainable = (m: tf.LayersModel) => read(m.trainableWeights);
    const moving = (m: tf.LayersModel) => read(m.weights.filter((w) => /moving/.test(w.originalName)));
    // The same seed gives the same weights and the same dropout masks (the heads' dropout layers are seeded too).
    const [withMain, without] = [0, 1].map(() => buildCifarNet({ depth: 8, aux: true, seed: 3 }));
    const start = trainable(without);
    assert.deepEqual(trainable(withMain), start, "the two nets start from the same weights");
    const heads = { main: 1, aux1: 0.3, aux2: 0.3 };
    const before = tf.memory().numTensors;
    const optA = tf.train.sgd(0.1), optB = tf.train.sgd(0.1);
    const r1 = trainStep(withMain, optA, b.xs, b.ys, { headWeights: heads, gradNorms: true });
    assert.ok(r1.mainGradNorms, "main-head norms returned");
    const r2 = trainStep(without, optB, b.xs, b.ys, { headWeights: heads, gradNorms: false });
    // Same step: the second pass only reads gradients, so every weight after the step is the one a plain step
    // gives (same start, same batch, same masks). On the CPU the same kernels repeat bit for bit; a GPU's
    // convolution gradients may sum in another order from one call to the next, hence 1e-6 there (a changed
    // step moves weights by the learning rate times a gradient, orders of magnitude more).
    const tol = gpu ? 1e-6 : 0;
    const after = trainable(without);
    assert.notDeepEqual(after, start, "the step moved the weights");
    for (const [i, [name, w]] of trainable(withMain).entries()) {
      const d = maxRelDiff(w, after[i][1]);
      assert.ok(d <= tol, `${name}: the main-head gradient changed the step (relative difference ${d})`);
    }
    assert.ok(maxRelDiff(r1.loss.dataSync(), r2.loss.dataSync()) <= tol, "the same loss");
    // Same moving statistics: batch norm's moving averages were updated exactly once in both.
    assert.deepEqual(moving(withMain), moving(without));
    disposeStep(r1);
    disposeStep(r2);
    optA.dispose();
    optB.dispose();
    assert.equal(tf.memory().numTensors, before, "a step with the main-head gradient leaked tensors");
    tf.dispose([b.xs, b.ys]);
    withMain.dispose();
    without.dispose();
  },
);
