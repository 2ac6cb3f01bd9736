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
import { meanSd } from "./stats.ts";

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
  a: number;
  b: number;
  delta: number;
  /** Standard error of the difference. */
  se: number;
  /** `higher`/`lower` when |delta| > 2 se, `same` within noise, `n/a` when not comparable. */
  verdict: "higher" | "lower" | "same" | "n/a";
}

/**
 * Standard error of a difference of means. With one seed there is no spread
 * over seeds; an error rate then uses its binomial standard error on the
 * test set, sqrt(p (1 - p) / n), as the noise floor.
 */
export function diffStdErr(
  a: { mean: number; sd: number; n: number },
  b: { mean: number; sd: number; n: number },
  binomialN?: number,
): number {
  const part = (s: { mean: number; sd: number; n: number }) => {
    const seedVar = Number.isFinite(s.sd) ? s.sd ** 2 / s.n : NaN;
    const binVar = binomialN ? s.mean * (1 - s.mean) / binomialN / s.n : NaN;
    if (Number.isFinite(seedVar) && Number.isFinite(binVar)) return Math.max(seedVar, binVar);
    return Number.isFinite(seedVar) ? seedVar : binVar;
  };
  return Math.sqrt(part(a) + part(b));
}

/**
 * Compares two result directories (each holding experiment directories) per
 * experiment, variant and summary metric. Malformed run records are skipped
 * with a warning; the comparison still completes.
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
        const a = meanSd(va.map((r) => r.summary[metric]));
        const b = meanSd(vb.map((r) => r.summary[metric]));
        const testN = /error/.test(metric) ? va[0]?.config.testSize : undefined;
        const se = diffStdErr(a, b, testN);
        const delta = b.mean - a.mean;
        const verdict = !Number.isFinite(delta) || !Number.isFinite(se)
          ? "n/a"
          : Math.abs(delta) > 2 * se
          ? (delta > 0 ? "higher" : "lower")
          : "same";
        deltas.push({ experiment, variant, metric, a: a.mean, b: b.mean, delta, se, verdict });
      }
    }
  }
  return deltas;
}
