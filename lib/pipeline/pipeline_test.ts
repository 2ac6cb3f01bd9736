import assert from "node:assert/strict";
import type { Experiment } from "./experiment.ts";
import { healthMarkdown, variantHealth } from "./pipeline.ts";
import type { Evidence } from "../ledger/evidence.ts";

Deno.test("variantHealth() lists variants at chance, that did not train, or diverged, with the experiment's reason or 'unexplained'", () => {
  const exp = { name: "toy", failureModes: { plain: "a known reason" } } as unknown as Experiment;
  // err < 0: a run whose main minibatch loss stays at ln 10 over its 100 steps (the records say it did not train).
  const flat = Array.from({ length: 11 }, (_, i) => ({
    step: Math.min(10 * i, 99),
    epoch: 0,
    split: "train",
    metric: "loss",
    layer: "main",
    value: Math.log(10) + 0.01,
  }));
  const run = (variant: string, seed: number, status: string, err?: number) => ({
    run: {
      id: `${variant}-s${seed}`,
      variant,
      seed,
      status,
      summary: err === undefined || err < 0 ? {} : { test_error_main: err },
    },
    rows: err !== undefined && err < 0 ? flat : [],
    artifacts: {},
  });
  const ev = {
    experiment: "toy",
    files: {},
    runs: [
      run("plain", 0, "complete", 0.9),
      run("plain", 1, "complete", 0.895),
      run("residual", 0, "diverged"),
      run("residual", 1, "complete", 0.2),
      run("ok", 0, "complete", 0.9),
      run("ok", 1, "complete", 0.3),
      run("flat", 0, "complete", -1),
      run("flat", 1, "complete", 0.3),
    ],
  } as unknown as Evidence;
  const health = variantHealth(exp, ev);
  assert.deepEqual(health, [
    { experiment: "toy", variant: "plain", problem: "at chance", runs: 2, of: 2, why: "a known reason" },
    { experiment: "toy", variant: "residual", problem: "diverged", runs: 1, of: 2, why: undefined },
    { experiment: "toy", variant: "flat", problem: "did not train", runs: 1, of: 2, why: undefined },
  ]);
  assert.match(healthMarkdown(health), /toy \/ residual: diverged in 1 of 2 runs\. Unexplained: check its settings\./);
  assert.equal(
    healthMarkdown([]),
    "Every variant trained: none sits at chance, stayed at a loss of ln 10, or diverged.",
  );
});
