/**
 * `deno task gpu-check`: the GPU build checked as far as a machine without a
 * GPU can check it (opt-in: it downloads about 3 GB, so CI does not run it).
 * TensorFlow's CUDA wheel runs its CPU kernels when it finds no GPU, so the
 * whole path but the GPU itself is exercised: the wheel and its nvidia-*
 * packages install, `@tensorflow/tfjs-node-gpu`'s binding builds and links
 * against it, loads (every CUDA library it needs at load time resolves),
 * trains a smoke run, and its first steps' loss and gradient norms match the
 * CPU build's within the fused-ops tests' tolerance (1e-4 relative).
 *
 * ```sh
 * ./deeper gpu-check          # from scratch: removes an installed GPU build first
 * ./deeper gpu-check --keep   # reuse the installed GPU build
 * ```
 * @module
 */
import { join } from "node:path";
import { exists, ROOT, sh } from "../../lib/_util.ts";
import { buildNativeBinding, nativeBindingStatus, tfjsPackage, wheelDir } from "../../lib/env/native_binding.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command } from "../../lib/env/cli.ts";
import { parseMetricsCsv } from "../../lib/train/results.ts";

const DEFAULTS = {
  keep: false, // reuse an installed GPU build instead of installing it from scratch
  steps: 10, // compare the first this many steps (every one logs every kernel's gradient norm)
};

/** Largest relative difference between two equally long lists. */
function maxRelDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-12));
  return m;
}

/** Trains the smoke plain-20 run with one build; returns its record and first steps' metrics. */
async function smokeRun(variant: "cpu" | "gpu", out: string, steps: number) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(ROOT, "experiments", "commands", "run.ts"), "depth-aux-residual", "--scale", "smoke"]
      .concat(["--variants", "plain-20", "--backend", "tensorflow", "--out", out]),
    env: { DEEPER_TF_VARIANT: variant },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  if (r.code !== 0) throw new Error(`the ${variant} build's smoke run failed: ${err.trim().split("\n").at(-1)}`);
  const expDir = join(out, "depth-aux-residual");
  const id = [...Deno.readDirSync(expDir)].find((e) => e.name.startsWith("plain-20-"))!.name;
  const record = JSON.parse(await Deno.readTextFile(join(expDir, id, "run.json")));
  const rows = parseMetricsCsv(await Deno.readTextFile(join(expDir, id, "metrics.csv")))
    .filter((m) => m.split === "train" && m.step < steps && (m.metric === "loss" || m.metric === "grad_norm"))
    .sort((a, b) => a.step - b.step || a.metric.localeCompare(b.metric) || a.layer.localeCompare(b.layer));
  return { record, rows };
}

if (import.meta.main) {
  await command("gpu-check", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task gpu-check");
    const pkg = join(ROOT, "node_modules", ...tfjsPackage("gpu").split("/"));
    if (!cfg.keep) {
      // From scratch: the wheel directory and the addon (pip's own download cache is left alone).
      await Deno.remove(wheelDir("gpu"), { recursive: true }).catch(() => {});
      const real = exists(pkg) ? Deno.realPathSync(pkg) : undefined;
      for (const d of [join("lib", "napi-v8"), "deps", "build"]) {
        if (real) await Deno.remove(join(real, d), { recursive: true }).catch(() => {});
      }
    }
    const t0 = performance.now();
    const present = cfg.keep && (await nativeBindingStatus("gpu")).ok;
    if (!present) await buildNativeBinding("gpu", { log: (m) => console.error(`gpu-check: ${m}`) });
    const installSeconds = (performance.now() - t0) / 1000;
    const du = await sh("du", ["-sb", wheelDir("gpu")]);
    const bytes = Number(du.stdout.split("\t")[0]);
    console.error(
      `gpu-check: installed and built in ${installSeconds.toFixed(0)} s; ${wheelDir("gpu")} holds ${
        (bytes / 2 ** 30).toFixed(2)
      } GiB`,
    );

    const tmp = await Deno.makeTempDir({ prefix: "deeper-gpu-check-" });
    try {
      const cpu = await smokeRun("cpu", join(tmp, "cpu"), cfg.steps);
      const gpu = await smokeRun("gpu", join(tmp, "gpu"), cfg.steps);
      console.error(`gpu-check: CPU build: ${cpu.record.backend.build} -> ${cpu.record.backend.device}`);
      console.error(`gpu-check: GPU build: ${gpu.record.backend.build} -> ${gpu.record.backend.device}`);
      if (!/tfjs-node-gpu/.test(gpu.record.backend.build ?? "")) {
        throw new Error("the GPU run did not use the GPU build");
      }
      const key = (m: { step: number; metric: string; layer: string }) => `${m.step}/${m.metric}/${m.layer}`;
      if (cpu.rows.map(key).join() !== gpu.rows.map(key).join()) {
        throw new Error("the two runs logged different metrics");
      }
      const loss = maxRelDiff(
        cpu.rows.filter((m) => m.metric === "loss").map((m) => m.value),
        gpu.rows.filter((m) => m.metric === "loss").map((m) => m.value),
      );
      const grads = maxRelDiff(
        cpu.rows.filter((m) => m.metric === "grad_norm").map((m) => m.value),
        gpu.rows.filter((m) => m.metric === "grad_norm").map((m) => m.value),
      );
      const n = cpu.rows.filter((m) => m.metric === "grad_norm").length;
      console.log(
        `gpu-check: first ${cfg.steps} steps, GPU build vs CPU build: loss max relative difference ${
          loss.toExponential(2)
        }, ` +
          `${n} gradient norms ${
            grads.toExponential(2)
          } (tolerance 1e-4); both runs ${cpu.record.status}/${gpu.record.status}`,
      );
      if (loss >= 1e-4 || grads >= 1e-4) return 1;
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  });
}
