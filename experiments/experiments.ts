/**
 * The experiments the suite knows, by command-line name. A plain table: to
 * add one, write its file and add a line here.
 * @module
 */
import type { Experiment } from "../lib/experiment.ts";
import { depthAuxResidual } from "./depth_aux_residual.ts";
import { gridReductionExp } from "./grid_reduction.ts";
import { bnAuxHeads } from "./bn_aux_heads.ts";

/** Experiment name -> definition, in the order `reproduce` runs them. */
export const EXPERIMENTS: Record<string, Experiment> = {
  [depthAuxResidual.name]: depthAuxResidual,
  [gridReductionExp.name]: gridReductionExp,
  [bnAuxHeads.name]: bnAuxHeads,
};

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
