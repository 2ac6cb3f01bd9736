/**
 * Runs one configured training run end to end, or reuses it: plan (reuse a
 * finished run, redo an interrupted or failed one), record `running`, build
 * the model, train, then write `metrics.csv`, the model and the final
 * `run.json`. A run that throws leaves a `failed` record with its error.
 *
 * ```ts
 * const record = await runOne(resolveConfig({ experiment: "x", epochs: 1 }), ctx);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import type { BackendInfo } from "../env/backend.ts";
import { RECIPE_VERSION, type TrainConfig } from "./config.ts";
import { type RawSplit, splitFashionMnist } from "../data/fashion_mnist.ts";
import { inferenceModel } from "../models/cifar_net.ts";
import { netFamily, netOptions } from "../models/nets.ts";
import {
  type MetricRecord,
  parseMetricsCsv,
  planRun,
  readRun,
  runId,
  type RunRecord,
  saveModel,
  writeMetrics,
  writeRun,
} from "./results.ts";
import {
  type Checkpoint,
  dropCheckpointsAfter,
  loadCheckpoint,
  type LoopState,
  pruneCheckpoints,
  saveCheckpoint,
} from "./checkpoint.ts";
import { claimRun, describeHolder, type LockHolder, type RunLock } from "./run_lock.ts";
import { countWeights } from "../models/accounting.ts";
import { RunStopped, type StepProgress, train } from "./train.ts";

/** What the runs of an invocation work with: the data, the backend, where results go. */
export interface RunResources {
  /** The data: Fashion-MNIST (or, in unit tests only, the synthetic set). */
  data: { train: RawSplit; test: RawSplit; dir: string; sha256: Record<string, string> };
  /** The backend in use. */
  backend: BackendInfo;
  /** Results root, e.g. `results/`. */
  outRoot: string;
}

/** How the runs of an invocation are done. */
export interface RunOptions {
  /** Recompute even when a finished run exists (default false). */
  force?: boolean;
  /** Save the trained model beside the record (default true). */
  saveModel?: boolean;
  /** Seconds of training between checkpoints within an epoch (default 600; 0: at every logging step). */
  checkpointSeconds?: number;
  /** Asked after every step: true checkpoints the run under way and stops (a scheduler's signal). */
  shouldStop?: () => boolean;
  /** How often {@link runAll} looks again at runs another process is training (default 2,000 ms). */
  busyWaitMs?: number;
}

/**
 * Who is told what happens (a progress line, live charts, a test): every
 * field optional. Displays implement it; training never draws anything.
 */
export interface RunObserver {
  /** Progress messages (default: stderr). */
  log?: (msg: string) => void;
  /** Told when each run of {@link runAll} is reused, starts and ends. */
  onRun?: (e: RunEvent) => void;
  /** Told every `logEvery` steps of a training run. */
  onProgress?: (p: StepProgress) => void;
  /**
   * Also receives every record of a run as it is made, and a reused run's
   * stored records, replayed (e.g. a notebook's live charts start from them).
   */
  onRecord?: (cfg: TrainConfig) => ((r: MetricRecord) => void) | undefined;
  /** Told what a pipeline step is doing between runs (an analysis, judging, charts). */
  onStage?: (stage: string) => void;
}

/** What every run of an invocation shares: resources, options and one observer. */
export interface RunContext extends RunResources, RunOptions {
  observer?: RunObserver;
}

/** One run's state change within {@link runAll}: `index` (0-based) of `total` runs. */
export interface RunEvent {
  index: number;
  total: number;
  config: TrainConfig;
  state: "reused" | "training" | "complete" | "diverged" | "failed";
  /** The record once the run is reused or ended (a failed run's error is `record.error` or `error`). */
  record?: RunRecord;
  error?: string;
}

/** Builds the model a config names, through the table of nets (lib/models/nets.ts). */
export function buildModel(cfg: TrainConfig): tf.LayersModel {
  return netFamily(cfg.model).build(netOptions(cfg), cfg.seed);
}

/** Trainable, total and inference-time parameter counts. */
export function paramCounts(model: tf.LayersModel): RunRecord["params"] {
  const inf = model.outputNames.length > 1 ? inferenceModel(model) : model;
  return {
    trainable: countWeights(model.trainableWeights),
    total: countWeights(model.weights),
    inference: countWeights(inf.weights),
  };
}

/**
 * The train, validation and test subsets a config trains and evaluates on.
 * Everything that re-evaluates a run's model (a lesion study) uses this, so
 * it standardises exactly as the run did; `testSize` may shrink the test set.
 */
export function splitFor(data: RunResources["data"], cfg: TrainConfig, opts: { testSize?: number } = {}) {
  return splitFashionMnist(data, {
    valSize: cfg.valSize,
    seed: cfg.splitSeed,
    trainSize: cfg.trainSize || undefined,
    testSize: opts.testSize ?? cfg.testSize,
  });
}

/** The run directory of a config. */
export async function runDir(cfg: TrainConfig, outRoot: string): Promise<string> {
  return join(outRoot, cfg.experiment, await runId(cfg));
}

/** The Slurm job this process runs in (from the environment Slurm sets), or undefined. */
export function slurmJob(env = Deno.env.toObject()): RunRecord["slurm"] {
  if (!env.SLURM_JOB_ID) return undefined;
  return { jobId: env.SLURM_JOB_ID, arrayJobId: env.SLURM_ARRAY_JOB_ID, arrayTaskId: env.SLURM_ARRAY_TASK_ID };
}

/** Another process is training this run (see lib/train/run_lock.ts); {@link runAll} waits for it. */
export class RunBusy extends Error {
  constructor(readonly holder: LockHolder, id: string) {
    super(`${id} is being trained by ${describeHolder(holder)}`);
    this.name = "RunBusy";
  }
}

/**
 * Runs (or reuses) one run; see the module docs. Throws after recording a
 * failure, {@link RunBusy} when another live process holds the run, and
 * {@link RunStopped} after a checkpoint when `shouldStop` asked to stop.
 */
export async function runOne(
  cfg: TrainConfig,
  ctx: RunContext,
  opts: { onTraining?: () => void } = {},
): Promise<RunRecord> {
  const obs = ctx.observer ?? {};
  const log = obs.log ?? ((m: string) => console.error(m));
  const id = await runId(cfg);
  const dir = join(ctx.outRoot, cfg.experiment, id);
  const first = await planRun(dir, ctx.force ?? false, cfg);
  if (first.action === "reuse") return reuse(cfg, dir, first.record, ctx);
  const lock = await claimRun(dir);
  if ("busy" in lock) throw new RunBusy(lock.busy, `${cfg.experiment}/${id}`);
  let model: tf.LayersModel | undefined;
  try {
    // Planned again under the claim: another process may have finished the run meanwhile.
    const plan = await planRun(dir, ctx.force ?? false, cfg);
    if (plan.action === "reuse") return await reuse(cfg, dir, plan.record, ctx);
    const previous = await readRun(dir).catch(() => undefined);
    const stale = plan.why.startsWith("stale") || plan.why === "--force";
    if (stale) await Deno.remove(join(dir, "checkpoints"), { recursive: true }).catch(() => {});
    const resume = stale ? undefined : await loadCheckpoint(dir, (m) => log(`  ${cfg.experiment}/${id}: ${m}`));
    // Checkpoints past the resume point (damaged ones passed over) would outrank the new ones the run writes.
    await dropCheckpointsAfter(dir, resume?.loop.step ?? -1);
    if (plan.why !== "new") {
      log(
        `  ${cfg.experiment}/${id}: ${plan.why.replace(/; redoing$/, "")}; ${
          resume ? `resuming from step ${resume.loop.step} (its checkpoint)` : "training from step 0"
        }`,
      );
    }
    opts.onTraining?.();
    const built = performance.now();
    model = buildModel(cfg);
    const buildSeconds = (performance.now() - built) / 1000;
    const record: RunRecord = {
      id,
      experiment: cfg.experiment,
      variant: cfg.variant,
      seed: cfg.seed,
      configHash: id.slice(id.lastIndexOf("-") + 1),
      recipe: RECIPE_VERSION,
      config: cfg,
      status: "running",
      backend: {
        name: ctx.backend.name,
        device: ctx.backend.device,
        gpu: ctx.backend.gpu,
        build: ctx.backend.build,
        cpuModel: ctx.backend.cpuModel,
      },
      versions: ctx.backend.versions,
      dataset: { dir: ctx.data.dir, sha256: ctx.data.sha256 },
      params: paramCounts(model),
      startedAt: new Date().toISOString(),
      pid: Deno.pid,
      host: Deno.hostname(),
      slurm: slurmJob(),
      summary: {},
      ...(resume
        ? {
          resumedFrom: [
            ...(previous?.resumedFrom ?? []),
            { step: resume.loop.step, at: new Date().toISOString(), host: Deno.hostname(), slurm: slurmJob() },
          ],
          checkpoint: previous?.checkpoint,
        }
        : {}),
    };
    await writeRun(dir, record);
    return await trainRecorded(cfg, ctx, { dir, model, record, resume, buildSeconds, lock });
  } finally {
    model?.dispose();
    await lock.release();
  }
}

/** A finished run, reused: said in the log, and its records replayed to an observer that wants them. */
async function reuse(cfg: TrainConfig, dir: string, record: RunRecord, ctx: RunContext): Promise<RunRecord> {
  const obs = ctx.observer ?? {};
  (obs.log ?? ((m: string) => console.error(m)))(`  ${cfg.experiment}/${record.id}: reusing the ${record.status} run`);
  const replay = obs.onRecord?.(cfg);
  if (replay) {
    const file = join(dir, "metrics.csv");
    for (const r of parseMetricsCsv(await Deno.readTextFile(file), file)) replay(r);
  }
  return record;
}

/** Trains a claimed run from step 0 or its checkpoint, checkpointing on the way; writes its files and record. */
async function trainRecorded(
  cfg: TrainConfig,
  ctx: RunContext,
  r: {
    dir: string;
    model: tf.LayersModel;
    record: RunRecord;
    resume?: Checkpoint;
    buildSeconds: number;
    lock: RunLock;
  },
): Promise<RunRecord> {
  const { dir, model, record } = r;
  const obs = ctx.observer ?? {};
  const log = obs.log ?? ((m: string) => console.error(m));
  const name = `${cfg.experiment}/${record.id}`;
  const started = performance.now();
  const rows: MetricRecord[] = [];
  try {
    const split = splitFor(ctx.data, cfg);
    log(`  ${name}: training (${record.params.trainable} parameters)`);
    const extra = obs.onRecord?.(cfg);
    const sink = (row: MetricRecord) => {
      rows.push(row);
      extra?.(row);
    };
    const checkpoint = async (c: { loop: LoopState; model: tf.LayersModel; optimizer: tf.Optimizer }) => {
      await saveCheckpoint(dir, { ...c, records: rows });
      record.checkpoint = { step: c.loop.step, at: new Date().toISOString() };
      await writeRun(dir, record);
      await r.lock.refresh();
    };
    const res = await train(model, split, cfg, {
      sink,
      onProgress: obs.onProgress,
      resume: r.resume,
      checkpoint,
      checkpointSeconds: ctx.checkpointSeconds,
      shouldStop: ctx.shouldStop,
    });
    await writeMetrics(dir, rows);
    if (ctx.saveModel ?? true) await saveModel(model, dir);
    // A finished run keeps its last checkpoint only: a longer run of the same recipe can continue from it.
    await pruneCheckpoints(dir, 1);
    Object.assign(record, {
      status: res.status,
      divergedAt: res.divergedAt,
      summary: { ...res.summary, time_build_s: r.buildSeconds },
      stepMode: res.stepMode,
      finishedAt: new Date().toISOString(),
      wallSeconds: (performance.now() - started) / 1000,
    });
    await writeRun(dir, record);
    const err = res.summary.test_error_main;
    log(
      `  ${name}: ${res.status}${err !== undefined ? `, test error ${(100 * err).toFixed(2)}%` : ""}${
        res.divergedAt !== undefined ? ` (loss not finite at step ${res.divergedAt})` : ""
      } in ${record.wallSeconds!.toFixed(0)} s`,
    );
    return record;
  } catch (e) {
    if (e instanceof RunStopped) {
      // Not a failure: the record stays `running` with its checkpoint, and the next call resumes it.
      log(`  ${name}: ${e.message}`);
      throw e;
    }
    record.status = "failed";
    record.error = e instanceof Error ? e.message : String(e);
    record.finishedAt = new Date().toISOString();
    await writeRun(dir, record);
    throw e;
  }
}

/**
 * Runs (or reuses) every run of a list, going on after a failure. A run
 * another live process is training is left to it and waited for at the
 * end (then reused, or taken over if its holder died). A stop request ends
 * the list after the current run's checkpoint: `stopped` is then true.
 */
export async function runAll(
  configs: TrainConfig[],
  ctx: RunContext,
): Promise<{ records: RunRecord[]; failures: string[]; stopped: boolean }> {
  const log = ctx.observer?.log ?? ((m: string) => console.error(m));
  const records: RunRecord[] = [];
  const failures: string[] = [];
  let pending = [...configs.entries()];
  for (let round = 0; pending.length; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, ctx.busyWaitMs ?? 2000));
    const busy: typeof pending = [];
    for (const [index, config] of pending) {
      const tell = (e: Omit<RunEvent, "index" | "total" | "config">) =>
        ctx.observer?.onRun?.({ index, total: configs.length, config, ...e });
      if (round === 0) {
        log(`[${index + 1}/${configs.length}] ${config.experiment} ${config.variant} seed ${config.seed}`);
      }
      let trained = false;
      try {
        const record = await runOne(config, ctx, { onTraining: () => (trained = true, tell({ state: "training" })) });
        records.push(record);
        tell({ state: trained ? record.status as RunEvent["state"] : "reused", record });
      } catch (e) {
        if (e instanceof RunBusy) {
          if (round === 0) log(`  ${e.message}: leaving it to that process and waiting for it at the end`);
          busy.push([index, config]);
          continue;
        }
        if (e instanceof RunStopped) return { records, failures, stopped: true };
        const error = e instanceof Error ? e.message : String(e);
        const msg = `${config.experiment} ${config.variant} seed ${config.seed}: ${error}`;
        log(`  failed: ${msg}`);
        failures.push(msg);
        tell({ state: "failed", error });
      }
      if (ctx.shouldStop?.()) return { records, failures, stopped: true };
    }
    pending = busy;
  }
  return { records, failures, stopped: false };
}
