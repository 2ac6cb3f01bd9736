import assert from "node:assert/strict";
import { join } from "node:path";
import { chooseVariant, detectNvidia } from "./native_binding.ts";
import { isSoftwareAdapter, tensorflowDevice } from "./backend.ts";

/** A PATH whose `nvidia-smi` prints `out` and exits with `code` (a stub: no driver is needed). */
async function stubSmi(out: string, code: number): Promise<{ env: Record<string, string>; dir: string }> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "nvidia-smi"), `#!/bin/sh\nprintf '%s' '${out}'\nexit ${code}\n`);
  await Deno.chmod(join(dir, "nvidia-smi"), 0o755);
  return { env: { PATH: `${dir}:/usr/bin:/bin` }, dir };
}

Deno.test("detectNvidia() and chooseVariant(): a GPU where nvidia-smi lists one or the driver is loaded", async () => {
  const noProc = "/nonexistent/driver/nvidia";
  const h100 = await stubSmi("NVIDIA H100 80GB HBM3, 81559 MiB\n", 0);
  const probe = await detectNvidia({ env: h100.env, procDir: noProc });
  assert.deepEqual(probe.gpus, ["NVIDIA H100 80GB HBM3 (81559 MiB)"]);
  assert.equal((await chooseVariant({ env: h100.env, procDir: noProc })).variant, "gpu");

  // nvidia-smi present but failing (no device, driver mismatch), no kernel module: the CPU build, and why.
  const broken = await stubSmi("NVIDIA-SMI has failed", 9);
  const none = await chooseVariant({ env: broken.env, procDir: noProc });
  assert.equal(none.variant, "cpu");
  assert.match(none.why, /no NVIDIA driver: nvidia-smi failed \(exit 9\) and no \/nonexistent/);
  // No nvidia-smi at all, but the kernel module is loaded: still the GPU build.
  const empty = { PATH: "/nonexistent" };
  const procDir = await Deno.makeTempDir();
  assert.equal((await chooseVariant({ env: empty, procDir })).variant, "gpu");
  assert.match((await chooseVariant({ env: empty, procDir: noProc })).why, /nvidia-smi not found/);

  // DEEPER_TF_VARIANT overrides either way; anything else is a one-line error.
  assert.equal(
    (await chooseVariant({ env: { ...h100.env, DEEPER_TF_VARIANT: "cpu" }, procDir: noProc })).variant,
    "cpu",
  );
  assert.equal((await chooseVariant({ env: { ...empty, DEEPER_TF_VARIANT: "gpu" }, procDir: noProc })).variant, "gpu");
  await assert.rejects(() => chooseVariant({ env: { DEEPER_TF_VARIANT: "cuda" } }), /must be cpu or gpu, got "cuda"/);
  for (const d of [h100.dir, broken.dir, procDir]) await Deno.remove(d, { recursive: true });
});

Deno.test("tensorflowDevice() says where ops ran, and why a GPU build ran on the CPU", () => {
  const base = { tfVersion: "2.21.0", cores: 16, why: "", kernels: "oneDNN" };
  assert.equal(
    tensorflowDevice({
      ...base,
      gpu: true,
      variant: "gpu",
      probe: { found: true, gpus: ["NVIDIA H100 80GB HBM3 (81559 MiB)"], why: "" },
    }),
    "GPU: NVIDIA H100 80GB HBM3 (81559 MiB) (TensorFlow 2.21.0, GPU build)",
  );
  assert.equal(
    tensorflowDevice({
      ...base,
      gpu: false,
      variant: "gpu",
      probe: { found: false, gpus: [], why: "no NVIDIA driver: nvidia-smi not found and no /proc/driver/nvidia" },
    }),
    "CPU (TensorFlow 2.21.0, 16 cores, oneDNN kernels): GPU build, no GPU found: no NVIDIA driver: nvidia-smi not found and no " +
      "/proc/driver/nvidia",
  );
  assert.match(
    tensorflowDevice({ ...base, gpu: false, variant: "gpu", probe: { found: true, gpus: ["X"], why: "" } }),
    /GPU build, no GPU found: TensorFlow found no usable GPU/,
  );
  assert.equal(
    tensorflowDevice({ ...base, gpu: false, variant: "cpu" }),
    "CPU (TensorFlow 2.21.0, 16 cores, oneDNN kernels)",
  );
});

Deno.test("isSoftwareAdapter(): lavapipe and fallback adapters are not GPUs", () => {
  assert.ok(isSoftwareAdapter({ description: "llvmpipe (LLVM 15.0.6, 256 bits)", vendor: "mesa" }));
  assert.ok(isSoftwareAdapter({ isFallbackAdapter: true, description: "Some GPU" }));
  assert.ok(isSoftwareAdapter({ description: "SwiftShader Device (Subzero)" }));
  assert.ok(!isSoftwareAdapter({ description: "NVIDIA H100 80GB HBM3", vendor: "nvidia", architecture: "hopper" }));
});
