import assert from "node:assert/strict";
import { benchNets, layerRole, mainPathLayers, netFamily, netOptions, NETS, onMainPath } from "./nets.ts";
import { DEFAULT_CONFIG, resolveConfig } from "../train/config.ts";
import { kernelNames, mainKernelNames } from "../train/train_step.ts";

Deno.test("every family reads config fields only, and a config's net options are those fields", () => {
  for (const f of NETS) for (const k of f.options) assert.ok(k in DEFAULT_CONFIG, `${f.model}.${k} is a config field`);
  assert.deepEqual(netOptions(resolveConfig({ model: "grid_net", reduction: "pool-first" })), {
    reduction: "pool-first",
    width: 32,
  });
  assert.throws(() => netFamily("vgg"), /Unknown model "vgg": use cifar_net, grid_net, inception_net/);
});

Deno.test("every bench net builds from its declared options and is its own bench net", () => {
  for (const [name, { model, options }] of Object.entries(benchNets())) {
    const f = netFamily(model);
    assert.equal(f.benchNetOf(options), name);
    const m = f.build(options, 0);
    assert.ok(m.countParams() > 0);
    m.dispose();
  }
});

Deno.test("the CIFAR net's layer roles: stem, block convs and outputs by stage and block, projections, heads", () => {
  const m = netFamily("cifar_net").build(
    { ...netOptions(resolveConfig({ depth: 20, shortcuts: true, aux: true })) },
    1,
  );
  const roles = kernelNames(m).map((k) => [k, layerRole("cifar_net", k)] as const);
  const of = (kind: string) => roles.filter(([, r]) => r.kind === kind).map(([k]) => k);
  assert.deepEqual(of("stem"), ["stem_conv/kernel"]);
  assert.equal(of("block_output").length, 9, "one output conv per block, 3 x 3 blocks");
  assert.equal(of("block_conv").length, 9);
  assert.deepEqual(of("projection"), ["s2b1_proj/kernel", "s3b1_proj/kernel"]);
  assert.deepEqual(of("classifier"), ["main/kernel"]);
  assert.ok(of("aux_head").length >= 4, "two heads, a conv and two dense layers each");
  assert.deepEqual(layerRole("cifar_net", "s2b3_conv2/kernel"), { kind: "block_output", stage: 2, block: 3 });
  // The main path by role is the main path by the graph, less the classifier and the projections.
  const byGraph = mainKernelNames(m).filter((k) =>
    !["classifier", "projection"].includes(layerRole("cifar_net", k).kind)
  );
  assert.deepEqual(byGraph, roles.filter(([, r]) => onMainPath(r)).map(([k]) => k));
  m.dispose();
});

Deno.test("mainPathLayers() follows the graph back from the main output: auxiliary heads are left out", () => {
  for (
    const [model, o] of [["cifar_net", { depth: 8, aux: true }], ["inception_net", { aux: true, width: 8 }]] as const
  ) {
    const m = netFamily(model).build(netOptions(resolveConfig({ model, ...o })), 0);
    const main = mainPathLayers(m);
    const aux = m.layers.filter((l) => !main.has(l.name)).map((l) => l.name);
    assert.ok(aux.length > 0 && aux.every((n) => n.startsWith("aux")), `${model}: ${aux}`);
    // The same kernels as the earlier name rule gave (kernels matching /kernel/, less those named aux*).
    const byName = m.trainableWeights.map((w) => w.originalName).filter((n) => /kernel/.test(n));
    assert.deepEqual(kernelNames(m), byName);
    assert.deepEqual(mainKernelNames(m), byName.filter((n) => !/^aux/.test(n)));
    m.dispose();
  }
});
