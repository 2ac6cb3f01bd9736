import assert from "node:assert/strict";
import { join } from "node:path";
import {
  applyRunEvent,
  experimentProgress,
  fileLog,
  initialProgress,
  jupyterOutput,
  progressLine,
} from "./progress.ts";
import { resolveConfig } from "../train/config.ts";
import type { RunEvent } from "../train/runner.ts";

const cfg = (variant: string, seed: number) => resolveConfig({ experiment: "x", variant, seed });
const ev = (index: number, state: RunEvent["state"], variant = "plain-20", seed = 0): RunEvent => ({
  index,
  total: 4,
  config: cfg(variant, seed),
  state,
});

Deno.test("progressLine() says runs done of total, the current run's step, loss, rate and time left", () => {
  let s = initialProgress("depth");
  s = applyRunEvent(s, ev(0, "reused"));
  s = applyRunEvent(s, ev(1, "training", "plain-56", 1));
  s = applyRunEvent(s, ev(1, "complete", "plain-56", 1), 100);
  s = applyRunEvent(s, ev(2, "training", "plain-56", 2));
  s = {
    ...s,
    current: {
      ...s.current!,
      step: { step: 80, totalSteps: 120, epoch: 2, epochs: 2, imagesPerSec: 640.4, secondsLeft: 30, loss: 1.2345 },
    },
  };
  assert.equal(
    progressLine(s),
    "depth: 2/4 runs done (1 reused) · run 3 plain-56 seed 2: step 80/120, epoch 2/2, loss 1.234, 640 img/s, " +
      "30 s left · about 1 min to go",
  );
  s = applyRunEvent(s, ev(2, "diverged", "plain-56", 2), 50);
  s = applyRunEvent(s, ev(3, "failed"), 1);
  assert.equal(progressLine(s), "depth: 4/4 runs done (1 reused, 1 diverged, 1 failed)");
});

Deno.test("jupyterOutput() updates one display, at most once per interval, and flush() awaits the last line", async () => {
  const sent: Array<{ text: string; id?: string; update?: boolean }> = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const out = jupyterOutput(async (b, o) => {
    await gate; // a slow kernel: flush must still wait for every update
    sent.push({ text: b["text/markdown"] as string, id: o?.display_id, update: o?.update });
  }, { intervalMs: 60_000, footer: "Details: `logs/x.log`." });
  out.show("a", "run");
  out.show("b", "step"); // within the interval: only remembered
  const flushed = out.flush();
  assert.equal(sent.length, 0);
  release();
  await flushed;
  assert.deepEqual(sent.map((s) => [s.text, s.update]), [
    ["a\n\nDetails: `logs/x.log`.", false],
    ["b\n\nDetails: `logs/x.log`.", true],
  ]);
  assert.equal(sent[0].id, sent[1].id);
});

Deno.test("experimentProgress(): detail lines go to the log file, a plain log gets a line per finished run", async () => {
  const dir = await Deno.makeTempDir();
  const shown: Array<[string, string]> = [];
  const log = join(dir, "logs", "x.log");
  const p = experimentProgress("x", {
    log: fileLog(log),
    output: { show: (l, e) => void shown.push([l, e]), flush: () => Promise.resolve() },
  });
  p.hooks.log("  x/plain-20-s0: reusing the complete run");
  p.hooks.onRun(ev(0, "reused"));
  p.hooks.onRun(ev(1, "training"));
  p.hooks.onProgress({ step: 10, totalSteps: 20, epoch: 1, epochs: 1, imagesPerSec: 100, secondsLeft: 5, loss: 2 });
  p.hooks.onRun({ ...ev(1, "failed"), error: "out of memory" });
  await p.done();
  assert.match(
    await Deno.readTextFile(log),
    /^\d{4}-\d\d-\d\dT[\d:.]+Z {3}x\/plain-20-s0: reusing the complete run\n$/,
  );
  assert.deepEqual(shown.map(([, e]) => e), ["step", "step", "step", "run", "final"]);
  assert.match(shown[3][0], /last: plain-20 seed 0 failed: out of memory$/);
  assert.equal(shown[4][0], "x: 2/4 runs done (1 reused, 1 failed)");
  await Deno.remove(dir, { recursive: true });
});
