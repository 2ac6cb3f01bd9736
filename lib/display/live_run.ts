/**
 * A notebook's Train cell in one call: the pipeline with a live progress
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
import { expandRuns, type Experiment, type Scale } from "../pipeline/experiment.ts";
import { type ExperimentResult, logPath, type PipelineContext, runExperiment } from "../pipeline/pipeline.ts";
import { experimentProgress, fileLog, jupyterOutput, stderrOutput } from "./progress.ts";
import { type LiveChartOptions, liveCharts } from "./live_chart.ts";
import { kernelDisplay } from "./jupyter.ts";

/**
 * Runs `exp` at `scale` through {@link runExperiment} with a progress display
 * and live charts (in Jupyter; on stderr elsewhere, without charts).
 */
export async function runLive(
  exp: Experiment,
  scale: Scale,
  ctx: PipelineContext,
  opts: { charts?: LiveChartOptions["charts"]; liveCharts?: boolean } = {},
): Promise<ExperimentResult> {
  const display = kernelDisplay();
  const log = logPath(ctx.outRoot, exp.name);
  const output = display ? jupyterOutput(display, { footer: `Details: \`${log}\`.` }) : stderrOutput();
  const configs = expandRuns(exp, scale);
  const progress = experimentProgress(exp.name, { output, log: fileLog(log), total: configs.length });
  const variants = [...new Set(configs.map((c) => c.variant))];
  const live = (opts.liveCharts ?? true) && display ? liveCharts({ variants, charts: opts.charts }) : undefined;
  try {
    return await runExperiment(exp, scale, {
      ...ctx,
      ...progress.hooks,
      onRecord: live ? (cfg) => live.sinkFor(cfg.variant, cfg.seed) : undefined,
    });
  } finally {
    await progress.done();
    await live?.flush();
  }
}
