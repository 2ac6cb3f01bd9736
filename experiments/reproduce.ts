/**
 * `deno task reproduce` (the README's first command): every experiment at
 * the scale this machine affords (`quick` on a CPU, `full` on a GPU;
 * `--scale` overrides), reusing completed runs, then a summary per variant.
 *
 * ```sh
 * deno task reproduce                 # quick on a CPU
 * deno task reproduce --scale smoke   # seconds: checks the machinery only
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../lib/backend.ts";
import { DataError, loadFashionMnist } from "../lib/data.ts";
import { expandRuns, parseScale, type Scale } from "../lib/experiment.ts";
import { parseFlags } from "../lib/flags.ts";
import { runAll } from "../lib/runner.ts";
import { formatSummary, summarize } from "../lib/tables.ts";
import { ROOT } from "../lib/_util.ts";
import { EXPERIMENTS } from "./experiments.ts";

const DEFAULTS = {
  scale: "", // smoke | quick | full (default: full on a GPU, quick otherwise)
  backend: "auto", // auto | tensorflow | webgpu | cpu
  force: false, // recompute completed runs
  out: "results", // results root
  dataDir: "", // directory holding the four Fashion-MNIST .gz files
};

if (import.meta.main) {
  try {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task reproduce");
    if (cfg._.length) throw new RangeError(`deno task reproduce: unexpected argument "${cfg._[0]}"`);
    if (cfg.scale) parseScale(cfg.scale);
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const scale: Scale = cfg.scale ? parseScale(cfg.scale) : backend.gpu ? "full" : "quick";
    console.error(`reproduce: scale ${scale}${cfg.scale ? "" : ` (${backend.gpu ? "a GPU" : "no GPU"} found)`}`);
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    const outRoot = cfg.out.startsWith("/") ? cfg.out : join(ROOT, cfg.out);
    let failed = 0;
    for (const exp of Object.values(EXPERIMENTS)) {
      console.error(`\n== ${exp.name}: ${exp.title}`);
      const { records, failures } = await runAll(expandRuns(exp, scale), { data, backend, outRoot, force: cfg.force });
      failed += failures.length;
      console.log(`\n### ${exp.name} (${scale})\n`);
      console.log(formatSummary(summarize(records)));
    }
    if (failed) {
      console.error(
        `reproduce: ${failed} runs failed; their records say why. Run the same command again to retry them.`,
      );
      Deno.exit(1);
    }
  } catch (e) {
    console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
    Deno.exit(e instanceof RangeError || e instanceof DataError ? 2 : 1);
  }
}
