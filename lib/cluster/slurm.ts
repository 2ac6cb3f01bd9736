/**
 * The Slurm executor: a scale's runs as one job array per experiment (one
 * array task = one run id) plus one dependent job that judges the ledger,
 * renders the charts and executes the notebooks from the shared results root.
 * The scripts are written into `<results>/slurm/` and kept, so a user can read
 * and resubmit them; every submitted job id is appended to
 * `<results>/slurm/jobs.json` for `./deeper status`.
 *
 * Runs already complete are not submitted; a `running` record whose Slurm job
 * still lives (pending or running) is left to it; any other `running` record
 * (a task cancelled, preempted or killed) and every `failed` one are
 * submitted again.
 *
 * ```ts
 * const jobs = await submitSweep([{ experiment: "grid-reduction", ids }], { scale: "full", outRoot, ... });
 * ```
 * @module
 */
import { join } from "node:path";
import { exists, ROOT, sh, writeFileAtomic } from "../_util.ts";
import { planRun, readRun } from "../train/results.ts";

/** One submitted job, as `jobs.json` keeps it. */
export interface SubmittedJob {
  jobId: string;
  kind: "array" | "judge";
  scale: string;
  experiment?: string;
  /** The array's run ids, task i running `runIds[i]`. */
  runIds?: string[];
  script: string;
  submittedAt: string;
}

/** What a submission needs besides the runs. */
export interface SweepOptions {
  /** `reproduce` (the judge job writes the ledger of every experiment) or `run` (one experiment). */
  command: "reproduce" | "run";
  scale: string;
  outRoot: string;
  /** Extra sbatch arguments, e.g. `--partition=gpu --gres=gpu:1` (the arrays get all; the judge all but GPU requests). */
  sbatch: string[];
  /** At most this many array tasks of one experiment run at once (`--array=0-N%K`). */
  concurrency: number;
  /** Flags passed through to every task and the judge (`--backend`, `--data-dir`). */
  passFlags: string[];
  /** The judge job's extra flags (e.g. `--no-notebooks`). */
  judgeFlags: string[];
  /** The experiments the judge covers (for `run`, the one). */
  experiments: string[];
  /** Seconds before the time limit at which an array task is told to checkpoint and requeue (default 120). */
  signalSeconds?: number;
  /**
   * The command scripts the jobs start, relative to the project root: `run`
   * trains one run by id (`<run> <experiment> --run-id <id>`), `judge` is the
   * submitting command's own script, run with `--no-train`. The commands
   * name them; this module runs whatever it is handed.
   */
  entries: { run: string; judge: string };
}

/** Splits `--sbatch "ARGS"` into directives: a token starting with `-` begins one, others join it (`-p gpu`). */
export function sbatchDirectives(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.trim().split(/\s+/).filter(Boolean)) {
    if (tok.startsWith("-") || out.length === 0) out.push(tok);
    else out[out.length - 1] += ` ${tok}`;
  }
  return out;
}

/** Whether a directive asks for GPUs (kept off the judge job, which needs none). */
function isGpuRequest(d: string): boolean {
  return /^--(gres|gpus|gpus-per-node|gpus-per-task|gpu-bind|cpus-per-gpu|mem-per-gpu)\b/.test(d) || /^-G\b/.test(d);
}

/** The environment the `./deeper` launcher sets, for tasks that call Deno directly. */
const LAUNCH_ENV = [
  "export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}",
  "export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-268435456}",
  "export MALLOC_TOP_PAD_=${MALLOC_TOP_PAD_:-268435456}",
  "export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}",
];

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The job array script of one experiment: task i trains `ids[i]` with
 * `deno run <entries.run> <experiment> --run-id <id>` (Deno is called
 * directly: `./deeper`'s set-up step would run once per task).
 */
export function arrayScript(p: {
  experiment: string;
  ids: string[];
  opts: SweepOptions;
  deno: string;
  root?: string;
}): string {
  const { opts } = p;
  const logs = join(opts.outRoot, "slurm", "logs");
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=deeper-${p.experiment}`,
    `#SBATCH --array=0-${p.ids.length - 1}%${opts.concurrency}`,
    `#SBATCH --output=${logs}/${p.experiment}-%A_%a.out`,
    // Preempted or requeued tasks come back and resume from their checkpoint; two minutes before the time limit
    // the task is told (USR1), checkpoints and requeues itself rather than being killed mid-epoch.
    "#SBATCH --requeue",
    `#SBATCH --signal=B:USR1@${opts.signalSeconds ?? 120}`,
    "#SBATCH --open-mode=append",
    ...opts.sbatch.map((d) => `#SBATCH ${d}`),
    `# Written by ./deeper ${opts.command} --executor slurm: one array task trains one run of ${p.experiment} at`,
    `# scale ${opts.scale} into ${opts.outRoot}. Resubmitting it (sbatch <this file>) retrains nothing complete;`,
    "# the command that wrote it submits only what is missing.",
    "set -uo pipefail # not -e: the run's exit status is handled below",
    `RUN_IDS=(${p.ids.join(" ")})`,
    `cd ${shellQuote(p.root ?? ROOT)}`,
    ...LAUNCH_ENV,
    // The run in the background, so this shell can pass signals on: USR1 (time limit near) and TERM (preemption,
    // scontrol requeue) make it checkpoint and stop (exit 75); after USR1 the task requeues itself.
    `${shellQuote(p.deno)} run -A ${opts.entries.run} ${p.experiment} --scale ${opts.scale} --out ${
      shellQuote(opts.outRoot)
    } --run-id "\${RUN_IDS[$SLURM_ARRAY_TASK_ID]}"${opts.passFlags.map((f) => ` ${shellQuote(f)}`).join("")} &`,
    "child=$!",
    "requeue=0",
    "trap 'requeue=1; kill -USR1 \"$child\" 2>/dev/null' USR1",
    "trap 'kill -TERM \"$child\" 2>/dev/null' TERM",
    "# wait returns early when a trapped signal arrives: wait again until the run has ended",
    'while true; do wait "$child"; status=$?; kill -0 "$child" 2>/dev/null || break; done',
    'if [ "$status" -eq 75 ] && [ "$requeue" -eq 1 ]; then',
    '  echo "deeper: time limit near: the run checkpointed; requeueing this task to resume it"',
    '  scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"',
    "fi",
    'exit "$status"',
    "",
  ].join("\n");
}

/** The judge job's script: reproduce (or run) with `--no-train` over the shared results root. */
export function judgeScript(p: { opts: SweepOptions; deno: string; root?: string }): string {
  const { opts } = p;
  const target = opts.command === "reproduce" ? opts.entries.judge : `${opts.entries.judge} ${opts.experiments[0]}`;
  return [
    "#!/bin/bash",
    "#SBATCH --job-name=deeper-judge",
    `#SBATCH --output=${join(opts.outRoot, "slurm", "logs")}/judge-%j.out`,
    ...opts.sbatch.filter((d) => !isGpuRequest(d)).map((d) => `#SBATCH ${d}`),
    `# Written by ./deeper ${opts.command} --executor slurm: after the arrays (afterany, given at submission),`,
    "# judges the claims, renders the charts and executes the notebooks from what the runs stored. It trains",
    "# nothing; runs still missing are reported as such.",
    "set -euo pipefail",
    `cd ${shellQuote(p.root ?? ROOT)}`,
    ...LAUNCH_ENV,
    `exec ${shellQuote(p.deno)} run -A ${target} --scale ${opts.scale} --out ${shellQuote(opts.outRoot)} --no-train${
      [...opts.passFlags, ...opts.judgeFlags].map((f) => ` ${shellQuote(f)}`).join("")
    }`,
    "",
  ].join("\n");
}

/**
 * A job's state from `scontrol show job` (sacct needs accounting, which a
 * small cluster may not run): `GONE` once Slurm has forgotten it (it keeps
 * finished jobs for MinJobAge, 300 s by default), undefined without scontrol.
 */
export async function jobState(jobId: string): Promise<string | undefined> {
  const r = await sh("scontrol", ["show", "job", "-o", jobId]);
  if (r.code === 127) return undefined;
  if (r.code !== 0) return /invalid job id/i.test(r.out) ? "GONE" : undefined;
  const states = [...r.stdout.matchAll(/JobState=(\S+)/g)].map((m) => m[1]);
  if (states.length === 0) return undefined;
  // An array lists every task: report the liveliest.
  for (const s of ["RUNNING", "CONFIGURING", "COMPLETING", "PENDING", "REQUEUED", "SUSPENDED"]) {
    if (states.includes(s)) return s;
  }
  return states[0];
}

/** States in which a job will still write its run. */
export const LIVE_STATES = new Set(["RUNNING", "CONFIGURING", "COMPLETING", "PENDING", "REQUEUED", "SUSPENDED"]);

/**
 * The runs of a plan that a submission must train: not complete or
 * diverged, and not `running` under a Slurm job that still lives.
 */
export async function runsToSubmit(
  expDir: string,
  runs: Array<{ id: string; config: { stopStep: number } }>,
): Promise<string[]> {
  const out: string[] = [];
  for (const { id, config } of runs) {
    const plan = await planRun(join(expDir, id), false, config);
    if (plan.action === "reuse") continue;
    const rec = await readRun(join(expDir, id)).catch(() => undefined);
    if (rec?.status === "running" && rec.slurm?.jobId && LIVE_STATES.has((await jobState(rec.slurm.jobId)) ?? "")) {
      continue; // a live task is training it
    }
    out.push(id);
  }
  return out;
}

/** `sbatch --parsable`; returns the job id, or throws with sbatch's own message. */
async function sbatch(script: string, extra: string[] = []): Promise<string> {
  const r = await sh("sbatch", ["--parsable", ...extra, script]);
  if (r.code === 127) throw new Error("sbatch not found: run this on a Slurm login node (or use --shard i/n)");
  if (r.code !== 0) throw new Error(`sbatch ${script} failed: ${r.out.trim().split("\n").at(-1)}`);
  return r.stdout.trim().split(";")[0];
}

/** Reads `<results>/slurm/jobs.json` (empty when absent). */
export async function readJobs(outRoot: string): Promise<SubmittedJob[]> {
  const file = join(outRoot, "slurm", "jobs.json");
  return exists(file) ? JSON.parse(await Deno.readTextFile(file)) : [];
}

/**
 * Writes the scripts and submits: one array per experiment with runs to
 * train, then the judge job depending (afterany) on all of them. Returns the
 * jobs submitted, also appended to `jobs.json`.
 */
export async function submitSweep(
  sweeps: Array<{ experiment: string; ids: string[] }>,
  opts: SweepOptions,
  deno = Deno.execPath(),
): Promise<SubmittedJob[]> {
  const dir = join(opts.outRoot, "slurm");
  await Deno.mkdir(join(dir, "logs"), { recursive: true });
  const jobs: SubmittedJob[] = [];
  const stamp = new Date().toISOString();
  for (const s of sweeps.filter((s) => s.ids.length)) {
    const script = join(dir, `${s.experiment}.sbatch`);
    await writeFileAtomic(script, arrayScript({ experiment: s.experiment, ids: s.ids, opts, deno }));
    const jobId = await sbatch(script);
    jobs.push({
      jobId,
      kind: "array",
      scale: opts.scale,
      experiment: s.experiment,
      runIds: s.ids,
      script,
      submittedAt: stamp,
    });
  }
  const judge = join(dir, "judge.sbatch");
  await writeFileAtomic(judge, judgeScript({ opts, deno }));
  const after = jobs.map((j) => j.jobId);
  const jobId = await sbatch(judge, after.length ? [`--dependency=afterany:${after.join(":")}`] : []);
  const experiment = opts.command === "run" ? opts.experiments[0] : undefined;
  jobs.push({ jobId, kind: "judge", scale: opts.scale, experiment, script: judge, submittedAt: stamp });
  await writeFileAtomic(
    join(dir, "jobs.json"),
    JSON.stringify([...await readJobs(opts.outRoot), ...jobs], null, 1) + "\n",
  );
  return jobs;
}

/** What a submission printed: the jobs, and how to follow them. */
export function formatSubmission(jobs: SubmittedJob[], planned: number, outRoot: string): string {
  const arrays = jobs.filter((j) => j.kind === "array");
  const runs = arrays.reduce((n, j) => n + (j.runIds?.length ?? 0), 0);
  return [
    `slurm: ${runs} of ${planned} planned runs to train (the rest are complete or being trained by a live job)`,
    ...arrays.map((j) => `slurm: job array ${j.jobId} for ${j.experiment} (${j.runIds!.length} tasks): ${j.script}`),
    ...jobs.filter((j) => j.kind === "judge").map((j) =>
      `slurm: judge job ${j.jobId}${arrays.length ? " (after the arrays)" : ""}: ${j.script}`
    ),
    `slurm: follow with ./deeper status ${outRoot}; logs in ${join(outRoot, "slurm", "logs")}`,
  ].join("\n");
}
