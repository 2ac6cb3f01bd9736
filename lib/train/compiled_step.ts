/**
 * A training step compiled into one TensorFlow function
 * (lib/train/recorded_function.ts does the recording and compiling).
 *
 * TF.js computes gradients with its own kernels and its optimizers update
 * variables with ordinary ops followed by `assign`, which only repoints a
 * variable: so one eager step, recorded at the binding, already holds
 * forward, backward and update as value-producing ops. Its inputs: every
 * weight, the optimizer's accumulators and scalars (a new rate is a new
 * tensor), the batch, and the dropout layers' uniform numbers (drawn in JS
 * from seed and step, as the eager step draws them). Its outputs: the new
 * weights and accumulators, assigned back, and the step's results.
 *
 * ```ts
 * const c = new StepCompiler(model, optimizer);
 * for (const b of batches) disposeStep(c.step(b.xs, b.ys, () => trainStep(model, optimizer, b.xs, b.ys)));
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { StepResult } from "./train_step.ts";
import { StepDropout } from "../models/layers.ts";
import { type CompiledFunction, type CompileOptions, FunctionCompiler, type Source } from "./recorded_function.ts";

/** The tensors a step reads from outside: every model weight, the optimizer's state and scalars, the batch. */
function stepSources(model: tf.LayersModel, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): Source[] {
  const out: Source[] = [{ key: "batch:x", get: () => xs }, { key: "batch:y", get: () => ys }];
  for (const w of model.weights) {
    const v = w.read() as tf.Variable;
    out.push({ key: `weight:${w.originalName}`, get: () => w.read(), set: (t) => v.assign(t) });
  }
  const o = optimizer as unknown as Record<string, unknown> & {
    accumulations?: Array<{ originalName: string; variable: tf.Variable }>;
  };
  for (const a of o.accumulations ?? []) {
    out.push({ key: `optimizer:${a.originalName}`, get: () => a.variable, set: (t) => a.variable.assign(t) });
  }
  // Dropout masks are drawn in JS from (seed, step): drawn here, before the step, they are an input like the batch.
  const batch = xs.shape[0];
  for (const l of model.layers) {
    if (!(l instanceof StepDropout) || l.rate === 0) continue;
    const shape = [batch, ...(l.input as tf.SymbolicTensor).shape.slice(1) as number[]];
    out.push({ key: `dropout:${l.name}`, get: () => l.uniform(shape), hand: (t) => l.preset = t });
  }
  // The optimizer's own scalars (momentum's rate and momentum), read afresh at each call: a new rate is a new tensor.
  for (const k of Object.keys(o).sort()) {
    const t = o[k];
    if (t instanceof tf.Tensor && !(t instanceof tf.Variable)) {
      out.push({
        key: `optimizer.${k}`,
        get: () => o[k] as tf.Tensor,
      });
    }
  }
  return out;
}

function optimizerProblem(optimizer: tf.Optimizer): string | undefined {
  // Adam and RMSProp keep state the recording would not see (Adam's rate powers live in JS-side variables it
  // replaces); only the two whose state is accounted for above are compiled.
  return optimizer instanceof tf.MomentumOptimizer || optimizer.constructor === tf.SGDOptimizer
    ? undefined
    : `${optimizer.getClassName()} is not compiled (SGD and momentum are)`;
}

function resultTensors(r: StepResult): tf.Tensor[] {
  return [
    r.loss,
    r.headLosses,
    r.headErrors,
    ...(r.gradNorms ? [r.gradNorms] : []),
    ...(r.mainGradNorms ? [r.mainGradNorms] : []),
  ];
}

/**
 * Compiles the steps of one training loop: `step(xs, ys, eager)` runs
 * `eager` for the warm-up steps, records the next two eager steps, compiles
 * them if they match, and from then on runs the compiled function for every
 * batch of the compiled shape (any other shape, e.g. a short last batch,
 * runs `eager`). The same options must go into every `eager` passed: the
 * caller keeps one compiler per kind of step (with or without gradient norms).
 *
 * ```ts
 * const c = new StepCompiler(model, optimizer);
 * const r = c.step(xs, ys, () => trainStep(model, optimizer, xs, ys, opts));
 * c.status; // "compiled: 640 ops in one function" or "eager: <why>"
 * ```
 */
export class StepCompiler {
  private readonly fc: FunctionCompiler;
  private headNames: string[] = [];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly optimizer: tf.Optimizer,
    opts: CompileOptions = {},
  ) {
    this.fc = new FunctionCompiler("deeper_step", opts, optimizerProblem(optimizer));
  }

  /** `compiled: ...` once compiled, `eager: <why>` once refused, `recording` before either. */
  get status(): string {
    return this.fc.status;
  }

  /** The compiled step, once there is one. */
  get compiled(): CompiledFunction | undefined {
    return this.fc.compiled;
  }

  /** Whether the compiled step runs with grappler (false until compiled). */
  get grappler(): boolean {
    return this.fc.grappler;
  }

  /** One training step; see the class docs. The result belongs to the caller, as trainStep's. */
  step(xs: tf.Tensor, ys: tf.Tensor, eager: () => StepResult): StepResult {
    let eagerResult: StepResult | undefined;
    const { out, compiled } = this.fc.call(
      xs.shape,
      () => stepSources(this.model, this.optimizer, xs, ys),
      () => resultTensors(eagerResult = eager()),
    );
    if (!compiled) {
      this.headNames = eagerResult!.headNames;
      return eagerResult!;
    }
    // What applyGradients does besides its ops.
    (this.optimizer as unknown as { incrementIterations(): void }).incrementIterations();
    return {
      loss: out[0] as tf.Scalar,
      headLosses: out[1] as tf.Tensor1D,
      headErrors: out[2] as tf.Tensor1D,
      headNames: this.headNames,
      ...(out.length > 3 ? { gradNorms: out[3] as tf.Tensor1D } : {}),
      ...(out.length > 4 ? { mainGradNorms: out[4] as tf.Tensor1D } : {}),
    };
  }

  /** Frees what a compiled step holds. */
  dispose(): void {
    this.fc.dispose();
  }
}
