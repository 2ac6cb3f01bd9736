/**
 * TF.js layers whose training path uses `fused_ops.ts`: batch normalisation
 * (Ioffe and Szegedy 2015) and ReLU. Both serialise with the model
 * (`tf.serialization.registerClass`), so saved runs reload in a notebook.
 *
 * ```ts
 * let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: "same" }).apply(input);
 * x = new BatchNorm({ name: "bn1" }).apply(x);  // same shape
 * x = new ReLU({ name: "relu1" }).apply(x);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTrain, relu } from "./fused_ops.ts";

/** Options of {@link BatchNorm}. */
export interface BatchNormArgs {
  /** Layer name. */
  name?: string;
  /** Weight of the old value in the moving averages (default 0.9, PyTorch's momentum 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5, as in PyTorch and the ResNet paper's code). */
  epsilon?: number;
}

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** Batch normalisation over the last axis of a [batch, h, w, c] input. */
export class BatchNorm extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperBatchNorm";
  private readonly momentum: number;
  private readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super({ name: args.name });
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (shape.length !== 4 || c == null) throw new TypeError(`BatchNorm wants [batch, h, w, c] input, got [${shape}]`);
    this.gamma = this.addWeight("gamma", [c], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [c], "float32", tf.initializers.zeros());
    this.movingMean = this.addWeight("moving_mean", [c], "float32", tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight("moving_variance", [c], "float32", tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = single(inputs) as tf.Tensor4D;
    const gamma = this.gamma.read() as tf.Tensor1D, beta = this.beta.read() as tf.Tensor1D;
    if (!kwargs.training) {
      const mean = this.movingMean.read() as tf.Tensor1D, variance = this.movingVariance.read() as tf.Tensor1D;
      return tf.batchNorm4d(x, mean, variance, beta, gamma, this.epsilon);
    }
    const { y, mean, variance } = batchNormTrain(x, gamma, beta, this.epsilon);
    const m = this.momentum;
    tf.tidy(() => {
      this.movingMean.write(tf.add(tf.mul(this.movingMean.read(), m), tf.mul(mean, 1 - m)));
      this.movingVariance.write(tf.add(tf.mul(this.movingVariance.read(), m), tf.mul(variance, 1 - m)));
    });
    tf.dispose([mean, variance]);
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(BatchNorm);

/** ReLU with a one-kernel gradient on the native backend. */
export class ReLU extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperReLU";

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return relu(single(inputs));
  }
}
tf.serialization.registerClass(ReLU);
