import assert from "node:assert/strict";
import { parseFlags } from "./flags.ts";
import { DEFAULT_CONFIG, learningRate, resolveConfig } from "../train/config.ts";

const defaults = { reps: 5, pytorch: true, nets: "plain20", cellSeconds: 120 };

Deno.test("parseFlags() parses typed values and keeps positionals", () => {
  const f = parseFlags(["exp", "--reps", "3", "--no-pytorch", "--nets=a,b", "--cell-seconds", "9"], defaults, "t");
  assert.deepEqual(f, { reps: 3, pytorch: false, nets: "a,b", cellSeconds: 9, _: ["exp"] });
});

Deno.test("parseFlags() rejects unknown flags and bad values in one line naming the valid ones", () => {
  assert.throws(() => parseFlags(["--rep", "3"], defaults, "t"), {
    message: "t: unknown flag --rep; valid flags: --reps, --pytorch, --nets, --cell-seconds",
  });
  assert.throws(() => parseFlags(["--reps", "x"], defaults, "t"), { message: 't: --reps takes a number, got "x"' });
  assert.throws(() => parseFlags(["--pytorch=maybe"], defaults, "t"), { message: /takes true or false/ });
  assert.throws(() => parseFlags(["--nets"], defaults, "t"), { message: "t: --nets needs a value" });
});

Deno.test("resolveConfig() rejects unknown fields and wrong types", () => {
  assert.equal(resolveConfig({ depth: 56 }).depth, 56);
  assert.throws(() => resolveConfig({ dept: 56 } as never), { message: 'Unknown config field "dept"' });
  assert.throws(() => resolveConfig({ depth: "56" } as never), { message: /wants a number/ });
});

Deno.test("learningRate() follows the step schedule, cosine and warm-up", () => {
  const cfg = { ...DEFAULT_CONFIG, lr: 0.1, lrDrops: "0.5,0.75" };
  assert.equal(learningRate(cfg, 0, 100), 0.1);
  assert.ok(Math.abs(learningRate(cfg, 50, 100) - 0.01) < 1e-12);
  assert.ok(Math.abs(learningRate(cfg, 80, 100) - 0.001) < 1e-12);
  const cos = { ...cfg, schedule: "cosine" as const };
  assert.ok(Math.abs(learningRate(cos, 50, 100) - 0.05) < 1e-12);
  const warm = { ...cfg, warmupSteps: 10 };
  assert.ok(Math.abs(learningRate(warm, 0, 100) - 0.01) < 1e-12);
  assert.equal(learningRate(warm, 10, 100), 0.1);
});
