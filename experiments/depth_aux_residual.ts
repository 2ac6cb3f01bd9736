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
import { compareClaim, equivalenceClaim, thresholdClaim } from "../lib/ledger/claim_builders.ts";
import {
  evalErrorAt,
  gradRatioLog10,
  lesionDamage,
  logGradRms,
  type StepWindow,
  testError,
  windowWords,
} from "../lib/ledger/measures.ts";
import { metricRows, records } from "../lib/ledger/evidence.ts";
import { lesionStudy } from "../lib/train/lesion.ts";
import { NOBN_LR } from "./nobn_lr_sweep.ts";
import { loadModel } from "../lib/train/results.ts";
import { splitFor } from "../lib/train/runner.ts";
import { firstLastGradNorm, gradNormByDepth, lesionChart, lossCurves, testErrorChart } from "../lib/display/charts.ts";

/** Test images a lesion study evaluates on, per deleted block (25 blocks per net at depth 56). */
const LESION_TEST_SIZE = 2000;

/**
 * Where the early claims are measured, the same at every scale. The step
 * after which the training error is evaluated (batch norm's statistics
 * recomputed first): 100 steps of 128 images (12,800 images, under a
 * quarter of the first epoch), the last 50 at the paper's rate of 0.1
 * after the warm-up; in He et al. 2016, figure 6, the 56-layer plain net's
 * training error is above the 20-layer one's from the first iterations on.
 */
const MEASURE_STEP = 100;
/** The first steps (warm-up, from lr 0.01), where a vanishing gradient shows before training has moved the weights. */
const START: StepWindow = { from: 0, to: 10 };
/** The 50 steps before the measure step, at the peak rate: where depth-1a's gap is measured. */
const LATE: StepWindow = { from: MEASURE_STEP - 50, to: MEASURE_STEP };

/** The nets without batch norm: only early claims (their first 10 steps) read them. */
const NOBN = ["plain-56-nobn", "plain+aux-56-nobn", "residual-56-nobn"];

/** The integers from `a` up to (not including) `b`. */
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** Variants, scales and budgets of experiment 1. */
export const depthAuxResidual: Experiment = {
  name: "depth-aux-residual",
  title: "Deep plain nets vs. auxiliary classifiers vs. residual shortcuts",
  base: {
    model: "cifar_net",
    // The ResNet CIFAR recipe: SGD, momentum 0.9, weight decay 1e-4, lr 0.1
    // divided by 10 at 50% and 75% of the run (DEFAULT_CONFIG), on all
    // 55,000 training images for 30 epochs; every scale but smoke trains this
    // schedule, quick stopping early (a prefix of full).
    trainSize: 0,
    epochs: 30,
    gradNormEvery: 10, // gradient norms of every conv kernel, often enough to see the first epoch
    // Every variant warms up alike: the rate climbs linearly from lr/10 over the
    // first 50 steps (6,400 images). The ResNet paper warms its 110-layer net up
    // at lr 0.01 for about 400 iterations; without a warm-up, two runs of
    // plain-56 with one seed ended 21 points of test error apart (README).
    warmupSteps: 50,
    measureSteps: String(MEASURE_STEP), // the early claims' evaluation, at every scale
  },
  variants: {
    "plain-20": { depth: 20 },
    "plain-56": { depth: 56 },
    "plain+aux-56": { depth: 56, aux: true },
    "residual-20": { depth: 20, shortcuts: true },
    "residual-56": { depth: 56, shortcuts: true },
    // Without batch norm. Each keeps the initialisation that suits it and a
    // rate from the recorded sweep experiments/nobn_lr_sweep.ts (its numbers
    // are in that file): the plain nets He initialisation (as He et al. 2015
    // trained deep plain nets without batch norm); the residual net's branches
    // end in a zero-initialised conv (Fixup's first rule), because from He
    // initialisation its activations grow block by block until the loss
    // overflows (initial loss about 2,000; diverged within 5 steps at lr 0.1,
    // 0.01 and 0.001 alike).
    "plain-56-nobn": { depth: 56, batchNorm: false, lr: NOBN_LR.plain },
    "plain+aux-56-nobn": { depth: 56, batchNorm: false, aux: true, lr: NOBN_LR.plain },
    "residual-56-nobn": { depth: 56, batchNorm: false, shortcuts: true, zeroInitBranches: true, lr: NOBN_LR.residual },
  },
  scales: {
    // Seconds: 512 images, 2 epochs; checks the machinery, shows nothing.
    smoke: {
      overrides: { ...SMOKE_BUDGET, epochs: 2, gradNormEvery: 2, measureSteps: "6" },
      seeds: [0],
      regimes: ["early"],
    },
    // The early claims: the first steps of full's runs, each variant stopped
    // at the last step its claims read (the no-BN nets after the 10 steps of
    // their gradient claims; residual-20 and residual-56, read by no early
    // claim, not at all). 8 seeds per arm, from the per-seed spreads of a
    // 3-seed pilot (2026-12-02): at Holm's first step (0.05 / 7) and 80%
    // power the effects it measured need 4 (depth-1a), 5 (depth-3a), 3
    // (depth-5a) and 8 (depth-3b) seeds; depth-4, depth-5b and depth-6 would
    // need hundreds, dozens or more (their entries say how many and what they
    // would cost). The no-BN nets get 50 seeds: they run 10 steps (about 23 s
    // a seed for the three), and depth-5b's effect in the 8-seed reference
    // (2026-12-02: +0.105, per-seed sd 0.20) needs about 49 at Holm's first
    // step; its first 8 seeds are that reference's (a two-stage design).
    // About an hour on 2 cores (./deeper plan).
    quick: {
      overrides: {},
      prefixOfFull: true,
      seeds: [0, 1, 2, 3, 4, 5, 6, 7],
      earlySeeds: { variants: NOBN, seeds: range(8, 50) },
      regimes: ["early"],
    },
    // The paper's regime on all 55,000 images: 30 epochs, 10 seeds, sized for
    // the smallest converged effect judged here, residual-56 vs residual-20:
    // the paper's 1.78 points on CIFAR-10 (He et al. 2016, table 6: 6.97% vs
    // 8.75%) needs about 10 paired seeds at 80% power at Holm's first step in
    // a family of 4 (0.0125) if the per-seed spread of the difference is 1.5
    // points (assumed; seedsNeeded() in lib/ledger/stats.ts).
    // The no-BN nets' early seeds as at quick (seeds 10 to 49 stop after their 10 steps here too).
    full: {
      overrides: {},
      seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      earlySeeds: { variants: NOBN, seeds: range(10, 50) },
      regimes: ["early", "converged"],
    },
  },
  // The primary claims, declared before any data; Holm's correction runs over each list.
  families: {
    early: ["depth-1a", "depth-3a", "depth-3b", "depth-4", "depth-5a", "depth-5b", "depth-6"],
    converged: ["depth-1b", "depth-2a", "depth-2b", "depth-7"],
  },
  failureModes: {
    "plain-56-nobn":
      "Without batch norm the forward signal shrinks along its 56 layers (at initialisation its logits spread about 0.02, the 20-layer net's about 0.34), so its outputs stay near uniform; the recorded sweep (experiments/nobn_lr_sweep.ts) found no rate from 0.001 to 0.1 at which it leaves chance by more than 3 points.",
    "plain+aux-56-nobn": "As plain-56-nobn, at the same rate: its main head's outputs stay near uniform.",
  },
  claims: [
    compareClaim({
      id: "depth-1a",
      claim:
        "Degradation, early: the 56-layer plain net has a higher training error than the 20-layer one (with batch norm)",
      source:
        "notes 001 (line 44: not overfitting but optimisation); He et al. 2016, figure 6 (training error, 56 above 20 throughout)",
      metric:
        `training error of the main head after ${MEASURE_STEP} steps, evaluation mode on 5,000 training images, batch norm's statistics recomputed first`,
      regime: "early",
      a: "plain-56",
      b: "plain-20",
      direction: "greater",
      measure: evalErrorAt("train_eval", MEASURE_STEP),
      atStep: MEASURE_STEP,
      minEffect: 0.01, // one point of training error, in the figure's unit (percent error)
      unit: "percent",
    }),
    compareClaim({
      id: "depth-1b",
      claim: "Degradation, trained: the 56-layer plain net ends with a higher test error than the 20-layer one",
      source: "notes 001 (line 44); He et al. 2016, figure 1 (CIFAR-10: 56 layers above 20 throughout)",
      metric: "test error",
      regime: "converged",
      a: "plain-56",
      b: "plain-20",
      direction: "greater",
      measure: testError(),
      minEffect: 0.01, // one point of test error
      unit: "percent",
    }),
    compareClaim({
      id: "depth-2a",
      claim: "Shortcuts fix it: trained residual-56 reaches a lower test error than trained plain-56",
      source: "notes 001 (line 47); He et al. 2016, table 6 and figure 6",
      metric: "test error",
      regime: "converged",
      a: "residual-56",
      b: "plain-56",
      direction: "less",
      measure: testError(),
      minEffect: 0.01,
      unit: "percent",
    }),
    compareClaim({
      id: "depth-2b",
      claim: "With shortcuts depth helps again: trained residual-56 reaches a lower test error than residual-20",
      source: "He et al. 2016, table 6 (CIFAR-10: 6.97% vs 8.75%)",
      metric: "test error",
      regime: "converged",
      a: "residual-56",
      b: "residual-20",
      direction: "less",
      measure: testError(),
      minEffect: 0.005, // half a point: a third of the paper's 1.78
      unit: "percent",
    }),
    compareClaim({
      id: "depth-3a",
      claim:
        "Auxiliary heads add gradient that reaches the early layers: the gradient at stage 1 is larger with them (with batch norm)",
      source:
        "notes 000 (lines 101-103: the auxiliary classifier's backpropagation is added, so the gradient does not shrink there); Szegedy et al. 2015, section 5",
      metric:
        `log10 of the mean per-weight RMS gradient of the whole training loss (auxiliary losses included) on stage-1 conv kernels, ${
          windowWords(START)
        }`,
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "greater",
      measure: logGradRms({ stage: 1 }, "total", START),
      atStep: START.to,
      minEffect: 0.1, // log10: 26% more gradient per weight
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3b",
      claim:
        "Auxiliary heads add gradient that reaches the early layers: the gradient at stage 1 is larger with them (without batch norm)",
      source: "notes 000 (lines 101-103); Szegedy et al. 2015, section 5",
      metric: `log10 of the mean per-weight RMS gradient of the whole training loss on stage-1 conv kernels, ${
        windowWords(START)
      }`,
      regime: "early",
      a: "plain+aux-56-nobn",
      b: "plain-56-nobn",
      direction: "greater",
      measure: logGradRms({ stage: 1 }, "total", START),
      atStep: START.to,
      minEffect: 0.1,
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3a-main",
      claim:
        "Measurement (outside the family): the main head's own gradient at stage 1, with and without auxiliary heads (with batch norm)",
      source:
        "the suite's measurement beside depth-3a: does the main loss's own gradient change when auxiliary heads train too?",
      metric: `log10 of the mean per-weight RMS of the main loss's gradient alone on stage-1 conv kernels, ${
        windowWords(START)
      }`,
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "greater",
      measure: logGradRms({ stage: 1 }, "main", START),
      atStep: START.to,
      minEffect: 0.1,
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3b-main",
      claim:
        "Measurement (outside the family): the main head's own gradient at stage 1, with and without auxiliary heads (without batch norm)",
      source: "the suite's measurement beside depth-3b",
      metric: `log10 of the mean per-weight RMS of the main loss's gradient alone on stage-1 conv kernels, ${
        windowWords(START)
      }`,
      regime: "early",
      a: "plain+aux-56-nobn",
      b: "plain-56-nobn",
      direction: "greater",
      measure: logGradRms({ stage: 1 }, "main", START),
      atStep: START.to,
      minEffect: 0.1,
      includeDiverged: true,
    }),
    equivalenceClaim({
      id: "depth-4",
      claim:
        "Auxiliary heads do not speed up early training: with and without them the deep plain net's training error is virtually identical early on (note 000, line 96, says they make convergence better)",
      source:
        "Szegedy et al. 2016, section 4 (auxiliary classifiers 'did not result in improved convergence early in the training'); notes 000 (line 96) expect the opposite",
      metric:
        `training error of the main head after ${MEASURE_STEP} steps, evaluation mode on 5,000 training images, batch norm's statistics recomputed first`,
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      margin: 0.01, // "virtually identical": one point of training error
      measure: evalErrorAt("train_eval", MEASURE_STEP),
      atStep: MEASURE_STEP,
      unit: "percent",
    }),
    thresholdClaim({
      id: "depth-5a",
      claim:
        "Vanishing gradients: without batch norm, the deep plain net's per-weight gradient is 10x or more smaller at the first block than at the last, at the start of training",
      source: "notes 001 (line 44) and 004 (line 212); He et al. 2016, section 1; Glorot and Bengio 2010",
      metric: `log10(per-weight RMS gradient of the last block's output conv / of the first block's, s1b1_conv2), ${
        windowWords(START)
      } (the two blocks differ in width and map size: stage 3 against stage 1)`,
      regime: "early",
      variant: "plain-56-nobn",
      direction: "above",
      threshold: 1,
      measure: gradRatioLog10(START),
      atStep: START.to,
      minEffect: 0.3, // log10: a factor of 2 beyond the threshold
    }),
    compareClaim({
      id: "depth-5b",
      claim:
        "Shortcuts carry the gradient through: without batch norm, the residual net's gradient falls less from the last block to the first than the plain net's",
      source:
        "notes 001 (lines 47-48: shortcuts let the gradient skip layers) and 004 (line 228: the addition passes the gradient evenly); He et al. 2016b (identity mappings), section 3",
      metric: `log10(per-weight RMS gradient of the last block's output conv / of the first block's), ${
        windowWords(START)
      }: residual-56-nobn against plain-56-nobn (same blocks, so the stage difference cancels)`,
      regime: "early",
      a: "residual-56-nobn",
      b: "plain-56-nobn",
      direction: "less",
      measure: gradRatioLog10(START),
      atStep: START.to,
      minEffect: 0.3,
      includeDiverged: true,
    }),
    equivalenceClaim({
      id: "depth-6",
      claim:
        "With batch norm the deep plain net's gradients stay healthy while it degrades: its gradient ratio from the last block to the first is within 10x of the 20-layer net's",
      source:
        "He et al. 2016, section 4.1 ('the backward propagated gradients exhibit healthy norms with BN'); notes 001 (line 44) blame vanishing gradients",
      metric: `log10(per-weight RMS gradient of the last block's output conv / of the first block's), ${
        windowWords(LATE)
      } (where depth-1a's gap is measured): plain-56 minus plain-20, so the stages' different widths cancel`,
      regime: "early",
      a: "plain-56",
      b: "plain-20",
      margin: 1, // log10: within a factor of 10
      measure: gradRatioLog10(LATE),
      atStep: LATE.to,
    }),
    equivalenceClaim({
      id: "depth-6-start",
      claim:
        "Measurement (outside the family): as depth-6, at the start of training (warm-up), where the gradients of a deep net start out uneven",
      source: "the suite's measurement beside depth-6",
      metric: `as depth-6, ${windowWords(START)}`,
      regime: "early",
      a: "plain-56",
      b: "plain-20",
      margin: 1,
      measure: gradRatioLog10(START),
      atStep: START.to,
    }),
    compareClaim({
      id: "depth-7",
      claim:
        "Deleting one block hurts the trained residual-56 far less than the trained plain-56 (residual nets behave like ensembles of shallow paths)",
      source: "notes 001 (line 54, '2^n paths'); Veit et al. 2016, figure 3",
      metric:
        `mean rise in test error over single-block deletions (lesion.json, up to ${LESION_TEST_SIZE} test images)`,
      regime: "converged",
      a: "residual-56",
      b: "plain-56",
      direction: "less",
      measure: lesionDamage(),
      minEffect: 0.01,
      unit: "percent",
    }),
  ],
  // Lesion study on the saved plain-56 and residual-56 models (no training).
  analyses: [{
    scope: "run",
    file: "lesion.json",
    title: "lesion study (each block deleted in turn)",
    select: (r) => ["plain-56", "residual-56"].includes(r.variant),
    regime: "converged", // only depth-7, a converged claim, reads it
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
      loss_nobn: lossCurves(pick(NOBN), {
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
      grad_by_depth_nobn: gradNormByDepth(pick(NOBN), [0, 9], { title: "Gradient norm by depth, without batch norm" }),
      grad_first_last: firstLastGradNorm(pick(["plain-56", "residual-56", "plain-56-nobn", "plain+aux-56-nobn"])),
      test_error: testErrorChart(records(ev)),
      lesion: lesionChart(lesion),
    };
  },
};
