/**
 * The zoo's costs: every zoo model built once and accounted for (totals per
 * model, and each model's per-layer table), as the model-zoo experiment's
 * analysis writes them to `costs.json`, and read back from an experiment's
 * files.
 *
 * ```ts
 * const costs = zooCosts(); // costs.tables.lenet5.layers[0].params
 * ```
 * @module
 */
import { accountModel, type ModelCost } from "./accounting.ts";
import { ZOO } from "./zoo.ts";

/** Costs of every zoo model: one row each. */
export interface ZooRow {
  name: string;
  paper: string;
  params: number;
  trainable: number;
  madds: number;
  reference: number;
  counts: string;
  top1?: number;
  top1Source?: string;
}

/** What the zoo's analysis writes to `costs.json`: the totals per model and each model's per-layer table. */
export interface ZooCosts {
  rows: ZooRow[];
  tables: Record<string, ModelCost>;
}

/** Builds every zoo model once and accounts for it. */
export function zooCosts(): ZooCosts {
  const rows: ZooRow[] = [];
  const tables: Record<string, ModelCost> = {};
  for (const [name, e] of Object.entries(ZOO)) {
    const m = e.build();
    const c = accountModel(m);
    m.dispose();
    tables[name] = c;
    rows.push({
      name,
      paper: e.paper,
      params: c.totals.params,
      trainable: c.totals.trainable,
      madds: c.totals.madds,
      reference: e.reference.count,
      counts: e.reference.counts,
      top1: e.top1?.value,
      top1Source: e.top1?.source,
    });
  }
  return { rows, tables };
}

/** The cost table in an experiment's files (`costs.json`), or a RangeError that says what to run. */
export function zooCostsOf(files: Record<string, unknown>): ZooCosts {
  const costs = files["costs.json"] as ZooCosts | undefined;
  if (!costs) throw new RangeError("model-zoo: no costs.json in the evidence; run the experiment first");
  return costs;
}
