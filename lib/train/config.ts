/**
 * The one configuration of a training run: a typed flat object with a
 * default for every field. An experiment file overrides only what it
 * studies, each override with its reason; the resolved config is saved with
 * every run, and the fields that differ from their defaults name it (see
 * lib/train/results.ts `runId`).
 *
 * ```ts
 * const cfg = resolveConfig({ depth: 56, shortcuts: true });
 * ```
 * @module
 */

/**
 * What a run means beyond its config: the code's recipe. Bump it in the
 * commit that changes what an existing config trains or measures
 * (initialisation, the schedule's shape, the data order, a recorded
 * metric's definition, a default's value); every stored record of another
 * recipe is then stale: `status` shows it and `reproduce` redoes it.
 * Adding a field with a default needs no bump (ids hash only the fields
 * that differ from their defaults). History: 1, the recipe of the quick
 * reference of 2026-11-23 (after the seed-0 fix); 2 (2026-12-02):
 * evaluations recompute batch norm's statistics first (precise BN), the
 * evaluation on training images is its own split (`train_eval`), the
 * minibatch error is recorded, dropout draws a new mask at every step from
 * (seed, step), and `measureSteps` are evaluated.
 */
export const RECIPE_VERSION = 2;

/** The fields that name a run outside its hash: results/<experiment>/<variant>-s<seed>-<hash>. */
export const IDENTITY_FIELDS = ["experiment", "variant", "seed"] as const;

/**
 * Fields that say where a run stops, not what it is: a run stopped early is
 * the first part of the same run trained further, so they stay out of its
 * id, and a longer call continues it from its checkpoint (`planRun`).
 */
export const STOP_FIELDS = ["stopStep"] as const;

/** Every knob of a run; see {@link DEFAULT_CONFIG} for the defaults and their reasons. */
export interface TrainConfig {
  /** Experiment name (results/<experiment>/). */
  experiment: string;
  /** Variant name within the experiment. */
  variant: string;
  /** Seed of initialisation, shuffling and dropout. */
  seed: number;

  /** Model builder: `cifar_net`, `grid_net` or `inception_net` (lib/models/). */
  model: string;
  /** Depth 6n+2 of the CIFAR-style net. */
  depth: number;
  /** Identity shortcuts (the residual net). */
  shortcuts: boolean;
  /** GoogLeNet-style auxiliary heads after stages 1 and 2. */
  aux: boolean;
  /** Batch norm after every convolution. */
  batchNorm: boolean;
  /** cifar_net: start each residual branch's last conv at zero (Fixup's first rule; for nets without batch norm). */
  zeroInitBranches: boolean;
  /** grid_net: the reduction block (`pool-first`, `inception-first`, `parallel`). */
  reduction: string;
  /** grid_net and inception_net: channels after the stem. */
  width: number;
  /** inception_net: batch norm in the auxiliary head's conv and fully connected layer. */
  auxBn: boolean;

  /** Training images used, of the 55,000 left after the validation split (0: all). */
  trainSize: number;
  /** Images held out of train for validation. */
  valSize: number;
  /** Test images evaluated (at most 10,000). */
  testSize: number;
  /** Seed of the train/validation split: fixed so every variant and seed sees the same split. */
  splitSeed: number;

  /** `sgd` (with momentum), `adam` or `rmsprop`. */
  optimizer: "sgd" | "adam" | "rmsprop";
  /** Peak learning rate. */
  lr: number;
  /** SGD momentum. */
  momentum: number;
  /** L2 weight decay on every trainable weight. */
  weightDecay: number;
  /** `step` (divide by 10 at `lrDrops`), `cosine` or `constant`. */
  schedule: "step" | "cosine" | "constant";
  /** Fractions of the run at which a step schedule divides the rate by 10. */
  lrDrops: string;
  /** Steps of linear warm-up from lr/10 (the ResNet paper warms up its 110-layer net). */
  warmupSteps: number;
  /** Clip the global gradient norm to this (0: no clipping). */
  clipNorm: number;
  /** Images per step. */
  batchSize: number;
  /** Passes over the training images. */
  epochs: number;
  /** Loss weight of each auxiliary head (GoogLeNet: 0.3). */
  auxWeight: number;

  /**
   * Stop after this many steps of the schedule (0: train it all). The
   * schedule (warm-up, rate drops) stays the whole run's: a stopped run is
   * the prefix of the full one, and continues from its checkpoint.
   */
  stopStep: number;
  /**
   * Steps (comma-separated) at which the loop evaluates the training
   * evaluation subset and the validation split, after recomputing batch
   * norm's statistics (precise BN): where early claims are measured, the
   * same at every scale.
   */
  measureSteps: string;

  /**
   * How a training step runs: `eager` (TensorFlow's ops one by one from JS)
   * or `compiled` (two steps recorded and, when they match, every later one
   * run as one TensorFlow function; lib/train/compiled_step.ts). Compiled
   * steps run the recorded kernels as recorded (TensorFlow's graph optimiser
   * off), so they give eager's numbers to the last bit; a net or step the
   * recorder refuses stays eager, with the reason in the run record. The
   * steps that also take gradient norms are compiled apart.
   */
  step: "eager" | "compiled";
  /** Read the loss (and check for divergence) every this many steps. */
  logEvery: number;
  /** Record every kernel's gradient norm every this many steps (0: never). */
  gradNormEvery: number;
  /** Also record them at every one of the first this many steps, where vanishing gradients show first. */
  gradNormFirstSteps: number;
  /** Training images evaluated at each epoch's end for the training error. */
  trainEvalSize: number;
}

/** The defaults: the ResNet paper's CIFAR recipe (section 4.2) where it applies. */
export const DEFAULT_CONFIG: TrainConfig = {
  experiment: "scratch",
  variant: "default",
  seed: 0,
  model: "cifar_net",
  depth: 20,
  shortcuts: false,
  aux: false,
  batchNorm: true,
  zeroInitBranches: false, // He initialisation everywhere, as the ResNet paper
  reduction: "parallel",
  width: 32,
  auxBn: false,
  trainSize: 0,
  valSize: 5000, // as the ResNet paper holds out 5k of CIFAR's training images
  testSize: 10000,
  splitSeed: 0,
  optimizer: "sgd",
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 1e-4,
  schedule: "step",
  lrDrops: "0.5,0.75", // the paper's 32k and 48k of 64k iterations
  warmupSteps: 0,
  clipNorm: 0,
  batchSize: 128,
  epochs: 10,
  auxWeight: 0.3,
  stopStep: 0,
  measureSteps: "",
  step: "compiled", // the same numbers as eager (tested), without the per-op cost; DEEPER_STEP=eager overrides
  logEvery: 10,
  gradNormEvery: 10,
  gradNormFirstSteps: 10,
  trainEvalSize: 5000,
};

/** Merges overrides onto the defaults, rejecting unknown fields and wrong types. */
export function resolveConfig(overrides: Partial<TrainConfig>): TrainConfig {
  const out = { ...DEFAULT_CONFIG } as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in DEFAULT_CONFIG)) throw new RangeError(`Unknown config field "${k}"`);
    const want: string = typeof (DEFAULT_CONFIG as unknown as Record<string, unknown>)[k];
    const got: string = typeof v;
    if (got !== want) throw new TypeError(`Config field "${k}" wants a ${want}, got ${JSON.stringify(v)}`);
    out[k] = v;
  }
  return out as unknown as TrainConfig;
}

/** The learning rate at a step of a run of `totalSteps`. */
export function learningRate(cfg: TrainConfig, step: number, totalSteps: number): number {
  let lr = cfg.lr;
  if (cfg.schedule === "step") {
    const drops = cfg.lrDrops.split(",").filter(Boolean).map(Number);
    for (const d of drops) if (step >= d * totalSteps) lr /= 10;
  } else if (cfg.schedule === "cosine") {
    lr = 0.5 * cfg.lr * (1 + Math.cos(Math.PI * Math.min(step / Math.max(totalSteps, 1), 1)));
  }
  if (step < cfg.warmupSteps) lr = Math.min(lr, cfg.lr / 10 + (cfg.lr - cfg.lr / 10) * step / cfg.warmupSteps);
  return lr;
}
