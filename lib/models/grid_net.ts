/**
 * Grid reduction (Szegedy et al. 2016, "Rethinking the Inception
 * Architecture", section 5, figures 9 and 10): three ways to go from
 * d x d x k to d/2 x d/2 x 2k with the same output shape, and a small
 * Fashion-MNIST net in which only that block differs.
 *
 * - `pool-first`: stride-2 max pooling, then an Inception module k -> 2k.
 *   Cheap, but the pooling throws information away before any filter sees
 *   it (the "representational bottleneck").
 * - `inception-first`: the Inception module k -> 2k at full resolution, then
 *   pooling. No bottleneck, four times the area to compute on.
 * - `parallel` (figure 10): stride-2 conv branches concatenated with a
 *   stride-2 pooling branch.
 *
 * ```ts
 * const block = gridReduction(x, { kind: "parallel", k: 32 }); // [14, 14, 64] from [28, 28, 32]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { convBn, inceptionModule } from "./blocks.ts";
import { seedWeights } from "./init.ts";
import { MaxPool } from "./layers.ts";

type T = tf.SymbolicTensor;

/** The three reductions. */
export const REDUCTIONS = ["pool-first", "inception-first", "parallel"] as const;
/** One of {@link REDUCTIONS}. */
export type Reduction = typeof REDUCTIONS[number];

/**
 * An Inception module with `out` channels in GoogLeNet 3a's proportions
 * (1x1 : 3x3 : 5x5 : pool = 1/4 : 1/2 : 1/8 : 1/8; reductions 3/4 and 1/2 of
 * their branch), batch norm in every conv.
 */
export function scaledInception(x: T, out: number, name: string): T {
  const c2 = out / 2, c3 = out / 8;
  return inceptionModule(x, { name, c1: out / 4, c2: [(3 * c2) / 4, c2], c3: [c3 / 2, c3], c4: out / 8, bn: true });
}

/** Options of {@link gridReduction}. */
export interface GridReductionOptions {
  kind: Reduction;
  /** Input channels; the output has 2k. */
  k: number;
  /** Layer-name prefix (default `reduce`). */
  name?: string;
}

/** The reduction block: [d, d, k] -> [d/2, d/2, 2k] (odd d: (d-1)/2, like 35 -> 17). */
export function gridReduction(x: T, o: GridReductionOptions): T {
  const p = o.name ?? "reduce", k = o.k;
  if (x.shape[3] !== k) throw new RangeError(`gridReduction: input has ${x.shape[3]} channels, k is ${k}`);
  // Even sides halve with "same" padding (28 -> 14); odd ones with "valid" (35 -> 17), as in the paper.
  const padding = (x.shape[1] ?? 0) % 2 === 0 ? "same" : "valid";
  const pool = (t: T, name: string) => new MaxPool({ name, poolSize: 3, strides: 2, padding }).apply(t) as T;
  if (o.kind === "pool-first") return scaledInception(pool(x, `${p}_pool`), 2 * k, `${p}_module`);
  if (o.kind === "inception-first") return pool(scaledInception(x, 2 * k, `${p}_module`), `${p}_pool`);
  // Figure 10: two conv branches ending in stride 2, k/2 maps each, beside a stride-2 pool of the k input maps.
  const a = convBn(convBn(x, { name: `${p}_a_1x1`, filters: k / 2, kernel: 1, bn: true }), {
    name: `${p}_a_3x3s2`,
    filters: k / 2,
    kernel: 3,
    strides: 2,
    padding,
    bn: true,
  });
  let b = convBn(x, { name: `${p}_b_1x1`, filters: k / 4, kernel: 1, bn: true });
  b = convBn(b, { name: `${p}_b_3x3`, filters: k / 2, kernel: 3, bn: true });
  b = convBn(b, { name: `${p}_b_3x3s2`, filters: k / 2, kernel: 3, strides: 2, padding, bn: true });
  return tf.layers.concatenate({ name: `${p}_concat` }).apply([a, b, pool(x, `${p}_pool`)]) as T;
}

/** Options of {@link buildGridNet}. */
export interface GridNetOptions {
  /** The reduction block under study. */
  reduction: Reduction;
  /** Channels k after the stem (default 32). */
  width?: number;
  /** Seed of the initialisers (default 0). */
  seed?: number;
}

/**
 * The experiment's net: a stem to 28x28xk (two 3x3 convs), the reduction
 * block to 14x14x2k, an identical trunk (an Inception module at 14x14, a
 * stride-2 3x3 conv to 7x7x4k), global average pooling, dense 10. Batch norm
 * throughout; weights seeded by `seed`.
 */
export function buildGridNet(opts: GridNetOptions): tf.LayersModel {
  const k = opts.width ?? 32;
  if (k % 8) throw new RangeError(`width must be a multiple of 8, got ${k}`);
  const input = tf.input({ shape: [28, 28, 1], name: "image" });
  let x = convBn(input, { name: "stem1", filters: k / 2, kernel: 3, bn: true });
  x = convBn(x, { name: "stem2", filters: k, kernel: 3, bn: true }); // [28, 28, k]
  x = gridReduction(x, { kind: opts.reduction, k }); // [14, 14, 2k]
  x = scaledInception(x, 2 * k, "trunk_module");
  x = convBn(x, { name: "trunk_down", filters: 4 * k, kernel: 3, strides: 2, bn: true }); // [7, 7, 4k]
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as T;
  const main = tf.layers.dense({ name: "main", units: 10 }).apply(x) as T;
  return seedWeights(tf.model({ name: `grid_${opts.reduction}`, inputs: input, outputs: main }), opts.seed ?? 0);
}
