/**
 * `deno task notebooks [names] [--scale ...]`: executes notebooks headless
 * through the Deno kernel, injecting parameters after the cell tagged
 * `parameters`, and writes executed copies to `results/notebooks/`. A
 * failing cell fails the command, naming the notebook and the cell.
 *
 * ```sh
 * deno task notebooks                       # every notebook, quick scale
 * deno task notebooks 01_depth_aux_residual --scale smoke
 * ```
 * @module
 */
import { join } from "node:path";
import { parseScale } from "../../lib/pipeline/experiment.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { executeNotebook } from "../../lib/display/notebook.ts";
import { ROOT } from "../../lib/_util.ts";
import { command } from "../../lib/env/cli.ts";

const DEFAULTS = {
  scale: "quick", // smoke | quick | full, passed to each notebook
  out: "results", // results root the notebooks read and write; executed copies go to <out>/notebooks
  backend: "auto", // passed to each notebook
};

/** Notebook file names in notebooks/, sorted. */
export async function listNotebooks(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(ROOT, "notebooks"))) if (e.name.endsWith(".ipynb")) names.push(e.name);
  return names.sort();
}

if (import.meta.main) {
  await command("notebooks", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task notebooks [names]");
    parseScale(cfg.scale);
    const all = await listNotebooks();
    const wanted = cfg._.length ? cfg._.map((n) => n.endsWith(".ipynb") ? n : `${n}.ipynb`) : all;
    for (const n of wanted) {
      if (!all.includes(n)) throw new RangeError(`Unknown notebook "${n}": use one of ${all.join(", ")}`);
    }
    const outRoot = cfg.out.startsWith("/") ? cfg.out : join(ROOT, cfg.out);
    for (const n of wanted) {
      console.error(`notebooks: executing ${n} (scale ${cfg.scale})`);
      const t = performance.now();
      const out = await executeNotebook(join(ROOT, "notebooks", n), join(outRoot, "notebooks"), {
        scale: cfg.scale,
        resultsRoot: outRoot,
        backend: cfg.backend,
      });
      console.error(`notebooks: wrote ${out} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
  });
}
