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
import { compareClaim, equivalenceClaim } from "../lib/ledger/claims.ts";
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
    },
    // About 10 minutes on a 2-core CPU with the native backend; two seeds, so
    // the small effects get a spread over seeds, and will mostly be inconclusive.
    quick: { overrides: { trainSize: 12000, epochs: 3, trainEvalSize: 2000 }, seeds: [0, 1] },
    full: { overrides: { trainSize: 0, epochs: 30 }, seeds: [0, 1, 2, 3, 4] },
  },
  claims: [
    equivalenceClaim({
      id: "bnaux-1",
      claim:
        "Early in training, an auxiliary head does not speed convergence: after the first epoch aux and no-aux are alike",
      source: "Szegedy et al. 2016, section 4",
      experiment: EXP,
      metric: "main-head validation error after epoch 1",
      a: "aux",
      b: "no-aux",
      margin: 0.02,
      measure: valErrorAtEpoch(0),
      unit: "percent",
    }),
    compareClaim({
      id: "bnaux-2",
      claim: "Near the end of training, the net with an auxiliary head reaches a slightly better validation accuracy",
      source: "Szegedy et al. 2016, section 4; notes 000",
      experiment: EXP,
      metric: "main-head validation error at the end",
      a: "aux",
      b: "no-aux",
      direction: "less",
      measure: summaryError("val_error"),
    }),
    compareClaim({
      id: "bnaux-3",
      claim: "Batch-normalising the auxiliary head improves the main classifier",
      source: "Szegedy et al. 2016, section 10 and table 3 (+0.4% top-1); notes 000",
      experiment: EXP,
      metric: "main-head test error",
      a: "bn-aux",
      b: "aux",
      direction: "less",
      measure: testError(),
    }),
    compareClaim({
      id: "bnaux-4",
      claim: "The auxiliary head acts as a regulariser: the train/validation gap is smaller with it",
      source: "notes 000; Szegedy et al. 2016, section 4",
      experiment: EXP,
      metric: "validation error minus training error at the end",
      a: "aux",
      b: "no-aux",
      direction: "less",
      measure: trainValGap(),
    }),
  ],
  charts: (ev) => ({
    val_error: valCurves(metricRows(ev)),
    loss_main: lossCurves(metricRows(ev), { title: "Training loss of the main head", head: "main" }),
    test_error: testErrorChart(records(ev)),
  }),
};
