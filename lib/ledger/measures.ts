/**
 * Measures for claims: numbers taken from one run's record, metrics or
 * artifacts, each with its within-run standard error where one exists (used
 * when a scale has a single seed; with several seeds the spread over seeds
 * is used instead, see claims.ts `pool`).
 *
 * ```ts
 * const m = testError("main");
 * m({ run, rows }); // { value: 0.091, se: 0.0029 }
 * ```
 * @module
 */
import type { Measure } from "./claims.ts";
import type { RunEvidence } from "./evidence.ts";
import { meanSe } from "./stats.ts";
import { isMainPathConv } from "../models/cifar_net.ts";

/** A summary number, with the summary's `<key>_se` as its error when present. */
export function summaryValue(key: string): Measure {
  return (ev) => ({ value: ev.run.summary[key] ?? NaN, se: ev.run.summary[`${key}_se`] ?? NaN });
}

/** A head's test error, with the binomial standard error of a rate on the test set. */
export function testError(head = "main"): Measure {
  return (ev) => {
    const p = ev.run.summary[`test_error_${head}`] ?? NaN;
    return { value: p, se: Math.sqrt(p * (1 - p) / ev.run.config.testSize) };
  };
}

/** Which gradient a measure reads: of the whole training loss, or of the main head's loss alone. */
export type GradientOf = "total" | "main";

/**
 * Per-weight gradient magnitudes of the first epoch, grouped by step:
 * kernel -> RMS = L2 norm / sqrt(number of weights), so kernels of
 * different sizes compare (a 3x3x64x64 kernel's norm is larger than a
 * 3x3x16x16 one's at the same per-weight gradient). `main` reads the
 * main head's own gradient (`grad_norm_main`, recorded for nets with
 * auxiliary heads); a single-head net's total gradient is its main one.
 */
function firstEpochRms(ev: RunEvidence, of: GradientOf = "total"): Map<number, Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const r of ev.rows) if (r.metric === "kernel_size") sizes.set(r.layer, r.value);
  const hasMain = ev.rows.some((r) => r.metric === "grad_norm_main");
  const metric = of === "main" && hasMain ? "grad_norm_main" : "grad_norm";
  const by = new Map<number, Map<string, number>>();
  for (const r of ev.rows) {
    if (r.metric !== metric || r.epoch !== 0) continue;
    const n = sizes.get(r.layer);
    if (!n) continue; // a run recorded before kernel sizes were: no per-weight value
    if (!by.has(r.step)) by.set(r.step, new Map());
    by.get(r.step)!.set(r.layer, r.value / Math.sqrt(n));
  }
  return by;
}

/**
 * log10 of the mean per-weight gradient (RMS) of the kernels whose names
 * match `layers`, averaged over the first epoch's readings. On a log
 * scale, because gradients span orders of magnitude between nets. `of`:
 * the whole loss's gradient, or the main head's alone (so that an
 * auxiliary head's own loss does not count as gradient reaching stage 1).
 */
export function earlyLogGradRms(layers: RegExp, of: GradientOf = "total"): Measure {
  return (ev) => {
    const perStep = [...firstEpochRms(ev, of).values()].map((m) => {
      const v = [...m].filter(([k]) => layers.test(k)).map(([, x]) => x);
      return v.length ? Math.log10(v.reduce((a, b) => a + b, 0) / v.length) : NaN;
    });
    return meanSe(perStep);
  };
}

/**
 * log10 of (per-weight gradient of the last block's output conv / that of
 * the first block's output conv, `s1b1_conv2`), averaged over the first
 * epoch's readings: 1 means the gradient is 10 times smaller at the input
 * end. Block output convs (each block's second conv) compare like with
 * like, and stay meaningful when a residual branch's last conv starts at
 * zero (its first conv then gets no gradient at the first step, by
 * construction). The stem, which sees raw pixels, is left out (see
 * {@link earlyStemRatioLog10}).
 */
export function earlyGradRatioLog10(): Measure {
  return (ev) => {
    const perStep = [...firstEpochRms(ev).values()].map((m) => {
      const outs = [...m.keys()].filter((k) => isMainPathConv(k) && /_conv2\//.test(k));
      const first = m.get(outs[0]!), last = m.get(outs.at(-1)!);
      return first && last ? Math.log10(last / first) : NaN;
    });
    return meanSe(perStep);
  };
}

/** As {@link earlyGradRatioLog10}, with the stem conv as the first layer (reported beside it, not judged). */
export function earlyStemRatioLog10(): Measure {
  return (ev) => {
    const perStep = [...firstEpochRms(ev).values()].map((m) => {
      const convs = [...m.keys()].filter(isMainPathConv);
      const stem = m.get(convs.find((k) => /^stem/.test(k)) ?? ""), last = m.get(convs.at(-1)!);
      return stem && last ? Math.log10(last / stem) : NaN;
    });
    return meanSe(perStep);
  };
}

/**
 * Mean rise in test error when one block is deleted, over the blocks of a
 * lesion study (`lesion.json`; error: spread over blocks).
 */
export function lesionDamage(): Measure {
  return (ev) => {
    const rows = ev.artifacts?.["lesion.json"] as Array<{ block: string; error: number }> | undefined;
    if (!rows) return { value: NaN, se: NaN };
    const base = rows.find((r) => r.block === "none")?.error ?? NaN;
    return meanSe(rows.filter((r) => r.block !== "none").map((r) => r.error - base));
  };
}

/** A summary error rate on `split` (`val_error`, `train_error`) with its binomial standard error. */
export function summaryError(key: "val_error" | "train_error"): Measure {
  return (ev) => {
    const p = ev.run.summary[key] ?? NaN;
    const n = key === "val_error" ? ev.run.config.valSize : ev.run.config.trainEvalSize;
    return { value: p, se: Math.sqrt(p * (1 - p) / n) };
  };
}

/** Validation error minus training error at the end, with the binomial error of the two rates combined. */
export function trainValGap(): Measure {
  return (ev) => {
    const v = summaryError("val_error")(ev), t = summaryError("train_error")(ev);
    return { value: v.value - t.value, se: Math.sqrt(v.se ** 2 + t.se ** 2) };
  };
}

/** The main head's validation error after epoch `epoch` (0-based), from metrics.csv, with its binomial error. */
export function valErrorAtEpoch(epoch: number): Measure {
  return (ev) => {
    const row = ev.rows.find((r) =>
      r.split === "val" && r.metric === "error" && r.layer === "main" && r.epoch === epoch
    );
    const p = row?.value ?? NaN;
    return { value: p, se: Math.sqrt(p * (1 - p) / ev.run.config.valSize) };
  };
}
