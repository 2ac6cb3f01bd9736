/**
 * Charts as data: pure functions from tables to Vega-Lite specs, headless
 * rendering to SVG with `vega`, and the MIME bundle a Jupyter notebook
 * displays (Vega-Lite plus an SVG fallback, so an executed notebook shows a
 * picture on renderers without Vega-Lite). Nothing here trains or reads
 * files.
 *
 * ```ts
 * const spec = lossCurves(rows, { title: "Training loss" });
 * await Deno.writeTextFile("loss.svg", await renderSvg(spec));
 * ```
 * @module
 */
import * as vl from "vega-lite";
import * as vega from "vega";
import type { MetricRow } from "../ledger/evidence.ts";
import type { RunRecord } from "../train/results.ts";
import { isMainPathConv } from "../models/cifar_net.ts";

/** A Vega-Lite spec (top level). */
export type Spec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const SIZE = { width: 420, height: 260 };

/**
 * Training loss over steps, one line per variant (mean over seeds) with a
 * band of one standard deviation. Uses the total loss rows (`layer` empty)
 * unless `head` names one.
 */
export function lossCurves(rows: MetricRow[], opts: { title?: string; head?: string; logY?: boolean } = {}): Spec {
  const values = rows
    .filter((r) =>
      r.split === "train" && r.metric === "loss" && r.layer === (opts.head ?? "") && Number.isFinite(r.value)
    )
    .map(({ variant, seed, step, value }) => ({ variant, seed, step, value }));
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Training loss",
    ...SIZE,
    data: { values },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step" },
      color: { field: "variant", type: "nominal" },
    },
    layer: [
      {
        mark: { type: "errorband", extent: "stdev", opacity: 0.25 },
        encoding: {
          y: { field: "value", type: "quantitative", title: "loss", scale: { type: opts.logY ? "log" : "linear" } },
        },
      },
      { mark: { type: "line" }, encoding: { y: { aggregate: "mean", field: "value", type: "quantitative" } } },
    ],
  };
}

/** Order of layers along the forward path, from kernel names (their order in `metrics.csv`). */
export function layerDepths(rows: MetricRow[]): Map<string, number> {
  const order = new Map<string, number>();
  for (const r of rows) if (r.metric === "grad_norm" && !order.has(r.layer)) order.set(r.layer, order.size + 1);
  return order;
}

/**
 * Gradient L2 norm against layer depth (log scale) at chosen steps, one line
 * per variant, one panel per step: vanishing gradients show as a slope.
 * Only main-path conv kernels are drawn (auxiliary heads and the classifier
 * are left out, so variants share the x axis).
 */
export function gradNormByDepth(rows: MetricRow[], steps: number[], opts: { title?: string } = {}): Spec {
  const conv = rows.filter((r) => r.metric === "grad_norm" && isMainPathConv(r.layer));
  const values: Record<string, unknown>[] = [];
  for (const variant of new Set(conv.map((r) => r.variant))) {
    const vrows = conv.filter((r) => r.variant === variant);
    const depth = layerDepths(vrows);
    for (const r of vrows) {
      if (steps.includes(r.step)) {
        values.push({
          variant,
          seed: r.seed,
          step: `step ${r.step}`,
          depth: depth.get(r.layer),
          layer: r.layer,
          value: r.value,
        });
      }
    }
  }
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Gradient norm by layer depth",
    data: { values },
    facet: { column: { field: "step", type: "nominal", title: null, sort: steps.map((s) => `step ${s}`) } },
    spec: {
      ...SIZE,
      width: 300,
      mark: { type: "line", point: { size: 12 } },
      encoding: {
        x: { field: "depth", type: "quantitative", title: "conv layer (input side = 1)" },
        y: {
          aggregate: "mean",
          field: "value",
          type: "quantitative",
          title: "gradient L2 norm",
          scale: { type: "log" },
        },
        color: { field: "variant", type: "nominal" },
      },
    },
  };
}

/** The first and last main-path conv layers' gradient norms over steps (log scale), per variant. */
export function firstLastGradNorm(rows: MetricRow[], opts: { title?: string } = {}): Spec {
  const values: Record<string, unknown>[] = [];
  for (const variant of new Set(rows.map((r) => r.variant))) {
    const conv = rows.filter((r) => r.variant === variant && r.metric === "grad_norm" && isMainPathConv(r.layer));
    const depth = layerDepths(conv);
    const first = [...depth.keys()][0], last = [...depth.keys()].at(-1);
    for (const r of conv) {
      if (r.layer === first || r.layer === last) {
        values.push({
          variant,
          seed: r.seed,
          step: r.step,
          layer: r.layer === first ? "first conv" : "last conv",
          value: r.value,
        });
      }
    }
  }
  return {
    $schema: SCHEMA,
    title: opts.title ?? "First and last conv layer's gradient norm",
    ...SIZE,
    data: { values },
    mark: { type: "line" },
    encoding: {
      x: { field: "step", type: "quantitative" },
      y: { aggregate: "mean", field: "value", type: "quantitative", title: "gradient L2 norm", scale: { type: "log" } },
      color: { field: "variant", type: "nominal" },
      strokeDash: { field: "layer", type: "nominal" },
    },
  };
}

/** Horizontal bars of a cost per item (e.g. multiply-adds per model or block). */
export function costBars(
  rows: Array<{ name: string; value: number; group?: string }>,
  opts: { title?: string; unit?: string; logX?: boolean } = {},
): Spec {
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Cost",
    width: SIZE.width,
    data: { values: rows },
    mark: { type: "bar" },
    encoding: {
      y: { field: "name", type: "nominal", sort: null, title: null },
      x: {
        field: "value",
        type: "quantitative",
        title: opts.unit ?? "",
        scale: { type: opts.logX ? "log" : "linear" },
      },
      ...(rows.some((r) => r.group) ? { color: { field: "group", type: "nominal" } } : {}),
    },
  };
}

/** Final error per variant: a point per seed and the mean as a tick. */
export function errorByVariant(
  rows: Array<{ variant: string; seed: number; value: number }>,
  opts: { title?: string; metric?: string } = {},
): Spec {
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Test error",
    width: SIZE.width,
    data: { values: rows.map((r) => ({ ...r, value: 100 * r.value })) },
    encoding: { y: { field: "variant", type: "nominal", sort: null, title: null } },
    layer: [
      {
        mark: { type: "point", filled: true, opacity: 0.6 },
        encoding: {
          x: { field: "value", type: "quantitative", title: `${opts.metric ?? "error"} (%)`, scale: { zero: false } },
        },
      },
      {
        mark: { type: "tick", thickness: 2, size: 16 },
        encoding: { x: { aggregate: "mean", field: "value", type: "quantitative" } },
      },
    ],
  };
}

/** The main head's test error of every complete run: a point per seed, the mean as a tick. */
export function testErrorChart(runs: RunRecord[]): Spec {
  return errorByVariant(
    runs.filter((r) => r.status === "complete").map((r) => ({
      variant: r.variant,
      seed: r.seed,
      value: r.summary.test_error_main,
    })),
  );
}

/** Test error with each block deleted in turn (lesion study), one line per variant; `none` is the intact net. */
export function lesionChart(
  rows: Array<{ variant: string; block: string; error: number }>,
  opts: { title?: string } = {},
): Spec {
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Test error with one block deleted",
    ...SIZE,
    width: 560,
    data: { values: rows.map((r) => ({ ...r, error: 100 * r.error })) },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "block", type: "ordinal", sort: null, title: "deleted block (none = intact)" },
      y: { field: "error", type: "quantitative", title: "test error (%)", scale: { type: "log" } },
      color: { field: "variant", type: "nominal" },
    },
  };
}

/** Compiles a Vega-Lite spec (throws on an invalid one). */
export function compile(spec: Spec): vega.Spec {
  return vl.compile(spec as unknown as vl.TopLevelSpec).spec;
}

/** Renders a Vega-Lite spec to an SVG string, headless. */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Jupyter MIME bundle: Vega-Lite for live renderers, SVG for the rest. */
export async function mimeBundle(spec: Spec): Promise<Record<string, unknown>> {
  return { "application/vnd.vegalite.v5+json": spec, "image/svg+xml": await renderSvg(spec) };
}
