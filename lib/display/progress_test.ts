import assert from "node:assert/strict";
import { join } from "node:path";
import {
  applyRunEvent,
  experimentProgress,
  fileLog,
  initialProgress,
  jupyterOutput,
  progressLine,
  type ProgressOutput,
  timeToGo,
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

/** An output that keeps every line, and a clock that moves only when told (seconds). */
function recorder() {
  const lines: string[] = [];
  const output: ProgressOutput = { show: (l) => void lines.push(l), flush: () => Promise.resolve() };
  let ms = 0;
  return { lines, output, now: () => ms, wait: (s: number) => void (ms += 1000 * s) };
}

Deno.test("without estimates, the time to go extrapolates the runs trained so far (reused runs cost nothing)", () => {
  const r = recorder();
  const p = experimentProgress("x", { output: r.output, now: r.now, total: 4 });
  assert.equal(r.lines.at(-1), "x: 0/4 runs done", "nothing to go on before a run has trained");
  p.hooks.onRun(ev(0, "reused"));
  p.hooks.onRun(ev(1, "training"));
  r.wait(120);
  p.hooks.onRun(ev(1, "complete"));
  // 120 s per trained run; of the 2 runs left, half are expected to be reused as so far: 120 s.
  assert.equal(p.state().trainedSeconds, 120);
  assert.equal(timeToGo(p.state()), 120);
  assert.match(r.lines.at(-1)!, /^x: 2\/4 runs done \(1 reused\) · about 2 min to go · last: plain-20 seed 0 complete/);
});

Deno.test("with the plan's estimates, the time to go is the estimates left, corrected by measured / estimated", () => {
  const r = recorder();
  // The cheap runs come first: extrapolating from them would say far too little.
  const estimates = [100, 100, 400, 400];
  const p = experimentProgress("x", { output: r.output, now: r.now, total: 4, estimates });
  // Before any run has trained the factor is 1: the plan's own 1,000 s.
  assert.equal(timeToGo(p.state()), 1000);
  assert.equal(r.lines.at(-1), "x: 0/4 runs done · about 17 min to go");
  // A reused run costs nothing and does not move the factor.
  p.hooks.onRun(ev(0, "reused"));
  assert.equal(timeToGo(p.state()), 900);
  // Run 1 takes 200 s against its 100 s estimate: the machine is twice as slow as planned.
  p.hooks.onRun(ev(1, "training"));
  assert.equal(timeToGo(p.state()), 900, "a run started but not yet reporting counts by its estimate");
  r.wait(200);
  p.hooks.onRun(ev(1, "complete"));
  assert.equal(timeToGo(p.state()), (400 + 400) * 2);
  assert.match(r.lines.at(-1)!, / · about 27 min to go · last: /);
  // A run in progress counts by its own time left; the runs after it by their corrected estimates.
  p.hooks.onRun(ev(2, "training"));
  r.wait(500);
  p.hooks.onProgress({ step: 50, totalSteps: 100, epoch: 1, epochs: 2, imagesPerSec: 10, secondsLeft: 300, loss: 1 });
  assert.equal(timeToGo(p.state()), 300 + 400 * 2);
  assert.match(r.lines.at(-1)!, /, 5 min left · about 18 min to go$/);
  r.wait(300);
  p.hooks.onRun(ev(2, "complete"));
  // Measured 200 + 800 s against estimated 100 + 400 s: still twice the plan.
  assert.equal(timeToGo(p.state()), 400 * 2);
  p.hooks.onRun(ev(3, "training"));
  r.wait(700);
  p.hooks.onRun(ev(3, "complete"));
  assert.equal(timeToGo(p.state()), undefined, "nothing left");
});

Deno.test("estimates that do not cover every run, or are not finite, fall back to extrapolating", () => {
  const events: Array<[RunEvent, number]> = [[ev(0, "training"), 0], [ev(0, "complete"), 50], [ev(1, "reused"), 0]];
  const after = (estimates?: number[]) =>
    events.reduce((s, [e, seconds]) => applyRunEvent(s, e, seconds), initialProgress("x", estimates));
  // Extrapolated: 50 s per trained run, half the runs so far trained, 2 runs left.
  assert.equal(timeToGo(after()), 50);
  assert.equal(timeToGo(after([100, 100, 100, 100])), 100, "the check that the estimates are used: 200 s left x 0.5");
  assert.equal(timeToGo(after([100, 100, NaN, 100])), 50, "a run the plan could not estimate");
  assert.equal(timeToGo(after([100, 100])), 50, "2 estimates for 4 runs");
  assert.throws(() => experimentProgress("x", { output: recorder().output, total: 3, estimates: [1, 2] }), {
    message: /2 estimates for 3 runs; give one per run, in run order/,
  });
});
