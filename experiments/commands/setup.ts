/**
 * Idempotent set-up, run by `deno task setup` and at the start of `test`,
 * `reproduce`, `run` and `bench`: system packages (where apt-get and root
 * allow), npm packages, the native TensorFlow backend, the Deno Jupyter
 * kernel. A second call checks and skips; nothing is downloaded twice.
 *
 * ```sh
 * deno task setup            # everything
 * deno task setup --no-apt   # skip system packages
 * ```
 * @module
 */
import { buildNativeBinding, chooseVariant, nativeBindingStatus } from "../../lib/env/native_binding.ts";
import { aptInstall, exists, ROOT, sh } from "../../lib/_util.ts";
import { installSlurm } from "../test_tools/local_slurm.ts";
import { parseFlags } from "../../lib/env/flags.ts";

/** Debian packages the suite uses, and what a user loses without each. */
export const SYSTEM_PACKAGES: ReadonlyArray<{ name: string; why: string }> = [
  {
    name: "dataset-fashion-mnist",
    why: "the real data (or put the four IDX .gz files in data/fashion-mnist/)",
  },
  { name: "libvulkan1", why: "WebGPU on a CPU (lavapipe)" },
  { name: "mesa-vulkan-drivers", why: "WebGPU on a CPU (lavapipe)" },
  { name: "jupyter-nbconvert", why: "headless notebooks" },
  { name: "python3-nbclient", why: "headless notebooks" },
  { name: "jupyter-client", why: "headless notebooks" },
];

/** Options of {@link setup}. */
export interface SetupOptions {
  /** Install missing Debian packages when apt-get and root allow (default true). */
  apt?: boolean;
  /** Build the native TensorFlow backend when absent (default true). */
  native?: boolean;
  /** Register the Deno Jupyter kernel when Jupyter is present (default true). */
  jupyter?: boolean;
  /**
   * Install what the heavy tests need (default false; `./deeper test` asks for it): for the real-browser
   * notebook test, Debian's chromium and JupyterLab with Playwright in a private Python environment
   * ({@link BROWSER_ENV}); for the Slurm executor's test, Debian's Slurm and munge (experiments/test_tools/local_slurm.ts).
   */
  testTools?: boolean;
}

/** The private Python environment of the browser test, and what it pins. */
export const BROWSER_ENV = {
  dir: ".cache/jupyterlab",
  packages: ["jupyterlab==4.6.6", "playwright==1.65.2"],
  chromium: "/usr/bin/chromium",
};

/**
 * Installs the browser test's tools where missing; returns why it could not
 * (the test is then skipped with that reason), or undefined when all is there.
 */
export async function setupBrowser(root = ROOT): Promise<string | undefined> {
  const python = `${root}/${BROWSER_ENV.dir}/bin/python`;
  if (!exists(BROWSER_ENV.chromium)) {
    log("apt-get install chromium (the browser test)");
    const failed = await aptInstall(["chromium"]);
    if (failed) return `no ${BROWSER_ENV.chromium}: ${failed}`;
  }
  const want = BROWSER_ENV.packages.join(" ");
  const stamp = `${root}/${BROWSER_ENV.dir}/.deeper-packages`;
  if (exists(python) && exists(stamp) && Deno.readTextFileSync(stamp) === want) {
    log("browser test tools present");
    return undefined;
  }
  const py = (await sh("python3", ["--version"])).code === 0 ? "python3" : undefined;
  if (!py) return "no python3 for JupyterLab and Playwright";
  log(`pip install ${want} into ${BROWSER_ENV.dir} (the browser test; about 400 MB, once)`);
  const venv = await sh(py, ["-m", "venv", `${root}/${BROWSER_ENV.dir}`]);
  if (venv.code !== 0) return `python3 -m venv failed: ${venv.out.trim().split("\n").at(-1)}`;
  const pip = await sh(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...BROWSER_ENV.packages]);
  if (pip.code !== 0) return `pip install failed: ${pip.out.trim().split("\n").at(-1)}`;
  Deno.writeTextFileSync(stamp, want);
  return undefined;
}

function log(msg: string) {
  console.error(`setup: ${msg}`);
}

async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const p of SYSTEM_PACKAGES) {
    const r = await sh("dpkg-query", ["-W", "-f=${Status}", p.name]);
    if (!(r.code === 0 && r.out.includes("install ok installed"))) missing.push(p.name);
  }
  return missing;
}

async function setupApt(): Promise<void> {
  if ((await sh("dpkg-query", ["--version"])).code !== 0) {
    log("no dpkg here: install Fashion-MNIST into data/fashion-mnist/, Vulkan (lavapipe) and Jupyter yourself");
    return;
  }
  const missing = await missingPackages();
  if (missing.length === 0) return log("system packages present");
  const isRoot = Deno.uid?.() === 0;
  const hasApt = (await sh("apt-get", ["--version"])).code === 0;
  if (!isRoot || !hasApt) {
    for (const name of missing) {
      const why = SYSTEM_PACKAGES.find((p) => p.name === name)?.why;
      log(
        `skipping ${name} (${
          isRoot ? "no apt-get" : "not root"
        }): without it, no ${why}; as root: apt-get install ${name}`,
      );
    }
    return;
  }
  log(`apt-get install ${missing.join(" ")}`);
  const failed = await aptInstall(missing);
  if (failed) log(`${failed}; the suite goes on without: ${missing.join(", ")}`);
}

async function setupJupyter(): Promise<void> {
  if ((await sh("jupyter", ["--version"])).code !== 0) {
    return log(
      "no Jupyter: notebooks will not run headless (apt-get install jupyter-nbconvert python3-nbclient jupyter-client)",
    );
  }
  // The kernel spec names a Deno binary; a spec left by another checkout may point at one that is gone.
  const specs = await sh("jupyter", ["kernelspec", "list", "--json"]);
  let argv0: string | undefined;
  try {
    argv0 = JSON.parse(specs.stdout).kernelspecs?.deno?.spec?.argv?.[0];
  } catch { /* no readable list: install */ }
  const real = (p: string) => {
    try {
      return Deno.realPathSync(p);
    } catch {
      return undefined;
    }
  };
  if (argv0?.startsWith("/") && real(argv0) === real(Deno.execPath())) return log("Deno Jupyter kernel present");
  // Registered by absolute path: `deno jupyter --install` writes the path it was started by into the kernel spec, and
  // Jupyter starts kernels from the notebook's directory, where a relative path (from a relative PATH entry) is gone.
  const r = await sh(real(Deno.execPath()) ?? Deno.execPath(), ["jupyter", "--install", "--force"]);
  log(r.code === 0 ? "Deno Jupyter kernel installed" : `deno jupyter --install failed: ${r.out.trim()}`);
}

async function setupNpm(): Promise<void> {
  // `deno install` reads deno.json and deno.lock; with everything cached it returns at once.
  const r = await sh(Deno.execPath(), ["install", "--quiet"]);
  if (r.code !== 0) throw new Error(`deno install failed: ${r.out.trim()}`);
}

/** Runs every set-up step; see {@link SetupOptions}. */
export async function setup(opts: SetupOptions = {}): Promise<void> {
  if (opts.apt ?? true) await setupApt();
  await setupNpm();
  if (opts.native ?? true) {
    const { variant, why } = await chooseVariant();
    log(`TensorFlow build: ${variant} (${why})`);
    const status = await nativeBindingStatus(variant);
    if (status.ok) log(`native TensorFlow backend present (${status.detail})`);
    else await buildNativeBinding(variant, { log });
  }
  if (opts.jupyter ?? true) await setupJupyter();
  if (opts.testTools) {
    const why = await setupBrowser();
    if (why) log(`the browser test will be skipped: ${why}`);
    const noSlurm = await installSlurm();
    log(noSlurm ? `the Slurm test will be skipped: ${noSlurm}` : "Slurm present (the executor's test)");
  }
}

if (import.meta.main) {
  // Not through cli.ts's `command`: set-up runs before the npm packages are installed, so it imports none.
  try {
    const cfg = parseFlags(Deno.args, { apt: true, native: true, jupyter: true, testTools: false }, "deno task setup");
    if (cfg._.length) throw new RangeError(`deno task setup: unexpected argument "${cfg._[0]}"`);
    await setup(cfg);
  } catch (e) {
    console.error(`setup: ${e instanceof Error ? e.message : e}`);
    Deno.exit(e instanceof RangeError ? 2 : 1);
  }
}
