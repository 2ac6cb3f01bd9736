import assert from "node:assert/strict";
import { join } from "node:path";
import { executeNotebook, injectParameters, type Notebook } from "./notebook.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function notebook(cells: Array<{ source: string; tags?: string[] }>): Notebook {
  return {
    cells: cells.map((c) => ({
      cell_type: "code",
      execution_count: null,
      outputs: [],
      metadata: { tags: c.tags ?? [] },
      source: c.source,
    })),
    metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

Deno.test("injectParameters() adds a cell after the parameters cell", () => {
  const nb = injectParameters(
    notebook([{ source: 'let scale = "quick";', tags: ["parameters"] }, { source: "scale" }]),
    {
      scale: "smoke",
      seeds: 2,
    },
  );
  assert.equal(nb.cells.length, 3);
  assert.equal(nb.cells[1].source, 'scale = "smoke";\nseeds = 2;\nvoid 0;');
  assert.deepEqual(nb.cells[1].metadata?.tags, ["injected-parameters"]);
  assert.throws(
    () => injectParameters(notebook([{ source: "1" }]), {}, "x.ipynb"),
    /x\.ipynb: no cell tagged "parameters"/,
  );
});

Deno.test("executeNotebook() runs a notebook through the Deno kernel with an injected parameter", opts, async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "tiny.ipynb");
  await Deno.writeTextFile(
    path,
    JSON.stringify(notebook([
      { source: 'let scale = "quick";', tags: ["parameters"] },
      { source: "console.log(`scale is ${scale}`);" },
    ])),
  );
  const out = await executeNotebook(path, join(dir, "out"), { scale: "smoke" });
  const executed = JSON.parse(await Deno.readTextFile(out)) as Notebook;
  const text = JSON.stringify(executed.cells[2].outputs);
  assert.match(text, /scale is smoke/);

  await Deno.writeTextFile(
    path,
    JSON.stringify(notebook([
      { source: "let scale = 1;", tags: ["parameters"] },
      { source: "1 + 1" },
      { source: 'throw new Error("boom in cell")' },
    ])),
  );
  await assert.rejects(
    () => executeNotebook(path, join(dir, "out"), {}),
    /tiny\.ipynb: cell 4 failed: .*boom in cell/,
  );
  await Deno.remove(dir, { recursive: true });
});
