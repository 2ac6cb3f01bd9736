/**
 * Measures for claims: one number taken from one run's record, metrics or
 * artifacts. A claim's uncertainty is the spread of that number over seeds
 * (see claims.ts), so a measure carries no within-run error.
 *
 * ```ts
 * const m = testError("main");
 * m({ run, rows, artifacts: {} }); // { value: 0.091 }
 * ```
 * @module
 */
import type { Measure } from "./claims.ts";
import type { RunEvidence } from "./evidence.ts";
import { meanSd } from "./stats.ts";
import { type LayerRole, layerRole, onMainPath } from "../models/nets.ts";

/**
 * A run that did not train: after at least {@link UNTRAINED_MIN_STEPS} steps,
 * the mean of its main head's last {@link UNTRAINED_READINGS} minibatch losses
 * lies within {@link UNTRAINED_BAND} nats of ln 10, the loss of a uniform guess
 * over 10 classes. Read from the records, so the rule lives here alone (the
 * ledger's health list and every entry resting on such a run use it).
 */
export function didNotTrain(ev: RunEvidence): boolean {
  const main = ev.rows.filter((r) => r.split === "train" && r.metric === "loss" && r.layer === "main")
    .sort((a, b) => a.step - b.step);
  if (main.length === 0 || main.at(-1)!.step + 1 < UNTRAINED_MIN_STEPS) return false;
  const last = main.slice(-UNTRAINED_READINGS).map((r) => r.value);
  return Math.abs(last.reduce((a, b) => a + b, 0) / last.length - Math.log(10)) <= UNTRAINED_BAND;
}

/** Nats from ln 10 within which a run's last losses say it did not train ({@link didNotTrain}). */
export const UNTRAINED_BAND = 0.05;
/** Readings averaged: at logging every 10 steps, the last 50 steps or so. */
export const UNTRAINED_READINGS = 5;
/** Steps before which no run is called untrained (a prefix run of 10 steps, for early gradients, has not tried). */
export const UNTRAINED_MIN_STEPS = 100;

/** A summary number (NaN when the summary lacks it). */
export function summaryValue(key: string): Measure {
  return (ev) => ({ value: ev.run.summary[key] ?? NaN });
}

/** A head's test error. */
export function testError(head = "main"): Measure {
  return (ev) => ({ value: ev.run.summary[`test_error_${head}`] ?? NaN });
}

/** Which gradient a measure reads: of the whole training loss, or of the main head's loss alone. */
export type GradientOf = "total" | "main";

/** Training steps a measure reads: the readings at `from` <= step < `to` (declared in the claim, the same at every scale). */
export interface StepWindow {
  from: number;
  to: number;
}

/** A gradient window in words, e.g. `steps 0-9 (training-mode minibatches)`: gradients are taken in training mode. */
export function windowWords(w: StepWindow): string {
  return `steps ${w.from}-${w.to - 1} (training-mode minibatches)`;
}

/**
 * Per-weight gradient magnitudes of the readings in a step window, grouped by step:
 * kernel -> RMS = L2 norm / sqrt(number of weights), so kernels of
 * different sizes compare (a 3x3x64x64 kernel's norm is larger than a
 * 3x3x16x16 one's at the same per-weight gradient). `main` reads the
 * main head's own gradient (`grad_norm_main`, recorded for nets with
 * auxiliary heads); a single-head net's total gradient is its main one.
 */
function windowRms(ev: RunEvidence, of: GradientOf, w: StepWindow): Map<number, Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const r of ev.rows) if (r.metric === "kernel_size") sizes.set(r.layer, r.value);
  const hasMain = ev.rows.some((r) => r.metric === "grad_norm_main");
  const metric = of === "main" && hasMain ? "grad_norm_main" : "grad_norm";
  const by = new Map<number, Map<string, number>>();
  for (const r of ev.rows) {
    if (r.metric !== metric || r.step < w.from || r.step >= w.to) continue;
    const n = sizes.get(r.layer);
    if (!n) continue; // a run recorded before kernel sizes were: no per-weight value
    if (!by.has(r.step)) by.set(r.step, new Map());
    by.get(r.step)!.set(r.layer, r.value / Math.sqrt(n));
  }
  return by;
}

/** Which layers a gradient measure reads: main-path convolutions of one stage (all stages when omitted). */
export interface LayerSelection {
  stage?: number;
}

/** The main-path convolutions among a run's recorded kernels, with their roles, in forward order. */
function mainPathConvs(ev: RunEvidence, kernels: Iterable<string>): Array<[string, LayerRole]> {
  return [...kernels].map((k) => [k, layerRole(ev.run.config.model, k)] as [string, LayerRole])
    .filter(([, r]) => onMainPath(r));
}

/**
 * log10 of the mean per-weight gradient (RMS) of the main-path convolutions
 * `layers` selects (lib/models/nets.ts gives each kernel its stage),
 * averaged over the readings of a step window. On a log scale, because
 * gradients span orders of magnitude between nets. `of`: the whole loss's
 * gradient (what reaches the layers: the auxiliary losses' included), or
 * the main head's alone.
 */
export function logGradRms(layers: LayerSelection, of: GradientOf, w: StepWindow): Measure {
  return (ev) => {
    const perStep = [...windowRms(ev, of, w).values()].map((m) => {
      const picked = mainPathConvs(ev, m.keys()).filter(([, r]) =>
        layers.stage === undefined || r.stage === layers.stage
      );
      const v = picked.map(([k]) => m.get(k)!);
      return v.length ? Math.log10(v.reduce((a, b) => a + b, 0) / v.length) : NaN;
    });
    return { value: meanSd(perStep).mean };
  };
}

/**
 * log10 of (per-weight gradient of the last block's output conv / that of
 * the first block's output conv, `s1b1_conv2`), averaged over the readings
 * of a step window: 1 means the gradient is 10 times smaller at the input
 * end. Block output convs (each block's second conv) compare like with
 * like, and stay meaningful when a residual branch's last conv starts at
 * zero (its first conv then gets no gradient at the first step, by
 * construction). The stem, which sees raw pixels, is left out (see
 * {@link earlyStemRatioLog10}).
 */
export function gradRatioLog10(w: StepWindow): Measure {
  return (ev) => {
    const perStep = [...windowRms(ev, "total", w).values()].map((m) => {
      const outs = mainPathConvs(ev, m.keys()).filter(([, r]) => r.kind === "block_output").map(([k]) => k);
      const first = m.get(outs[0]!), last = m.get(outs.at(-1)!);
      return first && last ? Math.log10(last / first) : NaN;
    });
    return { value: meanSd(perStep).mean };
  };
}

/** As {@link gradRatioLog10}, with the stem conv as the first layer (reported beside it, not judged). */
export function stemRatioLog10(w: StepWindow): Measure {
  return (ev) => {
    const perStep = [...windowRms(ev, "total", w).values()].map((m) => {
      const convs = mainPathConvs(ev, m.keys());
      const stem = m.get(convs.find(([, r]) => r.kind === "stem")?.[0] ?? ""), last = m.get(convs.at(-1)?.[0] ?? "");
      return stem && last ? Math.log10(last / stem) : NaN;
    });
    return { value: meanSd(perStep).mean };
  };
}

/**
 * Mean rise in test error when one block is deleted, over the blocks of a
 * lesion study (`lesion.json`).
 */
export function lesionDamage(): Measure {
  return (ev) => {
    const rows = ev.artifacts?.["lesion.json"] as Array<{ block: string; error: number }> | undefined;
    if (!rows) return { value: NaN };
    const base = rows.find((r) => r.block === "none")?.error ?? NaN;
    return { value: meanSd(rows.filter((r) => r.block !== "none").map((r) => r.error - base)).mean };
  };
}

/** A summary error rate at the end of training: on the validation split, or on the training evaluation subset. */
export function summaryError(key: "val_error" | "train_error"): Measure {
  return (ev) => ({ value: ev.run.summary[key] ?? NaN });
}

/** Validation error minus training error at the end. */
export function trainValGap(): Measure {
  return (ev) => ({ value: summaryError("val_error")(ev).value - summaryError("train_error")(ev).value });
}

/**
 * A head's evaluation-mode error on a split (`train_eval`: the training
 * evaluation subset; `val`) at a measure step (config `measureSteps`: batch
 * norm's statistics recomputed first), from metrics.csv.
 */
export function evalErrorAt(split: "train_eval" | "val", step: number, head = "main"): Measure {
  return (ev) => {
    const row = ev.rows.find((r) => r.split === split && r.metric === "error" && r.layer === head && r.step === step);
    return { value: row?.value ?? NaN };
  };
}

/** The main head's validation error after epoch `epoch` (0-based), from metrics.csv. */
export function valErrorAtEpoch(epoch: number): Measure {
  return (ev) => {
    // The epoch's last validation reading: its end (a measure step within it reads earlier).
    const row = ev.rows.filter((r) =>
      r.split === "val" && r.metric === "error" && r.layer === "main" && r.epoch === epoch
    ).at(-1);
    return { value: row?.value ?? NaN };
  };
}
