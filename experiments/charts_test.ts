import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../lib/_util.ts";
import { loadEvidence } from "../lib/ledger/evidence.ts";
import { planRuns } from "../lib/pipeline/pipeline.ts";
import { hasData, renderSvg } from "../lib/display/charts.ts";
import { ALL_EXPERIMENTS } from "./experiments.ts";

const reference = join(ROOT, "results", "reference", "quick");

Deno.test("every experiment's charts of the reference results draw without Vega warnings and fit the output area", async (t) => {
  for (const exp of ALL_EXPERIMENTS) {
    await t.step(exp.name, async () => {
      const ids = (await planRuns(exp, "quick")).map((p) => p.id);
      const ev = await loadEvidence(reference, exp.name, { ids, warn: () => {} });
      const specs = exp.charts?.(ev) ?? {};
      assert.ok(Object.keys(specs).length > 0);
      for (const [name, spec] of Object.entries(specs)) {
        if (!hasData(spec)) continue; // not drawn at this scale (the lesion study below full)
        const warnings: string[] = [];
        const svg = await renderSvg(spec, warnings);
        assert.deepEqual(warnings, [], `${exp.name}/${name}`);
        const width = Number(svg.match(/^<svg[^>]* width="([\d.]+)"/)?.[1]);
        assert.ok(width > 0 && width <= 900, `${exp.name}/${name}: ${width} px wide`);
      }
    });
  }
});
