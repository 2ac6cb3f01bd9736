/**
 * The recorded learning-rate sweep behind the no-batch-norm variants of
 * experiment 1 (depth-aux-residual). Without batch norm, the ResNet recipe's
 * rate of 0.1 is not a given: each no-BN net gets the rate, from this sweep,
 * at which it trains best, so that no comparison is decided by a rate that
 * suits one net and not the other. Not part of `reproduce`:
 *
 * ```sh
 * ./deeper run nobn-lr-sweep --scale quick --out results/sweeps
 * ```
 *
 * Every run uses the depth experiment's design (its base config: warm-up,
 * schedule, weight decay), one seed, 6,400 training images for 2 epochs;
 * the rate with the lowest validation error wins (ties, e.g. every rate at
 * chance: the lowest final training loss).
 * @module
 */
import { type Experiment, SMOKE_BUDGET } from "../lib/pipeline/experiment.ts";
import { metricRows } from "../lib/ledger/evidence.ts";
import { lossCurves } from "../lib/display/charts.ts";
import type { TrainConfig } from "../lib/train/config.ts";

/** The rates tried. */
export const SWEEP_LRS = [0.1, 0.03, 0.01, 0.003, 0.001];

/** The nets swept: the depth experiment's no-BN variants (the auxiliary one shares the plain net's rate). */
const NETS: Record<string, Partial<TrainConfig>> = {
  "plain-56-nobn": { depth: 56, batchNorm: false },
  "residual-56-nobn": { depth: 56, batchNorm: false, shortcuts: true, zeroInitBranches: true },
};

/**
 * The rates the sweep chose: validation error after 2 epochs of 6,400
 * images, seed 0, measured 2026-11-22 (records in
 * results/reference/sweeps/nobn-lr-sweep/):
 *
 * | rate  | plain-56-nobn | residual-56-nobn |
 * | ----- | ------------- | ---------------- |
 * | 0.1   | 90.46%        | 89.84%           |
 * | 0.03  | 90.46%        | 89.92%           |
 * | 0.01  | 87.32%        | 77.56%           |
 * | 0.003 | 90.34%        | 49.28%           |
 * | 0.001 | 90.34%        | 53.22%           |
 *
 * Both optima lie inside the grid. The plain net barely leaves chance at
 * any rate: without batch norm its forward signal shrinks along the 56
 * layers (the ledger's list of variants that did not train says more).
 */
export const NOBN_LR = { plain: 0.01, residual: 0.003 };

/** The sweep as an experiment: one variant per net and rate. */
export const nobnLrSweep: Experiment = {
  name: "nobn-lr-sweep",
  title: "learning rates for the no-batch-norm variants of depth-aux-residual",
  base: {
    model: "cifar_net",
    warmupSteps: 50, // as depth-aux-residual
    gradNormEvery: 0, // not studied here
    gradNormFirstSteps: 0,
  },
  variants: Object.fromEntries(
    Object.entries(NETS).flatMap(([net, cfg]) => SWEEP_LRS.map((lr) => [`${net}@${lr}`, { ...cfg, lr }])),
  ),
  scales: {
    smoke: { overrides: { ...SMOKE_BUDGET, epochs: 1 }, seeds: [0], regimes: [] },
    quick: { overrides: { trainSize: 6400, epochs: 2, trainEvalSize: 2000 }, seeds: [0], regimes: [] },
    full: { overrides: { trainSize: 6400, epochs: 2, trainEvalSize: 2000 }, seeds: [0, 1, 2], regimes: [] },
  },
  claims: [],
  charts: (ev) => ({ loss: lossCurves(metricRows(ev), { title: "Training loss per rate, without batch norm" }) }),
};
