/**
 * The claims ledger: each statement the suite checks, its source (study
 * note and paper figure or table), the metric, the expected direction or
 * value, and a verdict judged from the runs, with the evidence files named.
 *
 * Verdicts: a direction claim is `supported` only when the mean difference
 * exceeds twice its standard error, `contradicted` when it is that far the
 * other way, otherwise `inconclusive` with the effect and spread written out;
 * `not-run` when the runs it needs are absent. Exact claims (counts) are
 * judged by equality or a stated tolerance.
 *
 * Judging is pure: a claim is a function of the experiment's {@link Evidence},
 * read once by evidence.ts; nothing here reads or writes files.
 *
 * ```ts
 * const entries = judgeClaims(exp.claims, await loadEvidence("results", exp.name));
 * console.log(renderLedgerMarkdown(entries));
 * ```
 * @module
 */
import type { Evidence, RunEvidence } from "./evidence.ts";
import { meanSd } from "./stats.ts";

/** A verdict. */
export type Verdict = "supported" | "contradicted" | "inconclusive" | "not-run";

/** A measurement with its standard error (NaN when it has none). */
export interface Estimate {
  value: number;
  se: number;
}

/** A number measured from one run, with its within-run standard error when it has one. */
export type Measure = (ev: RunEvidence) => Estimate;

/** A ledger entry before judging. */
export interface Claim {
  /** Stable id, e.g. `depth-1`. */
  id: string;
  /** The statement, in the suite's words. */
  claim: string;
  /** Where it comes from: study note and paper section, figure or table. */
  source: string;
  /** Experiment whose runs judge it (`model-zoo` for accounting). */
  experiment: string;
  /** What is measured. */
  metric: string;
  /** The expected direction or value, in words. */
  expected: string;
  /** Computes the verdict from the experiment's evidence (a pure function: no I/O). */
  judge: (ev: Evidence) => Judgement;
}

/** A verdict with its effect in words and the runs it used. */
export interface Judgement {
  verdict: Verdict;
  /** Effect and spread, e.g. `+0.012 ± 0.004 (2 se = 0.008)`. */
  effect: string;
  /** Run ids the verdict was judged from. */
  runs: string[];
  /** Experiment-level files it was judged from (e.g. `timing.json`). */
  files?: string[];
}

/** A judged ledger entry, as written to ledger.json. */
export type LedgerEntry = Omit<Claim, "judge"> & {
  verdict: Verdict;
  /** Effect and spread in words. */
  effect: string;
  /** Files the verdict was judged from, relative to the results root. */
  evidence: string[];
};

/** The rule: `supported` when diff > 2 se, `contradicted` when diff < -2 se, else `inconclusive`. */
export function directionVerdict(diff: number, se: number): Verdict {
  if (!Number.isFinite(diff) || !Number.isFinite(se)) return "inconclusive";
  if (diff > 2 * se) return "supported";
  if (diff < -2 * se) return "contradicted";
  return "inconclusive";
}

/** A number to three significant digits (exponent notation when tiny or huge). */
function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(3);
}

/**
 * Pools per-run estimates of one variant: the mean over seeds with the
 * standard error over seeds when there are two or more, else the single
 * run's own standard error (NaN when it has none).
 */
export function pool(estimates: Estimate[]): Estimate & { n: number } {
  const s = meanSd(estimates.map((e) => e.value));
  if (s.n >= 2) return { value: s.mean, se: s.sd / Math.sqrt(s.n), n: s.n };
  return { value: s.mean, se: estimates.find((e) => Number.isFinite(e.value))?.se ?? NaN, n: s.n };
}

/** Options of {@link compareClaim}. */
export interface CompareSpec extends Omit<Claim, "judge" | "expected"> {
  /** Variant expected to be larger (for `greater`) or smaller (for `less`). */
  a: string;
  /** The variant it is compared with. */
  b: string;
  /** `greater`: a > b; `less`: a < b. */
  direction: "greater" | "less";
  /** The number compared. */
  measure: Measure;
  /** Also use diverged runs (for measures taken before the divergence, such as early gradient norms). */
  includeDiverged?: boolean;
}

/** A claim that variant `a`'s measure is greater (or less) than `b`'s, beyond noise. */
export function compareClaim(spec: CompareSpec): Claim {
  const { a, b, direction, measure, includeDiverged, ...rest } = spec;
  return {
    ...rest,
    expected: `${a} ${direction === "greater" ? ">" : "<"} ${b}`,
    judge: ({ runs }) => {
      const ok = (s: string) => s === "complete" || (includeDiverged === true && s === "diverged");
      const of = (v: string) => runs.filter((r) => r.run.variant === v && ok(r.run.status));
      const ra = of(a), rb = of(b);
      const used = [...ra, ...rb].map((r) => r.run.id);
      if (ra.length === 0 || rb.length === 0) {
        return { verdict: "not-run", effect: `no completed ${ra.length ? b : a} run`, runs: used };
      }
      const pa = pool(ra.map(measure)), pb = pool(rb.map(measure));
      const diff = (pa.value - pb.value) * (direction === "greater" ? 1 : -1);
      const se = Math.sqrt(pa.se ** 2 + pb.se ** 2);
      const verdict = directionVerdict(diff, se);
      const spread = Number.isFinite(se) ? ` ± ${sig3(se)} (se)` : " (no spread: one seed and no within-run error)";
      return {
        verdict,
        effect: `${a} ${sig3(pa.value)} vs ${b} ${sig3(pb.value)}: difference ${sig3(pa.value - pb.value)}${spread}, ` +
          `seeds ${pa.n}/${pb.n}`,
        runs: used,
      };
    },
  };
}

/** Options of {@link thresholdClaim}. */
export interface ThresholdSpec extends Omit<Claim, "judge" | "expected"> {
  /** The variant measured. */
  variant: string;
  /** `above`: measure > threshold; `below`: measure < threshold. */
  direction: "above" | "below";
  /** The threshold. */
  threshold: number;
  /** The number compared. */
  measure: Measure;
}

/** A claim that a variant's measure lies above (or below) a threshold, beyond noise. */
export function thresholdClaim(spec: ThresholdSpec): Claim {
  const { variant, direction, threshold, measure, ...rest } = spec;
  return {
    ...rest,
    expected: `${variant}: ${direction === "above" ? ">" : "<"} ${sig3(threshold)}`,
    judge: ({ runs }) => {
      const rs = runs.filter((r) =>
        r.run.variant === variant && r.run.status !== "failed" && r.run.status !== "running"
      );
      if (rs.length === 0) return { verdict: "not-run", effect: `no ${variant} run`, runs: [] };
      const p = pool(rs.map(measure));
      const diff = (p.value - threshold) * (direction === "above" ? 1 : -1);
      return {
        verdict: directionVerdict(diff, p.se),
        effect: `${sig3(p.value)}${Number.isFinite(p.se) ? ` ± ${sig3(p.se)} (se)` : " (no spread)"}, seeds ${p.n}`,
        runs: rs.map((r) => r.run.id),
      };
    },
  };
}

/** Options of {@link equivalenceClaim}. */
export interface EquivalenceSpec extends Omit<Claim, "judge" | "expected"> {
  a: string;
  b: string;
  /** The largest difference that still counts as "the same". */
  margin: number;
  measure: Measure;
  /** How to print the margin (default plain). */
  unit?: "percent";
}

/**
 * A claim that two variants are the same within a margin: `supported` when
 * the difference plus twice its standard error stays inside the margin,
 * `contradicted` when the difference minus twice its standard error is
 * outside it, else `inconclusive` (two one-sided tests, in effect).
 */
export function equivalenceClaim(spec: EquivalenceSpec): Claim {
  const { a, b, margin, measure, unit, ...rest } = spec;
  const show = (x: number) => unit === "percent" ? `${(100 * x).toFixed(2)} points` : sig3(x);
  return {
    ...rest,
    expected: `|${a} - ${b}| < ${show(margin)}`,
    judge: ({ runs }) => {
      const of = (v: string) => runs.filter((r) => r.run.variant === v && r.run.status === "complete");
      const ra = of(a), rb = of(b);
      const used = [...ra, ...rb].map((r) => r.run.id);
      if (ra.length === 0 || rb.length === 0) {
        return { verdict: "not-run", effect: `no completed ${ra.length ? b : a} run`, runs: used };
      }
      const pa = pool(ra.map(measure)), pb = pool(rb.map(measure));
      const diff = Math.abs(pa.value - pb.value);
      const se = Math.sqrt(pa.se ** 2 + pb.se ** 2);
      const verdict: Verdict = !Number.isFinite(se)
        ? "inconclusive"
        : diff + 2 * se < margin
        ? "supported"
        : diff - 2 * se > margin
        ? "contradicted"
        : "inconclusive";
      return {
        verdict,
        effect: `${a} ${sig3(pa.value)} vs ${b} ${sig3(pb.value)}: |difference| ${show(diff)} ± ${
          show(se)
        } (se), margin ${show(margin)}, seeds ${pa.n}/${pb.n}`,
        runs: used,
      };
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
  /** The count the source states. */
  stated: number;
  /** The count the suite computes, from built layers or the evidence (e.g. the zoo's `costs.json`). */
  compute: (ev: Evidence) => number;
  /** Allowed relative difference (0: exact). */
  tolerance: number;
  /** Why the tolerance, when not 0. */
  toleranceWhy?: string;
}

/** An accounting claim: a computed number equals the stated one, exactly or within a stated tolerance. */
export function exactClaim(spec: ExactSpec): Claim {
  const { stated, compute, tolerance, toleranceWhy, ...rest } = spec;
  return {
    ...rest,
    expected: tolerance === 0
      ? `= ${stated}`
      : `${stated} within ${tolerance * 100}%${toleranceWhy ? ` (${toleranceWhy})` : ""}`,
    judge: (ev) => {
      const got = compute(ev);
      const rel = Math.abs(got - stated) / Math.max(Math.abs(stated), 1e-12);
      return {
        verdict: rel <= tolerance ? "supported" : "contradicted",
        effect: `computed ${got}${
          got === stated ? "" : ` (${rel >= 1e-4 ? `${(rel * 100).toFixed(2)}%` : "<0.01%"} off)`
        }`,
        runs: [],
      };
    },
  };
}

/** Judges one claim from an experiment's evidence: the entry for the ledger, with its evidence files named. */
export function judgeClaim(claim: Claim, ev: Evidence): LedgerEntry {
  const j = claim.judge(ev);
  const { judge: _, ...fields } = claim;
  return {
    ...fields,
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

/** Judges every claim from one evidence object. */
export function judgeClaims(claims: Claim[], ev: Evidence): LedgerEntry[] {
  return claims.map((c) => judgeClaim(c, ev));
}

/** The ledger as a Markdown table. */
export function renderLedgerMarkdown(entries: LedgerEntry[]): string {
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const lines = [
    "| id | claim | source | expected | verdict | effect | evidence |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    const ev = e.evidence.filter((f) => f.endsWith("run.json")).map((f) => f.replace(/\/run\.json$/, "")).join(", ");
    lines.push(
      `| ${e.id} | ${esc(e.claim)} | ${esc(e.source)} | ${esc(e.expected)} | **${e.verdict}** | ${esc(e.effect)} | ${
        esc(ev || "-")
      } |`,
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
