/**
 * The shape of the notes audit's data: one record per statement of a note
 * ({@link NoteLine}) and how each note's lines are covered
 * ({@link NoteCoverage}). Each note's records live in its own file
 * (`note_000.ts` to `note_004.ts`); `../notes_audit.ts` turns them into
 * ledger claims and `../notes_coverage.ts` counts them.
 * @module
 */
import type { ExactSpec } from "../../lib/ledger/claim_builders.ts";
import type { NoteCheck } from "../../lib/models/note_checks.ts";

/** One statement of a note, and how it is checked. */
export interface NoteLine {
  /** Ledger id: `n<note>-<line>`, with a suffix when a line states several things. */
  id: string;
  note: "000" | "001" | "002" | "003" | "004";
  line: number;
  /** The line's words, as written (Korean, with its own typos). */
  text: string;
  /** What it states, in the suite's words. */
  claim: string;
  /** What is computed (default for a shape: the built layer's output shape). */
  metric?: string;
  /** The number as stated (judged by `match`), a shape as written (`224x224x64`), or the expectation in words. */
  stated: number | string;
  /** How a stated number may differ from the computed one (default: equal after rounding to 1). */
  match?: ExactSpec["match"];
  /**
   * What to write in the note instead, in words a reader can use (required
   * where the entry is contradicted; the ledger shows it after the effect).
   */
  fix?: string;
  /**
   * The check: a named check and its arguments (lib/models/note_checks.ts);
   * or a comparison of two checks (`less`), a range (`within`), what the
   * source documents where the statement is about a source (`documented`: a
   * date, a citation, an attribution, what a paper says a result means; the
   * stated words are compared with the source's), or why the statement
   * cannot be decided here (`notChecked`: an entry `not-run`, with what our
   * build measures where that informs it).
   */
  check:
    | NoteCheck
    | { less: [NoteCheck, NoteCheck]; names: [string, string] }
    | { within: NoteCheck; from: number; below: number }
    | { documented: string; from: string }
    | { notChecked: string; measured?: { check: NoteCheck; what: string } };
}

/** Why a line has no entry of its own. */
export type Left = "opinion" | "no-fact" | "training" | "fact";

/** One note's lines, as the audit classified them. */
export interface NoteCoverage {
  /** Lines in the note. */
  lines: number;
  /** Blank lines, headings and images: nothing to check. */
  blank: number[];
  heading: number[];
  image: number[];
  /** Lines a training claim of an experiment checks. */
  checkedBy: Array<{ line: number; ids: string[] }>;
  /** Lines left, with why (`fact`: a checkable statement not yet an entry, named). */
  left: Array<{ line: number; left: Left; why: string }>;
}
