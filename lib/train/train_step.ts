/**
 * One optimisation step on a model with named heads: weighted sum of the
 * heads' softmax cross-entropies, `tf.variableGrads`, L2 weight decay,
 * optional global-norm clipping, per-kernel gradient L2 norms on demand, and
 * `optimizer.applyGradients`. Nothing is read back from the device here: the
 * caller decides when to read (every k steps), so steps can queue up.
 *
 * ```ts
 * const out = trainStep(model, optimizer, xs, ys, { headWeights: { main: 1 } });
 * const loss = (await out.loss.data())[0];
 * disposeStep(out);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { mainPathLayers } from "../models/nets.ts";

/** Options of {@link trainStep}. */
export interface StepOptions {
  /** Loss weight per output name; outputs not named are ignored (default `{ main: 1 }`). */
  headWeights?: Record<string, number>;
  /** L2 weight decay added to every trainable weight's gradient (default 0). */
  weightDecay?: number;
  /** Clip the global gradient norm to this value (default: no clipping). */
  clipNorm?: number;
  /**
   * Also return the L2 norm of every conv and dense kernel's gradient
   * (default false); for a net with auxiliary heads, also the norms of the
   * main head's own gradient on the main path's kernels (one more forward
   * and backward pass, at these steps only).
   */
  gradNorms?: boolean;
}

/** What one step returns; every tensor belongs to the caller ({@link disposeStep}). */
export interface StepResult {
  /** The weighted total loss. */
  loss: tf.Scalar;
  /** Each weighted head's own loss, in the order of `headNames`. */
  headLosses: tf.Tensor1D;
  /** Each weighted head's error rate on this minibatch (training mode), in the order of `headNames`. */
  headErrors: tf.Tensor1D;
  /** Names of the heads in `headLosses`. */
  headNames: string[];
  /** Gradient L2 norm per kernel, in the order of `kernelNames(model)`, when asked for. */
  gradNorms?: tf.Tensor1D;
  /** The main head's own gradient L2 norm per kernel of `mainKernelNames(model)` (nets with auxiliary heads). */
  mainGradNorms?: tf.Tensor1D;
}

/** Disposes every tensor of a {@link StepResult}. */
export function disposeStep(r: StepResult): void {
  tf.dispose([
    r.loss,
    r.headLosses,
    r.headErrors,
    ...(r.gradNorms ? [r.gradNorms] : []),
    ...(r.mainGradNorms ? [r.mainGradNorms] : []),
  ]);
}

/**
 * Names of the conv and dense kernels whose gradient norms are recorded, in
 * forward order: every layer's `kernel` weight (TF.js names a layer's
 * weights `<layer>/kernel`, `<layer>/bias`, ...; biases and batch norm's
 * parameters are not recorded).
 */
export function kernelNames(model: tf.LayersModel): string[] {
  return model.layers.flatMap((l) => l.trainableWeights.filter((w) => w.originalName === `${l.name}/kernel`))
    .map((w) => w.originalName);
}

/** The kernels on the main head's path (not an auxiliary head's), in forward order. */
export function mainKernelNames(model: tf.LayersModel): string[] {
  const main = mainPathLayers(model);
  return kernelNames(model).filter((k) => main.has(k.slice(0, k.lastIndexOf("/"))));
}

/**
 * The L2 norm of the main head's own gradient for each main-path kernel:
 * a second forward and backward pass with only the main loss, at the same
 * weights. Batch norm's moving statistics are put back afterwards, so the
 * measurement leaves the training exactly as it was.
 */
function mainHeadGradNorms(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): tf.Tensor1D {
  const names = new Set(mainKernelNames(model));
  const vars = model.trainableWeights.filter((w) => names.has(w.originalName)).map((w) => w.read() as tf.Variable);
  const frozen = model.weights.filter((w) => !w.trainable).map((w) => [w, tf.clone(w.read())] as const);
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(xs, { training: true });
    const outs = Array.isArray(out) ? out as tf.Tensor[] : [out as tf.Tensor];
    return tf.losses.softmaxCrossEntropy(ys, outs[model.outputNames.indexOf("main")]) as tf.Scalar;
  }, vars);
  for (const [w, v] of frozen) {
    w.write(v);
    v.dispose();
  }
  const norms = tf.tidy(() => tf.stack(vars.map((v) => tf.norm(grads[v.name]))) as tf.Tensor1D);
  tf.dispose([value, grads]);
  return norms;
}

/** Runs one step; see the module docs. */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  opts: StepOptions = {},
): StepResult {
  const weights = opts.headWeights ?? { main: 1 };
  const headNames = model.outputNames.filter((n) => (weights[n] ?? 0) !== 0);
  if (headNames.length === 0) {
    throw new RangeError(`no head of [${model.outputNames}] has a loss weight in ${JSON.stringify(weights)}`);
  }
  let headLosses!: tf.Tensor1D, headErrors!: tf.Tensor1D;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value: loss, grads } = tf.variableGrads(() => {
    const out = model.apply(xs, { training: true });
    const outs = Array.isArray(out) ? out as tf.Tensor[] : [out as tf.Tensor];
    const losses = headNames.map((n) => tf.losses.softmaxCrossEntropy(ys, outs[model.outputNames.indexOf(n)]));
    headLosses = tf.keep(tf.stack(losses) as tf.Tensor1D);
    // [heads]: the share of this batch each head gets wrong (no gradient flows through it)
    headErrors = tf.keep(tf.stack(headNames.map((n) => {
      const o = outs[model.outputNames.indexOf(n)];
      return tf.mean(tf.cast(tf.notEqual(tf.argMax(o, 1), tf.argMax(ys, 1)), "float32"));
    })) as tf.Tensor1D);
    return tf.addN(losses.map((l, i) => tf.mul(l, weights[headNames[i]]))) as tf.Scalar;
  }, vars);
  const mainGradNorms = opts.gradNorms && headNames.length > 1 ? mainHeadGradNorms(model, xs, ys) : undefined;
  const result = tf.tidy(() => {
    let g: tf.NamedTensorMap = grads;
    const wd = opts.weightDecay ?? 0;
    if (wd > 0) {
      g = Object.fromEntries(vars.map((v) => [v.name, tf.add(grads[v.name], tf.mul(v, wd))]));
    }
    if (opts.clipNorm !== undefined) {
      const total = tf.sqrt(tf.addN(Object.values(g).map((t) => tf.sum(tf.square(t)))));
      const scale = tf.minimum(1, tf.div(opts.clipNorm, tf.add(total, 1e-6)));
      g = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, tf.mul(t, scale)]));
    }
    let gradNorms: tf.Tensor1D | undefined;
    if (opts.gradNorms) {
      const names = new Set(kernelNames(model));
      const ks = model.trainableWeights.filter((w) => names.has(w.originalName)).map((w) =>
        grads[(w.read() as tf.Variable).name]
      );
      gradNorms = tf.stack(ks.map((t) => tf.norm(t))) as tf.Tensor1D;
    }
    optimizer.applyGradients(g);
    return { gradNorms };
  });
  tf.dispose(grads);
  return { loss, headLosses, headErrors, headNames, ...result, ...(mainGradNorms ? { mainGradNorms } : {}) };
}
