/**
 * What the notes audit computes to check a note's number: measurements of
 * built layers and nets, and look-ups in the zoo's per-layer cost tables
 * (`costs.json`, lib/models/accounting.ts). Each check is a named function
 * in {@link NOTE_CHECKS}; an audit record names one with its arguments
 * (`["layerParams", "lenet5", "C1"]`), so the records stay data.
 *
 * ```ts
 * runNoteCheck(["stackWeights", [[3, 3], [3, 3]]], tables); // 18
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { accountModel, countWeights, type LayerCost, type ModelCost } from "./accounting.ts";
import { buildCifarNet } from "./cifar_net.ts";
import { gridReduction } from "./grid_net.ts";
import { LENET_C3_TABLE, ReLU, Subsample } from "./layers.ts";
import { DeformConv2D } from "./deformable_conv.ts";
import { ZOO } from "./zoo.ts";

/** The zoo's per-layer cost tables, by model name (`costs.json`'s `tables`). */
export type CostTables = Record<string, ModelCost>;

/** One zoo model's table, or a RangeError that says what to run. */
export function costTable(tables: CostTables, model: string): ModelCost {
  const t = tables[model];
  if (!t) throw new RangeError(`model-zoo: no ${model} in costs.json; run the experiment first`);
  return t;
}

/** One layer of a zoo model's table. */
export function costLayer(tables: CostTables, model: string, name: string): LayerCost {
  const l = costTable(tables, model).layers.find((x) => x.name === name);
  if (!l) throw new RangeError(`model-zoo: ${model} has no layer ${name}`);
  return l;
}

/** Kernel weights of a built conv or dense layer: its parameters less one bias per output channel. */
function kernelWeights(l: LayerCost): number {
  return l.params - l.output[l.output.length - 1];
}

/** Counts the weights of a small built model, then frees it. */
function weightsOf(inputs: tf.SymbolicTensor, outputs: tf.SymbolicTensor): number {
  const m = tf.model({ inputs, outputs });
  const n = countWeights(m.weights);
  m.dispose();
  return n;
}

/** Builds a zoo model, measures something on it, and frees it. */
function onBuilt(name: string, f: (m: tf.LayersModel) => number): number {
  const m = ZOO[name].build();
  try {
    return f(m);
  } finally {
    m.dispose();
  }
}

/**
 * Depth counted the way GoogLeNet's paper counts it: layers with
 * parameters along the longest input-to-output path of the built net
 * (pooling and concatenation do not count; batch norm does not either).
 */
export function weightedDepth(model: tf.LayersModel): number {
  const depth = new Map<string, number>();
  for (const l of model.layers) {
    const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => depth.get(p.name) ?? 0));
    const own = l.countParams() > 0 && !/BatchNorm/i.test(l.getClassName()) ? 1 : 0;
    depth.set(l.name, own + (inbound.length ? Math.max(...inbound) : 0));
  }
  return Math.max(...model.outputs.map((o) => depth.get(o.sourceLayer.name) ?? 0));
}

/** Paths from input to output through a built net's layer graph (each residual block: two ways through). */
export function pathCount(model: tf.LayersModel): number {
  const ways = new Map<string, number>();
  for (const l of model.layers) {
    const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name));
    ways.set(l.name, inbound.length ? inbound.reduce((s, p) => s + (ways.get(p) ?? 0), 0) : 1);
  }
  return ways.get(model.getLayer("main").name)!;
}

/** Weights of C to C channels through a stack of built convolutions of the given kernel shapes (no biases). */
export function stackWeights(kernels: Array<[number, number]>, channels = 1): number {
  const x = tf.input({ shape: [9, 9, channels] });
  let y = x as tf.SymbolicTensor;
  for (const [r, c] of kernels) {
    y = tf.layers.conv2d({ filters: channels, kernelSize: [r, c], padding: "same", useBias: false }).apply(
      y,
    ) as tf.SymbolicTensor;
  }
  return weightsOf(x, y);
}

/** Kernel weights of a chain of built convs (`[in, out, kernel]` each, no biases). */
export function convChainWeights(layers: Array<[number, number, number]>): number {
  const x = tf.input({ shape: [8, 8, layers[0][0]] });
  let y = x as tf.SymbolicTensor;
  for (const [, out, k] of layers) {
    y = tf.layers.conv2d({ filters: out, kernelSize: k, padding: "same", useBias: false }).apply(
      y,
    ) as tf.SymbolicTensor;
  }
  return weightsOf(x, y);
}

/** Weights of a built Dense layer without bias. */
export function denseWeights(inputs: number, units: number): number {
  const x = tf.input({ shape: [inputs] });
  return weightsOf(x, tf.layers.dense({ units, useBias: false }).apply(x) as tf.SymbolicTensor);
}

/** Receptive field of a stack of stride-1 k x k convolutions, from the built stack's response to one pixel. */
export function receptiveField(kernels: number[]): number {
  const side = 15;
  const x = tf.input({ shape: [side, side, 1] });
  let y = x as tf.SymbolicTensor;
  for (const k of kernels) {
    y = tf.layers.conv2d({
      filters: 1,
      kernelSize: k,
      padding: "same",
      useBias: false,
      kernelInitializer: "ones",
    }).apply(y) as tf.SymbolicTensor;
  }
  const m = tf.model({ inputs: x, outputs: y });
  const impulse = tf.buffer([1, side, side, 1]);
  impulse.set(1, 0, 7, 7, 0);
  const out = tf.tidy(() => (m.predict(impulse.toTensor()) as tf.Tensor).greater(0).sum(1).max().dataSync()[0]);
  m.dispose();
  return out;
}

/** Output side of a convolution built in TF.js with explicit symmetric zero padding. */
export function builtSide(input: number, kernel: number, stride: number, pad: number): number {
  const x = tf.input({ shape: [input, input, 1] });
  const padded = pad ? tf.layers.zeroPadding2d({ padding: pad }).apply(x) as tf.SymbolicTensor : x;
  const y = tf.layers.conv2d({ filters: 1, kernelSize: kernel, strides: stride, padding: "valid" }).apply(
    padded,
  ) as tf.SymbolicTensor;
  return y.shape[1]!;
}

/** Multiply-adds of a built chain of same-padded convs on a `side` x `side` input (`[in, out, kernel]` each). */
export function convChainMadds(side: number, layers: Array<[number, number, number]>): number {
  const x = tf.input({ shape: [side, side, layers[0][0]] });
  let y = x as tf.SymbolicTensor;
  for (const [, out, k] of layers) {
    y = tf.layers.conv2d({ filters: out, kernelSize: k, padding: "same", useBias: false }).apply(
      y,
    ) as tf.SymbolicTensor;
  }
  const m = tf.model({ inputs: x, outputs: y });
  const madds = accountModel(m).totals.madds;
  m.dispose();
  return madds;
}

/**
 * The dimension of the set of single-channel kernels a chain of linear
 * convolutions can compose (no non-linearity between them): the rank of the
 * Jacobian of the map from the chain's weights to the composed kernel, at
 * random weights (generic rank). A free k x k kernel has k^2; two 3x3 compose
 * a 5x5 from 18 weights with one redundant scale, 17; a 1x3 then a 3x1
 * compose only rank-1 3x3 kernels, 5 of 9. With C channels each figure
 * scales by C^2 (the same count per input-output pair).
 */
export function composedKernelDim(kernels: Array<[number, number]>, seed = 7): number {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const ks = kernels.map(([r, c]) => ({ r, c, w: Array.from({ length: r * c }, rand) }));
  // Full 2-D convolution of two kernels (as the composed linear layers apply them).
  const conv = (a: { r: number; c: number; w: number[] }, b: { r: number; c: number; w: number[] }) => {
    const r = a.r + b.r - 1, c = a.c + b.c - 1, w = new Array(r * c).fill(0);
    for (let i = 0; i < a.r; i++) {
      for (let j = 0; j < a.c; j++) {
        for (let k = 0; k < b.r; k++) {
          for (let l = 0; l < b.c; l++) w[(i + k) * c + j + l] += a.w[i * a.c + j] * b.w[k * b.c + l];
        }
      }
    }
    return { r, c, w };
  };
  const compose = (list: typeof ks) => list.reduce(conv);
  // Each column of the Jacobian: the composed kernel with one weight set to 1 and the others' weights as they are
  // (the composition is linear in each kernel's weights).
  const columns: number[][] = [];
  ks.forEach((k, i) => {
    for (let p = 0; p < k.w.length; p++) {
      const unit = { ...k, w: k.w.map((_, q) => (q === p ? 1 : 0)) };
      columns.push(compose(ks.map((x, j) => (j === i ? unit : x))).w);
    }
  });
  return rank(columns);
}

/** The rank of a set of vectors, by Gaussian elimination with partial pivoting (relative tolerance 1e-9). */
function rank(vectors: number[][]): number {
  const m = vectors.map((v) => [...v]);
  const n = m[0]?.length ?? 0;
  const scale = Math.max(1e-300, ...m.flat().map(Math.abs));
  let r = 0;
  for (let col = 0; col < n && r < m.length; col++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i][col]) > Math.abs(m[best][col])) best = i;
    if (Math.abs(m[best][col]) <= 1e-9 * scale) continue;
    [m[r], m[best]] = [m[best], m[r]];
    for (let i = r + 1; i < m.length; i++) {
      const f = m[i][col] / m[r][col];
      for (let j = col; j < n; j++) m[i][j] -= f * m[r][j];
    }
    r++;
  }
  return r;
}

/** The output pixels one input pixel reaches through a built layer (a pooling's fan-out: 1 when windows do not overlap). */
export function fanOut(layer: tf.layers.Layer, side: number): number {
  const x = tf.input({ shape: [side, side, 1] });
  const m = tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
  // The most outputs any pixel reaches: with a stride, how many windows cover a pixel depends on where it sits.
  const c = Math.floor(side / 2);
  let most = 0;
  for (const [i, j] of [[c, c], [c + 1, c], [c, c + 1], [c + 1, c + 1]]) {
    most = Math.max(
      most,
      tf.tidy(() => {
        const impulse = tf.buffer([1, side, side, 1]);
        impulse.set(1, 0, i, j, 0);
        const d = tf.sub(
          m.predict(impulse.toTensor()) as tf.Tensor,
          m.predict(tf.zeros([1, side, side, 1])) as tf.Tensor,
        );
        return tf.sum(tf.cast(tf.greater(tf.abs(d), 1e-12), "int32")).dataSync()[0];
      }),
    );
  }
  m.dispose();
  return most;
}

/**
 * The named checks: each takes the zoo's cost tables first (unused by those
 * that build their own layers), then its arguments, and returns the number
 * (or shape) the note's statement is compared with.
 */
export const NOTE_CHECKS = {
  /** Every weight of a zoo model's layer. */
  layerParams: (t: CostTables, model: string, layer: string) => costLayer(t, model, layer).params,
  /** A zoo model's layer's output shape (height x width x channels, or units). */
  layerOutput: (t: CostTables, model: string, layer: string) => costLayer(t, model, layer).output,
  /** The side (height) of a zoo model's layer's output. */
  layerSide: (t: CostTables, model: string, layer: string) => costLayer(t, model, layer).output[0],
  /** The number of units (last output axis) of a zoo model's layer. */
  layerUnits: (t: CostTables, model: string, layer: string) => costLayer(t, model, layer).output.at(-1)!,
  /** The input channels of each k x k kernel of a zoo model's conv layer (one bias per filter). */
  kernelDepth: (t: CostTables, model: string, layer: string, k: number) => {
    const l = costLayer(t, model, layer);
    return kernelWeights(l) / (k * k * l.output[l.output.length - 1]);
  },
  /** A dense layer's inputs per unit: its kernel weights over its units. */
  inputsPerUnit: (t: CostTables, model: string, layer: string) => {
    const l = costLayer(t, model, layer);
    return kernelWeights(l) / l.output[l.output.length - 1];
  },
  /** The input side of a valid k x k conv layer of a zoo model, from its output (side + k - 1). */
  validConvInput: (t: CostTables, model: string, layer: string, k: number) => {
    const o = costLayer(t, model, layer).output;
    return [o[0] + k - 1, o[1] + k - 1];
  },
  /** The input side of a zoo model: its input layer's, or from its first stride-2 valid 3x3 conv. */
  inputSide: (t: CostTables, model: string, firstConv: string) => {
    const input = costTable(t, model).layers.find((l) => l.type === "InputLayer");
    return input ? input.output[0] : 2 * costLayer(t, model, firstConv).output[0] + 1;
  },
  /** A zoo model's trainable parameters, divided by `per` (1,000 for thousands). */
  trainable: (t: CostTables, model: string, per: number) => costTable(t, model).totals.trainable / per,
  /** Trainable parameters of zoo model `a` over those of `b`. */
  trainableRatio: (t: CostTables, a: string, b: string) =>
    costTable(t, a).totals.trainable / costTable(t, b).totals.trainable,
  /** A zoo model's multiply-adds per image, divided by `per`. */
  madds: (t: CostTables, model: string, per: number) => costTable(t, model).totals.madds / per,
  /** How many layers of a TF.js class (`Dense`, `Add`, `Concatenate`, ...) a zoo model has. */
  layersOfType: (t: CostTables, model: string, type: string) =>
    costTable(t, model).layers.filter((l) => l.type === type).length,
  /** 1 when a zoo model has a layer of that name, 0 when it has none. */
  hasLayer: (t: CostTables, model: string, layer: string) =>
    costTable(t, model).layers.some((l) => l.name === layer) ? 1 : 0,
  /** How many different channel counts the listed layers of a zoo model output (1: all equal). */
  distinctChannels: (t: CostTables, model: string, layers: string[]) =>
    new Set(layers.map((l) => costLayer(t, model, l).output.at(-1))).size,
  /** The dimension of the kernels a chain of linear convolutions composes (see {@link composedKernelDim}). */
  composedKernelDim: (_t: CostTables, kernels: Array<[number, number]>) => composedKernelDim(kernels),
  /** Output pixels one input pixel reaches through LeNet-5's built subsampling layer (S2's kind) on a 28x28 map. */
  lenetSubsampleFanOut: (_t: CostTables) => fanOut(new Subsample({ name: "S2" }), 28),
  /** Output pixels one input pixel reaches through a zoo model's pooling layer, rebuilt from its config (1: no overlap). */
  poolFanOut: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => fanOut(tf.layers.maxPooling2d(m.getLayer(layer).getConfig() as never), 31)),
  /** Output shape of a built same-padded k x k conv from `channels` to `filters` maps on `side` x `side`. */
  convOutput: (_t: CostTables, side: number, channels: number, filters: number, k: number) => {
    const x = tf.input({ shape: [side, side, channels] });
    const y = tf.layers.conv2d({ filters, kernelSize: k, padding: "same", useBias: false }).apply(
      x,
    ) as tf.SymbolicTensor;
    return y.shape.slice(1) as number[];
  },
  /** Output side of a built deformable 3x3 convolution on a `side` x `side` map. */
  deformOutputSide: (_t: CostTables, side: number, k: number) => {
    const x = tf.input({ shape: [side, side, 1] });
    return (new DeformConv2D({ name: "deform", filters: 1, kernelSize: k }).apply(x) as tf.SymbolicTensor).shape[1]!;
  },
  /** The symmetric zero padding a k x k, stride-s built conv needs to map `input` to `output` pixels (NaN: none). */
  paddingFor: (_t: CostTables, input: number, k: number, stride: number, output: number) => {
    for (let p = 0; p <= k; p++) if (builtSide(input, k, stride, p) === output) return p;
    return NaN;
  },
  /** ReLU layers a built CIFAR residual net of a depth has beyond its plain twin (what the shortcuts add). */
  reluLayersAddedByShortcuts: (_t: CostTables, depth: number) => {
    const count = (shortcuts: boolean) => {
      const m = buildCifarNet({ depth, shortcuts });
      const n = m.layers.filter((l) => l instanceof ReLU).length;
      m.dispose();
      return n;
    };
    return count(true) - count(false);
  },
  /** Parameters (weights and biases) of a chain of built Dense layers (`[inputs, units]` each). */
  denseChainParams: (_t: CostTables, layers: Array<[number, number]>) =>
    layers.reduce((s, [i, u]) => {
      const x = tf.input({ shape: [i] });
      return s + weightsOf(x, tf.layers.dense({ units: u }).apply(x) as tf.SymbolicTensor);
    }, 0),
  /** Multiply-adds per image of zoo model `a` over those of `b`. */
  maddsRatio: (t: CostTables, a: string, b: string) => costTable(t, a).totals.madds / costTable(t, b).totals.madds,
  /** The share (%) of a zoo model's trainable parameters in its fully connected (Dense) layers. */
  denseShare: (t: CostTables, model: string) => {
    const m = costTable(t, model);
    return 100 * m.layers.filter((l) => l.type === "Dense").reduce((s, l) => s + l.trainable, 0) /
      m.totals.trainable;
  },
  /** Layers with parameters of a zoo model (its weight layers: convs and dense). */
  weightLayers: (t: CostTables, model: string) => costTable(t, model).layers.filter((l) => l.params > 0).length,
  /** Inception modules of a zoo model: its modules' concatenations (Keras names them `inception..._concat`). */
  inceptionModules: (t: CostTables, model: string) =>
    costTable(t, model).layers.filter((l) => /^inception.*_concat$/.test(l.name)).length,
  /** Parameters of LeNet-5's C3 maps `from` to `to` - 1 (LeCun et al. 1998, table 1: 5x5 per input map, a bias). */
  lenetC3Maps: (t: CostTables, from: number, to: number) => {
    const perMap = (row: number[]) => 25 * row.length + 1;
    const built = costLayer(t, "lenet5", "C3").params;
    // The built layer has one 5x5x|row| kernel and one bias per output map; its total is the sum over all 16.
    if (LENET_C3_TABLE.reduce((s, r) => s + perMap(r), 0) !== built) throw new Error("C3's table and layer disagree");
    return LENET_C3_TABLE.slice(from, to).reduce((s, r) => s + perMap(r), 0);
  },
  /** The terms a note adds, added (to check its arithmetic as written). */
  sum: (_t: CostTables, terms: number[]) => terms.reduce((a, b) => a + b, 0),
  /** Depth of a built zoo model, counted as GoogLeNet's paper counts (see {@link weightedDepth}). */
  zooDepth: (_t: CostTables, model: string) => onBuilt(model, weightedDepth),
  /** Input-to-output paths of the built CIFAR residual net of a depth. */
  residualPaths: (_t: CostTables, depth: number) => {
    const m = buildCifarNet({ depth, shortcuts: true });
    try {
      return pathCount(m);
    } finally {
      m.dispose();
    }
  },
  /** Weights of a built stack of kernels (one channel). */
  stackWeights: (_t: CostTables, kernels: Array<[number, number]>) => stackWeights(kernels),
  /** Weights of stack `a` over stack `b`. */
  stackRatio: (_t: CostTables, a: Array<[number, number]>, b: Array<[number, number]>) =>
    stackWeights(a) / stackWeights(b),
  /** The saving (%) of stack `a` against stack `b`: 100 (1 - a / b). */
  stackSaving: (_t: CostTables, a: Array<[number, number]>, b: Array<[number, number]>) =>
    100 * (1 - stackWeights(a) / stackWeights(b)),
  /** Receptive field of built stride-1 convs. */
  receptiveField: (_t: CostTables, kernels: number[]) => receptiveField(kernels),
  /** Output side of a built conv with explicit padding. */
  builtSide: (_t: CostTables, input: number, kernel: number, stride: number, pad: number) =>
    builtSide(input, kernel, stride, pad),
  /** Kernel weights of a built conv chain, over `per`. */
  convChainWeights: (_t: CostTables, layers: Array<[number, number, number]>) => convChainWeights(layers),
  /** Kernel weights of chain `a` over chain `b`. */
  convChainRatio: (_t: CostTables, a: Array<[number, number, number]>, b: Array<[number, number, number]>) =>
    convChainWeights(a) / convChainWeights(b),
  /** Multiply-adds of a built conv chain on a square input, over `per` (1e6 for millions). */
  convChainMadds: (_t: CostTables, side: number, layers: Array<[number, number, number]>, per: number) =>
    convChainMadds(side, layers) / per,
  /** Weights of a built Dense layer without bias, over `per`. */
  denseWeights: (_t: CostTables, inputs: number, units: number, per: number) => denseWeights(inputs, units) / per,
  /** Weights of a chain of built Dense layers without bias (`[inputs, units]` each). */
  denseChainWeights: (_t: CostTables, layers: Array<[number, number]>) =>
    layers.reduce((s, [i, u]) => s + denseWeights(i, u), 0),
  /** Parameters of a built global average pooling over `side` x `side` x `channels`. */
  gapParams: (_t: CostTables, side: number, channels: number) => {
    const x = tf.input({ shape: [side, side, channels] });
    return weightsOf(x, tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor);
  },
  /** The kernel shape (h x w x input channels) of a built k x k conv on `channels` input maps. */
  kernelShape: (_t: CostTables, side: number, channels: number, filters: number, k: number) => {
    const x = tf.input({ shape: [side, side, channels] });
    const conv = tf.layers.conv2d({ filters, kernelSize: k, padding: "same" });
    conv.apply(x);
    return (conv.getWeights()[0].shape as number[]).slice(0, 3);
  },
  /** Output channels of the built parallel grid reduction on `side` x `side` x `k`. */
  parallelReductionChannels: (_t: CostTables, side: number, k: number) => {
    const x = tf.input({ shape: [side, side, k] });
    return gridReduction(x, { kind: "parallel", k }).shape[3]!;
  },
  // Checks added for note 000.
  // Checks added for note 001.
  // Checks added for note 002.
  // Checks added for note 003.
  // Checks added for note 004.
};

/** A check's name. */
export type NoteCheckName = keyof typeof NOTE_CHECKS;

/** A check with its arguments, as an audit record names it: `[name, ...arguments]`. */
export type NoteCheck = {
  [K in NoteCheckName]: [K, ...(Parameters<typeof NOTE_CHECKS[K]> extends [CostTables, ...infer A] ? A : never)];
}[NoteCheckName];

/** Runs a named check on the zoo's cost tables. */
export function runNoteCheck(check: NoteCheck, tables: CostTables): number | number[] {
  const [name, ...args] = check;
  return (NOTE_CHECKS[name] as (t: CostTables, ...a: unknown[]) => number | number[])(tables, ...args);
}
