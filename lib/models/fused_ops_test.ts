import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { maxRelDiff, smallConvNet } from "../_test_util.ts";
import { makeRng, normal } from "../data/rng.ts";
import { disposeStep, trainStep } from "../train/train_step.ts";
import { disposeOptimizer } from "../train/train.ts";
import { batches, splitFashionMnist } from "../data/fashion_mnist.ts";
import { syntheticFashion } from "../data/synthetic.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

interface Snapshot {
  out: Float32Array;
  loss: number;
  grads: Record<string, Float32Array>;
  moving: Float32Array[];
}

/** Output, loss and every gradient of the small BN net, on the current backend, from fixed weights and data. */
function snapshot(weights: Float32Array[] | undefined): { snap: Snapshot; weights: Float32Array[] } {
  const model = smallConvNet(3);
  if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape)));
  // The initial weights (moving statistics included), before any update.
  const w = weights ?? model.getWeights().map((t) => t.dataSync() as Float32Array);
  const rng = makeRng(7);
  const xs = tf.tensor4d(Float32Array.from({ length: 8 * 784 }, () => normal(rng)), [8, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], "int32"), 10);
  const out = (model.apply(xs, { training: true }) as tf.Tensor).dataSync() as Float32Array;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
    vars,
  );
  const byLayer: Record<string, Float32Array> = {};
  model.trainableWeights.forEach((w) =>
    byLayer[w.originalName] = grads[(w.read() as tf.Variable).name].dataSync() as Float32Array
  );
  const moving = model.weights.filter((w) => /moving/.test(w.originalName)).map((w) =>
    w.read().dataSync() as Float32Array
  );
  const snap = { out, loss: value.dataSync()[0], grads: byLayer, moving };
  tf.dispose([xs, ys, value, grads]);
  model.dispose();
  return { snap, weights: w };
}

Deno.test("native TensorFlow matches the cpu backend: outputs, loss, every gradient within 1e-4", opts, async () => {
  await selectBackend({ backend: "cpu", quiet: true });
  const { snap: ref, weights } = snapshot(undefined);
  await selectBackend({ backend: "tensorflow", quiet: true });
  const { snap: nat } = snapshot(weights);
  assert.ok(maxRelDiff(ref.out, nat.out) < 1e-4, `outputs differ by ${maxRelDiff(ref.out, nat.out)}`);
  assert.ok(Math.abs(ref.loss - nat.loss) / ref.loss < 1e-4, `loss ${ref.loss} vs ${nat.loss}`);
  const names = Object.keys(ref.grads);
  assert.deepEqual(names, [
    "conv1/kernel",
    "bn1/gamma",
    "bn1/beta",
    "conv2/kernel",
    "bn2/gamma",
    "bn2/beta",
    "main/kernel",
    "main/bias",
  ]);
  for (const n of names) {
    const d = maxRelDiff(ref.grads[n], nat.grads[n]);
    assert.ok(d < 1e-4, `gradient of ${n} differs by ${d}`);
  }
  // Both paths update the moving averages with the unbiased batch variance.
  ref.moving.forEach((m, i) =>
    assert.ok(maxRelDiff(m, nat.moving[i]) < 1e-4, `moving statistic ${i}: ${m} vs ${nat.moving[i]}`)
  );
});

Deno.test("a few native training steps lower the loss", opts, async () => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  const model = smallConvNet(1);
  const optimizer = tf.train.momentum(0.05, 0.9);
  const { train } = splitFashionMnist(syntheticFashion({ n: 320 }), { valSize: 10 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 3; epoch++) {
    for (const b of batches(train, { batchSize: 32, epoch })) {
      const r = trainStep(model, optimizer, b.xs, b.ys);
      losses.push(r.loss.dataSync()[0]);
      disposeStep(r);
      tf.dispose([b.xs, b.ys]);
    }
  }
  const first = losses[0], last = losses[losses.length - 1];
  assert.ok(last < first * 0.75, `loss went ${first} -> ${last}`);
  disposeOptimizer(optimizer);
  model.dispose();
});
