import assert from "node:assert/strict";
import { resolveConfig } from "../train/config.ts";
import { compareClaim } from "../ledger/claim_builders.ts";
import { testError } from "../ledger/measures.ts";
import { expandRuns, type Experiment } from "./experiment.ts";
import {
  benchNetOf,
  dataNote,
  estimateRunSeconds,
  EVAL_SPEEDUP,
  formatPlan,
  planExperiment,
  rowsOf,
  runSeconds,
  scaleNote,
  SETUP_SECONDS,
  speedOf,
  STEP_EFFICIENCY,
} from "./plan.ts";

const claim = (id: string, regime: "early" | "converged") =>
  compareClaim({
    id,
    claim: id,
    source: "test",
    metric: "test error",
    regime,
    a: "a",
    b: "b",
    direction: "less",
    measure: testError(),
    minEffect: 0.01,
  });

const exp: Experiment = {
  name: "toy",
  title: "toy",
  base: { model: "cifar_net", depth: 56 },
  variants: { a: {}, b: { shortcuts: true } },
  scales: {
    smoke: { overrides: { trainSize: 512, epochs: 1 }, seeds: [0], regimes: ["early"] },
    quick: { overrides: { trainSize: 1280, epochs: 2 }, seeds: [0, 1, 2], regimes: ["early"] },
    full: { overrides: { trainSize: 0, epochs: 3 }, seeds: [0, 1, 2, 3, 4], regimes: ["early", "converged"] },
  },
  claims: [claim("early-1", "early"), claim("late-1", "converged")],
};

const speeds = [
  { net: "plain56", backend: "tensorflow", device: "CPU", batch: 128, imagesPerSec: { median: 300 } },
  { net: "residual56", backend: "tensorflow", device: "CPU", batch: 128, imagesPerSec: { median: 300 } },
];

Deno.test("benchNetOf() names each config's own net; a net nobody benched is estimated from a stand-in, said so", () => {
  assert.equal(benchNetOf(resolveConfig({ depth: 20, shortcuts: true })), "residual20");
  assert.equal(benchNetOf(resolveConfig({ depth: 110 })), "plain110");
  const rows = [
    { net: "plain20", backend: "tensorflow", device: "CPU", batch: 128, imagesPerSec: { median: 480 } },
    ...speeds,
  ];
  assert.deepEqual(speedOf(resolveConfig({ depth: 56 }), rows), { imagesPerSec: 300 });
  const r20 = speedOf(resolveConfig({ depth: 20, shortcuts: true }), rows)!;
  assert.equal(r20.imagesPerSec, 480);
  assert.match(r20.standIn!, /residual20 taken at plain20's rate/);
  const p110 = speedOf(resolveConfig({ depth: 110 }), rows)!;
  assert.ok(Math.abs(p110.imagesPerSec - 300 * 56 / 110) < 1e-9);
  assert.match(p110.standIn!, /plain110 taken at plain56's rate x 56\/110/);
  assert.equal(speedOf(resolveConfig({ depth: 110 }), []), undefined, "nothing benched: no estimate");
  assert.equal(speedOf(resolveConfig({ model: "grid_net", reduction: "parallel", width: 64 }), rows), undefined);
  assert.equal(benchNetOf(resolveConfig({ depth: 56 })), "plain56");
  assert.equal(benchNetOf(resolveConfig({ depth: 56, shortcuts: true })), "residual56");
  assert.equal(benchNetOf(resolveConfig({ model: "grid_net", reduction: "pool-first" })), "grid_pool_first");
  assert.equal(
    benchNetOf(resolveConfig({ model: "inception_net", width: 16, aux: true, auxBn: true })),
    "inception_bn_aux",
  );
  assert.equal(benchNetOf(resolveConfig({ model: "inception_net", aux: true, auxBn: true })), "inception_bn_aux_w32");
});

Deno.test("a plan counts runs, estimates their time from measured speed, and says what the scale decides", () => {
  const cfg = resolveConfig({ trainSize: 1280, epochs: 2, gradNormEvery: 0, gradNormFirstSteps: 0 });
  // 2,560 training images at 300 x 0.95 img/s; 2 x (1,280 + 5,000 + 512 for precise BN) + 10,000 evaluated at four
  // times that; 1 s of set-up.
  assert.equal(STEP_EFFICIENCY, 0.95);
  assert.equal(EVAL_SPEEDUP, 4);
  const expected = 2560 / 285 + 23584 / (4 * 285) + SETUP_SECONDS;
  assert.ok(Math.abs(estimateRunSeconds(cfg, 300) - expected) < 1e-9, `${estimateRunSeconds(cfg, 300)} vs ${expected}`);
  const quick = planExperiment(exp, "quick", speeds);
  assert.equal(quick.runs, 6);
  assert.deepEqual([quick.variants, quick.seeds, quick.images, quick.epochs], [2, 3, 1280, 2]);
  assert.deepEqual(quick.decides, ["early-1"]);
  assert.deepEqual(quick.notRun, ["late-1"]);
  const full = planExperiment(exp, "full", speeds);
  assert.deepEqual(full.decides, ["early-1", "late-1"]);
  assert.ok(full.seconds > 20 * quick.seconds, "the full scale costs far more");
  assert.ok(Number.isNaN(planExperiment(exp, "quick", []).seconds), "no measured speed: no estimate");
  assert.match(
    formatPlan([quick], "quick"),
    /\| toy \| 6 \(2 x 3\) \| 1,280 x 2 \| 20 of 20 \| \d+ min \| early-1 \| late-1 \|/,
  );
  // A run stopped after 4 of its 20 steps trains 4 x 128 images and evaluates only at its measure step, no test set.
  const stopped = resolveConfig({ ...cfg, stopStep: 4, measureSteps: "4" });
  const want = 512 / 285 + (1280 + 5000 + 512) / (4 * 285) + SETUP_SECONDS;
  assert.ok(Math.abs(estimateRunSeconds(stopped, 300) - want) < 1e-9, `${estimateRunSeconds(stopped, 300)} vs ${want}`);
});

Deno.test("compiled steps are planned at the compiled row's rate, evaluations at the eager one's", () => {
  const cfg = resolveConfig({ depth: 56, trainSize: 1280, epochs: 2, gradNormEvery: 0, gradNormFirstSteps: 0 });
  assert.equal(cfg.step, "compiled", "the default");
  const rows = [
    ...speeds,
    { net: "plain56", backend: "tensorflow compiled", device: "CPU", batch: 128, imagesPerSec: { median: 600 } },
    { net: "plain56", backend: "tensorflow compiled", device: "GPU", batch: 128, imagesPerSec: { median: 9000 } },
    { net: "plain56", backend: "tensorflow", device: "CPU", batch: 1, imagesPerSec: { median: 50 } },
  ];
  const cpu = rowsOf(rows, "tensorflow", "CPU");
  assert.deepEqual(cpu.map((r) => `${r.net} ${r.backend}`), [
    "plain56 tensorflow",
    "residual56 tensorflow",
    "plain56 tensorflow compiled",
  ]);
  // 2,560 steps' images at 600 x 0.95; the 23,584 evaluated images at 4 x 300 x 0.95 (eager forward passes).
  const want = 2560 / (600 * STEP_EFFICIENCY) + 23584 / (EVAL_SPEEDUP * 300 * STEP_EFFICIENCY) + SETUP_SECONDS;
  const got = runSeconds(cfg, cpu)!;
  assert.ok(Math.abs(got.seconds - want) < 1e-9, `${got.seconds} vs ${want}`);
  assert.equal(got.compiled, true);
  // An eager config, or a bench without a compiled row, plans every image at the eager rate.
  const eager = runSeconds(resolveConfig({ ...cfg, step: "eager" }), cpu)!;
  assert.ok(Math.abs(eager.seconds - estimateRunSeconds(cfg, 300)) < 1e-9);
  assert.equal(eager.compiled, false);
  assert.ok(Math.abs(runSeconds(cfg, speeds)!.seconds - estimateRunSeconds(cfg, 300)) < 1e-9);
  assert.equal(runSeconds(resolveConfig({ depth: 20, model: "grid_net" }), cpu), undefined);
  assert.match(planExperiment(exp, "quick", cpu).device, /^tensorflow on CPU, compiled steps as measured$/);
  assert.match(planExperiment(exp, "quick", speeds).device, /^tensorflow on CPU, eager steps as measured$/);
});

Deno.test("a prefix scale runs full's runs, each variant stopped where its early claims stop reading", () => {
  const prefix: Experiment = {
    ...exp,
    variants: { a: {}, b: { shortcuts: true }, c: { depth: 20 } },
    scales: { ...exp.scales, quick: { overrides: {}, prefixOfFull: true, seeds: [0, 1, 2, 3], regimes: ["early"] } },
    claims: [
      { ...claim("early-1", "early"), reads: { variants: ["a", "b"], step: 10 } },
      { ...claim("early-2", "early"), reads: { variants: ["b"], step: 150 } },
      claim("late-1", "converged"),
    ],
  };
  const runs = expandRuns(prefix, "quick");
  assert.deepEqual([...new Set(runs.map((c) => `${c.variant} ${c.stopStep}`))], ["a 10", "b 150"], "c: read by none");
  assert.deepEqual(runs.map((c) => c.epochs), Array(8).fill(3), "full's schedule");
  assert.throws(() => expandRuns(prefix, "quick", { variants: ["c"] }), /no early claim reads variant "c"/);
  const p = planExperiment(prefix, "quick", speeds);
  assert.deepEqual(p.steps, [10, 150]);
  assert.match(formatPlan([p], "quick"), /\| 10-150 of 1,287 \|/);
  assert.match(scaleNote(prefix, "quick"), /the first steps of `full`'s .* a 10, b 150; 4 seed\(s\)/);
  assert.throws(
    () =>
      expandRuns({
        ...prefix,
        scales: { ...prefix.scales, quick: { ...prefix.scales.quick, overrides: { epochs: 1 } } },
      }, "quick"),
    /prefix of full and must not override its budget/,
  );
});

Deno.test("early-claim seeds: extra runs of early-only variants, stopped where read at every scale", () => {
  const extra: Experiment = {
    ...exp,
    variants: { a: {}, b: { shortcuts: true }, c: { depth: 20 } },
    scales: {
      ...exp.scales,
      quick: {
        overrides: {},
        prefixOfFull: true,
        seeds: [0, 1],
        earlySeeds: { variants: ["a"], seeds: [2, 3, 4] },
        regimes: ["early"],
      },
      full: { overrides: {}, seeds: [0, 1, 2], earlySeeds: { variants: ["a"], seeds: [3, 4] }, regimes: ["early"] },
    },
    claims: [
      { ...claim("early-1", "early"), reads: { variants: ["a", "b"], step: 10 } },
      { ...claim("late-1", "converged"), reads: { variants: ["b", "c"] } },
    ],
  };
  const key = (c: { variant: string; seed: number; stopStep: number }) => `${c.variant}${c.seed}@${c.stopStep}`;
  assert.deepEqual(expandRuns(extra, "quick").map(key), [
    "a0@10",
    "a1@10",
    "b0@10",
    "b1@10",
    "a2@10",
    "a3@10",
    "a4@10",
  ]);
  // At full, seed 2 of a is a main seed (trained on from its quick stop); 3 and 4 stay stopped, so full reuses them.
  assert.deepEqual(expandRuns(extra, "full").map(key), [
    "a0@0",
    "a1@0",
    "a2@0",
    "b0@0",
    "b1@0",
    "b2@0",
    "c0@0",
    "c1@0",
    "c2@0",
    "a3@10",
    "a4@10",
  ]);
  assert.deepEqual(expandRuns(extra, "full", { seeds: [7] }).map(key), ["a7@0", "b7@0", "c7@0"], "--seeds: those only");
  assert.match(
    formatPlan([planExperiment(extra, "quick", speeds)], "quick"),
    /\| 7 \(2 x 2 \+ 3 early-claim runs\) \|/,
  );
  assert.match(
    scaleNote(extra, "quick"),
    /2 seed\(s\) \(0, 1\), and 3 more \(2 to 4\) for a, which only early claims read/,
  );
  const withQuick = (earlySeeds: { variants: string[]; seeds: number[] }) =>
    expandRuns({ ...extra, scales: { ...extra.scales, quick: { ...extra.scales.quick, earlySeeds } } }, "quick");
  assert.throws(() => withQuick({ variants: ["b"], seeds: [5] }), /names "b", which late-1 read after training/);
  assert.throws(() => withQuick({ variants: ["c"], seeds: [5] }), /names "c", which no early claim reads/);
  assert.throws(() => withQuick({ variants: ["a"], seeds: [1, 5] }), /repeats seed\(s\) 1 of the scale/);
});

Deno.test("scaleNote() says what a scale trains and decides, from the experiment itself", () => {
  assert.match(
    scaleNote(exp, "quick"),
    /At `quick` each of the 2 variants trains on 1,280 images for 2 epoch\(s\), with 3 seed\(s\)/,
  );
  assert.match(
    scaleNote(exp, "quick"),
    /decide the early-training claims \(early-1\), but with fewer than 4 seeds .* The claims about trained nets \(late-1\) are not-run/,
  );
  assert.match(scaleNote(exp, "smoke"), /fewer than 4 seeds per arm every one of them stays inconclusive/);
});

Deno.test("dataNote() states the scale's split from the experiment's own configs", () => {
  const cfg = expandRuns(exp, "quick")[0];
  const note = dataNote(exp, "quick", { train: { n: 60000 }, test: { n: 10000 } });
  assert.ok(note.includes(`holds out ${cfg.valSize.toLocaleString("en-US")} for validation`), note);
  assert.ok(
    note.includes(`trains on ${cfg.trainSize.toLocaleString("en-US")} of the rest for ${cfg.epochs} epoch(s)`),
    note,
  );
  assert.ok(note.includes(`tests on ${cfg.testSize.toLocaleString("en-US")} of the 10,000 test images`), note);
});
