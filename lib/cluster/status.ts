/**
 * Where a results root stands, from the run records alone (the same for
 * runs made locally, by `--shard` or by Slurm): per experiment, how many of a
 * scale's planned runs are complete, running, interrupted (a `running` record
 * whose process or Slurm job is gone: the next submission redoes it), failed,
 * diverged, stale (trained under another recipe: redone too) or missing; plus the Slurm jobs submitted into it and their state.
 *
 * ```ts
 * const s = await resultsStatus("results", "quick", ALL_EXPERIMENTS);
 * console.log(formatStatus(s));
 * ```
 * @module
 */
import { join } from "node:path";
import { exists } from "../_util.ts";
import type { Experiment, Scale } from "../pipeline/experiment.ts";
import { planRuns } from "../pipeline/pipeline.ts";
import { readRun, recipeOf, type RunRecord, stoppedShort } from "../train/results.ts";
import { RECIPE_VERSION } from "../train/config.ts";
import { jobState, LIVE_STATES, readJobs, type SubmittedJob } from "./slurm.ts";

/** One experiment's runs at a scale, by state. */
export interface ExperimentStatus {
  experiment: string;
  planned: number;
  complete: number;
  running: number;
  interrupted: number;
  failed: number;
  diverged: number;
  /** Finished under another recipe (`RECIPE_VERSION`): the next submission redoes them. */
  stale: number;
  missing: number;
  /** Runs that were resumed from a checkpoint at least once (complete or not). */
  resumed: number;
  /** One line per failed, interrupted or stale run: its id and why. */
  problems: string[];
  /** One line per resumed run: the steps it resumed from and where it stands. */
  resumes: string[];
}

/** A results root's status. */
export interface ResultsStatus {
  scale: Scale;
  experiments: ExperimentStatus[];
  jobs: Array<SubmittedJob & { state: string }>;
}

/** Whether the process or Slurm job that wrote a `running` record still lives. */
async function stillRunning(r: RunRecord): Promise<boolean> {
  if (r.slurm?.jobId) {
    const state = await jobState(r.slurm.jobId);
    return state === undefined || LIVE_STATES.has(state); // without scontrol here, trust the record
  }
  if (r.host && r.host !== Deno.hostname()) return true; // another machine's process: cannot tell
  return exists(`/proc/${r.pid}`);
}

/** Counts one experiment's planned runs by state. */
export async function experimentStatus(outRoot: string, exp: Experiment, scale: Scale): Promise<ExperimentStatus> {
  const s: ExperimentStatus = {
    experiment: exp.name,
    planned: 0,
    complete: 0,
    running: 0,
    interrupted: 0,
    failed: 0,
    diverged: 0,
    stale: 0,
    missing: 0,
    resumed: 0,
    problems: [],
    resumes: [],
  };
  for (const { id, config } of await planRuns(exp, scale)) {
    s.planned++;
    const dir = join(outRoot, exp.name, id);
    if (!exists(join(dir, "run.json"))) {
      s.missing++;
      continue;
    }
    const r = await readRun(dir).catch(() => undefined);
    if (!r) {
      s.interrupted++;
      s.problems.push(`${id}: unreadable run.json (redone by the next submission)`);
    } else if (recipeOf(r) !== RECIPE_VERSION && r.status !== "running") {
      s.stale++;
      s.problems.push(
        `${id}: stale: ${r.status} under recipe ${
          recipeOf(r)
        }, the code's is ${RECIPE_VERSION} (redone by the next submission)`,
      );
    } else if (r.status === "complete" && stoppedShort(r, config.stopStep)) {
      s.interrupted++;
      s.problems.push(`${id}: stopped at step ${r.summary.steps} (a shorter scale's run; the next call continues it)`);
    } else if (r.status === "complete") s.complete++;
    else if (r.status === "diverged") s.diverged++;
    else if (r.status === "failed") {
      s.failed++;
      s.problems.push(`${id}: failed: ${r.error}`);
    } else if (await stillRunning(r)) s.running++;
    else {
      s.interrupted++;
      s.problems.push(
        `${id}: left running by ${r.slurm ? `Slurm job ${r.slurm.jobId}` : `process ${r.pid}`}, which is gone (${
          r.checkpoint ? `resumed from its checkpoint at step ${r.checkpoint.step}` : "redone"
        } by the next submission)`,
      );
    }
    if (r?.resumedFrom?.length) {
      s.resumed++;
      const now = r.status === "running" ? `at step ${r.checkpoint?.step ?? 0} now` : r.status;
      s.resumes.push(`${id}: resumed from step ${r.resumedFrom.map((x) => x.step).join(", then ")}; ${now}`);
    }
  }
  return s;
}

/** The status of every experiment at `scale`, and of every Slurm job submitted into the root. */
export async function resultsStatus(outRoot: string, scale: Scale, experiments: Experiment[]): Promise<ResultsStatus> {
  const rows = [];
  for (const exp of experiments) rows.push(await experimentStatus(outRoot, exp, scale));
  const jobs = [];
  for (const j of await readJobs(outRoot)) {
    jobs.push({ ...j, state: (await jobState(j.jobId)) ?? "Slurm not reachable from here" });
  }
  return { scale, experiments: rows, jobs };
}

/** The status as Markdown: a table per experiment, the problems, the jobs. */
export function formatStatus(s: ResultsStatus): string {
  const lines = [
    `Runs at scale ${s.scale}:`,
    "",
    "| experiment | planned | complete | running | interrupted | failed | diverged | stale | missing | resumed |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...s.experiments.map((e) =>
      `| ${e.experiment} | ${e.planned} | ${e.complete} | ${e.running} | ${e.interrupted} | ${e.failed} | ${e.diverged} | ${e.stale} | ${e.missing} | ${e.resumed} |`
    ),
  ];
  const problems = s.experiments.flatMap((e) => e.problems.map((p) => `- ${e.experiment}/${p}`));
  if (problems.length) lines.push("", ...problems);
  const resumes = s.experiments.flatMap((e) => e.resumes.map((p) => `- ${e.experiment}/${p}`));
  if (resumes.length) lines.push("", "Resumed from a checkpoint:", ...resumes);
  if (s.jobs.length) {
    lines.push(
      "",
      "Slurm jobs submitted into this results root:",
      "",
      "| job | kind | experiment | runs | scale | submitted | state now |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...s.jobs.map((j) =>
        `| ${j.jobId} | ${j.kind} | ${j.experiment ?? "all"} | ${
          j.runIds?.length ?? "-"
        } | ${j.scale} | ${j.submittedAt} | ${j.state} |`
      ),
    );
  }
  return lines.join("\n");
}
