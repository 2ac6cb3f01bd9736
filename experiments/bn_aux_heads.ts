/**
 * Experiment 3, bn-aux: an auxiliary classifier with and without batch norm
 * in its head (Szegedy et al. 2016, sections 4 and 10). Base net: the small
 * Inception-style net of lib/models/inception_net.ts, chosen because
 * BN-auxiliary is an Inception-v3 result and its auxiliary head sits on an
 * Inception stage; the deep plain net of experiment 1 is studied for
 * vanishing gradients there. The variants differ only in the head.
 * @module
 */
import { type Experiment, SMOKE_BUDGET } from "../lib/pipeline/experiment.ts";
import { compareClaim, equivalenceClaim } from "../lib/ledger/claim_builders.ts";
import { summaryError, testError, trainValGap, valErrorAtEpoch } from "../lib/ledger/measures.ts";
import { type MetricRow, metricRows, records } from "../lib/ledger/evidence.ts";
import { lossCurves, type Spec, testErrorChart } from "../lib/display/charts.ts";

const EXP = "bn-aux";

/** Validation error of the main head per epoch, one line per variant (mean over seeds). */
function valCurves(rows: MetricRow[]): Spec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "Validation error of the main head per epoch",
    width: 420,
    height: 260,
    data: {
      values: rows.filter((r) => r.split === "val" && r.metric === "error" && r.layer === "main")
        .map((r) => ({ variant: r.variant, seed: r.seed, epoch: r.epoch + 1, error: 100 * r.value })),
    },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "ordinal" },
      y: {
        aggregate: "mean",
        field: "error",
        type: "quantitative",
        title: "validation error (%)",
        scale: { zero: false },
      },
      color: { field: "variant", type: "nominal" },
    },
  };
}

/** Variants, scales and claims of experiment 3. */
export const bnAuxHeads: Experiment = {
  name: EXP,
  title: "Auxiliary heads with and without batch norm",
  base: {
    model: "inception_net",
    width: 16, // 28x28x16 after the stem; the auxiliary head sits on the 14x14x64 stage
    lr: 0.05, // as experiment 2's Inception-style net
    gradNormEvery: 0,
    gradNormFirstSteps: 0,
  },
  variants: {
    "no-aux": { aux: false },
    aux: { aux: true, auxBn: false },
    "bn-aux": { aux: true, auxBn: true },
  },
  scales: {
    smoke: {
      overrides: { ...SMOKE_BUDGET, epochs: 2 },
      seeds: [0],
      regimes: ["early"],
    },
    // The one early claim (bnaux-1: after the first epoch) with 3 seeds per
    // arm: 12,000 images, 1 epoch, all 5,000 validation images (the claim's
    // measure), 6-8 minutes on 2 cores (the reference run: 7.7). The others are
    // about the end of training (converged) and are not-run here.
    quick: {
      overrides: { trainSize: 12000, epochs: 1, testSize: 2000, trainEvalSize: 1000 },
      seeds: [0, 1, 2],
      regimes: ["early"],
    },
    // All 55,000 images, 30 epochs, 9 seeds: bnaux-3's +0.4 points (Szegedy
    // et al. 2016, table 3: the effect assumed) at 80% power needs 9 paired
    // seeds if the per-seed spread of the difference is 0.35 points (assumed:
    // about the spread of single CIFAR ResNets in He et al. 2016, table 6);
    // seedsNeeded() in lib/ledger/stats.ts computes it.
    full: {
      overrides: { trainSize: 0, epochs: 30 },
      seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      regimes: ["early", "converged"],
    },
  },
  claims: [
    equivalenceClaim({
      id: "bnaux-1",
      claim:
        "Early in training, an auxiliary head does not speed convergence: after the first epoch aux and no-aux are alike",
      source: "Szegedy et al. 2016, section 4",
      metric: "main-head validation error after epoch 1",
      a: "aux",
      b: "no-aux",
      margin: 0.02,
      measure: valErrorAtEpoch(0),
      regime: "early",
      unit: "percent",
    }),
    compareClaim({
      id: "bnaux-2",
      claim: "Near the end of training, the net with an auxiliary head reaches a slightly better validation accuracy",
      source: "Szegedy et al. 2016, section 4; notes 000",
      metric: "main-head validation error at the end",
      a: "aux",
      b: "no-aux",
      direction: "less",
      measure: summaryError("val_error"),
      regime: "converged",
      minEffect: 0.002, // "slightly better": a fifth of a point
      unit: "percent",
    }),
    compareClaim({
      id: "bnaux-3",
      claim: "Batch-normalising the auxiliary head improves the main classifier",
      source: "Szegedy et al. 2016, section 10 and table 3 (+0.4% top-1); notes 000",
      metric: "main-head test error",
      a: "bn-aux",
      b: "aux",
      direction: "less",
      measure: testError(),
      regime: "converged",
      minEffect: 0.004, // the paper's +0.4% top-1
      unit: "percent",
    }),
    compareClaim({
      id: "bnaux-4",
      claim: "The auxiliary head acts as a regulariser: the train/validation gap is smaller with it",
      source: "notes 000; Szegedy et al. 2016, section 4",
      metric: "validation error minus training error at the end",
      a: "aux",
      b: "no-aux",
      direction: "less",
      measure: trainValGap(),
      regime: "converged",
      minEffect: 0.005,
      unit: "percent",
    }),
  ],
  charts: (ev) => ({
    val_error: valCurves(metricRows(ev)),
    loss_main: lossCurves(metricRows(ev), { title: "Training loss of the main head", head: "main" }),
    test_error: testErrorChart(records(ev)),
  }),
};
