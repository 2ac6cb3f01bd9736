// Helpers for tests only.
import * as tf from "@tensorflow/tfjs";
import { BatchNorm, MaxPool, ReLU } from "./models/layers.ts";
import { tfSeed } from "./models/init.ts";

/**
 * A small conv net with batch norm: conv, BN, ReLU, conv, BN, ReLU, pool,
 * dense 10. Its three initialisers draw from seeds `10 * seed + 0, 1, 2`,
 * so the same `seed` gives the same weights every time.
 */
export function smallConvNet(seed = 0): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = input as tf.SymbolicTensor;
  for (const [i, f] of [8, 16].entries()) {
    x = tf.layers.conv2d({
      name: `conv${i + 1}`,
      filters: f,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: tfSeed(seed * 10 + i) }),
    }).apply(x) as tf.SymbolicTensor;
    x = new BatchNorm({ name: `bn${i + 1}` }).apply(x) as tf.SymbolicTensor;
    x = new ReLU({ name: `relu${i + 1}` }).apply(x) as tf.SymbolicTensor;
  }
  // Max pooling after a ReLU sees ties (zeros), so the gradient tests cover how they are broken.
  x = new MaxPool({ name: "pool", poolSize: 3, strides: 1, padding: "same" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as tf.SymbolicTensor;
  const main = tf.layers.dense({
    name: "main",
    units: 10,
    kernelInitializer: tf.initializers.glorotUniform({ seed: tfSeed(seed * 10 + 2) }),
  }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: main });
}

/**
 * Largest absolute difference between two arrays relative to the largest
 * magnitude in them: max|a-b| / max(|a|, |b|). Element-wise ratios blow up on
 * entries near zero; this is the usual norm-wise criterion.
 */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
