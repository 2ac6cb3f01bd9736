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
  signFlipP,
  tCritical,
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
  /** The paired differences, or one sample's deviations from its threshold, for the exact sign-flip p. */
  deviations?: number[],
): Stat {
  const n = Object.values(values).map((m) => m.size);
  const blocked = n.some((k) => k < MIN_SEEDS)
    ? `fewer than ${MIN_SEEDS} seeds per arm (n = ${n.join("/")})`
    : test && !hasSpread(test)
    ? "no spread over seeds (identical values): no test is possible"
    : undefined;
  const effect = test?.diff ?? rawDiff;
  const pExact = !deviations || blocked ? undefined : base.kind === "equivalence"
    // Two one-sided sign-flip tests: H0 diff <= -margin and H0 diff >= +margin.
    ? Math.max(
      signFlipP(deviations.map((d) => d + (base.margin ?? 0)), "greater"),
      signFlipP(deviations.map((d) => d - (base.margin ?? 0)), "less"),
    )
    : signFlipP(deviations);
  const stat: Stat = {
    ...base,
    test: test?.test ?? "none",
    n,
    values: Object.fromEntries(
      Object.entries(values).map(([k, m]) => [k, Object.fromEntries([...m].map(([s, v]) => [String(s), v]))]),
    ),
    diff: effect,
    ci95: test?.ci95 ?? [NaN, NaN],
    se: test?.se ?? NaN,
    df: test?.df ?? NaN,
    t: test?.t ?? NaN,
    spread,
    p: test && hasSpread(test) ? test.p : NaN,
    // A family of one until applyHolm sees the entry's declared family.
    pHolm: test && hasSpread(test) && !blocked ? test.p : NaN,
    ...(pExact !== undefined && Number.isFinite(pExact) ? { pExact, pHolmExact: pExact } : {}),
    level: ALPHA,
    mde: NaN,
    seedsNeeded: NaN,
    ...(blocked ? { blocked } : {}),
  };
  return { ...stat, ...powerAt(stat, ALPHA) };
}

/**
 * The power figures of a design at a level: the smallest effect it detects
 * at {@link POWER}, and the seeds per arm the observed effect would need
 * (equivalence: to show the observed difference inside the margin). Equivalence (two one-sided tests, each at the
 * level): the narrowest margin this design could certify at POWER if the
 * true difference were 0 is (t_{1-level} + t_{1-(1-POWER)/2}) se, i.e. the
 * two-sided formula at 2 level and a power of 1 - (1 - POWER) / 2 (each
 * side must pass); a difference claim's is (t_{1-level/2} + t_POWER) se.
 */
export function powerAt(s: Pick<Stat, "kind" | "margin" | "diff" | "se" | "df" | "spread">, level: number) {
  const equiv = s.kind === "equivalence";
  const [alpha, power] = equiv ? [2 * level, 1 - (1 - POWER) / 2] : [level, POWER];
  const mde = s.se > 0 && Number.isFinite(s.se) ? minimumDetectableEffect(s.se, s.df, alpha, power) : NaN;
  if (!Number.isFinite(mde)) return { level, mde, seedsNeeded: NaN };
  if (!equiv) {
    return { level, mde, seedsNeeded: seedsNeeded(Math.max(Math.abs(s.diff), 1e-12), s.spread, alpha, power) };
  }
  // Equivalence at the observed difference d: the nearer bound decides, so the design needs
  // (t_{1-level} + t_POWER) se <= margin - |d|; none does when |d| is at or beyond the margin.
  const room = (s.margin ?? 0) - Math.abs(s.diff);
  return { level, mde, seedsNeeded: room > 0 ? seedsNeeded(room, s.spread, 2 * level, POWER) : Infinity };
}

/** The per-seed deviations an exact sign-flip test reads: paired differences a - b (same seeds), else none. */
export function pairedDeviations(a: Map<number, number>, b: Map<number, number>): number[] | undefined {
  if (!sameSeeds(a, b)) return undefined;
  return [...a.keys()].sort((x, y) => x - y).map((s) => a.get(s)! - b.get(s)!);
}

/**
 * The verdict of a training entry from its statistics (after Holm):
 * `supported` when Holm's p < 0.05 in the expected direction (equivalence:
 * the two one-sided tests pass), `contradicted` when it is significant the
 * other way (equivalence: the interval at the deciding level, ALPHA / the
 * family's size, lies wholly outside the margin), else `inconclusive`.
 */
export function decide(s: Stat): Verdict {
  if (s.blocked || !Number.isFinite(s.p)) return "inconclusive";
  const significant = Number.isFinite(s.pHolm) && s.pHolm < ALPHA;
  if (s.kind === "equivalence") {
    if (significant) return "supported";
    // Contradicted: the difference lies beyond the margin, by an interval at the level that decides (ALPHA / the
    // family's size; 95% outside a family), so that a contradiction is held to the family's correction too.
    const m = s.margin ?? 0;
    const level = s.level ?? ALPHA;
    const half = Number.isFinite(s.se) && s.se > 0 ? tCritical(1 - level / 2, s.df) * s.se : NaN;
    const [lo, hi] = Number.isFinite(half) ? [s.diff - half, s.diff + half] : s.ci95;
    return lo > m || hi < -m ? "contradicted" : "inconclusive";
  }
  if (!significant) return "inconclusive";
  return Math.sign(s.diff) === s.sign ? "supported" : "contradicted";
}

/** Whether an entry has a p-value to correct: a training entry whose test ran with enough seeds. */
function tested(e: LedgerEntry): boolean {
  return e.kind !== undefined && e.verdict !== "not-run" && !e.blocked && Number.isFinite(e.p);
}

/**
 * Holm's correction over each declared family (entries sharing `family`),
 * its size the declared `familySize` whatever ran: a member with no p
 * (not run, too few seeds) counts as p = 1, so a verdict never depends on
 * what else happened to run. Training entries outside any family are
 * measurements: their own p decides them, uncorrected, and says so. Then
 * each training verdict, its power figures (at the level of Holm's first
 * step, ALPHA / size) and its words are made again. Pure and idempotent:
 * it reads the raw `p` and `pExact` only.
 */
export function applyHolm(entries: LedgerEntry[]): LedgerEntry[] {
  const adjusted = new Map<number, { pHolm: number; pHolmExact?: number }>();
  const families = new Map<string, number[]>();
  entries.forEach((e, i) => {
    if (e.kind !== undefined && e.family) families.set(e.family, [...(families.get(e.family) ?? []), i]);
  });
  for (const members of families.values()) {
    const size = Math.max(entries[members[0]].familySize ?? members.length, members.length);
    const pad = Array.from({ length: size - members.length }, () => 1);
    const ps = holm([...members.map((i) => tested(entries[i]) ? entries[i].p! : 1), ...pad]);
    const exact = holm([...members.map((i) => tested(entries[i]) ? entries[i].pExact ?? 1 : 1), ...pad]);
    members.forEach((i, k) => {
      if (!tested(entries[i])) return;
      adjusted.set(i, {
        pHolm: ps[k],
        ...(entries[i].pExact !== undefined ? { pHolmExact: exact[k] } : {}),
      });
    });
  }
  return entries.map((e, i) => {
    if (e.kind === undefined || e.verdict === "not-run") return e;
    const inFamily = e.family !== undefined;
    const a = adjusted.get(i);
    const pHolm = inFamily ? a?.pHolm ?? NaN : tested(e) ? e.p! : NaN;
    const level = inFamily ? ALPHA / Math.max(e.familySize ?? 1, 1) : ALPHA;
    const stat = {
      ...e,
      pHolm,
      ...(e.pExact !== undefined ? { pHolmExact: inFamily ? a?.pHolmExact ?? NaN : e.pExact } : {}),
    } as LedgerEntry & Stat;
    const powered = { ...stat, ...(Number.isFinite(stat.se) ? powerAt(stat, level) : { level }) };
    const verdict = decide(powered);
    return { ...powered, verdict, effect: describe(powered, verdict) };
  });
}

/** The declared families of a ledger's entries and their sizes (for its header). */
export function familySizes(entries: LedgerEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) if (e.kind !== undefined && e.family) out[e.family] = e.familySize ?? 0;
  return out;
}
