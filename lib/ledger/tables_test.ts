import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "../train/config.ts";
import { type RunRecord, writeMetrics, writeRun } from "../train/results.ts";
import { compareResults, compareTest, formatSummary, imagesBehind, summarize } from "./tables.ts";

function record(variant: string, seed: number, testError: number): RunRecord {
  const config = resolveConfig({ experiment: "exp", variant, seed });
  return {
    id: `${variant}-s${seed}-00000000`,
    experiment: "exp",
    variant,
    seed,
    configHash: "00000000",
    config,
    status: "complete",
    backend: { name: "cpu", device: "test", gpu: false },
    versions: {},
    dataset: { dir: "-", sha256: {} },
    params: { trainable: 10, total: 12, inference: 12 },
    startedAt: "2026-01-01T00:00:00Z",
    pid: 1,
    summary: { test_error_main: testError, final_train_loss: 0.1 + 0.01 * seed },
  };
}

async function writeSet(root: string, errors: Record<string, number[]>) {
  for (const [variant, es] of Object.entries(errors)) {
    for (const [seed, e] of es.entries()) {
      const r = record(variant, seed, e);
      const dir = join(root, "exp", r.id);
      await writeRun(dir, r);
      await writeMetrics(dir, []);
    }
  }
}

Deno.test("summarize() gives mean and spread over seeds per variant", () => {
  const t = summarize([record("a", 0, 0.1), record("a", 1, 0.2), record("b", 0, 0.3)]);
  const rows = t.objects() as Record<string, number>[];
  assert.equal(rows.length, 2);
  assert.ok(Math.abs(rows[0].test_error_main_mean - 0.15) < 1e-12);
  assert.ok(Math.abs(rows[0].test_error_main_sd - Math.SQRT1_2 * 0.1) < 1e-12);
  assert.ok(Number.isNaN(rows[1].test_error_main_sd));
  assert.match(formatSummary(t), /\| a \| 2 \| 0 \| 12 \| 15\.00 ± 7\.07% \|/);
});

Deno.test("compareResults() flags a planted difference, not noise, and skips a malformed record", async () => {
  const a = await Deno.makeTempDir(), b = await Deno.makeTempDir();
  await writeSet(a, { same: [0.100, 0.104, 0.098], planted: [0.100, 0.102, 0.099] });
  await writeSet(b, { same: [0.101, 0.099, 0.103], planted: [0.150, 0.152, 0.149] });
  await Deno.mkdir(join(b, "exp", "broken-s0-x"), { recursive: true });
  await Deno.writeTextFile(join(b, "exp", "broken-s0-x", "run.json"), "{ not json");
  const warnings: string[] = [];
  const deltas = await compareResults(a, b, { metrics: ["test_error_main"], warn: (m) => warnings.push(m) });
  const by = Object.fromEntries(deltas.map((d) => [d.variant, d]));
  assert.equal(by.planted.verdict, "higher");
  assert.equal(by.planted.test, "Welch t");
  assert.deepEqual(by.planted.n, [3, 3]);
  assert.ok(by.planted.p < 0.001);
  assert.ok(Math.abs(by.planted.delta - 0.05) < 1e-3);
  assert.equal(by.same.verdict, "same");
  assert.ok(by.same.p > 0.05);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /broken-s0-x\/run\.json: not a readable run record/);
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});

Deno.test("compareTest(): Welch over seeds; one seed on a side: an exact binomial test on its test-set count", () => {
  // scipy.stats.ttest_ind([0.21, 0.25, 0.19, 0.30], [0.15, 0.18, 0.11], equal_var=False).pvalue
  const w = compareTest([0.21, 0.25, 0.19, 0.30], [0.15, 0.18, 0.11]);
  assert.equal(w.test, "Welch t");
  assert.ok(Math.abs(w.p - 0.03495693941567134) < 1e-7);
  // scipy.stats.binomtest(120, 1000, p=0.1).pvalue = 0.039607719641630554; 150 of 1000 against 0.1: far below 0.001.
  const b = compareTest([0.1, 0.1], [0.12], { testSize: 1000 });
  assert.equal(b.test, "binomial");
  assert.ok(Math.abs(b.p - 0.039607719641630554) < 1e-9, `${b.p}`);
  assert.ok(compareTest([0.1], [0.15], { testSize: 1000 }).p < 1e-3);
  assert.deepEqual(compareTest([0.1], [0.2]), { test: "none", p: NaN });
  // Each rate is counted on its own split's images.
  const cfg = resolveConfig({ testSize: 2000, valSize: 3000, trainEvalSize: 1000, trainSize: 800 });
  assert.deepEqual(
    ["test_error_main", "val_error", "train_error", "train_val_gap", "final_train_loss"].map((m) =>
      imagesBehind(m, cfg)
    ),
    [2000, 3000, 800, 0, 0],
  );
});
