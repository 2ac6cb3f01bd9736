/**
 * The ledger in words: numbers to three significant digits, a training
 * entry's effect, test, interval and power as a sentence, the Markdown
 * table and the verdict counts. Pure: statistics in, text out.
 *
 * ```ts
 * console.log(renderLedgerMarkdown(entries));
 * ```
 * @module
 */
import { formatDuration } from "../_util.ts";
import { ALPHA, type LedgerEntry, POWER, type Stat, type Verdict } from "./claims.ts";

/** A number to three significant digits (exponent notation when tiny or huge). */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toPrecision(3);
}

/** A signed number in the stat's unit (`+1.45`, `-0.20 points`). */
export function show(x: number, unit?: "percent", signed = true): string {
  if (!Number.isFinite(x)) return String(x);
  const v = unit === "percent" ? 100 * x : x;
  const s = unit === "percent" ? v.toFixed(2) : sig3(v);
  return `${signed && v > 0 ? "+" : ""}${s}${unit === "percent" ? " points" : ""}`;
}

/** A p-value in a few characters. */
const pv = (p: number) => p < 1e-3 ? p.toExponential(1) : p.toFixed(3);

/**
 * The entry's effect in words: the difference, its interval, the test, p
 * and Holm's p (or "uncorrected" for a measurement outside any family), the
 * exact sign-flip p and whether it decides alike, n; the power figures at
 * the level of Holm's first step when inconclusive; the runs that did not
 * train.
 */
export function describe(s: Stat, verdict: Verdict): string {
  const u = s.unit;
  const seeds = (k: number) => `${k} seed${k === 1 ? "" : "s"}`;
  const n = s.n.length === 1
    ? seeds(s.n[0])
    : s.n[0] === s.n[1]
    ? `${seeds(s.n[0])} per arm`
    : `seeds ${s.n.join("/")}`;
  const untrained = s.untrained?.length
    ? `; rests on runs that did not train or diverged: ${s.untrained.join(", ")}`
    : "";
  if (s.test === "none" || !Number.isFinite(s.ci95[0])) {
    return `${s.label}: ${show(s.diff, u)}; ${s.blocked ?? "no test"}; ${n}${untrained}`;
  }
  const df = Number.isInteger(s.df) ? String(s.df) : s.df.toFixed(1);
  const inFamily = s.family !== undefined;
  const ps = Number.isFinite(s.p)
    ? `p = ${pv(s.p)}${
      inFamily
        ? Number.isFinite(s.pHolm) ? `, Holm p = ${pv(s.pHolm)} (family ${s.family}, ${s.familySize})` : ""
        : " (a measurement outside the declared family: uncorrected)"
    }`
    : "no p-value";
  const exact = s.pExact !== undefined && Number.isFinite(s.pExact)
    ? (() => {
      const pe = inFamily ? s.pHolmExact ?? NaN : s.pExact;
      const agree = (pe < ALPHA) === (s.pHolm < ALPHA);
      return `; exact sign-flip p = ${pv(s.pExact)}${inFamily ? `, Holm ${pv(pe)}` : ""}${
        agree ? "" : pe < ALPHA ? " (the exact test would decide it)" : " (the exact test would not decide it)"
      }`;
    })()
    : /paired|one-sample/.test(s.test) && Math.min(...s.n) > 20
    ? `; no exact sign-flip p (it counts all 2^n sign patterns, so it stops at 20 seeds)`
    : "";
  const head = `${s.label}: ${show(s.diff, u)} [95% CI ${show(s.ci95[0], u)}, ${show(s.ci95[1], u)}]; ${s.test}(${df})${
    Number.isFinite(s.t) && s.test.startsWith("TOST") === false ? ` = ${s.t.toFixed(2)}` : ""
  }, ${ps}${exact}; ${n}${untrained}`;
  const level = `${100 * POWER}% power at level ${sig3(s.level)}${
    inFamily ? ` (${ALPHA} / ${s.familySize}, Holm's first step)` : ""
  }`;
  if (s.kind === "equivalence") {
    const margin = `margin ±${show(s.margin ?? 0, u, false)}`;
    if (verdict !== "inconclusive") return `${head}; ${margin}`;
    if (s.blocked) return `${head}; ${margin}; inconclusive: ${s.blocked}`;
    const need = Math.abs(s.diff) >= (s.margin ?? 0)
      ? "the observed difference lies at or beyond the margin, so no number of seeds would show equivalence if it holds"
      : Number.isFinite(s.seedsNeeded) && s.seedsNeeded <= 10000
      ? `at the observed difference, ±${show(s.margin ?? 0, u, false)} would need about ${s.seedsNeeded} seeds per arm${
        costWords(s)
      }`
      : "no feasible number of seeds reaches the margin at the observed difference";
    return `${head}; ${margin}; inconclusive: this design could show equivalence within ±${
      show(s.mde, u, false)
    } (${level}, if the true difference were 0); ${need}`;
  }
  if (verdict !== "inconclusive") return head;
  if (s.blocked) return `${head}; inconclusive: ${s.blocked}`;
  const holmOnly = inFamily && Number.isFinite(s.pHolm) && s.p < ALPHA && s.pHolm >= ALPHA
    ? ` after Holm's correction (p < ${ALPHA} alone, not over its family of ${s.familySize})`
    : "";
  const mde = show(s.mde, u, false);
  const matters = show(s.minEffect, u, false);
  const opposite = Math.sign(s.diff) !== (s.sign ?? 1);
  const need = Number.isFinite(s.seedsNeeded) && s.seedsNeeded <= 10000
    ? `the observed ${show(Math.abs(s.diff), u, false)} would need about ${s.seedsNeeded} seeds per arm${
      opposite ? " to show the opposite of the claim" : ""
    }${costWords(s)}`
    : "the observed effect is too small for any feasible number of seeds";
  return s.mde <= s.minEffect
    ? `${head}; inconclusive${holmOnly}: no effect of ${matters} or more (this design detects ${mde} at ${level})`
    : `${head}; inconclusive${holmOnly}, underpowered: this design detects ${mde} or more at ${level} (${matters} matters); ${need}`;
}

/** What the seeds an entry needs would cost here, at the measured time per seed: the reason a budget cannot reach them. */
function costWords(s: Stat): string {
  if (s.secondsPerSeed === undefined) return "";
  const arms = s.n.length > 1 ? "of both arms" : "";
  return ` (about ${formatDuration(s.seedsNeeded * s.secondsPerSeed)} of training on this machine, at the measured ${
    formatDuration(s.secondsPerSeed)
  } per seed${arms ? ` ${arms}` : ""})`;
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
function counts(entries: LedgerEntry[]): string {
  const c: Record<string, number> = {};
  for (const e of entries) c[e.verdict] = (c[e.verdict] ?? 0) + 1;
  return Object.entries(c).map(([k, v]) => `${v} ${k}`).join(", ") || "none";
}

/**
 * The verdict counts, evidence apart from arithmetic: the declared
 * families' training claims, training measurements outside them, and
 * accounting claims (numbers computed from built nets, not evidence about
 * training).
 */
export function verdictCounts(entries: LedgerEntry[]): string {
  const training = entries.filter((e) => e.regime !== undefined);
  const family = training.filter((e) => e.family !== undefined);
  const measurements = training.filter((e) => e.family === undefined);
  const accounting = entries.filter((e) => e.regime === undefined);
  return `Training claims of the declared families: ${counts(family)} (of ${family.length}). ` +
    `Training measurements outside them: ${counts(measurements)} (of ${measurements.length}). ` +
    `Accounting (arithmetic on built nets and stated numbers): ${counts(accounting)} (of ${accounting.length}).`;
}
