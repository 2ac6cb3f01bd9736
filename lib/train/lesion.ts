/**
 * Lesion study on a trained CIFAR-style net (Veit, Wilber and Belongie
 * 2016, "Residual networks behave like ensembles of relatively shallow
 * networks"): delete one block at a time, keeping everything else and every
 * weight, and measure the test error. No training.
 *
 * ```ts
 * const rows = await lesionStudy(trained, { depth: 56, shortcuts: true }, split.test);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildCifarNet, type CifarNetOptions, inferenceModel, lesionableBlocks } from "../models/cifar_net.ts";
import type { Subset } from "../data/fashion_mnist.ts";
import { evaluate } from "./train.ts";

/** Test error with one block deleted (`block` is `none` for the intact net). */
export interface LesionRow {
  block: string;
  error: number;
}

/** Copies weights by layer name from `from` into every layer of `to` (which has a subset of its layers). */
function copyWeights(from: tf.LayersModel, to: tf.LayersModel) {
  for (const layer of to.layers) {
    const w = from.getLayer(layer.name).getWeights();
    if (w.length) layer.setWeights(w);
  }
}

/** Test error of the intact net and with each shape-preserving block deleted in turn. */
export async function lesionStudy(
  trained: tf.LayersModel,
  arch: CifarNetOptions,
  subset: Subset,
  opts: { onBlock?: (block: string, i: number, n: number) => void } = {},
): Promise<LesionRow[]> {
  const depth = arch.depth ?? 20;
  const main = inferenceModel(trained);
  const rows: LesionRow[] = [{ block: "none", error: (await evaluate(main, subset)).main.error }];
  const blocks = lesionableBlocks(depth);
  for (const [i, block] of blocks.entries()) {
    opts.onBlock?.(block, i, blocks.length);
    const lesioned = buildCifarNet({ ...arch, aux: false, skipBlocks: [block] });
    copyWeights(trained, lesioned);
    rows.push({ block, error: (await evaluate(lesioned, subset)).main.error });
    lesioned.dispose();
  }
  return rows;
}
