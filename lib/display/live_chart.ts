/**
 * Live charts in Jupyter: a record sink that keeps one display per chart and
 * replaces it in place every `every` training-loss records, as d2l's progress
 * board does with matplotlib. The training loop only calls the sink; this
 * module turns records into specs (charts.ts) and displays.
 *
 * ```ts
 * const live = liveCharts();
 * await train(model, split, cfg, { sink: live.sinkFor("plain-20", 0) });
 * await live.flush();
 * ```
 * @module
 */
import { firstLastGradNorm, lossCurves, mimeBundle, type Spec } from "./charts.ts";
import type { MetricRow } from "../ledger/evidence.ts";
import type { MetricRecord } from "../train/train.ts";

/** Options of {@link liveCharts}. */
export interface LiveChartOptions {
  /** Redraw every this many training-loss records (default 5). */
  every?: number;
  /** The charts to draw from the rows so far (default: loss curve, first/last gradient norm). */
  charts?: (rows: MetricRow[]) => Spec[];
  /** Rows of earlier runs to draw alongside (e.g. other variants). */
  history?: MetricRow[];
  /** Where bundles go (default `Deno.jupyter.display`); tests pass their own. */
  display?: (
    bundle: Record<string, unknown>,
    opts: { raw: boolean; display_id: string; update: boolean },
  ) => Promise<void>;
}

let nextId = 0;

/** `Deno.jupyter.display` inside the Deno kernel; undefined elsewhere (where touching it throws). */
function jupyterDisplay(): LiveChartOptions["display"] {
  try {
    return (Deno as unknown as { jupyter: { display: LiveChartOptions["display"] } }).jupyter.display;
  } catch {
    return undefined;
  }
}

/** A sink and a `flush` that draws the final state. Outside Jupyter, nothing is displayed. */
export function liveCharts(opts: LiveChartOptions = {}) {
  const rows: MetricRow[] = [...(opts.history ?? [])];
  const every = opts.every ?? 5;
  const charts = opts.charts ?? ((r: MetricRow[]) => [lossCurves(r), firstLastGradNorm(r)]);
  const display = opts.display ?? jupyterDisplay();
  const ids = Array.from({ length: 8 }, () => `deeper-live-${Deno.pid}-${nextId++}`);
  let shown = false, pending: Promise<void> = Promise.resolve(), losses = 0;

  const draw = () => {
    if (!display) return;
    const snapshot = rows.slice();
    const update = shown;
    shown = true;
    // Chained: draws happen in order and never overlap.
    pending = pending.then(async () => {
      for (const [i, spec] of charts(snapshot).entries()) {
        await display(await mimeBundle(spec), { raw: true, display_id: ids[i], update });
      }
    });
  };

  return {
    /** A sink for `train`, labelling its records with a variant and seed; several runs share the charts. */
    sinkFor: (variant: string, seed: number) => (r: MetricRecord) => {
      rows.push({ ...r, variant, seed });
      if (r.split === "train" && r.metric === "loss" && r.layer === "" && ++losses % every === 0) draw();
    },
    /** Draws the final state and waits for every draw. */
    flush: async () => {
      draw();
      await pending;
    },
    /** The rows received so far. */
    rows,
  };
}
