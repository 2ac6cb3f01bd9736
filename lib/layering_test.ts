import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { ROOT } from "./_util.ts";

/**
 * The layers of lib/, bottom to top (as ../shared/tools/layering.py reads
 * them): a module imports its own layer or lower ones. lib/display and
 * lib/cluster sit side by side at the top.
 */
const LAYERS: Array<[string, number]> = [
  ["lib/_util.ts", 0],
  ["lib/data", 1],
  ["lib/env", 1],
  ["lib/models", 2],
  ["lib/train", 3],
  ["lib/ledger", 4],
  ["lib/pipeline", 5],
  ["lib/display", 6],
  ["lib/cluster", 6],
];

/** lib/'s test fixtures: only tests import them. */
const LIB_FIXTURES = new Set(["lib/_test_util.ts"]);

const IMPORT = /(?:import|export)[^"']*?from\s+["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']/g;

/** Every .ts file under `dir` (relative to the root), and the project files it imports. */
async function graph(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(join(ROOT, d))) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(join(ROOT, p));
        out.set(p, [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(p), m[1] ?? m[2]))));
      }
    }
  };
  await walk(dir);
  return out;
}

function layerOf(path: string): number | undefined {
  return LAYERS.find(([k]) => path === k || path.startsWith(`${k}/`))?.[1];
}

const isTest = (p: string) => p.endsWith("_test.ts");

Deno.test("nothing under lib/ imports a command, a study or a test tool; lib/ imports run down its layers", async () => {
  const lib = await graph("lib");
  assert.ok(lib.size > 50, `${lib.size} modules read`);
  const problems: string[] = [];
  for (const [file, deps] of lib) {
    for (const d of deps) {
      if (!d.startsWith("lib/")) problems.push(`${file} imports ${d}, outside lib/`);
      else if (LIB_FIXTURES.has(d) && !isTest(file)) problems.push(`${file} imports the test fixture ${d}`);
      else if (!isTest(file) && !LIB_FIXTURES.has(d) && layerOf(d)! > layerOf(file)!) {
        problems.push(`${file} imports ${d}, a higher layer`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("studies import no command or test tool; commands import no test fixture of lib/", async () => {
  const exp = await graph("experiments");
  const problems: string[] = [];
  for (const [file, deps] of exp) {
    const study = !file.startsWith("experiments/commands/") && !file.startsWith("experiments/test_tools/");
    for (const d of deps) {
      if (study && !isTest(file) && /^experiments\/(commands|test_tools)\//.test(d)) {
        problems.push(`${file} (a study) imports ${d}`);
      }
      if (LIB_FIXTURES.has(d) && !isTest(file)) problems.push(`${file} imports the test fixture ${d}`);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("the project's imports have no cycle", async () => {
  const all = new Map([...await graph("lib"), ...await graph("experiments")]);
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (u: string, stack: string[]) => {
    if (state.get(u) === "done") return;
    if (state.get(u) === "open") {
      cycles.push([...stack.slice(stack.indexOf(u)), u].map((p) => relative("", p)).join(" -> "));
      return;
    }
    state.set(u, "open");
    for (const v of all.get(u) ?? []) visit(v, [...stack, u]);
    state.set(u, "done");
  };
  for (const u of all.keys()) visit(u, []);
  assert.deepEqual(cycles, []);
});

Deno.test("the import test sees a violation when there is one", () => {
  // A check that could not fail would prove nothing: the rule applied to made-up paths.
  assert.equal(layerOf("lib/train/train.ts"), 3);
  assert.ok(layerOf("lib/ledger/stats.ts")! > layerOf("lib/train/train.ts")!, "train importing ledger is upward");
  const line = ["import { x }", "from", '"../../experiments/commands/run.ts";'].join(" ");
  const imports = [...line.matchAll(IMPORT)];
  assert.equal(normalize(join("lib/env", imports[0][1])), "experiments/commands/run.ts");
});
