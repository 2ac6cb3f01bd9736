/**
 * Time per training step of several models side by side in one process:
 * the same random batch, the same optimizer, warm-up steps first, every step
 * synchronised by reading its loss. Used where an experiment compares
 * measured cost with counted cost; `deno task bench` does the same across
 * backends and against PyTorch.
 *
 * ```ts
 * const ms = await timeSteps({ a: () => buildA(), b: () => buildB() }, { batch: 128 });
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng, normal } from "../data/rng.ts";
import { disposeStep, trainStep } from "./train_step.ts";
import { disposeOptimizer } from "./train.ts";
import { median } from "../_util.ts";

/** Median, min and max milliseconds per step, per model name. */
export type StepTimes = Record<string, { median: number; min: number; max: number; steps: number }>;

/** Times `steps` training steps of each model after `warmup` steps; rounds interleave the models to share noise. */
export async function timeSteps(
  builders: Record<string, () => tf.LayersModel>,
  opts: { batch?: number; warmup?: number; steps?: number; rounds?: number } = {},
): Promise<StepTimes> {
  const batch = opts.batch ?? 128, warmup = opts.warmup ?? 3, steps = opts.steps ?? 5, rounds = opts.rounds ?? 3;
  const rng = makeRng(0);
  const xs = tf.tensor4d(Float32Array.from({ length: batch * 784 }, () => normal(rng)), [batch, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, () => Math.floor(rng() * 10)), "int32"), 10);
  const models = Object.entries(builders).map(([name, build]) => ({
    name,
    model: build(),
    opt: tf.train.momentum(0.01, 0.9),
  }));
  const samples: Record<string, number[]> = Object.fromEntries(models.map((m) => [m.name, []]));
  const step = async (m: (typeof models)[number]) => {
    const r = trainStep(m.model, m.opt, xs, ys);
    await r.loss.data();
    disposeStep(r);
  };
  for (const m of models) for (let i = 0; i < warmup; i++) await step(m);
  for (let r = 0; r < rounds; r++) {
    for (const m of models) {
      for (let i = 0; i < steps; i++) {
        const t = performance.now();
        await step(m);
        samples[m.name].push(performance.now() - t);
      }
    }
  }
  for (const m of models) {
    disposeOptimizer(m.opt);
    m.model.dispose();
  }
  tf.dispose([xs, ys]);
  const times: StepTimes = {};
  for (const [k, v] of Object.entries(samples)) {
    times[k] = { median: median(v), min: Math.min(...v), max: Math.max(...v), steps: v.length };
  }
  return times;
}
