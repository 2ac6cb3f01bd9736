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
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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
