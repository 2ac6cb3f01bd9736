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
import { Resvg } from "@resvg/resvg-js";
import { Buffer } from "node:buffer";
import type { MetricRow } from "../ledger/evidence.ts";
import { hasData, type Spec } from "../pipeline/experiment.ts";
import type { RunRecord } from "../train/results.ts";
import { layerRole, onMainPath } from "../models/nets.ts";

/** A Vega-Lite spec (top level). */
/** A Vega-Lite spec (the type the experiments' chart functions return). */
export type { Spec };

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
const SIZE = { width: 420, height: 260 };

/** Colour by variant; a fixed domain keeps each variant's colour while variants are added (live charts). */
function variantColor(variants?: string[]) {
  return { field: "variant", type: "nominal", ...(variants ? { scale: { domain: variants } } : {}) };
}

/** Options every per-variant chart takes. */
export interface VariantChartOptions {
  title?: string;
  /** Every variant the chart will ever show, in order: fixes the colours (default: those in the data). */
  variants?: string[];
}

/**
 * Losses above this are drawn at it and marked: one diverging run (a loss of
 * 1e16) must not flatten everyone else's curve. Ten is over four times the
 * 10-class starting loss (ln 10 = 2.3), and above a net with two 0.3-weighted
 * auxiliary heads at its start (3.7).
 */
export const LOSS_CAP = 10;

/** Losses drawn at the cap: a red triangle each, the real value in the tooltip. */
const OFF_SCALE_LAYER = {
  transform: [{ filter: "datum.offScale" }],
  mark: { type: "point", shape: "triangle-up", filled: true, color: "#d62728", size: 40 },
  encoding: {
    y: { field: "value", type: "quantitative" },
    tooltip: [{ field: "variant" }, { field: "seed" }, { field: "step" }, { field: "loss", title: "loss" }],
  },
};

/**
 * Training loss over steps, one line per variant (mean over seeds) with a
 * band of one standard deviation. Uses the total loss rows (`layer` empty)
 * unless `head` names one. Values above `cap` (default {@link LOSS_CAP}) and
 * non-finite ones are drawn at the cap with a red triangle: off the scale.
 */
export function lossCurves(
  rows: MetricRow[],
  opts: VariantChartOptions & { head?: string; logY?: boolean; cap?: number } = {},
): Spec {
  const cap = opts.cap ?? LOSS_CAP;
  const values = rows
    .filter((r) => r.split === "train" && r.metric === "loss" && r.layer === (opts.head ?? ""))
    .map(({ variant, seed, step, value }) => {
      const off = !Number.isFinite(value) || value > cap;
      return { variant, seed, step, value: off ? cap : value, loss: value, offScale: off };
    });
  const y = { field: "value", type: "quantitative", title: "loss", scale: { type: opts.logY ? "log" : "linear" } };
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Training loss",
    ...(values.some((v) => v.offScale)
      ? { description: `losses above ${cap} are drawn at ${cap} (red triangles)` }
      : {}),
    ...SIZE,
    data: { values },
    encoding: {
      x: { field: "step", type: "quantitative", title: "step" },
      color: variantColor(opts.variants),
    },
    layer: [
      { mark: { type: "errorband", extent: "stdev", opacity: 0.25 }, encoding: { y } },
      { mark: { type: "line" }, encoding: { y: { aggregate: "mean", field: "value", type: "quantitative" } } },
      // Only with values off the scale: a filtered-out layer has an empty, infinite extent.
      ...(values.some((v) => v.offScale) ? [OFF_SCALE_LAYER] : []),
    ],
  };
}

/**
 * A gradient norm a log scale can draw. A zero norm (no gradient at all: a
 * dead net) has no place on it and is left out; the run's metrics.csv keeps it.
 */
function onLogScale(v: number): boolean {
  return Number.isFinite(v) && v > 0;
}

/** Whether a row is a main-path convolution's (lib/models/nets.ts roles; rows without a net family are not). */
function mainPathConv(r: MetricRow): boolean {
  return r.model !== undefined && onMainPath(layerRole(r.model, r.layer));
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
export function gradNormByDepth(rows: MetricRow[], steps: number[], opts: VariantChartOptions = {}): Spec {
  const conv = rows.filter((r) => r.metric === "grad_norm" && mainPathConv(r));
  const values: Record<string, unknown>[] = [];
  for (const variant of new Set(conv.map((r) => r.variant))) {
    const vrows = conv.filter((r) => r.variant === variant);
    const depth = layerDepths(vrows);
    for (const r of vrows) {
      if (steps.includes(r.step) && onLogScale(r.value)) {
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
      // Three panels and the legend fit JupyterLab's output area (about 1,000 px at a 1,400 px window).
      width: 200,
      height: SIZE.height,
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
        color: variantColor(opts.variants),
      },
    },
  };
}

/** The first and last main-path conv layers' gradient norms over steps (log scale), per variant. */
export function firstLastGradNorm(rows: MetricRow[], opts: VariantChartOptions = {}): Spec {
  const values: Record<string, unknown>[] = [];
  for (const variant of new Set(rows.map((r) => r.variant))) {
    const conv = rows.filter((r) => r.variant === variant && r.metric === "grad_norm" && mainPathConv(r));
    const depth = layerDepths(conv);
    const first = [...depth.keys()][0], last = [...depth.keys()].at(-1);
    for (const r of conv) {
      if ((r.layer === first || r.layer === last) && onLogScale(r.value)) {
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
      color: variantColor(opts.variants),
      strokeDash: { field: "layer", type: "nominal" },
    },
  };
}

/**
 * A cost per item (e.g. multiply-adds per model or block): horizontal bars,
 * or with `logX` a dot per item (a bar on a log scale has no zero to start from).
 */
export function costBars(
  rows: Array<{ name: string; value: number; group?: string }>,
  opts: { title?: string; unit?: string; logX?: boolean } = {},
): Spec {
  const x = {
    field: "value",
    type: "quantitative",
    title: opts.unit ?? "",
    ...(opts.logX ? { scale: { type: "log" } } : {}),
  };
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Cost",
    width: SIZE.width,
    data: { values: rows },
    mark: opts.logX ? { type: "point", filled: true, size: 60 } : { type: "bar" },
    encoding: {
      y: { field: "name", type: "nominal", sort: null, title: null },
      x,
      ...(rows.some((r) => r.group) ? { color: { field: "group", type: "nominal" } } : {}),
      tooltip: [{ field: "name" }, { field: "value", format: ",.4~g" }],
    },
  };
}

/** Final error per variant: a point per seed and the mean as a tick. */
export function errorByVariant(
  rows: Array<{ variant: string; seed: number; value: number }>,
  opts: VariantChartOptions & { metric?: string } = {},
): Spec {
  return {
    $schema: SCHEMA,
    title: opts.title ?? "Test error",
    width: SIZE.width,
    data: { values: rows.map((r) => ({ ...r, value: 100 * r.value })) },
    encoding: { y: { field: "variant", type: "nominal", sort: opts.variants ?? null, title: null } },
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
    // Runs stopped before the end of their schedule (a prefix scale) have no test error yet.
    runs.filter((r) => r.status === "complete" && Number.isFinite(r.summary.test_error_main)).map((r) => ({
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

export { hasData };

/** Collects warnings instead of printing them (Vega and Vega-Lite log to the console by default). */
function collector(into: string[]) {
  const logger = {
    level: (_?: number) => logger as never,
    error: (...m: unknown[]) => void into.push(`error: ${m.join(" ")}`),
    warn: (...m: unknown[]) => void into.push(m.join(" ")),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Compiles a Vega-Lite spec (throws on an invalid one); warnings go to `warnings` when given. */
export function compile(spec: Spec, warnings?: string[]): vega.Spec {
  const opts = warnings ? { logger: collector(warnings) as unknown as vl.Config } : {};
  return vl.compile(spec as unknown as vl.TopLevelSpec, opts as never).spec;
}

/** Renders a Vega-Lite spec to an SVG string, headless; warnings go to `warnings` when given. */
export async function renderSvg(spec: Spec, warnings?: string[]): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec, warnings)), {
    renderer: "none",
    ...(warnings ? { logger: collector(warnings) as unknown as vega.LoggerInterface, logLevel: vega.Warn } : {}),
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The warnings Vega-Lite and Vega give for a spec ("Infinite extent", "Log scale domain includes zero", ...). */
export async function chartWarnings(spec: Spec): Promise<string[]> {
  const warnings: string[] = [];
  await renderSvg(spec, warnings);
  return warnings;
}

/**
 * Rasterises an SVG to PNG with resvg (system fonts; DejaVu Sans when the
 * chart's sans-serif is not found), at twice the size for sharp screens.
 */
export function svgToPng(svg: string): Uint8Array {
  return new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: 2 },
  }).render().asPng();
}

/**
 * The Jupyter MIME bundle: Vega-Lite for live renderers, SVG and PNG for the
 * rest. The PNG is also what JupyterLab adds to a Vega-Lite output it renders
 * when the output has none, marking the notebook modified: carrying it keeps
 * an executed notebook unchanged by merely opening it. `static: false` leaves
 * out both pictures (a live chart between its updates).
 */
export async function mimeBundle(spec: Spec, opts: { static?: boolean } = {}): Promise<Record<string, unknown>> {
  const bundle: Record<string, unknown> = { "application/vnd.vegalite.v5+json": spec };
  if (opts.static ?? true) {
    const svg = await renderSvg(spec);
    bundle["image/svg+xml"] = svg;
    bundle["image/png"] = Buffer.from(svgToPng(svg)).toString("base64");
  }
  return bundle;
}
