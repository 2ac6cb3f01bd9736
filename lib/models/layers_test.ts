import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { BatchNorm, GroupedConv2D, ReLU, StepDropout } from "./layers.ts";
import { selectBackend } from "../env/backend.ts";
import { maxRelDiff } from "../_test_util.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "BatchNorm normalises a training batch, moves its statistics by the momentum, and uses them at inference",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const bn = new BatchNorm({ momentum: 0.9, epsilon: 1e-5 });
    // [8, 2, 2, 3]: channel c has mean 10 c and some spread.
    const x = tf.tidy(() => tf.add(tf.randomNormal([8, 2, 2, 3], 0, 2, "float32", 1), tf.tensor1d([0, 10, 20])));
    const y = bn.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(y, [0, 1, 2]);
    assert.ok(Math.max(...(await mean.data()).map(Math.abs)) < 1e-4, "batch mean not 0");
    assert.ok(Math.max(...(await variance.data()).map((v) => Math.abs(v - 1))) < 1e-3, "batch variance not 1");
    const batch = tf.moments(x, [0, 1, 2]);
    const weights = Object.fromEntries(bn.weights.map((w) => [w.originalName.split("/").at(-1), w.read()]));
    // moving = 0.9 * initial (mean 0, variance 1) + 0.1 * the batch's
    const wantMean = await tf.mul(batch.mean, 0.1).data();
    assert.ok(maxRelDiff(await weights.moving_mean.data(), wantMean) < 1e-5);
    const inference = bn.apply(x, { training: false }) as tf.Tensor;
    const wantInf = tf.batchNorm4d(
      x as tf.Tensor4D,
      weights.moving_mean as tf.Tensor1D,
      weights.moving_variance as tf.Tensor1D,
      undefined,
      undefined,
      1e-5,
    );
    assert.ok(maxRelDiff(await inference.data(), await wantInf.data()) < 1e-6);
    tf.dispose([x, y, mean, variance, batch.mean, batch.variance, inference, wantInf]);
  },
);

Deno.test("GroupedConv2D is one convolution per channel group, concatenated; ReLU is max(0, x)", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const layer = new GroupedConv2D({ filters: 4, kernelSize: 3, groups: 2, useBias: false, padding: "same" });
  const x = tf.randomNormal([2, 5, 5, 6], 0, 1, "float32", 3) as tf.Tensor4D;
  const y = layer.apply(x) as tf.Tensor;
  const [kernel] = layer.getWeights(); // [3, 3, 3, 4]: each group sees 3 input channels, makes 2 outputs
  assert.deepEqual(kernel.shape, [3, 3, 3, 4]);
  const parts = [0, 1].map((g) =>
    tf.conv2d(
      tf.slice(x, [0, 0, 0, 3 * g], [-1, -1, -1, 3]),
      tf.slice(kernel, [0, 0, 0, 2 * g], [-1, -1, -1, 2]) as tf.Tensor4D,
      1,
      "same",
    )
  );
  assert.ok(maxRelDiff(await y.data(), await tf.concat(parts, 3).data()) < 1e-5);
  const r = new ReLU().apply(tf.tensor1d([-2, 0, 3])) as tf.Tensor;
  assert.deepEqual(Array.from(await r.data()), [0, 0, 3]);
});

Deno.test(
  "StepDropout draws a new mask at every step, the same one for the same (seed, step), and passes through at inference",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const d = new StepDropout({ rate: 0.5, seed: 7 });
    const x = tf.ones([4, 64]);
    const mask = async (step: number) => {
      d.step = step;
      const y = d.apply(x, { training: true }) as tf.Tensor;
      const v = Array.from(await y.data());
      y.dispose();
      return v;
    };
    const [a, b, again] = [await mask(0), await mask(1), await mask(0)];
    assert.deepEqual(a, again, "same seed and step: same mask");
    assert.notDeepEqual(a, b, "the next step: another mask (TF.js's seeded dropout repeats its mask)");
    assert.ok(a.every((v) => v === 0 || Math.abs(v - 2) < 1e-6), "kept units scaled by 1 / (1 - rate)");
    const kept = a.filter((v) => v > 0).length / a.length;
    assert.ok(kept > 0.3 && kept < 0.7, `${kept} kept`);
    const inference = d.apply(x, { training: false }) as tf.Tensor;
    assert.deepEqual(Array.from(await inference.data()), Array(256).fill(1));
    // It serialises with its seed, so a saved model reloads.
    assert.deepEqual([d.getConfig().rate, d.getConfig().seed], [0.5, 7]);
    tf.dispose([x, inference]);
  },
);
