import assert from "node:assert/strict";
import { join } from "node:path";
import { readRun } from "../../lib/train/results.ts";
import { ROOT } from "../../lib/_util.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Arguments of `deno run experiments/commands/run.ts` for the smoke depth experiment, some variants, into `out`. */
function smokeRunArgs(variants: string, out: string): string[] {
  return [
    "run",
    "-A",
    join(ROOT, "experiments", "commands", "run.ts"),
    "depth-aux-residual",
    "--scale",
    "smoke",
    "--variants",
    variants,
    "--out",
    out,
  ];
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("kill -9 during `deno task run`, then the same command: completes, keeps earlier runs", opts, async () => {
  const out = await Deno.makeTempDir();
  const args = smokeRunArgs("plain-20,residual-20", out);
  const expDir = join(out, "depth-aux-residual");
  const completed = async () => {
    const done: string[] = [];
    try {
      for await (const e of Deno.readDir(expDir)) {
        const r = await readRun(join(expDir, e.name)).catch(() => undefined);
        if (r?.status === "complete") done.push(`${e.name}@${r.startedAt}`);
      }
    } catch { /* not created yet */ }
    return done;
  };
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "null" }).spawn();
  // Wait until the first run is complete and the second has started, then kill.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    let entries = 0;
    try {
      for await (const _ of Deno.readDir(expDir)) entries++;
    } catch { /* not created yet */ }
    if ((await completed()).length === 1 && entries === 2) break;
  }
  child.kill("SIGKILL");
  await child.status;
  const before = await completed();
  assert.equal(before.length, 1, "exactly one run had completed when killed");
  const rerun = await new Deno.Command(Deno.execPath(), { args, stdout: "null", stderr: "piped" }).output();
  const err = new TextDecoder().decode(rerun.stderr);
  assert.equal(rerun.code, 0, err);
  assert.match(err, /depth-aux-residual: 2\/2 runs done \(1 reused\)/, "one progress line, not a line per run");
  // The details are in the experiment's log, both attempts appended.
  const log = await Deno.readTextFile(join(out, "logs", "depth-aux-residual.log"));
  assert.match(log, /reusing the complete run/);
  assert.match(log, /left 'running' by process \d+ .*redoing/);
  const after = await completed();
  assert.equal(after.length, 2);
  assert.ok(after.includes(before[0]), "the run completed before the kill was reused, not recomputed");
  await Deno.remove(out, { recursive: true });
});

Deno.test(
  "a full disk while writing fails the new run in one line and leaves completed runs intact",
  opts,
  async () => {
    const out = await Deno.makeTempDir();
    const run = (variants: string, env: Record<string, string> = {}) =>
      new Deno.Command(Deno.execPath(), {
        args: smokeRunArgs(variants, out),
        env,
        stdout: "null",
        stderr: "piped",
      }).output();
    assert.equal((await run("plain-20")).code, 0);
    const expDir = join(out, "depth-aux-residual");
    const [done] = [...Deno.readDirSync(expDir)].filter((e) => e.name.startsWith("plain-20"));
    const snapshot = async () => {
      const contents: Record<string, string> = {};
      for (const f of await files(join(expDir, done.name))) {
        contents[f] = await Deno.readTextFile(
          join(expDir, done.name, f),
        );
      }
      return contents;
    };
    const before = await snapshot();
    const failed = await run("plain-20,residual-20", { DEEPER_INJECT_WRITE_FAILURE: "metrics.csv" });
    const err = new TextDecoder().decode(failed.stderr);
    assert.equal(failed.code, 1);
    assert.match(err, /^ {2}failed: depth-aux-residual residual-20 seed 0: No space left on device \(os error 28\)/m);
    assert.deepEqual(await snapshot(), before, "the completed run's files changed");
    const leftovers = [...Deno.readDirSync(expDir)].flatMap((e) =>
      e.isDirectory ? [...Deno.readDirSync(join(expDir, e.name))].map((f) => f.name) : []
    ).filter((n) => n.includes(".tmp-"));
    assert.deepEqual(leftovers, [], "temp files left behind");
    const [broken] = [...Deno.readDirSync(expDir)].filter((e) => e.name.startsWith("residual-20"));
    assert.equal((await readRun(join(expDir, broken.name))).status, "failed");
    await Deno.remove(out, { recursive: true });
  },
);
