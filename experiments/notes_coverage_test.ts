import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { ROOT } from "../lib/_util.ts";
import { NOTE_LINES } from "./notes_audit.ts";
import { auditCounts, NOTES_COVERAGE } from "./notes_coverage.ts";

Deno.test("every line of notes 000 to 004 is an entry, nothing to check, checked by a claim, or left with a reason", () => {
  for (const [note, cov] of Object.entries(NOTES_COVERAGE)) {
    const seen = new Map<number, string>();
    const mark = (line: number, how: string) => {
      assert.ok(!seen.has(line) || how === "entry", `note ${note} line ${line}: ${seen.get(line)} and ${how}`);
      seen.set(line, how);
    };
    for (const k of ["blank", "heading", "image"] as const) for (const l of cov[k]) mark(l, k);
    for (const c of cov.checkedBy) mark(c.line, `checked by ${c.ids.join(", ")}`);
    for (const l of cov.left) {
      mark(l.line, `left (${l.left})`);
      if (l.left === "fact") {
        assert.ok(l.why.length > 10, `note ${note} line ${l.line}: a fact left without saying what`);
      }
    }
    for (const r of NOTE_LINES.filter((r) => r.note === note)) mark(r.line, "entry");
    const missing = Array.from({ length: cov.lines }, (_, i) => i + 1).filter((l) => !seen.has(l));
    assert.deepEqual(missing, [], `note ${note}: lines classified nowhere`);
  }
  const c = auditCounts(NOTE_LINES);
  assert.equal(c.nothing + c.checked + c.opinion + c.noFact + c.training + c.factsLeft, c.read, JSON.stringify(c));
});

// The notes live beside the project (../shared/seeds) where it is developed and in CI; a bare clone has none.
const seeds = join(ROOT, "..", "shared", "seeds");
Deno.test({
  name: "every entry quotes its note's line as written (fragments around an ellipsis included)",
  ignore: !existsSync(seeds),
  fn: async () => {
    const notes: Record<string, string[]> = {};
    for await (const e of Deno.readDir(seeds)) {
      const m = e.name.match(/^(\d{3})_/);
      if (m) notes[m[1]] = (await Deno.readTextFile(join(seeds, e.name))).replace(/\n$/, "").split("\n");
    }
    for (const [note, lines] of Object.entries(notes)) {
      assert.equal(lines.length, NOTES_COVERAGE[note as keyof typeof NOTES_COVERAGE].lines, `note ${note}: lines`);
    }
    for (const r of NOTE_LINES) {
      const line = notes[r.note][r.line - 1];
      for (const part of r.text.split("...").map((p) => p.trim()).filter(Boolean)) {
        assert.ok(line.includes(part), `${r.id}: "${part}" is not in note ${r.note} line ${r.line}: "${line}"`);
      }
    }
  },
});
