/**
 * Experiment 0, model-zoo (no training): every architecture the notes walk
 * through, built in TF.js, with parameter and multiply-add counts checked
 * against the published numbers, and the notes' own cost claims computed
 * from built layers.
 *
 * It is an experiment like the others, with no variants: its one analysis
 * builds every zoo model and writes `costs.json` (and `costs.md`), which its
 * claims, charts and summary read from the evidence.
 *
 * ```sh
 * deno task run model-zoo     # the cost table, the charts and the claims, into results/model-zoo/
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { accountModel, costTableMarkdown, countWeights, humanCount, type ModelCost } from "../lib/models/accounting.ts";
import { type Claim, exactClaim } from "../lib/ledger/claims.ts";
import type { Evidence } from "../lib/ledger/evidence.ts";
import { costBars, type Spec } from "../lib/display/charts.ts";
import { convBn, factorisedAsymmetric, factorisedSquare } from "../lib/models/blocks.ts";
import { ZOO } from "../lib/models/zoo.ts";
import type { Experiment } from "../lib/pipeline/experiment.ts";

const EXP = "model-zoo";

/** Builds a one-input model from a layer function and returns its costs and its kernel weights (no biases). */
function layersCost(input: number[], f: (x: tf.SymbolicTensor) => tf.SymbolicTensor): ModelCost & { kernels: number } {
  const x = tf.input({ shape: input });
  const m = tf.model({ inputs: x, outputs: f(x) });
  const c = accountModel(m);
  const kernels = countWeights(m.weights.filter((w) => /kernel/.test(w.originalName)));
  m.dispose();
  return { ...c, kernels };
}

/** The zoo's cost table from the evidence (`costs.json`, written by the analysis). */
function costsOf(ev: Evidence): ZooCosts {
  const costs = ev.files["costs.json"] as ZooCosts | undefined;
  if (!costs) throw new RangeError("model-zoo: no costs.json in the evidence; run the experiment first");
  return costs;
}

/** Parameters of one zoo model, counted the way its reference counts, from the evidence. */
function zooCount(ev: Evidence, name: string): number {
  const row = costsOf(ev).rows.find((r) => r.name === name);
  if (!row) throw new RangeError(`model-zoo: ${name} is not in costs.json`);
  return ZOO[name].reference.counts === "trainable" ? row.trainable : row.params;
}

const direct5x5 = () =>
  layersCost([14, 14, 480], (x) => convBn(x, { name: "c5", filters: 48, kernel: 5, useBias: false }));
const reduced5x5 = () =>
  layersCost(
    [14, 14, 480],
    (x) =>
      convBn(convBn(x, { name: "r", filters: 16, kernel: 1, useBias: false }), {
        name: "c5",
        filters: 48,
        kernel: 5,
        useBias: false,
      }),
  );

/** Relative saving in weights of a factorisation, from built layers (C channels in and out, no biases). */
function saving(factorised: (x: tf.SymbolicTensor) => tf.SymbolicTensor, side: number): number {
  const C = 64;
  const full =
    layersCost([8, 8, C], (x) => convBn(x, { name: "full", filters: C, kernel: side, useBias: false })).kernels;
  const fact = layersCost([8, 8, C], factorised).kernels;
  return (full - fact) / full;
}

/** The notes' cost claims and the zoo's reference counts, as ledger entries. */
export const zooClaims: Claim[] = [
  exactClaim({
    id: "zoo-1a",
    claim: "A 5x5 conv from 14x14x480 to 48 maps costs about 112.9M multiplications",
    source: "notes 002; Szegedy et al. 2015, section 4 (1x1 reductions)",
    experiment: EXP,
    metric: "multiply-adds, computed from the built layer",
    stated: 112.9e6,
    compute: () => direct5x5().totals.madds,
    tolerance: 0.0005,
    toleranceWhy: "the note rounds to 0.1M",
  }),
  exactClaim({
    id: "zoo-1b",
    claim: "With a 1x1 reduction to 16 maps first, the same costs about 5.3M",
    source: "notes 002; Szegedy et al. 2015, section 4",
    experiment: EXP,
    metric: "multiply-adds of 1x1 (480 to 16) then 5x5 (16 to 48)",
    stated: 5.3e6,
    compute: () => reduced5x5().totals.madds,
    tolerance: 0.01,
    toleranceWhy: "the note rounds to 0.1M",
  }),
  exactClaim({
    id: "zoo-2a",
    claim: "A 3x3 conv from 192 to 128 channels has 221,184 weights",
    source: "notes 000; Lin et al. 2014 / Szegedy et al. 2015 (1x1 bottlenecks)",
    experiment: EXP,
    metric: "kernel weights (no biases)",
    stated: 221184,
    compute: () => layersCost([8, 8, 192], (x) => convBn(x, { name: "c", filters: 128, kernel: 3 })).kernels,
    tolerance: 0,
  }),
  exactClaim({
    id: "zoo-2b",
    claim: "1x1 to 96 then 3x3 to 128 has 129,024 weights, about 1.71x fewer",
    source: "notes 000",
    experiment: EXP,
    metric: "kernel weights (no biases); ratio 221,184 / 129,024",
    stated: 129024,
    compute: () =>
      layersCost(
        [8, 8, 192],
        (x) => convBn(convBn(x, { name: "r", filters: 96, kernel: 1 }), { name: "c", filters: 128, kernel: 3 }),
      ).kernels,
    tolerance: 0,
  }),
  exactClaim({
    id: "zoo-3",
    claim: "LeNet-5 has 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000 trainable parameters (C3 partially connected)",
    source: "notes 002; LeCun et al. 1998, section II.B",
    experiment: EXP,
    metric: "trainable parameters of the built LeNet-5 (its RBF output is fixed)",
    stated: 60000,
    compute: (ev) => zooCount(ev, "lenet5"),
    tolerance: 0,
  }),
  exactClaim({
    id: "zoo-4",
    claim: "A 5-3-2 fully connected net has 21 weights",
    source: "notes 003",
    experiment: EXP,
    metric: "weights without biases (with its 5 biases: 26 parameters)",
    stated: 21,
    compute: () => {
      const x = tf.input({ shape: [5] });
      const h = tf.layers.dense({ units: 3, useBias: false }).apply(x) as tf.SymbolicTensor;
      const m = tf.model({
        inputs: x,
        outputs: tf.layers.dense({ units: 2, useBias: false }).apply(h) as tf.SymbolicTensor,
      });
      const n = countWeights(m.weights);
      m.dispose();
      return n;
    },
    tolerance: 0,
  }),
  exactClaim({
    id: "zoo-5a",
    claim: "A fully connected layer from 7x7x1024 to 1024 needs about 51.3M weights",
    source: "notes 002; Lin et al. 2014 / Szegedy et al. 2015, section 5 (global average pooling)",
    experiment: EXP,
    metric: "weights of Dense(1024) on 50,176 inputs, no bias",
    stated: 51.3e6,
    compute: () =>
      layersCost([50176], (x) => tf.layers.dense({ units: 1024, useBias: false }).apply(x) as tf.SymbolicTensor)
        .kernels,
    tolerance: 0.005,
    toleranceWhy: "stated as 'about'; the exact 51,380,224 rounds to 51.4M",
  }),
  exactClaim({
    id: "zoo-5b",
    claim: "Global average pooling over 7x7x1024 needs no weights",
    source: "notes 002; Lin et al. 2014",
    experiment: EXP,
    metric: "parameters of GlobalAveragePooling2D",
    stated: 0,
    compute: () =>
      layersCost([7, 7, 1024], (x) => tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor).totals.params,
    tolerance: 0,
  }),
  exactClaim({
    id: "zoo-6a",
    claim: "5x5 as two 3x3 saves 28% of the weights",
    source: "notes 000; Szegedy et al. 2016, section 3.1",
    experiment: EXP,
    metric: "saving in %, C to C channels, from built layers",
    stated: 28,
    compute: () => Math.round(1000 * saving((x) => factorisedSquare(x, { name: "f", filters: 64, side: 5 }), 5)) / 10,
    tolerance: 0.02,
    toleranceWhy: "a rounded percentage",
  }),
  exactClaim({
    id: "zoo-6b",
    claim: "7x7 as three 3x3 saves 45% of the weights",
    source:
      "notes 000; Szegedy et al. 2016, section 3.1 (and Simonyan and Zisserman 2015, section 2.3: 81% more for 7x7)",
    experiment: EXP,
    metric: "saving in %, C to C channels, from built layers",
    stated: 45,
    compute: () => Math.round(1000 * saving((x) => factorisedSquare(x, { name: "f", filters: 64, side: 7 }), 7)) / 10,
    tolerance: 0.02,
    toleranceWhy: "a rounded percentage (exactly 44.9%)",
  }),
  exactClaim({
    id: "zoo-6c",
    claim: "3x3 as 1x3 then 3x1 saves 33% of the weights",
    source: "notes 000; Szegedy et al. 2016, section 3.2",
    experiment: EXP,
    metric: "saving in %, C to C channels, from built layers",
    stated: 33,
    compute: () => Math.round(1000 * saving((x) => factorisedAsymmetric(x, { name: "f", filters: 64, n: 3 }), 3)) / 10,
    tolerance: 0.02,
    toleranceWhy: "a rounded percentage (exactly 33.3%)",
  }),
  exactClaim({
    id: "zoo-7a",
    claim: "AlexNet has about 60 million parameters",
    source: "notes 002; Krizhevsky et al. 2012, section 1",
    experiment: EXP,
    metric: "trainable parameters of the two-tower AlexNet",
    stated: 60e6,
    compute: (ev) => zooCount(ev, "alexnet_2tower"),
    tolerance: 0.05,
    toleranceWhy: "stated as 'about'",
  }),
  exactClaim({
    id: "zoo-7b",
    claim: "AlexNet has about 1,000 times as many parameters as LeNet-5",
    source: "notes 002",
    experiment: EXP,
    metric: "ratio of trainable parameters, two-tower AlexNet / LeNet-5",
    stated: 1000,
    compute: (ev) => Math.round(zooCount(ev, "alexnet_2tower") / zooCount(ev, "lenet5")),
    tolerance: 0.05,
    toleranceWhy: "stated as 'about'",
  }),
  exactClaim({
    id: "zoo-8",
    claim: "GoogLeNet uses 12 times fewer parameters than AlexNet",
    source: "Szegedy et al. 2015, abstract and section 1",
    experiment: EXP,
    metric: "ratio of trainable parameters, two-tower AlexNet / GoogLeNet without auxiliary heads",
    stated: 12,
    compute: (ev) => Math.round(10 * zooCount(ev, "alexnet_2tower") / zooCount(ev, "googlenet")) / 10,
    tolerance: 0.1,
    toleranceWhy: "stated as a round number; what is counted (biases, auxiliary heads) moves it",
  }),
  exactClaim({
    id: "zoo-9",
    claim:
      "VGG-16 has 138M parameters; the notes' layer walk-through has typos (conv4_3 and conv5_1 read 3x3x256 kernels, which must be 3x3x512 since their inputs have 512 maps; the last layer reads 10,000 units, which must be 1,000)",
    source: "notes 002; Simonyan and Zisserman 2015, table 2",
    experiment: EXP,
    metric: "trainable parameters of VGG-16 built with 3x3x512 kernels in conv4_3/conv5_1 and 1,000 outputs",
    stated: 138357544,
    compute: (ev) => zooCount(ev, "vgg16"),
    tolerance: 0,
  }),
  ...Object.entries(ZOO).map(([name, e]) =>
    exactClaim({
      id: `zoo-count-${name}`,
      claim: `${name} (${e.paper}) has ${e.reference.tolerance ? "about " : ""}${
        e.reference.count.toLocaleString("en-US")
      } parameters${e.reference.note ? ` (${e.reference.note})` : ""}`,
      source: e.reference.source,
      experiment: EXP,
      metric: `${e.reference.counts} parameters of the built model`,
      stated: e.reference.count,
      compute: (ev) => zooCount(ev, name),
      tolerance: e.reference.tolerance,
      toleranceWhy: e.reference.tolerance ? e.reference.note || "a rounded figure" : undefined,
    })
  ),
];

/** Costs of every zoo model: one row each. */
export interface ZooRow {
  name: string;
  paper: string;
  params: number;
  trainable: number;
  madds: number;
  reference: number;
  counts: string;
  top1?: number;
  top1Source?: string;
}

/** What the zoo's analysis writes to `costs.json`: the totals per model and each model's per-layer table. */
export interface ZooCosts {
  rows: ZooRow[];
  tables: Record<string, ModelCost>;
}

/** Builds every zoo model once and accounts for it. */
export function zooCosts(): ZooCosts {
  const rows: ZooRow[] = [];
  const tables: Record<string, ModelCost> = {};
  for (const [name, e] of Object.entries(ZOO)) {
    const m = e.build();
    const c = accountModel(m);
    m.dispose();
    tables[name] = c;
    rows.push({
      name,
      paper: e.paper,
      params: c.totals.params,
      trainable: c.totals.trainable,
      madds: c.totals.madds,
      reference: e.reference.count,
      counts: e.reference.counts,
      top1: e.top1?.value,
      top1Source: e.top1?.source,
    });
  }
  return { rows, tables };
}

/** The notes' efficiency figure: multiply-adds against ImageNet top-1, bubble size = parameters. */
export function efficiencyChart(rows: ZooRow[]): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "ImageNet top-1 against multiply-adds (bubble: parameters)",
    width: 480,
    height: 320,
    data: {
      values: rows.filter((r) => r.top1 !== undefined).map((r) => ({
        ...r,
        gmadds: r.madds / 1e9,
        mparams: r.trainable / 1e6,
      })),
    },
    layer: [
      {
        mark: { type: "circle", opacity: 0.5 },
        encoding: {
          x: { field: "gmadds", type: "quantitative", title: "multiply-adds per image (G)", scale: { type: "log" } },
          y: { field: "top1", type: "quantitative", title: "ImageNet top-1 (%)", scale: { zero: false } },
          size: { field: "mparams", type: "quantitative", title: "parameters (M)", scale: { range: [30, 2000] } },
          color: { field: "name", type: "nominal", legend: null },
          tooltip: [{ field: "name" }, { field: "top1Source" }],
        },
      },
      {
        mark: { type: "text", dy: -12, fontSize: 10 },
        encoding: {
          x: { field: "gmadds", type: "quantitative" },
          y: { field: "top1", type: "quantitative" },
          text: { field: "name" },
        },
      },
    ],
  };
}

/** A Markdown table of the zoo's totals. */
export function zooTableMarkdown(rows: ZooRow[]): string {
  return [
    "| model | paper | params | trainable | reference (counts) | multiply-adds |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) =>
      `| ${r.name} | ${r.paper} | ${r.params.toLocaleString("en-US")} | ${r.trainable.toLocaleString("en-US")} | ${
        r.reference.toLocaleString("en-US")
      } (${r.counts}) | ${humanCount(r.madds)} |`
    ),
  ].join("\n");
}

/** Experiment 0: the zoo, counted (no variants: nothing trains). */
export const modelZoo: Experiment = {
  name: EXP,
  title: "every architecture of the notes, built and counted (no training)",
  base: {},
  variants: {},
  scales: {
    smoke: { overrides: {}, seeds: [] },
    quick: { overrides: {}, seeds: [] },
    full: { overrides: {}, seeds: [] },
  },
  analyses: [{
    scope: "experiment",
    file: "costs.json",
    title: "building and counting every zoo model",
    // Deterministic and about half a minute: recounted every time, so a changed builder never leaves a stale table.
    reuse: false,
    compute: () => Promise.resolve(zooCosts()),
    markdown: (v) =>
      Object.entries((v as ZooCosts).tables).map(([n, t]) => `## ${n}\n\n${costTableMarkdown(t)}\n`).join("\n"),
  }],
  claims: zooClaims,
  charts: (ev): Record<string, Spec> => {
    if (!ev.files["costs.json"]) return {};
    const rows = costsOf(ev).rows;
    return {
      efficiency: efficiencyChart(rows),
      params: costBars(rows.map((r) => ({ name: r.name, value: r.trainable / 1e6 })), {
        title: "Trainable parameters",
        unit: "millions",
        logX: true,
      }),
      madds: costBars(rows.map((r) => ({ name: r.name, value: r.madds / 1e6 })), {
        title: "Multiply-adds per image",
        unit: "millions",
        logX: true,
      }),
    };
  },
  summary: (ev) => ev.files["costs.json"] ? zooTableMarkdown(costsOf(ev).rows) : "",
};
