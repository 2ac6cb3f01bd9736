/**
 * The reusable blocks of the seeds' architectures, named after their papers
 * and taking the papers' own parameters. Each takes a symbolic tensor and
 * returns one (TF.js functional API), so nets are assembled from stages.
 *
 * ```ts
 * let x = tf.input({ shape: [28, 28, 192] });
 * x = inceptionModule(x, { c1: 64, c2: [96, 128], c3: [16, 32], c4: 32, name: "3a" }); // [28, 28, 256]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BatchNorm, MaxPool, ReLU, StepDropout } from "./layers.ts";

type T = tf.SymbolicTensor;

/** Options shared by the conv helpers. */
export interface ConvOptions {
  /** Layer name prefix. */
  name: string;
  /** Output channels. */
  filters: number;
  /** Kernel size: a side, or [rows, cols] for factorised 1xn / nx1 kernels. */
  kernel: number | [number, number];
  strides?: number;
  padding?: "same" | "valid";
  /** Batch norm after the convolution (then the convolution has no bias) (default false). */
  bn?: boolean;
  /** Learned scale in that batch norm (default true). */
  bnScale?: boolean;
  /** `relu` (default), `relu6`, `swish` or `linear`. */
  activation?: "relu" | "relu6" | "swish" | "linear";
  /** Bias in the convolution (default: when there is no batch norm). */
  useBias?: boolean;
  /** Makes the kernel's initialiser (default TF.js's Glorot uniform); seeded nets pass their own. */
  kernelInitializer?: () => ReturnType<typeof tf.initializers.heNormal>;
}

function activate(x: T, act: ConvOptions["activation"], name: string): T {
  if (act === "linear") return x;
  if (act === "relu" || act === undefined) return new ReLU({ name: `${name}_relu` }).apply(x) as T;
  return tf.layers.activation({ name: `${name}_${act}`, activation: act }).apply(x) as T;
}

/** Convolution, optional batch norm, activation. */
export function convBn(x: T, o: ConvOptions): T {
  const bn = o.bn ?? false;
  let y = tf.layers.conv2d({
    name: o.name,
    filters: o.filters,
    kernelSize: o.kernel,
    strides: o.strides ?? 1,
    padding: o.padding ?? "same",
    useBias: o.useBias ?? !bn,
    kernelInitializer: o.kernelInitializer?.(),
  }).apply(x) as T;
  if (bn) y = new BatchNorm({ name: `${o.name}_bn`, scale: o.bnScale ?? true }).apply(y) as T;
  return activate(y, o.activation, o.name);
}

/** Options of {@link inceptionModule} (GoogLeNet table 1's columns). */
export interface InceptionOptions {
  name: string;
  /** 1x1 branch filters. */
  c1: number;
  /** 3x3 branch: [1x1 reduction, 3x3 filters]. */
  c2: [number, number];
  /** 5x5 branch: [1x1 reduction, 5x5 filters]. */
  c3: [number, number];
  /** Pool branch: 1x1 filters after 3x3 max pooling. */
  c4: number;
  /** Batch norm in every conv (default false: the 2014 paper has none). */
  bn?: boolean;
}

/**
 * The Inception module with 1x1 reductions (Szegedy et al. 2015, figure 2b):
 * four parallel branches concatenated; output channels c1 + c2[1] + c3[1] + c4.
 */
export function inceptionModule(x: T, o: InceptionOptions): T {
  const p = `inception${o.name}`, bn = o.bn;
  const b1 = convBn(x, { name: `${p}_1x1`, filters: o.c1, kernel: 1, bn });
  const b2 = convBn(convBn(x, { name: `${p}_3x3r`, filters: o.c2[0], kernel: 1, bn }), {
    name: `${p}_3x3`,
    filters: o.c2[1],
    kernel: 3,
    bn,
  });
  const b3 = convBn(convBn(x, { name: `${p}_5x5r`, filters: o.c3[0], kernel: 1, bn }), {
    name: `${p}_5x5`,
    filters: o.c3[1],
    kernel: 5,
    bn,
  });
  const pool = new MaxPool({ name: `${p}_pool`, poolSize: 3, strides: 1, padding: "same" }).apply(x) as T;
  const b4 = convBn(pool, { name: `${p}_poolproj`, filters: o.c4, kernel: 1, bn });
  return tf.layers.concatenate({ name: `${p}_concat` }).apply([b1, b2, b3, b4]) as T;
}

/**
 * The naive Inception module (Szegedy et al. 2015, figure 2a): 1x1, 3x3 and
 * 5x5 convolutions and 3x3 max pooling straight on the input, concatenated.
 * The pool branch keeps every input channel, so channels only grow.
 */
export function inceptionNaive(x: T, o: { name: string; c1: number; c3: number; c5: number }): T {
  const p = `naive${o.name}`;
  const b1 = convBn(x, { name: `${p}_1x1`, filters: o.c1, kernel: 1 });
  const b2 = convBn(x, { name: `${p}_3x3`, filters: o.c3, kernel: 3 });
  const b3 = convBn(x, { name: `${p}_5x5`, filters: o.c5, kernel: 5 });
  const b4 = new MaxPool({ name: `${p}_pool`, poolSize: 3, strides: 1, padding: "same" }).apply(x) as T;
  return tf.layers.concatenate({ name: `${p}_concat` }).apply([b1, b2, b3, b4]) as T;
}

/** Options of {@link residualBlock}. */
export interface ResidualOptions {
  name: string;
  /** Filters of the block's convolutions (its output has `filters`, or 4x that for a bottleneck). */
  filters: number;
  strides?: number;
  /** 1x1 projection shortcut (needed where the shape changes). */
  projection?: boolean;
  /** Bottleneck (1x1, 3x3, 1x1 with 4x expansion, He et al. 2016 figure 5 right) instead of two 3x3. */
  bottleneck?: boolean;
  /** Squeeze-and-excitation on the residual branch before the addition, reduction ratio (Hu et al. 2018). */
  se?: number;
}

/**
 * A residual block (He et al. 2016, figure 5): basic (two 3x3) or
 * bottleneck, batch norm after every conv, identity or projection shortcut,
 * ReLU after the addition. Torchvision's layout: the stride sits on the 3x3.
 */
export function residualBlock(x: T, o: ResidualOptions): T {
  const s = o.strides ?? 1, p = o.name;
  let y: T;
  let out: number;
  if (o.bottleneck) {
    out = 4 * o.filters;
    y = convBn(x, { name: `${p}_conv1`, filters: o.filters, kernel: 1, bn: true });
    y = convBn(y, { name: `${p}_conv2`, filters: o.filters, kernel: 3, strides: s, bn: true });
    y = convBn(y, { name: `${p}_conv3`, filters: out, kernel: 1, bn: true, activation: "linear" });
  } else {
    out = o.filters;
    y = convBn(x, { name: `${p}_conv1`, filters: o.filters, kernel: 3, strides: s, bn: true });
    y = convBn(y, { name: `${p}_conv2`, filters: out, kernel: 3, bn: true, activation: "linear" });
  }
  if (o.se) y = squeezeExcite(y, { name: `${p}_se`, squeeze: Math.floor(out / o.se) });
  const sc = o.projection
    ? convBn(x, { name: `${p}_proj`, filters: out, kernel: 1, strides: s, bn: true, activation: "linear" })
    : x;
  const sum = tf.layers.add({ name: `${p}_add` }).apply([y, sc]) as T;
  return new ReLU({ name: `${p}_out` }).apply(sum) as T;
}

/**
 * Squeeze-and-excitation (Hu et al. 2018, figure 2): global average pool, a
 * bottleneck of two fully connected layers (ReLU, then sigmoid), and a
 * channel-wise rescaling of the input. `activation` is the hidden one.
 */
export function squeezeExcite(x: T, o: { name: string; squeeze: number; activation?: "relu" | "swish" }): T {
  const c = x.shape[3]!;
  let s = tf.layers.globalAveragePooling2d({ name: `${o.name}_squeeze` }).apply(x) as T;
  s = tf.layers.reshape({ name: `${o.name}_reshape`, targetShape: [1, 1, c] }).apply(s) as T;
  s = tf.layers.conv2d({
    name: `${o.name}_reduce`,
    filters: o.squeeze,
    kernelSize: 1,
    activation: o.activation ?? "relu",
  })
    .apply(s) as T;
  s = tf.layers.conv2d({ name: `${o.name}_expand`, filters: c, kernelSize: 1, activation: "sigmoid" }).apply(s) as T;
  return tf.layers.multiply({ name: `${o.name}_scale` }).apply([x, s]) as T;
}

/**
 * A dense block (Huang et al. 2017): `layers` times BN, ReLU, 1x1 conv to
 * 4k, BN, ReLU, 3x3 conv to k (the growth rate), each output concatenated
 * to everything before it.
 */
export function denseBlock(x: T, o: { name: string; layers: number; growth: number; bnSize?: number }): T {
  let y = x;
  for (let i = 0; i < o.layers; i++) {
    const p = `${o.name}_l${i + 1}`;
    let h = new BatchNorm({ name: `${p}_bn1` }).apply(y) as T;
    h = new ReLU({ name: `${p}_relu1` }).apply(h) as T;
    h = tf.layers.conv2d({ name: `${p}_conv1`, filters: (o.bnSize ?? 4) * o.growth, kernelSize: 1, useBias: false })
      .apply(h) as T;
    h = new BatchNorm({ name: `${p}_bn2` }).apply(h) as T;
    h = new ReLU({ name: `${p}_relu2` }).apply(h) as T;
    h = tf.layers.conv2d({ name: `${p}_conv2`, filters: o.growth, kernelSize: 3, padding: "same", useBias: false })
      .apply(h) as T;
    y = tf.layers.concatenate({ name: `${p}_concat` }).apply([y, h]) as T;
  }
  return y;
}

/**
 * A depthwise separable convolution (Howard et al. 2017, figure 3): 3x3
 * depthwise conv, BN, ReLU6, then 1x1 pointwise conv, BN, ReLU6.
 */
export function depthwiseSeparable(x: T, o: { name: string; filters: number; strides?: number }): T {
  let y = tf.layers.depthwiseConv2d({
    name: `${o.name}_dw`,
    kernelSize: 3,
    strides: o.strides ?? 1,
    padding: "same",
    useBias: false,
  }).apply(x) as T;
  y = new BatchNorm({ name: `${o.name}_dw_bn` }).apply(y) as T;
  y = tf.layers.activation({ name: `${o.name}_dw_relu6`, activation: "relu6" }).apply(y) as T;
  return convBn(y, { name: `${o.name}_pw`, filters: o.filters, kernel: 1, bn: true, activation: "relu6" });
}

/**
 * The MBConv block of MobileNet-v2 and EfficientNet (Tan and Le 2019):
 * 1x1 expansion (when expand > 1), depthwise kxk, squeeze-and-excitation
 * (squeezing to a quarter of the block's input channels, as torchvision does),
 * 1x1 linear projection, and an identity shortcut when shapes agree. Swish
 * activations.
 */
export function mbConv(
  x: T,
  o: { name: string; filters: number; expand: number; kernel: number; strides: number },
): T {
  const cin = x.shape[3]!, p = o.name;
  const mid = cin * o.expand;
  let y = o.expand !== 1
    ? convBn(x, { name: `${p}_expand`, filters: mid, kernel: 1, bn: true, activation: "swish" })
    : x;
  y = tf.layers.depthwiseConv2d({
    name: `${p}_dw`,
    kernelSize: o.kernel,
    strides: o.strides,
    padding: "same",
    useBias: false,
  })
    .apply(y) as T;
  y = new BatchNorm({ name: `${p}_dw_bn` }).apply(y) as T;
  y = tf.layers.activation({ name: `${p}_dw_swish`, activation: "swish" }).apply(y) as T;
  y = squeezeExcite(y, { name: `${p}_se`, squeeze: Math.max(1, Math.floor(cin / 4)), activation: "swish" });
  y = convBn(y, { name: `${p}_project`, filters: o.filters, kernel: 1, bn: true, activation: "linear" });
  return o.strides === 1 && cin === o.filters ? tf.layers.add({ name: `${p}_add` }).apply([y, x]) as T : y;
}

/** Options of {@link googlenetAuxHead}: GoogLeNet's sizes by default, smaller for small nets. */
export interface AuxHeadOptions {
  /** Name of the head's output (and prefix of its layers). */
  name: string;
  classes: number;
  /** Batch norm after the conv and the fully connected layer: Inception-v3's BN-auxiliary (default false). */
  bn?: boolean;
  /** Average pooling window and stride (default 5 and 3). */
  pool?: number;
  poolStride?: number;
  /** 1x1 conv filters (default 128). */
  convFilters?: number;
  /** Bias in the 1x1 conv (default: when there is no batch norm). */
  convBias?: boolean;
  /** Fully connected units (default 1024). */
  fcUnits?: number;
  /** Dropout rate (default 0.7). */
  dropout?: number;
  /** Makes each kernel's initialiser, in build order: conv, fully connected, classifier (default Glorot uniform). */
  kernelInitializer?: () => ReturnType<typeof tf.initializers.heNormal>;
  /** Seed of the dropout layer's masks (with the training step: lib/models/layers.ts `StepDropout`). */
  dropoutSeed: number;
}

/**
 * GoogLeNet's auxiliary classifier (Szegedy et al. 2015, section 5): 5x5/3
 * average pooling, 1x1 conv with 128 filters and ReLU, fully connected 1024
 * with ReLU, dropout 0.7, linear classifier (sizes adjustable for small
 * nets). `bn` puts batch norm after the conv and the fully connected layer
 * (Inception-v3's BN-auxiliary). Used in training only.
 */
export function googlenetAuxHead(x: T, o: AuxHeadOptions): T {
  const fc = o.fcUnits ?? 1024;
  const init = o.kernelInitializer ?? (() => undefined);
  let h = tf.layers.averagePooling2d({
    name: `${o.name}_pool`,
    poolSize: o.pool ?? 5,
    strides: o.poolStride ?? 3,
    padding: "valid",
  }).apply(x) as T;
  h = convBn(h, {
    name: `${o.name}_conv`,
    filters: o.convFilters ?? 128,
    kernel: 1,
    bn: o.bn,
    useBias: o.convBias,
    kernelInitializer: o.kernelInitializer,
  });
  h = tf.layers.flatten({ name: `${o.name}_flat` }).apply(h) as T;
  h = tf.layers.dense({ name: `${o.name}_fc`, units: fc, useBias: !o.bn, kernelInitializer: init() }).apply(h) as T;
  if (o.bn) {
    // Batch norm on the fully connected layer too: Inception-v3's BN-auxiliary (section 10).
    h = tf.layers.reshape({ name: `${o.name}_fc_4d`, targetShape: [1, 1, fc] }).apply(h) as T;
    h = new BatchNorm({ name: `${o.name}_fc_bn` }).apply(h) as T;
    h = tf.layers.flatten({ name: `${o.name}_fc_flat` }).apply(h) as T;
  }
  h = new ReLU({ name: `${o.name}_fc_relu` }).apply(h) as T;
  h = new StepDropout({ name: `${o.name}_dropout`, rate: o.dropout ?? 0.7, seed: o.dropoutSeed }).apply(h) as T;
  return tf.layers.dense({ name: o.name, units: o.classes, kernelInitializer: init() }).apply(h) as T;
}
