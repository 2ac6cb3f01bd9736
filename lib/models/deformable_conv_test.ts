import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { deformConv, DeformConv2D } from "./deformable_conv.ts";
import { maxRelDiff } from "../_test_util.ts";
import { makeRng, normal } from "../data/rng.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function randn(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = makeRng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => scale * normal(rng)), shape);
}

Deno.test("DeformConv2D with zero offsets is a plain convolution", opts, async () => {
  await selectBackend({ backend: "cpu", quiet: true });
  const x = randn([1, 5, 5, 2], 1) as tf.Tensor4D;
  const layer = new DeformConv2D({ filters: 3, kernelSize: 3 });
  const y = layer.apply(x) as tf.Tensor;
  const [, , kernel, bias] = layer.getWeights();
  const ref = tf.add(tf.conv2d(x, kernel as tf.Tensor4D, 1, "same"), bias);
  assert.deepEqual(y.shape, [1, 5, 5, 3]);
  assert.ok(maxRelDiff(y.dataSync(), ref.dataSync()) < 1e-5);
});

Deno.test("DeformConv2D's gradients match numerical gradients (input, offsets, kernel)", opts, async () => {
  await selectBackend({ backend: "cpu", quiet: true });
  const x = randn([2, 5, 5, 2], 2);
  const offK = randn([3, 3, 2, 18], 3, 0.01);
  // Offsets away from whole pixels, so finite differences do not cross the bilinear kinks.
  const offB = tf.add(randn([18], 4, 0.05), 0.4);
  const kernel = randn([3, 3, 2, 3], 5, 0.5);
  const bias = tf.zeros([3]);
  const f = (xv: tf.Tensor, ob: tf.Tensor, k: tf.Tensor) =>
    tf.sum(tf.square(deformConv(xv as tf.Tensor4D, offK, ob, k, bias))) as tf.Scalar;
  const analytic = tf.grads(f)([x, offB, kernel]);
  const args = [x, offB, kernel];
  const eps = 1e-2;
  for (const [i, name] of [[0, "input"], [1, "offset bias"], [2, "kernel"]] as const) {
    const base = args[i].dataSync();
    const probe = Math.min(base.length, 18);
    const numeric = new Float32Array(probe);
    for (let j = 0; j < probe; j++) {
      const at = (d: number) => {
        const v = Float32Array.from(base);
        v[j] += d;
        const a = args.map((t, q) => q === i ? tf.tensor(v, t.shape) : t) as [tf.Tensor, tf.Tensor, tf.Tensor];
        return f(...a).dataSync()[0];
      };
      numeric[j] = (at(eps) - at(-eps)) / (2 * eps);
    }
    const got = analytic[i].dataSync().slice(0, probe);
    const d = maxRelDiff(got, numeric);
    assert.ok(d < 2e-2, `${name}: analytic vs numerical gradient differ by ${d}`);
    assert.ok(got.some((v) => Math.abs(v) > 1e-3), `${name}: gradient is zero`);
  }
});
