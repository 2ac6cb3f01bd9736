/**
 * The training loop: one function, readable top to bottom. It emits records
 * (`{step, epoch, split, metric, layer, value}`) to a sink it is given and
 * never draws or writes files itself; `results.ts` stores them and
 * `charts.ts` draws them.
 *
 * Per step: a batch, the learning rate of the schedule, `trainStep` (heads
 * weighted main 1.0, auxiliary `auxWeight`), and every `logEvery` steps one
 * batched read of the minibatch losses and errors (split `train`, training
 * mode; and every `gradNormEvery` steps of every kernel's gradient norm).
 * A NaN or infinite loss ends the run as `diverged` at the step it was
 * read. Per epoch, and at each of `measureSteps`: error and loss of every
 * head in evaluation mode on the training evaluation subset (split
 * `train_eval`) and the validation split, batch norm's statistics
 * recomputed first (lib/train/precise_bn.ts). At the end of the schedule:
 * test error of every head. A run with `stopStep` ends there, after a
 * checkpoint, with the schedule of the whole run (it is that run's prefix).
 *
 * Checkpoints: at each epoch's end and every `checkpointSeconds` of training
 * (and when `shouldStop` says so, e.g. on a scheduler's signal) the loop
 * hands its state to `checkpoint` (the runner writes it,
 * lib/train/checkpoint.ts); given `resume`, it restores the weights, the
 * optimizer and its own figures, emits the records made so far, and goes on
 * from the checkpoint's step with the same batches in the same order, so a
 * resumed run ends with the records of an uninterrupted one (wall-clock
 * rates aside).
 *
 * ```ts
 * const result = await train(model, split, resolveConfig({ epochs: 1 }), { sink: (r) => rows.push(r) });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batches, type Subset } from "../data/fashion_mnist.ts";
import { learningRate, type TrainConfig } from "./config.ts";
import { disposeStep, kernelNames, mainKernelNames, type StepResult, trainStep } from "./train_step.ts";
import { StepCompiler } from "./compiled_step.ts";
import { EvalCompiler } from "./compiled_eval.ts";
import { meanSe } from "../_util.ts";
import { countWeights } from "../models/accounting.ts";
import type { MetricRecord } from "./results.ts";
import { type Checkpoint, type LoopState, restoreCheckpoint } from "./checkpoint.ts";
import { withPreciseBn } from "./precise_bn.ts";
import { StepDropout } from "../models/layers.ts";

/** Thrown after the loop checkpointed because `shouldStop` asked it to (a scheduler's signal): resume later. */
export class RunStopped extends Error {
  constructor(readonly step: number) {
    super(`stopped at step ${step} after a checkpoint, on request; the next call resumes it`);
    this.name = "RunStopped";
  }
}

/** What {@link train} returns. */
export interface TrainResult {
  /** `complete`, or `diverged` when a loss read was NaN or infinite. */
  status: "complete" | "diverged";
  /** Step at which divergence was detected. */
  divergedAt?: number;
  /** Steps run. */
  steps: number;
  /** Final numbers: test error per head, final training loss, best validation error, ... */
  summary: Record<string, number>;
  /** How the plain steps ran: `eager`, `compiled: N ops in one function`, or `eager: <why compiling was refused>`. */
  stepMode: string;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Receives every record as it is made. */
  sink?: (r: MetricRecord) => void;
  /** Called every `logEvery` steps with where the run stands (a progress display; see lib/display/progress.ts). */
  onProgress?: (p: StepProgress) => void;
  /** Go on from this checkpoint: its records are emitted first, then training continues from its step. */
  resume?: Checkpoint;
  /** Writes a checkpoint of the loop's state (at each epoch's end, every `checkpointSeconds`, and before a stop). */
  checkpoint?: (c: { loop: LoopState; model: tf.LayersModel; optimizer: tf.Optimizer }) => Promise<void>;
  /** Seconds of training between checkpoints within an epoch (default 600; 0: at every logging step). */
  checkpointSeconds?: number;
  /** Asked after every step: true checkpoints and ends the run with {@link RunStopped}. */
  shouldStop?: () => boolean;
}

/** Where a training run stands, for a progress display. */
export interface StepProgress {
  /** Steps done, of `totalSteps`. */
  step: number;
  totalSteps: number;
  /** Epoch under way (1-based), of `epochs`. */
  epoch: number;
  epochs: number;
  /** Training images per second since the run started (evaluations included). */
  imagesPerSec: number;
  /** Seconds left at that rate. */
  secondsLeft: number;
  /** Exponentially smoothed training loss (NaN before the first reading). */
  loss: number;
}

/** Per-head loss and error of a model on a subset, in inference mode. */
export async function evaluate(
  model: tf.LayersModel,
  subset: Subset,
  opts: { batchSize?: number; limit?: number; compiler?: EvalCompiler } = {},
): Promise<Record<string, { loss: number; error: number }>> {
  const heads = model.outputNames;
  const sums = heads.map(() => ({ loss: 0, wrong: 0 }));
  let n = 0;
  const limited = opts.limit && opts.limit < subset.index.length
    ? { ...subset, index: subset.index.subarray(0, opts.limit) }
    : subset;
  for (const b of batches(limited, { batchSize: opts.batchSize ?? 500, shuffle: false, keepPartial: true })) {
    const eager = () =>
      tf.tidy(() => {
        const out = model.apply(b.xs, { training: false });
        const outs = Array.isArray(out) ? out as tf.Tensor[] : [out as tf.Tensor];
        // [heads, 2]: summed loss and number of wrong predictions per head
        return tf.stack(outs.map((o) =>
          tf.stack([
            tf.sum(tf.losses.softmaxCrossEntropy(b.ys, o, undefined, 0, tf.Reduction.NONE)),
            tf.sum(tf.cast(tf.notEqual(tf.argMax(o, 1), tf.argMax(b.ys, 1)), "float32")),
          ])
        ));
      });
    const stats = opts.compiler ? opts.compiler.batch(b.xs, b.ys, eager) : eager();
    const v = await stats.data();
    heads.forEach((_, h) => {
      sums[h].loss += v[2 * h];
      sums[h].wrong += v[2 * h + 1];
    });
    n += b.labels.length;
    tf.dispose([stats, b.xs, b.ys]);
  }
  return Object.fromEntries(heads.map((h, i) => [h, { loss: sums[i].loss / n, error: sums[i].wrong / n }]));
}

function makeOptimizer(cfg: TrainConfig): tf.Optimizer {
  if (cfg.optimizer === "adam") return tf.train.adam(cfg.lr);
  if (cfg.optimizer === "rmsprop") return tf.train.rmsprop(cfg.lr);
  return tf.train.momentum(cfg.lr, cfg.momentum);
}

function setLearningRate(opt: tf.Optimizer, lr: number) {
  // SGD and momentum read `learningRate` at each step (and cache a scalar of
  // it, which setLearningRate refreshes); Adam and RMSProp read the field.
  const o = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (o.setLearningRate) o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** Disposes an optimizer completely: TF.js 4.22's momentum optimizer forgets its learning-rate scalar. */
export function disposeOptimizer(opt: tf.Optimizer): void {
  opt.dispose();
  const c = (opt as unknown as { c?: tf.Tensor }).c;
  if (opt instanceof tf.MomentumOptimizer && c && !c.isDisposed) c.dispose();
}

/** Trains `model` on `data.train`, evaluating on `data.val` and `data.test`; see the module docs. */
export async function train(
  model: tf.LayersModel,
  data: { train: Subset; val: Subset; test: Subset },
  cfg: TrainConfig,
  opts: TrainOptions = {},
): Promise<TrainResult> {
  const emit = opts.sink ?? (() => {});
  const headWeights: Record<string, number> = { main: 1 };
  for (const h of model.outputNames) if (h !== "main") headWeights[h] = cfg.auxWeight;
  const kernels = kernelNames(model), mainKernels = mainKernelNames(model);
  // Found once, not per step: the layers whose mask follows the step (lib/models/layers.ts `StepDropout`).
  const dropouts = model.layers.filter((l): l is StepDropout => l instanceof StepDropout);
  const stepsPerEpoch = Math.floor(data.train.index.length / cfg.batchSize);
  if (stepsPerEpoch === 0) {
    throw new RangeError(`batchSize ${cfg.batchSize} exceeds the ${data.train.index.length} training images`);
  }
  const totalSteps = stepsPerEpoch * cfg.epochs;
  const optimizer = makeOptimizer(cfg);
  if (cfg.step !== "eager" && cfg.step !== "compiled") {
    throw new RangeError(`step must be eager or compiled, got "${cfg.step}"`);
  }
  // One compiler per kind of step: the steps that also take gradient norms run other ops than the plain ones.
  // Grappler off: its fusions would change rounding, and the step's numbers must be eager's (a recipe stays one).
  const compile = () => new StepCompiler(model, optimizer, { grappler: false });
  const compilers = cfg.step === "compiled" ? { plain: compile(), norms: compile() } : undefined;
  const evalCompiler = cfg.step === "compiled" ? new EvalCompiler(model) : undefined;
  const stepMode = () =>
    compilers
      ? `plain steps ${compilers.plain.status}; gradient-norm steps ${compilers.norms.status}; ` +
        `evaluation ${evalCompiler!.status}`
      : "eager";
  const started = performance.now();
  let step = 0, smoothLoss = NaN, divergedAt: number | undefined;
  let lastLosses: number[] = [], lastMain: number[] = [], lastMainError: number[] = [];

  // Reads a step's losses (and gradient norms) and emits them; false if the loss diverged.
  const record = async (r: StepResult, at: number, epoch: number) => {
    const [loss, heads, errors, norms, mainNorms] = await Promise.all([
      r.loss.data(),
      r.headLosses.data(),
      r.headErrors.data(),
      r.gradNorms?.data(),
      r.mainGradNorms?.data(),
    ]);
    emit({ step: at, epoch, split: "train", metric: "loss", layer: "", value: loss[0] });
    r.headNames.forEach((h, i) => emit({ step: at, epoch, split: "train", metric: "loss", layer: h, value: heads[i] }));
    r.headNames.forEach((h, i) =>
      emit({ step: at, epoch, split: "train", metric: "error", layer: h, value: errors[i] })
    );
    norms?.forEach((v, i) =>
      emit({ step: at, epoch, split: "train", metric: "grad_norm", layer: kernels[i], value: v })
    );
    mainNorms?.forEach((v, i) =>
      emit({ step: at, epoch, split: "train", metric: "grad_norm_main", layer: mainKernels[i], value: v })
    );
    if (!Number.isFinite(loss[0])) return false;
    smoothLoss = Number.isNaN(smoothLoss) ? loss[0] : 0.9 * smoothLoss + 0.1 * loss[0];
    // The last epoch's worth of readings makes the final training loss.
    const keep = Math.max(1, Math.ceil(stepsPerEpoch / cfg.logEvery));
    lastLosses.push(loss[0]);
    lastMain.push(heads[r.headNames.indexOf("main")]);
    lastMainError.push(errors[r.headNames.indexOf("main")]);
    if (lastLosses.length > keep) lastLosses.shift(), lastMain.shift(), lastMainError.shift();
    return true;
  };

  type Evaluated = Record<string, { loss: number; error: number }>;
  // Evaluation mode on each subset, batch norm's statistics recomputed first (and put back after).
  const evalSplits = (
    epoch: number,
    subsets: Array<["train_eval" | "val" | "test", Subset, number?]>,
    keep = false,
  ) =>
    withPreciseBn(model, data.train, async () => {
      const out: Evaluated[] = [];
      for (const [split, subset, limit] of subsets) {
        const res = await evaluate(model, subset, { limit, compiler: evalCompiler });
        for (const [head, v] of Object.entries(res)) {
          emit({ step, epoch, split, metric: "error", layer: head, value: v.error });
          emit({ step, epoch, split, metric: "loss", layer: head, value: v.loss });
        }
        out.push(res);
      }
      return out;
    }, { keep });

  let bestVal = Infinity, lastTrain: Record<string, { loss: number; error: number }> = {};
  let lastVal: Record<string, { loss: number; error: number }> = {};
  let startEpoch = 0, startBatch = 0;
  const r0 = opts.resume;
  if (r0) {
    // The weights, batch norm's statistics and the optimizer's state as they were; the loop's own figures too.
    await restoreCheckpoint(r0, model, optimizer);
    for (const r of r0.records) emit(r);
    ({ step, epoch: startEpoch, batch: startBatch, smoothLoss, lastLosses, lastMain, bestVal, lastTrain, lastVal } =
      structuredClone(r0.loop));
    lastMainError = [...(r0.loop.lastMainError ?? [])];
  } else {
    // Each kernel's number of weights, once: gradient norms compare across layers per weight (RMS).
    for (const w of model.trainableWeights.filter((w) => kernels.includes(w.originalName))) {
      emit({
        step: 0,
        epoch: 0,
        split: "train",
        metric: "kernel_size",
        layer: w.originalName,
        value: countWeights([w]),
      });
    }
  }
  const firstStep = step;
  const loopState = (epoch: number, batch: number): LoopState => ({
    step,
    epoch,
    batch,
    smoothLoss,
    lastLosses: [...lastLosses],
    lastMain: [...lastMain],
    lastMainError: [...lastMainError],
    bestVal,
    lastTrain,
    lastVal,
  });
  const everyMs = 1000 * (opts.checkpointSeconds ?? 600);
  let lastCheckpoint = performance.now();
  const checkpoint = async (epoch: number, batch: number) => {
    if (!opts.checkpoint) return;
    await opts.checkpoint({ loop: loopState(epoch, batch), model, optimizer });
    lastCheckpoint = performance.now();
  };
  // Where the wall time goes, for the run record: plain steps (the rate `bench` measures), steps that also take
  // gradient norms, and evaluation; the rest is batching, logging and progress.
  const time = { plain: 0, plainSteps: 0, gradNorm: 0, gradNormSteps: 0, eval: 0 };
  const timedEval = async (...args: Parameters<typeof evalSplits>) => {
    const t = performance.now();
    const res = await evalSplits(...args);
    time.eval += performance.now() - t;
    return res;
  };
  // Where this call ends: the whole schedule, or a prefix of it (the schedule itself stays the whole run's).
  const endStep = cfg.stopStep > 0 ? Math.min(cfg.stopStep, totalSteps) : totalSteps;
  const measureAt = new Set(cfg.measureSteps.split(",").filter((x) => x.trim()).map(Number));
  for (const m of measureAt) {
    if (!Number.isInteger(m) || m < 1) throw new RangeError(`measureSteps: "${m}" is not a step number (1 or more)`);
  }
  let stoppedEarly = false;
  training: for (let epoch = startEpoch; epoch < cfg.epochs; epoch++) {
    const epochStart = performance.now();
    const skip = epoch === startEpoch ? startBatch : 0;
    let batch = skip;
    for (const b of batches(data.train, { batchSize: cfg.batchSize, seed: cfg.seed, epoch, startBatch: skip })) {
      const stepStart = performance.now();
      const lr = learningRate(cfg, step, totalSteps);
      setLearningRate(optimizer, lr);
      for (const d of dropouts) d.step = step; // this step's masks
      const logNow = step % cfg.logEvery === 0 || step === endStep - 1;
      const withNorms = step < cfg.gradNormFirstSteps || (cfg.gradNormEvery > 0 && step % cfg.gradNormEvery === 0);
      const eager = () =>
        trainStep(model, optimizer, b.xs, b.ys, {
          headWeights,
          weightDecay: cfg.weightDecay,
          clipNorm: cfg.clipNorm > 0 ? cfg.clipNorm : undefined,
          gradNorms: withNorms,
        });
      const compiler = compilers?.[withNorms ? "norms" : "plain"];
      const r = compiler ? compiler.step(b.xs, b.ys, eager) : eager();
      tf.dispose([b.xs, b.ys]);
      if (logNow || r.gradNorms) {
        // Note: this read is the loop's only sync point with the device.
        if (logNow) emit({ step, epoch, split: "train", metric: "lr", layer: "", value: lr });
        const ok = await record(r, step, epoch);
        disposeStep(r);
        if (!ok) {
          divergedAt = step;
          break training;
        }
      } else disposeStep(r);
      const dt = performance.now() - stepStart;
      if (withNorms) time.gradNorm += dt, time.gradNormSteps++;
      else time.plain += dt, time.plainSteps++;
      step++, batch++;
      if (opts.onProgress && step % cfg.logEvery === 0) {
        const ips = ((step - firstStep) * cfg.batchSize) / ((performance.now() - started) / 1000);
        opts.onProgress({
          step,
          totalSteps: endStep, // where this call ends (a prefix stops before the schedule does)
          epoch: epoch + 1,
          epochs: cfg.epochs,
          imagesPerSec: ips,
          secondsLeft: (endStep - step) * cfg.batchSize / ips,
          loss: smoothLoss,
        });
      }
      if (measureAt.has(step)) {
        // An early claim's measure: the state after `step` updates, the same in every run that passes here.
        await timedEval(epoch, [["train_eval", data.train, cfg.trainEvalSize], ["val", data.val]]);
      }
      if (step === endStep && endStep < totalSteps) {
        // A prefix of the schedule: its checkpoint is where a longer call of the same run goes on.
        await checkpoint(epoch, batch);
        stoppedEarly = true;
        break training;
      }
      const stop = opts.shouldStop?.() ?? false;
      if (batch < stepsPerEpoch && (stop || performance.now() - lastCheckpoint >= everyMs)) {
        // Mid-epoch, at a step boundary: the next batch of this epoch's order is where a resume starts.
        if (everyMs > 0 || stop || step % cfg.logEvery === 0) await checkpoint(epoch, batch);
        if (stop) {
          disposeOptimizer(optimizer);
          compilers?.plain.dispose(), compilers?.norms.dispose(), evalCompiler?.dispose();
          throw new RunStopped(step);
        }
      }
    }
    const secs = (performance.now() - epochStart) / 1000;
    emit({
      step,
      epoch,
      split: "train",
      metric: "images_per_sec",
      layer: "",
      value: (stepsPerEpoch - skip) * cfg.batchSize / secs,
    });
    [lastTrain, lastVal] = await timedEval(epoch, [["train_eval", data.train, cfg.trainEvalSize], ["val", data.val]]);
    bestVal = Math.min(bestVal, lastVal.main.error);
    await checkpoint(epoch + 1, 0);
    if (opts.shouldStop?.() && epoch + 1 < cfg.epochs) {
      disposeOptimizer(optimizer);
      compilers?.plain.dispose(), compilers?.norms.dispose(), evalCompiler?.dispose();
      throw new RunStopped(step);
    }
  }
  disposeOptimizer(optimizer);
  compilers?.plain.dispose(), compilers?.norms.dispose();

  const total = meanSe(lastLosses), main = meanSe(lastMain), mainError = meanSe(lastMainError);
  const summary: Record<string, number> = {
    steps: step,
    // Total (weighted) loss and the main head's alone, averaged over the last
    // epoch's readings, with the standard error of that average.
    final_train_loss: total.value,
    final_train_loss_se: total.se,
    final_train_loss_main: main.value,
    final_train_loss_main_se: main.se,
    // The main head's minibatch error over the same readings (training mode).
    final_train_error_main: mainError.value,
  };
  const timing = () => {
    const wall = (performance.now() - started) / 1000;
    const perPlain = time.plainSteps ? time.plain / time.plainSteps : NaN;
    Object.assign(summary, {
      // The plain steps' rate is the one `bench` measures; the run-level rate is images_per_sec.
      images_per_sec_steps: time.plainSteps ? time.plainSteps * cfg.batchSize / (time.plain / 1000) : NaN,
      time_steps_s: (time.plain + time.gradNorm) / 1000,
      // What the gradient-norm steps cost beyond plain ones (the norms, and the main head's second pass).
      time_grad_norm_extra_s: Number.isFinite(perPlain) ? (time.gradNorm - time.gradNormSteps * perPlain) / 1000 : NaN,
      time_eval_s: time.eval / 1000,
      time_other_s: wall - (time.plain + time.gradNorm + time.eval) / 1000,
    });
  };
  if (divergedAt !== undefined) {
    evalCompiler?.dispose();
    timing();
    return { status: "diverged", divergedAt, steps: step, summary, stepMode: stepMode() };
  }
  if (stoppedEarly) {
    // A prefix: the test set is evaluated at the end of the schedule only.
    summary.images_per_sec = (step - firstStep) * cfg.batchSize / ((performance.now() - started) / 1000);
    evalCompiler?.dispose();
    timing();
    return { status: "complete", steps: step, summary, stepMode: stepMode() };
  }
  // The end of training: the precise statistics stay, so the saved model evaluates as its test error says.
  const [test] = await timedEval(cfg.epochs - 1, [["test", data.test]], true);
  for (const [head, v] of Object.entries(test)) {
    summary[`test_error_${head}`] = v.error;
    summary[`test_loss_${head}`] = v.loss;
  }
  summary.train_error = lastTrain.main?.error ?? NaN;
  summary.val_error = lastVal.main?.error ?? NaN;
  summary.best_val_error = bestVal;
  summary.train_val_gap = summary.val_error - summary.train_error;
  summary.images_per_sec = (step - firstStep) * cfg.batchSize / ((performance.now() - started) / 1000);
  evalCompiler?.dispose();
  timing();
  return { status: "complete", steps: step, summary, stepMode: stepMode() };
}
