/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017), read from its four IDX
 * `.gz` files, validated, split and served in seeded batches.
 *
 * Search order: `dataDir` / `DEEPER_DATA_DIR`, `data/fashion-mnist/`, then
 * the files of Debian's `dataset-fashion-mnist` package. Nothing is ever
 * downloaded or faked: a missing or corrupt file is an error that says what to
 * do. (Unit tests use `synthetic.ts`, never a run.)
 *
 * ```ts
 * const data = await loadFashionMnist();
 * const split = splitFashionMnist(data, { valSize: 5000, seed: 0 });
 * for (const b of batches(split.train, { batchSize: 128, seed: 0, epoch: 0 })) {
 *   // b.xs: [128, 28, 28, 1], b.ys: [128, 10]
 *   tf.dispose([b.xs, b.ys]);
 * }
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { exists, ROOT } from "../_util.ts";
import { makeRng, shuffleInPlace } from "./rng.ts";

/** Image side in pixels. */
export const SIDE = 28;
/** Number of classes. */
export const NUM_CLASSES = 10;
/** Class names, in label order. */
export const CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

/** The four files and what each must hold. */
export const FILES = {
  trainImages: { name: "train-images-idx3-ubyte.gz", kind: "images", count: 60000 },
  trainLabels: { name: "train-labels-idx1-ubyte.gz", kind: "labels", count: 60000 },
  testImages: { name: "t10k-images-idx3-ubyte.gz", kind: "images", count: 10000 },
  testLabels: { name: "t10k-labels-idx1-ubyte.gz", kind: "labels", count: 10000 },
} as const;

/** Images (uint8, row-major [n, 28, 28]) with their labels. */
export interface RawSplit {
  /** Pixel bytes, n * 784. */
  images: Uint8Array;
  /** Labels 0..9. */
  labels: Uint8Array;
  /** Number of examples. */
  n: number;
}

/** What {@link loadFashionMnist} returns. */
export interface FashionMnist {
  /** The 60,000 training images. */
  train: RawSplit;
  /** The 10,000 test images. */
  test: RawSplit;
  /** Directory the files were read from. */
  dir: string;
  /** Where that is, in words without a machine's paths (for notebooks): `data/fashion-mnist/`, the Debian package. */
  source: string;
  /** SHA-256 of each `.gz` file, by file name: recorded with every run. */
  sha256: Record<string, string>;
}

/** A subset ready for training: indices into a raw split plus the standardisation. */
export interface Subset {
  /** The raw images and labels the indices point into. */
  raw: RawSplit;
  /** Which examples belong to this subset. */
  index: Int32Array;
  /** Mean of [0,1]-scaled pixels over the training subset. */
  mean: number;
  /** Standard deviation of [0,1]-scaled pixels over the training subset. */
  std: number;
}

/** Thrown for missing or malformed data; its message is one line that says what to do. */
export class DataError extends Error {
  override name = "DataError";
}

async function debianDir(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("dpkg", { args: ["-L", "dataset-fashion-mnist"], stderr: "null" }).output();
    if (out.code !== 0) return undefined;
    const line = new TextDecoder().decode(out.stdout).split("\n").find((l) => l.endsWith(FILES.trainImages.name));
    return line ? line.slice(0, -FILES.trainImages.name.length - 1) : undefined;
  } catch {
    return undefined; // no dpkg on this system
  }
}

/** The places searched, in order, each with the reason it is searched. */
export async function candidateDirs(dataDir?: string): Promise<Array<{ dir: string; why: string }>> {
  const out: Array<{ dir: string; why: string }> = [];
  const explicit = dataDir ?? Deno.env.get("DEEPER_DATA_DIR");
  if (explicit) out.push({ dir: explicit, why: dataDir ? "--data-dir" : "DEEPER_DATA_DIR" });
  out.push({ dir: join(ROOT, "data", "fashion-mnist"), why: "project data/" });
  out.push({ dir: (await debianDir()) ?? "/usr/share/datasets/fashion-mnist", why: "dataset-fashion-mnist package" });
  return out;
}

/**
 * Finds the directory holding the four files. An explicit `dataDir` (or
 * `DEEPER_DATA_DIR`) must hold them: it is never passed over silently.
 */
export async function locateFashionMnist(dataDir?: string): Promise<string> {
  return (await findFashionMnist(dataDir)).dir;
}

async function findFashionMnist(dataDir?: string): Promise<{ dir: string; why: string }> {
  const dirs = await candidateDirs(dataDir);
  const names = Object.values(FILES).map((f) => f.name);
  for (const [i, { dir, why }] of dirs.entries()) {
    const missing = names.filter((n) => !exists(join(dir, n)));
    if (missing.length === 0) return { dir, why };
    if (i === 0 && why !== "project data/") {
      throw new DataError(`Fashion-MNIST not found in ${dir} (${why}): missing ${missing.join(", ")}`);
    }
  }
  throw new DataError(
    `Fashion-MNIST not found; searched ${dirs.map((d) => `${d.dir} (${d.why})`).join(", ")}. ` +
      `Install it with: apt-get install dataset-fashion-mnist (or put the four IDX .gz files in data/fashion-mnist/)`,
  );
}

/** Gunzips bytes with the web DecompressionStream; a corrupt or truncated stream is a DataError. */
export async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError(`${file}: truncated or corrupt gzip (${why}); reinstall the data set`);
  }
}

/**
 * Parses an IDX file (ubyte images with 3 dimensions, or labels with 1) and
 * checks magic number, dimensions, count and, for labels, the range 0..9.
 */
export function parseIdx(
  bytes: Uint8Array,
  file: string,
  expect: { kind: "images" | "labels"; count: number },
): Uint8Array {
  const dims = expect.kind === "images" ? 3 : 1;
  const magic = 0x0800 + dims; // 0x08: unsigned bytes
  if (bytes.length < 4 + 4 * dims) {
    throw new DataError(`${file}: only ${bytes.length} bytes, shorter than an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const got = view.getUint32(0);
  if (got !== magic) {
    throw new DataError(
      `${file}: wrong magic number 0x${got.toString(16).padStart(8, "0")}, expected 0x${
        magic.toString(16).padStart(8, "0")
      } (${expect.kind}); the file is not Fashion-MNIST ${expect.kind}`,
    );
  }
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  if (shape[0] !== expect.count) throw new DataError(`${file}: holds ${shape[0]} items, expected ${expect.count}`);
  if (dims === 3 && (shape[1] !== SIDE || shape[2] !== SIDE)) {
    throw new DataError(`${file}: images are ${shape[1]}x${shape[2]}, expected ${SIDE}x${SIDE}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(4 + 4 * dims);
  if (body.length !== size) {
    throw new DataError(`${file}: ${body.length} data bytes, the header says ${size}; the file is truncated or padded`);
  }
  if (expect.kind === "labels") {
    const bad = body.findIndex((v) => v >= NUM_CLASSES);
    if (bad >= 0) throw new DataError(`${file}: label ${body[bad]} at index ${bad} is outside 0..9`);
  }
  return body;
}

/**
 * Reads one data file; a directory or an unreadable file where it should be
 * is a DataError (bad input, exit 2), not the raw OS error of a crash.
 */
async function readDataFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.IsADirectory) {
      throw new DataError(
        `${path}: is a directory, not the gzipped IDX file; remove it and put the real file there ` +
          `(apt-get install dataset-fashion-mnist has all four)`,
      );
    }
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new DataError(`${path}: cannot be read (${why}); make it a readable file or reinstall the data set`);
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Loads and validates all four files. */
export async function loadFashionMnist(opts: { dataDir?: string } = {}): Promise<FashionMnist> {
  const { dir, why } = await findFashionMnist(opts.dataDir);
  const sha256: Record<string, string> = {};
  const read = async (f: { name: string; kind: "images" | "labels"; count: number }) => {
    const path = join(dir, f.name);
    const gz = await readDataFile(path);
    sha256[f.name] = await sha256Hex(gz);
    return parseIdx(await gunzip(gz, path), path, f);
  };
  const [trI, trL, teI, teL] = await Promise.all([
    read(FILES.trainImages),
    read(FILES.trainLabels),
    read(FILES.testImages),
    read(FILES.testLabels),
  ]);
  return {
    train: { images: trI, labels: trL, n: FILES.trainLabels.count },
    test: { images: teI, labels: teL, n: FILES.testLabels.count },
    dir,
    source: why === "project data/"
      ? "data/fashion-mnist/"
      : why === "dataset-fashion-mnist package"
      ? "the Debian package dataset-fashion-mnist"
      : `${why} ${dir}`,
    sha256,
  };
}

/** Mean and standard deviation of [0,1]-scaled pixels over the given examples. */
export function pixelStats(raw: RawSplit, index: Int32Array): { mean: number; std: number } {
  const P = SIDE * SIDE;
  let sum = 0, sq = 0;
  for (const i of index) {
    const img = raw.images.subarray(i * P, (i + 1) * P);
    for (const v of img) {
      sum += v;
      sq += v * v;
    }
  }
  const n = index.length * P;
  const mean = sum / n / 255;
  const std = Math.sqrt(Math.max(sq / n / (255 * 255) - mean * mean, 1e-12));
  return { mean, std };
}

/** Options of {@link splitFashionMnist}. */
export interface SplitOptions {
  /** Images held out of train for validation (default 5000). */
  valSize?: number;
  /** Seed of the split, fixed per experiment so every variant sees the same split (default 0). */
  seed?: number;
  /** Use only the first this many of the remaining training images (default all). */
  trainSize?: number;
  /** Use only the first this many test images (default all 10,000). */
  testSize?: number;
}

/**
 * A seeded, deterministic split of train into train and validation, with the
 * standardisation statistics of the training subset applied to all three.
 */
export function splitFashionMnist(
  data: { train: RawSplit; test: RawSplit },
  opts: SplitOptions = {},
): { train: Subset; val: Subset; test: Subset } {
  const valSize = opts.valSize ?? 5000;
  const n = data.train.n;
  if (valSize < 0 || valSize >= n) throw new RangeError(`valSize must be in [0, ${n}), got ${valSize}`);
  const perm = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), makeRng(opts.seed ?? 0));
  const val = perm.slice(0, valSize).sort();
  let train = perm.slice(valSize).sort();
  if (opts.trainSize !== undefined) train = train.slice(0, opts.trainSize);
  const testN = Math.min(opts.testSize ?? data.test.n, data.test.n);
  const { mean, std } = pixelStats(data.train, train);
  return {
    train: { raw: data.train, index: train, mean, std },
    val: { raw: data.train, index: val, mean, std },
    test: { raw: data.test, index: Int32Array.from({ length: testN }, (_, i) => i), mean, std },
  };
}

/** One batch: standardised images and one-hot labels; the caller disposes both tensors. */
export interface Batch {
  /** [batch, 28, 28, 1] float32, standardised. */
  xs: tf.Tensor4D;
  /** [batch, 10] float32 one-hot. */
  ys: tf.Tensor2D;
  /** Labels of this batch, for accuracy without a device read. */
  labels: Uint8Array;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Examples per batch (default 128). */
  batchSize?: number;
  /** Shuffle seed; with `epoch`, determines the order (default 0). */
  seed?: number;
  /** Epoch number, mixed into the seed so each epoch has its own order (default 0). */
  epoch?: number;
  /** Shuffle (default true); evaluation passes false. */
  shuffle?: boolean;
  /** Keep a last partial batch (default false for training, pass true for evaluation). */
  keepPartial?: boolean;
  /** Start at this batch of the epoch's order (default 0): a resumed run skips the batches it trained. */
  startBatch?: number;
}

/**
 * Yields batches of a subset. Memory stays flat: the only copy made is one
 * batch's floats, never the whole set.
 */
export function* batches(subset: Subset, opts: BatchOptions = {}): Generator<Batch> {
  const bs = opts.batchSize ?? 128;
  const order = Int32Array.from(subset.index);
  if (opts.shuffle ?? true) shuffleInPlace(order, makeRng(((opts.seed ?? 0) * 1000003 + (opts.epoch ?? 0)) >>> 0));
  const P = SIDE * SIDE;
  const scale = 1 / (255 * subset.std), shift = subset.mean / subset.std;
  const end = opts.keepPartial ? order.length : order.length - (order.length % bs);
  for (let start = (opts.startBatch ?? 0) * bs; start < end; start += bs) {
    const b = Math.min(bs, end - start);
    const x = new Float32Array(b * P);
    const y = new Float32Array(b * NUM_CLASSES);
    const labels = new Uint8Array(b);
    for (let k = 0; k < b; k++) {
      const i = order[start + k];
      const img = subset.raw.images.subarray(i * P, (i + 1) * P);
      for (let p = 0; p < P; p++) x[k * P + p] = img[p] * scale - shift;
      labels[k] = subset.raw.labels[i];
      y[k * NUM_CLASSES + labels[k]] = 1;
    }
    yield {
      xs: tf.tensor4d(x, [b, SIDE, SIDE, 1]),
      ys: tf.tensor2d(y, [b, NUM_CLASSES]),
      labels,
    };
  }
}
