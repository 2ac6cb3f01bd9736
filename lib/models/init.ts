/**
 * Deterministic initialisation of any built model from one seed: He-normal
 * kernels (He et al. 2015, fan-in), zero biases and shifts, unit scales and
 * variances. TF.js seeds initialisers one layer at a time; nets assembled
 * from shared blocks get their seed here instead, so two runs with the same
 * seed start from the same weights on any backend.
 *
 * ```ts
 * const model = seedWeights(buildGridNet({ reduction: "parallel" }), 0);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng, normal } from "../data/rng.ts";

/**
 * A seed for TF.js's seeded initialisers and dropout. TF.js treats a seed of
 * 0 as no seed at all (its generators fall back to Math.random when the seed
 * is falsy), so 0 is mapped to -1, a value no other seed takes here.
 */
export function tfSeed(s: number): number {
  return s === 0 ? -1 : s;
}

/** Re-initialises every weight of `model` from `seed` and returns the model. */
export function seedWeights(model: tf.LayersModel, seed: number): tf.LayersModel {
  const rng = makeRng(seed * 7919 + 17);
  const values = model.weights.map((w) => {
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const name = w.originalName;
    if (/kernel/.test(name)) {
      // fan-in: every axis but the last (depthwise kernels: the window only)
      const fanIn = /depthwise/.test(name) ? shape[0] * shape[1] : n / shape[shape.length - 1];
      const std = Math.sqrt(2 / fanIn);
      return tf.tensor(Float32Array.from({ length: n }, () => std * normal(rng)), shape);
    }
    const one = /gamma|moving_variance|coefficient/.test(name);
    return tf.fill(shape, one ? 1 : 0);
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}
