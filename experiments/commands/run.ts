/**
 * `deno task run <experiment>`: one experiment headless through the one
 * pipeline (plan, runs, analyses, charts, claims), reusing completed runs.
 *
 * ```sh
 * deno task run depth-aux-residual --scale quick
 * deno task run depth-aux-residual --scale full --seeds 0,1,2 --backend tensorflow
 * deno task run grid-reduction --scale full --executor slurm --sbatch "--partition=gpu --gres=gpu:1"
 * deno task run grid-reduction --scale full --shard 3/8     # worker 3 of 8 (any scheduler)
 * deno task run grid-reduction --scale full --no-train      # judge what the workers stored
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../../lib/env/backend.ts";
import { loadFashionMnist } from "../../lib/data/fashion_mnist.ts";
import { parseScale } from "../../lib/pipeline/experiment.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command, parseExecutor, resultsRoot, RUN_FLAGS, SWEEP_FLAGS } from "../../lib/env/cli.ts";
import { parseShard, planRuns } from "../../lib/pipeline/pipeline.ts";
import { getExperiment } from "../experiments.ts";
import { stopOnSignals, STOPPED_EXIT, submitToSlurm, trainHere } from "./dispatch.ts";

const DEFAULTS = {
  ...RUN_FLAGS,
  ...SWEEP_FLAGS,
  scale: "quick", // smoke | quick | full
  seeds: "", // comma-separated seeds (default: the scale's)
  variants: "", // comma-separated variants (default: the scale's)
  runId: "", // exactly one run of the scale, by id (a Slurm array task's; ./deeper status lists them)
};

const USAGE = "deno task run <experiment>";

function parseSeeds(s: string): number[] | undefined {
  if (!s) return undefined;
  const seeds = s.split(",").map(Number);
  if (seeds.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new RangeError(`--seeds takes integers like 0,1,2, got "${s}"`);
  }
  return seeds;
}

if (import.meta.main) {
  await command("run", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, USAGE);
    if (cfg._.length !== 1) throw new RangeError(`${USAGE}: name exactly one experiment`);
    const exp = getExperiment(cfg._[0]);
    const scale = parseScale(cfg.scale);
    const select = {
      seeds: parseSeeds(cfg.seeds),
      variants: cfg.variants ? cfg.variants.split(",") : undefined,
      ids: cfg.runId ? [cfg.runId] : undefined,
      shard: parseShard(cfg.shard),
    };
    const executor = parseExecutor(cfg.executor);
    await planRuns(exp, scale, select); // bad variants, seeds or ids fail here, before anything loads
    const outRoot = await resultsRoot(cfg.out);
    if (executor === "slurm") {
      if (select.ids || select.shard) {
        throw new RangeError("--executor slurm submits the whole scale: drop --run-id and --shard");
      }
      const judgeFlags = [
        ...(cfg.seeds ? ["--seeds", cfg.seeds] : []),
        ...(cfg.variants ? ["--variants", cfg.variants] : []),
      ];
      await submitToSlurm([exp], scale, outRoot, cfg, { command: "run", judgeFlags, select });
      return 0;
    }
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    // One run or one shard is a worker's share of a sweep: train it and stop; the sweep is judged once, at the end.
    const report = !(select.ids || select.shard);
    const shouldStop = stopOnSignals();
    const checkpointSeconds = 60 * cfg.checkpointMinutes;
    const ctx = { data, backend, outRoot, force: cfg.force, train: cfg.train, report, checkpointSeconds, shouldStop };
    const result = await trainHere(exp, scale, ctx, select);
    if (result.stopped) {
      console.error(`${exp.name}: stopped after a checkpoint; run the same command again to resume`);
      return STOPPED_EXIT;
    }
    const charts = Object.keys(result.charts ?? {});
    if (charts.length) console.error(`charts: ${charts.join(", ")} in ${join(outRoot, exp.name, "charts")}`);
    const n = result.plan.length;
    const done = n ? `${n - result.failures.length} of ${n} runs finished` : "nothing to train";
    console.error(`${exp.name}: ${done}; results under ${join(outRoot, exp.name)}`);
    return result.failures.length ? 1 : 0;
  });
}
