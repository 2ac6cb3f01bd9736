/**
 * The claim builders the experiment files use: training claims judged over
 * seeds (a comparison of two variants, a variant against a threshold, an
 * equivalence within a margin) and accounting claims (a computed number
 * against the one the source states, or against a bound). Each returns a
 * {@link Claim} whose `judge` is a pure function of the evidence; the
 * pipeline names the experiment it belongs to.
 *
 * ```ts
 * compareClaim({ id: "depth-1a", claim: "...", source: "...", metric: "...", regime: "early",
 *   a: "plain-56", b: "plain-20", direction: "greater", measure: summaryValue("final_train_loss_main"), minEffect: 0.05 });
 * ```
 * @module
 */
import type { Claim, Judgement, Measure, Regime } from "./claims.ts";
import type { Evidence, RunEvidence } from "./evidence.ts";
import { meanSd, oneSampleT, tost } from "./stats.ts";
import { didNotTrain } from "./measures.ts";
import { decide, pairedDeviations, sameSeeds, seedValues, spreadOf, statOf, twoArmTest } from "./verdict.ts";
import { describe, show, sig3 } from "./wording.ts";

/** What every training claim spec shares. */
interface TrainingSpec extends Omit<Claim, "judge" | "expected"> {
  /** The number compared, per run. */
  measure: Measure;
  regime: Regime;
  /** The smallest effect that matters, in the measure's units (say why in the claim's file). */
  minEffect: number;
  /** Print rates in percentage points. */
  unit?: "percent";
  /** Also use diverged runs (for measures taken before the divergence, such as early gradient norms). */
  includeDiverged?: boolean;
  /** The last training step the measure reads (early claims: a prefix scale trains the variants that far). */
  atStep?: number;
}

/** The claim's `reads` from its variants and step. */
const readsOf = (variants: string[], atStep?: number) => ({
  reads: atStep === undefined ? { variants } : { variants, step: atStep },
});

/** The runs among `used` that did not train (measures.ts `didNotTrain`) or diverged, by id. */
function untrainedOf(runs: RunEvidence[], used: string[]): { untrained?: string[] } {
  const ids = runs.filter((r) => used.includes(r.run.id) && (r.run.status === "diverged" || didNotTrain(r))).map((r) =>
    r.run.id
  );
  return ids.length ? { untrained: ids } : {};
}

/** The measured cost of one seed of every arm the test used (see `Stat.secondsPerSeed`). */
function costOf(runs: RunEvidence[], used: string[]): { secondsPerSeed?: number } {
  const rs = runs.filter((r) => used.includes(r.run.id));
  if (rs.some((r) => r.run.wallSeconds === undefined || r.run.resumedFrom?.length)) return {};
  const byArm = new Map<string, number[]>();
  for (const r of rs) byArm.set(r.run.variant, [...byArm.get(r.run.variant) ?? [], r.run.wallSeconds!]);
  const s = [...byArm.values()].reduce((t, w) => t + w.reduce((a, b) => a + b, 0) / w.length, 0);
  return s > 0 ? { secondsPerSeed: s } : {};
}

const usable = (includeDiverged?: boolean) => (r: RunEvidence) =>
  r.run.status === "complete" || (includeDiverged === true && r.run.status === "diverged");

/** Two variants' per-seed values and the runs they came from, or a not-run judgement when one has no usable run. */
function twoArms(
  runs: RunEvidence[],
  a: string,
  b: string,
  measure: Measure,
  includeDiverged?: boolean,
): { va: Map<number, number>; vb: Map<number, number>; used: string[] } | Judgement {
  const of = (v: string) => runs.filter((r) => r.run.variant === v && usable(includeDiverged)(r));
  const ra = of(a), rb = of(b);
  const used = [...ra, ...rb].map((r) => r.run.id);
  if (ra.length === 0 || rb.length === 0) {
    return { verdict: "not-run", effect: `no usable ${ra.length ? b : a} run`, runs: used };
  }
  return { va: seedValues(ra, measure), vb: seedValues(rb, measure), used };
}

/** Options of {@link compareClaim}. */
export interface CompareSpec extends TrainingSpec {
  /** Variant expected to be larger (for `greater`) or smaller (for `less`). */
  a: string;
  /** The variant it is compared with. */
  b: string;
  /** `greater`: a > b; `less`: a < b. */
  direction: "greater" | "less";
}

/** A claim that variant `a`'s measure is greater (or less) than `b`'s, judged over seeds. */
export function compareClaim(spec: CompareSpec): Claim {
  const { a, b, direction, measure, includeDiverged, minEffect, unit, atStep, ...rest } = spec;
  return {
    ...rest,
    ...readsOf([a, b], atStep),
    expected: `${a} ${direction === "greater" ? ">" : "<"} ${b}`,
    judge: ({ runs }) => {
      const arms = twoArms(runs, a, b, measure, includeDiverged);
      if ("verdict" in arms) return arms;
      const { va, vb, used } = arms;
      const raw = meanSd([...va.values()]).mean - meanSd([...vb.values()]).mean;
      const stat = statOf(
        { kind: "direction", sign: direction === "greater" ? 1 : -1, minEffect, label: `${a} minus ${b}`, unit },
        { [a]: va, [b]: vb },
        twoArmTest(va, vb),
        raw,
        spreadOf(va, vb),
        pairedDeviations(va, vb),
      );
      Object.assign(stat, untrainedOf(runs, used), costOf(runs, used));
      return { verdict: decide(stat), effect: describe(stat, decide(stat)), runs: used, stat };
    },
  };
}

/** Options of {@link thresholdClaim}. */
export interface ThresholdSpec extends TrainingSpec {
  /** The variant measured. */
  variant: string;
  /** `above`: measure > threshold; `below`: measure < threshold. */
  direction: "above" | "below";
  threshold: number;
}

/** A claim that a variant's measure lies above (or below) a threshold: a one-sample t-test over seeds. */
export function thresholdClaim(spec: ThresholdSpec): Claim {
  const { variant, direction, threshold, measure, includeDiverged, minEffect, unit, atStep, ...rest } = spec;
  return {
    ...rest,
    ...readsOf([variant], atStep),
    expected: `${variant}: ${direction === "above" ? ">" : "<"} ${sig3(threshold)}`,
    judge: ({ runs }) => {
      const rs = runs.filter((r) => r.run.variant === variant && usable(includeDiverged ?? true)(r));
      if (rs.length === 0) return { verdict: "not-run", effect: `no usable ${variant} run`, runs: [] };
      const v = seedValues(rs, measure);
      const test = v.size >= 2 ? oneSampleT([...v.values()], threshold) : undefined;
      const stat = statOf(
        {
          kind: "direction",
          sign: direction === "above" ? 1 : -1,
          minEffect,
          label: `${variant} minus ${sig3(threshold)}`,
          unit,
        },
        { [variant]: v },
        test,
        meanSd([...v.values()]).mean - threshold,
        spreadOf(v),
        [...v.values()].map((x) => x - threshold),
      );
      const used = rs.map((r) => r.run.id);
      Object.assign(stat, untrainedOf(runs, used), costOf(runs, used));
      return { verdict: decide(stat), effect: describe(stat, decide(stat)), runs: used, stat };
    },
  };
}

/** Options of {@link equivalenceClaim}. */
export interface EquivalenceSpec extends Omit<TrainingSpec, "minEffect"> {
  a: string;
  b: string;
  /** The largest difference that still counts as "the same". */
  margin: number;
}

/**
 * A claim that two variants are the same within ±margin: two one-sided
 * t-tests (paired when they share seeds). `contradicted` when the interval
 * of the difference at the deciding level (ALPHA / the family's size)
 * lies wholly outside the margin.
 */
export function equivalenceClaim(spec: EquivalenceSpec): Claim {
  const { a, b, margin, measure, unit, includeDiverged, atStep, ...rest } = spec;
  return {
    ...rest,
    ...readsOf([a, b], atStep),
    expected: `|${a} - ${b}| < ${show(margin, unit, false)}`,
    judge: ({ runs }) => {
      const arms = twoArms(runs, a, b, measure, includeDiverged);
      if ("verdict" in arms) return arms;
      const { va, vb, used } = arms;
      const paired = sameSeeds(va, vb);
      const seeds = [...va.keys()].sort((x, y) => x - y);
      const test = va.size >= 2 && vb.size >= 2
        ? paired
          ? tost(seeds.map((s) => va.get(s)!), seeds.map((s) => vb.get(s)!), margin, true)
          : tost([...va.values()], [...vb.values()], margin, false)
        : undefined;
      const stat = statOf(
        { kind: "equivalence", margin, minEffect: margin, label: `${a} minus ${b}`, unit },
        { [a]: va, [b]: vb },
        test,
        meanSd([...va.values()]).mean - meanSd([...vb.values()]).mean,
        spreadOf(va, vb),
        pairedDeviations(va, vb),
      );
      Object.assign(stat, untrainedOf(runs, used), costOf(runs, used));
      return { verdict: decide(stat), effect: describe(stat, decide(stat)), runs: used, stat };
    },
  };
}

/** Options of {@link boundClaim}. */
export interface BoundSpec extends Omit<Claim, "judge" | "expected"> {
  /** The number the suite computes (deterministic: a count or a ratio of counts), from built layers or the evidence. */
  compute: (ev: Evidence) => number;
  /** `below`: computed < bound; `above`: computed > bound. */
  direction: "below" | "above";
  bound: number;
}

/** An accounting claim that a computed number lies below (or above) a bound. */
export function boundClaim(spec: BoundSpec): Claim {
  const { compute, direction, bound, ...rest } = spec;
  return {
    ...rest,
    expected: `${direction === "below" ? "<" : ">"} ${sig3(bound)}`,
    judge: (ev) => {
      const got = compute(ev);
      const ok = direction === "below" ? got < bound : got > bound;
      return { verdict: ok ? "supported" : "contradicted", effect: `computed ${sig3(got)}`, runs: [] };
    },
  };
}

/** Options of {@link exactClaim}. */
export interface ExactSpec extends Omit<Claim, "judge" | "expected"> {
  /** The number the source states. */
  stated: number;
  /** The number the suite computes, from built layers or the evidence (e.g. the zoo's `costs.json`). */
  compute: (ev: Evidence) => number;
  /**
   * How the stated number may differ from the computed one: `exact` after
   * rounding the computed number as the source rounds (`digits` decimals,
   * or to `step`); `about` (only where the source says so: about, 약, 수준)
   * within {@link ABOUT}: half a unit of the source's last digit (`step`,
   * what the figure itself resolves) or 5% of it, whichever is larger; or a
   * relative tolerance with its reason.
   */
  match: { exact: { step: number } } | { about: { step: number } } | { relative: number; why: string };
}

/**
 * "About X": the computed number must round to X at X's last digit, or lie
 * within 5% of X, whichever allows more. Half a unit of the last digit is
 * what a stated figure claims to resolve; the 5% is the slack "about" adds
 * to a figure of two or more significant digits (2.5 admits 2.4-2.6). It
 * still rejects a clearly different number: "about 90%" admits 85-95, not
 * 96.2; "about 2" admits 1.5-2.5 (1.71 is "about 2").
 */
export const ABOUT = { lastDigitHalf: 0.5, relative: 0.05 } as const;

/** The verdict of a stated number against the computed one, per {@link ExactSpec}'s `match`. */
export function matches(stated: number, got: number, match: ExactSpec["match"]): boolean {
  if ("exact" in match) {
    const s = match.exact.step;
    return Math.abs(Math.round(got / s) * s - stated) < s * 1e-6;
  }
  if ("about" in match) {
    const band = Math.max(ABOUT.lastDigitHalf * match.about.step, ABOUT.relative * Math.abs(stated));
    return Math.abs(got - stated) <= band * (1 + 1e-9);
  }
  return Math.abs(got - stated) <= match.relative * Math.abs(stated);
}

/** How a match rule reads in the ledger's `expected` column. */
function matchText(stated: number, match: ExactSpec["match"]): string {
  if ("exact" in match) {
    return match.exact.step === 1 ? `= ${stated}` : `= ${stated} after rounding to ${match.exact.step}`;
  }
  if ("about" in match) {
    const band = Math.max(ABOUT.lastDigitHalf * match.about.step, ABOUT.relative * Math.abs(stated));
    return `about ${stated} (within ${Number(band.toPrecision(3))}: half its last digit or 5%, whichever is larger)`;
  }
  return `${stated} within ${match.relative * 100}% (${match.why})`;
}

/** An accounting claim: a computed number equals the stated one (see {@link ExactSpec}). */
export function exactClaim(spec: ExactSpec): Claim {
  const { stated, compute, match, ...rest } = spec;
  return {
    ...rest,
    expected: matchText(stated, match),
    judge: (ev) => {
      const got = compute(ev);
      const rel = Math.abs(got - stated) / Math.max(Math.abs(stated), 1e-12);
      const ok = matches(stated, got, match);
      const shown = Number.isInteger(got) ? String(got) : String(Number(got.toPrecision(6)));
      return {
        verdict: ok ? "supported" : "contradicted",
        // A relative error means nothing against a stated 0 (a count of layers that should not exist).
        effect: `computed ${shown}${
          got === stated || stated === 0 ? "" : ` (${rel >= 1e-4 ? `${(rel * 100).toFixed(2)}%` : "<0.01%"} off)`
        }${ok ? "" : `; the right value is ${shown}`}`,
        runs: [],
      };
    },
  };
}
