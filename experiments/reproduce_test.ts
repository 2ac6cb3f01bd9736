import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../lib/_util.ts";
import type { LedgerEntry } from "../lib/ledger/claims.ts";
import { ALL_EXPERIMENTS } from "./experiments.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

async function reproduce(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "experiments", "reproduce.ts"), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test(
  "reproduce --scale smoke: every claim gets a verdict, charts and executed notebooks with pictures",
  opts,
  async () => {
    const out = await Deno.makeTempDir({ prefix: "deeper-reproduce-" });
    const r = await reproduce(["--scale", "smoke", "--out", out]);
    assert.equal(r.code, 0, r.stderr.slice(-3000));
    const ledger = JSON.parse(await Deno.readTextFile(join(out, "ledger.json"))) as {
      scale: string;
      family: { claims: number; correction: string };
      entries: LedgerEntry[];
    };
    assert.equal(ledger.scale, "smoke");
    assert.deepEqual(ledger.family, { claims: 0, correction: "Holm", alpha: 0.05, minSeeds: 3 });
    const expected = ALL_EXPERIMENTS.flatMap((e) => e.claims).map((c) => c.id);
    assert.deepEqual(ledger.entries.map((e) => e.id), expected);
    for (const e of ledger.entries) {
      // Smoke decides only early claims; converged ones are not-run with the budget they need; a note's number about a
      // net the zoo does not build (VGG-19) is not-run too.
      const notBuilt = new Set(["n000-7-vgg19"]);
      const allowed = e.regime === "converged" || notBuilt.has(e.id)
        ? ["not-run"]
        : ["supported", "contradicted", "inconclusive"];
      assert.ok(allowed.includes(e.verdict), `${e.id}: ${e.verdict} (${e.effect})`);
      if (e.regime === "early") {
        assert.equal(e.verdict, "inconclusive", `${e.id}: one seed at smoke can never decide (${e.effect})`);
        assert.match(e.effect, /fewer than 3 seeds per arm/);
      }
      for (const f of e.evidence) assert.ok((await Deno.stat(join(out, f))).isFile, `${e.id}: evidence ${f} missing`);
    }
    // The note's LeNet-5 sum leaves out C3's 1,516: the sum as written is contradicted, the total it states is right.
    const md = await Deno.readTextFile(join(out, "LEDGER.md"));
    assert.match(md, /\| n002-101-sum \| .* \| \*\*contradicted\*\* \| computed 58484 .*the right value is 58484/);
    assert.match(md, /\| n002-101-total \| .* \| \*\*supported\*\* \| computed 60000 \|/);
    for (const { name: exp } of ALL_EXPERIMENTS) {
      const charts = [...Deno.readDirSync(join(out, exp, "charts"))].filter((e) => e.name.endsWith(".svg"));
      assert.ok(charts.length >= 3, `${exp}: ${charts.length} charts`);
    }
    const notebooks = [...Deno.readDirSync(join(ROOT, "notebooks"))].filter((e) => e.name.endsWith(".ipynb"));
    assert.equal(notebooks.length, 4);
    for (const nb of notebooks) {
      const executed = JSON.parse(await Deno.readTextFile(join(out, "notebooks", nb.name)));
      const outputs = executed.cells.flatMap((c: { outputs?: Array<{ data?: Record<string, unknown> }> }) =>
        c.outputs ?? []
      );
      const svgs = outputs.filter((o: { data?: Record<string, unknown> }) => o.data?.["image/svg+xml"]);
      assert.ok(svgs.length >= 2, `${nb.name}: ${svgs.length} pictures in the executed copy`);
    }
    // A user's results compare with the committed reference out of the box.
    const cmp = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "experiments", "compare.ts"), join(ROOT, "results", "reference", "quick"), out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(cmp.code, 0, new TextDecoder().decode(cmp.stderr));
    const table = new TextDecoder().decode(cmp.stdout);
    assert.match(
      table,
      /^\| depth-aux-residual \| plain-20 \| test_error_main \| [\d.]+% \| [\d.]+% \| [-\d.]+% \| \d\/1 \| binomial \| [<\d.]+ \| (\*\*higher\*\*|\*\*lower\*\*|same) \|$/m,
    );
    // Everything completed: the same command again reuses every run.
    const again = await reproduce(["--scale", "smoke", "--out", out, "--no-notebooks"]);
    assert.equal(again.code, 0, again.stderr.slice(-2000));
    assert.doesNotMatch(again.stderr, /: training \(/, "a completed run was recomputed");
    await Deno.remove(out, { recursive: true });
  },
);

Deno.test("reproduce rejects an unknown scale and an unwritable results directory in one line", opts, async () => {
  const bad = await reproduce(["--scale", "huge"]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr.trim().split("\n").at(-1)!,
    /^reproduce: Unknown scale "huge": use one of smoke, quick, full$/,
  );
  const ro = await Deno.makeTempDir();
  await Deno.chmod(ro, 0o500);
  const isRoot = Deno.uid?.() === 0;
  const target = isRoot ? "/proc/deeper-cannot-write" : join(ro, "results");
  const denied = await reproduce(["--scale", "smoke", "--out", target]);
  assert.equal(denied.code, 2);
  assert.match(
    denied.stderr.trim().split("\n").at(-1)!,
    /^reproduce: results directory .* cannot be created \(.*\); pass --out DIR$/,
  );
  await Deno.remove(ro);
});
