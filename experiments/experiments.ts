/**
 * The experiments the suite knows, by command-line name. A plain table: to
 * add one, write its file and add a line here.
 * @module
 */
import type { Experiment } from "../lib/pipeline/experiment.ts";
import { modelZoo } from "./model_zoo.ts";
import { depthAuxResidual } from "./depth_aux_residual.ts";
import { gridReductionExp } from "./grid_reduction.ts";
import { bnAuxHeads } from "./bn_aux_heads.ts";
import { nobnLrSweep } from "./nobn_lr_sweep.ts";

/** Every experiment, in the order `reproduce` runs them: the zoo (no training) first. */
export const ALL_EXPERIMENTS: Experiment[] = [modelZoo, depthAuxResidual, gridReductionExp, bnAuxHeads];

/** Sweeps that chose a setting of an experiment (recorded, not part of `reproduce`; `run` takes them). */
export const SWEEPS: Experiment[] = [nobnLrSweep];

/** Experiment name -> definition, sweeps included. */
export const EXPERIMENTS: Record<string, Experiment> = Object.fromEntries(
  [...ALL_EXPERIMENTS, ...SWEEPS].map((e) => [e.name, e]),
);

/** Looks an experiment up; throws a RangeError listing the valid names. */
export function getExperiment(name: string | undefined): Experiment {
  const exp = name ? EXPERIMENTS[name] : undefined;
  if (!exp) {
    throw new RangeError(
      `${name ? `Unknown experiment "${name}"` : "No experiment named"}: use one of ${
        Object.keys(EXPERIMENTS).join(", ")
      }`,
    );
  }
  return exp;
}
