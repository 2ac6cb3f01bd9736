/**
 * A training verdict from per-seed values: the test (paired, Welch,
 * one-sample, or two one-sided tests for equivalence), its interval, the
 * power figures, the verdict, and Holm's correction over the ledger's
 * family of training claims. Pure: values in, statistics out.
 *
 * ```ts
 * const stat = statOf(base, { a: va, b: vb }, twoArmTest(va, vb), raw, spreadOf(va, vb));
 * const verdict = decide(stat);
 * ```
 * @module
 */
import { ALPHA, type LedgerEntry, type Measure, MIN_SEEDS, POWER, type Stat, type Verdict } from "./claims.ts";
import type { RunEvidence } from "./evidence.ts";
import {
  hasSpread,
  holm,
  meanSd,
  minimumDetectableEffect,
  pairedT,
  seedsNeeded,
  type TestResult,
  welchT,
} from "./stats.ts";
import { describe } from "./wording.ts";

/** Per-seed values of one variant's usable runs: seed -> value (finite values only). */
export function seedValues(runs: RunEvidence[], measure: Measure): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of runs) {
    const v = measure(r).value;
    if (Number.isFinite(v)) out.set(r.run.seed, v);
  }
  return out;
}

export const sameSeeds = (a: Map<number, number>, b: Map<number, number>) =>
  a.size === b.size && [...a.keys()].every((s) => b.has(s));

/** Paired when both arms have the same seeds, Welch otherwise; undefined when an arm has fewer than two. */
export function twoArmTest(a: Map<number, number>, b: Map<number, number>): TestResult | undefined {
  if (a.size < 2 || b.size < 2) return undefined;
  if (sameSeeds(a, b)) {
    const seeds = [...a.keys()].sort((x, y) => x - y);
    return pairedT(seeds.map((s) => a.get(s)!), seeds.map((s) => b.get(s)!));
  }
  return welchT([...a.values()], [...b.values()]);
}

/** The spread behind a test, for the seeds-needed estimate. */
export function spreadOf(a: Map<number, number>, b?: Map<number, number>) {
  if (!b) return { sd: meanSd([...a.values()]).sd };
  if (sameSeeds(a, b)) return { sd: meanSd([...a.keys()].map((s) => a.get(s)! - b.get(s)!)).sd };
  return { sdA: meanSd([...a.values()]).sd, sdB: meanSd([...b.values()]).sd };
}

/** Fills a Stat from a test (or from the raw means when no test could run). */
export function statOf(
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
  // Equivalence (two one-sided tests, each at ALPHA): the narrowest margin this design could certify at POWER if
  // the true difference were 0 is (t_{1-ALPHA} + t_{1-(1-POWER)/2}) se, i.e. the two-sided formula at 2 ALPHA and
  // a power of 1 - (1 - POWER) / 2 (each side must pass); a difference claim's is (t_{1-ALPHA/2} + t_POWER) se.
  const equiv = base.kind === "equivalence";
  const [alpha, power] = equiv ? [2 * ALPHA, 1 - (1 - POWER) / 2] : [ALPHA, POWER];
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
