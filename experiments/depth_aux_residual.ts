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
import type { Experiment } from "../lib/experiment.ts";

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
    // Without batch norm the 56-layer nets need a smaller rate: at 0.1 the
    // plain one diverges in its first steps (a diverged run would show
    // nothing about gradients). All three share it.
    "plain-56-nobn": { depth: 56, batchNorm: false, lr: 0.01 },
    "plain+aux-56-nobn": { depth: 56, batchNorm: false, aux: true, lr: 0.01 },
    "residual-56-nobn": { depth: 56, batchNorm: false, shortcuts: true, lr: 0.01 },
  },
  scales: {
    // Seconds: 512 images, 2 epochs; checks the machinery, shows nothing.
    smoke: {
      overrides: {
        trainSize: 512,
        valSize: 256,
        testSize: 256,
        epochs: 2,
        batchSize: 64,
        logEvery: 2,
        gradNormEvery: 2,
        trainEvalSize: 256,
      },
      seeds: [0],
    },
    // About 15 minutes on a 2-core CPU with the native backend (calibrated
    // with `deno task bench`): a fifth of the training set, 3 epochs.
    quick: {
      overrides: { trainSize: 11000, epochs: 3, trainEvalSize: 2000 },
      seeds: [0],
    },
    // The full training set, 30 epochs, three seeds: for a GPU or a long run.
    full: {
      overrides: { trainSize: 0, epochs: 30 },
      seeds: [0, 1, 2],
    },
  },
};
