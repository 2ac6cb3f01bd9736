import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_CONFIG, RECIPE_VERSION, resolveConfig, type TrainConfig } from "./config.ts";
import {
  configHash,
  designFields,
  listRuns,
  type MetricRecord,
  metricsCsv,
  parseMetricsCsv,
  planRun,
  runId,
  type RunRecord,
  writeRun,
} from "./results.ts";
import { ROOT } from "../_util.ts";

Deno.test("configHash() depends on the values, not on the order of the keys", async () => {
  const cfg = resolveConfig({ depth: 56, shortcuts: true, lr: 0.05 });
  const reversed = Object.fromEntries(Object.entries(cfg).reverse()) as typeof cfg;
  assert.notDeepEqual(Object.keys(reversed), Object.keys(cfg));
  assert.equal(await configHash(reversed), await configHash(cfg));
  assert.notEqual(await configHash({ ...cfg, lr: 0.1 }), await configHash(cfg));
  assert.match(await runId(cfg), /^default-s0-[0-9a-f]{8}$/);
});

Deno.test("a run id hashes only the fields that differ from their defaults, less experiment, variant and seed", async () => {
  const cfg = resolveConfig({ experiment: "e", variant: "v", seed: 3, depth: 56, lr: DEFAULT_CONFIG.lr });
  assert.deepEqual(designFields(cfg), { depth: 56 });
  assert.equal(await configHash(cfg), await configHash(resolveConfig({ depth: 56, seed: 7 })));
  assert.notEqual(await configHash(cfg), await configHash(resolveConfig({ depth: 20 + 36, shortcuts: true })));
  assert.equal(await runId(cfg), `v-s3-${await configHash(cfg)}`);
});

Deno.test("adding a config field with a default changes no run id; a run that sets it gets its own", async () => {
  const cfg = resolveConfig({ depth: 56, shortcuts: true, epochs: 2, trainSize: 5120 });
  // The same config after a commit that adds `newKnob` with default 3.
  const withField = { ...DEFAULT_CONFIG, newKnob: 3 };
  const before = await configHash(cfg);
  assert.equal(await configHash({ ...cfg, newKnob: 3 } as TrainConfig, withField), before);
  assert.notEqual(await configHash({ ...cfg, newKnob: 4 } as TrainConfig, withField), before);
});

Deno.test("every run of the committed reference sits under the id its config gets today", async () => {
  // A changed default or a new identity rule would rename these; a recipe bump would mark them stale instead.
  let checked = 0;
  for (const root of ["results/reference/quick", "results/reference/sweeps"]) {
    for await (const e of Deno.readDir(join(ROOT, root))) {
      if (!e.isDirectory) continue;
      for (const r of await listRuns(join(ROOT, root, e.name))) {
        assert.equal(r.id, await runId(r.config), `${root}/${e.name}/${r.id}`);
        assert.equal(r.configHash, await configHash(r.config));
        // The no-BN rate sweep is recipe 1's record: recipe 2 changed evaluation around batch norm and the auxiliary
        // heads' dropout, and its nets have neither, so its numbers stand (experiments/nobn_lr_sweep.ts).
        const want = root.endsWith("sweeps") ? 1 : RECIPE_VERSION;
        assert.equal(r.recipe, want, `${r.id} was trained under recipe ${want}`);
        checked++;
      }
    }
  }
  assert.ok(checked >= 50, `${checked} reference runs checked`);
});

Deno.test("the defaults are pinned to the recipe: changing one without bumping RECIPE_VERSION fails here", () => {
  // A default's value is part of what every run that does not override it means. When a commit changes one,
  // it bumps RECIPE_VERSION (config.ts) and updates this snapshot in the same commit; adding a field needs neither.
  const RECIPE_1 = {
    model: "cifar_net",
    depth: 20,
    shortcuts: false,
    aux: false,
    batchNorm: true,
    zeroInitBranches: false,
    reduction: "parallel",
    width: 32,
    auxBn: false,
    trainSize: 0,
    valSize: 5000,
    testSize: 10000,
    splitSeed: 0,
    optimizer: "sgd",
    lr: 0.1,
    momentum: 0.9,
    weightDecay: 1e-4,
    schedule: "step",
    lrDrops: "0.5,0.75",
    warmupSteps: 0,
    clipNorm: 0,
    batchSize: 128,
    epochs: 10,
    auxWeight: 0.3,
    logEvery: 10,
    gradNormEvery: 10,
    gradNormFirstSteps: 10,
    trainEvalSize: 5000,
  };
  // Recipe 2 changed how runs are evaluated and dropout draws its masks, not a default; it added two fields.
  const RECIPE_2 = { ...RECIPE_1, stopStep: 0, measureSteps: "" };
  assert.equal(RECIPE_VERSION, 2, "the recipe was bumped: pin its defaults here as RECIPE_<n>");
  const current = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(RECIPE_2)) assert.equal(current[k], v, `default of ${k}`);
});

/** A complete record of the current recipe, for planRun's cases. */
const RECORD = {
  id: "v-s0-x",
  experiment: "e",
  variant: "v",
  status: "complete",
  recipe: RECIPE_VERSION,
  config: {},
  summary: {},
};

Deno.test("planRun() redoes a record of another recipe, and says so", async () => {
  const dir = await Deno.makeTempDir();
  const record = RECORD;
  await writeRun(dir, record as unknown as RunRecord);
  await Deno.writeTextFile(join(dir, "metrics.csv"), "step,epoch,split,metric,layer,value\n");
  assert.equal((await planRun(dir, false)).action, "reuse");
  await writeRun(dir, { ...record, recipe: RECIPE_VERSION + 1 } as unknown as RunRecord);
  const plan = await planRun(dir, false) as { action: string; why: string };
  assert.equal(plan.action, "run");
  assert.match(
    plan.why,
    new RegExp(`stale: trained under recipe ${RECIPE_VERSION + 1}, the code's is ${RECIPE_VERSION}`),
  );
  await Deno.remove(dir, { recursive: true });
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
  const record = RECORD;
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
