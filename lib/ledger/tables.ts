/**
 * Results as tables (arquero): per-variant summaries over seeds, the long
 * metrics of every run, and comparisons between two result sets.
 *
 * ```ts
 * const runs = await listRuns("results/depth-aux-residual");
 * console.log(formatSummary(summarize(runs)));
 * ```
 * @module
 */
import * as aq from "arquero";
import { join } from "node:path";
import { listRuns, type RunRecord } from "../train/results.ts";
import { hasSpread, meanSd, welchT } from "./stats.ts";
import binomialTest from "@stdlib/stats-binomial-test";

/** An arquero table (the type arquero's `from` returns). */
export type Table = ReturnType<typeof aq.from>;

/** Summary metrics shown by default, in this order. */
export const SUMMARY_METRICS = ["test_error_main", "final_train_loss", "train_error", "val_error", "train_val_gap"];

/** One row per variant: runs, diverged runs, parameters, and mean/sd over seeds of each metric. */
export function summarize(records: RunRecord[], metrics = SUMMARY_METRICS): Table {
  const variants = [...new Set(records.map((r) => r.variant))];
  return aq.from(variants.map((variant) => {
    const rs = records.filter((r) => r.variant === variant);
    const row: Record<string, unknown> = {
      variant,
      runs: rs.length,
      diverged: rs.filter((r) => r.status === "diverged").length,
      params: rs[0].params.inference,
    };
    for (const m of metrics) {
      const s = meanSd(rs.filter((r) => r.status === "complete").map((r) => r.summary[m]));
      row[`${m}_mean`] = s.mean;
      row[`${m}_sd`] = s.sd;
    }
    return row;
  }));
}

/** A table cell: a rate in percent with two decimals (`pct`), anything else with four; `-` when not finite. */
export function formatValue(x: number, pct: boolean): string {
  if (!Number.isFinite(x)) return "-";
  return pct ? `${(100 * x).toFixed(2)}%` : x.toFixed(4);
}

/** Mean ± standard deviation as a table cell, in the units of {@link formatValue}. */
function formatMeanSd(mean: number, sd: number, pct: boolean): string {
  if (!Number.isFinite(mean)) return "-";
  const k = pct ? 100 : 1, d = pct ? 2 : 4;
  return `${(mean * k).toFixed(d)}${Number.isFinite(sd) ? ` ± ${(sd * k).toFixed(d)}` : ""}${pct ? "%" : ""}`;
}

/** A summary as a Markdown table (errors in percent, ± one standard deviation over seeds). */
export function formatSummary(t: Table, metrics = SUMMARY_METRICS): string {
  const rows = t.objects() as Record<string, number | string>[];
  const head = ["variant", "runs", "diverged", "params", ...metrics];
  const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
  for (const r of rows) {
    const cells = metrics.map((m) =>
      formatMeanSd(r[`${m}_mean`] as number, r[`${m}_sd`] as number, /error|gap/.test(m))
    );
    lines.push(`| ${r.variant} | ${r.runs} | ${r.diverged} | ${r.params} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** One row of {@link compareResults}. */
export interface Delta {
  experiment: string;
  variant: string;
  metric: string;
  /** Mean over A's seeds and B's. */
  a: number;
  b: number;
  /** B - A. */
  delta: number;
  /** Seeds on each side. */
  n: [number, number];
  /** The test used: Welch's t over the seeds of each side, or an exact binomial test on B's test-set count. */
  test: "Welch t" | "binomial" | "none";
  /** Its two-sided p-value (NaN when no test was possible). */
  p: number;
  /** `higher`/`lower` when p < 0.05, `same` when not, `n/a` when no test was possible. */
  verdict: "higher" | "lower" | "same" | "n/a";
}

/** How many images an error-rate metric was counted on (0 when the metric is not a rate). */
export function imagesBehind(metric: string, cfg: RunRecord["config"]): number {
  if (/^test_error/.test(metric)) return cfg.testSize;
  if (metric === "val_error" || metric === "best_val_error") return cfg.valSize;
  if (metric === "train_error") return Math.min(cfg.trainEvalSize, cfg.trainSize || Infinity);
  return 0;
}

/**
 * The test of one row: Welch's t when both sides have two or more seeds;
 * when a side has one seed and the metric is an error rate, an exact
 * binomial test of B's count of errors on its test set against A's rate
 * (A's seeds averaged); otherwise none.
 */
export function compareTest(
  a: number[],
  b: number[],
  rate?: { testSize: number },
): { test: Delta["test"]; p: number } {
  const x = a.filter(Number.isFinite), y = b.filter(Number.isFinite);
  if (x.length >= 2 && y.length >= 2) {
    const r = welchT(x, y);
    return hasSpread(r) ? { test: "Welch t", p: r.p } : { test: "none", p: NaN };
  }
  if (rate && x.length >= 1 && y.length >= 1) {
    // The side with one seed is the one counted; the other's mean is the rate it is tested against.
    const [counted, against] = y.length === 1 ? [y[0], meanSd(x).mean] : [x[0], meanSd(y).mean];
    const k = Math.round(counted * rate.testSize);
    const p0 = Math.min(Math.max(against, 1e-12), 1 - 1e-12);
    return { test: "binomial", p: binomialTest(k, rate.testSize, { p: p0 }).pValue };
  }
  return { test: "none", p: NaN };
}

/**
 * Compares two result directories (each holding experiment directories) per
 * experiment, variant and summary metric, each row with its test (see
 * {@link compareTest}). Malformed run records are skipped with a warning;
 * the comparison still completes.
 */
export async function compareResults(
  dirA: string,
  dirB: string,
  opts: { metrics?: string[]; warn?: (m: string) => void } = {},
): Promise<Delta[]> {
  const metrics = opts.metrics ?? SUMMARY_METRICS;
  const experiments = async (d: string) => {
    const out: string[] = [];
    for await (const e of Deno.readDir(d)) if (e.isDirectory) out.push(e.name);
    return out;
  };
  const inB = new Set(await experiments(dirB));
  const deltas: Delta[] = [];
  for (const experiment of (await experiments(dirA)).filter((e) => inB.has(e)).sort()) {
    const ra = await listRuns(join(dirA, experiment), opts.warn);
    const rb = await listRuns(join(dirB, experiment), opts.warn);
    for (const variant of [...new Set(ra.map((r) => r.variant))]) {
      const va = ra.filter((r) => r.variant === variant && r.status === "complete");
      const vb = rb.filter((r) => r.variant === variant && r.status === "complete");
      for (const metric of metrics) {
        const xa = va.map((r) => r.summary[metric]).filter(Number.isFinite);
        const xb = vb.map((r) => r.summary[metric]).filter(Number.isFinite);
        const a = meanSd(xa).mean, b = meanSd(xb).mean;
        const counted = (xb.length === 1 ? vb : va)[0]?.config;
        const images = counted ? imagesBehind(metric, counted) : 0;
        const { test, p } = compareTest(xa, xb, images ? { testSize: images } : undefined);
        const delta = b - a;
        const verdict = !Number.isFinite(p) ? "n/a" : p < 0.05 ? (delta > 0 ? "higher" : "lower") : "same";
        deltas.push({ experiment, variant, metric, a, b, delta, n: [xa.length, xb.length], test, p, verdict });
      }
    }
  }
  return deltas;
}
