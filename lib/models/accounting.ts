/**
 * Cost accounting: parameters and multiply-adds per layer of a built model,
 * and totals. Multiply-adds follow the usual convention: convolutions
 * (grouped, depthwise and partially connected ones too) and fully connected
 * layers, one per weight use, for one image; batch norm, pooling, and
 * element-wise additions and products are not counted (batch norm folds into
 * the preceding convolution at inference). Parameters are counted from the
 * layers' own weights, so the totals agree with `model.countParams()`.
 *
 * ```ts
 * const t = accountModel(buildCifarNet({ depth: 20 }));
 * t.totals; // { params, trainable, madds }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** One layer's costs. */
export interface LayerCost {
  name: string;
  /** TF.js class name. */
  type: string;
  /** Output shape without the batch axis. */
  output: number[];
  /** Every weight (trainable and not). */
  params: number;
  /** Trainable weights. */
  trainable: number;
  /** Multiply-adds per image. */
  madds: number;
}

/** A model's costs. */
export interface ModelCost {
  model: string;
  layers: LayerCost[];
  totals: { params: number; trainable: number; madds: number };
}

const size = (shape: Array<number | null>) => shape.reduce((a: number, b) => a * (b ?? 1), 1);

/**
 * The number of values in a list of weights (anything with a shape: layer
 * variables, tensors), e.g. a model's trainable parameters:
 * `countWeights(model.trainableWeights)`.
 */
export function countWeights(weights: ReadonlyArray<{ shape: ReadonlyArray<number | null> }>): number {
  return weights.reduce((s, w) => s + size([...w.shape]), 0);
}

function shapeOf(s: tf.Shape | tf.Shape[]): number[] {
  const one = (Array.isArray(s[0]) ? s[0] : s) as tf.Shape;
  return one.slice(1).map((d) => d ?? 1);
}

/** Multiply-adds of one layer for one image, from its config and shapes. */
export function layerMadds(layer: tf.layers.Layer): number {
  const out = shapeOf(layer.outputShape);
  const input = Array.isArray(layer.input) ? layer.input[0] : layer.input;
  const inp = shapeOf(input.shape);
  const cfg = layer.getConfig() as Record<string, unknown>;
  const k = cfg.kernelSize as number[] | number | undefined;
  const kk = Array.isArray(k) ? k[0] * k[1] : (k ?? 1) ** 2;
  const cin = inp.at(-1)!;
  const spatial = out.length === 3 ? out[0] * out[1] : 1;
  switch (layer.getClassName()) {
    case "Conv2D":
      return spatial * out[2] * kk * cin;
    case "DepthwiseConv2D":
      return spatial * out[2] * kk;
    case "Dense":
      return size(out) * cin;
    case "DeeperGroupedConv2D":
      return spatial * out[2] * kk * cin / (cfg.groups as number);
    case "DeeperPartialConv2D":
      return spatial * (cfg.table as number[][]).reduce((a, ins) => a + kk * ins.length, 0);
    case "DeeperSubsample":
      return size(out); // the coefficient times each 2x2 sum
    case "DeeperRBFOutput":
      return size(out) * cin;
    case "DeeperDeformConv2D": // the offset conv (2k^2 maps) plus the main conv on the samples
      return spatial * kk * cin * (2 * kk + out[2]);
    default:
      return 0;
  }
}

/** Per-layer and total parameters and multiply-adds of a model. */
export function accountModel(model: tf.LayersModel): ModelCost {
  const layers: LayerCost[] = model.layers.filter((l) => l.getClassName() !== "InputLayer").map((l) => ({
    name: l.name,
    type: l.getClassName(),
    output: shapeOf(l.outputShape),
    params: l.countParams(),
    trainable: l.trainableWeights.reduce((a, w) => a + size(w.shape), 0),
    madds: layerMadds(l),
  }));
  const totals = layers.reduce(
    (t, l) => ({ params: t.params + l.params, trainable: t.trainable + l.trainable, madds: t.madds + l.madds }),
    { params: 0, trainable: 0, madds: 0 },
  );
  return { model: model.name, layers, totals };
}

/** Compact number: 1.23M, 4.5G, 980K. */
export function humanCount(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}K`;
  return n.toLocaleString("en-US");
}

/** A model's cost table as Markdown (layers with parameters or multiply-adds only). */
export function costTableMarkdown(c: ModelCost): string {
  const rows = c.layers.filter((l) => l.params > 0 || l.madds > 0);
  const line = (l: { name: string; type: string; output: string; params: number; trainable: number; madds: number }) =>
    `| ${l.name} | ${l.type} | ${l.output} | ${l.params.toLocaleString("en-US")} | ${
      l.trainable.toLocaleString("en-US")
    } | ${humanCount(l.madds)} |`;
  return [
    "| layer | type | output | params | trainable | multiply-adds |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((l) => line({ ...l, output: l.output.join("x") })),
    line({ name: "**total**", type: "", output: "", ...c.totals }),
  ].join("\n");
}

/**
 * Keras's layer-by-layer summary as one string (`model.summary` prints line
 * by line to the console; a notebook displays this instead, in one piece).
 */
export function summaryText(model: tf.LayersModel, lineLength = 100): string {
  const lines: string[] = [];
  model.summary(lineLength, undefined, (...msg: unknown[]) => lines.push(msg.join(" ")));
  return lines.join("\n");
}
