/**
 * The table of the nets that experiments train: one row per net family,
 * with the config fields it reads, its builder, its bench nets (and their
 * PyTorch twins, which bench/torch_reference.py builds from the same
 * declaration, handed over as JSON), the bench net whose speed stands for a
 * config, and the role of each of its layers. Plan, bench, measures, charts
 * and the training step ask this table; nothing else reads meaning into a
 * layer's name.
 *
 * Adding a family: its builder (a file of its own), then one row here.
 * Adding a depth to the CIFAR family touches neither: `benchNetOf` names it
 * (`plain110`), and the plan says it has no measured speed until
 * `./deeper bench` measures a net of that name.
 *
 * ```ts
 * const model = netFamily("cifar_net").build({ depth: 56, shortcuts: true }, 0);
 * layerRole("cifar_net", "s1b1_conv2/kernel"); // { kind: "block_output", stage: 1, block: 1 }
 * ```
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { buildCifarNet } from "./cifar_net.ts";
import { buildGridNet, type Reduction, REDUCTIONS } from "./grid_net.ts";
import { buildInceptionNet } from "./inception_net.ts";

/** Option values of a net: the config fields its family reads. */
export type NetOptions = Record<string, number | boolean | string>;

/**
 * What a layer is for, along the depth: the stem, a block's inner or output
 * convolution, a shortcut projection, the classifier, an auxiliary head.
 * `stage` and `block` count from 1 where the family has them.
 */
export interface LayerRole {
  kind: "stem" | "block_conv" | "block_output" | "projection" | "classifier" | "aux_head" | "other";
  stage?: number;
  block?: number;
}

/** One row of the table. */
export interface NetFamily {
  /** The name a config's `model` field gives. */
  model: string;
  /** The config fields the builder reads (their defaults live in lib/train/config.ts, as every field's). */
  options: readonly string[];
  /** Builds the net from its options (every field of `options` present) and a seed. */
  build(o: NetOptions, seed: number): tf.LayersModel;
  /** The nets `./deeper bench` measures for this family, by name, with their options; PyTorch builds the same. */
  bench: Record<string, NetOptions>;
  /**
   * The bench net whose measured speed stands for a net of these options,
   * and the reason for what it leaves out. A name `bench` does not list has
   * no estimate until it is measured, never a neighbour's.
   */
  benchNetOf(o: NetOptions): string;
  /**
   * When no bench row has that name: the bench net to estimate from, the
   * factor on its rate, and why (the plan prints it beside its estimate).
   */
  standIn?(o: NetOptions): { net: string; factor: number; why: string } | undefined;
  /** The role of a layer or kernel (`<layer>/kernel`) of this family's nets, from the names its builder gives. */
  role(name: string): LayerRole;
}

/** The main path: what carries the signal from the input to the main head (no heads, no projections). */
export function onMainPath(role: LayerRole): boolean {
  return role.kind === "stem" || role.kind === "block_conv" || role.kind === "block_output";
}

/** The layer name of a kernel or layer name (`s1b1_conv2/kernel` -> `s1b1_conv2`). */
function layerOf(name: string): string {
  return name.split("/")[0];
}

/** The heads every family names the same way: `main` is the classifier, `aux*` an auxiliary head. */
function headRole(layer: string): LayerRole | undefined {
  if (layer === "main") return { kind: "classifier" };
  if (layer.startsWith("aux")) return { kind: "aux_head" };
  return undefined;
}

/** The CIFAR nets `bench` measures: depth and kind, by name. */
const CIFAR_BENCH_DEPTHS = [
  { net: "plain20", kind: "plain", depth: 20 },
  { net: "plain56", kind: "plain", depth: 56 },
  { net: "residual56", kind: "residual", depth: 56 },
];

/** The CIFAR-style net (ResNet paper section 4.2): `stem_conv`, `s<stage>b<block>_conv1|conv2|proj`, heads. */
const CIFAR_NET: NetFamily = {
  model: "cifar_net",
  options: ["depth", "shortcuts", "aux", "batchNorm", "zeroInitBranches"],
  build: (o, seed) =>
    buildCifarNet({
      depth: o.depth as number,
      shortcuts: o.shortcuts as boolean,
      aux: o.aux as boolean,
      batchNorm: o.batchNorm as boolean,
      zeroInitBranches: o.zeroInitBranches as boolean,
      seed,
    }),
  bench: Object.fromEntries(CIFAR_BENCH_DEPTHS.map((b) => [
    b.net,
    { depth: b.depth, shortcuts: b.kind === "residual", aux: false, batchNorm: true, zeroInitBranches: false },
  ])),
  // The convolutions are the cost: auxiliary heads (about 4% of the multiply-adds) and batch norm are left out.
  benchNetOf: (o) => `${o.shortcuts ? "residual" : "plain"}${o.depth}`,
  standIn(o) {
    const depth = o.depth as number, kind = o.shortcuts ? "residual" : "plain";
    const benched = Object.values(CIFAR_BENCH_DEPTHS);
    if (benched.some((b) => b.depth === depth)) {
      // Shortcuts add one addition per block (and three projections): the same depth's other net stands in.
      const other = benched.find((b) => b.depth === depth)!;
      return { net: other.net, factor: 1, why: `${kind}${depth} taken at ${other.net}'s rate (same convolutions)` };
    }
    const near =
      benched.filter((b) => b.kind === kind).sort((a, b) => Math.abs(a.depth - depth) - Math.abs(b.depth - depth))[0];
    if (!near) return undefined;
    // The cost of a step is its convolutions, proportional to the number of layers at these widths.
    return {
      net: near.net,
      factor: near.depth / depth,
      why: `${kind}${depth} taken at ${near.net}'s rate x ${near.depth}/${depth} (cost proportional to depth)`,
    };
  },
  role(name) {
    const layer = layerOf(name);
    const head = headRole(layer);
    if (head) return head;
    if (layer.startsWith("stem")) return { kind: "stem" };
    const m = layer.match(/^s(\d+)b(\d+)_(conv1|conv2|proj)/);
    if (!m) return { kind: "other" };
    const at = { stage: Number(m[1]), block: Number(m[2]) };
    if (m[3] === "proj") return { kind: "projection", ...at };
    return { kind: m[3] === "conv2" ? "block_output" : "block_conv", ...at };
  },
};

/** The grid-reduction net: `stem1|stem2`, the block under study (`reduce_*`), the trunk, `main`. */
const GRID_NET: NetFamily = {
  model: "grid_net",
  options: ["reduction", "width"],
  build(o, seed) {
    if (!(REDUCTIONS as readonly string[]).includes(o.reduction as string)) {
      throw new RangeError(`Unknown reduction "${o.reduction}": use ${REDUCTIONS.join(", ")}`);
    }
    return buildGridNet({ reduction: o.reduction as Reduction, width: o.width as number, seed });
  },
  bench: Object.fromEntries(REDUCTIONS.map((r) => [`grid_${r.replace("-", "_")}`, { reduction: r, width: 32 }])),
  benchNetOf: (o) => `grid_${String(o.reduction).replace("-", "_")}${o.width === 32 ? "" : `_w${o.width}`}`,
  role(name) {
    const layer = layerOf(name);
    return headRole(layer) ?? (layer.startsWith("stem") ? { kind: "stem" } : { kind: "block_conv" });
  },
};

/** The small Inception net of bn-aux: stems, modules `a1`, `b1`, `b2`, `c1`, reductions, `main`, `aux`. */
const INCEPTION_NET: NetFamily = {
  model: "inception_net",
  options: ["width", "aux", "auxBn"],
  build: (o, seed) =>
    buildInceptionNet({ width: o.width as number, aux: o.aux as boolean, auxBn: o.auxBn as boolean, seed }),
  bench: {
    inception_aux: { width: 16, aux: true, auxBn: false },
    inception_bn_aux: { width: 16, aux: true, auxBn: true },
  },
  // Without a head the net is the aux net less its head; measured with one, as two of the three variants train.
  benchNetOf: (o) => `inception_${o.auxBn ? "bn_aux" : "aux"}${o.width === 16 ? "" : `_w${o.width}`}`,
  role(name) {
    const layer = layerOf(name);
    return headRole(layer) ?? (layer.startsWith("stem") ? { kind: "stem" } : { kind: "block_conv" });
  },
};

/** The table: every net family an experiment can name in `model`. */
export const NETS: readonly NetFamily[] = [CIFAR_NET, GRID_NET, INCEPTION_NET];

/** The family of a config's `model`, or a RangeError listing the known ones. */
export function netFamily(model: string): NetFamily {
  const f = NETS.find((n) => n.model === model);
  if (!f) throw new RangeError(`Unknown model "${model}": use ${NETS.map((n) => n.model).join(", ")}`);
  return f;
}

/** A config's net options: the fields its family reads, taken from the config. */
export function netOptions(cfg: { model: string }): NetOptions {
  const c = cfg as unknown as Record<string, NetOptions[string]>;
  return Object.fromEntries(netFamily(cfg.model).options.map((k) => [k, c[k]]));
}

/** The role of a layer or kernel of a net of `model` (see {@link LayerRole}). */
export function layerRole(model: string, name: string): LayerRole {
  return netFamily(model).role(name);
}

/** Every bench net of every family, by name: its family and options (what bench/torch_reference.py is handed). */
export function benchNets(): Record<string, { model: string; options: NetOptions }> {
  return Object.fromEntries(
    NETS.flatMap((f) => Object.entries(f.bench).map(([name, options]) => [name, { model: f.model, options }])),
  );
}

/**
 * The layers the main head's output depends on, by name: found by walking
 * the graph back from the `main` output, so an auxiliary head's layers (and
 * nothing else) are left out, whatever they are called.
 */
export function mainPathLayers(model: tf.LayersModel): Set<string> {
  const seen = new Set<string>();
  const stack = [model.outputs[Math.max(0, model.outputNames.indexOf("main"))].sourceLayer];
  while (stack.length) {
    const layer = stack.pop()!;
    if (seen.has(layer.name)) continue;
    seen.add(layer.name);
    for (const node of layer.inboundNodes) stack.push(...node.inboundLayers);
  }
  return seen;
}
