/**
 * A small synthetic stand-in for Fashion-MNIST, for unit tests only: each
 * class has its own brightness and stripe period (horizontal stripes for
 * classes 0-4, vertical for 5-9) plus noise, features that survive global
 * average pooling, so a tiny net learns them in a few steps. Runs never use it (lib/data/fashion_mnist.ts has no
 * fallback to it).
 *
 * ```ts
 * const { train, test } = syntheticFashion({ n: 256, seed: 0 });
 * ```
 * @module
 */
import { NUM_CLASSES, type RawSplit, SIDE } from "./fashion_mnist.ts";
import { makeRng } from "./rng.ts";

/** Options of {@link syntheticFashion}. */
export interface SyntheticOptions {
  /** Training examples (default 256); the test split gets a quarter as many. */
  n?: number;
  /** Seed (default 0). */
  seed?: number;
}

function makeSplit(n: number, rng: () => number): RawSplit {
  const P = SIDE * SIDE;
  const images = new Uint8Array(n * P);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % NUM_CLASSES;
    labels[i] = label;
    const period = 2 + (label % 5), phase = Math.floor(rng() * period);
    for (let p = 0; p < P; p++) {
      const along = label < 5 ? Math.floor(p / SIDE) : p % SIDE;
      const stripe = (along + phase) % period === 0 ? 120 : 0;
      images[i * P + p] = Math.min(255, 10 * label + stripe + Math.floor(rng() * 40));
    }
  }
  return { images, labels, n };
}

/** A train and a test split shaped like Fashion-MNIST's. */
export function syntheticFashion(opts: SyntheticOptions = {}): { train: RawSplit; test: RawSplit } {
  const n = opts.n ?? 256;
  const rng = makeRng(opts.seed ?? 0);
  return { train: makeSplit(n, rng), test: makeSplit(Math.max(NUM_CLASSES, Math.floor(n / 4)), rng) };
}
