/**
 * Deformable convolution (Dai et al. 2017, "Deformable Convolutional
 * Networks", section 2.1) as a TF.js layer: a regular conv predicts, at each
 * output position, a 2D offset for every kernel tap; the input is sampled at
 * the shifted taps by bilinear interpolation and the samples are combined
 * with the kernel. Offsets start at zero, so an untrained layer is a plain
 * convolution. Built from differentiable TF.js ops (gather, arithmetic), so
 * gradients reach the kernel, the offsets and the input.
 *
 * ```ts
 * const y = new DeformConv2D({ filters: 32, kernelSize: 3 }).apply(x); // [b, h, w, 32]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@link DeformConv2D}. */
export interface DeformConv2DArgs {
  name?: string;
  /** Output channels. */
  filters: number;
  /** Square kernel side (odd). */
  kernelSize: number;
}

/**
 * The same values with no gradient path (TF.js has no stopGradient): a
 * custom-gradient op whose only input is a dummy scalar, computing the copy
 * inside its forward pass, which the tape does not record. Integer gather
 * indices derived from the offsets must not lie on the tape, or TF.js asks
 * for an int32 gradient.
 */
function stopGradient<T extends tf.Tensor>(t: T): T {
  const dummy = tf.scalar(0);
  const f = tf.customGrad(
    ((d: tf.Tensor) => ({ value: tf.clone(t), gradFunc: () => [tf.zerosLike(d)] })) as unknown as Parameters<
      typeof tf.customGrad
    >[0],
  );
  const out = f(dummy) as T;
  dummy.dispose();
  return out;
}

/**
 * Samples `x` ([b, h, w, c]) at fractional positions `py`, `px` ([b, h, w, n])
 * by bilinear interpolation, with zeros outside the image: [b, h, w, n, c].
 */
export function bilinearSample(x: tf.Tensor4D, py: tf.Tensor4D, px: tf.Tensor4D): tf.Tensor {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const n = py.shape[3];
    const flat = tf.reshape(x, [b * h * w, c]);
    const batchBase = tf.reshape(tf.mul(tf.range(0, b, 1, "int32"), tf.scalar(h * w, "int32")), [b, 1, 1, 1]);
    const y0 = tf.floor(py), x0 = tf.floor(px);
    const wy = tf.sub(py, y0), wx = tf.sub(px, x0); // fractional parts carry the offsets' gradient
    const y0i = stopGradient(y0), x0i = stopGradient(x0);
    const corner = (dy: number, dx: number, weight: tf.Tensor) => {
      const yi = tf.add(y0i, dy), xi = tf.add(x0i, dx);
      const inside = tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(yi, 0), tf.lessEqual(yi, h - 1)),
        tf.logicalAnd(tf.greaterEqual(xi, 0), tf.lessEqual(xi, w - 1)),
      );
      const row = tf.mul(tf.cast(tf.clipByValue(yi, 0, h - 1), "int32"), tf.scalar(w, "int32"));
      const idx = tf.add(batchBase, tf.add(row, tf.cast(tf.clipByValue(xi, 0, w - 1), "int32"))); // [b, h, w, n]
      const v = tf.reshape(tf.gather(flat, tf.reshape(idx, [-1])), [b, h, w, n, c]);
      const wgt = tf.expandDims(tf.mul(weight, tf.cast(inside, "float32")), 4); // [b, h, w, n, 1]
      return tf.mul(v, wgt);
    };
    const oy = tf.sub(1, wy), ox = tf.sub(1, wx);
    return tf.addN([
      corner(0, 0, tf.mul(oy, ox)),
      corner(0, 1, tf.mul(oy, wx)),
      corner(1, 0, tf.mul(wy, ox)),
      corner(1, 1, tf.mul(wy, wx)),
    ]);
  });
}

/**
 * The deformable convolution as a function of its weights: offset conv
 * kernel [k, k, c, 2k^2] and bias, main kernel [k, k, c, filters] and bias.
 */
export function deformConv(
  x: tf.Tensor4D,
  offsetKernel: tf.Tensor,
  offsetBias: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const k = kernel.shape[0], r = (k - 1) / 2, n = k * k, filters = kernel.shape[3] as number;
    const off = tf.add(tf.conv2d(x, offsetKernel as tf.Tensor4D, 1, "same"), offsetBias); // [b, h, w, 2n]
    const [dy, dx] = tf.split(tf.reshape(off, [b, h, w, n, 2]), 2, 4).map((t) => tf.reshape(t, [b, h, w, n]));
    // Regular grid: output (i, j), tap (a, b) reads (i + a - r, j + b - r).
    const taps = Array.from({ length: n }, (_, t) => [Math.floor(t / k) - r, (t % k) - r]);
    const gy = tf.add(tf.reshape(tf.range(0, h), [1, h, 1, 1]), tf.tensor(taps.map((p) => p[0]), [1, 1, 1, n]));
    const gx = tf.add(tf.reshape(tf.range(0, w), [1, 1, w, 1]), tf.tensor(taps.map((p) => p[1]), [1, 1, 1, n]));
    const samples = bilinearSample(x, tf.add(gy, dy) as tf.Tensor4D, tf.add(gx, dx) as tf.Tensor4D); // [b, h, w, n, c]
    const cols = tf.reshape(samples, [b * h * w, n * c]);
    const out = tf.matMul(cols, tf.reshape(kernel, [n * c, filters])); // [b*h*w, filters]
    return tf.add(tf.reshape(out, [b, h, w, filters]), bias) as tf.Tensor4D;
  });
}

/** A deformable convolution with stride 1 and `same` padding; see the module docs. */
export class DeformConv2D extends tf.layers.Layer {
  /** Name under which the layer is serialised. */
  static className = "DeeperDeformConv2D";
  readonly filters: number;
  readonly kernelSize: number;
  private offsetKernel!: tf.LayerVariable;
  private offsetBias!: tf.LayerVariable;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: DeformConv2DArgs) {
    super({ name: args.name });
    if (args.kernelSize % 2 !== 1) throw new RangeError(`kernelSize must be odd, got ${args.kernelSize}`);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as tf.Shape).at(-1)!;
    const k = this.kernelSize;
    // Offsets start at zero (the paper initialises the offset branch to zero).
    this.offsetKernel = this.addWeight("offset_kernel", [k, k, c, 2 * k * k], "float32", tf.initializers.zeros());
    this.offsetBias = this.addWeight("offset_bias", [2 * k * k], "float32", tf.initializers.zeros());
    this.kernel = this.addWeight("kernel", [k, k, c, this.filters], "float32", tf.initializers.heNormal({}));
    this.bias = this.addWeight("bias", [this.filters], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0], s[1], s[2], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return deformConv(x, this.offsetKernel.read(), this.offsetBias.read(), this.kernel.read(), this.bias.read());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize };
  }
}
tf.serialization.registerClass(DeformConv2D);
