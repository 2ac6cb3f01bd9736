/**
 * `deno task run <experiment>`: one experiment headless through the one
 * pipeline (plan, runs, analyses, charts, claims), reusing completed runs.
 *
 * ```sh
 * deno task run depth-aux-residual --scale quick
 * deno task run depth-aux-residual --scale full --seeds 0,1,2 --backend tensorflow
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../lib/env/backend.ts";
import { loadFashionMnist } from "../lib/data/fashion_mnist.ts";
import { expandRuns, parseScale } from "../lib/pipeline/experiment.ts";
import { parseFlags } from "../lib/env/flags.ts";
import { command, resultsRoot, RUN_FLAGS } from "../lib/env/cli.ts";
import { runExperiment } from "../lib/pipeline/pipeline.ts";
import { getExperiment } from "./experiments.ts";

const DEFAULTS = {
  ...RUN_FLAGS,
  scale: "quick", // smoke | quick | full
  seeds: "", // comma-separated seeds (default: the scale's)
  variants: "", // comma-separated variants (default: the scale's)
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
    const select = { seeds: parseSeeds(cfg.seeds), variants: cfg.variants ? cfg.variants.split(",") : undefined };
    expandRuns(exp, scale, select); // bad variants or seeds fail here, before anything loads
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    const outRoot = await resultsRoot(cfg.out);
    const log = (m: string) => console.error(m);
    const result = await runExperiment(exp, scale, { data, backend, outRoot, force: cfg.force, log }, select);
    const charts = Object.keys(result.charts);
    if (charts.length) console.error(`charts: ${charts.join(", ")} in ${join(outRoot, exp.name, "charts")}`);
    const n = result.plan.length;
    const done = n ? `${n - result.failures.length} of ${n} runs finished` : "nothing to train";
    console.error(`${exp.name}: ${done}; results under ${join(outRoot, exp.name)}`);
    return result.failures.length ? 1 : 0;
  });
}
