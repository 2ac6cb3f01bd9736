/**
 * How `run` and `reproduce` hand their runs out, in one place: to Slurm (one
 * job array per experiment and a judge job after them), or to this process
 * (all of a scale, one shard of it, or one run by id), with the progress
 * line and the detail log. The commands parse flags and say what to do; this
 * module does it the same way for both.
 *
 * ```ts
 * const jobs = await submitToSlurm([exp], "full", flags, { command: "run", judgeFlags: [] });
 * const result = await trainHere(exp, "quick", { data, backend, outRoot, force: false, train: true, report: true });
 * ```
 * @module
 */
import { join } from "node:path";
import type { Experiment, Scale } from "../../lib/pipeline/experiment.ts";
import { type ExperimentResult, logPath, planRuns, type RunSelection, trainRuns } from "../../lib/pipeline/pipeline.ts";
import type { RunContext } from "../../lib/train/runner.ts";
import { runEstimates } from "../../lib/pipeline/plan.ts";
import { reportExperiment } from "../../lib/display/report.ts";
import { formatSubmission, runsToSubmit, sbatchDirectives, submitSweep } from "../../lib/cluster/slurm.ts";
import { experimentProgress, fileLog } from "../../lib/display/progress.ts";
import { RUN_FLAGS, SWEEP_FLAGS } from "../../lib/env/cli.ts";

/** The scripts the Slurm jobs start, relative to the project root. */
export const ENTRIES = {
  run: "experiments/commands/run.ts",
  reproduce: "experiments/commands/reproduce.ts",
} as const;

/** The flags of `run` and `reproduce` that dispatch reads. */
type DispatchFlags = Pick<
  typeof RUN_FLAGS & typeof SWEEP_FLAGS,
  "backend" | "dataDir" | "sbatch" | "concurrency" | "checkpointMinutes"
>;

/**
 * Submits every run of `experiments` at `scale` that is not complete in
 * `outRoot` as Slurm job arrays, with a judge job after them; prints what
 * was submitted. `command` names the script the judge reruns with `--no-train`.
 */
export async function submitToSlurm(
  experiments: Experiment[],
  scale: Scale,
  outRoot: string,
  flags: DispatchFlags,
  o: { command: "run" | "reproduce"; judgeFlags: string[]; select?: RunSelection },
): Promise<void> {
  const sweeps = [];
  let planned = 0;
  for (const exp of experiments) {
    const plan = await planRuns(exp, scale, o.select);
    planned += plan.length;
    sweeps.push({ experiment: exp.name, ids: await runsToSubmit(join(outRoot, exp.name), plan) });
  }
  const jobs = await submitSweep(sweeps, {
    command: o.command,
    scale,
    outRoot,
    sbatch: sbatchDirectives(flags.sbatch),
    concurrency: flags.concurrency,
    // Every task and the judge load the same backend and data as a local run would.
    passFlags: [
      ...(flags.backend !== "auto" ? ["--backend", flags.backend] : []),
      ...(flags.dataDir ? ["--data-dir", flags.dataDir] : []),
      ...(flags.checkpointMinutes !== SWEEP_FLAGS.checkpointMinutes
        ? ["--checkpoint-minutes", String(flags.checkpointMinutes)]
        : []),
    ],
    judgeFlags: o.judgeFlags,
    experiments: experiments.map((e) => e.name),
    entries: { run: ENTRIES.run, judge: ENTRIES[o.command] },
  });
  console.error(formatSubmission(jobs, planned, outRoot));
}

/**
 * Trains (or reuses) one experiment's selected runs in this process (unless
 * `train` is false: a judge job reads what workers stored), with the
 * progress line and `results/logs/<experiment>.log`, then reports on them
 * (analyses, claims, charts) unless `report` is false (a worker's share of
 * a sweep, judged once at the end: then only `plan` and `failures` are
 * returned). Prints the failures and where the details are.
 */
export async function trainHere(
  exp: Experiment,
  scale: Scale,
  ctx: RunContext & { train: boolean; report: boolean },
  select: RunSelection = {},
): Promise<Pick<ExperimentResult, "plan" | "failures"> & Partial<ExperimentResult> & { stopped?: boolean }> {
  const log = logPath(ctx.outRoot, exp.name);
  const plan = await planRuns(exp, scale, select);
  // Time to go from the plan's per-run estimates (bench speeds), corrected by the runs trained so far.
  const estimates = await runEstimates(plan.map((p) => p.config), ctx.backend.name);
  const progress = experimentProgress(exp.name, { log: fileLog(log), total: plan.length, estimates });
  const observer = progress.hooks;
  const { failures, stopped } = ctx.train
    ? await trainRuns(plan, { ...ctx, observer })
    : { failures: [], stopped: false };
  // Stopped on a signal: the run under way checkpointed; nothing is judged until the runs are done.
  const result = ctx.report && !stopped
    ? await reportExperiment(exp, scale, plan, failures, { ...ctx, observer })
    : undefined;
  await progress.done();
  for (const f of failures) console.error(`  failed: ${f}`);
  console.error(`  details: ${log}`);
  return result ?? { plan, failures, stopped };
}

/** The exit status of a command stopped on a signal after a checkpoint (EX_TEMPFAIL): run it again to resume. */
export const STOPPED_EXIT = 75;

/**
 * Stops training on SIGTERM (Slurm's preemption and `scontrol requeue`),
 * SIGUSR1 (the time-limit warning asked for with `--signal`) and Ctrl-C:
 * the run under way checkpoints at its next step and the command exits with
 * {@link STOPPED_EXIT}. A second Ctrl-C exits at once.
 */
export function stopOnSignals(): () => boolean {
  let stop = false;
  for (const sig of ["SIGTERM", "SIGUSR1", "SIGINT"] as const) {
    Deno.addSignalListener(sig, () => {
      if (stop && sig === "SIGINT") Deno.exit(130);
      stop = true;
      console.error(`${sig}: checkpointing the run under way, then stopping; the same command resumes it`);
    });
  }
  return () => stop;
}
