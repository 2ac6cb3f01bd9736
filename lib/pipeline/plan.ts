/**
 * What a scale costs and what it can decide, before anything trains: the
 * runs it implies (variants x seeds x images x epochs), an estimate of the
 * wall time from the measured training speed of each net (a `bench.json`
 * of `./deeper bench`), and which claims its budget decides (early ones) or
 * leaves not-run (converged ones at a short budget).
 *
 * ```ts
 * const p = planExperiment(depthAuxResidual, "full", benchRows);
 * console.log(formatPlan([p], "full"));
 * ```
 * @module
 */
import { expandRuns, type Experiment, type Scale, type ScaleSpec } from "./experiment.ts";
import type { TrainConfig } from "../train/config.ts";
import { MIN_SEEDS } from "../ledger/claims.ts";
import { netFamily, netOptions } from "../models/nets.ts";
import { join } from "node:path";
import { exists, formatDuration, ROOT } from "../_util.ts";

/** The part of a bench row a plan reads. */
export interface SpeedRow {
  net: string;
  backend: string;
  device: string;
  batch: number;
  imagesPerSec: { median: number };
}

/** The plan of one experiment at one scale. */
export interface ExperimentPlan {
  experiment: string;
  runs: number;
  variants: number;
  seeds: number;
  /** Runs of the extra early-claim seeds (`ScaleSpec.earlySeeds`), beyond variants x seeds. */
  earlyRuns: number;
  /** Training images per run and epochs (0 images: the whole 55,000). */
  images: number;
  epochs: number;
  /** Fewest and most steps a run trains (a prefix scale stops each variant where its claims stop reading). */
  steps: [number, number];
  /** Steps of the whole schedule. */
  totalSteps: number;
  /** Estimated wall seconds of all runs on the measured device (NaN when a net has no measurement). */
  seconds: number;
  /** The device the estimate is for. */
  device: string;
  /** Claims this scale decides, and those it leaves not-run. */
  decides: string[];
  /** Nets without a bench row of their own, and what their estimate stands on (one line each). */
  standIns: string[];
  notRun: string[];
}

/**
 * The share of the bench's rate that a run's training steps reach (real
 * batches, warm-up, the loss read at logging steps): measured 0.88-1.04 in
 * `./deeper bench`'s short real runs on 2 cores (2026-11-23).
 */
export const STEP_EFFICIENCY = 0.95;

/**
 * How much faster an evaluation pass (inference mode, forward only, batches
 * of 500) goes through images than training does: measured 3.8x (Inception
 * net + aux head) to 5.5x (residual-56) on 2 cores (2026-11-23).
 */
export const EVAL_SPEEDUP = 4;

/** A run's own set-up (model build, data split), seconds: measured under half a second; rounded up. */
export const SETUP_SECONDS = 1;

/** The bench net whose measured speed is a config's net's (lib/models/nets.ts `benchNetOf`). */
export function benchNetOf(cfg: TrainConfig): string {
  return netFamily(cfg.model).benchNetOf(netOptions(cfg));
}

/**
 * The measured rate of a config's net: its own bench row, or its family's
 * stand-in's scaled rate (with the reason), or undefined when neither was measured.
 */
export function speedOf(
  cfg: TrainConfig,
  speeds: SpeedRow[],
): { imagesPerSec: number; standIn?: string } | undefined {
  const own = speeds.find((r) => r.net === benchNetOf(cfg));
  if (own) return { imagesPerSec: own.imagesPerSec.median };
  const s = netFamily(cfg.model).standIn?.(netOptions(cfg));
  const row = s && speeds.find((r) => r.net === s.net);
  return row ? { imagesPerSec: row.imagesPerSec.median * s!.factor, standIn: s!.why } : undefined;
}

/**
 * Images a run evaluates in inference mode: per epoch the training subset
 * (`trainEvalSize`, 0: all) and the validation set, and the test set once.
 */
export function evaluatedImages(cfg: TrainConfig): number {
  const trainImages = cfg.trainSize || 55000;
  const { steps, total, perEpoch } = stepsOf(cfg);
  const epochsDone = Math.floor(steps / perEpoch);
  const measures = cfg.measureSteps.split(",").filter((x) => x.trim() && Number(x) <= steps).length;
  // Each evaluation recomputes batch norm's statistics over 512 training images first (lib/train/precise_bn.ts).
  const perEval = Math.min(cfg.trainEvalSize || trainImages, trainImages) + cfg.valSize + 512;
  return (epochsDone + measures) * perEval + (steps === total ? Math.min(cfg.testSize, 10000) : 0);
}

/** Steps a run trains (its stop, or the whole schedule), the schedule's total, and steps per epoch. */
export function stepsOf(cfg: TrainConfig): { steps: number; total: number; perEpoch: number } {
  const perEpoch = Math.max(1, Math.floor((cfg.trainSize || 55000) / cfg.batchSize));
  const total = perEpoch * cfg.epochs;
  return { steps: cfg.stopStep > 0 ? Math.min(cfg.stopStep, total) : total, total, perEpoch };
}

/**
 * Estimated wall seconds of one run: the training images at the bench's
 * rate times {@link STEP_EFFICIENCY}, plus the evaluations (per epoch: the
 * training subset and the validation set; at the end: the test set) at
 * {@link EVAL_SPEEDUP} times the eager step's rate (`evalImagesPerSec`: an
 * evaluation is eager forward passes, whatever the steps are), plus the main
 * head's extra gradient pass at the gradient-logging steps of nets with
 * auxiliary heads, plus {@link SETUP_SECONDS}.
 */
export function estimateRunSeconds(
  cfg: TrainConfig,
  benchImagesPerSec: number,
  evalImagesPerSec = benchImagesPerSec,
): number {
  const imagesPerSec = benchImagesPerSec * STEP_EFFICIENCY;
  const { steps } = stepsOf(cfg);
  const train = steps * cfg.batchSize;
  const evalImages = evaluatedImages(cfg);
  const logged = cfg.gradNormEvery > 0 ? Math.min(steps, cfg.gradNormFirstSteps + steps / cfg.gradNormEvery) : 0;
  const extra = cfg.aux ? logged * cfg.batchSize / imagesPerSec : 0;
  return train / imagesPerSec + evalImages / (EVAL_SPEEDUP * evalImagesPerSec * STEP_EFFICIENCY) + extra +
    SETUP_SECONDS;
}

/** The name `./deeper bench` gives the rows of a backend's compiled step ("tensorflow compiled"). */
export function compiledBackend(backend: string): string {
  return `${backend} compiled`;
}

/** The batch-128 rows of `backend` (eager and compiled steps) on `device` (default: any). */
export function rowsOf(rows: SpeedRow[], backend: string, device?: string): SpeedRow[] {
  return rows.filter((r) =>
    (r.backend === backend || r.backend === compiledBackend(backend)) && r.batch === 128 &&
    (device === undefined || r.device === device)
  );
}

/**
 * Estimated seconds of one run from rows of one backend and device: its
 * steps at the compiled step's rate where the config compiles them and the
 * bench measured one, else at the eager step's; its evaluations at the
 * eager step's. Undefined rate: no row for the net or a stand-in.
 */
export function runSeconds(
  cfg: TrainConfig,
  speeds: SpeedRow[],
): { seconds: number; standIn?: string; compiled: boolean } | undefined {
  const eagerRows = speeds.filter((r) => !r.backend.endsWith(compiledBackend("")));
  const eager = speedOf(cfg, eagerRows);
  const compiled = cfg.step === "compiled"
    ? speedOf(cfg, speeds.filter((r) => r.backend.endsWith(compiledBackend(""))))
    : undefined;
  const step = compiled ?? eager;
  if (!step) return undefined;
  return {
    seconds: estimateRunSeconds(cfg, step.imagesPerSec, (eager ?? step).imagesPerSec),
    standIn: step.standIn,
    compiled: !!compiled,
  };
}

/**
 * Plans one experiment at a scale from measured speeds: rows of one backend
 * and device, eager and compiled steps ({@link rowsOf}).
 */
export function planExperiment(exp: Experiment, scale: Scale, speeds: SpeedRow[]): ExperimentPlan {
  const configs = expandRuns(exp, scale);
  const spec = exp.scales[scale];
  let seconds = 0;
  let compiled = false;
  const standIns = new Set<string>();
  for (const cfg of configs) {
    const speed = runSeconds(cfg, speeds);
    seconds += speed ? speed.seconds : NaN;
    compiled ||= !!speed?.compiled;
    if (speed?.standIn) standIns.add(`${cfg.variant}: ${speed.standIn}`);
    if (!speed) standIns.add(`${cfg.variant}: no bench row for ${benchNetOf(cfg)} (\`./deeper bench --nets ...\`)`);
  }
  const eagerRow = speeds.find((r) => !r.backend.endsWith(compiledBackend("")));
  const training = exp.claims.filter((c) => c.regime);
  return {
    experiment: exp.name,
    runs: configs.length,
    variants: new Set(configs.map((c) => c.variant)).size,
    seeds: spec.seeds.length,
    earlyRuns: configs.filter((c) => !spec.seeds.includes(c.seed)).length,
    images: configs[0]?.trainSize ?? 0,
    epochs: configs[0]?.epochs ?? 0,
    steps: configs.length
      ? [Math.min(...configs.map((c) => stepsOf(c).steps)), Math.max(...configs.map((c) => stepsOf(c).steps))]
      : [0, 0],
    totalSteps: configs[0] ? stepsOf(configs[0]).total : 0,
    seconds,
    device: eagerRow
      ? `${eagerRow.backend} on ${eagerRow.device}, ${compiled ? "compiled" : "eager"} steps as measured`
      : "no measurement",
    decides: training.filter((c) => spec.regimes.includes(c.regime!)).map((c) => c.id),
    notRun: training.filter((c) => !spec.regimes.includes(c.regime!)).map((c) => c.id),
    standIns: [...standIns],
  };
}

/** The plans as a Markdown table and a total line. */
export function formatPlan(plans: ExperimentPlan[], scale: Scale): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const lines = [
    `| experiment | runs (variants x seeds) | images x epochs of the schedule | steps trained per run | estimated time | decides | not-run at ${scale} |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...plans.map((p) =>
      `| ${p.experiment} | ${p.runs} (${p.variants} x ${p.seeds}${
        p.earlyRuns ? ` + ${p.earlyRuns} early-claim runs` : ""
      }) | ${p.runs ? `${p.images ? p.images.toLocaleString("en-US") : "55,000"} x ${p.epochs}` : "-"} | ${
        p.runs
          ? `${p.steps[0] === p.steps[1] ? n(p.steps[0]) : `${n(p.steps[0])}-${n(p.steps[1])}`} of ${
            p.totalSteps.toLocaleString("en-US")
          }`
          : "-"
      } | ${p.runs ? formatDuration(p.seconds) : "-"} | ${p.decides.join(", ") || "-"} | ${
        p.notRun.join(", ") || "-"
      } |`
    ),
  ];
  const total = plans.reduce((s, p) => s + (p.runs ? p.seconds : 0), 0);
  const runs = plans.reduce((s, p) => s + p.runs, 0);
  const standIns = plans.flatMap((p) => p.standIns.map((s) => `- ${p.experiment} ${s}`));
  return `${lines.join("\n")}\n\nScale ${scale}: ${runs} runs, about ${formatDuration(total)} of training on ${
    plans.find((p) => p.runs)?.device ?? "no measured device"
  } (plus the analyses and notebooks).${
    standIns.length ? `\n\nNets without a bench row of their own:\n${standIns.join("\n")}` : ""
  }`;
}

/**
 * The data a scale of an experiment uses, in words for a notebook's Data
 * section: generated from the experiment's own configs, so it cannot go stale.
 */
export function dataNote(exp: Experiment, scale: Scale, data: { train: { n: number }; test: { n: number } }): string {
  const cfg = expandRuns(exp, scale)[0];
  if (!cfg) return "This scale trains nothing.";
  const n = (x: number) => x.toLocaleString("en-US");
  const val = Math.min(cfg.valSize, data.train.n);
  const train = cfg.trainSize ? Math.min(cfg.trainSize, data.train.n - val) : data.train.n - val;
  const test = cfg.testSize ? Math.min(cfg.testSize, data.test.n) : data.test.n;
  const stops = [...new Set(expandRuns(exp, scale).map((c) => stepsOf(c).steps))].sort((a, b) => a - b);
  const { total } = stepsOf(cfg);
  const trained = stops.length === 1 && stops[0] === total
    ? `trains on ${n(train)} of the rest for ${cfg.epochs} epoch(s) in batches of ${cfg.batchSize}`
    : `trains the first ${stops.map(n).join(" or ")} steps (batches of ${cfg.batchSize}) of a ${
      n(total)
    }-step schedule over ${n(train)} of the rest for ${cfg.epochs} epochs (the full scale's: the same runs, continued)`;
  return `Of the ${n(data.train.n)} training images, a seeded split (the same for every variant and seed) holds out ` +
    `${n(val)} for validation; \`${scale}\` ${trained}, and tests on ${n(test)} of the ${
      n(data.test.n)
    } test images at the end of the schedule.`;
}

/** The extra early-claim seeds of a scale, in words (empty when it has none). */
function earlyWords(spec: ScaleSpec): string {
  const e = spec.earlySeeds;
  if (!e) return "";
  const [a, b] = [e.seeds[0], e.seeds.at(-1)];
  return `, and ${e.seeds.length} more (${a} to ${b}) for ${e.variants.join(", ")}, which only early claims read, ` +
    `each stopped where its claims read it at every scale`;
}

/**
 * What a scale of an experiment trains and can decide, in words for a
 * notebook: generated from the experiment's own scale spec and claims, so it
 * cannot go stale when a budget changes.
 */
export function scaleNote(exp: Experiment, scale: Scale): string {
  const spec = exp.scales[scale];
  const o = spec.prefixOfFull ? exp.scales.full.overrides : spec.overrides;
  const runs = expandRuns(exp, scale);
  const variants = [...new Set(runs.map((c) => c.variant))];
  const images = (runs[0]?.trainSize ?? o.trainSize)
    ? (runs[0]?.trainSize ?? o.trainSize)!.toLocaleString("en-US")
    : "all 55,000";
  const training = exp.claims.filter((c) => c.regime);
  const decided = training.filter((c) => spec.regimes.includes(c.regime!)).map((c) => c.id);
  const notRun = training.filter((c) => !spec.regimes.includes(c.regime!)).map((c) => c.id);
  const stops = variants.map((v) => `${v} ${stepsOf(runs.find((c) => c.variant === v)!).steps}`);
  const lines = [
    spec.prefixOfFull
      ? (variants.length
        ? `At \`${scale}\` the runs are the first steps of \`full\`'s (the same schedule over ${images} images for ${
          o.epochs ?? "the default"
        } epochs, the same run ids), each variant stopped after the last step its early claims read: ${
          stops.join(", ")
        }; ${spec.seeds.length} seed(s) (${spec.seeds.join(", ")})${
          earlyWords(spec)
        }. A later \`full\` call continues them.`
        : `At \`${scale}\` no run trains: no early claim reads a variant of this experiment.`)
      : `At \`${scale}\` each of the ${variants.length} variants trains on ${images} images for ${
        o.epochs ?? "the default"
      } epoch(s), with ${spec.seeds.length} seed(s) (${spec.seeds.join(", ")})${earlyWords(spec)}.`,
    decided.length
      ? `It can decide the early-training claims (${decided.join(", ")})${
        spec.seeds.length < MIN_SEEDS
          ? `, but with fewer than ${MIN_SEEDS} seeds per arm every one of them stays inconclusive`
          : ""
      }.`
      : "It decides no training claim.",
  ];
  if (notRun.length) {
    lines.push(
      `The claims about trained nets (${
        notRun.join(", ")
      }) are not-run at this scale: its nets are far from trained. ` +
        `The \`full\` scale runs them (${exp.scales.full.seeds.length} seeds).`,
    );
  }
  return lines.join(" ");
}

/**
 * The measured speeds: the user's own bench if there is one, each net the
 * user's bench left out taken from the committed reference's (a `bench
 * --nets plain20` still plans every experiment).
 */
export async function loadSpeeds(file = ""): Promise<{ rows: SpeedRow[]; file: string }> {
  const reference = join(ROOT, "results", "reference", "quick", "bench.json");
  const candidates = file ? [file] : [join(ROOT, "results", "bench", "bench.json"), reference];
  const found = candidates.find(exists);
  if (!found) throw new RangeError(`plan: no bench.json at ${candidates.join(" or ")}; run ./deeper bench first`);
  const rows = JSON.parse(await Deno.readTextFile(found)) as SpeedRow[];
  if (file || found === reference || !exists(reference)) return { rows, file: found };
  const key = (r: SpeedRow) => `${r.net}|${r.backend}|${r.device}|${r.batch}`;
  const have = new Set(rows.map(key));
  const devices = new Set(rows.map((r) => r.device));
  const filled = (JSON.parse(await Deno.readTextFile(reference)) as SpeedRow[]).filter((r) =>
    devices.has(r.device) && !have.has(key(r))
  );
  return {
    rows: [...rows, ...filled],
    file: filled.length ? `${found}, with ${new Set(filled.map((r) => r.net)).size} nets from ${reference}` : found,
  };
}

/**
 * Each planned run's estimated seconds on `backend` at batch 128 (NaN where
 * no speed was measured), in plan order: what the progress line's time to
 * go starts from. Undefined when no bench.json can be read.
 */
export async function runEstimates(configs: TrainConfig[], backend: string): Promise<number[] | undefined> {
  const speeds = await loadSpeeds().catch(() => undefined);
  if (!speeds) return undefined;
  const rows = rowsOf(speeds.rows, backend);
  const device = rows.find((r) => r.backend === backend)?.device;
  return configs.map((cfg) => runSeconds(cfg, rowsOf(rows, backend, device))?.seconds ?? NaN);
}
