import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { batches, splitFashionMnist } from "../data/fashion_mnist.ts";
import { BatchNorm } from "../models/layers.ts";
import { PRECISE_BN_IMAGES, withPreciseBn } from "./precise_bn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "withPreciseBn(): inside, batch norm's statistics are the mean of the batches' over the first 512 training images; after, the old ones",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const split = splitFashionMnist(syntheticFashion({ n: 900 }), { valSize: 100, seed: 0, testSize: 50 });
    const input = tf.input({ shape: [28, 28, 1] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, kernelInitializer: "glorotNormal" });
    const bn = new BatchNorm({ momentum: 0.9 });
    const model = tf.model({ inputs: input, outputs: bn.apply(conv.apply(input)) as tf.SymbolicTensor });
    const stats = async () =>
      (await Promise.all(model.weights.filter((w) => !w.trainable).map((w) => w.read().data())))
        .map((a) => Array.from(a));
    const before = await stats();
    // The expected statistics, computed directly: per-batch channel means of the conv's outputs, averaged.
    const convOnly = tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
    const means: number[][] = [];
    const first = { ...split.train, index: split.train.index.subarray(0, PRECISE_BN_IMAGES) };
    for (const b of batches(first, { batchSize: 128, shuffle: false })) {
      const m = tf.tidy(() => tf.moments(convOnly.predict(b.xs) as tf.Tensor, [0, 1, 2]).mean);
      means.push(Array.from(await m.data()));
      tf.dispose([m, b.xs, b.ys]);
    }
    assert.equal(means.length, 4);
    const want = means[0].map((_, c) => means.reduce((s, m) => s + m[c], 0) / means.length);
    const tensors = tf.memory().numTensors;
    const inside = await withPreciseBn(model, split.train, stats);
    want.forEach((w, c) => assert.ok(Math.abs(inside[0][c] - w) < 1e-4, `channel ${c}: ${inside[0][c]} vs ${w}`));
    assert.deepEqual(await stats(), before, "the training's statistics are back");
    assert.equal(tf.memory().numTensors, tensors, "no tensor leaked");
    // keep: the precise statistics stay (the end of training).
    await withPreciseBn(model, split.train, stats, { keep: true });
    assert.deepEqual((await stats())[0], inside[0]);
    model.dispose();
  },
);
