import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { maxPool, maxPoolPath } from "./fused_ops.ts";
import { MaxPool } from "./layers.ts";
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

Deno.test(
  "oneDNN max pooling matches TensorFlow's MaxPool and MaxPoolGrad, ties included, and leaks nothing",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    assert.equal(maxPoolPath(), "onednn", "the native CPU build should run oneDNN's pooling");
    const rng = makeRng(11);
    // A ReLU'd input (half zeros: ties in most windows) with a few exact repeats of non-zero values too.
    const shape: [number, number, number, number] = [4, 9, 10, 3];
    const n = shape.reduce((a, b) => a * b);
    const xs = Float32Array.from({ length: n }, (_, i) => i % 7 === 0 ? 0.5 : Math.max(0, normal(rng)));
    const x = tf.tensor4d(xs, shape);
    for (
      const [size, strides, padding] of [[3, 2, "same"], [3, 2, "valid"], [3, 1, "same"], [2, 2, "valid"]] as const
    ) {
      const dyShape = tf.maxPool(x, size, strides, padding).shape;
      const dy = tf.tensor4d(
        Float32Array.from({ length: dyShape.reduce((a, b) => a * b) }, () => normal(rng)),
        dyShape,
      );
      const loss = (pool: (t: tf.Tensor4D) => tf.Tensor4D) => (t: tf.Tensor) =>
        tf.sum(tf.mul(pool(t as tf.Tensor4D), dy));
      const before = tf.memory().numTensors;
      const [yRef, gRef] = tf.tidy(() => [
        tf.maxPool(x, size, strides, padding),
        tf.grad(loss((t) => tf.maxPool(t, size, strides, padding)))(x),
      ]);
      const [y, g] = tf.tidy(() => [
        maxPool(x, size, strides, padding),
        tf.grad(loss((t) => maxPool(t, size, strides, padding)))(x),
      ]);
      const what = `${size}x${size}/${strides} ${padding}`;
      assert.deepEqual(y.shape, yRef.shape, `${what}: output shape`);
      assert.deepEqual(Array.from(y.dataSync()), Array.from(yRef.dataSync()), `${what}: outputs`);
      // Overlapping windows add their gradients in another order (last-ulp
      // differences); a tie broken the other way would move a whole gradient.
      const gv = g.dataSync(), gr = gRef.dataSync();
      assert.deepEqual(
        Array.from(gv, (v) => v !== 0),
        Array.from(gr, (v) => v !== 0),
        `${what}: which inputs get a gradient`,
      );
      assert.ok(maxRelDiff(gv, gr) < 1e-6, `${what}: gradients differ by ${maxRelDiff(gv, gr)}`);
      tf.dispose([y, g, yRef, gRef]);
      assert.equal(tf.memory().numTensors, before, `${what}: leaked tensors`);
      dy.dispose();
    }
    x.dispose();
  },
);

Deno.test(
  "the MaxPool layer gives tf.layers.maxPooling2d's shapes, the same maxima in training and inference, and serialises",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    for (
      const [side, size, strides, padding] of [[28, 3, 2, "same"], [35, 3, 2, "valid"], [13, 3, 1, "same"]] as const
    ) {
      const input = tf.input({ shape: [side, side, 5] });
      const ours = new MaxPool({ poolSize: size, strides, padding }).apply(input) as tf.SymbolicTensor;
      const theirs = tf.layers.maxPooling2d({ poolSize: size, strides, padding }).apply(input) as tf.SymbolicTensor;
      assert.deepEqual(ours.shape, theirs.shape);
    }
    // Training and inference give the same maxima (inference takes TensorFlow's own pooling).
    const layer = new MaxPool({ poolSize: 3, strides: 2, padding: "same" });
    const x = tf.randomNormal([2, 9, 9, 3]);
    const [a, b] = [layer.apply(x, { training: true }), layer.apply(x, { training: false })] as tf.Tensor[];
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
    const input = tf.input({ shape: [8, 8, 2] });
    const model = tf.model({
      inputs: input,
      outputs: new MaxPool({ name: "p", poolSize: 3, strides: 2, padding: "same" }).apply(input) as tf.SymbolicTensor,
    });
    const topology = model.toJSON(undefined, false) as tf.serialization.ConfigDict;
    const back = await tf.models.modelFromJSON({ modelTopology: topology });
    assert.equal(back.layers[1].getClassName(), "DeeperMaxPool");
    assert.deepEqual(back.layers[1].getConfig(), model.layers[1].getConfig());
    model.dispose();
    back.dispose();
  },
);
