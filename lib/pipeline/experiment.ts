/**
 * What an experiment definition holds, and how it expands into runs. An
 * experiment file (experiments/*.ts) lists its variants (each a set of
 * config overrides differing in the thing under study), its scales (budget
 * only: images, epochs, seeds), its analyses of the stored runs, its claims
 * and its charts. lib/pipeline/pipeline.ts takes it from plan to ledger.
 *
 * ```ts
 * const configs = expandRuns(depthAuxResidual, "smoke");
 * ```
 * @module
 */
import { resolveConfig, type TrainConfig } from "../train/config.ts";
import type { Claim, Regime } from "../ledger/claims.ts";
import type { Evidence } from "../ledger/evidence.ts";
import type { RunRecord } from "../train/results.ts";
import type { BackendInfo } from "../env/backend.ts";
import type { RunResources } from "../train/runner.ts";

/** A Vega-Lite spec, as an experiment's charts give it (lib/display renders it). */
export type Spec = Record<string, unknown>;

/** Whether a spec has rows to draw, or takes its data elsewhere (a chart of an empty list is never rendered). */
export function hasData(spec: Spec): boolean {
  const values = (spec as { data?: { values?: unknown[] } }).data?.values;
  return !values || values.length > 0;
}

/** Budgets: `smoke` for tests (seconds), `quick` for a CPU (minutes), `full` for a GPU or a long run. */
export const SCALES = ["smoke", "quick", "full"] as const;
/** One of {@link SCALES}. */
export type Scale = typeof SCALES[number];

/**
 * The config fields a scale may set: how much is trained and how often it is
 * measured. Everything else (the model, the optimizer and its settings, the
 * split) is the design, which a scale never changes.
 */
export const BUDGET_FIELDS: ReadonlyArray<keyof TrainConfig> = [
  "trainSize",
  "valSize",
  "testSize",
  "epochs",
  "batchSize",
  "logEvery",
  "gradNormEvery",
  "gradNormFirstSteps",
  "trainEvalSize",
  "measureSteps", // smoke's few steps measure earlier; every other scale measures where its claims read
];

/**
 * The `smoke` budget every experiment shares: 512 training images, small
 * validation and test sets, frequent logging. It checks the machinery and
 * shows nothing.
 */
export const SMOKE_BUDGET: Partial<TrainConfig> = {
  trainSize: 512,
  valSize: 256,
  testSize: 256,
  batchSize: 64,
  logEvery: 2,
  trainEvalSize: 256,
};

/** A scale's budget. */
export interface ScaleSpec {
  /** Config overrides: budget fields only ({@link BUDGET_FIELDS}), never the design. */
  overrides: Partial<TrainConfig>;
  /**
   * A prefix of the `full` scale: its runs are full's runs (same config, same
   * run ids), each stopped after the last step that an early claim reading
   * its variant measures (`Claim.reads`); variants no early claim reads are
   * not run. A later `full` call continues them from their checkpoints.
   * `overrides` must then be empty.
   */
  prefixOfFull?: boolean;
  /** Seeds run for every variant. */
  seeds: number[];
  /**
   * More seeds for variants that only early claims read, where those claims
   * need more seeds than the rest: each of these runs stops after the last
   * step an early claim reads its variant ({@link prefixStops}), at this
   * scale and every other, so a `full` call reuses it and never trains it on.
   */
  earlySeeds?: { variants: string[]; seeds: number[] };
  /** Variants run at this scale (default all). */
  variants?: string[];
  /**
   * The regimes this budget can decide: `early` claims need only the first
   * epochs, `converged` claims trained nets. A claim of another regime is
   * reported not-run, with the budget of the smallest scale that decides it.
   */
  regimes: Regime[];
}

/** What an analysis gets besides the runs: the data (when loaded), the backend, where the runs live, a log. */
export interface AnalysisContext {
  data?: RunResources["data"];
  backend: BackendInfo;
  /** The experiment's results directory (`<results root>/<experiment>`). */
  expDir: string;
  log: (msg: string) => void;
}

/**
 * A computation on stored runs that writes one JSON file, e.g. a lesion
 * study of each trained model (`scope: "run"`, `<run dir>/lesion.json`) or
 * a timing table of the experiment (`scope: "experiment"`,
 * `<experiment dir>/timing.json`). The pipeline runs it after training and
 * reuses a file that exists unless `--force` (or `reuse: false`) says
 * otherwise; claims and charts then read it from the evidence.
 */
export type Analysis =
  | {
    scope: "run";
    /** File name written into each selected run's directory. */
    file: string;
    /** What it does, for the log. */
    title: string;
    /** Which complete runs it applies to. */
    select: (run: RunRecord) => boolean;
    /** Only at scales that decide this regime (e.g. a lesion study of trained nets: `converged`). */
    regime?: Regime;
    compute: (run: RunRecord, runDir: string, ctx: AnalysisContext) => Promise<unknown>;
  }
  | {
    scope: "experiment";
    file: string;
    title: string;
    /** Reuse an existing file (default true; false for cheap deterministic tables). */
    reuse?: boolean;
    compute: (runs: RunRecord[], ctx: AnalysisContext) => Promise<unknown>;
    /** A Markdown rendering written beside the JSON (`<name>.md`). */
    markdown?: (value: unknown) => string;
  };

/** An experiment definition. */
export interface Experiment {
  /** Name used on the command line and as the results directory. */
  name: string;
  /** One line saying what it shows. */
  title: string;
  /** Overrides every variant shares (each with its reason in the file). */
  base: Partial<TrainConfig>;
  /** Variant name -> the overrides that make it that variant (none for an experiment that trains nothing). */
  variants: Record<string, Partial<TrainConfig>>;
  /** Budget per scale. */
  scales: Record<Scale, ScaleSpec>;
  /** Computations on the stored runs, in order, before judging. */
  analyses?: Analysis[];
  /** The claims its evidence judges, for the ledger. */
  claims: Claim[];
  /**
   * The declared families of training claims, by regime: Holm's correction
   * runs over each list, whatever ran (a member without a result counts as
   * p = 1), so the family is fixed in code before any data. Training claims
   * outside them are measurements: reported with their own p, uncorrected.
   */
  families?: Partial<Record<Regime, string[]>>;
  /** The experiment's charts, by file name (without `.svg`), from its evidence. */
  charts?: (ev: Evidence) => Record<string, Spec>;
  /** A Markdown summary of the evidence (default: a table per variant over seeds). */
  summary?: (ev: Evidence) => string;
  /**
   * Variants known to sit at chance or diverge, and why (the ledger lists
   * every such variant; one without a reason here is reported unexplained).
   */
  failureModes?: Record<string, string>;
}

/** In words, the budget of the smallest scale of `exp` that decides `regime` (e.g. for a not-run entry). */
export function budgetFor(exp: Experiment, regime: Regime): string | undefined {
  const scale = SCALES.find((s) => exp.scales[s].regimes.includes(regime));
  if (!scale) return undefined;
  const o = exp.scales[scale].prefixOfFull ? exp.scales.full.overrides : exp.scales[scale].overrides;
  // The budget as the runs get it: the scale's overrides on the experiment's base on the defaults.
  const c = resolveConfig({ ...exp.base, ...o });
  const images = c.trainSize ? c.trainSize.toLocaleString("en-US") : "all 55,000";
  return `the ${scale} scale (${images} training images x ${c.epochs} epochs, ${
    exp.scales[scale].seeds.length
  } seeds per variant)`;
}

/** Parses a scale name; throws a RangeError listing the valid ones. */
export function parseScale(s: string): Scale {
  if ((SCALES as readonly string[]).includes(s)) return s as Scale;
  throw new RangeError(`Unknown scale "${s}": use one of ${SCALES.join(", ")}`);
}

/**
 * Resolved configs of every run of an experiment at a scale. Throws a
 * RangeError for an unknown variant, and for a scale whose overrides touch
 * a design field (anything outside {@link BUDGET_FIELDS}).
 */
export function expandRuns(
  exp: Experiment,
  scale: Scale,
  opts: { seeds?: number[]; variants?: string[] } = {},
): TrainConfig[] {
  const spec = exp.scales[scale];
  const design = Object.keys(spec.overrides).filter((k) => !BUDGET_FIELDS.includes(k as keyof TrainConfig));
  if (design.length) {
    throw new RangeError(
      `${exp.name}: scale ${scale} overrides ${design.join(", ")}, which a scale must not change (budget fields: ${
        BUDGET_FIELDS.join(", ")
      }); move it to the experiment's base or variants`,
    );
  }
  const stops = spec.prefixOfFull ? prefixStops(exp) : undefined;
  if (stops && Object.keys(spec.overrides).length) {
    throw new RangeError(`${exp.name}: scale ${scale} is a prefix of full and must not override its budget`);
  }
  const overrides = stops ? exp.scales.full.overrides : spec.overrides;
  const variants = opts.variants ?? spec.variants ?? (stops ? [...stops.keys()] : Object.keys(exp.variants));
  for (const v of variants) {
    if (!(v in exp.variants)) {
      throw new RangeError(`Unknown variant "${v}" of ${exp.name}: use ${Object.keys(exp.variants).join(", ")}`);
    }
    if (stops && !stops.has(v)) {
      throw new RangeError(
        `${exp.name}: no early claim reads variant "${v}", so scale ${scale} does not run it; use --scale full`,
      );
    }
  }
  const seeds = opts.seeds ?? spec.seeds;
  const main = variants.flatMap((variant) =>
    seeds.map((seed) =>
      resolveConfig({
        ...exp.base,
        ...exp.variants[variant],
        ...overrides,
        ...(stops ? { stopStep: stops.get(variant)! } : {}),
        experiment: exp.name,
        variant,
        seed,
      })
    )
  );
  return opts.seeds ? main : [...main, ...earlySeedRuns(exp, scale, variants)];
}

/** The extra early-claim seeds of a scale ({@link ScaleSpec.earlySeeds}), each stopped where its claims read it. */
function earlySeedRuns(exp: Experiment, scale: Scale, variants: string[]): TrainConfig[] {
  const extra = exp.scales[scale].earlySeeds;
  if (!extra) return [];
  const early = prefixStops(exp);
  const spec = exp.scales[scale];
  const overrides = spec.prefixOfFull ? exp.scales.full.overrides : spec.overrides;
  for (const v of extra.variants) {
    if (!early.has(v)) throw new RangeError(`${exp.name}: earlySeeds names "${v}", which no early claim reads`);
    const later = exp.claims.filter((c) => c.regime !== "early" && c.reads?.variants.includes(v)).map((c) => c.id);
    if (later.length) {
      throw new RangeError(`${exp.name}: earlySeeds names "${v}", which ${later.join(", ")} read after training`);
    }
  }
  const dup = extra.seeds.filter((s) => spec.seeds.includes(s));
  if (dup.length) throw new RangeError(`${exp.name}: earlySeeds repeats seed(s) ${dup.join(", ")} of the scale`);
  return extra.variants.filter((v) => variants.includes(v)).flatMap((variant) =>
    extra.seeds.map((seed) =>
      resolveConfig({
        ...exp.base,
        ...exp.variants[variant],
        ...overrides,
        stopStep: early.get(variant)!,
        experiment: exp.name,
        variant,
        seed,
      })
    )
  );
}

/** The config that builds a variant's net, whatever a scale trains (seed 0): for a notebook's table of the nets. */
export function variantConfig(exp: Experiment, variant: string): TrainConfig {
  if (!(variant in exp.variants)) {
    throw new RangeError(`Unknown variant "${variant}" of ${exp.name}: use ${Object.keys(exp.variants).join(", ")}`);
  }
  return resolveConfig({ ...exp.base, ...exp.variants[variant], experiment: exp.name, variant, seed: 0 });
}

/**
 * Where each variant of a prefix scale stops: the last step any early claim
 * reading it measures, in the order the experiment lists its variants.
 */
export function prefixStops(exp: Experiment): Map<string, number> {
  const last = new Map<string, number>();
  for (const c of exp.claims) {
    const step = c.reads?.step;
    if (c.regime !== "early" || step === undefined) continue;
    for (const v of c.reads!.variants) last.set(v, Math.max(last.get(v) ?? 0, step));
  }
  return new Map(Object.keys(exp.variants).filter((v) => last.has(v)).map((v) => [v, last.get(v)!]));
}
