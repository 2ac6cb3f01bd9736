import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../env/backend.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { compareClaim } from "../ledger/claim_builders.ts";
import { testError } from "../ledger/measures.ts";
import { metricRows, records } from "../ledger/evidence.ts";
import { lossCurves, testErrorChart } from "./charts.ts";
import { expandRuns, type Experiment, type Scale } from "../pipeline/experiment.ts";
import { planRuns, trainRuns } from "../pipeline/pipeline.ts";
import { type RunContext, runOne } from "../train/runner.ts";
import { exists } from "../_util.ts";
import { reportExperiment } from "./report.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const data = { ...syntheticFashion({ n: 300 }), dir: "(synthetic, test only)", sha256: {} };
const budget = { valSize: 50, testSize: 40, epochs: 1, batchSize: 50, logEvery: 2, trainEvalSize: 50 };

function toyExperiment(calls: { run: number; experiment: number }): Experiment {
  return {
    name: "toy",
    title: "two tiny nets",
    base: { model: "cifar_net", depth: 8, gradNormEvery: 0, gradNormFirstSteps: 0 },
    variants: { plain: {}, residual: { shortcuts: true } },
    scales: {
      smoke: { overrides: budget, seeds: [0], regimes: ["early"] },
      quick: { overrides: budget, seeds: [1], regimes: ["early"] },
      full: { overrides: budget, seeds: [2], regimes: ["early"] },
    },
    analyses: [
      {
        scope: "run",
        file: "extra.json",
        title: "an extra number per run",
        select: (r) => r.variant === "residual",
        compute: (r) => {
          calls.run++;
          return Promise.resolve({ seed: r.seed });
        },
      },
      {
        scope: "experiment",
        file: "table.json",
        title: "a table of the experiment",
        compute: (runs) => {
          calls.experiment++;
          return Promise.resolve({ runs: runs.length });
        },
      },
    ],
    claims: [compareClaim({
      id: "toy-1",
      claim: "residual beats plain",
      source: "test",
      metric: "test error",
      a: "residual",
      b: "plain",
      direction: "less",
      measure: testError(),
      regime: "early",
      minEffect: 0.01,
    })],
    charts: (ev) => ({ loss: lossCurves(metricRows(ev)), test_error: testErrorChart(records(ev)) }),
  };
}

/** Plan, train (unless `train` is false), analyse, judge and render: the steps as `run` composes them. */
async function planTrainReport(exp: Experiment, scale: Scale, ctx: RunContext, train = true) {
  const plan = await planRuns(exp, scale);
  const failures = train ? (await trainRuns(plan, ctx)).failures : [];
  return await reportExperiment(exp, scale, plan, failures, ctx);
}

Deno.test(
  "plan, train, report: runs, analyses, evidence of the plan only, claims, charts; then all reused",
  opts,
  async () => {
    const outRoot = await Deno.makeTempDir();
    const backend = await selectBackend({ backend: "tensorflow", quiet: true });
    const calls = { run: 0, experiment: 0 };
    const exp = toyExperiment(calls);
    const logs: string[] = [];
    const ctx = { data, backend, outRoot, observer: { log: (m: string) => logs.push(m) }, saveModel: false };
    // A run of another config in the same directory (another training-set size) must not enter the verdicts.
    const [stray] = expandRuns(exp, "smoke", { variants: ["plain"] });
    const strayRecord = await runOne({ ...stray, trainSize: 100 }, ctx);

    const first = await planTrainReport(exp, "smoke", ctx);
    assert.equal(first.plan.length, 2);
    assert.deepEqual(first.failures, []);
    assert.deepEqual(first.evidence.runs.map((r) => r.run.id).sort(), first.plan.map((p) => p.id).sort());
    assert.ok(!first.evidence.runs.some((r) => r.run.id === strayRecord.id), "a run outside the plan was judged");
    assert.deepEqual(calls, { run: 1, experiment: 1 });
    const residual = first.evidence.runs.find((r) => r.run.variant === "residual")!;
    assert.deepEqual(residual.artifacts["extra.json"], { seed: 0 });
    assert.deepEqual(first.evidence.files["table.json"], { runs: 2 });
    assert.equal(first.entries.length, 1);
    assert.equal(first.entries[0].id, "toy-1");
    assert.ok(["supported", "contradicted", "inconclusive"].includes(first.entries[0].verdict));
    assert.ok(first.entries[0].evidence.includes(`toy/${residual.run.id}/extra.json`));
    for (const name of ["loss", "test_error"]) assert.ok(exists(join(outRoot, "toy", "charts", `${name}.svg`)), name);
    assert.match(first.summary, /\| plain \| 1 \| 0 \|/);

    logs.length = 0;
    const second = await planTrainReport(exp, "smoke", ctx);
    assert.ok(!logs.some((l) => /training \(/.test(l)), `a complete run was trained again:\n${logs.join("\n")}`);
    assert.deepEqual(calls, { run: 1, experiment: 1 }, "an analysis was recomputed although its file exists");
    assert.deepEqual(second.entries, first.entries);

    // Reading only: another scale's plan, nothing trained, nothing to judge.
    const readOnly = await planTrainReport(exp, "quick", ctx, false);
    assert.equal(readOnly.evidence.runs.length, 0);
    assert.equal(readOnly.entries[0].verdict, "not-run");
    assert.deepEqual(calls, { run: 1, experiment: 1 });
    await Deno.remove(outRoot, { recursive: true });
  },
);
