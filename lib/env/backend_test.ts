import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { BACKENDS, parseBackendChoice, selectBackend } from "./backend.ts";
import { smallConvNet } from "../_test_util.ts";
import { splitFashionMnist } from "../data/fashion_mnist.ts";
import { batches } from "../data/fashion_mnist.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { disposeStep, trainStep } from "../train/train_step.ts";
import { disposeOptimizer } from "../train/train.ts";
import { ROOT } from "../_util.ts";

// tfjs-node keeps native handles open for the life of the process.
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("parseBackendChoice() accepts the known backends and names them on a typo", () => {
  assert.equal(parseBackendChoice(undefined), "auto");
  for (const b of BACKENDS) assert.equal(parseBackendChoice(b), b);
  assert.throws(() => parseBackendChoice("tensorflw"), {
    message: /Unknown backend "tensorflw": use one of auto, tensorflow/,
  });
});

Deno.test("selectBackend() picks native TensorFlow first on this machine", opts, async () => {
  const saved = Deno.env.get("DEEPER_BACKEND");
  Deno.env.delete("DEEPER_BACKEND");
  try {
    const info = await selectBackend({ quiet: true });
    assert.equal(info.name, "tensorflow", `auto chose ${info.name}: ${info.skipped.join("; ")}`);
    assert.match(info.device, /TensorFlow 2\.\d+/);
    assert.equal(tf.getBackend(), "tensorflow");
  } finally {
    if (saved) Deno.env.set("DEEPER_BACKEND", saved);
  }
});

Deno.test("a forced WebGPU backend reports its adapter", opts, async () => {
  const info = await selectBackend({ backend: "webgpu", quiet: true });
  assert.equal(tf.getBackend(), "webgpu");
  assert.ok(info.device.length > 0);
  assert.ok(Deno.env.get("XDG_RUNTIME_DIR"), "XDG_RUNTIME_DIR is set for Deno's WebGPU");
});

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
