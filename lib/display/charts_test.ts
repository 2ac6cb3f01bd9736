import assert from "node:assert/strict";
import type { MetricRow } from "../ledger/evidence.ts";
import {
  compile,
  costBars,
  errorByVariant,
  firstLastGradNorm,
  gradNormByDepth,
  lossCurves,
  mimeBundle,
  renderSvg,
} from "./charts.ts";
import { liveCharts } from "./live_chart.ts";

const rows: MetricRow[] = [];
for (const variant of ["plain-20", "residual-20"]) {
  for (const seed of [0, 1]) {
    for (let step = 0; step < 30; step += 10) {
      const base = { variant, seed, step, epoch: 0, split: "train" };
      rows.push({ ...base, metric: "loss", layer: "", value: 2 - step / 30 + seed * 0.1 });
      ["stem_conv/kernel", "s1b1_conv1/kernel", "s1b1_conv2/kernel", "main/kernel"].forEach((layer, i) =>
        rows.push({ ...base, metric: "grad_norm", layer, value: (i + 1) * 0.1 * (1 + step) })
      );
    }
  }
}

Deno.test("every chart spec compiles and renders an SVG with its marks", async (t) => {
  const cases = {
    lossCurves: [lossCurves(rows), "mark-line"],
    gradNormByDepth: [gradNormByDepth(rows, [0, 20]), "mark-line"],
    firstLastGradNorm: [firstLastGradNorm(rows), "mark-line"],
    costBars: [costBars([{ name: "a", value: 3 }, { name: "b", value: 5 }]), "mark-rect"],
    errorByVariant: [errorByVariant([{ variant: "a", seed: 0, value: 0.1 }]), "mark-symbol"],
  } as const;
  for (const [name, [spec, mark]] of Object.entries(cases)) {
    await t.step(name, async () => {
      const compiled = compile(spec) as { marks?: unknown[] };
      assert.ok((compiled.marks ?? []).length > 0, `${name}: the compiled Vega spec has no marks`);
      const svg = await renderSvg(spec);
      assert.match(svg, /^<svg/);
      assert.ok(svg.includes(mark), `${name}: no ${mark} in the SVG`);
      assert.ok((spec as { data: { values: unknown[] } }).data.values.length > 0, `${name}: no data`);
    });
  }
  const depth = gradNormByDepth(rows, [0]) as { data: { values: Array<{ depth: number }> } };
  assert.deepEqual([...new Set(depth.data.values.map((v) => v.depth))], [1, 2, 3], "conv layers only, in order");
});

Deno.test("mimeBundle() carries Vega-Lite and an SVG fallback; live charts update one display in place", async () => {
  const bundle = await mimeBundle(lossCurves(rows));
  assert.deepEqual(Object.keys(bundle), ["application/vnd.vegalite.v5+json", "image/svg+xml"]);
  const shown: Array<{ id: string; update: boolean }> = [];
  const live = liveCharts({
    every: 2,
    charts: (r) => [lossCurves(r)],
    display: (_b, o) => Promise.resolve(void shown.push({ id: o.display_id, update: o.update })),
  });
  const sink = live.sinkFor("plain-20", 0);
  for (const r of rows.filter((r) => r.metric === "loss" && r.seed === 0 && r.variant === "plain-20")) sink(r);
  await live.flush();
  assert.equal(shown.length, 2, "one draw after 2 losses, one at flush");
  assert.equal(shown[0].update, false);
  assert.equal(shown[1].update, true);
  assert.equal(shown[0].id, shown[1].id, "the same display is replaced");
});
