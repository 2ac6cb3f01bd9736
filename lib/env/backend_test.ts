import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  BACKENDS,
  chooseCpuKernels,
  cpuModel,
  isSoftwareAdapter,
  parseBackendChoice,
  selectBackend,
} from "./backend.ts";
import { smallConvNet } from "../_test_util.ts";
import { splitFashionMnist } from "../data/fashion_mnist.ts";
import { batches } from "../data/fashion_mnist.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { disposeStep, trainStep } from "../train/train_step.ts";
import { disposeOptimizer } from "../train/train.ts";
import { ROOT } from "../_util.ts";

// tfjs-node keeps native handles open for the life of the process.
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("chooseCpuKernels(): oneDNN unless the user chose, set before TensorFlow reads it; a bad value is refused", () => {
  const env = (v?: string) => {
    const m = new Map(v === undefined ? [] : [["TF_ENABLE_ONEDNN_OPTS", v]]);
    return { get: (k: string) => m.get(k), set: (k: string, x: string) => void m.set(k, x), m };
  };
  const unset = env();
  assert.equal(chooseCpuKernels(unset, "x86_64"), "oneDNN");
  assert.equal(unset.m.get("TF_ENABLE_ONEDNN_OPTS"), "1");
  const arm = env();
  assert.equal(chooseCpuKernels(arm, "aarch64"), "TensorFlow's default");
  assert.equal(arm.m.size, 0);
  for (const v of ["0", "false", "FALSE"]) assert.equal(chooseCpuKernels(env(v), "x86_64"), "Eigen");
  for (const v of ["1", "true"]) assert.equal(chooseCpuKernels(env(v), "x86_64"), "oneDNN");
  assert.throws(() => chooseCpuKernels(env("yes"), "x86_64"), /TF_ENABLE_ONEDNN_OPTS="yes": use 1 .* or 0/);
});

Deno.test("cpuModel() reads the model name, and says so where there is none", async () => {
  const f = await Deno.makeTempFile();
  await Deno.writeTextFile(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n");
  assert.equal(cpuModel(f), "AMD EPYC 7B13");
  await Deno.writeTextFile(f, "processor\t: 0\n");
  assert.equal(cpuModel(f), "unknown CPU");
  await Deno.remove(f);
  assert.equal(cpuModel("/nonexistent/cpuinfo"), "unknown CPU");
});

Deno.test("parseBackendChoice() accepts the known backends and names them on a typo", () => {
  assert.equal(parseBackendChoice(undefined), "auto");
  for (const b of BACKENDS) assert.equal(parseBackendChoice(b), b);
  assert.throws(() => parseBackendChoice("tensorflw"), {
    message: /Unknown backend "tensorflw": use one of auto, tensorflow/,
  });
});

Deno.test(
  "selectBackend() picks native TensorFlow first on this machine and names its device and version",
  opts,
  async () => {
    const saved = Deno.env.get("DEEPER_BACKEND");
    Deno.env.delete("DEEPER_BACKEND");
    try {
      const info = await selectBackend({ quiet: true });
      assert.equal(info.name, "tensorflow", `auto chose ${info.name}: ${info.skipped.join("; ")}`);
      assert.equal(tf.getBackend(), "tensorflow");
      const version = info.versions.tensorflow;
      assert.match(version, /^2\.\d+\.\d+/);
      assert.match(info.build!, /^tfjs-node(-gpu)? \d+\.\d+\.\d+ on tensorflow(-cpu|\[and-cuda\])==2\.\d+\.\d+$/);
      // The flag is the binding's own answer, and the words say the same.
      const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice: boolean }).isUsingGpuDevice;
      assert.equal(info.gpu, usingGpu);
      if (info.gpu) {
        assert.match(info.device, /^GPU: .+ \(TensorFlow [\d.]+, GPU build\)$/);
        assert.ok(info.device.includes(`(TensorFlow ${version}, GPU build)`), info.device);
      } else {
        // The suite runs with TensorFlow's oneDNN kernels unless TF_ENABLE_ONEDNN_OPTS says otherwise.
        const kernels = /^(0|false)$/i.test(Deno.env.get("TF_ENABLE_ONEDNN_OPTS") ?? "") ? "Eigen" : "oneDNN";
        const cpu = `CPU (TensorFlow ${version}, ${navigator.hardwareConcurrency} cores, ${kernels} kernels)`;
        // A GPU build that found no GPU says why after the CPU's words; the CPU build says nothing more.
        if (info.build!.startsWith("tfjs-node-gpu ")) {
          assert.ok(
            info.device.startsWith(`${cpu}: GPU build, no GPU found: `),
          );
        } else assert.equal(info.device, cpu);
      }
    } finally {
      if (saved) Deno.env.set("DEEPER_BACKEND", saved);
    }
  },
);

Deno.test(
  "a forced WebGPU backend names its adapter, and a software adapter is not counted as a GPU",
  opts,
  async () => {
    const info = await selectBackend({ backend: "webgpu", quiet: true });
    assert.equal(tf.getBackend(), "webgpu");
    assert.ok(Deno.env.get("XDG_RUNTIME_DIR"), "XDG_RUNTIME_DIR is set for Deno's WebGPU");
    // The adapter selectBackend asked for, read here on its own.
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
    assert.ok(adapter, "selectBackend started WebGPU, so an adapter exists");
    const a = adapter.info;
    const name = a.description || `${a.vendor} ${a.device}`.trim();
    assert.ok(name.length > 0, "the adapter names itself");
    const software = isSoftwareAdapter(a);
    assert.equal(info.gpu, !software);
    assert.equal(info.device, software ? `${name} (software rasteriser on the CPU)` : name);
    // Mesa's CPU drivers, whatever flag Deno gives them, must never pass for a GPU.
    if (/llvmpipe|lavapipe/i.test(name)) {
      assert.equal(info.gpu, false);
      assert.match(info.device, /(llvmpipe|lavapipe).* \(software rasteriser on the CPU\)$/i);
    }
  },
);

Deno.test("a forced backend that cannot start is an error with its reason, never a fallback", opts, async () => {
  // A child process without FFI permission cannot load the native addon.
  const code = `import { selectBackend } from "${ROOT}/lib/env/backend.ts";
    try { const b = await selectBackend({ backend: "tensorflow", quiet: true }); console.log("started " + b.name); }
    catch (e) { console.log(e.message); }`;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, code);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "--allow-sys", "--config", `${ROOT}/deno.json`, file],
    cwd: ROOT,
    stderr: "null",
  }).output();
  await Deno.remove(file);
  const msg = new TextDecoder().decode(out.stdout).trim();
  assert.match(
    msg,
    /^Backend "tensorflow" was forced but cannot start: the native binding \(@tensorflow\/tfjs-node\) did not load \(.+\)/,
  );
});

for (const backend of BACKENDS) {
  Deno.test(`a training step on ${backend} gives a finite loss and leaks no tensors`, opts, async () => {
    await selectBackend({ backend, quiet: true });
    const { train } = splitFashionMnist(syntheticFashion({ n: 64 }), { valSize: 16 });
    const model = smallConvNet();
    const optimizer = tf.train.momentum(0.05, 0.9);
    const it = batches(train, { batchSize: 16 });
    const step = async () => {
      const b = it.next().value!;
      const r = trainStep(model, optimizer, b.xs, b.ys, { weightDecay: 1e-4, gradNorms: true });
      // Async reads: WebGPU has no synchronous read in Deno.
      const loss = (await r.loss.data())[0];
      const norms = await r.gradNorms!.data();
      disposeStep(r);
      tf.dispose([b.xs, b.ys]);
      return { loss, norms };
    };
    await step(); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    const { loss, norms } = await step();
    assert.equal(tf.memory().numTensors, before, "the step leaked tensors");
    assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
    assert.equal(norms.length, 3, "a gradient norm for each of conv1, conv2 and main kernels");
    assert.ok(norms.every((n) => Number.isFinite(n) && n > 0), `norms ${norms}`);
    disposeOptimizer(optimizer);
    model.dispose();
  });
}
