/**
 * Precise batch norm for evaluation: batch norm's moving statistics lag the
 * weights (a momentum average over past steps), so early in training, at a
 * high rate, an evaluation-mode pass reads statistics of weights long gone
 * (measured: at the end of quick's first epoch, plain-56 evaluated at a
 * loss of 1,017 on training images whose minibatch loss was 2). Before an
 * evaluation the statistics are recomputed at the current weights over a
 * fixed set of training images, each batch weighing the same (the "precise
 * BN" of pycls and Detectron2), and put back afterwards: an evaluation
 * never changes the training.
 *
 * ```ts
 * const res = await withPreciseBn(model, split.train, () => evaluate(model, split.val));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batches, type Subset } from "../data/fashion_mnist.ts";
import { BatchNorm } from "../models/layers.ts";

/** Training images whose batch statistics make the precise ones: 4 batches of 128 (pycls uses about 1,024 on ImageNet). */
export const PRECISE_BN_IMAGES = 512;
const BATCH = 128;

/**
 * Runs `f` (an evaluation) with batch norm's statistics recomputed over the
 * first {@link PRECISE_BN_IMAGES} images of `train` (in split order, so the
 * same images at every step), then restores the model's statistics; `keep`
 * leaves the precise ones (at the end of training, so that the saved model
 * evaluates as its test error says).
 */
export async function withPreciseBn<T>(
  model: tf.LayersModel,
  train: Subset,
  f: () => Promise<T>,
  opts: { keep?: boolean } = {},
): Promise<T> {
  const bns = model.layers.filter((l): l is BatchNorm => l instanceof BatchNorm);
  if (bns.length === 0) return await f();
  const saved = model.weights.filter((w) => !w.trainable).map((w) => [w, tf.clone(w.read())] as const);
  const n = Math.min(PRECISE_BN_IMAGES, train.index.length);
  try {
    for (const l of bns) l.averaged = 0;
    for (const b of batches({ ...train, index: train.index.subarray(0, n) }, { batchSize: BATCH, shuffle: false })) {
      // Training mode: each batch norm averages this batch's statistics into its moving ones; the outputs are dropped.
      tf.tidy(() => {
        model.apply(b.xs, { training: true });
      });
      tf.dispose([b.xs, b.ys]);
    }
    for (const l of bns) l.averaged = undefined;
    return await f();
  } finally {
    for (const l of bns) l.averaged = undefined;
    for (const [w, v] of saved) {
      if (!opts.keep) w.write(v);
      v.dispose();
    }
  }
}
