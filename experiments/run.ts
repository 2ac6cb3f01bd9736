/**
 * `deno task run <experiment>`: runs one experiment headless, reusing
 * completed runs.
 *
 * ```sh
 * deno task run depth-aux-residual --scale quick
 * deno task run depth-aux-residual --scale full --seeds 0,1,2 --backend tensorflow
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../lib/backend.ts";
import { DataError, loadFashionMnist } from "../lib/data.ts";
import { expandRuns, parseScale } from "../lib/experiment.ts";
import { parseFlags } from "../lib/flags.ts";
import { runAll } from "../lib/runner.ts";
import { reportExperiment } from "../lib/report.ts";
import { ROOT } from "../lib/_util.ts";
import { getExperiment } from "./experiments.ts";

const DEFAULTS = {
  scale: "quick", // smoke | quick | full
  seeds: "", // comma-separated seeds (default: the scale's)
  variants: "", // comma-separated variants (default: the scale's)
  backend: "auto", // auto | tensorflow | webgpu | cpu
  force: false, // recompute completed runs
  out: "results", // results root
  dataDir: "", // directory holding the four Fashion-MNIST .gz files
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
  try {
    const cfg = parseFlags(Deno.args, DEFAULTS, USAGE);
    if (cfg._.length !== 1) throw new RangeError(`${USAGE}: name exactly one experiment`);
    const exp = getExperiment(cfg._[0]);
    const configs = expandRuns(exp, parseScale(cfg.scale), {
      seeds: parseSeeds(cfg.seeds),
      variants: cfg.variants ? cfg.variants.split(",") : undefined,
    });
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    const outRoot = cfg.out.startsWith("/") ? cfg.out : join(ROOT, cfg.out);
    const ctx = { data, backend, outRoot, force: cfg.force };
    const { records, failures } = await runAll(configs, ctx);
    await exp.after?.(records, ctx);
    const { charts } = await reportExperiment(exp, outRoot, { warn: (m) => console.error(`run: ${m}`) });
    if (Object.keys(charts).length) {
      console.error(`charts: ${Object.keys(charts).join(", ")} in ${join(outRoot, exp.name, "charts")}`);
    }
    console.error(
      `${exp.name}: ${configs.length - failures.length} of ${configs.length} runs finished under ${
        join(outRoot, exp.name)
      }`,
    );
    if (failures.length) Deno.exit(1);
  } catch (e) {
    console.error(`run: ${e instanceof Error ? e.message : e}`);
    Deno.exit(e instanceof RangeError || e instanceof DataError ? 2 : 1);
  }
}
