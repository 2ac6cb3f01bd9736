/**
 * `deno task bench`: training throughput of the experiment nets on every
 * backend that starts, side by side in one run with PyTorch as the
 * reference. Each backend runs in its own process (they do not share
 * state); each step is synchronised by reading its loss, so the timing is
 * honest. Prints a table and writes `results/bench/bench.json`.
 *
 * `tensorflow` and PyTorch run net by net, a process each, in `--rounds`
 * rounds whose order alternates: on a machine shared with other work the
 * rate drifts by a fifth within minutes, and pairing each measurement with
 * the other side's taken beside it keeps the drift out of the ratio. The
 * ratio is the median of the rounds' ratios; each round's is printed.
 *
 * ```sh
 * deno task bench                                   # all nets, all backends
 * deno task bench --nets plain20 --backends tensorflow --reps 5
 * deno task bench --nets plain20,grid_parallel --backends tensorflow --no-pytorch   # with a short real run each
 * deno task bench --nets plain20 --run-scale full   # the short run takes one epoch of the full scale
 * deno task bench --no-compiled --batch-one ""        # eager steps only, batch 128 only
 * ```
 *
 * On `tensorflow` each net runs two ways, side by side in the same rounds:
 * eager (one TensorFlow op at a time from JS) and compiled (the step as one
 * TensorFlow function, lib/train/compiled_step.ts). `--batch-one` nets are
 * measured at batch 1 too, where the fixed cost per step is all there is.
 *
 * With `--runs` (the default) it also trains one short real run per net on
 * `tensorflow` (one epoch of the net's `--run-scale` config, through the
 * runner) and prints its rate against the bench's, end to end and for its
 * plain training steps, with where the rest of its wall time went (from the
 * run record: model build, gradient-norm steps, evaluation, other).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { type BackendName, BACKENDS, parseBackendChoice, selectBackend } from "../../lib/env/backend.ts";
import { benchNets, netFamily, netOptions } from "../../lib/models/nets.ts";
import { disposeStep, trainStep } from "../../lib/train/train_step.ts";
import { StepCompiler } from "../../lib/train/compiled_step.ts";
import { disposeOptimizer } from "../../lib/train/train.ts";
import { makeRng, normal } from "../../lib/data/rng.ts";
import { median, ROOT, writeFileAtomic } from "../../lib/_util.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command } from "../../lib/env/cli.ts";
import { countWeights } from "../../lib/models/accounting.ts";
import { loadFashionMnist } from "../../lib/data/fashion_mnist.ts";
import { resolveConfig, type TrainConfig } from "../../lib/train/config.ts";
import { runOne } from "../../lib/train/runner.ts";
import { expandRuns, parseScale, type Scale } from "../../lib/pipeline/experiment.ts";
import { compiledBackend, evaluatedImages } from "../../lib/pipeline/plan.ts";
import { ALL_EXPERIMENTS } from "../experiments.ts";

/** The nets the bench knows, by name, with their family and options: lib/models/nets.ts, which PyTorch reads too. */
const BENCH_NETS = benchNets();

/** Batch per backend when not given: the slow ones are measured at a batch they can repeat. */
const DEFAULT_BATCH: Record<BackendName, number> = { tensorflow: 128, webgpu: 32, cpu: 8 };

/** One row of the result. */
export interface BenchRow {
  net: string;
  backend: string;
  device: string;
  batch: number;
  params: number;
  reps: number;
  imagesPerSec: { min: number; median: number; max: number };
  /** Every timed repetition's rate, sorted. */
  rates?: number[];
  ratioToPytorch: number | null;
  /** For `tensorflow`: the ratio to PyTorch in each round, from that round's medians. */
  roundRatios?: number[];
  note?: string;
}

const DEFAULTS = {
  nets: Object.keys(BENCH_NETS).join(","), // comma-separated names of BENCH_NETS, on the tensorflow backend
  slowNets: "plain20", // the nets webgpu and cpu run (a 56-layer step takes minutes on them)
  backends: "all", // comma-separated backends, or all that start
  batch: 0, // images per step; 0: 128 on tensorflow, smaller on the slow backends
  reps: 5, // timed repetitions per round (min/median/max over all rounds)
  rounds: 3, // rounds of tensorflow and PyTorch, net by net, order alternating (a shared machine drifts); ratio: their median
  steps: 3, // steps per repetition
  warmup: 2, // untimed steps first (kernel selection, shader compilation)
  cellSeconds: 60, // time budget per net and backend: slow backends get fewer repetitions (at least 3) or one step
  compiled: true, // on tensorflow, also the compiled step (one TensorFlow function per step) beside the eager one
  batchOne: "plain20", // nets also measured at batch 1, where the per-step cost is all there is (empty: none)
  pytorch: true, // run the PyTorch reference
  out: "results/bench", // where bench.json goes
  worker: "", // internal: run one backend in this process
  step: "eager", // internal: the worker's step, eager or compiled
  runs: true, // also one short real run per net on tensorflow (one epoch of --run-scale): its rate against the bench's
  runScale: "quick", // the scale whose config the short real runs take (one epoch of it): quick or full
  runWorker: "", // internal: the short real run of one net, in this process
  runStep: "eager", // internal: the short real run's step, eager or compiled
};

/** One short real run's rates and where its time went, from its run record. */
interface RunLevelRow {
  net: string;
  /** How its plain steps ran. */
  step: TrainConfig["step"];
  variant: string;
  images: number;
  /** Images the run evaluated in inference mode: the training subset and validation set per epoch, the test set once. */
  evalImages: number;
  /** End to end (evaluation, logging and gradient norms included), and the plain training steps alone. */
  imagesPerSec: number;
  imagesPerSecSteps: number;
  seconds: { wall: number; build: number; steps: number; gradNormExtra: number; eval: number; other: number };
}

/** The config at `scale` (seed 0) whose net is exactly the bench net `net`, shortened to one epoch. */
function shortRunConfig(net: string, scale: Scale, step: TrainConfig["step"]): TrainConfig | undefined {
  const want = JSON.stringify(BENCH_NETS[net]);
  for (const exp of ALL_EXPERIMENTS) {
    const cfg = expandRuns(exp, scale).find((c) =>
      c.seed === 0 && JSON.stringify({ model: c.model, options: netOptions(c) }) === want
    );
    if (cfg) return resolveConfig({ ...cfg, experiment: "bench-run", epochs: 1, step });
  }
  return undefined;
}

/** Trains one short real run in a temp directory through the runner; prints its RunLevelRow as JSON. */
async function runWorker(net: string, scale: Scale, step: TrainConfig["step"]) {
  const cfg = shortRunConfig(net, scale, step);
  if (!cfg) throw new RangeError(`no experiment variant trains ${net}`);
  const backend = await selectBackend({ backend: "tensorflow", quiet: true });
  const data = await loadFashionMnist();
  const outRoot = await Deno.makeTempDir({ prefix: "deeper-bench-run-" });
  try {
    const t = performance.now();
    const r = await runOne(cfg, { data, backend, outRoot, saveModel: false, force: true, observer: { log: () => {} } });
    const wall = (performance.now() - t) / 1000;
    const s = r.summary;
    const row: RunLevelRow = {
      net,
      step,
      variant: cfg.variant,
      images: s.steps * cfg.batchSize,
      evalImages: evaluatedImages(cfg),
      imagesPerSec: s.images_per_sec,
      imagesPerSecSteps: s.images_per_sec_steps,
      seconds: {
        wall,
        build: s.time_build_s,
        steps: s.time_steps_s,
        gradNormExtra: s.time_grad_norm_extra_s,
        eval: s.time_eval_s,
        other: wall - s.time_steps_s - s.time_eval_s - s.time_build_s,
      },
    };
    console.log(JSON.stringify(row));
  } finally {
    await Deno.remove(outRoot, { recursive: true }).catch(() => {});
  }
}

async function benchOne(net: string, backend: string, device: string, cfg: typeof DEFAULTS, batch: number) {
  const model = netFamily(BENCH_NETS[net].model).build(BENCH_NETS[net].options, 0);
  // Auxiliary heads weigh 0.3, as in training.
  const headWeights = Object.fromEntries(model.outputNames.map((n) => [n, n === "main" ? 1 : 0.3]));
  const optimizer = tf.train.momentum(0.01, 0.9);
  const rng = makeRng(0);
  const xs = tf.tensor4d(Float32Array.from({ length: batch * 784 }, () => normal(rng)), [batch, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => Math.floor(rng() * 10)), "int32"), 10);
  const compiler = cfg.step === "compiled" ? new StepCompiler(model, optimizer) : undefined;
  const eager = () => trainStep(model, optimizer, xs, ys, { weightDecay: 1e-4, headWeights });
  const step = async () => {
    const r = compiler ? compiler.step(xs, ys, eager) : eager();
    await r.loss.data(); // the sync point
    disposeStep(r);
  };
  // A compiled step is one warm-up and two recorded eager steps away: take them before anything is timed.
  if (compiler) { for (let i = 0; i < 3; i++) await step(); }
  const row: BenchRow = {
    net,
    backend: compiler ? compiledBackend(backend) : backend,
    device,
    batch,
    params: countWeights(model.trainableWeights),
    reps: cfg.reps,
    imagesPerSec: { min: 0, median: 0, max: 0 },
    ratioToPytorch: null,
  };
  let t = performance.now();
  await step();
  const first = (performance.now() - t) / 1000;
  // Slow backends: shrink the protocol to fit the cell's budget, keeping at
  // least 3 timed repetitions; below that, report the one (warm-up) step.
  let reps = cfg.reps, steps = cfg.steps, warmup = cfg.warmup;
  if ((warmup - 1 + reps * steps) * first > cfg.cellSeconds) {
    steps = 1;
    warmup = 1;
    reps = Math.max(3, Math.min(cfg.reps, Math.floor(cfg.cellSeconds / first) - 1));
  }
  if (first * (reps + 1) > cfg.cellSeconds * 1.5) {
    const r = batch / first;
    row.reps = 1;
    row.imagesPerSec = { min: r, median: r, max: r };
    row.note = `one step took ${first.toFixed(1)} s: first step only (includes warm-up)`;
  } else {
    for (let i = 1; i < warmup; i++) await step();
    const rates: number[] = [];
    for (let r = 0; r < reps; r++) {
      t = performance.now();
      for (let s = 0; s < steps; s++) await step();
      rates.push((batch * steps) / ((performance.now() - t) / 1000));
    }
    rates.sort((a, b) => a - b);
    row.reps = reps;
    if (steps !== cfg.steps) row.note = `${reps} repetitions of 1 step, to fit --cell-seconds`;
    row.imagesPerSec = summarise(rates);
    row.rates = rates;
  }
  if (compiler && !compiler.compiled) row.note = [row.note, compiler.status].filter(Boolean).join("; ");
  compiler?.dispose();
  tf.dispose([xs, ys]);
  disposeOptimizer(optimizer);
  model.dispose();
  return row;
}

async function worker(cfg: typeof DEFAULTS) {
  const info = await selectBackend({ backend: parseBackendChoice(cfg.worker) as BackendName, quiet: true });
  const batch = cfg.batch || DEFAULT_BATCH[info.name];
  for (const net of cfg.nets.split(",")) {
    console.log(JSON.stringify(await benchOne(net, info.name, info.device, cfg, batch)));
  }
}

async function collect(cmd: string, args: string[]): Promise<{ rows: BenchRow[]; error?: string }> {
  const p = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", stdin: "null" }).spawn();
  const out = await p.output();
  const text = new TextDecoder().decode(out.stdout);
  const rows = text.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as BenchRow);
  const err = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) =>
    !/^[IW]0000|^WARNING|^To enable/.test(l)
  );
  return { rows, error: out.code === 0 ? undefined : err.slice(-3).join(" | ") };
}

async function ensureTorch(): Promise<string | undefined> {
  const probe = await new Deno.Command("python3", { args: ["-c", "import torch"], stderr: "null" }).output()
    .catch(() => undefined);
  if (probe?.code === 0) return undefined;
  console.error("bench: installing the PyTorch reference (pip install torch==2.13.0)");
  const r = await new Deno.Command("python3", { args: ["-m", "pip", "install", "--quiet", "torch==2.13.0"] }).output()
    .catch(() => undefined);
  return r?.code === 0 ? undefined : "PyTorch is not installed and pip could not install torch==2.13.0";
}

/** Min, median and max of sorted rates. */
function summarise(sorted: number[]) {
  return { min: sorted[0], median: median(sorted), max: sorted[sorted.length - 1] };
}

/** One row per net, backend and batch from its rounds, every repetition's rate pooled. */
function poolRounds(rounds: BenchRow[][]): BenchRow[] {
  const byKey = new Map<string, BenchRow[]>();
  for (const row of rounds.flat()) {
    const k = `${row.net}|${row.backend}|${row.batch}`;
    byKey.set(k, [...(byKey.get(k) ?? []), row]);
  }
  return [...byKey.values()].map((rows) => {
    const rates = rows.flatMap((r) => r.rates ?? [r.imagesPerSec.median]).sort((a, b) => a - b);
    return { ...rows[0], reps: rates.length, rates, imagesPerSec: summarise(rates) };
  });
}

function fmtRate(n: number) {
  return n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(3);
}

/** The nets, as bench/torch_reference.py takes them: a JSON list of {name, model, options} from the table of nets. */
function torchSpec(nets: string): string {
  return JSON.stringify(nets.split(",").map((name) => ({ name, ...BENCH_NETS[name] })));
}

async function main() {
  const cfg = parseFlags(Deno.args, DEFAULTS, "deno task bench");
  for (const n of [...cfg.nets.split(","), ...cfg.slowNets.split(",")]) {
    if (!(n in BENCH_NETS)) throw new RangeError(`Unknown net "${n}": use ${Object.keys(BENCH_NETS).join(", ")}`);
  }
  if (cfg.worker) return await worker(cfg);
  const runScale = parseScale(cfg.runScale);
  if (cfg.step !== "eager" && cfg.step !== "compiled") throw new RangeError(`--step takes eager or compiled`);
  if (cfg.runWorker) return await runWorker(cfg.runWorker, runScale, cfg.runStep === "compiled" ? "compiled" : "eager");
  const backends = cfg.backends === "all" ? [...BACKENDS] : cfg.backends.split(",").map((b) => {
    const c = parseBackendChoice(b);
    if (c === "auto") throw new RangeError(`--backends takes names: ${BACKENDS.join(", ")}`);
    return c;
  });
  const rows: BenchRow[] = [];
  const self = new URL(import.meta.url).pathname;
  const passOn = ["batch", "reps", "steps", "warmup", "cellSeconds"] as const;
  const tfArgs = (nets: string, batch = cfg.batch) => [
    "run",
    "-A",
    self,
    "--nets",
    nets,
    ...passOn.flatMap((k) => [`--${k}`, String(k === "batch" ? batch : cfg[k])]),
  ];
  const missing = cfg.pytorch ? await ensureTorch() : "--no-pytorch";
  if (cfg.pytorch && missing) console.error(`bench: no PyTorch reference: ${missing}`);
  const withTorch = !missing;
  const torch = (nets: string, batch: number) =>
    collect("python3", [
      join(ROOT, "experiments", "commands", "torch_reference.py"),
      ...["--nets", torchSpec(nets), "--batch", String(batch), "--reps", String(cfg.reps)],
      ...["--steps", String(cfg.steps), "--warmup", String(cfg.warmup)],
    ]);
  const asTorchRows = (r: BenchRow[]) => r.map((x) => ({ ...x, reps: cfg.reps, ratioToPytorch: 1 }));
  // The slow backends measure their few nets once each, PyTorch beside them at their batch.
  const slowRows: BenchRow[] = [];
  for (const b of backends.filter((b) => b !== "tensorflow")) {
    console.error(`bench: ${b} ...`);
    const r = await collect(Deno.execPath(), [...tfArgs(cfg.slowNets), "--worker", b]);
    if (r.error && r.rows.length === 0) console.error(`bench: ${b} did not start: ${r.error}`);
    slowRows.push(...r.rows);
  }
  for (const batch of withTorch ? new Set(slowRows.map((r) => r.batch)) : []) {
    console.error(`bench: pytorch at batch ${batch} ...`);
    const r = await torch(cfg.slowNets, batch);
    if (r.error) console.error(`bench: pytorch failed: ${r.error}`);
    slowRows.push(...asTorchRows(r.rows));
  }
  // tensorflow and PyTorch: net by net, one process each, in rounds whose
  // order alternates, so that a machine shared with other work drifts onto
  // both sides of each ratio alike.
  const rounds: BenchRow[][] = [];
  const batch = cfg.batch || DEFAULT_BATCH.tensorflow;
  const batchOne = new Set(cfg.batchOne.split(",").filter(Boolean));
  const tfSides = cfg.compiled ? ["tensorflow", compiledBackend("tensorflow")] : ["tensorflow"];
  for (let round = 0; backends.includes("tensorflow") && round < Math.max(1, cfg.rounds); round++) {
    const got: BenchRow[] = [];
    for (const net of cfg.nets.split(",")) {
      for (const b of batchOne.has(net) && batch !== 1 ? [batch, 1] : [batch]) {
        const all = withTorch ? [...tfSides, "pytorch"] : tfSides;
        const sides = round % 2 === 0 ? all : [...all].reverse();
        for (const side of sides) {
          console.error(`bench: round ${round + 1}/${cfg.rounds}, ${net} at batch ${b} on ${side} ...`);
          const r = side === "pytorch" ? await torch(net, b) : await collect(Deno.execPath(), [
            ...tfArgs(net, b),
            "--worker",
            "tensorflow",
            "--step",
            side === "tensorflow" ? "eager" : "compiled",
          ]);
          if (r.error) console.error(`bench: ${side} failed on ${net}: ${r.error}`);
          got.push(...(side === "pytorch" ? asTorchRows(r.rows) : r.rows));
        }
      }
    }
    rounds.push(got);
  }
  const pooled = poolRounds(rounds);
  for (const r of pooled.filter((r) => r.backend.startsWith("tensorflow") && withTorch)) {
    // Each round pairs a tensorflow measurement with PyTorch's taken beside it; the median of
    // those ratios is the estimate (pooled medians would mix a slow round on one side with a fast one on the other).
    r.roundRatios = rounds.flatMap((got) => {
      const t = got.find((x) => x.backend === r.backend && x.net === r.net && x.batch === r.batch);
      const p = got.find((x) => x.backend === "pytorch" && x.net === r.net && x.batch === r.batch);
      return t && p ? [t.imagesPerSec.median / p.imagesPerSec.median] : [];
    });
    r.ratioToPytorch = r.roundRatios.length ? median(r.roundRatios) : null;
  }
  const isTorch = (r: BenchRow) => r.backend === "pytorch";
  rows.push(
    ...pooled.filter((r) => !isTorch(r)),
    ...slowRows.filter((r) => !isTorch(r)),
    ...pooled.filter(isTorch),
    ...slowRows.filter(isTorch),
  );
  for (const r of rows) {
    const ref = rows.find((p) => p.backend === "pytorch" && p.net === r.net && p.batch === r.batch);
    // The slow backends' ratio: to PyTorch's run at their batch, once.
    if (r.backend !== "pytorch" && r.roundRatios === undefined) {
      r.ratioToPytorch = ref ? r.imagesPerSec.median / ref.imagesPerSec.median : null;
    }
    if (ref && ref.params !== r.params) {
      r.note = [r.note, `parameter count ${r.params} differs from PyTorch's ${ref.params}`].filter(Boolean).join("; ");
    }
  }
  console.log("| net | backend | device | batch | params | images/s min / median / max | x PyTorch | each round |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    const ips = r.imagesPerSec;
    const ratio = r.ratioToPytorch === null ? "-" : r.ratioToPytorch.toFixed(2);
    console.log(
      `| ${r.net} | ${r.backend} | ${r.device} | ${r.batch} | ${r.params} | ${fmtRate(ips.min)} / ${
        fmtRate(ips.median)
      } / ${fmtRate(ips.max)} | ${ratio} | ${r.roundRatios?.map((x) => x.toFixed(2)).join(", ") ?? "-"} |${
        r.note ? ` ${r.note}` : ""
      }`,
    );
  }
  const runRows: Array<RunLevelRow & { benchRate: number }> = [];
  if (cfg.runs && backends.includes("tensorflow")) {
    for (const net of cfg.nets.split(",")) {
      for (const step of cfg.compiled ? ["eager", "compiled"] : ["eager"]) {
        const side = step === "eager" ? "tensorflow" : compiledBackend("tensorflow");
        const bench = rows.find((r) => r.backend === side && r.net === net && r.batch === 128);
        if (!bench) continue;
        console.error(`bench: a short real run of ${net} (one epoch at ${runScale}, ${step} steps) ...`);
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", self, "--run-worker", net, "--run-scale", runScale, "--run-step", step],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
        if (out.code !== 0 || !line.startsWith("{")) {
          console.error(
            `bench: the real run of ${net} failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)}`,
          );
          continue;
        }
        runRows.push({ ...JSON.parse(line), benchRate: bench.imagesPerSec.median });
      }
    }
    if (runRows.length) {
      console.log("");
      console.log(
        "| net (variant, images trained / evaluated) | step | bench img/s | run img/s, end to end (x bench) | training steps alone (x bench) | " +
          "where the rest went: build / gradient norms / evaluation / other, s |",
      );
      console.log("| --- | --- | --- | --- | --- | --- |");
      for (const r of runRows) {
        const sec = r.seconds;
        console.log(
          `| ${r.net} (${r.variant}, ${r.images} / ${r.evalImages}) | ${r.step} | ${fmtRate(r.benchRate)} | ${
            fmtRate(r.imagesPerSec)
          } (${(r.imagesPerSec / r.benchRate).toFixed(2)}) | ${fmtRate(r.imagesPerSecSteps)} (${
            (r.imagesPerSecSteps / r.benchRate).toFixed(2)
          }) | ${[sec.build, sec.gradNormExtra, sec.eval, sec.other].map((x) => x.toFixed(1)).join(" / ")} of ${
            sec.wall.toFixed(1)
          } |`,
        );
      }
    }
  }
  const dir = join(ROOT, cfg.out);
  await Deno.mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, "bench.json"), JSON.stringify(rows, null, 2) + "\n");
  if (runRows.length) await writeFileAtomic(join(dir, "runs.json"), JSON.stringify(runRows, null, 2) + "\n");
  console.error(`bench: wrote ${join(cfg.out, "bench.json")}`);
}

if (import.meta.main) await command("bench", main);
