import assert from "node:assert/strict";
import type { RunEvidence } from "./evidence.ts";
import type { RunRecord } from "../train/results.ts";
import type { MetricRecord } from "../train/results.ts";
import {
  didNotTrain,
  evalErrorAt,
  gradRatioLog10,
  lesionDamage,
  logGradRms,
  stemRatioLog10,
  summaryError,
  summaryValue,
  testError,
  trainValGap,
  valErrorAtEpoch,
  windowWords,
} from "./measures.ts";

const W = { from: 0, to: 20 }; // the two readings at steps 0 and 10

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

function evidence(summary: Record<string, number>, rows: MetricRecord[] = [], artifacts = {}): RunEvidence {
  const config = { model: "cifar_net", testSize: 400, valSize: 100, trainEvalSize: 50 };
  return { run: { id: "v-s0-x", variant: "v", seed: 0, summary, config } as unknown as RunRecord, rows, artifacts };
}

const norm = (step: number, epoch: number, layer: string, value: number): MetricRecord => ({
  step,
  epoch,
  split: "train",
  metric: "grad_norm",
  layer,
  value,
});

Deno.test("error measures read their rate from the summary, and nothing else: the verdict's error is over seeds", () => {
  const ev = evidence({ test_error_main: 0.2, test_error_aux1: 0.4, val_error: 0.1, train_error: 0.02, x: 1.5 });
  assert.deepEqual(testError()(ev), { value: 0.2 });
  assert.deepEqual(testError("aux1")(ev), { value: 0.4 });
  assert.deepEqual(summaryError("val_error")(ev), { value: 0.1 });
  assert.deepEqual(summaryError("train_error")(ev), { value: 0.02 });
  const gap = trainValGap()(ev);
  assert.deepEqual(Object.keys(gap), ["value"]);
  close(gap.value, 0.08);
  assert.deepEqual(summaryValue("x")(ev), { value: 1.5 });
  assert.ok(Number.isNaN(summaryValue("missing")(ev).value));
  assert.ok(Number.isNaN(testError()(evidence({})).value));
});

Deno.test("valErrorAtEpoch() reads the main head's validation error of that epoch", () => {
  const rows: MetricRecord[] = [
    { step: 5, epoch: 0, split: "val", metric: "error", layer: "main", value: 0.3 },
    { step: 5, epoch: 0, split: "val", metric: "error", layer: "aux", value: 0.9 },
    { step: 9, epoch: 1, split: "val", metric: "error", layer: "main", value: 0.2 },
  ];
  close(valErrorAtEpoch(0)(evidence({}, rows)).value, 0.3);
  close(valErrorAtEpoch(1)(evidence({}, rows)).value, 0.2);
  assert.ok(Number.isNaN(valErrorAtEpoch(2)(evidence({}, rows)).value));
});

Deno.test("gradient measures: per weight (RMS), in a step window, stage 1's first conv vs the last, main head's own", () => {
  // Kernel sizes turn norms into RMS: the stem has 100 weights, s1b1_conv1 400, the last conv 10,000.
  const sizes: MetricRecord[] = [
    ["stem_conv/kernel", 100],
    ["s1b1_conv1/kernel", 400],
    ["s1b1_conv2/kernel", 400],
    ["s2b1_proj/kernel", 100],
    ["s3b1_conv2/kernel", 10000],
    ["aux1_conv/kernel", 100],
  ].map(([layer, value]) => ({
    step: 0,
    epoch: 0,
    split: "train",
    metric: "kernel_size",
    layer: String(layer),
    value: Number(value),
  }));
  // Two readings in the window and one later one (ignored); aux and projection kernels are never first or last.
  const rows = [
    ...sizes,
    norm(0, 0, "stem_conv/kernel", 0.01),
    norm(0, 0, "s1b1_conv1/kernel", 0.02), // RMS 0.001
    norm(0, 0, "s1b1_conv2/kernel", 0.02), // RMS 0.001: the first block's output conv
    norm(0, 0, "s2b1_proj/kernel", 50),
    norm(0, 0, "s3b1_conv2/kernel", 1), // RMS 0.01
    norm(0, 0, "aux1_conv/kernel", 100),
    norm(10, 0, "stem_conv/kernel", 0.1),
    norm(10, 0, "s1b1_conv1/kernel", 0.2), // RMS 0.01
    norm(10, 0, "s1b1_conv2/kernel", 0.2), // RMS 0.01
    norm(10, 0, "s3b1_conv2/kernel", 1), // RMS 0.01
    norm(20, 1, "s1b1_conv1/kernel", 1e-9),
    norm(20, 1, "s3b1_conv2/kernel", 1),
  ];
  const ratio = gradRatioLog10(W)(evidence({}, rows));
  close(ratio.value, 0.5); // s3b1_conv2 over s1b1_conv2: mean of log10(0.01 / 0.001) = 1 and log10(0.01 / 0.01) = 0
  assert.deepEqual(Object.keys(ratio), ["value"]);
  const stem = stemRatioLog10(W)(evidence({}, rows));
  close(stem.value, (Math.log10(0.01 / 0.001) + Math.log10(0.01 / 0.01)) / 2); // stem RMS 0.001 then 0.01
  const s1 = logGradRms({ stage: 1 }, "total", W)(evidence({}, rows));
  close(s1.value, (Math.log10(0.001) + Math.log10(0.01)) / 2); // both stage-1 convs have the same RMS here
  // The main head's own gradient, when recorded, replaces the total for `main`; absent, the total is the main one.
  const main = [...rows, { ...norm(0, 0, "s1b1_conv1/kernel", 0.2), metric: "grad_norm_main" }];
  close(logGradRms({ stage: 1 }, "main", W)(evidence({}, main)).value, Math.log10(0.01)); // only conv1 has one
  close(logGradRms({ stage: 1 }, "main", W)(evidence({}, rows)).value, s1.value);
  // Stage 3 holds one main-path conv here (the projection of stage 2 is not on the main path).
  close(logGradRms({ stage: 3 }, "total", W)(evidence({}, rows)).value, Math.log10(0.01));
  // The window decides which readings count: steps 0-9 hold only the first.
  close(gradRatioLog10({ from: 0, to: 10 })(evidence({}, rows)).value, 1);
  assert.equal(windowWords({ from: 0, to: 10 }), "steps 0-9 (training-mode minibatches)");
  // Without kernel sizes (an old record) there is no per-weight value.
  assert.ok(Number.isNaN(gradRatioLog10(W)(evidence({}, rows.slice(sizes.length))).value));
});

Deno.test("evalErrorAt() reads an evaluation at a measure step, not the minibatch readings or another step", () => {
  const row = (split: string, step: number, value: number) => ({
    step,
    epoch: 0,
    split,
    metric: "error",
    layer: "main",
    value,
  });
  const rows = [
    row("train", 150, 0.5),
    row("train_eval", 150, 0.3),
    row("val", 150, 0.35),
    row("train_eval", 300, 0.2),
  ];
  close(evalErrorAt("train_eval", 150)(evidence({}, rows)).value, 0.3);
  close(evalErrorAt("val", 150)(evidence({}, rows)).value, 0.35);
  assert.ok(Number.isNaN(evalErrorAt("val", 300)(evidence({}, rows)).value));
});

Deno.test("lesionDamage() is the mean rise in error over the deleted blocks", () => {
  const lesion = [{ block: "none", error: 0.1 }, { block: "s1b1", error: 0.3 }, { block: "s1b2", error: 0.2 }];
  const d = lesionDamage()(evidence({}, [], { "lesion.json": lesion }));
  assert.deepEqual(Object.keys(d), ["value"]);
  close(d.value, 0.15);
  assert.ok(Number.isNaN(lesionDamage()(evidence({})).value), "no lesion study: no value");
});

Deno.test("didNotTrain(): the last five main minibatch losses near ln 10 after at least 100 steps, from the records", () => {
  const losses = (values: number[], every = 10) =>
    values.map((value, i) => ({ step: i * every, epoch: 0, split: "train", metric: "loss", layer: "main", value }));
  const ln10 = Math.log(10);
  // 11 readings to step 100: flat at ln 10, then falling at the end (it has started to learn: not flagged).
  assert.equal(didNotTrain(evidence({}, losses(Array(11).fill(ln10 + 0.01)))), true);
  assert.equal(didNotTrain(evidence({}, losses([...Array(6).fill(ln10), 2.2, 2.1, 2.0, 1.9, 1.8]))), false);
  // Before step 100 no run is called untrained (a 10-step run for early gradients has not tried).
  assert.equal(didNotTrain(evidence({}, losses(Array(10).fill(ln10), 1))), false);
  // Another head's loss, or an evaluation, does not count.
  const aux = losses(Array(11).fill(ln10)).map((r) => ({ ...r, layer: "aux1" }));
  assert.equal(didNotTrain(evidence({}, aux)), false);
});
