/**
 * Experiment 1, depth-aux-residual: does a deeper plain net train worse
 * (He et al. 2016, figures 1 and 6), do GoogLeNet's auxiliary classifiers
 * (Szegedy et al. 2015, section 5) or residual shortcuts fix it, and what do
 * per-layer gradient norms say about why?
 *
 * The net is the ResNet paper's CIFAR net at 28x28 (lib/models/cifar_net.ts).
 * Every variant comes from the same builder and differs only in depth,
 * shortcuts, auxiliary heads, or batch norm.
 * @module
 */
import { type Experiment, SMOKE_BUDGET } from "../lib/pipeline/experiment.ts";
import { compareClaim, thresholdClaim } from "../lib/ledger/claims.ts";
import {
  earlyGradRatioLog10,
  earlyLogGradNorm,
  lesionDamage,
  summaryValue,
  testError,
} from "../lib/ledger/measures.ts";
import { metricRows, records } from "../lib/ledger/evidence.ts";
import { lesionStudy } from "../lib/train/lesion.ts";
import { loadModel } from "../lib/train/results.ts";
import { splitFor } from "../lib/train/runner.ts";
import { firstLastGradNorm, gradNormByDepth, lesionChart, lossCurves, testErrorChart } from "../lib/display/charts.ts";

const EXP = "depth-aux-residual";
/** Test images a lesion study evaluates on, per deleted block (25 blocks per net at depth 56). */
const LESION_TEST_SIZE = 2000;

/** Variants, scales and budgets of experiment 1. */
export const depthAuxResidual: Experiment = {
  name: "depth-aux-residual",
  title: "Deep plain nets vs. auxiliary classifiers vs. residual shortcuts",
  base: {
    model: "cifar_net",
    // The ResNet CIFAR recipe: SGD, momentum 0.9, weight decay 1e-4, lr 0.1
    // divided by 10 at 50% and 75% of the run (DEFAULT_CONFIG).
    gradNormEvery: 10, // gradient norms of every conv kernel, often enough to see the first epoch
  },
  variants: {
    "plain-20": { depth: 20 },
    "plain-56": { depth: 56 },
    "plain+aux-56": { depth: 56, aux: true },
    "residual-20": { depth: 20, shortcuts: true },
    "residual-56": { depth: 56, shortcuts: true },
    // Without batch norm, everything else as above. Measured: the plain net
    // stays at chance (loss 2.303) at lr 0.1 and 0.01 alike; the residual net's
    // activations grow block by block from He initialisation (initial loss
    // about 2,000) and it diverges within 5 steps at lr 0.01 and 0.001 too,
    // so the rate is not the fix. Its first gradient norms are still recorded.
    "plain-56-nobn": { depth: 56, batchNorm: false },
    "plain+aux-56-nobn": { depth: 56, batchNorm: false, aux: true },
    "residual-56-nobn": { depth: 56, batchNorm: false, shortcuts: true },
  },
  scales: {
    // Seconds: 512 images, 2 epochs; checks the machinery, shows nothing.
    smoke: {
      overrides: { ...SMOKE_BUDGET, epochs: 2, gradNormEvery: 2 },
      seeds: [0],
    },
    // About 17 minutes on a 2-core CPU with the native backend (calibrated
    // with `deno task bench`): 8,000 training images, 3 epochs, two seeds.
    // Two seeds, not one: TensorFlow's CPU kernels are not bitwise
    // deterministic, and two runs of plain-56 with the same seed ended 21
    // points of test error apart, far beyond one run's own noise.
    quick: {
      overrides: { trainSize: 8000, epochs: 3, trainEvalSize: 2000 },
      seeds: [0, 1],
    },
    // The full training set, 30 epochs, three seeds: for a GPU or a long run.
    full: {
      overrides: { trainSize: 0, epochs: 30 },
      seeds: [0, 1, 2],
    },
  },
  claims: [
    compareClaim({
      id: "depth-1a",
      claim:
        "Degradation: the 56-layer plain net ends with a higher training loss than the 20-layer one under the same budget",
      source: "notes 001; He et al. 2016, figures 1 and 6",
      experiment: EXP,
      metric: "final training loss of the main head (last epoch's readings)",
      a: "plain-56",
      b: "plain-20",
      direction: "greater",
      measure: summaryValue("final_train_loss_main"),
    }),
    compareClaim({
      id: "depth-1b",
      claim: "Degradation: the 56-layer plain net ends with a higher test error than the 20-layer one",
      source: "notes 001; He et al. 2016, figures 1 and 6",
      experiment: EXP,
      metric: "test error",
      a: "plain-56",
      b: "plain-20",
      direction: "greater",
      measure: testError(),
    }),
    compareClaim({
      id: "depth-2a",
      claim: "Shortcuts fix it: residual-56 reaches a lower test error than plain-56",
      source: "notes 001; He et al. 2016, table 6",
      experiment: EXP,
      metric: "test error",
      a: "residual-56",
      b: "plain-56",
      direction: "less",
      measure: testError(),
    }),
    compareClaim({
      id: "depth-2b",
      claim: "With shortcuts depth helps again: residual-56 reaches a lower test error than residual-20",
      source: "notes 001; He et al. 2016, table 6 (6.97% vs 8.75% on CIFAR-10)",
      experiment: EXP,
      metric: "test error",
      a: "residual-56",
      b: "residual-20",
      direction: "less",
      measure: testError(),
    }),
    compareClaim({
      id: "depth-3a",
      claim:
        "Auxiliary heads inject gradient: stage-1 conv layers get larger gradients early in training (with batch norm)",
      source: "notes 000; Szegedy et al. 2015, section 5; Lee et al. 2015 (deeply-supervised nets)",
      experiment: EXP,
      metric: "log10 of the mean gradient L2 norm of stage-1 conv kernels, averaged over the first epoch's readings",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "greater",
      measure: earlyLogGradNorm(/^s1b\d+_conv/),
    }),
    compareClaim({
      id: "depth-3b",
      claim:
        "Auxiliary heads inject gradient: stage-1 conv layers get larger gradients early in training (without batch norm)",
      source: "notes 000; Szegedy et al. 2015, section 5; Lee et al. 2015 (deeply-supervised nets)",
      experiment: EXP,
      metric: "log10 of the mean gradient L2 norm of stage-1 conv kernels, averaged over the first epoch's readings",
      a: "plain+aux-56-nobn",
      b: "plain-56-nobn",
      direction: "greater",
      measure: earlyLogGradNorm(/^s1b\d+_conv/),
    }),
    compareClaim({
      id: "depth-4",
      claim: "With auxiliary heads the deep plain net reaches a lower training loss by the end of the budget",
      source: "notes 000 and 003; Szegedy et al. 2015, section 5",
      experiment: EXP,
      metric: "final training loss of the main head",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "less",
      measure: summaryValue("final_train_loss_main"),
    }),
    thresholdClaim({
      id: "depth-5a",
      claim:
        "Vanishing gradients: without batch norm, the deep plain net's gradient is 10x or more smaller at the first conv layer than at the last, early in training",
      source: "notes 001 and 004; He et al. 2016, section 1; Glorot and Bengio 2010",
      experiment: EXP,
      metric: "log10(last conv / first conv gradient norm), first epoch",
      variant: "plain-56-nobn",
      direction: "above",
      threshold: 1,
      measure: earlyGradRatioLog10(),
    }),
    thresholdClaim({
      id: "depth-5b",
      claim: "With shortcuts (no batch norm) the gradient does not fall 10x from the last conv layer to the first",
      source: "notes 001 and 004; He et al. 2016b (identity mappings), section 3",
      experiment: EXP,
      metric: "log10(last conv / first conv gradient norm), first epoch",
      variant: "residual-56-nobn",
      direction: "below",
      threshold: 1,
      measure: earlyGradRatioLog10(),
    }),
    thresholdClaim({
      id: "depth-6",
      claim:
        "With batch norm the plain net's gradients stay healthy (under 10x from last to first conv layer), so its degradation (depth-1a) is not vanishing gradients",
      source: "He et al. 2016, section 4.1",
      experiment: EXP,
      metric: "log10(last conv / first conv gradient norm), first epoch",
      variant: "plain-56",
      direction: "below",
      threshold: 1,
      measure: earlyGradRatioLog10(),
    }),
    compareClaim({
      id: "depth-7",
      claim:
        "Deleting one block hurts the trained residual-56 far less than the trained plain-56 (residual nets behave like ensembles of shallow paths)",
      source: "notes 001 ('2^n paths'); Veit et al. 2016, figure 3",
      experiment: EXP,
      metric:
        `mean rise in test error over single-block deletions (lesion.json, up to ${LESION_TEST_SIZE} test images)`,
      a: "residual-56",
      b: "plain-56",
      direction: "less",
      measure: lesionDamage(),
    }),
  ],
  // Lesion study on the saved plain-56 and residual-56 models (no training).
  analyses: [{
    scope: "run",
    file: "lesion.json",
    title: "lesion study (each block deleted in turn)",
    select: (r) => ["plain-56", "residual-56"].includes(r.variant),
    compute: async (r, dir, ctx) => {
      if (!ctx.data) throw new RangeError("the lesion study needs the data");
      const c = r.config;
      // The run's own split, so the standardisation matches its training.
      const data = splitFor(ctx.data, c, { testSize: Math.min(LESION_TEST_SIZE, c.testSize) });
      const model = await loadModel(dir);
      try {
        return await lesionStudy(model, { depth: c.depth, shortcuts: c.shortcuts, batchNorm: c.batchNorm }, data.test);
      } finally {
        model.dispose();
      }
    },
  }],
  charts: (ev) => {
    const rows = metricRows(ev);
    const bn = ["plain-20", "plain-56", "plain+aux-56", "residual-20", "residual-56"];
    const nobn = ["plain-56-nobn", "plain+aux-56-nobn", "residual-56-nobn"];
    const pick = (vs: string[]) => rows.filter((r) => vs.includes(r.variant));
    const gradSteps = [...new Set(rows.filter((r) => r.metric === "grad_norm").map((r) => r.step))].sort((a, b) =>
      a - b
    );
    const lesion = ev.runs.flatMap(({ run, artifacts }) =>
      ((artifacts["lesion.json"] ?? []) as Array<{ block: string; error: number }>).map((l) => ({
        variant: `${run.variant} s${run.seed}`,
        ...l,
      }))
    );
    return {
      // The main head's loss, so nets with auxiliary heads compare like for like.
      loss_bn: lossCurves(pick(bn), { title: "Training loss of the main head, with batch norm", head: "main" }),
      loss_nobn: lossCurves(pick(nobn), {
        title: "Training loss of the main head, without batch norm",
        head: "main",
        logY: true,
      }),
      grad_by_depth_bn: gradNormByDepth(pick(["plain-56", "plain+aux-56", "residual-56"]), [
        0,
        9,
        gradSteps.at(-1) ?? 0,
      ], {
        title: "Gradient norm by depth, with batch norm",
      }),
      grad_by_depth_nobn: gradNormByDepth(pick(nobn), [0, 9], { title: "Gradient norm by depth, without batch norm" }),
      grad_first_last: firstLastGradNorm(pick(["plain-56", "residual-56", "plain-56-nobn", "plain+aux-56-nobn"])),
      test_error: testErrorChart(records(ev)),
      lesion: lesionChart(lesion),
    };
  },
};
