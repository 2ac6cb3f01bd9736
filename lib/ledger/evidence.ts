/**
 * The evidence of one experiment, read once from its results directory:
 * every planned run's record, its metric rows and its extra JSON files
 * (e.g. `lesion.json`), plus the experiment-level JSON files (e.g.
 * `timing.json`). Claims, charts and summaries are pure functions of it, so
 * judging never reads a file. The ledger reads files in two places only:
 * here, and `compareResults` in tables.ts, which lists two result
 * directories for `deno task compare`.
 *
 * ```ts
 * const ev = await loadEvidence("results", "depth-aux-residual", { ids: plannedIds });
 * const entries = ev.runs.length ? judgeClaims(exp.claims, ev) : [];
 * ```
 * @module
 */
import { join } from "node:path";
import { listRuns, parseMetricsCsv, type RunRecord } from "../train/results.ts";
import type { MetricRecord } from "../train/results.ts";
import { exists } from "../_util.ts";

/** What a claim or chart sees of one run. */
export interface RunEvidence {
  run: RunRecord;
  /** The run's metrics.csv rows. */
  rows: MetricRecord[];
  /** Other JSON files of the run directory (e.g. `lesion.json`), parsed, by file name. */
  artifacts: Record<string, unknown>;
}

/** A metrics row with its run's variant, seed and net family (`model`, for its layers' roles): what charts draw. */
export interface MetricRow extends MetricRecord {
  variant: string;
  seed: number;
  model?: string;
}

/** Everything stored about one experiment, read once. */
export interface Evidence {
  /** The experiment's name (its directory under the results root). */
  experiment: string;
  /** The runs (sorted by id), with their rows and artifacts. */
  runs: RunEvidence[];
  /** Experiment-level JSON files (`<results>/<experiment>/*.json`), parsed, by file name. */
  files: Record<string, unknown>;
}

/** Files that are not artifacts: the record itself and a saved model's topology. */
const NOT_ARTIFACTS = new Set(["run.json", "model.json"]);

async function readJsonFiles(dir: string, keep: (name: string) => boolean): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile && e.name.endsWith(".json") && keep(e.name)) names.push(e.name);
  for (const name of names.sort()) out[name] = JSON.parse(await Deno.readTextFile(join(dir, name)));
  return out;
}

/**
 * Reads an experiment's evidence. `ids` limits it to the runs a plan names
 * (so runs of another scale or an older config in the same directory never
 * enter a verdict); unreadable records are reported through `warn` and left
 * out; a run without metrics.csv (failed, or still running) has no rows.
 */
export async function loadEvidence(
  resultsRoot: string,
  experiment: string,
  opts: { ids?: string[]; warn?: (m: string) => void } = {},
): Promise<Evidence> {
  const expDir = join(resultsRoot, experiment);
  const ev: Evidence = { experiment, runs: [], files: {} };
  if (!exists(expDir)) return ev;
  ev.files = await readJsonFiles(expDir, () => true);
  const wanted = opts.ids ? new Set(opts.ids) : undefined;
  for (const run of await listRuns(expDir, opts.warn)) {
    if (wanted && !wanted.has(run.id)) continue;
    const dir = join(expDir, run.id);
    const file = join(dir, "metrics.csv");
    const rows = exists(file) ? parseMetricsCsv(await Deno.readTextFile(file), file) : [];
    ev.runs.push({ run, rows, artifacts: await readJsonFiles(dir, (n) => !NOT_ARTIFACTS.has(n)) });
  }
  return ev;
}

/** Every metric row of the evidence's runs, labelled with variant and seed (the input of the charts). */
export function metricRows(ev: Evidence): MetricRow[] {
  return ev.runs.flatMap((r) =>
    r.rows.map((m) => ({ variant: r.run.variant, seed: r.run.seed, model: r.run.config.model, ...m }))
  );
}

/** The run records of the evidence. */
export function records(ev: Evidence): RunRecord[] {
  return ev.runs.map((r) => r.run);
}
