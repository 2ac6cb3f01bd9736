/**
 * `./deeper plan [--scale S] [experiments...]`: before anything trains, the
 * runs a scale implies, their estimated wall time on the machine where
 * `./deeper bench` measured the nets' speed (and on a GPU, where one has
 * been measured), and which claims the scale decides.
 *
 * ```sh
 * ./deeper plan --scale full
 * ./deeper plan depth-aux-residual
 * ```
 * @module
 */
import { parseScale, type Scale } from "../../lib/pipeline/experiment.ts";
import { formatPlan, loadSpeeds, planExperiment, rowsOf, type SpeedRow } from "../../lib/pipeline/plan.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command } from "../../lib/env/cli.ts";
import { ALL_EXPERIMENTS, getExperiment } from "../experiments.ts";
import type { Experiment } from "../../lib/pipeline/experiment.ts";

const DEFAULTS = {
  scale: "quick", // smoke | quick | full
  bench: "", // a bench.json (default: results/bench/bench.json, else the committed reference's)
};

/** The plan of every experiment at a scale, on each measured device (CPU, and a GPU where one was measured). */
export function planText(experiments: Experiment[], scale: Scale, rows: SpeedRow[]): string {
  const devices = [...new Set(rows.filter((r) => r.backend === "tensorflow").map((r) => r.device))];
  const parts = devices.map((d) =>
    formatPlan(experiments.map((e) => planExperiment(e, scale, rowsOf(rows, "tensorflow", d))), scale)
  );
  if (!devices.some((d) => /GPU|cuda/i.test(d))) parts.push("GPU: no GPU speed has been measured, so no GPU estimate.");
  return parts.join("\n\n");
}

if (import.meta.main) {
  await command("plan", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "./deeper plan [experiments...]");
    const scale = parseScale(cfg.scale);
    const experiments = cfg._.length ? cfg._.map(getExperiment) : ALL_EXPERIMENTS;
    const { rows, file } = await loadSpeeds(cfg.bench);
    console.log(planText(experiments, scale, rows));
    console.error(`plan: speeds from ${file}`);
  });
}
