/**
 * What an experiment definition holds, and how it expands into runs. An
 * experiment file (experiments/*.ts) lists its variants (each a set of
 * config overrides differing in the thing under study), its scales (budget
 * only: images, epochs, seeds) and its claims.
 *
 * ```ts
 * const configs = expandRuns(depthAuxResidual, "smoke", {});
 * ```
 * @module
 */
import { resolveConfig, type TrainConfig } from "./config.ts";
import type { Claim } from "./claims.ts";
import type { RunContext } from "./runner.ts";
import type { RunRecord } from "./results.ts";
import type { MetricRow, Spec } from "./charts.ts";

/** Budgets: `smoke` for tests (seconds), `quick` for a CPU (minutes), `full` for a GPU or a long run. */
export const SCALES = ["smoke", "quick", "full"] as const;
/** One of {@link SCALES}. */
export type Scale = typeof SCALES[number];

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
  /** Config overrides: budget only (trainSize, epochs, logging), never the design. */
  overrides: Partial<TrainConfig>;
  /** Seeds run for every variant. */
  seeds: number[];
  /** Variants run at this scale (default all). */
  variants?: string[];
}

/** An experiment definition. */
export interface Experiment {
  /** Name used on the command line and as the results directory. */
  name: string;
  /** One line saying what it shows. */
  title: string;
  /** Overrides every variant shares (each with its reason in the file). */
  base: Partial<TrainConfig>;
  /** Variant name -> the overrides that make it that variant. */
  variants: Record<string, Partial<TrainConfig>>;
  /** Budget per scale. */
  scales: Record<Scale, ScaleSpec>;
  /** The claims its runs judge, for the ledger. */
  claims: Claim[];
  /**
   * Analysis after the runs (e.g. a lesion study on the saved models); it
   * writes extra JSON files into run directories, which claims then read.
   */
  after?: (records: RunRecord[], ctx: RunContext) => Promise<void>;
  /** The experiment's charts, by file name (without `.svg`), from its runs and their metrics. */
  charts?: (
    runs: RunRecord[],
    rows: MetricRow[],
    artifacts: Record<string, Record<string, unknown>>,
  ) => Record<string, Spec>;
}

/** Parses a scale name; throws a RangeError listing the valid ones. */
export function parseScale(s: string): Scale {
  if ((SCALES as readonly string[]).includes(s)) return s as Scale;
  throw new RangeError(`Unknown scale "${s}": use one of ${SCALES.join(", ")}`);
}

/** Resolved configs of every run of an experiment at a scale. */
export function expandRuns(
  exp: Experiment,
  scale: Scale,
  opts: { seeds?: number[]; variants?: string[] } = {},
): TrainConfig[] {
  const spec = exp.scales[scale];
  const variants = opts.variants ?? spec.variants ?? Object.keys(exp.variants);
  for (const v of variants) {
    if (!(v in exp.variants)) {
      throw new RangeError(`Unknown variant "${v}" of ${exp.name}: use ${Object.keys(exp.variants).join(", ")}`);
    }
  }
  const seeds = opts.seeds ?? spec.seeds;
  return variants.flatMap((variant) =>
    seeds.map((seed) =>
      resolveConfig({ ...exp.base, ...exp.variants[variant], ...spec.overrides, experiment: exp.name, variant, seed })
    )
  );
}
