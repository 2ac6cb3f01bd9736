/**
 * A notebook's Train cell in one call: plan, train and report with a live progress
 * line (runs done of total, the current run's step, loss, images/s, time
 * left), live charts that start from the reused runs' history, and the
 * details in the results root's log file. Everything it displays is awaited
 * before it returns, so no output lands under the next cell.
 *
 * ```ts
 * const result = await runLive(exp, "quick", { data, backend, outRoot: "../results" });
 * ```
 * @module
 */
import type { Experiment, Scale } from "../pipeline/experiment.ts";
import { type ExperimentResult, logPath, planRuns, trainRuns } from "../pipeline/pipeline.ts";
import type { RunContext } from "../train/runner.ts";
import { runEstimates } from "../pipeline/plan.ts";
import { reportExperiment } from "./report.ts";
import { experimentProgress, fileLog, jupyterOutput, stderrOutput } from "./progress.ts";
import { type LiveChartOptions, liveCharts } from "./live_chart.ts";
import { kernelDisplay } from "./jupyter.ts";

/**
 * Trains `exp` at `scale` (reusing complete runs) and reports on it, with a
 * progress display and live charts (in Jupyter; on stderr elsewhere, without charts).
 */
export async function runLive(
  exp: Experiment,
  scale: Scale,
  ctx: RunContext,
  opts: { charts?: LiveChartOptions["charts"]; liveCharts?: boolean } = {},
): Promise<ExperimentResult> {
  const display = kernelDisplay();
  const log = logPath(ctx.outRoot, exp.name);
  const output = display ? jupyterOutput(display, { footer: `Details: \`${log}\`.` }) : stderrOutput();
  const plan = await planRuns(exp, scale);
  const estimates = await runEstimates(plan.map((p) => p.config), ctx.backend.name);
  const progress = experimentProgress(exp.name, { output, log: fileLog(log), total: plan.length, estimates });
  const variants = [...new Set(plan.map((p) => p.config.variant))];
  const live = (opts.liveCharts ?? true) && display ? liveCharts({ variants, charts: opts.charts }) : undefined;
  try {
    const observer = {
      ...progress.hooks,
      onRecord: live ? (cfg: { variant: string; seed: number; model: string }) => live.sinkFor(cfg) : undefined,
    };
    const { failures } = await trainRuns(plan, { ...ctx, observer });
    return await reportExperiment(exp, scale, plan, failures, { ...ctx, observer });
  } finally {
    await progress.done();
    await live?.flush();
  }
}
