/**
 * How the notes audit covers notes 000 to 004, line by line: which lines are
 * blank, headings or images, and for every other line without an entry of
 * its own (the notes/ files), why it is left: an opinion, a sentence that
 * states no checkable fact, a statement about training the suite cannot run,
 * or a checkable fact not yet made an entry (named, so the gap is visible).
 * Lines a training claim of an experiment checks name that claim.
 * Classified by reading every line against the papers (2026-12-02).
 *
 * ```ts
 * console.log(auditCoverageLine(NOTE_LINES)); // "the notes audit read 917 lines ..."
 * ```
 * @module
 */
import type { NoteCoverage } from "./notes/note_line.ts";
import { NOTE_000_COVERAGE } from "./notes/note_000.ts";
import { NOTE_001_COVERAGE } from "./notes/note_001.ts";
import { NOTE_002_COVERAGE } from "./notes/note_002.ts";
import { NOTE_003_COVERAGE } from "./notes/note_003.ts";
import { NOTE_004_COVERAGE } from "./notes/note_004.ts";

/** Notes 000 to 004. */
export const NOTES_COVERAGE: Record<"000" | "001" | "002" | "003" | "004", NoteCoverage> = {
  "000": NOTE_000_COVERAGE,
  "001": NOTE_001_COVERAGE,
  "002": NOTE_002_COVERAGE,
  "003": NOTE_003_COVERAGE,
  "004": NOTE_004_COVERAGE,
};

/** The audit's counts: lines read, nothing to check, checked (by a note entry or a training claim), left by reason. */
export function auditCounts(entries: Array<{ note: string; line: number }>) {
  const c = { read: 0, nothing: 0, checked: 0, opinion: 0, noFact: 0, training: 0, factsLeft: 0 };
  for (const [note, cov] of Object.entries(NOTES_COVERAGE)) {
    const entryLines = new Set(entries.filter((e) => e.note === note).map((e) => e.line));
    c.read += cov.lines;
    c.nothing += cov.blank.length + cov.heading.length + cov.image.length;
    const byTraining = new Set(cov.checkedBy.map((x) => x.line));
    c.checked += new Set([...entryLines, ...byTraining]).size;
    for (const l of cov.left) {
      if (entryLines.has(l.line)) continue; // an entry was added since the line was classified
      if (l.left === "opinion") c.opinion++;
      else if (l.left === "no-fact") c.noFact++;
      else if (l.left === "training") c.training++;
      else c.factsLeft++;
    }
  }
  return c;
}

/** The counts in one sentence, for the ledger's header. */
export function auditCoverageLine(entries: Array<{ note: string; line: number }>): string {
  const c = auditCounts(entries);
  return `The notes audit read ${c.read} lines of notes 000 to 004: ${c.nothing} are blank, headings or images; ` +
    `${c.checked} are checked by ledger entries; ${c.opinion} state opinions, ${c.noFact} state no checkable fact and ` +
    `${c.training} are about training this suite cannot run; ` +
    (c.factsLeft
      ? `${c.factsLeft} checkable facts are not yet entries (each named, with what to check, in experiments/notes/).`
      : "no checkable fact is left without an entry.");
}
