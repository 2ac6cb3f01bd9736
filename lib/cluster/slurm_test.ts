import assert from "node:assert/strict";
import { arrayScript, judgeScript, sbatchDirectives, type SweepOptions } from "./slurm.ts";
import { parseShard, planRuns } from "../pipeline/pipeline.ts";
import { experimentStatus } from "./status.ts";
import type { Experiment } from "../pipeline/experiment.ts";
import { RECIPE_VERSION } from "../train/config.ts";
import { join } from "node:path";
import { writeRun } from "../train/results.ts";

const opts: SweepOptions = {
  command: "reproduce",
  scale: "full",
  outRoot: "/scratch/me/results",
  sbatch: sbatchDirectives("--partition=gpu --gres=gpu:1 -t 12:00:00"),
  concurrency: 4,
  passFlags: ["--backend", "tensorflow"],
  judgeFlags: [],
  experiments: ["grid-reduction"],
  entries: { run: "experiments/commands/run.ts", judge: "experiments/commands/reproduce.ts" },
};

/** A sweep of five variants (budget irrelevant: nothing trains here). */
const toy: Experiment = {
  name: "depth-aux-residual",
  title: "toy sweep",
  base: { model: "cifar_net", depth: 8 },
  variants: Object.fromEntries([8, 14, 20, 26, 32].map((depth) => [`plain-${depth}`, { depth }])),
  scales: {
    smoke: { overrides: { epochs: 1 }, seeds: [0, 1], regimes: ["early"] },
    quick: { overrides: { epochs: 2 }, seeds: [0, 1, 2], regimes: ["early"] },
    full: { overrides: { epochs: 3 }, seeds: [0, 1, 2, 3], regimes: ["early", "converged"] },
  },
  claims: [],
};

Deno.test("sbatchDirectives() keeps an option's separate value with it", () => {
  assert.deepEqual(sbatchDirectives(" --partition=gpu  -p gpu --gres=gpu:1 "), [
    "--partition=gpu",
    "-p gpu",
    "--gres=gpu:1",
  ]);
  assert.deepEqual(sbatchDirectives(""), []);
});

Deno.test("arrayScript(): one task per run id, concurrency, user directives, Deno called directly", () => {
  const s = arrayScript({
    experiment: "grid-reduction",
    ids: ["a-s0-1", "b-s1-2"],
    opts,
    deno: "/opt/deno",
    root: "/repo",
  });
  assert.match(s, /^#!\/bin\/bash\n/);
  assert.match(s, /^#SBATCH --array=0-1%4$/m);
  assert.match(s, /^#SBATCH --output=\/scratch\/me\/results\/slurm\/logs\/grid-reduction-%A_%a\.out$/m);
  assert.match(s, /^#SBATCH --gres=gpu:1$/m);
  assert.match(s, /^#SBATCH -t 12:00:00$/m);
  assert.match(s, /^RUN_IDS=\(a-s0-1 b-s1-2\)$/m);
  assert.match(
    s,
    /^\/opt\/deno run -A experiments\/commands\/run\.ts grid-reduction --scale full --out \/scratch\/me\/results --run-id "\$\{RUN_IDS\[\$SLURM_ARRAY_TASK_ID\]\}" --backend tensorflow &$/m,
  );
  // Requeueable, told before its time limit; the signal reaches the run, which checkpoints and stops (exit 75),
  // and after the time-limit signal the task requeues itself.
  assert.match(s, /^#SBATCH --requeue$/m);
  assert.match(s, /^#SBATCH --signal=B:USR1@120$/m);
  assert.match(s, /^trap 'requeue=1; kill -USR1 "\$child" 2>\/dev\/null' USR1$/m);
  assert.match(s, /^trap 'kill -TERM "\$child" 2>\/dev\/null' TERM$/m);
  assert.match(
    s,
    /if \[ "\$status" -eq 75 \] && \[ "\$requeue" -eq 1 \]; then\n.*\n {2}scontrol requeue "\$\{SLURM_ARRAY_JOB_ID\}_\$\{SLURM_ARRAY_TASK_ID\}"/,
  );
});

Deno.test("judgeScript(): no GPU request, --no-train over the shared root", () => {
  const s = judgeScript({ opts: { ...opts, judgeFlags: ["--no-notebooks"] }, deno: "/opt/deno", root: "/repo" });
  assert.doesNotMatch(s, /gres/);
  assert.match(s, /^#SBATCH --partition=gpu$/m);
  assert.match(
    s,
    /experiments\/commands\/reproduce\.ts --scale full --out \/scratch\/me\/results --no-train --backend tensorflow --no-notebooks$/m,
  );
  const entries = { run: "experiments/commands/run.ts", judge: "experiments/commands/run.ts" };
  const run = judgeScript({ opts: { ...opts, command: "run", entries }, deno: "/opt/deno", root: "/repo" });
  assert.match(run, /experiments\/commands\/run\.ts grid-reduction --scale full/);
});

Deno.test("parseShard() and planRuns(): shards partition the plan; ids select; bad input says what to write", async () => {
  assert.deepEqual(parseShard("1/3"), { index: 1, count: 3 });
  assert.equal(parseShard(""), undefined);
  for (const bad of ["3/3", "1", "a/b", "-1/2"]) assert.throws(() => parseShard(bad), /--shard takes i\/n/);
  const all = (await planRuns(toy, "quick")).map((p) => p.id);
  const shards = await Promise.all(
    [0, 1, 2].map(async (index) => (await planRuns(toy, "quick", { shard: { index, count: 3 } })).map((p) => p.id)),
  );
  assert.deepEqual(shards.flat().sort(), [...all].sort(), "every run in exactly one shard");
  assert.deepEqual((await planRuns(toy, "quick", { ids: [all[4]] })).map((p) => p.id), [all[4]]);
  await assert.rejects(
    () => planRuns(toy, "quick", { ids: ["nope"] }),
    /run id nope is not a run of scale quick/,
  );
});

Deno.test("experimentStatus(): complete, failed, missing, and a running record whose process is gone", async () => {
  const out = await Deno.makeTempDir();
  const plan = await planRuns(toy, "smoke");
  const record = (i: number, status: string, extra: Record<string, unknown> = {}) =>
    writeRun(join(out, "depth-aux-residual", plan[i].id), {
      id: plan[i].id,
      experiment: "depth-aux-residual",
      variant: plan[i].config.variant,
      config: plan[i].config,
      status,
      pid: 2 ** 22 + 7, // above Linux's pid_max: no such process
      host: Deno.hostname(),
      recipe: RECIPE_VERSION,
      summary: {},
      ...extra,
    } as never);
  await record(0, "complete");
  await record(1, "failed", { error: "out of memory" });
  await record(2, "running");
  await record(3, "running", { pid: Deno.pid });
  await record(4, "complete", { recipe: RECIPE_VERSION + 1 });
  const s = await experimentStatus(out, toy, "smoke");
  assert.deepEqual(
    [s.planned, s.complete, s.failed, s.interrupted, s.running, s.stale, s.missing],
    [plan.length, 1, 1, 1, 1, 1, plan.length - 5],
  );
  assert.match(s.problems.join("\n"), new RegExp(`stale: complete under recipe ${RECIPE_VERSION + 1}`));
  assert.match(s.problems.join("\n"), /failed: out of memory/);
  assert.match(s.problems.join("\n"), /left running by process \d+, which is gone/);
  await Deno.remove(out, { recursive: true });
});
