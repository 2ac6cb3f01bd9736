import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { selectBackend } from "../env/backend.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { splitFashionMnist } from "../data/fashion_mnist.ts";
import { buildCifarNet } from "../models/cifar_net.ts";
import { resolveConfig } from "./config.ts";
import { KEEP, loadCheckpoint, type LoopState, restoreCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import type { MetricRecord } from "./results.ts";
import { train } from "./train.ts";
import { trainStep } from "./train_step.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const data = syntheticFashion({ n: 400 });
const split = splitFashionMnist(data, { valSize: 80, seed: 0, testSize: 60 });
const cfg = resolveConfig({
  depth: 8,
  seed: 3,
  batchSize: 40,
  epochs: 3,
  logEvery: 2,
  gradNormEvery: 2,
  gradNormFirstSteps: 3,
  trainEvalSize: 80,
  lr: 0.05,
});

const loop = (step: number): LoopState => ({
  step,
  epoch: 0,
  batch: step,
  smoothLoss: NaN,
  lastLosses: [2.3, 2.2],
  lastMain: [2.3, 2.2],
  bestVal: Infinity,
  lastTrain: {},
  lastVal: { main: { loss: 2.1, error: 0.8 } },
});

/** All of a model's and an optimizer's values, as plain arrays. */
async function values(model: tf.LayersModel, optimizer: tf.Optimizer) {
  const opt = await optimizer.getWeights();
  const out = {
    model: await Promise.all(model.weights.map(async (w) => [w.originalName, Array.from(await w.read().data())])),
    optimizer: await Promise.all(opt.map(async (w) => Array.from(await w.tensor.data()))),
  };
  tf.dispose(opt.filter((w) => w.name === "iter").map((w) => w.tensor));
  return out;
}

Deno.test(
  "a checkpoint round-trips the weights, batch norm's statistics, the optimizer and the loop (NaN and Infinity too)",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const dir = await Deno.makeTempDir();
    const model = buildCifarNet({ depth: 8, seed: 1 });
    const optimizer = tf.train.momentum(0.05, 0.9);
    const xs = tf.randomNormal([16, 28, 28, 1], 0, 1, "float32", 1), ys = tf.oneHot(tf.range(0, 16, 1, "int32"), 10);
    for (let i = 0; i < 3; i++) tf.dispose(Object.values(trainStep(model, optimizer, xs, ys)));
    const records: MetricRecord[] = [{ step: 0, epoch: 0, split: "train", metric: "loss", layer: "", value: 2.3 }];
    await saveCheckpoint(dir, { loop: loop(3), model, optimizer, records });
    const before = await values(model, optimizer);

    const fresh = buildCifarNet({ depth: 8, seed: 2 }); // other weights: the checkpoint must overwrite them all
    const freshOpt = tf.train.momentum(0.05, 0.9);
    const tensors = tf.memory().numTensors;
    const c = (await loadCheckpoint(dir, () => {}))!;
    assert.equal(c.loop.step, 3);
    assert.ok(Number.isNaN(c.loop.smoothLoss) && c.loop.bestVal === Infinity, "non-finite figures survive JSON");
    assert.deepEqual(c.records, records);
    await restoreCheckpoint(c, fresh, freshOpt);
    assert.deepEqual(await values(fresh, freshOpt), before);
    assert.equal(freshOpt.iterations, 3);
    // What a restore adds is the optimizer's accumulators (one per trainable weight), nothing else.
    assert.equal(tf.memory().numTensors - tensors, fresh.trainableWeights.length);
    tf.dispose([xs, ys]);
    for (const m of [model, fresh]) m.dispose();
    for (const o of [optimizer, freshOpt]) o.dispose();
    await Deno.remove(dir, { recursive: true });
  },
);

Deno.test("a damaged or missing checkpoint is passed over for the one before, in one log line each", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const dir = await Deno.makeTempDir();
  const model = buildCifarNet({ depth: 8, seed: 1 });
  const optimizer = tf.train.momentum(0.05, 0.9);
  for (const step of [2, 4, 6]) await saveCheckpoint(dir, { loop: loop(step), model, optimizer, records: [] });
  const kept = [...Deno.readDirSync(join(dir, "checkpoints"))].map((e) => e.name).sort();
  assert.deepEqual(kept, ["step-00000004", "step-00000006"], `the latest ${KEEP} are kept`);
  const logs: string[] = [];
  assert.equal((await loadCheckpoint(dir, (m) => logs.push(m)))!.loop.step, 6);
  // Truncate the latest's tensors: its checksum fails, and the one before is used.
  const bin = join(dir, "checkpoints", "step-00000006", "tensors.bin");
  await Deno.truncate(bin, (await Deno.stat(bin)).size - 100);
  assert.equal((await loadCheckpoint(dir, (m) => logs.push(m)))!.loop.step, 4);
  assert.deepEqual(logs, [
    "checkpoint step-00000006: tensors.bin fails its checksum (truncated or altered); falling back to the one before",
  ]);
  // And without the earlier one's manifest, nothing usable is left: the run starts at step 0.
  await Deno.remove(join(dir, "checkpoints", "step-00000004", "manifest.json"));
  logs.length = 0;
  assert.equal(await loadCheckpoint(dir, (m) => logs.push(m)), undefined);
  assert.equal(logs.length, 2);
  assert.match(logs[1], /step-00000004: no readable manifest\.json/);
  model.dispose();
  optimizer.dispose();
  await Deno.remove(dir, { recursive: true });
});

/** The records less the wall-clock rates, which no two runs share. */
const comparable = (rows: MetricRecord[]) => rows.filter((r) => r.metric !== "images_per_sec");

Deno.test(
  "train() resumed from a checkpoint, mid-epoch or at an epoch's end, ends with the uninterrupted records",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const root = await Deno.makeTempDir();
    // The uninterrupted run, checkpointing at every logging step; two of its checkpoints are copied aside.
    const keep = new Map<number, string>();
    const full: MetricRecord[] = [];
    const model = buildCifarNet({ depth: 8, seed: cfg.seed });
    const stepsPerEpoch = Math.floor(split.train.index.length / cfg.batchSize);
    const wanted = [stepsPerEpoch + 4, 2 * stepsPerEpoch]; // mid-epoch 1 (a logging step), and the end of epoch 1
    const res = await train(model, split, cfg, {
      sink: (r) => full.push(r),
      checkpointSeconds: 0,
      checkpoint: async (c) => {
        if (!wanted.includes(c.loop.step) || keep.has(c.loop.step)) return;
        const dir = join(root, `at-${c.loop.step}`);
        await saveCheckpoint(dir, { ...c, records: [...full] });
        keep.set(c.loop.step, dir);
      },
    });
    model.dispose();
    assert.equal(res.status, "complete");
    assert.deepEqual([...keep.keys()].sort((a, b) => a - b), wanted, "both checkpoints were written");
    for (const [step, dir] of keep) {
      const c = (await loadCheckpoint(dir, () => {}))!;
      const resumed: MetricRecord[] = [];
      const again = buildCifarNet({ depth: 8, seed: cfg.seed + 1 }); // its own weights are overwritten
      const tensors = tf.memory().numTensors;
      const r2 = await train(again, split, cfg, { sink: (r) => resumed.push(r), resume: c });
      assert.equal(tf.memory().numTensors, tensors, `resumed at ${step}: no tensor leaked`);
      again.dispose();
      assert.deepEqual(comparable(resumed), comparable(full), `resumed at step ${step}`);
      for (const k of ["test_error_main", "final_train_loss", "best_val_error", "train_error"]) {
        assert.equal(r2.summary[k], res.summary[k], `${k} resumed at step ${step}`);
      }
    }
    await Deno.remove(root, { recursive: true });
  },
);

Deno.test("a stop request checkpoints the run at the next step and ends it with RunStopped", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const model = buildCifarNet({ depth: 8, seed: cfg.seed });
  let saved: LoopState | undefined;
  let steps = 0;
  await assert.rejects(
    train(model, split, cfg, {
      checkpoint: (c) => (saved = c.loop, Promise.resolve()),
      onProgress: () => steps++,
      shouldStop: () => steps >= 2, // two logging steps in
    }),
    (e: Error) => e.name === "RunStopped" && /stopped at step 4 after a checkpoint/.test(e.message),
  );
  assert.equal(saved?.step, 4);
  assert.deepEqual([saved?.epoch, saved?.batch], [0, 4]);
  model.dispose();
});

Deno.test(
  "a run stopped at stopStep is the start of the whole run, measure step included; continued from its checkpoint it ends as the whole run",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    // Auxiliary heads, so dropout (a new mask per step) is part of what must line up; a measure step at 5.
    const aux = resolveConfig({ ...cfg, aux: true, measureSteps: "5" });
    const build = (seed: number) => buildCifarNet({ depth: 8, aux: true, seed });
    const whole: MetricRecord[] = [];
    const m1 = build(aux.seed);
    const res = await train(m1, split, aux, { sink: (r) => whole.push(r) });
    m1.dispose();
    assert.equal(res.status, "complete");
    const measured = whole.filter((r) => r.step === 5 && (r.split === "train_eval" || r.split === "val"));
    assert.deepEqual(new Set(measured.map((r) => r.split)), new Set(["train_eval", "val"]), "evaluated at step 5");

    const prefix: MetricRecord[] = [];
    let stoppedAt: number | undefined;
    const root = await Deno.makeTempDir();
    const tensors = tf.memory().numTensors;
    const m2 = build(aux.seed);
    const short = await train(m2, split, { ...aux, stopStep: 5 }, {
      sink: (r) => prefix.push(r),
      checkpoint: async (c) => {
        stoppedAt = c.loop.step;
        await saveCheckpoint(root, { ...c, records: [...prefix] });
      },
    });
    assert.equal(short.status, "complete");
    assert.equal(short.steps, 5);
    assert.equal(short.summary.test_error_main, undefined, "no test set before the end of the schedule");
    assert.deepEqual(comparable(prefix), comparable(whole).slice(0, comparable(prefix).length), "the same start");
    assert.ok(prefix.some((r) => r.step === 5 && r.split === "val"), "the measure step is in the prefix");
    assert.equal(stoppedAt, 5, "checkpointed where it stopped");
    m2.dispose();
    assert.equal(tf.memory().numTensors, tensors, "no tensor leaked");

    const continued: MetricRecord[] = [];
    const m3 = build(aux.seed); // as the runner builds it: the run's seed also seeds the dropout masks
    const c = (await loadCheckpoint(root, () => {}))!;
    const r3 = await train(m3, split, aux, { sink: (r) => continued.push(r), resume: c });
    m3.dispose();
    assert.deepEqual(comparable(continued), comparable(whole), "continued = uninterrupted");
    assert.equal(r3.summary.test_error_main, res.summary.test_error_main);

    // Evaluating at a measure step leaves the training untouched: without it, the same minibatch readings.
    const plain: MetricRecord[] = [];
    const m4 = build(aux.seed);
    await train(m4, split, { ...aux, measureSteps: "" }, { sink: (r) => plain.push(r) });
    m4.dispose();
    const batchRows = (rows: MetricRecord[]) => comparable(rows).filter((r) => r.split === "train");
    assert.deepEqual(batchRows(plain), batchRows(whole));
    await Deno.remove(root, { recursive: true });
  },
);
