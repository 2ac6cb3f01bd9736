import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../env/backend.ts";
import { resolveConfig, type TrainConfig } from "./config.ts";
import { loadModel, parseMetricsCsv, readRun, writeRun } from "./results.ts";
import { runAll, runDir, runOne, splitFor } from "./runner.ts";
import { evaluate } from "./train.ts";
import { syntheticFashion } from "../data/synthetic.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const synthetic = { ...syntheticFashion({ n: 300 }), dir: "(synthetic, test only)", sha256: {} };
const small: Partial<TrainConfig> = {
  experiment: "unit",
  variant: "tiny",
  depth: 8,
  valSize: 50,
  testSize: 40,
  epochs: 1,
  batchSize: 50,
  logEvery: 2,
  trainEvalSize: 50,
};

async function context(outRoot: string, logs: string[] = [], force = false) {
  const backend = await selectBackend({ backend: "tensorflow", quiet: true });
  return { data: synthetic, backend, outRoot, force, observer: { log: (m: string) => logs.push(m) } };
}

/** metrics.csv's lines less the wall-clock rates, which no two runs share. */
function comparableRows(csv: string): string[] {
  return csv.split("\n").filter((l) => !l.includes(",images_per_sec,"));
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("runOne() writes a complete run directory, reuses it, and recomputes with force", opts, async () => {
  const out = await Deno.makeTempDir();
  const cfg = resolveConfig(small);
  const logs: string[] = [];
  const first = await runOne(cfg, await context(out, logs));
  const dir = await runDir(cfg, out);
  assert.equal(first.status, "complete");
  assert.deepEqual(await files(dir), ["checkpoints", "metrics.csv", "model.json", "run.json", "weights.bin"]);
  assert.equal((await files(join(dir, "checkpoints"))).length, 1, "a finished run keeps its last checkpoint only");
  const saved = await readRun(dir);
  assert.equal(saved.backend.name, "tensorflow");
  assert.deepEqual(saved.config, cfg);
  assert.ok(saved.params.trainable > 0 && saved.wallSeconds! > 0);
  const rows = parseMetricsCsv(await Deno.readTextFile(join(dir, "metrics.csv")));
  assert.ok(rows.some((r) => r.split === "test" && r.metric === "error" && r.layer === "main"));
  const again = await runOne(cfg, await context(out, logs));
  assert.equal(again.startedAt, first.startedAt);
  assert.match(logs.at(-1)!, /reusing the complete run/);
  const forced = await runOne(cfg, await context(out, logs, true));
  assert.notEqual(forced.startedAt, first.startedAt);
  // The saved model reloads with its custom layers and the same weights: on the run's own test split it makes
  // exactly the predictions the trained model made (same test error, same loss).
  const model = await loadModel(dir);
  assert.deepEqual(model.outputNames, ["main"]);
  const reloaded = await evaluate(model, splitFor(synthetic, cfg).test);
  assert.equal(reloaded.main.error, forced.summary.test_error_main);
  assert.ok(
    Math.abs(reloaded.main.loss - forced.summary.test_loss_main) < 1e-6 * Math.max(1, forced.summary.test_loss_main),
  );
  model.dispose();
  await Deno.remove(out, { recursive: true });
});

Deno.test("a run that throws midway leaves a failed record and no half-written file", opts, async () => {
  const out = await Deno.makeTempDir();
  // More images per batch than the training set holds: train() throws after the record is written.
  const cfg = resolveConfig({ ...small, batchSize: 5000 });
  await assert.rejects(async () => runOne(cfg, await context(out)), /batchSize 5000 exceeds/);
  const dir = await runDir(cfg, out);
  const rec = await readRun(dir);
  assert.equal(rec.status, "failed");
  assert.match(rec.error!, /batchSize 5000 exceeds/);
  assert.deepEqual(await files(dir), ["run.json"], "only the record, no temp or partial files");
  await Deno.remove(out, { recursive: true });
});

Deno.test(
  "a leftover running record is reported and redone: from its checkpoint, or from step 0 without one",
  opts,
  async () => {
    const out = await Deno.makeTempDir();
    const cfg = resolveConfig(small);
    const dir = await runDir(cfg, out);
    const first = await runOne(cfg, await context(out));
    const firstRows = comparableRows(await Deno.readTextFile(join(dir, "metrics.csv")));
    // A finished run keeps its last checkpoint (the end of its last epoch): a redo resumes there.
    await writeRun(dir, { ...first, status: "running", pid: 4242 });
    const logs: string[] = [];
    const resumed = await runOne(cfg, await context(out, logs));
    assert.equal(resumed.status, "complete");
    const steps = first.summary.steps;
    assert.ok(
      logs.some((l) =>
        new RegExp(`left 'running' by process 4242 .*; resuming from step ${steps} \\(its checkpoint\\)`).test(l)
      ),
      logs.join("\n"),
    );
    assert.deepEqual(resumed.resumedFrom?.map((r) => r.step), [steps]);
    assert.equal(resumed.summary.test_error_main, first.summary.test_error_main);
    // The same records as the first time (wall-clock rates aside): the checkpoint carried them.
    assert.deepEqual(comparableRows(await Deno.readTextFile(join(dir, "metrics.csv"))), firstRows);
    // Without a checkpoint the run starts over, and says so.
    await writeRun(dir, { ...first, status: "running", pid: 4242 });
    await Deno.remove(join(dir, "checkpoints"), { recursive: true });
    logs.length = 0;
    const redone = await runOne(cfg, await context(out, logs));
    assert.equal(redone.status, "complete");
    assert.ok(logs.some((l) => /left 'running' by process 4242 .*; training from step 0/.test(l)), logs.join("\n"));
    await Deno.remove(out, { recursive: true });
  },
);

Deno.test(
  "a run another live process holds is left to it: runOne says who, runAll waits and reuses it",
  opts,
  async () => {
    const out = await Deno.makeTempDir();
    const cfg = resolveConfig(small);
    const dir = await runDir(cfg, out);
    const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
    try {
      await Deno.mkdir(dir, { recursive: true });
      const lock = { host: Deno.hostname(), pid: sleeper.pid, since: new Date().toISOString() };
      await Deno.writeTextFile(join(dir, "lock.json"), JSON.stringify(lock));
      await assert.rejects(
        runOne(cfg, await context(out)),
        (e: Error) => e.name === "RunBusy" && /pid \d+/.test(e.message),
      );
      // runAll leaves it, then finds the holder gone on a later look and trains it itself.
      const logs: string[] = [];
      setTimeout(() => sleeper.kill("SIGKILL"), 300);
      const { records, failures } = await runAll([cfg], { ...(await context(out, logs)), busyWaitMs: 200 });
      assert.deepEqual(failures, []);
      assert.equal(records[0].status, "complete");
      assert.ok(
        logs.some((l) => /is being trained by host .*: leaving it to that process and waiting/.test(l)),
        logs.join("\n"),
      );
    } finally {
      try {
        sleeper.kill("SIGKILL");
      } catch { /* gone */ }
      await Deno.remove(out, { recursive: true });
    }
  },
);

Deno.test(
  "a run stopped early (quick) is continued, not redone, by a longer call (full), which ends as one uninterrupted run",
  opts,
  async () => {
    const out = await Deno.makeTempDir(), alone = await Deno.makeTempDir();
    const cfg = resolveConfig({ ...small, epochs: 2, measureSteps: "3" });
    const logs: string[] = [];
    const quick = await runOne({ ...cfg, stopStep: 3 }, await context(out, logs));
    assert.equal(quick.summary.steps, 3);
    const dir = await runDir(cfg, out);
    assert.equal(dir, await runDir({ ...cfg, stopStep: 3 }, out), "one run id at every stop");
    // Asked again at the same stop, or a shorter one, it is reused.
    assert.equal((await runOne({ ...cfg, stopStep: 2 }, await context(out, logs))).startedAt, quick.startedAt);
    const full = await runOne(cfg, await context(out, logs));
    assert.ok(
      logs.some((l) => /continuing: the stored run stopped at step 3; resuming from step 3/.test(l)),
      logs.join("\n"),
    );
    assert.deepEqual(full.resumedFrom?.map((r) => r.step), [3]);
    assert.equal(full.summary.steps, 10, "2 epochs of 5 steps");
    const uninterrupted = await runOne(cfg, await context(alone));
    const csv = async (root: string) =>
      comparableRows(await Deno.readTextFile(join(await runDir(cfg, root), "metrics.csv")));
    assert.deepEqual(await csv(out), await csv(alone));
    assert.equal(full.summary.test_error_main, uninterrupted.summary.test_error_main);
    // A full run asked for at quick's stop is reused: its records hold quick's measures.
    assert.equal(
      (await runOne({ ...cfg, stopStep: 3 }, await context(alone, logs))).startedAt,
      uninterrupted.startedAt,
    );
    for (const d of [out, alone]) await Deno.remove(d, { recursive: true });
  },
);
