import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../env/backend.ts";
import { accountModel } from "./accounting.ts";
import { ZOO } from "./zoo.ts";
import { inceptionModule, inceptionNaive, residualBlock } from "./blocks.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test("every zoo model builds at its native input size and matches its reference count", opts, async (t) => {
  await selectBackend({ backend: "tensorflow", quiet: true });
  for (const [name, e] of Object.entries(ZOO)) {
    await t.step(name, () => {
      const m = e.build();
      const c = accountModel(m);
      assert.equal(c.totals.params, m.countParams(), "accounting total agrees with TF.js's own count");
      const got = e.reference.counts === "trainable" ? c.totals.trainable : c.totals.params;
      const rel = Math.abs(got - e.reference.count) / e.reference.count;
      if (e.reference.tolerance === 0) assert.equal(got, e.reference.count, `${name}: ${got} vs ${e.reference.source}`);
      else {assert.ok(
          rel <= e.reference.tolerance,
          `${name}: ${got} is ${(rel * 100).toFixed(2)}% off ${e.reference.count}`,
        );}
      assert.ok(c.totals.madds > 0);
      m.dispose();
    });
  }
});

Deno.test("blocks give the shapes their papers give", () => {
  const x = tf.input({ shape: [28, 28, 192] });
  const y = inceptionModule(x, { name: "3a", c1: 64, c2: [96, 128], c3: [16, 32], c4: 32 });
  assert.deepEqual(y.shape, [null, 28, 28, 256], "GoogLeNet 3a: 64 + 128 + 32 + 32");
  const naive = inceptionNaive(x, { name: "n", c1: 64, c3: 128, c5: 32 });
  assert.deepEqual(naive.shape, [null, 28, 28, 64 + 128 + 32 + 192], "the naive module keeps every input channel");
  const r = residualBlock(tf.input({ shape: [56, 56, 64] }), {
    name: "b",
    filters: 64,
    bottleneck: true,
    projection: true,
  });
  assert.deepEqual(r.shape, [null, 56, 56, 256]);
});
