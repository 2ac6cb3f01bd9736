/**
 * Training-time ops that run as single TensorFlow kernels on the
 * `tensorflow` backend, and as TF.js's composite ops elsewhere.
 *
 * Why: on a CPU, a plain-20 training step was bound by full passes over the
 * activations, not by the convolutions. TF.js trains batch norm through
 * `tf.moments` and an arithmetic chain whose gradient is some 40 more kernels,
 * and ReLU's gradient as `dy * step(x)` (two passes). TensorFlow has one
 * kernel for each: `FusedBatchNormV3`/`FusedBatchNormGradV3` and `ReluGrad`.
 * Measured on a 2-core CPU, plain-20 at batch 128 (`deno task bench`): 430
 * images/s with TF.js's layers, 770 with fused batch norm, about 1,000 with
 * the ReLU gradient too. Tests check that both paths give the same values and
 * gradients.
 *
 * Max pooling: TensorFlow's CPU `MaxPoolGrad` recomputes the forward pass's
 * argmax for every gradient, in a scalar loop (`SpatialMaxPoolWithArgMaxHelper`);
 * a perf profile put a quarter to a third of a grid or Inception net's step
 * there. On CPU, `maxPool` runs oneDNN's pooling instead, which keeps a
 * workspace from the forward pass for the gradient.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { currentBackend } from "../env/backend.ts";

interface NativeBackend {
  binding: Record<string, number>;
  executeSingleOutput(name: string, attrs: unknown[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

/**
 * The native backend when it is the active one. `DEEPER_FUSED=0` turns the
 * fused paths off, so the bench can measure what they bring.
 */
function native(): NativeBackend | undefined {
  if (Deno.env.get("DEEPER_FUSED") === "0") return undefined;
  return tf.getBackend() === "tensorflow" ? tf.backend() as unknown as NativeBackend : undefined;
}

function typeAttr(b: NativeBackend, name = "T") {
  return { name, type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

/** Output of {@link batchNormTrain}. */
export interface BatchNormTrainResult {
  /** Normalised, scaled and shifted input. */
  y: tf.Tensor4D;
  /** Per-channel batch mean; the caller disposes it. */
  mean: tf.Tensor1D;
  /** Per-channel unbiased batch variance, for moving averages; the caller disposes it. */
  variance: tf.Tensor1D;
}

/**
 * Normalises `x` ([batch, h, w, c]) with its own batch statistics and
 * returns them too; differentiable in `x`, `gamma` and `beta`.
 *
 * ```ts
 * const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
 * tf.dispose([mean, variance]);
 * ```
 */
export function batchNormTrain(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): BatchNormTrainResult {
  const b = native();
  if (!b) {
    return tf.tidy(() => {
      const m = tf.moments(x, [0, 1, 2]);
      const y = tf.batchNorm4d(x, m.mean as tf.Tensor1D, m.variance as tf.Tensor1D, beta, gamma, epsilon);
      // The fused kernel reports the unbiased variance; so does this path.
      const n = x.shape[0] * x.shape[1] * x.shape[2];
      const variance = tf.mul(m.variance, n / Math.max(n - 1, 1)) as tf.Tensor1D;
      return { y, mean: m.mean as tf.Tensor1D, variance };
    });
  }
  const attrs = [
    typeAttr(b),
    typeAttr(b, "U"),
    { name: "epsilon", type: b.binding.TF_ATTR_FLOAT, value: epsilon },
    { name: "data_format", type: b.binding.TF_ATTR_STRING, value: "NHWC" },
    { name: "is_training", type: b.binding.TF_ATTR_BOOL, value: true },
  ];
  let mean!: tf.Tensor1D, variance!: tf.Tensor1D;
  const f = tf.customGrad(
    ((x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, save: tf.GradSaveFunc) => {
      const empty = tf.tensor1d([]);
      // Outputs: y, batch mean, unbiased batch variance, and the saved mean and
      // inverse standard deviation the gradient kernel reads.
      const [y, bm, bv, r1, r2, r3] = b.executeMultipleOutputs(
        "FusedBatchNormV3",
        [...attrs, { name: "exponential_avg_factor", type: b.binding.TF_ATTR_FLOAT, value: 1 }],
        [x, gamma, beta, empty, empty],
        6,
      );
      empty.dispose();
      // customGrad disposes what its forward does not return: keep the stats.
      mean = tf.keep(bm) as tf.Tensor1D;
      variance = tf.keep(bv) as tf.Tensor1D;
      save([x, gamma, r1, r2, r3]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [dx, dgamma, dbeta, r4, r5] = b.executeMultipleOutputs(
            "FusedBatchNormGradV3",
            attrs,
            [dy, ...saved],
            5,
          );
          tf.dispose([r4, r5]);
          return [dx, dgamma, dbeta];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  const y = f(x, gamma, beta) as tf.Tensor4D;
  return { y, mean, variance };
}

/**
 * ReLU whose gradient is TensorFlow's one-pass `ReluGrad` on the native
 * backend; plain `tf.relu` elsewhere.
 */
export function relu<T extends tf.Tensor>(x: T): T {
  const b = native();
  if (!b) return tf.relu(x);
  const f = tf.customGrad(
    ((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = tf.relu(x);
      save([y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [y]: tf.Tensor[]) => b.executeSingleOutput("ReluGrad", [typeAttr(b)], [dy, y]),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return f(x) as T;
}

/**
 * Whether this TensorFlow build runs oneDNN's native max pooling: it is on
 * Linux x86 CPU builds, and `undefined` until first asked. GPU builds use
 * cuDNN's pooling, which keeps its own indices, so they take TF's ops.
 */
let onednnPool: boolean | undefined;

function onednnPoolingAvailable(b: NativeBackend): boolean {
  if (onednnPool !== undefined) return onednnPool;
  if (currentBackend()?.gpu !== false) return onednnPool = false;
  const x = tf.zeros([1, 3, 3, 1]);
  try {
    // The internal op is found through the label its kernel is registered
    // under; an older or non-oneDNN build throws here and keeps TF's ops.
    const out = b.executeMultipleOutputs("_MklNativeMaxPool", poolAttrs(b, 3, 1, "valid"), [x], 2);
    tf.dispose(out);
    onednnPool = true;
  } catch {
    onednnPool = false;
  } finally {
    x.dispose();
  }
  return onednnPool;
}

function poolAttrs(b: NativeBackend, size: number, strides: number, padding: "same" | "valid") {
  return [
    typeAttr(b),
    { name: "ksize", type: b.binding.TF_ATTR_INT, value: [1, size, size, 1] },
    { name: "strides", type: b.binding.TF_ATTR_INT, value: [1, strides, strides, 1] },
    { name: "padding", type: b.binding.TF_ATTR_STRING, value: padding.toUpperCase() },
    { name: "data_format", type: b.binding.TF_ATTR_STRING, value: "NHWC" },
    { name: "workspace_enabled", type: b.binding.TF_ATTR_BOOL, value: true },
    { name: "_kernel", type: b.binding.TF_ATTR_STRING, value: "MklNameChangeOp" },
  ];
}

/**
 * Which kernels {@link maxPool} runs on the active backend: `onednn` (the
 * native CPU build), or `tf` (TF.js's `maxPool`, TensorFlow's own kernels on
 * the native backend). Tests read it to know which path they checked.
 */
export function maxPoolPath(): "onednn" | "tf" {
  const b = native();
  return b && onednnPoolingAvailable(b) ? "onednn" : "tf";
}

/**
 * Square max pooling of `x` ([batch, h, w, c]); differentiable in `x`.
 * On the native backend's CPU build the forward pass keeps oneDNN's
 * workspace (where each maximum was) and the gradient scatters through it;
 * elsewhere this is `tf.maxPool`. Ties go to the first maximum in the
 * window either way.
 *
 * ```ts
 * const y = maxPool(x, 3, 2, "same"); // [b, 28, 28, c] -> [b, 14, 14, c]
 * ```
 */
export function maxPool(x: tf.Tensor4D, size: number, strides: number, padding: "same" | "valid"): tf.Tensor4D {
  const b = native();
  if (!b || !onednnPoolingAvailable(b)) return tf.maxPool(x, size, strides, padding);
  const attrs = poolAttrs(b, size, strides, padding);
  const f = tf.customGrad(
    ((x: tf.Tensor, save: tf.GradSaveFunc) => {
      // Outputs: the pooled maps and oneDNN's workspace (uint8, which TF.js
      // labels int32 and never reads; it only goes back into the gradient).
      const [y, workspace] = b.executeMultipleOutputs("_MklNativeMaxPool", attrs, [x], 2);
      save([x, y, workspace]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, [x, y, workspace]: tf.Tensor[]) =>
          b.executeSingleOutput("_MklNativeMaxPoolGrad", attrs, [x, y, dy, workspace]),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0],
  );
  return f(x) as tf.Tensor4D;
}
