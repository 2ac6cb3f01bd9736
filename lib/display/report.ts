/**
 * The last steps of the pipeline, after training: analyse the stored runs,
 * judge them, and render the charts to SVG beside them. `reproduce`, `run`,
 * a notebook's Train cell and a sweep's judge job all end an experiment with
 * {@link reportExperiment}; a worker of a sweep stops before it.
 *
 * ```ts
 * const plan = await planRuns(exp, "smoke");
 * const { failures } = await trainRuns(plan, ctx);
 * const result = await reportExperiment(exp, "smoke", plan, failures, ctx);
 * ```
 * @module
 */
import { join } from "node:path";
import type { Scale } from "../pipeline/experiment.ts";
import type { Experiment } from "../pipeline/experiment.ts";
import { analyseRuns, type ExperimentResult, judgeRuns, type Plan } from "../pipeline/pipeline.ts";
import type { RunContext } from "../train/runner.ts";
import { renderSvg, type Spec } from "./charts.ts";
import { writeFileAtomic } from "../_util.ts";

/** Renders every spec to `<dir>/<name>.svg` (and its Vega-Lite spec as `.vl.json`); returns the SVG files by name. */
export async function renderCharts(specs: Record<string, Spec>, dir: string): Promise<Record<string, string>> {
  const charts: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    await Deno.mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.svg`);
    await writeFileAtomic(file, await renderSvg(spec));
    await writeFileAtomic(join(dir, `${name}.vl.json`), JSON.stringify(spec));
    charts[name] = file;
  }
  return charts;
}

/**
 * Analyses (when the data is at hand: a sweep's judge job trains nothing but
 * computes them), judges and renders one experiment's planned runs, as
 * stored; `failures` are this pass's training failures, passed through.
 */
export async function reportExperiment(
  exp: Experiment,
  scale: Scale,
  plan: Plan,
  failures: string[],
  ctx: Omit<RunContext, "data"> & { data?: RunContext["data"] },
): Promise<ExperimentResult> {
  if (ctx.data) await analyseRuns(exp, scale, plan, { ...ctx, data: ctx.data });
  const judged = await judgeRuns(exp, scale, plan, ctx);
  ctx.observer?.onStage?.("drawing the charts");
  const charts = await renderCharts(judged.specs, join(ctx.outRoot, exp.name, "charts"));
  return { experiment: exp, scale, plan, failures, ...judged, charts };
}
