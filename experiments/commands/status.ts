/**
 * `deno task status [results root]`: per experiment, how many of a scale's
 * runs are complete, running, interrupted, failed, diverged or missing, from
 * the run records alone (local, sharded and Slurm runs alike), and the Slurm
 * jobs submitted into the root with their state now.
 *
 * ```sh
 * deno task status                       # results/, at the scale it last ran
 * deno task status /scratch/me/deeper --scale full
 * ```
 * @module
 */
import { join } from "node:path";
import { parseScale, type Scale } from "../../lib/pipeline/experiment.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command } from "../../lib/env/cli.ts";
import { formatStatus, resultsStatus } from "../../lib/cluster/status.ts";
import { readJobs } from "../../lib/cluster/slurm.ts";
import { exists, ROOT } from "../../lib/_util.ts";
import { ALL_EXPERIMENTS } from "../experiments.ts";

const DEFAULTS = {
  scale: "", // smoke | quick | full (default: the scale of the root's ledger, else of its last submission, else quick)
};

/** The scale a results root was last judged or submitted at, if it says. */
async function scaleOf(root: string): Promise<Scale | undefined> {
  const ledger = join(root, "ledger.json");
  if (exists(ledger)) return parseScale(JSON.parse(await Deno.readTextFile(ledger)).scale);
  return (await readJobs(root)).at(-1)?.scale as Scale | undefined;
}

if (import.meta.main) {
  await command("status", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task status [results root]");
    if (cfg._.length > 1) throw new RangeError("deno task status: name at most one results root");
    const arg = cfg._[0] ?? "results";
    const root = arg.startsWith("/") ? arg : join(ROOT, arg);
    if (!exists(root)) throw new RangeError(`no results root at ${root}: pass the --out of your run`);
    const scale = cfg.scale ? parseScale(cfg.scale) : (await scaleOf(root)) ?? "quick";
    console.log(formatStatus(await resultsStatus(root, scale, ALL_EXPERIMENTS)));
  });
}
