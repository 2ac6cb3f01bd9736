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
    return `${head}; ${margin}; inconclusive: this design could show equivalence within ±${show(s.mde, u, false)} (${
      100 * POWER
    }% power if the true difference were 0); ${need}`;
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
    ? `${head}; no effect of ${matters} or more (powered: this design detects ${mde} at ${100 * POWER}% power)`
    : `${head}; underpowered: this design detects ${mde} or more at ${
      100 * POWER
    }% power (${matters} matters); ${need}`;
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
