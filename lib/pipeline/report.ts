/**
 * An experiment's report from its stored runs: charts rendered to SVG (and
 * their Vega-Lite specs) in `<results>/<experiment>/charts/`, and its claims
 * judged for the ledger. Reads only what runs wrote; trains nothing.
 *
 * ```ts
 * const { entries, charts } = await reportExperiment(depthAuxResidual, "results");
 * ```
 * @module
 */
import { join } from "node:path";
import type { Experiment } from "./experiment.ts";
import { judge, type LedgerEntry } from "./claims.ts";
import { type MetricRow, renderSvg, type Spec } from "./charts.ts";
import { listRuns, type RunRecord } from "./results.ts";
import { loadMetrics } from "./tables.ts";
import { exists, writeFileAtomic } from "./_util.ts";

/** Runs, metric rows and extra artifacts (by run id, then file name) of an experiment. */
export async function loadExperiment(exp: Experiment, resultsRoot: string, warn?: (m: string) => void) {
  const expDir = join(resultsRoot, exp.name);
  const runs: RunRecord[] = (await listRuns(expDir, warn)).filter((r) => exists(join(expDir, r.id, "metrics.csv")));
  const rows = (await loadMetrics(expDir, runs)).objects() as unknown as MetricRow[];
  const artifacts: Record<string, Record<string, unknown>> = {};
  for (const r of runs) {
    artifacts[r.id] = {};
    for await (const e of Deno.readDir(join(expDir, r.id))) {
      if (e.name.endsWith(".json") && e.name !== "run.json" && e.name !== "model.json") {
        artifacts[r.id][e.name] = JSON.parse(await Deno.readTextFile(join(expDir, r.id, e.name)));
      }
    }
  }
  return { runs, rows, artifacts };
}

/** Renders the charts and judges the claims; returns the ledger entries and the SVG paths. */
export async function reportExperiment(
  exp: Experiment,
  resultsRoot: string,
  opts: { warn?: (m: string) => void } = {},
): Promise<{ entries: LedgerEntry[]; charts: Record<string, string>; specs: Record<string, Spec> }> {
  const { runs, rows, artifacts } = await loadExperiment(exp, resultsRoot, opts.warn);
  const specs = exp.charts && runs.length ? exp.charts(runs, rows, artifacts) : {};
  const charts: Record<string, string> = {};
  const dir = join(resultsRoot, exp.name, "charts");
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, spec] of Object.entries(specs)) {
    const values = (spec as { data?: { values?: unknown[] } }).data?.values;
    if (values && values.length === 0) continue; // nothing to draw at this scale
    const file = join(dir, `${name}.svg`);
    await writeFileAtomic(file, await renderSvg(spec));
    await writeFileAtomic(join(dir, `${name}.vl.json`), JSON.stringify(spec));
    charts[name] = file;
  }
  const entries: LedgerEntry[] = [];
  for (const c of exp.claims) entries.push(await judge(c, resultsRoot, opts.warn));
  return { entries, charts, specs };
}
