import assert from "node:assert/strict";
import {
  hasSpread,
  holm,
  meanSd,
  minimumDetectableEffect,
  oneSampleT,
  pairedT,
  seedsNeeded,
  signFlipP,
  tCritical,
  tost,
  welchT,
} from "./stats.ts";

const close = (got: number, want: number, tol = 1e-9) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${got} != ${want}`);

// Reference values: SciPy 1.17.1, computed once offline and pasted here:
//   stats.ttest_rel(a, b), stats.ttest_ind(a, b, equal_var=False), stats.ttest_1samp(x, 1.0),
//   each with .confidence_interval(0.95); TOST as the larger of two one-sided tests
//   (ttest_1samp(d, -m, alternative="greater"), ttest_1samp(d, m, alternative="less"); for Welch
//   ttest_ind(a + m, b, ..., alternative="greater") and ttest_ind(a - m, b, ..., alternative="less"));
//   stats.t.ppf(0.975, 4), stats.t.ppf(0.8, 4).

Deno.test("pairedT() matches scipy's ttest_rel: t, p, df and the 95% interval", () => {
  const r = pairedT([2.1, 1.9, 2.4, 2.2], [0.6, 0.4, 0.9, 1.3]);
  assert.equal(r.test, "paired t");
  assert.deepEqual(r.n, [4, 4]);
  assert.equal(r.df, 3);
  close(r.t, 9.000000000000002);
  close(r.p, 0.002895812161864145, 1e-7);
  close(r.ci95[0], 0.8726330542074441, 1e-7);
  close(r.ci95[1], 1.827366945792556, 1e-7);
  close(r.diff, 1.35);
  close(r.se, 0.15);
});

Deno.test("welchT() matches scipy's ttest_ind(equal_var=False), Welch-Satterthwaite df included", () => {
  const r = welchT([0.21, 0.25, 0.19, 0.30], [0.15, 0.18, 0.11]);
  assert.equal(r.test, "Welch t");
  assert.deepEqual(r.n, [4, 3]);
  close(r.t, 2.8714053652673863, 1e-7);
  close(r.p, 0.03495693941567134, 1e-7);
  close(r.df, 4.997559560913504, 1e-7);
  close(r.ci95[0], 0.009504232678307079, 1e-6);
  close(r.ci95[1], 0.17216243398835962, 1e-6);
});

Deno.test("oneSampleT() matches scipy's ttest_1samp; the interval is of the difference from the reference", () => {
  const r = oneSampleT([1.3, 1.1, 1.6, 0.9, 1.4], 1.0);
  assert.equal(r.df, 4);
  close(r.t, 2.1517753103661588, 1e-7);
  close(r.p, 0.09778665378822461, 1e-7);
  close(r.ci95[0], 0.9245208615073347 - 1, 1e-7);
  close(r.ci95[1], 1.5954791384926659 - 1, 1e-7);
  close(r.diff, 0.26);
});

Deno.test("tost() is the larger of the two one-sided p-values, paired and Welch, as scipy computes them", () => {
  const a = [0.140, 0.152, 0.147, 0.139, 0.150], b = [0.145, 0.149, 0.151, 0.141, 0.146];
  const paired = tost(a, b, 0.01, true);
  assert.equal(paired.test, "TOST paired t");
  close(paired.p, 0.0036563933947581953, 1e-6);
  const welch = tost(a, b, 0.01, false);
  assert.equal(welch.test, "TOST Welch t");
  close(welch.p, 0.011082284475500264, 1e-6);
});

Deno.test("holm() steps down: sorted p times (m - i + 1), running maximum, capped at 1; NaN stays out", () => {
  // By hand: sorted 0.01, 0.03, 0.04 -> 0.03, 0.06, max(0.06, 0.04) = 0.06.
  assert.deepEqual(holm([0.01, 0.04, 0.03]).map((p) => +p.toFixed(12)), [0.03, 0.06, 0.06]);
  assert.deepEqual(holm([0.5, NaN, 0.9]).map((p) => Number.isNaN(p) ? "nan" : +p.toFixed(12)), [1, "nan", 1]);
  assert.deepEqual(holm([]), []);
});

Deno.test("power: t quantiles as scipy's, the minimum detectable effect, and the seeds an effect needs", () => {
  close(tCritical(0.975, 4), 2.7764451051977934, 1e-9);
  close(tCritical(0.8, 4), 0.9409645772351816, 1e-9);
  close(minimumDetectableEffect(0.1, 4), 0.3717409682432975, 1e-9);
  // With sd 1 per paired difference, an effect of 1 needs the n where (t_.975 + t_.8)(n-1) / sqrt(n) <= 1: n = 10.
  const n = seedsNeeded(1, { sd: 1 });
  assert.equal(n, 10);
  assert.ok(minimumDetectableEffect(1 / Math.sqrt(n), n - 1) <= 1);
  assert.ok(minimumDetectableEffect(1 / Math.sqrt(n - 1), n - 2) > 1);
  assert.equal(seedsNeeded(0, { sd: 1 }), Infinity);
});

Deno.test("identical values have no spread: reported with a zero standard error and no p-value, never as proof", () => {
  // Two no-BN nets at exactly chance in every seed: 0.900 and 0.900.
  const r = welchT([0.9, 0.9, 0.9], [0.9, 0.9, 0.9]);
  assert.equal(hasSpread(r), false);
  assert.ok(Number.isNaN(r.p));
  assert.equal(hasSpread(pairedT([1, 2, 3], [0, 1, 2])), false, "constant paired differences");
  assert.equal(meanSd([0.9, 0.9]).sd, 0);
  assert.throws(() => pairedT([1], [2]), /two or more/);
});

Deno.test("signFlipP() is the exact sign-flip p: SciPy's permutation_test over all 2^n sign patterns", () => {
  // scipy.stats.permutation_test((x,), np.mean, permutation_type="samples", alternative=..., n_resamples=np.inf)
  const x = [0.8, -0.3, 1.2, 0.5, 0.9, -0.1, 0.7];
  assert.equal(signFlipP(x), 0.0625);
  assert.equal(signFlipP(x, "greater"), 0.03125);
  assert.equal(signFlipP(x, "less"), 0.9765625);
  // All of one sign: the two most extreme of 2^n patterns, so 3 pairs never go below 0.25.
  assert.equal(signFlipP([1, 2, 3]), 0.25);
  assert.ok(Number.isNaN(signFlipP([])) && Number.isNaN(signFlipP(Array(21).fill(1))));
});
