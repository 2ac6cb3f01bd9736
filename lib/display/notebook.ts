/**
 * Runs notebooks headless through the Deno Jupyter kernel with `jupyter
 * nbconvert --execute`, papermill style: a new cell with the given
 * parameters goes right after the cell tagged `parameters` (papermill has no
 * TypeScript support; its convention is all we take). The executed copy is
 * written atomically; a failing cell fails the call, naming the notebook and
 * the cell.
 *
 * ```ts
 * await executeNotebook("notebooks/01_depth_aux_residual.ipynb", "results/notebooks", { scale: "smoke" });
 * ```
 * @module
 */
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { writeFileAtomic } from "../_util.ts";

/** How long nbclient waits, after a cell's reply, for the outputs the kernel already sent (its default is 4 s). */
const IOPUB_TIMEOUT_SECONDS = 120;

/** A notebook's JSON, as much as this module touches. */
export interface Notebook {
  cells: Array<{ cell_type: string; source: string | string[]; metadata?: { tags?: string[] }; [k: string]: unknown }>;
  [k: string]: unknown;
}

/** Parameter values: strings, numbers and booleans, written as TypeScript literals. */
export type Params = Record<string, string | number | boolean>;

/**
 * Returns a copy with a cell tagged `injected-parameters` after the
 * `parameters` cell, assigning each parameter (so the parameters cell must
 * declare them with `let`). Throws when there is no such cell.
 */
export function injectParameters(nb: Notebook, params: Params, name = "notebook"): Notebook {
  const at = nb.cells.findIndex((c) => c.metadata?.tags?.includes("parameters"));
  if (at < 0) throw new RangeError(`${name}: no cell tagged "parameters" to inject after`);
  // `void 0` last: the cell's value would otherwise be displayed as its result.
  const source = [...Object.entries(params).map(([k, v]) => `${k} = ${JSON.stringify(v)};`), "void 0;"].join("\n");
  const cell = {
    cell_type: "code",
    execution_count: null,
    id: "injected-parameters", // nbformat 4.5 cells carry ids
    metadata: { tags: ["injected-parameters"] },
    outputs: [],
    source,
  };
  return { ...nb, cells: [...nb.cells.slice(0, at + 1), cell, ...nb.cells.slice(at + 1)] };
}

/** Index (1-based, counting every cell) of the code cell whose source best matches an nbconvert error. */
function failingCell(nb: Notebook, stderr: string): number | undefined {
  const block = stderr.split("------------------")[1]?.trim();
  if (!block) return undefined;
  const i = nb.cells.findIndex((c) => {
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    return c.cell_type === "code" && src.trim().length > 0 && block.includes(src.trim().split("\n")[0]);
  });
  return i >= 0 ? i + 1 : undefined;
}

/**
 * A path as a notebook in `notebooksDir` should see it: relative, so an
 * executed copy names no directory of the machine that ran it.
 */
export function notebookPath(path: string, notebooksDir: string): string {
  return isAbsolute(path) ? relative(notebooksDir, path) || "." : path;
}

/**
 * Executes one notebook with parameters; writes `<outDir>/<name>.ipynb`;
 * returns its path. A `resultsRoot` parameter is passed relative to the
 * notebook's folder (see {@link notebookPath}). The parameterised copy is written beside the original
 * (a hidden file, removed afterwards) so the kernel starts where a user's
 * would: relative imports and the project's deno.json resolve the same.
 */
export async function executeNotebook(
  path: string,
  outDir: string,
  params: Params,
  opts: { timeoutSeconds?: number } = {},
): Promise<string> {
  const name = basename(path);
  const relParams = { ...params };
  if (typeof params.resultsRoot === "string") relParams.resultsRoot = notebookPath(params.resultsRoot, dirname(path));
  const nb = injectParameters(JSON.parse(await Deno.readTextFile(path)), relParams, name);
  await Deno.mkdir(outDir, { recursive: true });
  const tmpDir = await Deno.makeTempDir({ prefix: "deeper-nb-" });
  const input = join(dirname(path), `.${name.replace(/\.ipynb$/, "")}.${Deno.pid}.executing.ipynb`);
  await Deno.writeTextFile(input, JSON.stringify(nb, null, 1));
  try {
    const out = await new Deno.Command("jupyter", {
      args: [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.kernel_name=deno",
        `--ExecutePreprocessor.timeout=${opts.timeoutSeconds ?? 3600}`,
        // nbclient waits only 4 s after a cell's reply for the outputs still in flight, then drops them without an
        // error: on a loaded machine a chart (SVG and PNG, megabytes) sent at a cell's end was lost that way (CI,
        // 2026-12-02, one of the zoo notebook's two charts). Wait longer, and fail loudly rather than lose output.
        `--ExecutePreprocessor.iopub_timeout=${IOPUB_TIMEOUT_SECONDS}`,
        "--ExecutePreprocessor.raise_on_iopub_timeout=True",
        "--output-dir",
        tmpDir,
        "--output",
        `executed-${name}`,
        input,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output().catch((e) => {
      throw new Error(
        `${name}: could not start jupyter (${e.message}); apt-get install jupyter-nbconvert python3-nbclient jupyter-client`,
      );
    });
    const stderr = new TextDecoder().decode(out.stderr);
    if (out.code !== 0) {
      const cell = failingCell(nb, stderr);
      const lastLine = stderr.trim().split("\n").filter((l) => /Error|error/.test(l)).at(-1) ??
        stderr.trim().split("\n").at(-1);
      throw new Error(`${name}: ${cell ? `cell ${cell} failed` : "execution failed"}: ${lastLine?.trim()}`);
    }
    const target = join(outDir, name);
    await writeFileAtomic(target, await Deno.readTextFile(join(tmpDir, `executed-${name}`)));
    return target;
  } finally {
    await Deno.remove(input).catch(() => {});
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  }
}
