/**
 * Checkpoints of a training run, so an interrupted run resumes where it
 * stopped: the weights (batch norm's moving statistics included), the
 * optimizer's state, where the loop stands (step, epoch, the next batch of
 * the epoch's seeded order) and what it has measured so far (the records,
 * and the loop's running figures). Written at each epoch's end and every few
 * minutes by the training loop's caller (lib/train/runner.ts).
 *
 * On disk: `<run dir>/checkpoints/step-<step>/` holds `state.json` (the
 * loop's state and the tensors' manifest), `tensors.bin` (every tensor's
 * values, in the manifest's order), `records.csv` (the records so far, as
 * `metrics.csv`) and `manifest.json` (the SHA-256 of the other three),
 * written into a temp directory that is renamed when complete; the latest
 * {@link KEEP} are kept. A checkpoint whose files are missing, truncated or
 * altered fails its checksum and is passed over for the one before, with one
 * log line; none usable: the run starts at step 0.
 *
 * ```ts
 * await saveCheckpoint(runDir, { state, model, optimizer, records });
 * const c = await loadCheckpoint(runDir, log); // the latest good one, or undefined
 * if (c) await restoreCheckpoint(c, model, optimizer);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { exists, sha256Hex, writeFileAtomic } from "../_util.ts";
import { type MetricRecord, metricsCsv, parseMetricsCsv } from "./results.ts";

/** Checkpoints kept per run: the latest and the one before (a fallback if the latest is damaged). */
export const KEEP = 2;

/** The loop's own running figures, which its final summary is made of. */
export interface LoopState {
  /** Steps done. */
  step: number;
  /** The epoch under way (0-based) and the index of its next batch in the epoch's seeded order. */
  epoch: number;
  batch: number;
  smoothLoss: number;
  lastLosses: number[];
  lastMain: number[];
  /** The main head's minibatch errors of the same readings (absent in checkpoints of recipe 1). */
  lastMainError?: number[];
  bestVal: number;
  lastTrain: Record<string, { loss: number; error: number }>;
  lastVal: Record<string, { loss: number; error: number }>;
}

/** One tensor in `tensors.bin`. */
interface TensorEntry {
  group: "model" | "optimizer";
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
}

/** `state.json`. */
interface StateFile {
  version: 1;
  loop: LoopState;
  tensors: TensorEntry[];
  writtenAt: string;
}

/** A checkpoint read back and verified. */
export interface Checkpoint {
  dir: string;
  loop: LoopState;
  records: MetricRecord[];
  tensors: Array<TensorEntry & { values: Float32Array | Int32Array }>;
}

const FILES = ["state.json", "tensors.bin", "records.csv"] as const;

// JSON has no NaN or Infinity (a best validation error starts at Infinity): they are written as strings.
const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);
const encode = (_k: string, v: unknown) => typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
const decode = (_k: string, v: unknown) => typeof v === "string" && NON_FINITE.has(v) ? Number(v) : v;

/** The checkpoint directories of a run, newest first. */
async function checkpointDirs(runDir: string): Promise<string[]> {
  const root = join(runDir, "checkpoints");
  if (!exists(root)) return [];
  const steps: number[] = [];
  for await (const e of Deno.readDir(root)) {
    const m = e.isDirectory ? e.name.match(/^step-(\d+)$/) : null;
    if (m) steps.push(Number(m[1]));
  }
  return steps.sort((a, b) => b - a).map((s) => join(root, `step-${String(s).padStart(8, "0")}`));
}

/**
 * Writes a checkpoint of the loop at its current step: into a temp
 * directory, renamed when every file and the manifest are written; then
 * keeps the latest {@link KEEP}. Returns the checkpoint's directory.
 */
export async function saveCheckpoint(
  runDir: string,
  c: { loop: LoopState; model: tf.LayersModel; optimizer: tf.Optimizer; records: MetricRecord[] },
): Promise<string> {
  const root = join(runDir, "checkpoints");
  await Deno.mkdir(root, { recursive: true });
  const final = join(root, `step-${String(c.loop.step).padStart(8, "0")}`);
  const tmp = await Deno.makeTempDir({ dir: root, prefix: ".tmp-" });
  try {
    const entries: TensorEntry[] = [];
    const chunks: Uint8Array[] = [];
    const add = async (group: TensorEntry["group"], name: string, t: tf.Tensor) => {
      const values = await t.data();
      entries.push({ group, name, shape: t.shape, dtype: t.dtype === "int32" ? "int32" : "float32" });
      chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice());
    };
    for (const w of c.model.weights) await add("model", w.originalName, w.read());
    const opt = await c.optimizer.getWeights();
    for (const w of opt) await add("optimizer", w.name, w.tensor);
    tf.dispose(opt.filter((w) => w.name === "iter").map((w) => w.tensor)); // a scalar made for the call
    const bin = new Uint8Array(chunks.reduce((n, x) => n + x.length, 0));
    let off = 0;
    for (const x of chunks) bin.set(x, off), off += x.length;
    const state: StateFile = { version: 1, loop: c.loop, tensors: entries, writtenAt: new Date().toISOString() };
    const files: Record<(typeof FILES)[number], Uint8Array> = {
      "state.json": new TextEncoder().encode(JSON.stringify(state, encode)),
      "tensors.bin": bin,
      "records.csv": new TextEncoder().encode(metricsCsv(c.records)),
    };
    const manifest: Record<string, string> = {};
    for (const f of FILES) {
      await Deno.writeFile(join(tmp, f), files[f]);
      manifest[f] = await sha256Hex(files[f]);
    }
    // The manifest last: a directory without it, or with a sum that does not match, is not a checkpoint.
    await writeFileAtomic(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
    await Deno.remove(final, { recursive: true }).catch(() => {});
    await Deno.rename(tmp, final);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  await pruneCheckpoints(runDir, KEEP);
  return final;
}

/**
 * Removes a run's checkpoints after `step` (all of them for -1): those a
 * resume passed over (damaged) belong to a timeline the run no longer follows.
 */
export async function dropCheckpointsAfter(runDir: string, step: number): Promise<void> {
  for (const dir of await checkpointDirs(runDir)) {
    if (Number(dir.match(/step-(\d+)$/)![1]) > step) await Deno.remove(dir, { recursive: true });
  }
}

/** Keeps a run's latest `keep` checkpoints (a finished run keeps one: a longer run of its recipe continues from it). */
export async function pruneCheckpoints(runDir: string, keep: number): Promise<void> {
  for (const old of (await checkpointDirs(runDir)).slice(keep)) await Deno.remove(old, { recursive: true });
}

/** Reads and verifies one checkpoint directory; throws a one-line error saying what is wrong. */
async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const name = dir.split("/").at(-1);
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  } catch {
    throw new Error(`${name}: no readable manifest.json`);
  }
  const bytes: Partial<Record<(typeof FILES)[number], Uint8Array>> = {};
  for (const f of FILES) {
    let b: Uint8Array;
    try {
      b = await Deno.readFile(join(dir, f));
    } catch {
      throw new Error(`${name}: ${f} is missing`);
    }
    if ((await sha256Hex(b)) !== manifest[f]) {
      throw new Error(`${name}: ${f} fails its checksum (truncated or altered)`);
    }
    bytes[f] = b;
  }
  const state = JSON.parse(new TextDecoder().decode(bytes["state.json"]), decode) as StateFile;
  const bin = bytes["tensors.bin"]!;
  let off = 0;
  const tensors = state.tensors.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const slice = bin.slice(off, off + 4 * n);
    off += 4 * n;
    return { ...t, values: t.dtype === "int32" ? new Int32Array(slice.buffer) : new Float32Array(slice.buffer) };
  });
  if (off !== bin.length) throw new Error(`${name}: tensors.bin holds ${bin.length} bytes, the manifest ${off}`);
  const records = parseMetricsCsv(new TextDecoder().decode(bytes["records.csv"]), join(dir, "records.csv"));
  return { dir, loop: state.loop, records, tensors };
}

/**
 * The latest good checkpoint of a run, or undefined. A damaged one is
 * reported in one line through `log` and the one before it tried.
 */
export async function loadCheckpoint(runDir: string, log: (msg: string) => void): Promise<Checkpoint | undefined> {
  for (const dir of await checkpointDirs(runDir)) {
    try {
      return await readCheckpoint(dir);
    } catch (e) {
      log(`checkpoint ${e instanceof Error ? e.message : e}; falling back to the one before`);
    }
  }
  return undefined;
}

/**
 * Puts a checkpoint's tensors into a freshly built model and optimizer.
 * Throws (the caller then starts at step 0) when they do not fit the model:
 * another architecture, or a different number of variables.
 */
export async function restoreCheckpoint(c: Checkpoint, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<void> {
  const weights = c.tensors.filter((t) => t.group === "model");
  if (weights.length !== model.weights.length) {
    throw new Error(`checkpoint has ${weights.length} model tensors, the model ${model.weights.length}`);
  }
  model.weights.forEach((w, i) => {
    const t = weights[i];
    if (t.name !== w.originalName || t.shape.join("x") !== w.shape.join("x")) {
      throw new Error(`checkpoint tensor ${t.name} [${t.shape}] does not fit ${w.originalName} [${w.shape}]`);
    }
  });
  model.weights.forEach((w, i) => {
    const t = tf.tensor(weights[i].values, weights[i].shape, weights[i].dtype);
    w.write(t);
    t.dispose();
  });
  const opt = c.tensors.filter((t) => t.group === "optimizer");
  if (opt.length) {
    const named = opt.map((t) => ({ name: t.name, tensor: tf.tensor(t.values, t.shape, t.dtype) }));
    await optimizer.setWeights(named); // the optimizer copies them into variables of its own
    tf.dispose(named.map((n) => n.tensor));
  }
}

/** A run's checkpoints' total size in bytes (for the README's disk figures and `status`). */
export async function checkpointBytes(runDir: string): Promise<number> {
  let n = 0;
  for (const dir of await checkpointDirs(runDir)) {
    for await (const e of Deno.readDir(dir)) if (e.isFile) n += (await Deno.stat(join(dir, e.name))).size;
  }
  return n;
}
