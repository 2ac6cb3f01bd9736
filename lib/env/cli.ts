/**
 * What every command of the suite shares: the flags that pick the backend,
 * the results root and the data, and one way to end. A command's body runs
 * inside {@link command}: bad input (a RangeError or a DataError)
 * prints one line and exits 2, anything else prints one line and exits 1,
 * and a body that returns a number exits with it.
 *
 * ```ts
 * await command("run", async () => {
 *   const cfg = parseFlags(Deno.args, { ...RUN_FLAGS, seeds: "" }, "deno task run <experiment>");
 *   const outRoot = await resultsRoot(cfg.out);
 * });
 * ```
 * @module
 */
import { join } from "node:path";
import { DataError } from "../data/fashion_mnist.ts";
import { ROOT } from "../_util.ts";

/** Flags of every command that trains or reads runs, with their defaults. */
export const RUN_FLAGS = {
  backend: "auto", // auto | tensorflow | webgpu | cpu
  force: false, // recompute completed runs
  out: "results", // results root
  dataDir: "", // directory holding the four Fashion-MNIST .gz files
};

/** Flags of the commands that can hand their runs to a scheduler (`run`, `reproduce`). */
export const SWEEP_FLAGS = {
  train: true, // train missing runs (--no-train: judge and report what the runs stored, e.g. a sweep's last job)
  shard: "", // i/n: only every n-th run of each experiment's plan, from the i-th (0-based): one worker of n
  executor: "local", // local | slurm (one job array per experiment, plus a dependent job that judges)
  sbatch: "", // extra sbatch arguments for --executor slurm, e.g. "--partition=gpu --gres=gpu:1"
  concurrency: 16, // --executor slurm: at most this many array tasks of one experiment at once
  checkpointMinutes: 10, // minutes of training between a run's checkpoints within an epoch (and at each epoch's end)
};

/** The executor of `--executor`; a RangeError otherwise. */
export function parseExecutor(s: string): "local" | "slurm" {
  if (s === "local" || s === "slurm") return s;
  throw new RangeError(`Unknown executor "${s}": use local or slurm`);
}

/** The results root of `--out` (relative to the repository), created if missing; a RangeError if it cannot be. */
export async function resultsRoot(out: string): Promise<string> {
  const root = out.startsWith("/") ? out : join(ROOT, out);
  await Deno.mkdir(root, { recursive: true }).catch((e) => {
    throw new RangeError(`results directory ${root} cannot be created (${e.message}); pass --out DIR`);
  });
  return root;
}

/** Whether an error is the user's input (exit 2) rather than a failure (exit 1). */
export function isBadInput(e: unknown): boolean {
  return e instanceof RangeError || e instanceof DataError;
}

/** Runs a command's body; see the module docs. */
export async function command(name: string, body: () => Promise<number | void>): Promise<void> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (e) {
    console.error(`${name}: ${e instanceof Error ? e.message : e}`);
    code = isBadInput(e) ? 2 : 1;
  }
  if (code !== 0) Deno.exit(code);
}
