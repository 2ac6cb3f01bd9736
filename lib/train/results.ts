/**
 * Run records on disk: `results/<experiment>/<run-id>/` holds `run.json`
 * (resolved config, status, backend and device, versions, data checksums,
 * wall time, summary), `metrics.csv` (long format:
 * `step,epoch,split,metric,layer,value`) and, when saved, the trained model.
 *
 * The run id is the variant, the seed and a short hash of the config
 * fields that differ from their defaults: the same config gets the same id,
 * so a completed run is reused and a sweep shards and merges by copying
 * directories, and adding a field with a default renames no run. What the
 * code means by a config is its recipe (`RECIPE_VERSION`, in every record):
 * a record of another recipe is stale and redone, never reused. Every file is written to
 * a temp file and renamed, so a crash never leaves half a file; a run killed
 * midway leaves a `running` record that the next invocation reports and
 * redoes.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { DEFAULT_CONFIG, IDENTITY_FIELDS, RECIPE_VERSION, STOP_FIELDS, type TrainConfig } from "./config.ts";
import { exists, writeFileAtomic } from "../_util.ts";

/** One measured value; `metrics.csv` holds one per row. */
export interface MetricRecord {
  /** Optimisation step (0-based count of steps done before this value; evaluations use the steps done). */
  step: number;
  /** Epoch (0-based). */
  epoch: number;
  /** `train`, `val` or `test`. */
  split: string;
  /** e.g. `loss`, `error`, `grad_norm`, `lr`, `images_per_sec`. */
  metric: string;
  /** Head or layer the value belongs to (`main`, `aux1`, a kernel name), or empty. */
  layer: string;
  /** The value. */
  value: number;
}

/** Status of a run. */
export type RunStatus = "running" | "complete" | "diverged" | "failed";

/** The contents of `run.json`. */
export interface RunRecord {
  /** Directory name: `<variant>-s<seed>-<hash>`. */
  id: string;
  experiment: string;
  variant: string;
  seed: number;
  /** Short SHA-256 of the config fields that differ from their defaults ({@link configHash}). */
  configHash: string;
  /** The code's recipe the run was trained under (`RECIPE_VERSION`; records before it existed are recipe 1). */
  recipe?: number;
  /** The resolved config. */
  config: TrainConfig;
  status: RunStatus;
  /** The error message of a failed run. */
  error?: string;
  /** Step at which a diverged run's loss became NaN or infinite. */
  divergedAt?: number;
  /** The backend that ran; `cpuModel`: the host CPU (low-order bits repeat per CPU type). */
  backend: { name: string; device: string; gpu: boolean; build?: string; cpuModel?: string };
  /** Library versions. */
  versions: Record<string, string>;
  /** Where the data came from and the SHA-256 of each file. */
  dataset: { dir: string; sha256: Record<string, string> };
  /** Parameter counts: trainable, all, and at inference (auxiliary heads removed). */
  params: { trainable: number; total: number; inference: number };
  startedAt: string;
  finishedAt?: string;
  wallSeconds?: number;
  /** How its training steps ran, plain and gradient-norm ones (`compiled: N ops in one function`, or `eager: <why>`); absent before 2026-12-02. */
  stepMode?: string;
  /** Process that wrote a `running` record, and its host. */
  pid: number;
  host?: string;
  /** The Slurm job (array job id and task) that ran it, when one did: `./deeper status` asks Slurm whether it lives. */
  slurm?: { jobId: string; arrayJobId?: string; arrayTaskId?: string };
  /** Final numbers (see train.ts). */
  summary: Record<string, number>;
  /** The latest checkpoint written (lib/train/checkpoint.ts): where an interrupted run resumes. */
  checkpoint?: { step: number; at: string };
  /** Each time the run was resumed from a checkpoint: the step, when, and by which host or Slurm job. */
  resumedFrom?: Array<{ step: number; at: string; host?: string; slurm?: RunRecord["slurm"] }>;
}

/**
 * The fields of a config that differ from their defaults, less the ones the
 * id names outright ({@link IDENTITY_FIELDS}) and where it stops
 * ({@link STOP_FIELDS}), keys sorted.
 */
export function designFields(cfg: TrainConfig, defaults: object = DEFAULT_CONFIG): Record<string, unknown> {
  const d = defaults as Record<string, unknown>;
  const named = new Set<string>([...IDENTITY_FIELDS, ...STOP_FIELDS]);
  return Object.fromEntries(
    Object.entries(cfg)
      .filter(([k, v]) => !named.has(k) && v !== d[k])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Short content hash of a config's {@link designFields} (field order does
 * not matter). `defaults` is for tests that add a field.
 */
export async function configHash(cfg: TrainConfig, defaults: object = DEFAULT_CONFIG): Promise<string> {
  const canonical = JSON.stringify(designFields(cfg, defaults));
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
  return Array.from(d.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The run's directory name. */
export async function runId(cfg: TrainConfig): Promise<string> {
  return `${cfg.variant}-s${cfg.seed}-${await configHash(cfg)}`;
}

/** Reads a run.json, or throws a one-line error naming the file. */
export async function readRun(dir: string): Promise<RunRecord> {
  const file = join(dir, "run.json");
  let r: RunRecord;
  try {
    r = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw new SyntaxError(`${file}: not a readable run record (${e instanceof Error ? e.message : e})`);
  }
  for (const k of ["id", "experiment", "variant", "status", "config", "summary"] as const) {
    if (r?.[k] === undefined) throw new SyntaxError(`${file}: run record lacks "${k}"`);
  }
  return r;
}

/** The recipe a record was trained under (records written before the field existed are recipe 1). */
export function recipeOf(r: RunRecord): number {
  return r.recipe ?? 1;
}

/** Writes run.json atomically. */
export async function writeRun(dir: string, r: RunRecord): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, "run.json"), JSON.stringify(r, null, 2) + "\n");
}

/** Formats records as `metrics.csv`. */
export function metricsCsv(rows: MetricRecord[]): string {
  const esc = (s: string) => /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  const lines = rows.map((r) => `${r.step},${r.epoch},${r.split},${r.metric},${esc(r.layer)},${r.value}`);
  return ["step,epoch,split,metric,layer,value", ...lines].join("\n") + "\n";
}

/** Parses `metrics.csv` back into records. */
export function parseMetricsCsv(text: string, file = "metrics.csv"): MetricRecord[] {
  const lines = text.trimEnd().split("\n");
  if (lines[0] !== "step,epoch,split,metric,layer,value") {
    throw new SyntaxError(`${file}: unexpected header "${lines[0]}"`);
  }
  return lines.slice(1).map((l, i) => {
    const m = l.match(/^(-?\d+),(-?\d+),([^,]*),([^,]*),("(?:[^"]|"")*"|[^,]*),(.*)$/);
    if (!m) throw new SyntaxError(`${file}: line ${i + 2} is malformed`);
    const layer = m[5].startsWith('"') ? m[5].slice(1, -1).replaceAll('""', '"') : m[5];
    return { step: +m[1], epoch: +m[2], split: m[3], metric: m[4], layer, value: Number(m[6]) };
  });
}

/** Writes metrics.csv atomically. */
export async function writeMetrics(dir: string, rows: MetricRecord[]): Promise<void> {
  await writeFileAtomic(join(dir, "metrics.csv"), metricsCsv(rows));
}

/**
 * Whether a complete run stopped before the step a call wants (`stopStep`, 0:
 * the whole schedule): a quick run asked for at full is continued, a full
 * run asked for at quick is reused (its records hold the quick measures).
 */
export function stoppedShort(r: RunRecord, stopStep: number): boolean {
  const stoppedAt = r.config.stopStep ?? 0;
  if (stoppedAt === 0) return false;
  return stopStep === 0 || stopStep > (r.summary.steps ?? stoppedAt);
}

/**
 * What to do with a run directory: reuse a finished run, continue one that
 * stopped short of `want.stopStep`, or (re)run it and why.
 */
export async function planRun(
  dir: string,
  force: boolean,
  want?: Pick<TrainConfig, "stopStep">,
): Promise<{ action: "reuse"; record: RunRecord } | { action: "run"; why: string }> {
  if (!exists(join(dir, "run.json"))) return { action: "run", why: "new" };
  let r: RunRecord;
  try {
    r = await readRun(dir);
  } catch (e) {
    return { action: "run", why: `${e instanceof Error ? e.message : e}; redoing` };
  }
  if (force) return { action: "run", why: "--force" };
  if (recipeOf(r) !== RECIPE_VERSION) {
    return {
      action: "run",
      why: `stale: trained under recipe ${recipeOf(r)}, the code's is ${RECIPE_VERSION}; redoing`,
    };
  }
  if (r.status === "complete" && want && stoppedShort(r, want.stopStep)) {
    return { action: "run", why: `continuing: the stored run stopped at step ${r.summary.steps}` };
  }
  if (r.status === "complete" || r.status === "diverged") {
    if (exists(join(dir, "metrics.csv"))) return { action: "reuse", record: r };
    return { action: "run", why: "metrics.csv missing; redoing" };
  }
  if (r.status === "running") {
    return { action: "run", why: `left 'running' by process ${r.pid} (interrupted at ${r.startedAt}); redoing` };
  }
  return { action: "run", why: `previous attempt failed (${r.error}); redoing` };
}

/** Every readable run under an experiment directory; unreadable ones are reported, not fatal. */
export async function listRuns(expDir: string, warn: (msg: string) => void = console.warn): Promise<RunRecord[]> {
  const out: RunRecord[] = [];
  if (!exists(expDir)) return out;
  for await (const e of Deno.readDir(expDir)) {
    if (!e.isDirectory || !exists(join(expDir, e.name, "run.json"))) continue;
    try {
      out.push(await readRun(join(expDir, e.name)));
    } catch (err) {
      warn(`skipping ${err instanceof Error ? err.message : err}`);
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Saves a model's topology and weights (TF.js format: model.json + weights.bin) atomically. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(tf.io.withSaveHandler(async (a) => {
    const weights = new Uint8Array(a.weightData as ArrayBuffer);
    await writeFileAtomic(join(dir, "weights.bin"), weights);
    const json = {
      modelTopology: a.modelTopology,
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
    };
    await writeFileAtomic(join(dir, "model.json"), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
}

/** Loads a model saved by {@link saveModel}. The custom layers must be registered (import lib/models/layers.ts). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await Deno.readTextFile(join(dir, "model.json")));
  const weights = await Deno.readFile(join(dir, "weights.bin"));
  return await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
  }));
}
