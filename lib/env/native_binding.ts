/**
 * Builds TF.js's native binding (`@tensorflow/tfjs-node`) against the
 * libtensorflow inside TensorFlow's own pip wheel.
 *
 * Why: tfjs-node's install script downloads libtensorflow 2.9.1 from a host
 * many machines cannot reach, and its GPU build is pinned to CUDA 11.2. The
 * GPU build (`@tensorflow/tfjs-node-gpu`, same version) is linked the same way
 * against `tensorflow[and-cuda]==2.21.0`, whose nvidia-* packages bring CUDA
 * 12 and cuDNN: a machine needs only the NVIDIA driver. Each build has its own
 * package and wheel directory, so both can be installed side by side. The
 * wheel (`tensorflow-cpu==2.21.0`) ships `libtensorflow_cc.so.2` and
 * `libtensorflow_framework.so.2`, which export every C API function the
 * binding calls, and `tensorflow/include/` has its headers. We link the
 * binding's own sources against them with node-gyp (about 20 s) and place the
 * addon where tfjs-node looks for it (`lib/napi-v8/`).
 *
 * The wheel is installed once into `.cache/` (pip's own cache keeps the
 * download); later calls find the marker file and skip.
 * @module
 */
import { join } from "node:path";
import { exists, ROOT, sh, writeFileAtomic } from "../_util.ts";

/** TensorFlow release the binding is built against. */
export const TF_VERSION = "2.21.0";

const NAPI = 8;

/**
 * Version of deeper's patch to the binding's sources (graph_function.cc beside
 * this file): an addon built with another, or without it, is rebuilt.
 */
export const BINDING_PATCH = 1;

/** The two builds: TF.js's binding on TensorFlow's CPU wheel, or on its CUDA wheel. */
export type TfVariant = "cpu" | "gpu";

/** What an NVIDIA probe found. */
export interface NvidiaProbe {
  /** Whether a driver answers (nvidia-smi lists GPUs) or is loaded (/proc/driver/nvidia). */
  found: boolean;
  /** The GPUs nvidia-smi lists, e.g. `NVIDIA H100 80GB HBM3 (81559 MiB)`. */
  gpus: string[];
  /** How it was decided, in words. */
  why: string;
}

/**
 * Looks for an NVIDIA driver: `nvidia-smi` (found on `PATH` in `env`) listing
 * GPUs, or the kernel module's `/proc/driver/nvidia`. No CUDA toolkit is
 * needed: the GPU wheel brings CUDA's libraries.
 */
export async function detectNvidia(
  opts: { env?: Record<string, string>; procDir?: string } = {},
): Promise<NvidiaProbe> {
  const r = await sh("nvidia-smi", ["--query-gpu=name,memory.total", "--format=csv,noheader"], { env: opts.env });
  const gpus = r.code === 0
    ? r.stdout.trim().split("\n").filter(Boolean).map((l) => {
      const [name, mem] = l.split(",").map((x) => x.trim());
      return mem ? `${name} (${mem.replace(/\s*MiB$/, " MiB")})` : name;
    })
    : [];
  if (gpus.length) return { found: true, gpus, why: `nvidia-smi lists ${gpus.join(", ")}` };
  const proc = opts.procDir ?? "/proc/driver/nvidia";
  if (exists(proc)) return { found: true, gpus, why: `${proc} exists (the NVIDIA driver is loaded)` };
  const smi = r.code === 127 ? "nvidia-smi not found" : `nvidia-smi failed (exit ${r.code})`;
  return { found: false, gpus, why: `no NVIDIA driver: ${smi} and no ${proc}` };
}

/**
 * The build to use: `DEEPER_TF_VARIANT=cpu|gpu` when set, else `gpu` where an
 * NVIDIA driver is found ({@link detectNvidia}), else `cpu`.
 */
export async function chooseVariant(
  opts: { env?: Record<string, string>; procDir?: string } = {},
): Promise<{ variant: TfVariant; why: string; probe?: NvidiaProbe }> {
  const forced = (opts.env ?? Deno.env.toObject()).DEEPER_TF_VARIANT;
  if (forced) {
    if (forced !== "cpu" && forced !== "gpu") {
      throw new RangeError(`DEEPER_TF_VARIANT must be cpu or gpu, got "${forced}"`);
    }
    // Probed all the same: a forced GPU build on a machine without a driver says why it runs on the CPU.
    return { variant: forced, why: `DEEPER_TF_VARIANT=${forced}`, probe: await detectNvidia(opts) };
  }
  const probe = await detectNvidia(opts);
  return { variant: probe.found ? "gpu" : "cpu", why: probe.why, probe };
}

/** The npm package of a build: each keeps its own addon, so both live side by side and switching rebuilds nothing. */
export function tfjsPackage(variant: TfVariant): string {
  return variant === "gpu" ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node";
}

/** The pip requirement of a build's wheel. */
export function wheelRequirement(variant: TfVariant): string {
  return variant === "gpu" ? `tensorflow[and-cuda]==${TF_VERSION}` : `tensorflow-cpu==${TF_VERSION}`;
}

/** Where the wheel's files live for a variant. */
export function wheelDir(variant: TfVariant): string {
  return join(ROOT, ".cache", `tensorflow-${TF_VERSION}-${variant}`);
}

function tfjsNodeDir(variant: TfVariant): string {
  return Deno.realPathSync(join(ROOT, "node_modules", ...tfjsPackage(variant).split("/")));
}

/** The addon file and the marker describing what it was built against. */
function addonPaths(pkg: string) {
  const dir = join(pkg, "lib", `napi-v${NAPI}`);
  return { dir, addon: join(dir, "tfjs_binding.node"), marker: join(dir, "deeper-build.json") };
}

/** Whether a usable addon is in place, and what it was built against. */
export async function nativeBindingStatus(variant: TfVariant): Promise<{ ok: boolean; detail: string }> {
  let pkg: string;
  try {
    pkg = tfjsNodeDir(variant);
  } catch {
    return { ok: false, detail: `npm package ${tfjsPackage(variant)} is not installed (run deno install)` };
  }
  const { addon, marker } = addonPaths(pkg);
  if (!exists(addon)) return { ok: false, detail: `no addon at ${addon}` };
  if (!exists(marker)) {
    // An addon without our marker came from tfjs-node's own install; it is used as is.
    return { ok: true, detail: "tfjs-node's own build" };
  }
  const info = JSON.parse(await Deno.readTextFile(marker));
  for (const lib of ["libtensorflow_cc.so.2", "libtensorflow_framework.so.2"]) {
    if (!exists(join(info.libDir, lib))) return { ok: false, detail: `${lib} missing from ${info.libDir}` };
  }
  if (info.patch !== BINDING_PATCH) {
    return { ok: false, detail: `built without deeper's binding patch ${BINDING_PATCH} (compiled steps); rebuilding` };
  }
  return { ok: true, detail: `TensorFlow ${info.tfVersion} ${info.variant} wheel` };
}

async function pipInstall(target: string, variant: TfVariant, log: (s: string) => void) {
  if (exists(join(target, "tensorflow", "libtensorflow_cc.so.2"))) return;
  const python = (await sh("python3", ["--version"])).code === 0 ? "python3" : "python";
  // The CPU wheel is used for its shared libraries and headers only, so no
  // Python dependencies; the GPU variant needs its nvidia-* CUDA packages.
  const args = variant === "cpu"
    ? ["-m", "pip", "install", "--quiet", "--no-deps", "--target", target, wheelRequirement(variant)]
    : ["-m", "pip", "install", "--quiet", "--target", target, wheelRequirement(variant)];
  log(`pip ${args.slice(2).join(" ")}`);
  const r = await sh(python, args, { inherit: true });
  if (r.code !== 0) throw new Error(`pip could not install TensorFlow ${TF_VERSION} (exit ${r.code})`);
}

async function nodeGyp(): Promise<string[]> {
  // npm ships node-gyp; using it avoids another download.
  const root = await sh("npm", ["root", "-g"]);
  const bundled = join(
    root.out.trim().split("\n").pop() ?? "",
    "npm",
    "node_modules",
    "node-gyp",
    "bin",
    "node-gyp.js",
  );
  if (root.code === 0 && exists(bundled)) return ["node", bundled];
  return ["npx", "--yes", "node-gyp"];
}

/**
 * Adds `registerGraphFunction` (lib/env/graph_function.cc) to the binding's
 * sources: the file is copied beside them and included at the end of
 * tfjs_binding.cc, declared before the export table and exported; the backend
 * class gets an accessor for its eager context. Idempotent. Files are replaced
 * (temp file, then rename), never written in place: Deno may hard-link them
 * from its global npm cache, which must stay pristine.
 */
export async function patchBindingSources(pkg: string): Promise<void> {
  const dir = join(pkg, "binding");
  const src = new URL("./graph_function.cc", import.meta.url);
  await writeFileAtomic(join(dir, "deeper_graph_function.cc"), await Deno.readTextFile(src));
  const header = join(dir, "tfjs_backend.h");
  let h = await Deno.readTextFile(header);
  if (!h.includes("Context() const")) {
    const anchor = "  bool is_gpu_device;\n";
    if (!h.includes(anchor)) throw new Error(`${header}: no "bool is_gpu_device;" to patch after`);
    h = h.replace(anchor, `${anchor}  TFE_Context *Context() const { return tfe_context_; }  // deeper\n`);
    await writeFileAtomic(header, h);
  }
  const binding = join(dir, "tfjs_binding.cc");
  let b = await Deno.readTextFile(binding);
  if (!b.includes("RegisterGraphFunction")) {
    const init = "static napi_value InitTFNodeJSBinding(";
    const entry = /(\{"getNumOfTensors", nullptr, GetNumOfTensors,[^}]*\},)/;
    if (!b.includes(init) || !entry.test(b)) {
      throw new Error(`${binding}: not the tfjs-node 4.22 binding deeper patches`);
    }
    b = b.replace(
      init,
      `static napi_value RegisterGraphFunction(napi_env env, napi_callback_info info);  // deeper\n\n${init}`,
    )
      .replace(
        entry,
        `$1\n      {"registerGraphFunction", nullptr, RegisterGraphFunction, nullptr, nullptr, nullptr, napi_default, nullptr},`,
      ) + `\n#include "deeper_graph_function.cc"  // deeper\n`;
    await writeFileAtomic(binding, b);
  }
}

/**
 * Installs the wheel (once) and builds the addon against it. Falls back to
 * tfjs-node's own install script when pip is not available.
 */
export async function buildNativeBinding(variant: TfVariant, opts: { log?: (s: string) => void } = {}): Promise<void> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const pkg = tfjsNodeDir(variant);
  const hasPip = (await sh("python3", ["-m", "pip", "--version"])).code === 0;
  if (!hasPip) {
    log("no pip: trying tfjs-node's own install (downloads libtensorflow 2.9.1)");
    const r = await sh("node", ["scripts/install.js", variant === "gpu" ? "gpu" : "cpu", "download"], {
      cwd: pkg,
      inherit: true,
    });
    if (r.code !== 0) throw new Error("tfjs-node's own install failed too; install python3-pip and run setup again");
    return;
  }
  const target = wheelDir(variant);
  await pipInstall(target, variant, log);
  const tfDir = join(target, "tensorflow");

  // binding.gyp expects headers in deps/include and -ltensorflow
  // -ltensorflow_framework in deps/lib, and sets RUNPATH $ORIGIN/../../deps/lib.
  const deps = join(pkg, "deps");
  await Deno.remove(deps, { recursive: true }).catch(() => {});
  await Deno.mkdir(join(deps, "lib"), { recursive: true });
  await Deno.symlink(join(tfDir, "include"), join(deps, "include"));
  const links: Record<string, string> = {
    "libtensorflow.so": "libtensorflow_cc.so.2",
    "libtensorflow_framework.so": "libtensorflow_framework.so.2",
    "libtensorflow_cc.so.2": "libtensorflow_cc.so.2",
    "libtensorflow_framework.so.2": "libtensorflow_framework.so.2",
  };
  for (const [name, file] of Object.entries(links)) {
    await Deno.symlink(join(tfDir, file), join(deps, "lib", name));
  }

  await patchBindingSources(pkg);
  log(`building ${tfjsPackage(variant)}'s binding against TensorFlow ${TF_VERSION} (${variant})`);
  const [cmd, ...pre] = await nodeGyp();
  // Node's own headers, when installed beside it, spare node-gyp a download.
  const prefix = (await sh("node", ["-p", "require('path').resolve(process.execPath, '../..')"])).out.trim();
  const nodedir = exists(join(prefix, "include", "node", "node_api.h")) ? [`--nodedir=${prefix}`] : [];
  const r = await sh(cmd, [
    ...pre,
    "rebuild",
    ...nodedir,
    "--module_name=tfjs_binding",
    `--module_path=lib/napi-v${NAPI}`,
    `--napi_build_version=${NAPI}`,
  ], { cwd: pkg });
  if (r.code !== 0) {
    console.error(r.out.split("\n").slice(-20).join("\n"));
    throw new Error(`node-gyp could not build the ${tfjsPackage(variant)} binding (needs python3, make and g++)`);
  }
  const { dir, addon, marker } = addonPaths(pkg);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(join(pkg, "build", "Release", "tfjs_binding.node"), addon);
  const info = {
    tfVersion: TF_VERSION,
    variant,
    libDir: tfDir,
    patch: BINDING_PATCH,
    builtAt: new Date().toISOString(),
  };
  await Deno.writeTextFile(marker, JSON.stringify(info, null, 2) + "\n");
  log(`native TensorFlow backend built (${addon})`);
}
