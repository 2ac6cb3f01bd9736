/**
 * Evaluation batches compiled into one TensorFlow function (the forward pass
 * in inference mode and the per-head sums of `evaluate`), through
 * lib/train/recorded_function.ts. Its inputs are the batch and every weight,
 * batch norm's moving statistics included, read afresh at each batch (so the
 * statistics precise BN recomputes before an evaluation are the ones used);
 * it updates nothing. At batch 500 the per-op cost is a small share of a
 * CPU's evaluation; on a GPU it is not.
 *
 * ```ts
 * const c = new EvalCompiler(model);
 * await evaluate(model, data.val, { compiler: c }); // the first batches eager, recorded, then compiled
 * c.dispose();
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { FunctionCompiler, type Source } from "./recorded_function.ts";

/** What an evaluation batch reads: the batch and every weight of the model, read only. */
function evalSources(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Source[] {
  return [
    { key: "batch:x", get: () => xs },
    { key: "batch:y", get: () => ys },
    ...model.weights.map((w) => ({ key: `weight:${w.originalName}`, get: () => w.read() })),
  ];
}

/** Compiles the evaluation batches of one model (see the module docs). */
export class EvalCompiler {
  private readonly fc = new FunctionCompiler("deeper_eval");

  constructor(private readonly model: tf.LayersModel) {}

  /** `compiled: ...` once compiled, `eager: <why>` once refused, `recording` before either. */
  get status(): string {
    return this.fc.status;
  }

  /** One batch's result: `eager()`'s, or the compiled function's for a batch of the compiled shape. */
  batch(xs: tf.Tensor, ys: tf.Tensor, eager: () => tf.Tensor): tf.Tensor {
    return this.fc.call(xs.shape, () => evalSources(this.model, xs, ys), () => [eager()]).out[0];
  }

  /** Frees what the compiled function holds. */
  dispose(): void {
    this.fc.dispose();
  }
}
