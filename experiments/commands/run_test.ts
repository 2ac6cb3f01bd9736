import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { readRun } from "../../lib/train/results.ts";
import { ROOT } from "../../lib/_util.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Arguments of `deno run experiments/commands/run.ts` for the smoke depth experiment, some variants, into `out`. */
function smokeRunArgs(variants: string, out: string): string[] {
  return [
    "run",
    "-A",
    join(ROOT, "experiments", "commands", "run.ts"),
    "depth-aux-residual",
    "--scale",
    "smoke",
    "--variants",
    variants,
    "--out",
    out,
  ];
}

/** Runs `deno run experiments/commands/run.ts ARGS` to the end; its exit code and stderr. */
async function runCommand(args: string[]): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

/** metrics.csv's lines less the wall-clock rates (`images_per_sec`), which no two runs share. */
async function comparableMetrics(runDir: string): Promise<string[]> {
  return (await Deno.readTextFile(join(runDir, "metrics.csv"))).split("\n").filter((l) =>
    !l.includes(",images_per_sec,")
  );
}

/** The one run directory of a variant under an experiment directory. */
function runDirOf(expDir: string, variant: string): string {
  const [d] = [...Deno.readDirSync(expDir)].filter((e) => e.isDirectory && e.name.startsWith(`${variant}-s`));
  return join(expDir, d.name);
}

/** The steps of a run's checkpoints on disk, oldest first. */
function checkpointSteps(runDir: string): number[] {
  try {
    return [...Deno.readDirSync(join(runDir, "checkpoints"))].map((e) => e.name.match(/^step-(\d+)$/))
      .filter((m) => m !== null).map((m) => Number(m![1])).sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/**
 * Starts `run` for one variant, waits for its first `checkpoints` checkpoints, lets it go on for a random while
 * (at most `maxMs`), then kills it with SIGKILL; returns the random delay. Fails if the run finished before.
 */
async function killAfterCheckpoints(args: string[], expDir: string, variant: string, maxMs: number, checkpoints = 1) {
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      if (checkpointSteps(runDirOf(expDir, variant)).length >= checkpoints) break;
    } catch { /* not created yet */ }
  }
  const delay = Math.floor(Math.random() * maxMs);
  await new Promise((r) => setTimeout(r, delay));
  child.kill("SIGKILL");
  await child.status;
  const record = await readRun(runDirOf(expDir, variant));
  assert.equal(
    record.status,
    "running",
    `killed ${delay} ms after checkpoint ${checkpoints}, the run had already ended`,
  );
  return delay;
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("kill -9 during `deno task run`, then the same command: completes, keeps earlier runs", opts, async () => {
  const out = await Deno.makeTempDir();
  const args = smokeRunArgs("plain-20,residual-20", out);
  const expDir = join(out, "depth-aux-residual");
  const completed = async () => {
    const done: string[] = [];
    try {
      for await (const e of Deno.readDir(expDir)) {
        const r = await readRun(join(expDir, e.name)).catch(() => undefined);
        if (r?.status === "complete") done.push(`${e.name}@${r.startedAt}`);
      }
    } catch { /* not created yet */ }
    return done;
  };
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
  // Wait until the first run is complete and the second has started, then kill.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    let entries = 0;
    try {
      // A run's directory appears with its claim (lock.json), a moment before its `running` record: count records.
      for await (const e of Deno.readDir(expDir)) if (existsSync(join(expDir, e.name, "run.json"))) entries++;
    } catch { /* not created yet */ }
    if ((await completed()).length === 1 && entries === 2) break;
  }
  child.kill("SIGKILL");
  await child.status;
  const before = await completed();
  assert.equal(before.length, 1, "exactly one run had completed when killed");
  const rerun = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  const err = new TextDecoder().decode(rerun.stderr);
  assert.equal(rerun.code, 0, err);
  assert.match(err, /depth-aux-residual: 2\/2 runs done \(1 reused\)/, "one progress line, not a line per run");
  // The details are in the experiment's log, both attempts appended.
  const log = await Deno.readTextFile(join(out, "logs", "depth-aux-residual.log"));
  assert.match(log, /reusing the complete run/);
  assert.match(
    log,
    /left 'running' by process \d+ .*; (resuming from step \d+ \(its checkpoint\)|training from step 0)/,
  );
  const after = await completed();
  assert.equal(after.length, 2);
  assert.ok(after.includes(before[0]), "the run completed before the kill was reused, not recomputed");
  await Deno.remove(out, { recursive: true });
});

Deno.test(
  "a full disk while writing fails the new run in one line and leaves completed runs intact",
  opts,
  async () => {
    const out = await Deno.makeTempDir();
    const run = (variants: string, env: Record<string, string> = {}) =>
      new Deno.Command(Deno.execPath(), {
        args: smokeRunArgs(variants, out),
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
    assert.equal((await run("plain-20")).code, 0);
    const expDir = join(out, "depth-aux-residual");
    const [done] = [...Deno.readDirSync(expDir)].filter((e) => e.name.startsWith("plain-20"));
    // Every file of the completed run, its kept checkpoint's included.
    const snapshot = async () => {
      const contents: Record<string, string> = {};
      const walk = async (rel: string) => {
        for (const f of await files(join(expDir, done.name, rel))) {
          const path = join(expDir, done.name, rel, f);
          if ((await Deno.stat(path)).isDirectory) await walk(join(rel, f));
          else {contents[join(rel, f)] = await Deno.readTextFile(path).catch(async () =>
              String((await Deno.stat(path)).size)
            );}
        }
      };
      await walk("");
      return contents;
    };
    const before = await snapshot();
    const failed = await run("plain-20,residual-20", { DEEPER_INJECT_WRITE_FAILURE: "metrics.csv" });
    const err = new TextDecoder().decode(failed.stderr);
    assert.equal(failed.code, 1);
    assert.match(err, /^ {2}failed: depth-aux-residual residual-20 seed 0: No space left on device \(os error 28\)/m);
    assert.deepEqual(await snapshot(), before, "the completed run's files changed");
    const leftovers = [...Deno.readDirSync(expDir)].flatMap((e) =>
      e.isDirectory ? [...Deno.readDirSync(join(expDir, e.name))].map((f) => f.name) : []
    ).filter((n) => n.includes(".tmp-"));
    assert.deepEqual(leftovers, [], "temp files left behind");
    const [broken] = [...Deno.readDirSync(expDir)].filter((e) => e.name.startsWith("residual-20"));
    assert.equal((await readRun(join(expDir, broken.name))).status, "failed");
    await Deno.remove(out, { recursive: true });
  },
);

Deno.test(
  "SIGKILL at a random point after the first checkpoint: the same command resumes there and ends with the uninterrupted run's records",
  opts,
  async () => {
    const [ref, out] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
    const withCheckpoints = (dir: string) => [...smokeRunArgs("plain-56", dir), "--checkpoint-minutes", "0"];
    const uninterrupted = await runCommand(withCheckpoints(ref));
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);
    const expDir = join(out, "depth-aux-residual");
    const delay = await killAfterCheckpoints(withCheckpoints(out), expDir, "plain-56", 2000);
    const dir = runDirOf(expDir, "plain-56");
    const at = checkpointSteps(dir).at(-1)!;
    const again = await runCommand(withCheckpoints(out));
    assert.equal(again.code, 0, again.stderr);
    const log = await Deno.readTextFile(join(out, "logs", "depth-aux-residual.log"));
    assert.match(log, new RegExp(`resuming from step ${at} \\(its checkpoint\\)`), `killed ${delay} ms after it`);
    const record = await readRun(dir);
    assert.deepEqual(record.resumedFrom?.map((r) => r.step), [at]);
    assert.equal(record.status, "complete");
    assert.deepEqual(
      await comparableMetrics(dir),
      await comparableMetrics(runDirOf(join(ref, "depth-aux-residual"), "plain-56")),
    );
    await Promise.all([ref, out].map((d) => Deno.remove(d, { recursive: true })));
  },
);

Deno.test(
  "a truncated checkpoint is passed over for the one before, in one log line, and the run still ends right",
  opts,
  async () => {
    const [ref, out] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
    const withCheckpoints = (dir: string) => [...smokeRunArgs("plain-56", dir), "--checkpoint-minutes", "0"];
    const expDir = join(out, "depth-aux-residual");
    // Killed once its second checkpoint is there, so that one remains to fall back to.
    await killAfterCheckpoints(withCheckpoints(out), expDir, "plain-56", 0, 2);
    const dir = runDirOf(expDir, "plain-56");
    const [earlier, latest] = checkpointSteps(dir).slice(-2);
    const bin = join(dir, "checkpoints", `step-${String(latest).padStart(8, "0")}`, "tensors.bin");
    await Deno.truncate(bin, Math.floor((await Deno.stat(bin)).size / 2));
    const again = await runCommand(withCheckpoints(out));
    assert.equal(again.code, 0, again.stderr);
    const log = await Deno.readTextFile(join(out, "logs", "depth-aux-residual.log"));
    const fallbacks = log.split("\n").filter((l) => /fails its checksum/.test(l));
    assert.equal(fallbacks.length, 1, log);
    assert.match(
      fallbacks[0],
      new RegExp(`step-0*${latest}: tensors\\.bin fails its checksum \\(truncated or altered\\); falling back`),
    );
    assert.match(log, new RegExp(`resuming from step ${earlier} \\(its checkpoint\\)`));
    // The damaged checkpoint went with the timeline it belonged to: the finished run keeps one good checkpoint.
    assert.equal(checkpointSteps(dir).length, 1);
    assert.equal((await runCommand(withCheckpoints(ref))).code, 0);
    assert.deepEqual(
      await comparableMetrics(dir),
      await comparableMetrics(runDirOf(join(ref, "depth-aux-residual"), "plain-56")),
    );
    await Promise.all([ref, out].map((d) => Deno.remove(d, { recursive: true })));
  },
);

Deno.test("two `run`s of one sweep on one results root at once train each run once", opts, async () => {
  const out = await Deno.makeTempDir();
  const args = [join(ROOT, "experiments", "commands", "run.ts"), "grid-reduction", "--scale", "smoke", "--out", out];
  const [a, b] = await Promise.all([0, 1].map(() => runCommand(["run", "-A", ...args])));
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  // Both processes append to the experiment's detail log: every run shows one `training` line.
  const log = await Deno.readTextFile(join(out, "logs", "grid-reduction.log"));
  const trained = [...log.matchAll(/ {2}grid-reduction\/(\S+): training \(/g)].map((m) => m[1]).sort();
  const runs = [...Deno.readDirSync(join(out, "grid-reduction"))].filter((e) => e.isDirectory && /-s\d+-/.test(e.name))
    .map((e) => e.name).sort();
  assert.equal(runs.length, 3);
  assert.deepEqual(trained, runs, log);
  assert.match(log, /is being trained by host .*: leaving it to that process and waiting for it at the end/);
  for (const id of runs) assert.equal((await readRun(join(out, "grid-reduction", id))).status, "complete");
  await Deno.remove(out, { recursive: true });
});
