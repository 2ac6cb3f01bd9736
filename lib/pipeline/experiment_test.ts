import assert from "node:assert/strict";
import { expandRuns, type Experiment, parseScale, SMOKE_BUDGET } from "./experiment.ts";

const exp: Experiment = {
  name: "toy",
  title: "a toy",
  base: { model: "cifar_net", depth: 8, lr: 0.05 },
  variants: { plain: {}, residual: { shortcuts: true } },
  scales: {
    smoke: { overrides: { ...SMOKE_BUDGET, epochs: 1 }, seeds: [0], regimes: ["early"] },
    quick: { overrides: { trainSize: 1000, epochs: 2 }, seeds: [0, 1, 2], variants: ["residual"], regimes: ["early"] },
    full: { overrides: { epochs: 3, lr: 0.1 }, seeds: [0], regimes: ["early", "converged"] },
  },
  claims: [],
};

Deno.test("expandRuns() gives variants x seeds with the scale's budget and the design untouched", () => {
  const quick = expandRuns(exp, "quick");
  assert.deepEqual(quick.map((c) => [c.variant, c.seed]), [["residual", 0], ["residual", 1], ["residual", 2]]);
  for (const c of quick) {
    assert.equal(c.trainSize, 1000);
    assert.equal(c.epochs, 2);
    assert.equal(c.lr, 0.05);
    assert.equal(c.shortcuts, true);
    assert.equal(c.experiment, "toy");
  }
  const smoke = expandRuns(exp, "smoke", { variants: ["plain"], seeds: [4, 5] });
  assert.deepEqual(smoke.map((c) => [c.variant, c.seed, c.batchSize]), [["plain", 4, 64], ["plain", 5, 64]]);
});

Deno.test("expandRuns() refuses a scale that changes the design, and unknown variants and scales", () => {
  assert.throws(() => expandRuns(exp, "full"), /toy: scale full overrides lr, which a scale must not change/);
  assert.throws(
    () => expandRuns(exp, "smoke", { variants: ["deep"] }),
    /Unknown variant "deep" of toy: use plain, residual/,
  );
  assert.throws(() => parseScale("huge"), /Unknown scale "huge": use one of smoke, quick, full/);
});
