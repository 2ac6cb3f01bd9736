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
import { compareClaim, thresholdClaim } from "../lib/ledger/claim_builders.ts";
import { earlyGradRatioLog10, earlyLogGradRms, lesionDamage, summaryValue, testError } from "../lib/ledger/measures.ts";
import { metricRows, records } from "../lib/ledger/evidence.ts";
import { lesionStudy } from "../lib/train/lesion.ts";
import { NOBN_LR } from "./nobn_lr_sweep.ts";
import { loadModel } from "../lib/train/results.ts";
import { splitFor } from "../lib/train/runner.ts";
import { firstLastGradNorm, gradNormByDepth, lesionChart, lossCurves, testErrorChart } from "../lib/display/charts.ts";

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
    // Every variant warms up alike: the rate climbs linearly from lr/10 over the
    // first 50 steps (6,400 images). The ResNet paper warms its 110-layer net up
    // at lr 0.01 for about 400 iterations; without a warm-up, two runs of
    // plain-56 with one seed ended 21 points of test error apart (README).
    warmupSteps: 50,
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
      overrides: { ...SMOKE_BUDGET, epochs: 2, gradNormEvery: 2 },
      seeds: [0],
      regimes: ["early"],
    },
    // The early claims (gradients in the first epoch, training loss after a
    // short budget) with 3 seeds per arm, the fewest a verdict may rest on,
    // in about half an hour on a 2-core CPU (the reference run: 25 min; ./deeper
    // plan estimates from this machine's bench): 5,120 images (40
    // steps of 128) x 2 epochs per run, evaluated on 2,000 validation and
    // 2,000 test images (evaluation would otherwise cost more than training).
    // The converged claims (test errors, lesion study) are not-run here: nets
    // this short are far from trained.
    quick: {
      overrides: { trainSize: 5120, epochs: 2, valSize: 2000, testSize: 2000, trainEvalSize: 1000 },
      seeds: [0, 1, 2],
      regimes: ["early"],
    },
    // The paper's regime on all 55,000 images: 30 epochs, 5 seeds, sized for
    // the smallest converged effect judged here, residual-56 vs residual-20:
    // the paper's 1.78 points on CIFAR-10 (He et al. 2016, table 6: 6.97% vs
    // 8.75%) needs 5 paired seeds at 80% power if the per-seed spread of the
    // difference is 1 point (assumed; seedsNeeded() in lib/ledger/stats.ts).
    full: {
      overrides: { trainSize: 0, epochs: 30 },
      seeds: [0, 1, 2, 3, 4],
      regimes: ["early", "converged"],
    },
  },
  failureModes: {
    "plain-56-nobn":
      "Without batch norm the forward signal shrinks along its 56 layers (at initialisation its logits spread about 0.02, the 20-layer net's about 0.34), so its outputs stay near uniform; the recorded sweep (experiments/nobn_lr_sweep.ts) found no rate from 0.001 to 0.1 at which it leaves chance by more than 3 points. Its per-weight gradient is not smaller at the first block than at the last (depth-5a): what fails here is the forward signal, not a vanishing backward one.",
    "plain+aux-56-nobn":
      "As plain-56-nobn, at the same rate: the auxiliary heads' losses reach the early layers, but the main head's signal still fades along the depth.",
  },
  claims: [
    compareClaim({
      id: "depth-1a",
      claim:
        "Degradation, early: after the same short budget the 56-layer plain net has a higher training loss than the 20-layer one",
      source: "notes 001 (line 44); He et al. 2016, figures 1 and 6 (the gap holds throughout training there)",
      metric: "training loss of the main head, mean of the last epoch's readings",
      regime: "early",
      a: "plain-56",
      b: "plain-20",
      direction: "greater",
      measure: summaryValue("final_train_loss_main"),
      minEffect: 0.05, // nats: a tenth of the gap figure 6 shows at 20k iterations
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
      source: "notes 001; He et al. 2016, table 6 and figure 6",
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
      source: "notes 001; He et al. 2016, table 6 (CIFAR-10: 6.97% vs 8.75%)",
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
        "Auxiliary heads help gradient reach the early layers: the main head's own gradient at stage 1 is larger with them, early in training (with batch norm)",
      source: "notes 000 (lines 95-103); Szegedy et al. 2015, section 5; Lee et al. 2015 (deeply-supervised nets)",
      metric:
        "log10 of the mean per-weight RMS of the main loss's gradient on stage-1 conv kernels, first epoch (the auxiliary losses' own gradient excluded: see depth-3a-total)",
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "greater",
      measure: earlyLogGradRms({ stage: 1 }, "main"),
      minEffect: 0.1, // log10: 26% more gradient per weight
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3b",
      claim:
        "Auxiliary heads help gradient reach the early layers: the main head's own gradient at stage 1 is larger with them, early in training (without batch norm)",
      source: "notes 000 (lines 95-103); Szegedy et al. 2015, section 5; Lee et al. 2015 (deeply-supervised nets)",
      metric:
        "log10 of the mean per-weight RMS of the main loss's gradient on stage-1 conv kernels, first epoch (see depth-3b-total)",
      regime: "early",
      a: "plain+aux-56-nobn",
      b: "plain-56-nobn",
      direction: "greater",
      measure: earlyLogGradRms({ stage: 1 }, "main"),
      minEffect: 0.1,
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3a-total",
      claim:
        "Measurement, expected by construction (an auxiliary loss after stage 1 adds its own gradient there): the total gradient at stage 1 is larger with auxiliary heads (with batch norm)",
      source: "the suite's own check of depth-3a's measure; notes 000 (line 103) states it",
      metric: "log10 of the mean per-weight RMS of the total loss's gradient on stage-1 conv kernels, first epoch",
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "greater",
      measure: earlyLogGradRms({ stage: 1 }, "total"),
      minEffect: 0.1,
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-3b-total",
      claim:
        "Measurement, expected by construction: the total gradient at stage 1 is larger with auxiliary heads (without batch norm)",
      source: "the suite's own check of depth-3b's measure; notes 000 (line 103) states it",
      metric: "log10 of the mean per-weight RMS of the total loss's gradient on stage-1 conv kernels, first epoch",
      regime: "early",
      a: "plain+aux-56-nobn",
      b: "plain-56-nobn",
      direction: "greater",
      measure: earlyLogGradRms({ stage: 1 }, "total"),
      minEffect: 0.1,
      includeDiverged: true,
    }),
    compareClaim({
      id: "depth-4",
      claim:
        "With auxiliary heads the deep plain net reaches a lower training loss (of its main head) by the end of the budget",
      source: "notes 000 and 003 (line 128); Szegedy et al. 2015, section 5",
      metric: "training loss of the main head, mean of the last epoch's readings",
      regime: "early",
      a: "plain+aux-56",
      b: "plain-56",
      direction: "less",
      measure: summaryValue("final_train_loss_main"),
      minEffect: 0.05,
    }),
    thresholdClaim({
      id: "depth-5a",
      claim:
        "Vanishing gradients: without batch norm, the deep plain net's per-weight gradient is 10x or more smaller at the first block than at the last, early in training",
      source: "notes 001 (line 44) and 004 (line 212); He et al. 2016, section 1; Glorot and Bengio 2010",
      metric:
        "log10(per-weight RMS gradient of the last block's output conv / of the first block's, s1b1_conv2), first epoch",
      regime: "early",
      variant: "plain-56-nobn",
      direction: "above",
      threshold: 1,
      measure: earlyGradRatioLog10(),
      minEffect: 0.3, // log10: a factor of 2 beyond the threshold
    }),
    thresholdClaim({
      id: "depth-5b",
      claim:
        "With shortcuts (no batch norm) the per-weight gradient does not fall 10x from the last block to the first",
      source: "notes 001 (line 54); He et al. 2016b (identity mappings), section 3",
      metric:
        "log10(per-weight RMS gradient of the last block's output conv / of the first block's, s1b1_conv2), first epoch",
      regime: "early",
      variant: "residual-56-nobn",
      direction: "below",
      threshold: 1,
      measure: earlyGradRatioLog10(),
      minEffect: 0.3,
    }),
    thresholdClaim({
      id: "depth-6",
      claim:
        "With batch norm the plain net's gradients stay healthy (under 10x from the last block to the first), so its degradation (depth-1a) is not vanishing gradients",
      source: "He et al. 2016, section 4.1",
      metric:
        "log10(per-weight RMS gradient of the last block's output conv / of the first block's, s1b1_conv2), first epoch",
      regime: "early",
      variant: "plain-56",
      direction: "below",
      threshold: 1,
      measure: earlyGradRatioLog10(),
      minEffect: 0.3,
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
