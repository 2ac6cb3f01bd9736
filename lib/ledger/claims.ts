/**
 * The claims ledger's vocabulary: a claim (each statement the suite checks,
 * its source, the metric, the expected direction or value, and how it is
 * judged), its verdict, the statistics of a training entry, and the entry
 * as ledger.json stores it. The jobs around it live apart:
 * claim_builders.ts makes claims (training comparisons over seeds,
 * accounting numbers), verdict.ts computes a training verdict and Holm's
 * correction, wording.ts says it in words, judge.ts judges an experiment's
 * claims from its evidence.
 *
 * Training claims are judged over seeds by a t-test at its real degrees of
 * freedom: paired when both arms ran the same seeds (same split, initial
 * weights and data order), Welch otherwise, one-sample against a threshold,
 * two one-sided tests (TOST) for equivalence within a margin. A verdict
 * needs Holm's p below {@link ALPHA} over the ledger's family of training
 * claims, and fewer than {@link MIN_SEEDS} seeds per arm is always
 * inconclusive. Accounting claims are judged by equality after the source's
 * own rounding; where it says "about" (about, 약, 수준), within half a unit of its last
 * digit or 5%, whichever is larger (claim_builders.ts `ABOUT`).
 *
 * ```ts
 * const entry: LedgerEntry = judgeClaim(claim, evidence); // judge.ts
 * ```
 * @module
 */
import type { Evidence, RunEvidence } from "./evidence.ts";
import type { TestResult } from "./stats.ts";

/** A verdict. */
export type Verdict = "supported" | "contradicted" | "inconclusive" | "not-run";

/** What a training claim is about: the first epochs (judgeable at `quick`) or trained nets. */
export type Regime = "early" | "converged";

/** The family-wise level of the ledger's training verdicts. */
export const ALPHA = 0.05;

/** The power at which a design's detectable effect and seeds-needed are stated. */
export const POWER = 0.8;

/** Fewest seeds per arm for a training verdict (with 3, no exact sign-flip p can go below 0.25). */
export const MIN_SEEDS = 4;

/** A measurement of one run. */
export interface Estimate {
  value: number;
}

/** A number measured from one run; a verdict's uncertainty is the spread of these numbers over seeds. */
export type Measure = (ev: RunEvidence) => Estimate;

/** A ledger entry before judging. */
export interface Claim {
  /** Stable id, e.g. `depth-1`. */
  id: string;
  /** The statement, in the suite's words (or the note's, quoted, for accounting). */
  claim: string;
  /** Where it comes from: study note and line, and the paper's section, figure or table. */
  source: string;
  /** What is measured. */
  metric: string;
  /** The expected direction or value, in words. */
  expected: string;
  /** Training claims: early (the first epochs) or converged (trained nets). */
  regime?: Regime;
  /**
   * Training claims: the variants compared and the last training step the
   * measure reads (the same at every scale; absent: the trained net, at the
   * end of the schedule): a prefix scale trains each of these variants that far.
   */
  reads?: { variants: string[]; step?: number };
  /** Computes the verdict from the experiment's evidence (a pure function: no I/O). */
  judge: (ev: Evidence) => Judgement;
}

/** The statistical fields of a training entry (named as in ledger.json). */
export interface Stat {
  /** `direction` (a vs b, or against a threshold) or `equivalence` (within ±margin). */
  kind: "direction" | "equivalence";
  /** +1 when the claim expects a positive `diff`, -1 a negative one (direction claims). */
  sign?: 1 | -1;
  /** Equivalence margin. */
  margin?: number;
  /** The smallest effect that matters for this claim, and why: powered vs underpowered. */
  minEffect: number;
  /** The test, e.g. `paired t`. */
  test: TestResult["test"] | "none";
  /** Seeds per arm. */
  n: number[];
  /** Per-seed values, by arm (variant) and seed. */
  values: Record<string, Record<string, number>>;
  /** Mean difference: a - b, or mean - threshold. */
  diff: number;
  /** Its 95% confidence interval. */
  ci95: [number, number];
  /** The standard error of `diff`. */
  se: number;
  df: number;
  t: number;
  /** The per-seed spread behind the test: of the paired differences or one sample (`sd`), or of each arm (Welch). */
  spread: { sd: number } | { sdA: number; sdB: number };
  /** The test's p-value (two-sided; TOST: the larger one-sided p). NaN when there was no test. */
  p: number;
  /** Holm-adjusted p over the entry's declared family (a measurement outside any family: its own p). */
  pHolm: number;
  /**
   * The exact sign-flip (permutation) p over the seeds' paired differences,
   * or one sample's deviations from the threshold (every one of the 2^n
   * sign patterns; TOST: the larger one-sided p), where the design is paired
   * or one-sample; and its Holm-adjusted value over the same family.
   */
  pExact?: number;
  pHolmExact?: number;
  /** The declared family (`<experiment> <regime>`) and its size, fixed in the experiment file; absent: a measurement. */
  family?: string;
  familySize?: number;
  /** The level the power figures are stated at: ALPHA / familySize, the level of Holm's first step (ALPHA outside a family). */
  level: number;
  /** Minimum detectable effect at 80% power of this design, at `level`. */
  mde: number;
  /** Seeds per arm the observed effect would need at 80% power, at `level` (for the sign observed). */
  seedsNeeded: number;
  /** Runs the test used that did not train or diverged (see the ledger's health list). */
  untrained?: string[];
  /**
   * Wall seconds one seed of every arm took here (the mean run of each arm,
   * summed; absent when a run was resumed, whose record times only its last
   * part): what the seeds an undecided entry needs would cost.
   */
  secondsPerSeed?: number;
  /** How the two sides are named in words, e.g. `plain-56 minus plain-20`. */
  label: string;
  /** Format of numbers: `percent` shows rates in points. */
  unit?: "percent";
  /** Why no verdict can be had whatever the p-value (e.g. fewer than 3 seeds), if so. */
  blocked?: string;
}

/** A verdict with its effect in words and the runs it used. */
export interface Judgement {
  verdict: Verdict;
  /** Effect and spread in words (training entries: rewritten after Holm). */
  effect: string;
  /** Run ids the verdict was judged from. */
  runs: string[];
  /** Experiment-level files it was judged from (e.g. `timing.json`). */
  files?: string[];
  /** The test behind a training verdict. */
  stat?: Stat;
}

/** A judged ledger entry, as written to ledger.json. */
export type LedgerEntry = Omit<Claim, "judge"> & {
  /** The experiment whose evidence judged it (the pipeline's, not the claim's to state). */
  experiment: string;
  verdict: Verdict;
  /** Effect and spread in words. */
  effect: string;
  /** Files the verdict was judged from, relative to the results root. */
  evidence: string[];
} & Partial<Stat>;
