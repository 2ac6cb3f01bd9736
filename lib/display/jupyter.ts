/**
 * Displaying in the Deno Jupyter kernel, awaited. Jupyter attaches output
 * that arrives after a cell went idle to whichever cell runs next, so a
 * notebook cell sends everything through these functions and awaits them:
 * `console.log` is streamed asynchronously and may land under the next cell.
 *
 * ```ts
 * await md("**Backend** tensorflow");
 * await show(lossCurves(rows));
 * await text(lines.join("\n"));
 * ```
 * @module
 */
import { mimeBundle, type Spec } from "./charts.ts";

/** What a display carries besides its data. */
export interface DisplayOptions {
  /** Keep a handle on the output to replace it later with `update`. */
  display_id?: string;
  /** Replace the output with this `display_id` instead of adding one. */
  update?: boolean;
  /** Per-MIME-type metadata (e.g. Vega embed options). */
  metadata?: Record<string, unknown>;
}

/** A display function: a MIME bundle in, a promise that it was sent out. */
export type Display = (data: Record<string, unknown>, opts?: DisplayOptions) => Promise<void>;

interface DenoJupyter {
  broadcast(type: string, content: Record<string, unknown>, extra?: Record<string, unknown>): Promise<void>;
}

/** The Deno kernel's display, with metadata; undefined outside a kernel (where touching `Deno.jupyter` throws). */
export function kernelDisplay(): Display | undefined {
  let jupyter: DenoJupyter | undefined;
  try {
    jupyter = (Deno as unknown as { jupyter?: DenoJupyter }).jupyter;
  } catch {
    return undefined;
  }
  if (!jupyter?.broadcast) return undefined;
  // `Deno.jupyter.display` sends no metadata; this is the same message with it.
  return (data, opts = {}) =>
    jupyter.broadcast(opts.update ? "update_display_data" : "display_data", {
      data,
      metadata: opts.metadata ?? {},
      transient: opts.display_id ? { display_id: opts.display_id } : {},
    });
}

/**
 * Vega-Lite outputs are drawn as SVG in JupyterLab (crisp at any zoom, and
 * every mark is an element a browser test can count).
 */
export const CHART_METADATA = { "application/vnd.vegalite.v5+json": { embed_options: { renderer: "svg" } } };

function required(): Display {
  const d = kernelDisplay();
  if (!d) throw new Error("not in a Deno Jupyter kernel: display needs `deno jupyter`");
  return d;
}

/** Displays Markdown. */
export function md(text: string): Promise<void> {
  return required()({ "text/markdown": text });
}

/** Displays preformatted text (a model summary, a shape). */
export function text(s: string): Promise<void> {
  return required()({ "text/plain": s });
}

/** Displays a chart (Vega-Lite, with SVG and PNG pictures); nothing for an undefined spec (no data at this scale). */
export async function show(spec: Spec | undefined): Promise<void> {
  if (!spec) return;
  await required()(await mimeBundle(spec), { metadata: CHART_METADATA });
}
