/**
 * The study notes' numbers, one record per statement: every parameter
 * count, multiplication count, output shape, sum of terms and saving that
 * notes 000 to 004 state about an architecture, quoted as written (note and
 * line), with the check that computes it from built layers or the zoo's
 * `costs.json` (a named function of lib/models/note_checks.ts). Where a
 * note is wrong the verdict is `contradicted` and the entry gives the right
 * value; the claim is never rewritten into its corrected form. A tolerance
 * applies only where the note says "about" (약, 수준): within one unit of
 * its last digit; otherwise the computed number must equal the stated one
 * after the note's own rounding.
 *
 * The records are data, one file per note (`notes/note_000.ts` to
 * `notes/note_004.ts`, gathered in {@link NOTE_LINES}); {@link noteClaim}
 * turns one into a ledger claim.
 * @module
 */
import type { Claim, Judgement } from "../lib/ledger/claims.ts";
import { exactClaim } from "../lib/ledger/claim_builders.ts";
import type { Evidence } from "../lib/ledger/evidence.ts";
import { type CostTables, runNoteCheck } from "../lib/models/note_checks.ts";
import { zooCostsOf } from "../lib/models/zoo_costs.ts";
import type { NoteLine } from "./notes/note_line.ts";
import { NOTE_000_LINES } from "./notes/note_000.ts";
import { NOTE_001_LINES } from "./notes/note_001.ts";
import { NOTE_002_LINES } from "./notes/note_002.ts";
import { NOTE_003_LINES } from "./notes/note_003.ts";
import { NOTE_004_LINES } from "./notes/note_004.ts";

/** Where a note line is quoted from, as the ledger's source column shows it. */
export function cite(r: Pick<NoteLine, "note" | "line" | "text">): string {
  return `note ${r.note}, line ${r.line}: "${r.text}"`;
}

/** The zoo's cost tables from the evidence. Checks that build their own layers need none, so a missing file is empty. */
function tablesOf(ev: Evidence): CostTables {
  return "costs.json" in ev.files ? zooCostsOf(ev.files).tables : {};
}

/** A ledger claim from one record. */
export function noteClaim(r: NoteLine): Claim {
  const claim = checkedClaim(r);
  const judge = claim.judge;
  return {
    ...claim,
    judge: (ev: Evidence): Judgement => {
      const j = judge(ev);
      if (j.verdict !== "contradicted") return j;
      return { ...j, effect: `${j.effect}; ${r.fix ? `in the note, write: ${r.fix}` : "no correction given"}` };
    },
  };
}

/** The claim of one record, judged by its check alone. */
function checkedClaim(r: NoteLine): Claim {
  const base = { id: r.id, claim: r.claim, source: cite(r) };
  const c = r.check;
  if ("notChecked" in c) {
    const expected = typeof r.stated === "number" ? `= ${r.stated}` : r.stated;
    const judge = (ev: Evidence): Judgement => {
      const m = c.measured;
      const got = m ? runNoteCheck(m.check, tablesOf(ev)) : undefined;
      const shown = typeof got === "number" ? String(Number(got.toPrecision(4))) : got?.join("x");
      return { verdict: "not-run", effect: `${c.notChecked}${m ? `; ${m.what}: ${shown}` : ""}`, runs: [] };
    };
    return { ...base, metric: r.metric ?? "", expected, judge };
  }
  if ("documented" in c) {
    // A statement about a source (who, when, what it says): the note's words against the source's.
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    return {
      ...base,
      metric: r.metric ?? "what the source documents",
      expected: `as documented: ${c.documented}`,
      judge: (): Judgement => ({
        verdict: same(String(r.stated), c.documented) ? "supported" : "contradicted",
        effect: `the note says "${r.stated}"; the source: ${c.documented} (${c.from})`,
        runs: [],
      }),
    };
  }
  if ("less" in c) {
    return {
      ...base,
      metric: r.metric ?? "",
      expected: String(r.stated),
      judge: (ev): Judgement => {
        const [a, b] = c.less.map((x) => runNoteCheck(x, tablesOf(ev)) as number);
        return {
          verdict: a < b ? "supported" : "contradicted",
          effect: `${c.names[0]} ${a.toLocaleString("en-US")} vs ${c.names[1]} ${b.toLocaleString("en-US")}`,
          runs: [],
          files: ["costs.json"],
        };
      },
    };
  }
  if ("within" in c) {
    return {
      ...base,
      metric: r.metric ?? "",
      expected: String(r.stated),
      judge: (ev): Judgement => {
        const n = runNoteCheck(c.within, tablesOf(ev)) as number;
        return {
          verdict: n >= c.from && n < c.below ? "supported" : "contradicted",
          effect: `computed ${n}`,
          runs: [],
        };
      },
    };
  }
  if (typeof r.stated === "string") {
    // A shape, compared as written.
    const stated = r.stated;
    return {
      ...base,
      metric: r.metric ?? "output shape of the built layer (height x width x channels)",
      expected: `= ${stated}`,
      judge: (ev): Judgement => {
        const got = (runNoteCheck(c, tablesOf(ev)) as number[]).join("x");
        return {
          verdict: got === stated ? "supported" : "contradicted",
          effect: got === stated ? `computed ${got}` : `computed ${got}; the right value is ${got}`,
          runs: [],
          files: ["costs.json"],
        };
      },
    };
  }
  return exactClaim({
    ...base,
    metric: r.metric ?? "",
    stated: r.stated,
    compute: (ev) => runNoteCheck(c, tablesOf(ev)) as number,
    match: r.match ?? { exact: { step: 1 } },
  });
}

/** Every checkable statement of notes 000 to 004 about an architecture's numbers, in note and line order. */
/** Every checkable statement of notes 000 to 004, in note and line order. */
export const NOTE_LINES: NoteLine[] = [
  ...NOTE_000_LINES,
  ...NOTE_001_LINES,
  ...NOTE_002_LINES,
  ...NOTE_003_LINES,
  ...NOTE_004_LINES,
];

/** The notes' statements as ledger claims (the model-zoo experiment judges them). */
export const notesClaims: Claim[] = NOTE_LINES.map(noteClaim);
