import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { buildCifarNet } from "../models/cifar_net.ts";
import { buildInceptionNet } from "../models/inception_net.ts";
import { splitFashionMnist } from "../data/fashion_mnist.ts";
import { syntheticFashion } from "../data/synthetic.ts";
import { EvalCompiler } from "./compiled_eval.ts";
import { evaluate } from "./train.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "compiled evaluation batches give eager's numbers exactly, read the current weights, and leak nothing",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    // 6 full batches of 16 and a short one of 4: 1 warm-up, 2 recorded, 3 compiled, the short one eager.
    const { train } = splitFashionMnist(syntheticFashion({ n: 116, seed: 5 }), { valSize: 0 });
    for (
      const [name, build] of [
        ["plain-8", () => buildCifarNet({ depth: 8, seed: 2 })],
        ["plain-8 with auxiliary heads", () => buildCifarNet({ depth: 8, aux: true, seed: 2 })],
        [
          "Inception net with a BN auxiliary head",
          () => buildInceptionNet({ width: 8, aux: true, auxBn: true, seed: 2 }),
        ],
      ] as const
    ) {
      const model = build();
      const eager = await evaluate(model, train, { batchSize: 16 });
      const c = new EvalCompiler(model);
      const before = tf.memory().numTensors;
      const compiled = await evaluate(model, train, { batchSize: 16, compiler: c });
      assert.match(c.status, /^compiled: \d+ ops in one function$/, `${name}: ${c.status}`);
      assert.deepEqual(compiled, eager, name);
      // The weights are inputs, not constants: moved (batch norm's moving statistics too), both paths move alike.
      for (const w of model.weights) {
        const v = w.read() as tf.Variable;
        const moved = tf.tidy(() => tf.mul(v, 1.01));
        v.assign(moved);
        moved.dispose();
      }
      const held = tf.memory().numTensors;
      const again = await evaluate(model, train, { batchSize: 16, compiler: c });
      assert.equal(tf.memory().numTensors, held, `${name}: a compiled evaluation leaked`);
      assert.deepEqual(again, await evaluate(model, train, { batchSize: 16 }), `${name}: after the weights moved`);
      assert.notDeepEqual(again, compiled, `${name}: the moved weights were used`);
      c.dispose();
      assert.equal(tf.memory().numTensors, before, `${name}: recording or compiling leaked`);
      model.dispose();
    }
  },
);

Deno.test(
  "a short last batch among the recorded ones does not stop the full batches from compiling",
  opts,
  async () => {
    await selectBackend({ backend: "tensorflow", quiet: true });
    const { train } = splitFashionMnist(syntheticFashion({ n: 116, seed: 6 }), { valSize: 0 });
    const small = { ...train, index: train.index.subarray(0, 36) }; // batches of 16, 16, 4
    const model = buildCifarNet({ depth: 8, seed: 3 });
    const c = new EvalCompiler(model);
    // Warm-up 16, recorded 16, then 4: a recording of another shape starts the pair over; then 16, 16 compile.
    assert.deepEqual(
      await evaluate(model, small, { batchSize: 16, compiler: c }),
      await evaluate(model, small, { batchSize: 16 }),
    );
    assert.equal(c.status, "recording");
    assert.deepEqual(
      await evaluate(model, train, { batchSize: 16, compiler: c }),
      await evaluate(model, train, { batchSize: 16 }),
    );
    assert.match(c.status, /^compiled: \d+ ops in one function$/);
    c.dispose();
    model.dispose();
  },
);
