/**
 * A small Inception-style net for 28x28 Fashion-MNIST, built from the zoo's
 * blocks, with an optional auxiliary classifier: the base of the BN-auxiliary
 * experiment (Szegedy et al. 2016, sections 4 and 10).
 *
 * Stem (two 3x3 convs) to 28x28xk; an Inception module at 28 px (2k); the
 * parallel grid reduction (figure 10) to 14 px (4k); two Inception modules
 * at 14 px; the parallel reduction to 7 px (8k); one module at 7 px; global
 * average pooling; dense 10. The auxiliary head sits on the last 14x14
 * module, as Inception-v3's sits on its last 17x17 layer.
 *
 * ```ts
 * const m = buildInceptionNet({ aux: true, auxBn: true }); // outputs main, aux
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { convBn, googlenetAuxHead } from "./blocks.ts";
import { gridReduction, scaledInception } from "./grid_net.ts";
import { seedWeights } from "./init.ts";

type T = tf.SymbolicTensor;

/** Options of {@link buildInceptionNet}. */
export interface InceptionNetOptions {
  /** Channels after the stem (default 16; multiple of 8). */
  width?: number;
  /** An auxiliary classifier on the last 14x14 module (default false). */
  aux?: boolean;
  /** Batch norm after the auxiliary head's conv and fully connected layer (default false). */
  auxBn?: boolean;
  /** Seed of the weights (default 0). */
  seed?: number;
}

/** Auxiliary head sizes: 5x5/3 pool to 4x4, 1x1 conv to 4k, fully connected 8k (GoogLeNet's 128 and 1024, scaled). */
export function auxHeadSizes(width: number) {
  return { convFilters: 4 * width, fcUnits: 8 * width };
}

/** Builds the net; outputs `main` (and `aux`). */
export function buildInceptionNet(opts: InceptionNetOptions = {}): tf.LayersModel {
  const k = opts.width ?? 16;
  if (k % 8) throw new RangeError(`width must be a multiple of 8, got ${k}`);
  const input = tf.input({ shape: [28, 28, 1], name: "image" });
  let x = convBn(input, { name: "stem1", filters: k, kernel: 3, bn: true });
  x = convBn(x, { name: "stem2", filters: k, kernel: 3, bn: true }); // [28, 28, k]
  x = scaledInception(x, 2 * k, "a1"); // [28, 28, 2k]
  x = gridReduction(x, { kind: "parallel", k: 2 * k, name: "reduce1" }); // [14, 14, 4k]
  x = scaledInception(x, 4 * k, "b1");
  x = scaledInception(x, 4 * k, "b2");
  const auxFrom = x;
  x = gridReduction(x, { kind: "parallel", k: 4 * k, name: "reduce2" }); // [7, 7, 8k]
  x = scaledInception(x, 8 * k, "c1");
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as T;
  const outputs = [tf.layers.dense({ name: "main", units: 10 }).apply(x) as T];
  if (opts.aux) {
    // The dropout mask's seed follows the run's seed, as the weights do.
    const dropoutSeed = 7919 * (opts.seed ?? 0) + 1;
    outputs.push(
      googlenetAuxHead(auxFrom, { name: "aux", classes: 10, bn: opts.auxBn, dropoutSeed, ...auxHeadSizes(k) }),
    );
  }
  const name = opts.aux ? (opts.auxBn ? "inception_bn_aux" : "inception_aux") : "inception";
  return seedWeights(tf.model({ name, inputs: input, outputs }), opts.seed ?? 0);
}
