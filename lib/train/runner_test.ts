import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../env/backend.ts";
import { resolveConfig, type TrainConfig } from "./config.ts";
import { loadModel, parseMetricsCsv, readRun, writeRun } from "./results.ts";
import { runDir, runOne, splitFor } from "./runner.ts";
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
  assert.deepEqual(await files(dir), ["metrics.csv", "model.json", "run.json", "weights.bin"]);
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

Deno.test("a leftover running record is reported and redone", opts, async () => {
  const out = await Deno.makeTempDir();
  const cfg = resolveConfig(small);
  const dir = await runDir(cfg, out);
  const first = await runOne(cfg, await context(out));
  await writeRun(dir, { ...first, status: "running", pid: 4242 });
  const logs: string[] = [];
  const redone = await runOne(cfg, await context(out, logs));
  assert.equal(redone.status, "complete");
  assert.ok(logs.some((l) => /left 'running' by process 4242.*redoing/.test(l)), logs.join("\n"));
  await Deno.remove(out, { recursive: true });
});
