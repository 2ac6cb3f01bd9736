import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "./config.ts";
import { configHash, metricsCsv, parseMetricsCsv, planRun, runId, type RunRecord, writeRun } from "./results.ts";
import type { MetricRecord } from "./train.ts";

Deno.test("configHash() depends on the values, not on the order of the keys", async () => {
  const cfg = resolveConfig({ depth: 56, shortcuts: true, lr: 0.05 });
  const reversed = Object.fromEntries(Object.entries(cfg).reverse()) as typeof cfg;
  assert.notDeepEqual(Object.keys(reversed), Object.keys(cfg));
  assert.equal(await configHash(reversed), await configHash(cfg));
  assert.notEqual(await configHash({ ...cfg, lr: 0.1 }), await configHash(cfg));
  assert.match(await runId(cfg), /^default-s0-[0-9a-f]{8}$/);
});

Deno.test("metrics.csv round-trips every field, quoted layer names included", () => {
  const rows: MetricRecord[] = [
    { step: 0, epoch: 0, split: "train", metric: "loss", layer: "", value: 2.302585 },
    { step: 10, epoch: 0, split: "train", metric: "grad_norm", layer: "s1b1_conv1/kernel", value: 1.5e-7 },
    { step: 12, epoch: 1, split: "val", metric: "error", layer: 'odd, "quoted" name', value: 0.125 },
    { step: 12, epoch: 1, split: "train", metric: "loss", layer: "main", value: NaN },
    { step: 13, epoch: 1, split: "train", metric: "loss", layer: "main", value: -Infinity },
  ];
  const back = parseMetricsCsv(metricsCsv(rows));
  assert.deepEqual(back, rows);
  assert.throws(() => parseMetricsCsv("a,b\n1,2\n", "x.csv"), /x\.csv: unexpected header/);
  assert.throws(() => parseMetricsCsv("step,epoch,split,metric,layer,value\nnot a row\n", "y.csv"), /y\.csv: line 2/);
});

Deno.test("planRun() reuses finished runs and redoes missing, interrupted, failed or unreadable ones", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await planRun(dir, false), { action: "run", why: "new" });
  const record = { id: "v-s0-x", experiment: "e", variant: "v", status: "complete", config: {}, summary: {} };
  await writeRun(dir, record as unknown as RunRecord);
  assert.match((await planRun(dir, false) as { why: string }).why, /metrics\.csv missing/);
  await Deno.writeTextFile(join(dir, "metrics.csv"), "step,epoch,split,metric,layer,value\n");
  assert.equal((await planRun(dir, false)).action, "reuse");
  assert.deepEqual(await planRun(dir, true), { action: "run", why: "--force" });
  await writeRun(dir, { ...record, status: "diverged" } as unknown as RunRecord);
  assert.equal((await planRun(dir, false)).action, "reuse");
  await writeRun(dir, { ...record, status: "failed", error: "boom" } as unknown as RunRecord);
  assert.match((await planRun(dir, false) as { why: string }).why, /previous attempt failed \(boom\)/);
  await Deno.writeTextFile(join(dir, "run.json"), "{ half a rec");
  assert.match((await planRun(dir, false) as { why: string }).why, /not a readable run record.*redoing/);
  await Deno.remove(dir, { recursive: true });
});
