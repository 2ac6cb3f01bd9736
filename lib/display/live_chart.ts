/**
 * Live charts in Jupyter: a record sink that keeps one display per chart and
 * replaces it in place while runs train, as d2l's progress board does with
 * matplotlib. Reused runs' stored records arrive through the same sink (the
 * runner replays them), so the charts start from the history and grow with
 * the runs that train. The training loop only calls the sink; this module
 * turns records into specs (charts.ts) and displays.
 *
 * ```ts
 * const live = liveCharts({ variants: ["plain-20", "plain-56"] });
 * await trainRuns(plan, { ...ctx, observer: { onRecord: (cfg) => live.sinkFor(cfg) } });
 * await live.flush();
 * ```
 * @module
 */
import { firstLastGradNorm, hasData, lossCurves, mimeBundle, type Spec } from "./charts.ts";
import { CHART_METADATA, type Display, kernelDisplay } from "./jupyter.ts";
import type { MetricRow } from "../ledger/evidence.ts";
import type { MetricRecord } from "../train/results.ts";

/** Options of {@link liveCharts}. */
export interface LiveChartOptions {
  /** Redraw at most this often, in milliseconds (default 2000): a draw costs a Vega-Lite compile in the browser. */
  intervalMs?: number;
  /** Every variant that will train, in order: each keeps its colour from the first draw (default: as they come). */
  variants?: string[];
  /** The charts to draw from the rows so far (default: loss curve, first/last gradient norm). */
  charts?: (rows: MetricRow[], variants?: string[]) => Spec[];
  /** Where bundles go (default: the Deno kernel's display); tests pass their own. */
  display?: Display;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

let nextId = 0;

const defaultCharts = (r: MetricRow[], variants?: string[]) => [
  lossCurves(r, { variants }),
  firstLastGradNorm(r, { variants }),
];

/** A sink and a `flush` that draws the final state. Outside Jupyter, nothing is displayed. */
export function liveCharts(opts: LiveChartOptions = {}) {
  const rows: MetricRow[] = [];
  const charts = opts.charts ?? defaultCharts;
  const display = opts.display ?? kernelDisplay();
  const now = opts.now ?? (() => performance.now());
  const ids = Array.from({ length: 8 }, () => `deeper-live-${Deno.pid}-${nextId++}`);
  const shown = new Set<number>();
  let pending: Promise<void> = Promise.resolve(), last = -Infinity, drawing = false;

  // Between updates only the Vega-Lite spec is sent; the final draw adds the SVG and PNG pictures.
  const draw = (final: boolean) => {
    if (!display) return;
    drawing = true;
    pending = pending.then(async () => {
      // The rows as they are when the draw runs, not when it was asked for: a reused run's records are replayed
      // in one synchronous loop, and its first record asks for the draw that shows them all.
      const snapshot = rows.slice();
      for (const [i, spec] of charts(snapshot, opts.variants).entries()) {
        if (!hasData(spec)) continue;
        const update = shown.has(i);
        shown.add(i);
        await display(await mimeBundle(spec, { static: final }), {
          display_id: ids[i],
          update,
          metadata: CHART_METADATA,
        });
      }
    }).finally(() => drawing = false);
  };

  return {
    /** A sink for `train`, labelling its records with a variant and seed; several runs share the charts. */
    sinkFor: (run: { variant: string; seed: number; model: string }) => (r: MetricRecord) => {
      rows.push({ ...r, variant: run.variant, seed: run.seed, model: run.model });
      if (r.split !== "train" || r.metric !== "loss" || r.layer !== "") return;
      // A draw still in flight is not queued behind: the next record after it draws the newer state.
      if (!drawing && now() - last >= (opts.intervalMs ?? 2000)) {
        last = now();
        draw(false);
      }
    },
    /** Draws the final state (with its pictures) and waits for every draw. */
    flush: async () => {
      await pending;
      draw(true);
      await pending;
    },
    /** The rows received so far. */
    rows,
  };
}
