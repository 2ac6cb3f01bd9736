/**
 * The model zoo: every architecture the study notes walk through, built in
 * TF.js at its native input size from the blocks in `blocks.ts`, each with
 * the published parameter count it is checked against.
 *
 * Reference counts differ by convention: torchvision counts trainable
 * parameters (batch-norm running statistics are buffers), Keras counts every
 * weight (running statistics included) and puts biases in some
 * convolutions. Each entry says which reference it matches and what it
 * counts.
 *
 * ```ts
 * const m = ZOO["resnet50"].build(); // 25,557,032 trainable parameters, as torchvision
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BatchNorm, GroupedConv2D, LENET_C3_TABLE, PartialConv2D, RBFOutput, ReLU, Subsample } from "./layers.ts";
import {
  convBn,
  denseBlock,
  depthwiseSeparable,
  googlenetAuxHead,
  inceptionModule,
  mbConv,
  residualBlock,
} from "./blocks.ts";
import { buildCifarNet } from "./cifar_net.ts";

type T = tf.SymbolicTensor;

const maxPool = (x: T, name: string, size = 3, strides = 2, padding: "same" | "valid" = "valid") =>
  tf.layers.maxPooling2d({ name, poolSize: size, strides, padding }).apply(x) as T;
const avgPool = (x: T, name: string, size: number, strides: number, padding: "same" | "valid" = "valid") =>
  tf.layers.averagePooling2d({ name, poolSize: size, strides, padding }).apply(x) as T;
const dense = (x: T, name: string, units: number, activation: "relu" | "linear" | "tanh" = "linear") =>
  tf.layers.dense({ name, units, activation }).apply(x) as T;
const flatten = (x: T, name = "flatten") => tf.layers.flatten({ name }).apply(x) as T;
const gap = (x: T, name = "gap") => tf.layers.globalAveragePooling2d({ name }).apply(x) as T;
const dropout = (x: T, name: string, rate: number) => tf.layers.dropout({ name, rate }).apply(x) as T;
const concat = (xs: T[], name: string) => tf.layers.concatenate({ name }).apply(xs) as T;

/** LeNet-5 (LeCun et al. 1998, figure 2): C3 partially connected, S2/S4 trainable subsampling, fixed RBF output. */
export function lenet5(): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 1], name: "image" });
  let x = tf.layers.conv2d({ name: "C1", filters: 6, kernelSize: 5, activation: "tanh" }).apply(input) as T; // [28, 28, 6]
  x = tf.layers.activation({ name: "S2_tanh", activation: "tanh" }).apply(new Subsample({ name: "S2" }).apply(x)) as T; // [14, 14, 6]
  x = new PartialConv2D({ name: "C3", table: LENET_C3_TABLE, kernelSize: 5 }).apply(x) as T; // [10, 10, 16]
  x = tf.layers.activation({ name: "C3_tanh", activation: "tanh" }).apply(x) as T;
  x = tf.layers.activation({ name: "S4_tanh", activation: "tanh" }).apply(new Subsample({ name: "S4" }).apply(x)) as T; // [5, 5, 16]
  x = tf.layers.conv2d({ name: "C5", filters: 120, kernelSize: 5, activation: "tanh" }).apply(x) as T; // [1, 1, 120]
  x = dense(flatten(x), "F6", 84, "tanh");
  const out = new RBFOutput({ name: "output", units: 10 }).apply(x) as T;
  return tf.model({ name: "lenet5", inputs: input, outputs: out });
}

/**
 * AlexNet (Krizhevsky et al. 2012, figure 2). `towers: 2` is the paper's
 * two-GPU layout (conv2, conv4, conv5 see only their own tower's maps);
 * `towers: 1` is the single-tower variant torchvision ships (64, 192, 384,
 * 256, 256 filters).
 */
export function alexnet(opts: { towers?: 1 | 2 } = {}): tf.LayersModel {
  const two = (opts.towers ?? 2) === 2;
  const input = tf.input({ shape: two ? [227, 227, 3] : [224, 224, 3], name: "image" });
  const conv = (
    x: T,
    name: string,
    filters: number,
    k: number,
    s = 1,
    groups = 1,
    padding: "same" | "valid" = "same",
  ) =>
    groups > 1
      ? new GroupedConv2D({ name, filters, kernelSize: k, strides: s, groups, padding, activation: "relu" }).apply(
        x,
      ) as T
      : tf.layers.conv2d({ name, filters, kernelSize: k, strides: s, padding, activation: "relu" }).apply(x) as T;
  const w = two ? [96, 256, 384, 384, 256] : [64, 192, 384, 256, 256];
  const g = two ? 2 : 1;
  let x = conv(input, "conv1", w[0], 11, 4, 1, two ? "valid" : "same"); // [55, 55, 96]
  x = maxPool(x, "pool1"); // [27, 27, .]
  x = conv(x, "conv2", w[1], 5, 1, g);
  x = maxPool(x, "pool2"); // [13, 13, .]
  x = conv(x, "conv3", w[2], 3);
  x = conv(x, "conv4", w[3], 3, 1, g);
  x = conv(x, "conv5", w[4], 3, 1, g);
  x = maxPool(x, "pool5"); // [6, 6, 256]
  x = dropout(flatten(x), "drop6", 0.5);
  x = dropout(dense(x, "fc6", 4096, "relu"), "drop7", 0.5);
  x = dense(x, "fc7", 4096, "relu");
  return tf.model({ name: two ? "alexnet_2tower" : "alexnet", inputs: input, outputs: dense(x, "fc8", 1000) });
}

/** VGG-16, configuration D (Simonyan and Zisserman 2015, table 1). */
export function vgg16(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = input as T;
  const stages: Array<[number, number]> = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];
  stages.forEach(([filters, n], s) => {
    for (let i = 0; i < n; i++) {
      x = tf.layers.conv2d({
        name: `block${s + 1}_conv${i + 1}`,
        filters,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      })
        .apply(x) as T;
    }
    x = maxPool(x, `block${s + 1}_pool`, 2, 2); // halves the grid: 224 -> 7 after five
  });
  x = dense(flatten(x), "fc1", 4096, "relu"); // 7 * 7 * 512 = 25,088 inputs
  x = dense(x, "fc2", 4096, "relu");
  return tf.model({ name: "vgg16", inputs: input, outputs: dense(x, "predictions", 1000) });
}

/**
 * Network in Network (Lin et al. 2014): conv layers each followed by two
 * 1x1 "mlpconv" layers, global average pooling instead of fully connected
 * layers. The ImageNet layout of the authors' Caffe model.
 */
export function nin(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  const c = (x: T, name: string, filters: number, k: number, s = 1, padding: "same" | "valid" = "same") =>
    tf.layers.conv2d({ name, filters, kernelSize: k, strides: s, padding, activation: "relu" }).apply(x) as T;
  let x = c(input, "conv1", 96, 11, 4, "valid");
  x = c(c(x, "cccp1", 96, 1), "cccp2", 96, 1);
  x = maxPool(x, "pool1");
  x = c(x, "conv2", 256, 5);
  x = c(c(x, "cccp3", 256, 1), "cccp4", 256, 1);
  x = maxPool(x, "pool2");
  x = c(x, "conv3", 384, 3);
  x = c(c(x, "cccp5", 384, 1), "cccp6", 384, 1);
  x = dropout(maxPool(x, "pool3"), "drop", 0.5);
  x = c(x, "conv4", 1024, 3);
  x = c(c(x, "cccp7", 1024, 1), "cccp8", 1000, 1);
  return tf.model({ name: "nin", inputs: input, outputs: gap(x) });
}

/**
 * GoogLeNet (Szegedy et al. 2015, table 1), the 2014 network: no batch
 * norm, biases in every conv, local response normalisation left out (it has
 * no parameters). `aux: true` adds the two auxiliary classifiers on 4a and 4d.
 */
export function googlenet(opts: { aux?: boolean; bnAux?: boolean } = {}): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = convBn(input, { name: "conv1_7x7", filters: 64, kernel: 7, strides: 2 }); // [112, 112, 64]
  x = maxPool(x, "pool1", 3, 2, "same"); // [56, 56, 64]
  x = convBn(x, { name: "conv2_3x3r", filters: 64, kernel: 1 });
  x = convBn(x, { name: "conv2_3x3", filters: 192, kernel: 3 });
  x = maxPool(x, "pool2", 3, 2, "same"); // [28, 28, 192]
  x = inceptionModule(x, { name: "3a", c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 }); // 256
  x = inceptionModule(x, { name: "3b", c1: 128, c2: [128, 192], c3: [32, 96], c4: 64 }); // 480
  x = maxPool(x, "pool3", 3, 2, "same"); // [14, 14, 480]
  x = inceptionModule(x, { name: "4a", c1: 192, c2: [96, 208], c3: [16, 48], c4: 64 }); // 512
  const aux1 = x;
  x = inceptionModule(x, { name: "4b", c1: 160, c2: [112, 224], c3: [24, 64], c4: 64 });
  x = inceptionModule(x, { name: "4c", c1: 128, c2: [128, 256], c3: [24, 64], c4: 64 });
  x = inceptionModule(x, { name: "4d", c1: 112, c2: [144, 288], c3: [32, 64], c4: 64 }); // 528
  const aux2 = x;
  x = inceptionModule(x, { name: "4e", c1: 256, c2: [160, 320], c3: [32, 128], c4: 128 }); // 832
  x = maxPool(x, "pool4", 3, 2, "same"); // [7, 7, 832]
  x = inceptionModule(x, { name: "5a", c1: 256, c2: [160, 320], c3: [32, 128], c4: 128 });
  x = inceptionModule(x, { name: "5b", c1: 384, c2: [192, 384], c3: [48, 128], c4: 128 }); // 1024
  x = dropout(flatten(avgPool(x, "pool5", 7, 1)), "drop", 0.4);
  const outputs = [dense(x, "main", 1000)];
  if (opts.aux) {
    outputs.push(googlenetAuxHead(aux1, { name: "aux1", classes: 1000, bn: opts.bnAux, dropoutSeed: 1 }));
    outputs.push(googlenetAuxHead(aux2, { name: "aux2", classes: 1000, bn: opts.bnAux, dropoutSeed: 2 }));
  }
  return tf.model({ name: "googlenet", inputs: input, outputs });
}

/**
 * Inception-v3 (Szegedy et al. 2016, table 1) exactly as Keras builds it:
 * every conv without bias, followed by batch norm without scale, then ReLU;
 * no auxiliary head.
 */
export function inceptionV3(): tf.LayersModel {
  let n = 0;
  const cb = (x: T, filters: number, rows: number, cols: number, strides = 1, padding: "same" | "valid" = "same") =>
    convBn(x, { name: `conv${++n}`, filters, kernel: [rows, cols], strides, padding, bn: true, bnScale: false });
  const ap = (x: T, name: string) => avgPool(x, name, 3, 1, "same");
  const input = tf.input({ shape: [299, 299, 3], name: "image" });
  let x = cb(input, 32, 3, 3, 2, "valid"); // [149, 149, 32]
  x = cb(x, 32, 3, 3, 1, "valid");
  x = cb(x, 64, 3, 3);
  x = maxPool(x, "pool1"); // [73, 73, 64]
  x = cb(x, 80, 1, 1, 1, "valid");
  x = cb(x, 192, 3, 3, 1, "valid");
  x = maxPool(x, "pool2"); // [35, 35, 192]
  for (const [i, pool] of [32, 64, 64].entries()) { // mixed 0-2: 35 x 35 x 256/288
    const b1 = cb(x, 64, 1, 1);
    const b5 = cb(cb(x, 48, 1, 1), 64, 5, 5);
    const b3 = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = cb(ap(x, `mixed${i}_pool`), pool, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  }
  { // mixed 3: grid reduction to 17 x 17 x 768 (figure 10)
    const b3 = cb(x, 384, 3, 3, 2, "valid");
    const bd = cb(cb(cb(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, "valid");
    x = concat([b3, bd, maxPool(x, "mixed3_pool")], "mixed3");
  }
  for (const [i, c] of [128, 160, 160, 192].entries()) { // mixed 4-7: 17 x 17 x 768, 7x7 factorised (figure 6)
    const b1 = cb(x, 192, 1, 1);
    const b7 = cb(cb(cb(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    const bd = cb(cb(cb(cb(cb(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
    const bp = cb(ap(x, `mixed${i + 4}_pool`), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${i + 4}`);
  }
  { // mixed 8: grid reduction to 8 x 8 x 1280
    const b3 = cb(cb(x, 192, 1, 1), 320, 3, 3, 2, "valid");
    const b7 = cb(cb(cb(cb(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, "valid");
    x = concat([b3, b7, maxPool(x, "mixed8_pool")], "mixed8");
  }
  for (const i of [9, 10]) { // mixed 9-10: 8 x 8 x 2048, expanded filter banks (figure 7)
    const b1 = cb(x, 320, 1, 1);
    const b3 = cb(x, 384, 1, 1);
    const b3s = concat([cb(b3, 384, 1, 3), cb(b3, 384, 3, 1)], `mixed${i}_3x3`);
    const bd = cb(cb(x, 448, 1, 1), 384, 3, 3);
    const bds = concat([cb(bd, 384, 1, 3), cb(bd, 384, 3, 1)], `mixed${i}_dbl`);
    const bp = cb(ap(x, `mixed${i}_pool`), 192, 1, 1);
    x = concat([b1, b3s, bds, bp], `mixed${i}`);
  }
  return tf.model({ name: "inception_v3", inputs: input, outputs: dense(gap(x), "predictions", 1000) });
}

/** ResNet-18/34 (basic blocks) and ResNet-50 (bottlenecks), torchvision's layout (He et al. 2016, table 1). */
export function resnet(depth: 18 | 34 | 50, opts: { se?: number } = {}): tf.LayersModel {
  const layers = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3] }[depth];
  const bottleneck = depth === 50;
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = convBn(input, { name: "conv1", filters: 64, kernel: 7, strides: 2, bn: true }); // [112, 112, 64]
  x = maxPool(x, "pool1", 3, 2, "same"); // [56, 56, 64]
  let channels = 64;
  layers.forEach((n, s) => {
    const filters = 64 * 2 ** s;
    for (let b = 0; b < n; b++) {
      const strides = s > 0 && b === 0 ? 2 : 1;
      const out = bottleneck ? 4 * filters : filters;
      x = residualBlock(x, {
        name: `layer${s + 1}_${b}`,
        filters,
        strides,
        projection: strides !== 1 || channels !== out,
        bottleneck,
        se: opts.se,
      });
      channels = out;
    }
  });
  const name = `${opts.se ? "se_" : ""}resnet${depth}`;
  return tf.model({ name, inputs: input, outputs: dense(gap(x), "fc", 1000) });
}

/** DenseNet-121 (Huang et al. 2017, table 1), torchvision's layout: growth 32, blocks 6-12-24-16, compression 0.5. */
export function densenet121(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = convBn(input, { name: "conv0", filters: 64, kernel: 7, strides: 2, bn: true });
  x = maxPool(x, "pool0", 3, 2, "same"); // [56, 56, 64]
  [6, 12, 24, 16].forEach((layers, i) => {
    x = denseBlock(x, { name: `dense${i + 1}`, layers, growth: 32 });
    if (i < 3) { // transition: BN, ReLU, 1x1 conv halving the channels, 2x2 average pool
      x = new BatchNorm({ name: `trans${i + 1}_bn` }).apply(x) as T;
      x = new ReLU({ name: `trans${i + 1}_relu` }).apply(x) as T;
      x = tf.layers.conv2d({ name: `trans${i + 1}_conv`, filters: x.shape[3]! / 2, kernelSize: 1, useBias: false })
        .apply(x) as T;
      x = avgPool(x, `trans${i + 1}_pool`, 2, 2);
    }
  });
  x = new ReLU({ name: "norm5_relu" }).apply(new BatchNorm({ name: "norm5" }).apply(x)) as T;
  return tf.model({ name: "densenet121", inputs: input, outputs: dense(gap(x), "classifier", 1000) });
}

/** MobileNet-v1 (Howard et al. 2017, table 1), width 1.0, as Keras builds it (1x1 conv classifier). */
export function mobilenetV1(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = convBn(input, { name: "conv1", filters: 32, kernel: 3, strides: 2, bn: true, activation: "relu6" });
  const spec: Array<[number, number]> = [
    [64, 1],
    [128, 2],
    [128, 1],
    [256, 2],
    [256, 1],
    [512, 2],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [512, 1],
    [1024, 2],
    [1024, 1],
  ];
  spec.forEach(([filters, strides], i) => x = depthwiseSeparable(x, { name: `dws${i + 1}`, filters, strides }));
  x = tf.layers.reshape({ name: "gap_4d", targetShape: [1, 1, 1024] }).apply(gap(x)) as T;
  x = tf.layers.conv2d({ name: "conv_preds", filters: 1000, kernelSize: 1 }).apply(dropout(x, "drop", 1e-3)) as T;
  return tf.model({ name: "mobilenet_v1", inputs: input, outputs: flatten(x, "predictions") });
}

/** EfficientNet-B0 (Tan and Le 2019, table 1), torchvision's layout. */
export function efficientnetB0(): tf.LayersModel {
  const input = tf.input({ shape: [224, 224, 3], name: "image" });
  let x = convBn(input, { name: "stem", filters: 32, kernel: 3, strides: 2, bn: true, activation: "swish" });
  // [expand, kernel, stride, filters, layers]
  const stages: Array<[number, number, number, number, number]> = [
    [1, 3, 1, 16, 1],
    [6, 3, 2, 24, 2],
    [6, 5, 2, 40, 2],
    [6, 3, 2, 80, 3],
    [6, 5, 1, 112, 3],
    [6, 5, 2, 192, 4],
    [6, 3, 1, 320, 1],
  ];
  stages.forEach(([expand, kernel, stride, filters, n], s) => {
    for (let i = 0; i < n; i++) {
      x = mbConv(x, { name: `mb${s + 1}_${i + 1}`, filters, expand, kernel, strides: i === 0 ? stride : 1 });
    }
  });
  x = convBn(x, { name: "head", filters: 1280, kernel: 1, bn: true, activation: "swish" });
  return tf.model({
    name: "efficientnet_b0",
    inputs: input,
    outputs: dense(dropout(gap(x), "drop", 0.2), "classifier", 1000),
  });
}

/** What a zoo entry's count is checked against. */
export interface Reference {
  /** The published count. */
  count: number;
  /** Which implementation or paper, and where. */
  source: string;
  /** `trainable` (torchvision's convention) or `total` (Keras's: every weight, running statistics included). */
  counts: "trainable" | "total";
  /** Allowed relative difference; 0 for exact. */
  tolerance: number;
  /** Why a tolerance, or why this reference. */
  note: string;
}

/** One zoo entry. */
export interface ZooEntry {
  /** Builds the model at its native input size. */
  build: () => tf.LayersModel;
  /** Paper. */
  paper: string;
  /** The count it is checked against. */
  reference: Reference;
  /** ImageNet top-1 accuracy (%), with its source, for the efficiency chart; absent where no ImageNet model. */
  top1?: { value: number; source: string };
}

const TV = "torchvision 0.2x model documentation";

/** The zoo, in the order the notes meet the models. */
export const ZOO: Record<string, ZooEntry> = {
  lenet5: {
    build: lenet5,
    paper: "LeCun et al. 1998",
    reference: {
      count: 60000,
      source: "notes 002; LeCun et al. 1998, section II.B",
      counts: "trainable",
      tolerance: 0,
      note: "156 + 12 + 1,516 + 32 + 48,120 + 10,164; the RBF output's 840 parameters are fixed by hand, not trained",
    },
  },
  alexnet_2tower: {
    build: () => alexnet({ towers: 2 }),
    paper: "Krizhevsky et al. 2012",
    reference: {
      count: 60e6,
      source: "notes 002 ('60 million'); Krizhevsky et al. 2012, section 1 ('60 million parameters')",
      counts: "trainable",
      tolerance: 0.05,
      note: "a rounded figure",
    },
    top1: { value: 62.5, source: "Krizhevsky et al. 2012, table 1 (1 CNN, 37.5% top-1 error on ILSVRC-2010)" },
  },
  alexnet: {
    build: () => alexnet({ towers: 1 }),
    paper: "Krizhevsky 2014 ('one weird trick'), as torchvision ships it",
    reference: {
      count: 61100840,
      source: TV,
      counts: "trainable",
      tolerance: 0,
      note: "torchvision's single-tower AlexNet",
    },
  },
  vgg16: {
    build: vgg16,
    paper: "Simonyan and Zisserman 2015",
    reference: {
      count: 138357544,
      source: `${TV}; Keras applications (same)`,
      counts: "trainable",
      tolerance: 0,
      note: "",
    },
    top1: { value: 71.6, source: "torchvision VGG16_Weights.IMAGENET1K_V1 (71.592%)" },
  },
  nin: {
    build: nin,
    paper: "Lin et al. 2014",
    reference: {
      count: 7.6e6,
      source: "the authors' ImageNet Caffe model (about 7.6M)",
      counts: "trainable",
      tolerance: 0.05,
      note: "the paper gives no ImageNet count; a rounded figure",
    },
  },
  googlenet: {
    build: () => googlenet(),
    paper: "Szegedy et al. 2015",
    reference: {
      count: 6.8e6,
      source: "notes 000; Szegedy et al. 2015, table 1 (params column, about 6.8M)",
      counts: "trainable",
      tolerance: 0.05,
      note: "table 1 rounds every layer's count; biases included here",
    },
    top1: { value: 69.8, source: "torchvision GoogLeNet_Weights.IMAGENET1K_V1 (69.778%, a batch-norm variant)" },
  },
  inception_v3: {
    build: inceptionV3,
    paper: "Szegedy et al. 2016",
    reference: {
      count: 23851784,
      source: "Keras applications InceptionV3 (include_top, no auxiliary head)",
      counts: "total",
      tolerance: 0,
      note: "Keras counts batch norm's moving statistics; its batch norms have no scale",
    },
    top1: { value: 77.3, source: "torchvision Inception_V3_Weights.IMAGENET1K_V1 (77.294%)" },
  },
  resnet18: {
    build: () => resnet(18),
    paper: "He et al. 2016",
    reference: { count: 11689512, source: TV, counts: "trainable", tolerance: 0, note: "" },
    top1: { value: 69.8, source: "torchvision ResNet18_Weights.IMAGENET1K_V1 (69.758%)" },
  },
  resnet34: {
    build: () => resnet(34),
    paper: "He et al. 2016",
    reference: { count: 21797672, source: TV, counts: "trainable", tolerance: 0, note: "" },
    top1: { value: 73.3, source: "torchvision ResNet34_Weights.IMAGENET1K_V1 (73.314%)" },
  },
  resnet50: {
    build: () => resnet(50),
    paper: "He et al. 2016",
    reference: {
      count: 25557032,
      source: TV,
      counts: "trainable",
      tolerance: 0,
      note: "torchvision, not Keras's 25,636,712 (Keras adds conv biases and counts running statistics)",
    },
    top1: { value: 76.1, source: "torchvision ResNet50_Weights.IMAGENET1K_V1 (76.130%)" },
  },
  densenet121: {
    build: densenet121,
    paper: "Huang et al. 2017",
    reference: {
      count: 7978856,
      source: TV,
      counts: "trainable",
      tolerance: 0,
      note: "torchvision, not Keras's 8,062,504 (which counts running statistics)",
    },
    top1: { value: 74.4, source: "torchvision DenseNet121_Weights.IMAGENET1K_V1 (74.434%)" },
  },
  se_resnet50: {
    build: () => resnet(50, { se: 16 }),
    paper: "Hu et al. 2018",
    reference: {
      count: 28088024,
      source: "Hu et al. 2018, table 1 (28.09M); ResNet-50 plus two 1x1 layers per block, reduction 16",
      counts: "trainable",
      tolerance: 0,
      note: "",
    },
    top1: { value: 76.7, source: "Hu et al. 2018, table 2 (23.29% top-1 error, single crop)" },
  },
  mobilenet_v1: {
    build: mobilenetV1,
    paper: "Howard et al. 2017",
    reference: {
      count: 4253864,
      source: "Keras applications MobileNet (alpha 1.0, 224)",
      counts: "total",
      tolerance: 0,
      note: "Keras counts batch norm's moving statistics",
    },
    top1: { value: 70.6, source: "Howard et al. 2017, table 8 (1.0 MobileNet-224)" },
  },
  efficientnet_b0: {
    build: efficientnetB0,
    paper: "Tan and Le 2019",
    reference: {
      count: 5288548,
      source: TV,
      counts: "trainable",
      tolerance: 0,
      note:
        "torchvision, not Keras's 5,330,571 (which adds an input normalisation layer and counts running statistics)",
    },
    top1: { value: 77.7, source: "torchvision EfficientNet_B0_Weights.IMAGENET1K_V1 (77.692%)" },
  },
  cifar_resnet20: {
    build: () => buildCifarNet({ depth: 20, shortcuts: true, side: 32, channels: 3 }),
    paper: "He et al. 2016, section 4.2",
    reference: {
      count: 0.27e6,
      source: "He et al. 2016, table 6 (0.27M)",
      counts: "trainable",
      tolerance: 0.02,
      note:
        "the paper's 0.27M uses zero-padding shortcuts (option A); this net projects where the shape changes (option B), +2,752",
    },
  },
  cifar_resnet56: {
    build: () => buildCifarNet({ depth: 56, shortcuts: true, side: 32, channels: 3 }),
    paper: "He et al. 2016, section 4.2",
    reference: {
      count: 0.85e6,
      source: "He et al. 2016, table 6 (0.85M)",
      counts: "trainable",
      tolerance: 0.02,
      note: "option B projections as above",
    },
  },
};
