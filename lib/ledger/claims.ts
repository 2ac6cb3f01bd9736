/**
 * The claims ledger: each statement the suite checks, its source (study
 * note and line, or the paper's figure or table), the metric, the expected
 * direction or value, and a verdict with the evidence files named.
 *
 * Training claims are judged over seeds by a t-test at its real degrees of
 * freedom: paired when both arms ran the same seeds (same split, initial
 * weights and data order), Welch otherwise, one-sample against a threshold,
 * two one-sided tests (TOST) for equivalence within a margin. Every training
 * entry carries the test, n per arm, the per-seed values, the mean
 * difference with its 95% interval, p, and Holm's p over the ledger's family
 * of training claims ({@link applyHolm}); a verdict needs Holm's p below
 * 0.05, and fewer than 3 seeds per arm is always inconclusive. An
 * inconclusive entry says what the design could have detected (minimum
 * detectable effect at 80% power) and whether that was small enough to
 * matter. A claim about converged nets is `not-run` at a scale that cannot
 * train them, with the budget it needs. Accounting claims are judged by
 * equality after the source's own rounding, or within one unit of its last
 * digit where the source says "about".
 *
 * Judging is pure: a claim is a function of the experiment's {@link Evidence},
 * read once by evidence.ts; nothing here reads or writes files.
 *
 * ```ts
 * const entries = applyHolm(judgeClaims(exp.claims, evidence, { regimes: ["early"] }));
 * console.log(renderLedgerMarkdown(entries));
 * ```
 * @module
 */
import type { Evidence, RunEvidence } from "./evidence.ts";
import {
  hasSpread,
  holm,
  meanSd,
  minimumDetectableEffect,
  oneSampleT,
  pairedT,
  seedsNeeded,
  type TestResult,
  tost,
  welchT,
} from "./stats.ts";

/** A verdict. */
export type Verdict = "supported" | "contradicted" | "inconclusive" | "not-run";

/** What a training claim is about: the first epochs (judgeable at `quick`) or trained nets. */
export type Regime = "early" | "converged";

/** The family-wise level of the ledger's training verdicts. */
export const ALPHA = 0.05;

/** Fewest seeds per arm for a training verdict. */
export const MIN_SEEDS = 3;

/** A measurement with its standard error (NaN when it has none). */
export interface Estimate {
  value: number;
  se: number;
}

/** A number measured from one run (its within-run error, if any, is not used by the verdict). */
export type Measure = (ev: RunEvidence) => Estimate;

/** A ledger entry before judging. */
export interface Claim {
  /** Stable id, e.g. `depth-1`. */
  id: string;
  /** The statement, in the suite's words (or the note's, quoted, for accounting). */
  claim: string;
  /** Where it comes from: study note and line, and the paper's section, figure or table. */
  source: string;
  /** Experiment whose evidence judges it (`model-zoo` for accounting). */
  experiment: string;
  /** What is measured. */
  metric: string;
  /** The expected direction or value, in words. */
  expected: string;
  /** Training claims: early (the first epochs) or converged (trained nets). */
  regime?: Regime;
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
  df: number;
  t: number;
  /** The test's p-value (two-sided; TOST: the larger one-sided p). NaN when there was no test. */
  p: number;
  /** Holm-adjusted p over the ledger's training claims (NaN when not in the family). */
  pHolm: number;
  /** Minimum detectable effect at 80% power of this design. */
  mde: number;
  /** Seeds per arm the observed effect would need at 80% power. */
  seedsNeeded: number;
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
  verdict: Verdict;
  /** Effect and spread in words. */
  effect: string;
  /** Files the verdict was judged from, relative to the results root. */
  evidence: string[];
} & Partial<Stat>;

/** A number to three significant digits (exponent notation when tiny or huge). */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(3);
}

/** A signed number in the stat's unit (`+1.45`, `-0.20 points`). */
function show(x: number, unit?: "percent", signed = true): string {
  if (!Number.isFinite(x)) return String(x);
  const v = unit === "percent" ? 100 * x : x;
  const s = unit === "percent" ? v.toFixed(2) : sig3(v);
  return `${signed && v > 0 ? "+" : ""}${s}${unit === "percent" ? " points" : ""}`;
}

/** Per-seed values of one variant's usable runs: seed -> value (finite values only). */
function seedValues(runs: RunEvidence[], measure: Measure): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of runs) {
    const v = measure(r).value;
    if (Number.isFinite(v)) out.set(r.run.seed, v);
  }
  return out;
}

const sameSeeds = (a: Map<number, number>, b: Map<number, number>) =>
  a.size === b.size && [...a.keys()].every((s) => b.has(s));

/** Paired when both arms have the same seeds, Welch otherwise; undefined when an arm has fewer than two. */
function twoArmTest(a: Map<number, number>, b: Map<number, number>): TestResult | undefined {
  if (a.size < 2 || b.size < 2) return undefined;
  if (sameSeeds(a, b)) {
    const seeds = [...a.keys()].sort((x, y) => x - y);
    return pairedT(seeds.map((s) => a.get(s)!), seeds.map((s) => b.get(s)!));
  }
  return welchT([...a.values()], [...b.values()]);
}

/** The spread behind a test, for the seeds-needed estimate. */
function spreadOf(a: Map<number, number>, b?: Map<number, number>) {
  if (!b) return { sd: meanSd([...a.values()]).sd };
  if (sameSeeds(a, b)) return { sd: meanSd([...a.keys()].map((s) => a.get(s)! - b.get(s)!)).sd };
  return { sdA: meanSd([...a.values()]).sd, sdB: meanSd([...b.values()]).sd };
}

/** Fills a Stat from a test (or from the raw means when no test could run). */
function statOf(
  base: Pick<Stat, "kind" | "sign" | "margin" | "minEffect" | "label" | "unit">,
  values: Record<string, Map<number, number>>,
  test: TestResult | undefined,
  rawDiff: number,
  spread: ReturnType<typeof spreadOf>,
): Stat {
  const n = Object.values(values).map((m) => m.size);
  const blocked = n.some((k) => k < MIN_SEEDS)
    ? `fewer than ${MIN_SEEDS} seeds per arm (n = ${n.join("/")})`
    : test && !hasSpread(test)
    ? "no spread over seeds (identical values): no test is possible"
    : undefined;
  // Equivalence (two one-sided tests at 0.05): the narrowest margin this design could certify at 80% power if the
  // true difference were 0 is (t_0.95 + t_0.90) se; a difference claim's is (t_0.975 + t_0.80) se.
  const equiv = base.kind === "equivalence";
  const [alpha, power] = equiv ? [0.1, 0.9] : [0.05, 0.8];
  const mde = test && hasSpread(test) ? minimumDetectableEffect(test.se, test.df, alpha, power) : NaN;
  const effect = test?.diff ?? rawDiff;
  const target = equiv ? base.margin ?? 0 : Math.max(Math.abs(effect), 1e-12);
  return {
    ...base,
    test: test?.test ?? "none",
    n,
    values: Object.fromEntries(
      Object.entries(values).map(([k, m]) => [k, Object.fromEntries([...m].map(([s, v]) => [String(s), v]))]),
    ),
    diff: effect,
    ci95: test?.ci95 ?? [NaN, NaN],
    df: test?.df ?? NaN,
    t: test?.t ?? NaN,
    p: test && hasSpread(test) ? test.p : NaN,
    // A family of one until applyHolm sees the whole ledger's training claims.
    pHolm: test && hasSpread(test) && !blocked ? test.p : NaN,
    mde,
    seedsNeeded: Number.isFinite(mde) ? seedsNeeded(target, spread, alpha, power) : NaN,
    ...(blocked ? { blocked } : {}),
  };
}

/**
 * The verdict of a training entry from its statistics (after Holm):
 * `supported` when Holm's p < 0.05 in the expected direction (equivalence:
 * the two one-sided tests pass), `contradicted` when it is significant the
 * other way (equivalence: the 95% interval lies wholly outside the margin),
 * else `inconclusive`.
 */
export function decide(s: Stat): Verdict {
  if (s.blocked || !Number.isFinite(s.p)) return "inconclusive";
  const significant = Number.isFinite(s.pHolm) && s.pHolm < ALPHA;
  if (s.kind === "equivalence") {
    if (significant) return "supported";
    const m = s.margin ?? 0;
    return s.ci95[0] > m || s.ci95[1] < -m ? "contradicted" : "inconclusive";
  }
  if (!significant) return "inconclusive";
  return Math.sign(s.diff) === s.sign ? "supported" : "contradicted";
}

/** The entry's effect in words: the difference, its interval, the test, p and Holm's p, n; power when inconclusive. */
export function describe(s: Stat, verdict: Verdict): string {
  const u = s.unit;
  const seeds = (k: number) => `${k} seed${k === 1 ? "" : "s"}`;
  const n = s.n.length === 1
    ? seeds(s.n[0])
    : s.n[0] === s.n[1]
    ? `${seeds(s.n[0])} per arm`
    : `seeds ${s.n.join("/")}`;
  if (s.test === "none" || !Number.isFinite(s.ci95[0])) {
    return `${s.label}: ${show(s.diff, u)}; ${s.blocked ?? "no test"}; ${n}`;
  }
  const df = Number.isInteger(s.df) ? String(s.df) : s.df.toFixed(1);
  const ps = Number.isFinite(s.p)
    ? `p = ${s.p < 1e-3 ? s.p.toExponential(1) : s.p.toFixed(3)}${
      Number.isFinite(s.pHolm) ? `, Holm p = ${s.pHolm < 1e-3 ? s.pHolm.toExponential(1) : s.pHolm.toFixed(3)}` : ""
    }`
    : "no p-value";
  const head = `${s.label}: ${show(s.diff, u)} [95% CI ${show(s.ci95[0], u)}, ${show(s.ci95[1], u)}]; ${s.test}(${df})${
    Number.isFinite(s.t) && s.test.startsWith("TOST") === false ? ` = ${s.t.toFixed(2)}` : ""
  }, ${ps}; ${n}`;
  if (s.kind === "equivalence") {
    const margin = `margin ±${show(s.margin ?? 0, u, false)}`;
    if (verdict !== "inconclusive") return `${head}; ${margin}`;
    if (s.blocked) return `${head}; ${margin}; inconclusive: ${s.blocked}`;
    const need = Number.isFinite(s.seedsNeeded) && s.seedsNeeded <= 10000
      ? `±${show(s.margin ?? 0, u, false)} would need about ${s.seedsNeeded} seeds per arm`
      : "no feasible number of seeds reaches the margin";
    return `${head}; ${margin}; inconclusive: this design could show equivalence within ±${
      show(s.mde, u, false)
    } (80% power if the true difference were 0); ${need}`;
  }
  if (verdict !== "inconclusive") return head;
  if (s.blocked) return `${head}; inconclusive: ${s.blocked}`;
  if (Number.isFinite(s.pHolm) && s.p < ALPHA && s.pHolm >= ALPHA) {
    // The power figures below are for one test at ALPHA: here the family's correction is what stands in the way.
    return `${head}; inconclusive after Holm's correction: p < ${ALPHA} alone, not once the ledger's other training ` +
      `tests are counted (more seeds, or fewer claims in the family, would be needed)`;
  }
  const mde = show(s.mde, u, false);
  const matters = show(s.minEffect, u, false);
  const need = Number.isFinite(s.seedsNeeded) && s.seedsNeeded <= 10000
    ? `the observed ${show(Math.abs(s.diff), u, false)} would need about ${s.seedsNeeded} seeds per arm`
    : "the observed effect is too small for any feasible number of seeds";
  return s.mde <= s.minEffect
    ? `${head}; no effect of ${matters} or more (powered: this design detects ${mde} at 80% power)`
    : `${head}; underpowered: this design detects ${mde} or more at 80% power (${matters} matters); ${need}`;
}

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
  const { a, b, direction, measure, includeDiverged, minEffect, unit, ...rest } = spec;
  return {
    ...rest,
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
      );
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
  const { variant, direction, threshold, measure, includeDiverged, minEffect, unit, ...rest } = spec;
  return {
    ...rest,
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
      );
      return { verdict: decide(stat), effect: describe(stat, decide(stat)), runs: rs.map((r) => r.run.id), stat };
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
 * t-tests (paired when they share seeds). `contradicted` when the 95%
 * interval of the difference lies wholly outside the margin.
 */
export function equivalenceClaim(spec: EquivalenceSpec): Claim {
  const { a, b, margin, measure, unit, includeDiverged, ...rest } = spec;
  return {
    ...rest,
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
      );
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
   * or to `step`); `about` (only where the source says so) within one unit
   * of the source's last digit; or a relative tolerance with its reason.
   */
  match: { exact: { step: number } } | { about: { step: number } } | { relative: number; why: string };
}

/** The verdict of a stated number against the computed one, per {@link ExactSpec}'s `match`. */
export function matches(stated: number, got: number, match: ExactSpec["match"]): boolean {
  if ("exact" in match) {
    const s = match.exact.step;
    return Math.abs(Math.round(got / s) * s - stated) < s * 1e-6;
  }
  if ("about" in match) return Math.abs(got - stated) <= match.about.step * (1 + 1e-9);
  return Math.abs(got - stated) <= match.relative * Math.abs(stated);
}

/** How a match rule reads in the ledger's `expected` column. */
function matchText(stated: number, match: ExactSpec["match"]): string {
  if ("exact" in match) {
    return match.exact.step === 1 ? `= ${stated}` : `= ${stated} after rounding to ${match.exact.step}`;
  }
  if ("about" in match) return `about ${stated} (within ${match.about.step}, the source's last digit)`;
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
        effect: `computed ${shown}${
          got === stated ? "" : ` (${rel >= 1e-4 ? `${(rel * 100).toFixed(2)}%` : "<0.01%"} off)`
        }${ok ? "" : `; the right value is ${shown}`}`,
        runs: [],
      };
    },
  };
}

/** What the pipeline tells the judge about the scale: the regimes its budget can decide, and what the rest need. */
export interface JudgeContext {
  /** Regimes this scale's budget can decide (default both). */
  regimes?: Regime[];
  /** For a claim whose regime is not decidable here: the budget it needs, in words. */
  needs?: string;
}

/** Judges one claim from an experiment's evidence: the entry for the ledger, with its evidence files named. */
export function judgeClaim(claim: Claim, ev: Evidence, ctx: JudgeContext = {}): LedgerEntry {
  const { judge: _, ...fields } = claim;
  if (claim.regime && ctx.regimes && !ctx.regimes.includes(claim.regime)) {
    return {
      ...fields,
      verdict: "not-run",
      effect: `a ${claim.regime}-regime claim: this scale's budget cannot train the nets that far${
        ctx.needs ? `; it needs ${ctx.needs}` : ""
      }`,
      evidence: [],
    };
  }
  const j = claim.judge(ev);
  return {
    ...fields,
    ...(j.stat ?? {}),
    verdict: j.verdict,
    effect: j.effect,
    evidence: [
      ...(j.files ?? []).map((f) => `${claim.experiment}/${f}`),
      ...j.runs.flatMap((id) => {
        const paths = [`${claim.experiment}/${id}/run.json`, `${claim.experiment}/${id}/metrics.csv`];
        const extra = Object.keys(ev.runs.find((r) => r.run.id === id)?.artifacts ?? {});
        return [...paths, ...extra.map((f) => `${claim.experiment}/${id}/${f}`)];
      }),
    ],
  };
}

/** Judges every claim from one evidence object (training verdicts as a family of their own: see {@link applyHolm}). */
export function judgeClaims(claims: Claim[], ev: Evidence, ctx: JudgeContext = {}): LedgerEntry[] {
  return applyHolm(claims.map((c) => judgeClaim(c, ev, ctx)));
}

/** Whether an entry is in the family: a training entry whose test ran with enough seeds. */
function inFamily(e: LedgerEntry): boolean {
  return e.kind !== undefined && e.verdict !== "not-run" && !e.blocked && Number.isFinite(e.p);
}

/**
 * Holm's correction over the training entries of a ledger (one family), then
 * each training verdict and effect decided again from the adjusted p. Pure
 * and idempotent: it reads the raw `p` only.
 */
export function applyHolm(entries: LedgerEntry[]): LedgerEntry[] {
  const family = entries.map((e, i) => [e, i] as const).filter(([e]) => inFamily(e));
  const adjusted = holm(family.map(([e]) => e.p!));
  const pHolm = new Map(family.map(([, i], k) => [i, adjusted[k]]));
  return entries.map((e, i) => {
    if (e.kind === undefined || e.verdict === "not-run") return e;
    const stat = { ...e, pHolm: pHolm.get(i) ?? NaN } as LedgerEntry & Stat;
    const verdict = decide(stat);
    return { ...stat, verdict, effect: describe(stat, verdict) };
  });
}

/** The size of the ledger's family of training claims (for its header). */
export function familySize(entries: LedgerEntry[]): number {
  return entries.filter(inFamily).length;
}

/** The ledger as a Markdown table. */
export function renderLedgerMarkdown(entries: LedgerEntry[]): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const lines = [
    "| id | claim | source | regime | expected | verdict | effect | evidence |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    const ev = e.evidence.filter((f) => f.endsWith("run.json")).map((f) => f.replace(/\/run\.json$/, "")).join(", ");
    lines.push(
      `| ${e.id} | ${esc(e.claim)} | ${esc(e.source)} | ${e.regime ?? "accounting"} | ${
        esc(e.expected)
      } | **${e.verdict}** | ${esc(e.effect)} | ${esc(ev || "-")} |`,
    );
  }
  return lines.join("\n");
}

/** Counts of each verdict, e.g. `3 supported, 1 inconclusive`. */
export function verdictCounts(entries: LedgerEntry[]): string {
  const c: Record<string, number> = {};
  for (const e of entries) c[e.verdict] = (c[e.verdict] ?? 0) + 1;
  return Object.entries(c).map(([k, v]) => `${v} ${k}`).join(", ");
}
