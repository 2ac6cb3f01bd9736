/**
 * One progress line per experiment instead of a line per run: runs done of
 * the total, the current run's step, loss, images/s and time left. On a
 * terminal it is one line rewritten in place; in Jupyter one display updated
 * in place; in a log that is not a terminal (CI, a cluster job) a line per
 * finished run. The details (every run's reuse, training and result lines)
 * go to a log file in the results root, appended as they happen so nothing is
 * lost on a crash.
 *
 * ```ts
 * const progress = experimentProgress("depth-aux-residual", { log: fileLog("results/logs/depth-aux-residual.log") });
 * await trainRuns(plan, { ...ctx, observer: progress.hooks });
 * await progress.done();
 * ```
 * @module
 */
import { dirname } from "node:path";
import type { RunEvent } from "../train/runner.ts";
import type { StepProgress } from "../train/train.ts";
import type { Display } from "./jupyter.ts";
import { formatDuration } from "../_util.ts";

/** Where one experiment's runs stand. */
export interface ProgressState {
  experiment: string;
  /** Runs planned, and how many are finished (reused, trained, diverged or failed). */
  total: number;
  done: number;
  reused: number;
  diverged: number;
  failed: number;
  /** What the pipeline does now between runs (an analysis, judging), if anything. */
  stage?: string;
  /** The run training now, if any. */
  current?: { variant: string; seed: number; index: number; step?: StepProgress };
  /** Wall seconds of the runs trained so far, for the time left. */
  trainedSeconds: number;
  trained: number;
  /** The plan's estimated seconds of each run, by run index ({@link RunEvent} `index`), when the caller has them. */
  estimates?: readonly number[];
  /** The estimates of the runs finished so far (reused or trained). */
  estimatedDone?: number;
  /** The estimates of the runs trained so far (not reused), against which `trainedSeconds` is measured. */
  estimatedTrained?: number;
}

/** A state with nothing done yet; `estimates` as in {@link ProgressState}. */
export function initialProgress(experiment: string, estimates?: readonly number[]): ProgressState {
  return {
    experiment,
    total: 0,
    done: 0,
    reused: 0,
    diverged: 0,
    failed: 0,
    trainedSeconds: 0,
    trained: 0,
    ...(estimates ? { estimates, estimatedDone: 0, estimatedTrained: 0 } : {}),
  };
}

/** The state after a run event (pure). */
export function applyRunEvent(s: ProgressState, e: RunEvent, seconds = 0): ProgressState {
  const next = { ...s, total: e.total };
  const c = e.config;
  if (e.state === "training") return { ...next, current: { variant: c.variant, seed: c.seed, index: e.index } };
  next.done++;
  next.current = undefined;
  // A run without an estimate makes these NaN, and timeToGo() then falls back to extrapolating.
  const estimate = s.estimates ? s.estimates[e.index] ?? NaN : 0;
  if (s.estimates) next.estimatedDone = (s.estimatedDone ?? 0) + estimate;
  if (e.state === "reused") next.reused++;
  else {
    next.trained++;
    next.trainedSeconds += seconds;
    if (s.estimates) next.estimatedTrained = (s.estimatedTrained ?? 0) + estimate;
  }
  if (e.state === "diverged") next.diverged++;
  if (e.state === "failed") next.failed++;
  return next;
}

/**
 * Seconds the experiment still needs, or undefined when nothing is left or
 * there is nothing to go on yet.
 *
 * With the plan's per-run estimates: the estimates of the runs not yet done,
 * times a correction factor, the measured seconds of the runs trained so far
 * over their estimates (1 before any has trained; reused runs cost nothing,
 * so they count in neither). A run in progress that reports its own time
 * left counts by that instead of its estimate. The estimates must cover
 * every run and be finite; otherwise, and without estimates, the runs
 * trained so far are extrapolated, the runs still to come expected to need
 * training in the proportion seen so far (which under-estimates when the
 * cheap runs come first).
 */
export function timeToGo(s: ProgressState): number | undefined {
  if (s.done >= s.total) return undefined;
  const c = s.current;
  const est = s.estimates;
  if (est && est.length === s.total) {
    const all = est.reduce((a, b) => a + b, 0);
    const trainedEst = s.estimatedTrained ?? 0;
    const factor = s.trained > 0 && trainedEst > 0 ? s.trainedSeconds / trainedEst : 1;
    const inProgress = c?.step ? est[c.index] : 0;
    const left = (all - (s.estimatedDone ?? 0) - inProgress) * factor + (c?.step ? c.step.secondsLeft : 0);
    if (Number.isFinite(left)) return Math.max(0, left);
  }
  if (s.trained === 0) return undefined;
  // Reused runs cost nothing, and the runs still to come are expected to need training in the proportion seen so far.
  const perRun = s.trainedSeconds / s.trained, left = s.total - s.done, share = s.trained / s.done;
  return c?.step ? c.step.secondsLeft + perRun * (left - 1) * share : perRun * left * share;
}

/** The one line for a state, e.g. `depth-aux-residual: 4/27 runs done (3 reused) · plain-56 seed 1: step 80/120 ...`. */
export function progressLine(s: ProgressState): string {
  const notes = [
    s.reused ? `${s.reused} reused` : "",
    s.diverged ? `${s.diverged} diverged` : "",
    s.failed ? `${s.failed} failed` : "",
  ].filter(Boolean);
  let line = `${s.experiment}: ${s.done}/${s.total} runs done${notes.length ? ` (${notes.join(", ")})` : ""}`;
  const c = s.current;
  if (s.stage && !c) line += ` · ${s.stage}`;
  if (c) {
    line += ` · run ${c.index + 1} ${c.variant} seed ${c.seed}`;
    const p = c.step;
    if (p) {
      line += `: step ${p.step}/${p.totalSteps}, epoch ${p.epoch}/${p.epochs}, loss ${
        Number.isFinite(p.loss) ? p.loss.toFixed(3) : "n/a"
      }, ${p.imagesPerSec.toFixed(0)} img/s, ${formatDuration(p.secondsLeft)} left`;
    }
  }
  const toGo = timeToGo(s);
  if (toGo !== undefined) line += ` · about ${formatDuration(toGo)} to go`;
  return line;
}

/** Where the line goes: `show(line, final)`; `final` is the experiment's last line. */
export interface ProgressOutput {
  show(line: string, event: "step" | "run" | "final"): void;
  /** Waits for everything shown (displays in Jupyter are asynchronous). */
  flush(): Promise<void>;
}

/**
 * stderr: one line rewritten in place on a terminal; otherwise a line per
 * finished run and the final line (what a CI or cluster log wants).
 */
export function stderrOutput(isTerminal = Deno.stderr.isTerminal()): ProgressOutput {
  const enc = new TextEncoder();
  let last = 0;
  return {
    show(line, event) {
      if (isTerminal) {
        // Rewritten at most 4 times a second; the final line stays.
        if (event === "step" && performance.now() - last < 250) return;
        last = performance.now();
        const width = Deno.consoleSize?.().columns ?? 120;
        Deno.stderr.writeSync(enc.encode(`\r${line.slice(0, width - 1)}\x1b[K${event === "final" ? "\n" : ""}`));
      } else if (event !== "step") Deno.stderr.writeSync(enc.encode(line + "\n"));
    },
    flush: () => Promise.resolve(),
  };
}

let nextId = 0;

/** One Jupyter display, updated in place at most once a second; `flush` awaits every update. */
export function jupyterOutput(display: Display, opts: { footer?: string; intervalMs?: number } = {}): ProgressOutput {
  const id = `deeper-progress-${Deno.pid}-${nextId++}`;
  let shown = false, last = -Infinity, pending: Promise<void> = Promise.resolve(), latest = "";
  const draw = () => {
    const text = latest + (opts.footer ? `\n\n${opts.footer}` : "");
    const update = shown;
    shown = true;
    pending = pending.then(() => display({ "text/markdown": text }, { display_id: id, update }));
  };
  return {
    show(line, event) {
      latest = line;
      if (event !== "final" && performance.now() - last < (opts.intervalMs ?? 1000)) return;
      last = performance.now();
      draw();
    },
    async flush() {
      if (latest) draw();
      await pending;
    },
  };
}

/**
 * Appends timestamped lines to a file, synchronously, so a crash loses
 * nothing; the folder is made on first use.
 */
export function fileLog(path: string): (msg: string) => void {
  let ready = false;
  return (msg: string) => {
    if (!ready) Deno.mkdirSync(dirname(path), { recursive: true }), ready = true;
    const stamp = new Date().toISOString();
    const text = msg.split("\n").map((l) => `${stamp} ${l}`).join("\n") + "\n";
    Deno.writeTextFileSync(path, text, { append: true });
  };
}

/** Options of {@link experimentProgress}. */
export interface ExperimentProgressOptions {
  /** Where the line goes (default: {@link stderrOutput}). */
  output?: ProgressOutput;
  /** The detail log (default: none). */
  log?: (msg: string) => void;
  /** Runs planned, to show the line before the first run starts. */
  total?: number;
  /**
   * The plan's estimated seconds of each run, in the order the runs are
   * trained (index `i` is the run of {@link RunEvent} `index` `i`), so the
   * time to go follows the plan rather than the first runs (see
   * {@link timeToGo}). Without it, the runs trained so far are extrapolated.
   */
  estimates?: readonly number[];
  /** The clock in milliseconds (default `performance.now`; a test's fake clock). */
  now?: () => number;
}

/**
 * The progress of one experiment: hooks for the pipeline (`log` to the
 * detail log, `onRun`, `onProgress`) and `done()`, which shows the final
 * line and waits for the output.
 */
export function experimentProgress(experiment: string, opts: ExperimentProgressOptions = {}) {
  if (opts.estimates && opts.total !== undefined && opts.estimates.length !== opts.total) {
    throw new RangeError(
      `experimentProgress: ${opts.estimates.length} estimates for ${opts.total} runs; give one per run, in run order`,
    );
  }
  const output = opts.output ?? stderrOutput();
  const now = opts.now ?? (() => performance.now());
  let state = { ...initialProgress(experiment, opts.estimates), total: opts.total ?? 0 };
  // Shown at once (where there are runs), so the progress line comes before anything the runs display; an
  // experiment with nothing to train (the model zoo) shows its stages, then its final line, once.
  if (opts.total) output.show(progressLine(state), "run");
  let started = now();
  return {
    hooks: {
      log: opts.log ?? (() => {}),
      onRun: (e: RunEvent) => {
        if (e.state === "training") started = now();
        state = applyRunEvent(state, e, (now() - started) / 1000);
        // A finished run that was not reused gets its line on a plain log; reused ones only count.
        const ended = e.state !== "training" && e.state !== "reused";
        let line = progressLine(state);
        if (ended) {
          const err = e.record?.summary.test_error_main;
          line += ` · last: ${e.config.variant} seed ${e.config.seed} ${e.state}${
            err !== undefined ? `, test error ${(100 * err).toFixed(2)}%` : ""
          }${e.error ? `: ${e.error}` : ""}`;
        }
        output.show(line, ended ? "run" : "step");
      },
      onStage: (stage: string) => {
        state = { ...state, stage };
        output.show(progressLine(state), "run");
      },
      onProgress: (p: StepProgress) => {
        if (state.current) state = { ...state, current: { ...state.current, step: p } };
        output.show(progressLine(state), "step");
      },
    },
    /** The state now (e.g. for a test). */
    state: () => state,
    /** Shows the final line and waits for every output. */
    async done(): Promise<void> {
      // No "to go" on the final line, even where runs were left undone.
      const final = { ...state, current: undefined, stage: undefined, trained: 0, estimates: undefined };
      output.show(progressLine(final), "final");
      await output.flush();
    },
  };
}
