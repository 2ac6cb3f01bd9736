import assert from "node:assert/strict";
import type { MetricRow } from "../ledger/evidence.ts";
import {
  chartWarnings,
  compile,
  costBars,
  errorByVariant,
  firstLastGradNorm,
  gradNormByDepth,
  LOSS_CAP,
  lossCurves,
  mimeBundle,
  renderSvg,
} from "./charts.ts";
import { liveCharts } from "./live_chart.ts";

const rows: MetricRow[] = [];
for (const variant of ["plain-20", "residual-20"]) {
  for (const seed of [0, 1]) {
    for (let step = 0; step < 30; step += 10) {
      const base = { variant, seed, model: "cifar_net", step, epoch: 0, split: "train" };
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

Deno.test("chart specs fit JupyterLab's output area and draw without Vega warnings", async () => {
  const specs = {
    lossCurves: lossCurves(rows),
    gradNormByDepth: gradNormByDepth(rows, [0, 10, 20]),
    firstLastGradNorm: firstLastGradNorm(rows),
    costBarsLog: costBars([{ name: "a", value: 3 }, { name: "b", value: 5000 }], { logX: true }),
    errorByVariant: errorByVariant([{ variant: "a", seed: 0, value: 0.1 }]),
  };
  for (const [name, spec] of Object.entries(specs)) {
    const warnings: string[] = [];
    const svg = await renderSvg(spec, warnings);
    assert.deepEqual(warnings, [], name);
    // About 1,000 px of output area at a 1,400 px window; 900 leaves room for the embed's padding and actions.
    const width = Number(svg.match(/^<svg[^>]* width="([\d.]+)"/)?.[1]);
    assert.ok(width > 0 && width <= 900, `${name}: ${width} px wide`);
  }
  // The chart warns where it should: an empty table has no extent.
  assert.ok((await chartWarnings(lossCurves([]))).some((w) => /extent/i.test(w)));
});

Deno.test("lossCurves() draws a diverged run at the cap, marked, and keeps colours fixed by the variant list", () => {
  const diverging = [
    ...rows.filter((r) => r.metric === "loss"),
    { variant: "residual-56", seed: 0, step: 0, epoch: 0, split: "train", metric: "loss", layer: "", value: 1403 },
    { variant: "residual-56", seed: 0, step: 10, epoch: 0, split: "train", metric: "loss", layer: "", value: NaN },
  ];
  const spec = lossCurves(diverging, { variants: ["plain-20", "residual-20", "residual-56"] }) as {
    data: { values: Array<{ value: number; loss: number; offScale: boolean }> };
    encoding: { color: { scale: { domain: string[] } } };
  };
  const off = spec.data.values.filter((v) => v.offScale);
  assert.equal(off.length, 2);
  assert.ok(off.every((v) => v.value === LOSS_CAP));
  assert.equal(off[0].loss, 1403, "the real value stays in the data, for the tooltip");
  assert.ok(Math.max(...spec.data.values.map((v) => v.value)) <= LOSS_CAP);
  assert.deepEqual(spec.encoding.color.scale.domain, ["plain-20", "residual-20", "residual-56"]);
});

Deno.test("mimeBundle() carries Vega-Lite, SVG and PNG; svgToPng() makes a PNG", async () => {
  const bundle = await mimeBundle(lossCurves(rows));
  assert.deepEqual(Object.keys(bundle), ["application/vnd.vegalite.v5+json", "image/svg+xml", "image/png"]);
  const png = Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "PNG signature");
  assert.deepEqual(Object.keys(await mimeBundle(lossCurves(rows), { static: false })), [
    "application/vnd.vegalite.v5+json",
  ]);
});

Deno.test("live charts: one display per chart updated in place, throttled, pictures only at the end", async () => {
  const shown: Array<{ id: string; update: boolean; keys: string[]; variants: string[] }> = [];
  let clock = 0;
  const live = liveCharts({
    intervalMs: 1000,
    now: () => clock,
    variants: ["plain-20", "residual-20"],
    display: (b, o = {}) => {
      const spec = b["application/vnd.vegalite.v5+json"] as { encoding: { color: { scale: { domain: string[] } } } };
      shown.push({
        id: o.display_id!,
        update: o.update!,
        keys: Object.keys(b),
        variants: spec.encoding.color.scale.domain,
      });
      return Promise.resolve();
    },
    charts: (r, variants) => [lossCurves(r, { variants })],
  });
  const sink = live.sinkFor({ variant: "plain-20", seed: 0, model: "cifar_net" });
  // No loss yet: nothing drawn (an empty chart is axes only).
  sink({ step: 0, epoch: 0, split: "train", metric: "lr", layer: "", value: 0.1 });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(shown.length, 0);
  const losses = rows.filter((r) => r.metric === "loss" && r.seed === 0 && r.variant === "plain-20");
  sink(losses[0]); // draws at once
  await new Promise((r) => setTimeout(r, 50));
  sink(losses[1]); // within the interval: not drawn
  clock = 1500;
  sink(losses[2]); // drawn
  await live.flush();
  assert.equal(shown.length, 3, "first record, after the interval, and the final draw");
  assert.deepEqual(shown.map((s) => s.update), [false, true, true]);
  assert.ok(shown.every((s) => s.id === shown[0].id), "the same display is replaced");
  assert.deepEqual(shown[0].keys, ["application/vnd.vegalite.v5+json"], "live updates carry the spec only");
  assert.ok(shown[2].keys.includes("image/png"), "the final draw carries the pictures");
  assert.deepEqual(shown[0].variants, ["plain-20", "residual-20"], "colours fixed from the first draw");
});
