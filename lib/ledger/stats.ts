/**
 * Descriptive statistics every part of the suite shares: the mean, the
 * sample standard deviation and the standard error of the mean over the
 * finite values of a list. The tests over seeds build on these.
 *
 * ```ts
 * meanSd([1, 2, 3]); // { mean: 2, sd: 1, n: 3 }
 * meanSe([1, 2, 3]); // { value: 2, se: 0.577... }
 * ```
 * @module
 */

/** Mean, sample standard deviation (NaN for fewer than two values) and count of the finite values. */
export function meanSd(xs: number[]): { mean: number; sd: number; n: number } {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

/** The mean of the finite values and its standard error (NaN for fewer than two values). */
export function meanSe(xs: number[]): { value: number; se: number } {
  const s = meanSd(xs);
  return { value: s.mean, se: s.sd / Math.sqrt(s.n) };
}
