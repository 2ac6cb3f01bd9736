/**
 * Statistics of the ledger: descriptive numbers every part of the suite
 * shares (mean, standard deviation, standard error), the tests a verdict
 * over seeds rests on (paired, Welch and one-sample t, two one-sided tests
 * for equivalence; from stdlib's implementations, not hand-written
 * distributions), Holm's correction for a family of claims, and what a
 * design could have detected (minimum detectable effect at 80% power, and
 * the seeds an observed effect would need).
 *
 * ```ts
 * const r = pairedT([2.1, 1.9, 2.4], [0.6, 0.4, 0.9]); // r.diff 1.5, r.ci95, r.p, r.df 2
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 * @module
 */
import ttest from "@stdlib/stats-ttest";
import ttest2 from "@stdlib/stats-ttest2";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

// Descriptive arithmetic lives at the bottom layer, where the training loop's summaries use it too.
export { meanSd, meanSe } from "../_util.ts";
import { meanSd } from "../_util.ts";

/** Names of the tests a verdict can rest on. */
export type TestName = "paired t" | "Welch t" | "one-sample t" | "TOST paired t" | "TOST Welch t";

/** One test's outcome: everything a ledger entry reports about it. */
export interface TestResult {
  test: TestName;
  /** Seeds per arm (one number for a one-sample test). */
  n: number[];
  /** Mean difference (a - b, or mean - reference for one sample). */
  diff: number;
  /** Its standard error. */
  se: number;
  /** Degrees of freedom (Welch-Satterthwaite for Welch). */
  df: number;
  /** The t statistic against zero difference (against the reference for one sample). */
  t: number;
  /** 95% confidence interval of `diff`. */
  ci95: [number, number];
  /** Two-sided p-value; for TOST the larger of the two one-sided p-values. */
  p: number;
}

const finite = (xs: number[]) => xs.filter(Number.isFinite);

/** The standard error behind a 95% interval: its half-width over t_{0.975, df}. */
function seOf(ci: number[], df: number): number {
  return (ci[1] - ci[0]) / (2 * tQuantile(0.975, df));
}

/**
 * Paired t-test of a - b over pairs (same seed in both arms: same split,
 * initial-weight seed and data order). Needs two or more pairs.
 */
export function pairedT(a: number[], b: number[]): TestResult {
  if (a.length !== b.length) throw new RangeError(`pairedT: ${a.length} vs ${b.length} values`);
  const d = a.map((x, i) => x - b[i]).filter(Number.isFinite);
  if (d.length < 2) throw new RangeError("pairedT: needs two or more finite pairs");
  if (d.every((x) => x === d[0])) return degenerate("paired t", [d.length, d.length], d[0], d.length - 1);
  const r = ttest(d, { alpha: 0.05 });
  return {
    test: "paired t",
    n: [d.length, d.length],
    diff: r.mean,
    se: seOf(r.ci, r.df),
    df: r.df,
    t: r.statistic,
    ci95: [r.ci[0], r.ci[1]],
    p: r.pValue,
  };
}

/** Welch's two-sample t-test of mean(a) - mean(b) (unequal variances). Needs two or more values per arm. */
export function welchT(a: number[], b: number[]): TestResult {
  const x = finite(a), y = finite(b);
  if (x.length < 2 || y.length < 2) throw new RangeError("welchT: needs two or more finite values per arm");
  const diff = meanSd(x).mean - meanSd(y).mean;
  if (meanSd(x).sd === 0 && meanSd(y).sd === 0) {
    return degenerate("Welch t", [x.length, y.length], diff, x.length + y.length - 2);
  }
  const r = ttest2(x, y, { alpha: 0.05, variance: "unequal" });
  return {
    test: "Welch t",
    n: [x.length, y.length],
    diff,
    se: seOf(r.ci, r.df),
    df: r.df,
    t: r.statistic,
    ci95: [r.ci[0], r.ci[1]],
    p: r.pValue,
  };
}

/** One-sample t-test of mean(x) - reference. Needs two or more values. */
export function oneSampleT(x: number[], reference: number): TestResult {
  const v = finite(x);
  if (v.length < 2) throw new RangeError("oneSampleT: needs two or more finite values");
  if (v.every((y) => y === v[0])) return degenerate("one-sample t", [v.length], v[0] - reference, v.length - 1);
  const r = ttest(v, { alpha: 0.05, mu: reference });
  const diff = r.mean - reference;
  return {
    test: "one-sample t",
    n: [v.length],
    diff,
    se: seOf(r.ci, r.df),
    df: r.df,
    t: r.statistic,
    ci95: [r.ci[0] - reference, r.ci[1] - reference],
    p: r.pValue,
  };
}

/**
 * No spread at all (every pair or value identical): the interval is the
 * point and the p-value is 0 unless the difference is 0. Reported as such,
 * never as an infinitely strong effect: the verdict rules treat a zero
 * standard error as no evidence (see {@link hasSpread}).
 */
function degenerate(test: TestName, n: number[], diff: number, df: number): TestResult {
  return { test, n, diff, se: 0, df, t: diff === 0 ? 0 : Math.sign(diff) * Infinity, ci95: [diff, diff], p: NaN };
}

/** Whether a test had any spread to estimate its error from (identical values have none). */
export function hasSpread(r: TestResult): boolean {
  return r.se > 0 && Number.isFinite(r.se);
}

/** The upper `q` quantile of Student's t at `df` degrees of freedom. */
export function tCritical(q: number, df: number): number {
  return tQuantile(q, df);
}

/**
 * Two one-sided tests for equivalence within ±margin (Schuirmann 1987): the
 * p-value is the larger of the two one-sided p-values; equivalence at level
 * 0.05 is the 90% interval inside the margin. Paired when `paired`.
 */
export function tost(a: number[], b: number[], margin: number, paired: boolean): TestResult {
  const base = paired ? pairedT(a, b) : welchT(a, b);
  const test: TestName = paired ? "TOST paired t" : "TOST Welch t";
  if (!hasSpread(base)) return { ...base, test, p: NaN };
  const cdf = (t: number) => tUpperTail(t, base.df);
  // H0a: diff <= -margin (reject when t_lower large); H0b: diff >= margin (reject when t_upper very negative).
  const pLower = cdf((base.diff + margin) / base.se);
  const pUpper = cdf(-(base.diff - margin) / base.se);
  return { ...base, test, p: Math.max(pLower, pUpper) };
}

/** P(T > t) for Student's t at `df`. */
function tUpperTail(t: number, df: number): number {
  return 1 - tCdf(t, df);
}

/**
 * Holm's step-down adjustment of a family of p-values (Holm 1979): sort
 * ascending, multiply the i-th smallest by (m - i + 1), keep the running
 * maximum, cap at 1. NaN p-values are not in the family and stay NaN.
 */
export function holm(ps: number[]): number[] {
  const idx = ps.map((p, i) => [p, i] as const).filter(([p]) => Number.isFinite(p)).sort((x, y) => x[0] - y[0]);
  const m = idx.length;
  const out = ps.map(() => NaN);
  let running = 0;
  idx.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Minimum detectable effect of a two-sided test at level `alpha` with
 * power `power`, given the standard error and degrees of freedom the design
 * had: (t_{1-alpha/2} + t_{power}) * se.
 */
export function minimumDetectableEffect(se: number, df: number, alpha = 0.05, power = 0.8): number {
  return (tCritical(1 - alpha / 2, df) + tCritical(power, df)) * se;
}

/**
 * Roughly how many seeds per arm a design needs to detect `effect` at 80%
 * power, from the per-seed spread observed: `sd` of the paired differences
 * (or of one sample), or the two arms' standard deviations for Welch. The
 * smallest n from 2 to 10,000 that reaches it; Infinity when none does.
 */
export function seedsNeeded(
  effect: number,
  spread: { sd: number } | { sdA: number; sdB: number },
  alpha = 0.05,
  power = 0.8,
): number {
  if (!Number.isFinite(effect) || effect === 0) return Infinity;
  for (let n = 2; n <= 10000; n++) {
    let se: number, df: number;
    if ("sd" in spread) {
      se = spread.sd / Math.sqrt(n);
      df = n - 1;
    } else {
      const va = spread.sdA ** 2 / n, vb = spread.sdB ** 2 / n;
      se = Math.sqrt(va + vb);
      df = (va + vb) ** 2 / (va ** 2 / (n - 1) + vb ** 2 / (n - 1));
    }
    if (Math.abs(effect) >= minimumDetectableEffect(se, df, alpha, power)) return n;
  }
  return Infinity;
}

/**
 * Exact sign-flip (permutation) p-value of a one-sample or paired design:
 * under H0 (symmetric about 0) every pattern of signs of `x` is equally
 * likely; p is the share of the 2^n patterns whose mean is at least as
 * extreme as the observed one (`two-sided`: in absolute value; `greater`:
 * at least as large; `less`: at most as small). Needs no normality, and
 * cannot go below 2^-n (two-sided: 2^(1-n)). NaN for more than 20 values.
 */
export function signFlipP(x: number[], alternative: "two-sided" | "greater" | "less" = "two-sided"): number {
  const n = x.length;
  if (n === 0 || n > 20) return NaN;
  const observed = x.reduce((a, b) => a + b, 0);
  // Sums compare with a relative tolerance: a pattern that ties the observed sum counts as extreme.
  const tol = 1e-12 * x.reduce((a, b) => a + Math.abs(b), 0);
  let extreme = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -x[i] : x[i];
    if (
      alternative === "two-sided"
        ? Math.abs(sum) >= Math.abs(observed) - tol
        : alternative === "greater"
        ? sum >= observed - tol
        : sum <= observed + tol
    ) extreme++;
  }
  return extreme / (1 << n);
}
