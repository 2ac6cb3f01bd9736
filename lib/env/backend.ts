/**
 * Picks the TF.js backend: `tensorflow` (native TensorFlow through the
 * tfjs-node binding), then `webgpu` (Deno's WebGPU: a GPU through
 * Vulkan/Metal, or the CPU through Mesa's lavapipe), then `cpu`.
 *
 * `--backend NAME` or `DEEPER_BACKEND=NAME` forces one; a forced backend that
 * cannot start is an error carrying its reason, never a silent fallback.
 *
 * ```ts
 * const info = await selectBackend({ backend: "auto" });
 * console.log(info.name, info.device); // "tensorflow" "CPU (TensorFlow 2.21.0, 2 cores, oneDNN kernels)"
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { chooseVariant, type NvidiaProbe, tfjsPackage, type TfVariant, wheelRequirement } from "./native_binding.ts";

/** The backends, best first. */
export const BACKENDS = ["tensorflow", "webgpu", "cpu"] as const;
/** One of {@link BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

/** What a run records about the backend it actually used. */
export interface BackendInfo {
  /** TF.js backend name. */
  name: BackendName;
  /** The device in words: TensorFlow's device, the WebGPU adapter, or the CPU. */
  device: string;
  /** Whether the device is a GPU. */
  gpu: boolean;
  /** For `tensorflow`, which build ran: the TF.js package and the TensorFlow wheel it is linked against. */
  build?: string;
  /** Library versions that matter for reproducing numbers. */
  versions: Record<string, string>;
  /** The host CPU's model name (low-order bits of a run repeat per CPU type). */
  cpuModel?: string;
  /** Why better backends were passed over (empty when the first choice started). */
  skipped: string[];
}

function isBackendName(s: string): s is BackendName {
  return (BACKENDS as readonly string[]).includes(s);
}

/** Parses a backend choice; throws a RangeError naming the valid ones. */
export function parseBackendChoice(s: string | undefined): BackendName | "auto" {
  if (s === undefined || s === "" || s === "auto") return "auto";
  if (isBackendName(s)) return s;
  throw new RangeError(`Unknown backend "${s}": use one of auto, ${BACKENDS.join(", ")}`);
}

/**
 * Which CPU kernels TensorFlow runs: oneDNN's, unless the user chose with
 * `TF_ENABLE_ONEDNN_OPTS`. Why: TensorFlow turns oneDNN on by itself only on
 * x86 CPUs with AVX512-VNNI, AVX-VNNI or AMX, and runs Eigen's kernels
 * elsewhere: measured on a 2-core AVX2 machine (AMD EPYC), a plain-20 step at
 * batch 128 took 2.1x as long with Eigen (compiled), and its numbers differed
 * from the first step's loss on from those of a machine where TensorFlow had
 * chosen oneDNN. Set here, before the binding loads TensorFlow, which reads it
 * once. Only on x86-64, where TensorFlow's wheel is built with oneDNN.
 */
export function chooseCpuKernels(env: Pick<typeof Deno.env, "get" | "set"> = Deno.env, arch = Deno.build.arch): string {
  const v = env.get("TF_ENABLE_ONEDNN_OPTS");
  if (v === undefined || v === "") {
    if (arch !== "x86_64") return "TensorFlow's default";
    env.set("TF_ENABLE_ONEDNN_OPTS", "1");
    return "oneDNN";
  }
  if (/^(1|true)$/i.test(v)) return "oneDNN";
  if (/^(0|false)$/i.test(v)) return "Eigen";
  throw new RangeError(`TF_ENABLE_ONEDNN_OPTS="${v}": use 1 (oneDNN's CPU kernels, the default) or 0 (Eigen's)`);
}

/** The CPU's model name from /proc/cpuinfo ("unknown CPU" where there is none). */
export function cpuModel(cpuinfo = "/proc/cpuinfo"): string {
  try {
    const m = Deno.readTextFileSync(cpuinfo).match(/^model name\s*:\s*(.+)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return "unknown CPU";
}

async function startTensorflow(): Promise<Omit<BackendInfo, "skipped">> {
  // tfjs-node calls util.isNullOrUndefined, which Deno's node:util lacks.
  const util = (await import("node:util")).default as unknown as Record<string, unknown>;
  util.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined;
  const { variant, why, probe } = await chooseVariant();
  const kernels = chooseCpuKernels();
  let node: Record<string, unknown>;
  try {
    // Two literal imports (not one computed name), so both packages are known to `deno install`.
    node = variant === "gpu" ? await import("@tensorflow/tfjs-node-gpu") : await import("@tensorflow/tfjs-node");
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new Error(`the native binding (${tfjsPackage(variant)}) did not load (${msg}); run: deno task setup`);
  }
  if (!(await tf.setBackend("tensorflow"))) throw new Error("tf.setBackend('tensorflow') returned false");
  const backend = tf.backend() as unknown as { binding: { TF_Version: string }; isUsingGpuDevice: boolean };
  const gpu = backend.isUsingGpuDevice;
  const tfVersion = backend.binding.TF_Version;
  // Both packages report their version under "tfjs-node".
  const pkg = tfjsPackage(variant).split("/")[1];
  const pkgVersion = (node.version as Record<string, string>)?.["tfjs-node"] ?? "?";
  return {
    name: "tensorflow",
    device: tensorflowDevice({ gpu, variant, tfVersion, cores: navigator.hardwareConcurrency, why, probe, kernels }),
    gpu,
    build: `${pkg} ${pkgVersion} on ${wheelRequirement(variant)}`,
    versions: { tensorflow: tfVersion, [pkg]: pkgVersion },
    cpuModel: cpuModel(),
  };
}

/**
 * Where TensorFlow's ops run, in words: the GPU's name and memory when the
 * build placed them on one; otherwise the CPU, and for a GPU build, why no
 * GPU was used.
 */
export function tensorflowDevice(d: {
  gpu: boolean;
  variant: TfVariant;
  tfVersion: string;
  cores: number;
  why: string;
  probe?: NvidiaProbe;
  /** The CPU kernels ({@link chooseCpuKernels}). */
  kernels: string;
}): string {
  if (d.gpu) {
    const names = d.probe?.gpus.length ? d.probe.gpus.join(", ") : "an NVIDIA GPU";
    return `GPU: ${names} (TensorFlow ${d.tfVersion}, GPU build)`;
  }
  const cpu = `CPU (TensorFlow ${d.tfVersion}, ${d.cores} cores, ${d.kernels} kernels)`;
  if (d.variant === "cpu") return cpu;
  const reason = d.probe && !d.probe.found
    ? d.probe.why
    : "TensorFlow found no usable GPU (set TF_CPP_MIN_LOG_LEVEL=0 to see its reason)";
  return `${cpu}: GPU build, no GPU found: ${reason}`;
}

/** Deno's WebGPU needs a runtime directory; a fresh container often has none. */
function ensureXdgRuntimeDir() {
  if (Deno.env.get("XDG_RUNTIME_DIR")) return;
  const dir = `/tmp/deeper-xdg-${Deno.uid?.() ?? 0}`;
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  Deno.env.set("XDG_RUNTIME_DIR", dir);
}

async function startWebgpu(): Promise<Omit<BackendInfo, "skipped">> {
  ensureXdgRuntimeDir();
  if (!("gpu" in navigator) || !navigator.gpu) throw new Error("this Deno has no navigator.gpu");
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    throw new Error("no WebGPU adapter (on a CPU-only Linux machine: apt-get install mesa-vulkan-drivers libvulkan1)");
  }
  const info = adapter.info;
  const desc = info.description || `${info.vendor} ${info.device}`.trim();
  await import("@tensorflow/tfjs-backend-webgpu");
  if (!(await tf.setBackend("webgpu"))) throw new Error("tf.setBackend('webgpu') returned false");
  const software = isSoftwareAdapter(info);
  return {
    name: "webgpu",
    device: `${desc}${software ? " (software rasteriser on the CPU)" : ""}`,
    gpu: !software,
    versions: {},
  };
}

/**
 * Whether a WebGPU adapter runs on the CPU: the fallback adapter, or a
 * software Vulkan driver (Mesa's lavapipe/llvmpipe, SwiftShader), which Deno
 * does not always flag as a fallback.
 */
export function isSoftwareAdapter(
  info: { isFallbackAdapter?: boolean; description?: string; vendor?: string; device?: string; architecture?: string },
): boolean {
  if (info.isFallbackAdapter) return true;
  const text = [info.description, info.vendor, info.device, info.architecture].join(" ");
  return /llvmpipe|lavapipe|swiftshader|softpipe|software|\bcpu\b/i.test(text);
}

async function startCpu(): Promise<Omit<BackendInfo, "skipped">> {
  if (!(await tf.setBackend("cpu"))) throw new Error("tf.setBackend('cpu') returned false");
  return { name: "cpu", device: `CPU (TF.js JavaScript kernels)`, gpu: false, versions: {} };
}

const STARTERS: Record<BackendName, () => Promise<Omit<BackendInfo, "skipped">>> = {
  tensorflow: startTensorflow,
  webgpu: startWebgpu,
  cpu: startCpu,
};

let current: BackendInfo | undefined;

/** The backend chosen by the last {@link selectBackend}, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/**
 * Starts the best backend, or the forced one.
 *
 * @param opts.backend `auto` (default: `DEEPER_BACKEND`, else best first) or a name to force.
 * @param opts.quiet Do not print the choice (default false).
 */
export async function selectBackend(
  opts: { backend?: BackendName | "auto"; quiet?: boolean } = {},
): Promise<BackendInfo> {
  const choice = opts.backend && opts.backend !== "auto"
    ? opts.backend
    : parseBackendChoice(Deno.env.get("DEEPER_BACKEND"));
  // Reuse the started backend unless something switched TF.js away from it since.
  if (current && (choice === "auto" || choice === current.name) && tf.getBackend() === current.name) return current;
  const order: BackendName[] = choice === "auto" ? [...BACKENDS] : [choice];
  const skipped: string[] = [];
  // PROD silences TF.js's console banners (they suggest installing tfjs-node,
  // which this suite builds itself); TF_CPP_MIN_LOG_LEVEL silences
  // TensorFlow's start-up chatter. Errors still surface as exceptions.
  tf.env().set("PROD", true);
  if (!Deno.env.get("TF_CPP_MIN_LOG_LEVEL")) Deno.env.set("TF_CPP_MIN_LOG_LEVEL", "2");
  for (const name of order) {
    try {
      const info = { ...(await STARTERS[name]()), skipped };
      info.versions = { "tfjs": tf.version_core, deno: Deno.version.deno, ...info.versions };
      await tf.ready();
      current = info;
      if (!opts.quiet) {
        for (const s of skipped) console.error(`backend: skipped ${s}`);
        console.error(`backend: ${info.name} on ${info.device}`);
      }
      return info;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (choice !== "auto") throw new Error(`Backend "${name}" was forced but cannot start: ${reason}`);
      skipped.push(`${name}: ${reason}`);
    }
  }
  throw new Error(`No backend started: ${skipped.join("; ")}`);
}
