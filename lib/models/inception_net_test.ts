import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildInceptionNet } from "./inception_net.ts";
import { inferenceModel } from "./cifar_net.ts";
import { buildGridNet, gridReduction, REDUCTIONS } from "./grid_net.ts";

Deno.test("the BN-auxiliary net drops its head at inference and keeps the main output unchanged", async () => {
  await tf.setBackend("cpu");
  const m = buildInceptionNet({ width: 8, aux: true, auxBn: true, seed: 1 });
  assert.deepEqual(m.outputNames, ["main", "aux"]);
  assert.ok(m.layers.some((l) => l.name === "aux_fc_bn"), "batch norm on the head's fully connected layer");
  const inf = inferenceModel(m);
  assert.deepEqual(inf.outputNames, ["main"]);
  assert.ok(!inf.layers.some((l) => l.name.startsWith("aux")), "no auxiliary layer left");
  const xs = tf.randomNormal([3, 28, 28, 1], 0, 1, "float32", 2);
  const [main] = m.predict(xs) as tf.Tensor[];
  assert.deepEqual((inf.predict(xs) as tf.Tensor).dataSync(), main.dataSync());
  // Same seed, same weights; another seed, others.
  const again = buildInceptionNet({ width: 8, aux: true, auxBn: true, seed: 1 });
  assert.deepEqual(again.getWeights()[0].dataSync(), m.getWeights()[0].dataSync());
  assert.notDeepEqual(
    buildInceptionNet({ width: 8, seed: 2 }).getWeights()[0].dataSync(),
    m.getWeights()[0].dataSync(),
  );
});

Deno.test("the three grid reductions give the same output shape, on the paper's example too", () => {
  for (const kind of REDUCTIONS) {
    assert.deepEqual(gridReduction(tf.input({ shape: [28, 28, 32] }), { kind, k: 32, name: `a_${kind}` }).shape, [
      null,
      14,
      14,
      64,
    ]);
    assert.deepEqual(gridReduction(tf.input({ shape: [35, 35, 320] }), { kind, k: 320, name: `b_${kind}` }).shape, [
      null,
      17,
      17,
      640,
    ]);
    assert.deepEqual(buildGridNet({ reduction: kind }).outputs[0].shape, [null, 10]);
  }
});
