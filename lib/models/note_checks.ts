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

/**
 * Zoo models built once per process and kept: the notes audit reads most of
 * them many times (configs, topology, weight shapes; never changed), and
 * building VGG-16 alone takes seconds. About 1.3 GB of weights when every
 * check has run; the audit runs where nothing trains after it.
 */
const BUILT = new Map<string, tf.LayersModel>();

/** A zoo model, built on first use (see {@link BUILT}). */
function built(name: string): tf.LayersModel {
  let m = BUILT.get(name);
  if (!m) BUILT.set(name, m = ZOO[name].build());
  return m;
}

/** Measures something on a built zoo model. */
function onBuilt<T>(name: string, f: (m: tf.LayersModel) => T): T {
  return f(built(name));
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
  // Checks for note 000's entries.
  /** Multiply-adds of built conv chain `a` over those of chain `b`, both on a `side` x `side` input (same-padded). */
  convChainMaddsRatio: (
    _t: CostTables,
    side: number,
    a: Array<[number, number, number]>,
    b: Array<[number, number, number]>,
  ) => convChainMadds(side, a) / convChainMadds(side, b),
  /** The kernel size [rows, columns] of a zoo model's built conv or pooling layer, from its config. */
  layerKernel: (_t: CostTables, model: string, layer: string) => {
    const m = built(model);
    const c = m.getLayer(layer).getConfig() as { kernelSize?: number[]; poolSize?: number[] };
    return [...(c.kernelSize ?? c.poolSize ?? [])];
  },
  /** The stride (along rows) of a zoo model's built conv or pooling layer, from its config. */
  layerStride: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => (m.getLayer(layer).getConfig() as { strides: number[] }).strides[0]),
  /**
   * The share (%) of a zoo model's Inception modules (`inception<name>_concat`) whose four branches start from one
   * and the same layer: the built `_1x1`, `_3x3r`, `_5x5r` and `_pool` layers all read one input.
   */
  modulesWithOneInput: (_t: CostTables, model: string) =>
    onBuilt(model, (m) => {
      const modules = m.layers.flatMap((l) => l.name.match(/^(inception\w+)_concat$/)?.[1] ?? []);
      const one = modules.filter((p) => {
        const inputs = ["_1x1", "_3x3r", "_5x5r", "_pool"].flatMap((s) =>
          m.getLayer(`${p}${s}`).inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name))
        );
        return inputs.length === 4 && new Set(inputs).size === 1;
      });
      return 100 * one.length / modules.length;
    }),
  /**
   * Multiply-adds of a zoo model's Inception modules (`inception<name>_...` layers of its table), over `per`: as
   * built (`reduced` true), or with each module's 3x3 and 5x5 convs reading the module's whole input instead of their
   * 1x1 reductions (false: those convs' multiply-adds scaled by input channels over reduced channels, the reductions
   * dropped; the module's input channels are its `_pool` layer's, a stride-1 pooling keeps them).
   */
  inceptionMadds: (t: CostTables, model: string, reduced: boolean, per: number) => {
    const layers = costTable(t, model).layers;
    const modules = layers.flatMap((l) => l.name.match(/^(inception\w+)_concat$/)?.[1] ?? []);
    let total = 0;
    for (const p of modules) {
      const own = layers.filter((l) => l.name.startsWith(`${p}_`));
      if (reduced) {
        total += own.reduce((s, l) => s + l.madds, 0);
        continue;
      }
      const inputs = costLayer(t, model, `${p}_pool`).output.at(-1)!;
      for (const l of own) {
        if (l.name.endsWith("_3x3r") || l.name.endsWith("_5x5r")) continue;
        const r = /_(3x3|5x5)$/.test(l.name) ? costLayer(t, model, `${l.name}r`).output.at(-1)! : inputs;
        total += l.madds * inputs / r;
      }
    }
    return total / per;
  },
  /** The receptive field [rows, columns] of a built stack of stride-1 convs of the given kernel shapes (one channel). */
  stackField: (_t: CostTables, kernels: Array<[number, number]>) => {
    const side = 15;
    const x = tf.input({ shape: [side, side, 1] });
    let y = x as tf.SymbolicTensor;
    for (const [r, c] of kernels) {
      y = tf.layers.conv2d({
        filters: 1,
        kernelSize: [r, c],
        padding: "same",
        useBias: false,
        kernelInitializer: "ones",
      })
        .apply(y) as tf.SymbolicTensor;
    }
    const m = tf.model({ inputs: x, outputs: y });
    const impulse = tf.buffer([1, side, side, 1]);
    impulse.set(1, 0, 7, 7, 0);
    const field = tf.tidy(() => {
      const hit = (m.predict(impulse.toTensor()) as tf.Tensor).greater(0).squeeze([0, 3]);
      return [hit.any(1).sum().dataSync()[0], hit.any(0).sum().dataSync()[0]];
    });
    m.dispose();
    return field;
  },
  /**
   * The largest difference between a built 1x1 conv from `cin` to `cout` maps on `side` x `side` and a built
   * Dense(`cout`) given the same weights and applied to each pixel's `cin` values (a random input; 0: the same).
   */
  conv1x1VsPixelDense: (_t: CostTables, side: number, cin: number, cout: number) => {
    const x = tf.input({ shape: [side, side, cin] });
    const conv = tf.layers.conv2d({ filters: cout, kernelSize: 1 });
    const cm = tf.model({ inputs: x, outputs: conv.apply(x) as tf.SymbolicTensor });
    const v = tf.input({ shape: [cin] });
    const dense = tf.layers.dense({ units: cout });
    const dm = tf.model({ inputs: v, outputs: dense.apply(v) as tf.SymbolicTensor });
    const [k, b] = conv.getWeights();
    dense.setWeights([k.reshape([cin, cout]), b]);
    const gap = tf.tidy(() => {
      const input = tf.randomNormal([1, side, side, cin], 0, 1, "float32", 3);
      const a = (cm.predict(input) as tf.Tensor).reshape([side * side, cout]);
      const d = dm.predict(input.reshape([side * side, cin])) as tf.Tensor;
      return tf.sub(a, d).abs().max().dataSync()[0];
    });
    cm.dispose();
    dm.dispose();
    return gap;
  },
  /** Weights of a built 1x1 conv from `cin` to `cout` maps over those of a built Dense from the whole flattened `side` x `side` x `cin` map to `side` x `side` x `cout` units (no biases). */
  conv1x1OverMapDense: (_t: CostTables, side: number, cin: number, cout: number) =>
    convChainWeights([[cin, cout, 1]]) / denseWeights(side * side * cin, side * side * cout),
  // Checks for note 001's entries.
  /** How many different kernel sides the parallel branches joined by a zoo model's concatenation reach (each branch: its largest conv; GoogLeNet 3a: 1, 3, 5). */
  branchKernelSides: (_t: CostTables, model: string, concat: string) =>
    onBuilt(model, (m) => {
      const prefix = concat.replace(/_concat$/, "");
      const sides = m.getLayer(concat).inboundNodes[0].inboundLayers.map((start) => {
        let largest = 0;
        const stack = [start];
        while (stack.length) {
          const l = stack.pop()!;
          if (!l.name.startsWith(prefix)) continue; // the module's input: the branch ends
          const k = (l.getConfig() as { kernelSize?: number[] }).kernelSize;
          if (k) largest = Math.max(largest, ...k);
          stack.push(...l.inboundNodes.flatMap((n) => n.inboundLayers));
        }
        return largest;
      });
      return new Set(sides).size;
    }),
  /** Multiply-adds or parameters of a zoo model's layers whose names start with `prefix` (one module), from its table. */
  prefixCost: (t: CostTables, model: string, prefix: string, field: "madds" | "params") =>
    costTable(t, model).layers.filter((l) => l.name.startsWith(prefix)).reduce((s, l) => s + l[field], 0),
  /**
   * Multiply-adds or parameters of GoogLeNet's naive Inception module (Szegedy et al. 2015, figure 2a) built on
   * `side` x `side` x `channels`: same-padded 1x1, 3x3 and 5x5 convs (with biases) and a 3x3 max pool, concatenated.
   */
  naiveInceptionCost: (
    _t: CostTables,
    side: number,
    channels: number,
    filters: [number, number, number],
    field: "madds" | "params",
  ) => {
    const x = tf.input({ shape: [side, side, channels] });
    const convs = filters.map((f, i) =>
      tf.layers.conv2d({ filters: f, kernelSize: 2 * i + 1, padding: "same" }).apply(x) as tf.SymbolicTensor
    );
    const pool = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(x) as tf.SymbolicTensor;
    const m = tf.model({ inputs: x, outputs: tf.layers.concatenate({}).apply([...convs, pool]) as tf.SymbolicTensor });
    const totals = accountModel(m).totals;
    m.dispose();
    return totals[field];
  },
  /** A built zoo model's layer's output side over its inbound layer's (1: the layer keeps the spatial size). */
  sideOverInput: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => {
      const l = m.getLayer(layer);
      return (l.outputShape as number[])[1] / (l.inboundNodes[0].inboundLayers[0].outputShape as number[])[1];
    }),
  /**
   * Output positions (all channels together) one input pixel reaches through a zoo model's conv, rebuilt from its
   * config (kernel, stride, padding, dilation, filters; no bias) on a one-channel 15x15 map (1: each pixel on its own).
   */
  convPixelFanOut: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => {
      const c = m.getLayer(layer).getConfig() as {
        filters: number;
        kernelSize: number[];
        strides: number[];
        padding: "same" | "valid";
        dilationRate: [number, number];
      };
      const x = tf.input({ shape: [15, 15, 1] });
      const conv = tf.layers.conv2d({
        filters: c.filters,
        kernelSize: c.kernelSize,
        strides: c.strides,
        padding: c.padding,
        dilationRate: c.dilationRate,
        useBias: false,
      });
      const probe = tf.model({ inputs: x, outputs: conv.apply(x) as tf.SymbolicTensor });
      const n = tf.tidy(() => {
        const impulse = tf.buffer([1, 15, 15, 1]);
        impulse.set(1, 0, 7, 7, 0);
        const out = tf.sum(tf.abs(probe.predict(impulse.toTensor()) as tf.Tensor), -1);
        return tf.sum(tf.cast(tf.greater(out, 1e-12), "int32")).dataSync()[0];
      });
      probe.dispose();
      return n;
    }),
  /** Input-to-output paths through a built zoo model's layer graph (a residual block: two ways through it). */
  zooPaths: (_t: CostTables, model: string) =>
    onBuilt(model, (m) => {
      const ways = new Map<string, number>();
      for (const l of m.layers) {
        const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name));
        ways.set(l.name, inbound.length ? inbound.reduce((s, p) => s + (ways.get(p) ?? 0), 0) : 1);
      }
      return ways.get(m.outputs[0].sourceLayer.name)!;
    }),
  /** For consecutive listed layers of a zoo model, each one's output side over the next one's (2: the side halves). */
  sideRatios: (t: CostTables, model: string, layers: string[]) =>
    layers.slice(1).map((l, i) => costLayer(t, model, layers[i]).output[0] / costLayer(t, model, l).output[0]),
  /** Steps between consecutive listed layers of a zoo model where the channels do not grow (0: every step adds channels). */
  stepsWithoutMoreChannels: (t: CostTables, model: string, layers: string[]) =>
    layers.slice(1).filter((l, i) =>
      costLayer(t, model, l).output.at(-1)! <= costLayer(t, model, layers[i]).output.at(-1)!
    )
      .length,
  /** Largest difference between a built zoo model's concatenation's first channels and its first input, on a random image (0: kept as they are). */
  concatKeepsInput: (_t: CostTables, model: string, concat: string) =>
    onBuilt(model, (m) => {
      const l = m.getLayer(concat);
      const first = l.inboundNodes[0].inputTensors[0];
      const probe = tf.model({ inputs: m.inputs, outputs: [l.output as tf.SymbolicTensor, first] });
      return tf.tidy(() => {
        const image = tf.randomNormal([1, ...m.inputs[0].shape.slice(1) as number[]], 0, 1, "float32", 1);
        const [cat, x] = probe.predict(image) as tf.Tensor[];
        return tf.max(tf.abs(tf.sub(tf.slice(cat, [0, 0, 0, 0], [-1, -1, -1, x.shape[3]!]), x))).dataSync()[0];
      });
    }),
  /** Values a built zoo model's layer outputs outside (0, 1) on two random images (0: every value is a gate in (0, 1)). */
  valuesOutsideUnit: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => {
      const probe = tf.model({ inputs: m.inputs, outputs: m.getLayer(layer).output as tf.SymbolicTensor });
      return tf.tidy(() => {
        const y = probe.predict(tf.randomNormal([2, ...m.inputs[0].shape.slice(1) as number[]], 0, 1, "float32", 2));
        return tf.sum(
          tf.cast(tf.logicalOr(tf.lessEqual(y as tf.Tensor, 0), tf.greaterEqual(y as tf.Tensor, 1)), "int32"),
        )
          .dataSync()[0];
      });
    }),
  /** 1 when layer `a` of a built zoo model lies on a path into layer `b` (a comes before b), 0 otherwise. */
  precedes: (_t: CostTables, model: string, a: string, b: string) =>
    onBuilt(model, (m) => {
      const seen = new Set<string>();
      const stack = m.getLayer(b).inboundNodes.flatMap((n) => n.inboundLayers);
      while (stack.length) {
        const l = stack.pop()!;
        if (l.name === a) return 1;
        if (seen.has(l.name)) continue;
        seen.add(l.name);
        stack.push(...l.inboundNodes.flatMap((n) => n.inboundLayers));
      }
      return 0;
    }),
  /**
   * A zoo model's rank (1: best) among itself and `others` by ImageNet top-1 (the zoo's cited figure) per trainable
   * parameter or per multiply-add.
   */
  top1PerCostRank: (t: CostTables, model: string, others: string[], cost: "trainable" | "madds") => {
    const score = (n: string) => {
      const top1 = ZOO[n].top1?.value;
      if (top1 === undefined) throw new RangeError(`model-zoo: ${n} has no top-1 figure`);
      return top1 / costTable(t, n).totals[cost];
    };
    return 1 + others.filter((o) => score(o) > score(model)).length;
  },
  // Checks for note 002's entries.
  // Read from built zoo nets: each net is built once, its layers' configs, inbound layers and kernel shapes kept.
  ...(() => {
    type Built = {
      input: number[];
      layers: Map<string, { cls: string; config: Record<string, unknown>; inbound: string[]; kernel?: number[] }>;
    };
    const cache = new Map<string, Built>();
    const snap = (model: string): Built => {
      if (!cache.has(model)) {
        const m = built(model);
        const layers: Built["layers"] = new Map();
        for (const l of m.layers) {
          layers.set(l.name, {
            cls: l.getClassName(),
            config: l.getConfig() as Record<string, unknown>,
            inbound: l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name)),
            kernel: l.weights[0]?.shape.slice(0, -1) as number[] | undefined,
          });
        }
        cache.set(model, { input: m.inputs[0].shape.slice(1) as number[], layers });
      }
      return cache.get(model)!;
    };
    const layerOf = (model: string, layer: string) => {
      const l = snap(model).layers.get(layer);
      if (!l) throw new RangeError(`model-zoo: built ${model} has no layer ${layer}`);
      return l;
    };
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const rebuiltDropout = (model: string, layer: string) =>
      tf.layers.dropout(layerOf(model, layer).config as unknown as { rate: number });
    return {
      /** The input shape (height x width x channels) of a built zoo model. */
      builtInputShape: (_t: CostTables, model: string) => snap(model).input,
      /** A numeric setting of a built zoo model's layer, from its config (`poolSize`, `strides`, `groups`, ...). */
      configValue: (_t: CostTables, model: string, layer: string, key: string): number | number[] => {
        const v = layerOf(model, layer).config[key];
        if (typeof v === "number" || (Array.isArray(v) && v.every((x) => typeof x === "number"))) return v;
        throw new RangeError(`model-zoo: ${model} ${layer}'s ${key} is ${JSON.stringify(v)}, not a number`);
      },
      /** 1 when a built zoo model's layer has that setting in its config (`activation` `relu`, ...), 0 otherwise. */
      configIs: (_t: CostTables, model: string, layer: string, key: string, value: string | number | number[]) =>
        same(layerOf(model, layer).config[key], value) ? 1 : 0,
      /** Layers of a class (`*`: any that has the setting) of a built zoo model whose setting equals (or, `equal` false, differs from) a value. */
      countConfig: (
        _t: CostTables,
        model: string,
        cls: string,
        key: string,
        value: string | number | number[],
        equal = true,
      ) =>
        [...snap(model).layers.values()].filter((l) =>
          (cls === "*" ? key in l.config : l.cls === cls) && same(l.config[key], value) === equal
        ).length,
      /** 1 when layer `from` of a built zoo model is an inbound layer of layer `to` (its output feeds `to`), 0 otherwise. */
      feeds: (_t: CostTables, model: string, from: string, to: string) =>
        layerOf(model, to).inbound.includes(from) ? 1 : 0,
      /** How many layers feed a built zoo model's layer (for a concatenation: its branches). */
      inboundCount: (_t: CostTables, model: string, layer: string) => layerOf(model, layer).inbound.length,
      /** The kernel shape (height x width x input channels per filter) of a built zoo model's conv layer. */
      builtKernelShape: (_t: CostTables, model: string, layer: string) => {
        const k = layerOf(model, layer).kernel;
        if (!k) throw new RangeError(`model-zoo: ${model} ${layer} has no weights`);
        return k;
      },
      /** The share of units a zoo model's dropout layer, rebuilt from its config, keeps when not training (1: all). */
      dropoutKeptAtInference: (_t: CostTables, model: string, layer: string) =>
        tf.tidy(() => {
          const y = rebuiltDropout(model, layer).apply(tf.ones([1, 4096])) as tf.Tensor;
          return tf.mean(tf.cast(tf.notEqual(y, 0), "float32")).dataSync()[0];
        }),
      /**
       * Units where a zoo model's dropout layer, rebuilt from its config and run in training, zeroes the output
       * but passes a gradient back, or the other way round (0: a dropped unit takes no part in either pass).
       */
      dropoutGradMismatch: (_t: CostTables, model: string, layer: string) =>
        tf.tidy(() => {
          const d = rebuiltDropout(model, layer);
          let out: tf.Tensor = tf.zeros([1]);
          const g = tf.grad((x: tf.Tensor) => {
            out = tf.keep(d.apply(x, { training: true }) as tf.Tensor);
            return tf.sum(out);
          })(tf.ones([1, 4096]));
          const dropped = tf.cast(tf.equal(out, 0), "int32"), noGrad = tf.cast(tf.equal(g, 0), "int32");
          const n = tf.sum(tf.notEqual(dropped, noGrad)).dataSync()[0];
          const share = tf.mean(tf.cast(dropped, "float32")).dataSync()[0];
          out.dispose();
          // A layer that dropped nothing would pass trivially: then the check fails loudly.
          if (share === 0) throw new Error(`model-zoo: ${model} ${layer} dropped no unit in training`);
          return n;
        }),
      /** The fewest trainable parameters among the zoo's models other than `model` (its cost tables). */
      fewestTrainableOthers: (t: CostTables, model: string) =>
        Math.min(...Object.entries(t).filter(([name]) => name !== model).map(([, c]) => c.totals.trainable)),
    };
  })(),
  // Checks for note 003's entries.
  /** The distinct kernel sides of the convs whose outputs a zoo model's concatenation joins (sorted; ReLUs skipped). */
  concatBranchKernels: (_t: CostTables, model: string, concat: string) => {
    const m = built(model);
    const kernelOf = (l: tf.layers.Layer): number => {
      const k = (l.getConfig() as { kernelSize?: number[] }).kernelSize;
      if (k) return k[0];
      const inbound = l.inboundNodes[0].inboundLayers;
      return inbound.length === 1 ? kernelOf(inbound[0]) : NaN;
    };
    const kernels = m.getLayer(concat).inboundNodes[0].inboundLayers.map(kernelOf);
    return [...new Set(kernels)].sort((a, b) => a - b);
  },
  /** The kernel side of the conv that feeds a zoo model's layer (through its ReLU): what comes before it. */
  inboundKernel: (_t: CostTables, model: string, layer: string) =>
    onBuilt(model, (m) => {
      let l = m.getLayer(layer).inboundNodes[0].inboundLayers[0];
      while (!(l.getConfig() as { kernelSize?: number[] }).kernelSize) l = l.inboundNodes[0].inboundLayers[0];
      return (l.getConfig() as { kernelSize: number[] }).kernelSize[0];
    }),
  /** A zoo model's conv kernel as PyTorch writes its shape: (out, in, kh, kw), from the built layer's weights. */
  convWeightShape: (_t: CostTables, model: string, layer: string) => {
    const m = built(model);
    const [kh, kw, cin, cout] = m.getLayer(layer).getWeights()[0].shape as number[];
    return [cout, cin, kh, kw];
  },
  /** Kernel weights (parameters less one bias per output) of the listed layers of a zoo model, summed. */
  layersKernelWeights: (t: CostTables, model: string, layers: string[]) =>
    layers.reduce((s, l) => s + kernelWeights(costLayer(t, model, l)), 0),
  /** Kernel weights of parallel chains of built convs (`[in, out, kernel]` each, no biases), summed over the chains. */
  convBranchesWeights: (_t: CostTables, branches: Array<Array<[number, number, number]>>) =>
    branches.reduce((s, b) => s + convChainWeights(b), 0),
  /** The terms a note multiplies, multiplied (its arithmetic as written). */
  termsProduct: (_t: CostTables, terms: number[]) => terms.reduce((a, b) => a * b, 1),
  /** Features (flattened) a zoo model's average pooling, rebuilt from its config, makes of `side` x `side` x `channels`. */
  poolFeatures: (_t: CostTables, model: string, layer: string, side: number, channels: number) =>
    onBuilt(model, (m) => {
      const x = tf.input({ shape: [side, side, channels] });
      const pool = tf.layers.averagePooling2d(m.getLayer(layer).getConfig() as never);
      return (tf.layers.flatten({}).apply(pool.apply(x)) as tf.SymbolicTensor).shape[1]!;
    }),
  /** Features a built global average pooling passes on from `side` x `side` x `channels`. */
  gapFeatures: (_t: CostTables, side: number, channels: number) => {
    const x = tf.input({ shape: [side, side, channels] });
    return (tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor).shape[1]!;
  },
  /**
   * The zero padding [before, after] a zoo model's conv applies along one axis of an `input`-pixel side, measured:
   * its kernel size, stride and padding mode rebuilt as a one-channel conv of ones on ones (a window's sum counts the
   * real pixels under it, so the first and last windows tell how far they hang over the edges).
   */
  measuredPads: (_t: CostTables, model: string, layer: string, input: number) => {
    const m = built(model);
    const c = m.getLayer(layer).getConfig() as { kernelSize: number[]; strides: number[]; padding: "same" | "valid" };
    const k = c.kernelSize[0];
    const x = tf.input({ shape: [input, 1] });
    const conv = tf.layers.conv1d({
      filters: 1,
      kernelSize: k,
      strides: c.strides[0],
      padding: c.padding,
      useBias: false,
      kernelInitializer: "ones",
    });
    const probe = tf.model({ inputs: x, outputs: conv.apply(x) as tf.SymbolicTensor });
    const out = tf.tidy(() => Array.from((probe.predict(tf.ones([1, input, 1])) as tf.Tensor).dataSync()));
    probe.dispose();
    return [k - out[0], k - out[out.length - 1]];
  },
  // Checks for note 004's entries.
  /** Output of a built LeNet-5 subsampling layer (as initialised: coefficient 1, bias 0) on one 2x2 window holding 1, 2, 3 and 4: their sum, 4 times their average (a max pooling would give 4). */
  lenetSubsampleWindow: (_t: CostTables) =>
    tf.tidy(() =>
      (new Subsample({ name: "S2" }).apply(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])) as tf.Tensor).dataSync()[0]
    ),
  /** Shape of a built Dense(`units`) layer's tensor on `batch` rows of `inputs`: input `X` (rows, kernel rows), output `Y`, kernel `W`, bias `b`. */
  denseTensorShape: (_t: CostTables, batch: number, inputs: number, units: number, which: "X" | "Y" | "W" | "b") => {
    const d = tf.layers.dense({ units });
    const x = tf.zeros([batch, inputs]);
    const y = d.apply(x) as tf.Tensor;
    const [w, b] = d.getWeights();
    const shapes = { X: [batch, w.shape[0]], Y: y.shape, W: w.shape, b: b.shape };
    tf.dispose([x, y]);
    return [...shapes[which]] as number[];
  },
  /** Parameters of a built same-padded k x k conv on a `b` x `b` map over those on an `a` x `a` map (1: weights shared over positions). */
  convParamsRatio: (_t: CostTables, k: number, channels: number, filters: number, a: number, b: number) => {
    const params = (side: number) => {
      const x = tf.input({ shape: [side, side, channels] });
      return weightsOf(x, tf.layers.conv2d({ filters, kernelSize: k, padding: "same" }).apply(x) as tf.SymbolicTensor);
    };
    return params(b) / params(a);
  },
  /** Conv2D layers of a built zoo model with an h x w kernel (read from each layer's config); with `before`, only those built before that layer. */
  convsWithKernel: (_t: CostTables, model: string, h: number, w: number, before?: string) =>
    onBuilt(model, (m) => {
      const end = before ? m.layers.findIndex((l) => l.name === before) : m.layers.length;
      if (end < 0) throw new RangeError(`${model} has no layer ${before}`);
      return m.layers.slice(0, end).filter((l) => {
        const k = (l.getConfig() as { kernelSize?: number[] }).kernelSize;
        return l.getClassName() === "Conv2D" && k?.[0] === h && k?.[1] === w;
      }).length;
    }),
  /** Conv2D layers of a sequential zoo model whose kernel is k x k, from its table (each conv's input: the layer before; the first: `channels`). */
  seqConvsWithKernel: (t: CostTables, model: string, k: number, channels: number) => {
    let cin = channels, n = 0;
    for (const l of costTable(t, model).layers) {
      const f = l.output.at(-1)!;
      if (l.type === "Conv2D" && (l.params === k * k * cin * f || l.params === k * k * cin * f + f)) n++;
      cin = f;
    }
    return n;
  },
  /** Multiply-adds of the listed layers of a zoo model, summed, over `per`. */
  layersMadds: (t: CostTables, model: string, layers: string[], per: number) =>
    layers.reduce((s, n) => s + costLayer(t, model, n).madds, 0) / per,
  /** Multiply-adds per output pixel of a built stack of one-channel same-padded convs of the given kernel shapes. */
  stackMaddsPerPixel: (_t: CostTables, kernels: Array<[number, number]>) => {
    const side = 9;
    const x = tf.input({ shape: [side, side, 1] });
    let y = x as tf.SymbolicTensor;
    for (const [r, c] of kernels) {
      y = tf.layers.conv2d({ filters: 1, kernelSize: [r, c], padding: "same", useBias: false }).apply(
        y,
      ) as tf.SymbolicTensor;
    }
    const m = tf.model({ inputs: x, outputs: y });
    const madds = accountModel(m).totals.madds;
    m.dispose();
    return madds / (side * side);
  },
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
