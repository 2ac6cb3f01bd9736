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
import { batchNormTrain, maxPool, relu } from "./fused_ops.ts";

/** Options of {@link BatchNorm}. */
export interface BatchNormArgs {
  /** Layer name. */
  name?: string;
  /** Weight of the old value in the moving averages (default 0.9, PyTorch's momentum 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5, as in PyTorch and the ResNet paper's code). */
  epsilon?: number;
  /** Learn a scale gamma (default true; Keras's Inception-v3 uses false, as a ReLU follows). */
  scale?: boolean;
  /** Learn a shift beta (default true). */
  center?: boolean;
}

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** A window's output side in TensorFlow: ceil(n / s) with "same", floor((n - k) / s) + 1 with "valid". */
function outputSide(n: number | null, k: number, s: number, padding: "same" | "valid"): number | null {
  return n == null ? null : padding === "same" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Batch normalisation over the last axis of a [batch, h, w, c] input. */
export class BatchNorm extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperBatchNorm";
  private readonly momentum: number;
  private readonly epsilon: number;
  private readonly scale: boolean;
  private readonly center: boolean;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super({ name: args.name });
    this.momentum = args.momentum ?? 0.9;
    this.epsilon = args.epsilon ?? 1e-5;
    this.scale = args.scale ?? true;
    this.center = args.center ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = shape[shape.length - 1];
    if (shape.length !== 4 || c == null) throw new TypeError(`BatchNorm wants [batch, h, w, c] input, got [${shape}]`);
    if (this.scale) this.gamma = this.addWeight("gamma", [c], "float32", tf.initializers.ones());
    if (this.center) this.beta = this.addWeight("beta", [c], "float32", tf.initializers.zeros());
    this.movingMean = this.addWeight("moving_mean", [c], "float32", tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight("moving_variance", [c], "float32", tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  /**
   * Set by lib/train/precise_bn.ts: while defined, a training-mode call
   * averages its batch statistics into the moving ones with equal weight
   * (the k-th batch weighs 1/k, this field counting the batches so far)
   * instead of the momentum: batch norm's population statistics at the
   * current weights (the "precise BN" of pycls and Detectron2).
   */
  averaged?: number;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = single(inputs) as tf.Tensor4D;
    const c = x.shape[3];
    // Without a learned scale or shift, constants stand in (the fused kernel needs both).
    const gamma = (this.gamma?.read() ?? tf.ones([c])) as tf.Tensor1D;
    const beta = (this.beta?.read() ?? tf.zeros([c])) as tf.Tensor1D;
    if (!kwargs.training) {
      const mean = this.movingMean.read() as tf.Tensor1D, variance = this.movingVariance.read() as tf.Tensor1D;
      return tf.batchNorm4d(x, mean, variance, beta, gamma, this.epsilon);
    }
    const { y, mean, variance } = batchNormTrain(x, gamma, beta, this.epsilon);
    const m = this.averaged === undefined ? this.momentum : this.averaged / (this.averaged + 1);
    if (this.averaged !== undefined) this.averaged++;
    tf.tidy(() => {
      this.movingMean.write(tf.add(tf.mul(this.movingMean.read(), m), tf.mul(mean, 1 - m)));
      this.movingVariance.write(tf.add(tf.mul(this.movingVariance.read(), m), tf.mul(variance, 1 - m)));
    });
    tf.dispose([mean, variance]);
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      epsilon: this.epsilon,
      scale: this.scale,
      center: this.center,
    };
  }
}
tf.serialization.registerClass(BatchNorm);

/**
 * Dropout whose mask is drawn from (seed, training step): a new mask at
 * every step, the same mask for the same step in every run and after a
 * resume. TF.js's own dropout, given a seed, draws the same mask at every
 * call, and without one draws from Math.random (not reproducible). The
 * training loop sets the step (`step`); inference passes
 * the input through.
 */
export class StepDropout extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperStepDropout";
  readonly rate: number;
  readonly seed: number;
  /** The training step whose mask the next training-mode call draws. */
  step = 0;
  /**
   * This step's uniform numbers drawn ahead ({@link uniform}): training-mode
   * calls take them instead of drawing (the same numbers, so the same mask)
   * until whoever set them disposes and unsets them. A compiled step passes
   * them in as an input this way.
   */
  preset?: tf.Tensor;

  constructor(args: { name?: string; rate: number; seed: number }) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  /** The uniform numbers of this step's mask for an input of `shape`, drawn in JS from (seed, step). */
  uniform(shape: number[]): tf.Tensor {
    return tf.randomUniform(shape, 0, 1, "float32", `${this.seed}:${this.step}`);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = single(inputs);
    if (!kwargs.training || this.rate === 0) return tf.clone(x);
    const preset = this.preset;
    return tf.tidy(() => {
      // [batch, ...]: 1/(1 - rate) where kept, 0 where dropped
      const u = preset && preset.shape.join() === x.shape.join() ? preset : this.uniform(x.shape);
      const keep = tf.div(tf.cast(tf.greaterEqual(u, this.rate), "float32"), 1 - this.rate);
      return tf.mul(x, keep);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(StepDropout);

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

/** Options of {@link MaxPool}. */
export interface MaxPoolArgs {
  name?: string;
  /** Square window side. */
  poolSize: number;
  /** Step between windows (default `poolSize`, as in tf.layers). */
  strides?: number;
  /** `valid` (default) or `same`. */
  padding?: "same" | "valid";
}

/**
 * Max pooling over a [batch, h, w, c] input whose gradient reuses the
 * forward pass's argmax on the native CPU build (see `fused_ops.ts`);
 * otherwise what `tf.layers.maxPooling2d` computes.
 */
export class MaxPool extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperMaxPool";
  private readonly poolSize: number;
  private readonly strides: number;
  private readonly padding: "same" | "valid";

  constructor(args: MaxPoolArgs) {
    super({ name: args.name });
    this.poolSize = args.poolSize;
    this.strides = args.strides ?? args.poolSize;
    this.padding = args.padding ?? "valid";
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const side = (n: number | null) => outputSide(n, this.poolSize, this.strides, this.padding);
    return [b, side(h), side(w), c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = single(inputs) as tf.Tensor4D;
    // Inference needs no gradient, so no workspace: TensorFlow's own pooling.
    if (!kwargs.training) return tf.maxPool(x, this.poolSize, this.strides, this.padding);
    return maxPool(x, this.poolSize, this.strides, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }
}
tf.serialization.registerClass(MaxPool);

/** Options of {@link GroupedConv2D}. */
export interface GroupedConv2DArgs {
  name?: string;
  /** Output channels (divisible by `groups`). */
  filters: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Channel groups: each sees only its own slice of the input (AlexNet's two towers: 2). */
  groups: number;
  strides?: number;
  padding?: "same" | "valid";
  useBias?: boolean;
  activation?: "relu" | "linear";
}

/**
 * A grouped convolution (Krizhevsky et al. 2012, the two GPU towers): the
 * input channels split into `groups` slices, each convolved with its own
 * filters, outputs concatenated. Kernel [k, k, in/groups, filters].
 */
export class GroupedConv2D extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperGroupedConv2D";
  readonly args: Required<Omit<GroupedConv2DArgs, "name">>;
  private kernel!: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  constructor(args: GroupedConv2DArgs) {
    super({ name: args.name });
    this.args = { strides: 1, padding: "same", useBias: true, activation: "linear", ...args } as GroupedConv2D["args"];
    if (args.filters % args.groups) {
      throw new RangeError(`filters ${args.filters} not divisible by groups ${args.groups}`);
    }
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const cin = (inputShape as tf.Shape).at(-1)!;
    if (cin % this.args.groups) {
      throw new RangeError(`input channels ${cin} not divisible by groups ${this.args.groups}`);
    }
    const k = this.args.kernelSize;
    this.kernel = this.addWeight(
      "kernel",
      [k, k, cin / this.args.groups, this.args.filters],
      "float32",
      tf.initializers.heNormal({}),
    );
    if (this.args.useBias) this.bias = this.addWeight("bias", [this.args.filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = inputShape as tf.Shape;
    const out = (n: number | null) => outputSide(n, this.args.kernelSize, this.args.strides, this.args.padding);
    return [b, out(h), out(w), this.args.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const g = this.args.groups;
      const xs = tf.split(x, g, 3) as tf.Tensor4D[];
      const ks = tf.split(this.kernel.read(), g, 3) as tf.Tensor4D[];
      let y: tf.Tensor = tf.concat(xs.map((xi, i) => tf.conv2d(xi, ks[i], this.args.strides, this.args.padding)), 3);
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.args.activation === "relu" ? relu(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}
tf.serialization.registerClass(GroupedConv2D);

/**
 * LeNet-5's C3 table (LeCun et al. 1998, table 1): which of S2's six maps
 * each of C3's sixteen maps sees. Six see 3 contiguous maps, six see 4
 * contiguous, three see 4 non-contiguous, one sees all six.
 */
export const LENET_C3_TABLE: number[][] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [4, 5, 0],
  [5, 0, 1],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [3, 4, 5, 0],
  [4, 5, 0, 1],
  [5, 0, 1, 2],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/**
 * A partially connected convolution: output map j convolves only the input
 * maps `table[j]`, with its own kernel [k, k, |table[j]|] and bias. With
 * LeNet's table and 5x5 kernels it has exactly 1,516 parameters.
 */
export class PartialConv2D extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperPartialConv2D";
  readonly table: number[][];
  readonly kernelSize: number;
  private kernels: tf.LayerVariable[] = [];
  private bias!: tf.LayerVariable;

  constructor(args: { name?: string; table: number[][]; kernelSize: number }) {
    super({ name: args.name });
    this.table = args.table;
    this.kernelSize = args.kernelSize;
  }

  override build(): void {
    const k = this.kernelSize;
    this.kernels = this.table.map((ins, j) =>
      this.addWeight(`kernel_${j}`, [k, k, ins.length, 1], "float32", tf.initializers.glorotUniform({}))
    );
    this.bias = this.addWeight("bias", [this.table.length], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = inputShape as tf.Shape;
    const k = this.kernelSize;
    return [b, h == null ? null : h - k + 1, w == null ? null : w - k + 1, this.table.length];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const maps = this.table.map((ins, j) =>
        tf.conv2d(tf.gather(x, ins, 3) as tf.Tensor4D, this.kernels[j].read() as tf.Tensor4D, 1, "valid")
      );
      return tf.add(tf.concat(maps, 3), this.bias.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), table: this.table, kernelSize: this.kernelSize };
  }
}
tf.serialization.registerClass(PartialConv2D);

/**
 * LeNet-5's subsampling (S2, S4): the sum of each 2x2 block times a learned
 * per-map coefficient, plus a learned per-map bias: 2 parameters per map.
 */
export class Subsample extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperSubsample";
  private coef!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape).at(-1)!;
    this.coef = this.addWeight("coefficient", [c], "float32", tf.initializers.ones());
    this.bias = this.addWeight("bias", [c], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape;
    return [b, h == null ? null : Math.floor(h / 2), w == null ? null : Math.floor(w / 2), c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const sum = tf.mul(tf.avgPool(single(inputs) as tf.Tensor4D, 2, 2, "valid"), 4); // [b, h/2, w/2, c]
      return tf.add(tf.mul(sum, this.coef.read()), this.bias.read());
    });
  }
}
tf.serialization.registerClass(Subsample);

/**
 * LeNet-5's output layer: one Euclidean radial basis function unit per
 * class, y_i = sum_j (x_j - w_ij)^2, whose parameters the paper chose by hand
 * and kept fixed: they are not trainable.
 */
export class RBFOutput extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperRBFOutput";
  readonly units: number;
  private centers!: tf.LayerVariable;

  constructor(args: { name?: string; units: number }) {
    super({ name: args.name });
    this.units = args.units;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const n = (inputShape as tf.Shape).at(-1)!;
    // The paper uses stylised +1/-1 7x12 bitmaps of the characters; random +-1 stands in here.
    const init = tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 1 }); // 0 would mean unseeded in TF.js
    this.centers = this.addWeight("centers", [n, this.units], "float32", init, undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0], this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.expandDims(single(inputs), 2); // [b, n, 1]
      return tf.sum(tf.square(tf.sub(x, this.centers.read())), 1); // [b, units]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}
tf.serialization.registerClass(RBFOutput);
