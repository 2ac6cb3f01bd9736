/**
 * The ResNet paper's CIFAR net (He et al. 2016, section 4.2), adapted to
 * 28x28x1 Fashion-MNIST: a 3x3 stem with 16 filters, three stages of n
 * blocks of two 3x3 convolutions at 28, 14 and 7 px with 16, 32 and 64
 * filters (stride 2 at the first convolution of stages 2 and 3), global
 * average pooling, dense 10. Depth 6n+2: 20 (n=3), 56 (n=9), 110 (n=18).
 *
 * One builder, variants by option only:
 * - `shortcuts: false` is the plain net; `true` adds identity shortcuts, with
 *   a 1x1 stride-2 projection (and batch norm) where the shape changes (the
 *   paper's option B).
 * - `aux: true` adds two auxiliary classifiers after stages 1 and 2, built
 *   like GoogLeNet's (Szegedy et al. 2015, section 5: average pool, 1x1 conv,
 *   fully connected with ReLU, dropout 0.7, linear classifier), scaled down to
 *   this net. They are outputs `aux1` and `aux2`; inference uses `main` only.
 * - `batchNorm: false` removes every batch norm (convolutions get biases), the
 *   setting where vanishing gradients show.
 *
 * ```ts
 * const model = buildCifarNet({ depth: 20 });
 * model.outputNames; // ["main"]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BatchNorm, ReLU } from "./layers.ts";
import { googlenetAuxHead } from "./blocks.ts";
import { tfSeed } from "./init.ts";

/** Options of {@link buildCifarNet}. */
export interface CifarNetOptions {
  /** 6n+2 (default 20). */
  depth?: number;
  /** Identity shortcuts: the residual net (default false: plain). */
  shortcuts?: boolean;
  /** Two GoogLeNet-style auxiliary heads after stages 1 and 2 (default false). */
  aux?: boolean;
  /** Batch norm after every convolution (default true, the ResNet paper's setting). */
  batchNorm?: boolean;
  /** Filters per stage (default [16, 32, 64]). */
  widths?: [number, number, number];
  /** Seed of the He-normal initialisers (default 0). */
  seed?: number;
  /**
   * Start each residual branch's last convolution at zero, so the net starts
   * as a chain of identities (Fixup's first rule, Zhang, Dauphin and Ma
   * 2019; Goyal et al. 2017 zero the last batch norm's scale instead). For
   * the residual net without batch norm, whose activations otherwise grow
   * block by block from He initialisation (default false).
   */
  zeroInitBranches?: boolean;
  /** Input side in pixels (default 28). */
  side?: number;
  /** Input channels (default 1). */
  channels?: number;
  /** Classes (default 10). */
  classes?: number;
  /**
   * Blocks to delete, by name (`s2b3`: stage 2, block 3), for a lesion study
   * (Veit et al. 2016): the block's layers are left out and its input passes
   * through unchanged. Only blocks whose input and output shapes agree can be
   * deleted (see {@link lesionableBlocks}). For the residual net this keeps
   * the shortcut: relu(x + 0) = x, since x is already a ReLU output.
   */
  skipBlocks?: string[];
}

/** Names of the blocks whose input and output shapes agree (every block but the first of stages 2 and 3). */
export function lesionableBlocks(depth: number): string[] {
  const n = blocksPerStage(depth);
  const out: string[] = [];
  for (let s = 1; s <= 3; s++) for (let b = 1; b <= n; b++) if (s === 1 || b > 1) out.push(`s${s}b${b}`);
  return out;
}

/**
 * Sizes of the auxiliary heads, scaled from GoogLeNet's (5x5/3 average pool
 * to a 4x4 grid, 128 1x1 filters, FC 1024, dropout 0.7) to this net: each
 * head pools to 4x4 too, then 32 1x1 filters and FC 128, about 68k
 * parameters per head (the 56-layer net has 0.85M).
 */
export const AUX_HEAD = {
  /** Average pool window and stride per stage: 28 -> 4 px (7/7) after stage 1, 14 -> 4 px (5/3) after stage 2. */
  pool: [7, 5],
  poolStride: [7, 3],
  /** 1x1 conv filters (GoogLeNet: 128). */
  convFilters: 32,
  /** Fully connected units (GoogLeNet: 1024). */
  fcUnits: 128,
  /** Dropout rate (GoogLeNet: 0.7). */
  dropout: 0.7,
} as const;

/** The standard deviation of a unit normal truncated at two standard deviations (Keras's correction factor). */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;

/** Number of blocks per stage for a depth, or a RangeError. */
export function blocksPerStage(depth: number): number {
  const n = (depth - 2) / 6;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`depth must be 6n+2 (8, 14, 20, 56, 110, ...), got ${depth}`);
  return n;
}

/** Builds the net; see the module docs. Outputs are logits named `main` (and `aux1`, `aux2`). */
export function buildCifarNet(opts: CifarNetOptions = {}): tf.LayersModel {
  const depth = opts.depth ?? 20;
  const n = blocksPerStage(depth);
  const bn = opts.batchNorm ?? true;
  const widths = opts.widths ?? [16, 32, 64];
  const side = opts.side ?? 28;
  let seed = (opts.seed ?? 0) * 100003;
  // He initialisation as He et al. (2015) define it: weights of variance 2 / fan-in. TF.js's heNormal draws
  // from a normal truncated at two standard deviations without rescaling, which leaves a variance of
  // 0.774 x 2 / fan-in: through 55 layers without batch norm the signal shrinks about a million-fold in
  // variance, and the plain no-BN net starts (and stays) at chance. Keras rescales by 1 / 0.8796; so do we.
  const init = () =>
    tf.initializers.varianceScaling({
      scale: 2 / TRUNCATED_NORMAL_STD ** 2,
      mode: "fanIn",
      distribution: "normal",
      seed: tfSeed(seed++), // the first layer of seed 0 would otherwise be unseeded
    });

  const conv = (x: tf.SymbolicTensor, filters: number, strides: number, name: string, k = 3, zero = false) => {
    const he = init(); // drawn even when unused, so every other layer keeps its seed
    return tf.layers.conv2d({
      name,
      filters,
      kernelSize: k,
      strides,
      padding: "same",
      useBias: !bn,
      kernelInitializer: zero ? tf.initializers.zeros() : he,
    }).apply(x) as tf.SymbolicTensor;
  };
  const norm = (x: tf.SymbolicTensor, name: string) => bn ? new BatchNorm({ name }).apply(x) as tf.SymbolicTensor : x;
  const act = (x: tf.SymbolicTensor, name: string) => new ReLU({ name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [side, side, opts.channels ?? 1], name: "image" });
  let x = act(norm(conv(input, widths[0], 1, "stem_conv"), "stem_bn"), "stem_relu");
  const auxInputs: tf.SymbolicTensor[] = [];
  for (let s = 0; s < 3; s++) {
    for (let b = 0; b < n; b++) {
      const p = `s${s + 1}b${b + 1}`;
      const strides = s > 0 && b === 0 ? 2 : 1;
      if (opts.skipBlocks?.includes(p)) {
        if (!lesionableBlocks(depth).includes(p)) {
          throw new RangeError(`block ${p} changes the shape and cannot be deleted`);
        }
        continue;
      }
      const shortcut = x;
      let y = act(norm(conv(x, widths[s], strides, `${p}_conv1`), `${p}_bn1`), `${p}_relu1`);
      const zero = (opts.zeroInitBranches ?? false) && (opts.shortcuts ?? false);
      y = norm(conv(y, widths[s], 1, `${p}_conv2`, 3, zero), `${p}_bn2`);
      if (opts.shortcuts) {
        const changes = strides !== 1 || (shortcut.shape[3] !== widths[s]);
        const sc = changes ? norm(conv(shortcut, widths[s], strides, `${p}_proj`, 1), `${p}_proj_bn`) : shortcut;
        y = tf.layers.add({ name: `${p}_add` }).apply([y, sc]) as tf.SymbolicTensor;
      }
      x = act(y, `${p}_relu2`);
    }
    if (s < 2) auxInputs.push(x);
  }
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as tf.SymbolicTensor;
  const main = tf.layers.dense({ name: "main", units: opts.classes ?? 10, kernelInitializer: init() })
    .apply(x) as tf.SymbolicTensor;
  const outputs = [main];
  if (opts.aux) {
    auxInputs.forEach((a, i) => {
      outputs.push(googlenetAuxHead(a, {
        name: `aux${i + 1}`,
        classes: opts.classes ?? 10,
        pool: AUX_HEAD.pool[i],
        poolStride: AUX_HEAD.poolStride[i],
        convFilters: AUX_HEAD.convFilters,
        // As the net's own convolutions: a bias only without batch norm (the head itself has none).
        convBias: !bn,
        fcUnits: AUX_HEAD.fcUnits,
        dropout: AUX_HEAD.dropout,
        kernelInitializer: init,
        dropoutSeed: tfSeed(seed++),
      }));
    });
  }
  const name = `${opts.shortcuts ? "residual" : "plain"}${depth}${opts.aux ? "_aux" : ""}${bn ? "" : "_nobn"}`;
  return tf.model({ name, inputs: input, outputs });
}

/** The inference model: the same layers and weights with only the `main` output. */
export function inferenceModel(model: tf.LayersModel): tf.LayersModel {
  const main = model.outputs[model.outputNames.indexOf("main")];
  return tf.model({ name: `${model.name}_inference`, inputs: model.inputs, outputs: main });
}
