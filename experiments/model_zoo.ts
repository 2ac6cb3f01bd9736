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
import { costTableMarkdown, humanCount } from "../lib/models/accounting.ts";
import { type ZooCosts, zooCosts, zooCostsOf, type ZooRow } from "../lib/models/zoo_costs.ts";
import { type Claim } from "../lib/ledger/claims.ts";
import { exactClaim } from "../lib/ledger/claim_builders.ts";
import type { Evidence } from "../lib/ledger/evidence.ts";
import { costBars, type Spec } from "../lib/display/charts.ts";
import { ZOO } from "../lib/models/zoo.ts";
import { notesClaims } from "./notes_audit.ts";
import type { Experiment } from "../lib/pipeline/experiment.ts";

const EXP = "model-zoo";

/** The zoo's cost table from the evidence (`costs.json`, written by the analysis). */
const costsOf = (ev: Evidence): ZooCosts => zooCostsOf(ev.files);

/** Parameters of one zoo model, counted the way its reference counts, from the evidence. */
function zooCount(ev: Evidence, name: string): number {
  const row = costsOf(ev).rows.find((r) => r.name === name);
  if (!row) throw new RangeError(`model-zoo: ${name} is not in costs.json`);
  return ZOO[name].reference.counts === "trainable" ? row.trainable : row.params;
}

/**
 * The model zoo's own claims: the papers' and reference implementations'
 * parameter counts, and the GoogLeNet paper's own ratio; the notes' numbers
 * are in notes_audit.ts.
 */
export const zooClaims: Claim[] = [
  exactClaim({
    id: "zoo-8",
    claim: "GoogLeNet uses 12 times fewer parameters than AlexNet",
    source: "Szegedy et al. 2015, abstract and section 1",
    metric:
      "ratio of trainable parameters, two-tower AlexNet / GoogLeNet without auxiliary heads (a whole number, as written)",
    stated: 12,
    compute: (ev) => zooCount(ev, "alexnet_2tower") / zooCount(ev, "googlenet"),
    match: { exact: { step: 1 } },
  }),
  ...Object.entries(ZOO).map(([name, e]) =>
    exactClaim({
      id: `zoo-count-${name}`,
      claim: `${name} (${e.paper}) has ${e.reference.tolerance ? "about " : ""}${
        e.reference.count.toLocaleString("en-US")
      } parameters${e.reference.note ? ` (${e.reference.note})` : ""}`,
      source: e.reference.source,
      metric: `${e.reference.counts} parameters of the built model`,
      stated: e.reference.count,
      compute: (ev) => zooCount(ev, name),
      match: e.reference.tolerance
        ? { relative: e.reference.tolerance, why: e.reference.note || "a rounded figure" }
        : { exact: { step: 1 } },
    })
  ),
];

/**
 * Labels of bubbles that sit close (within a quarter decade of multiply-adds
 * and 2 points of top-1) alternate above and below, so names do not overlap.
 */
export function labelSides(points: Array<{ x: number; y: number }>): Array<"above" | "below"> {
  const order = points.map((p, i) => ({ ...p, i })).sort((a, b) => a.x - b.x);
  const side: Array<"above" | "below"> = points.map(() => "above");
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1], b = order[k];
    const close = Math.abs(Math.log10(b.x) - Math.log10(a.x)) < 0.25 && Math.abs(b.y - a.y) < 2;
    if (close && side[a.i] === "above") side[b.i] = "below";
  }
  return side;
}

/** The notes' efficiency figure: multiply-adds against ImageNet top-1, bubble size = parameters. */
export function efficiencyChart(rows: ZooRow[]): Spec {
  const values = rows.filter((r) => r.top1 !== undefined).map((r) => ({
    name: r.name,
    top1: r.top1,
    top1Source: r.top1Source,
    gmadds: r.madds / 1e9,
    mparams: r.trainable / 1e6,
  }));
  const sides = labelSides(values.map((v) => ({ x: v.gmadds, y: v.top1! })));
  const labelled = values.map((v, i) => ({ ...v, side: sides[i] }));
  // The x axis spans the data (a log scale's "nice" domain ran to 100 G for data ending near 15 G).
  const xs = values.map((v) => v.gmadds);
  const domain = xs.length ? [Math.min(...xs) / 1.6, Math.max(...xs) * 1.6] : [0.1, 10];
  const x = {
    field: "gmadds",
    type: "quantitative",
    title: "multiply-adds per image (G)",
    scale: { type: "log", domain, nice: false },
  };
  const y = { field: "top1", type: "quantitative", title: "ImageNet top-1 (%)", scale: { zero: false } };
  const label = (side: "above" | "below") => ({
    transform: [{ filter: `datum.side === '${side}'` }],
    mark: { type: "text", dy: side === "above" ? -12 : 14, fontSize: 10 },
    encoding: {
      x: { field: "gmadds", type: "quantitative" },
      y: { field: "top1", type: "quantitative" },
      text: { field: "name" },
    },
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "ImageNet top-1 against multiply-adds (bubble: parameters)",
    width: 480,
    height: 320,
    data: { values: labelled },
    layer: [
      {
        mark: { type: "circle", opacity: 0.5 },
        encoding: {
          x,
          y,
          size: { field: "mparams", type: "quantitative", title: "parameters (M)", scale: { range: [30, 2000] } },
          color: { field: "name", type: "nominal", legend: null },
          tooltip: [{ field: "name" }, { field: "mparams", title: "parameters (M)", format: ".1f" }, {
            field: "top1Source",
            title: "top-1 source",
          }],
        },
      },
      label("above"),
      label("below"),
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
    smoke: { overrides: {}, seeds: [], regimes: [] },
    quick: { overrides: {}, seeds: [], regimes: [] },
    full: { overrides: {}, seeds: [], regimes: [] },
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
  claims: [...notesClaims, ...zooClaims],
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
