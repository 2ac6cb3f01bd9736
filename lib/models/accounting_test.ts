import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { accountModel, costTableMarkdown } from "./accounting.ts";
import { GroupedConv2D, LENET_C3_TABLE, PartialConv2D } from "./layers.ts";

function account(input: number[], f: (x: tf.SymbolicTensor) => tf.SymbolicTensor) {
  const x = tf.input({ shape: input });
  const m = tf.model({ inputs: x, outputs: f(x) });
  const c = accountModel(m);
  m.dispose();
  return c;
}

Deno.test("accounting of hand-computed layers equals the formula", async () => {
  await tf.setBackend("cpu");
  // conv: out_h * out_w * out_c * k * k * in_c multiply-adds; k * k * in_c * out_c + out_c parameters
  const conv = account(
    [14, 14, 480],
    (x) => tf.layers.conv2d({ filters: 48, kernelSize: 5, padding: "same" }).apply(x) as tf.SymbolicTensor,
  );
  assert.equal(conv.totals.madds, 14 * 14 * 48 * 5 * 5 * 480);
  assert.equal(conv.totals.params, 5 * 5 * 480 * 48 + 48);
  const strided = account(
    [32, 32, 3],
    (x) => tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: "same" }).apply(x) as tf.SymbolicTensor,
  );
  assert.equal(strided.totals.madds, 16 * 16 * 8 * 3 * 3 * 3);
  const dw = account(
    [10, 10, 32],
    (x) => tf.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", useBias: false }).apply(x) as tf.SymbolicTensor,
  );
  assert.equal(dw.totals.madds, 10 * 10 * 32 * 9);
  assert.equal(dw.totals.params, 9 * 32);
  const grouped = account(
    [13, 13, 96],
    (x) => new GroupedConv2D({ filters: 256, kernelSize: 5, groups: 2 }).apply(x) as tf.SymbolicTensor,
  );
  assert.equal(grouped.totals.params, 5 * 5 * 48 * 256 + 256, "AlexNet conv2: each tower sees 48 maps");
  assert.equal(grouped.totals.madds, 13 * 13 * 256 * 5 * 5 * 48);
  const c3 = account(
    [14, 14, 6],
    (x) => new PartialConv2D({ table: LENET_C3_TABLE, kernelSize: 5 }).apply(x) as tf.SymbolicTensor,
  );
  assert.equal(c3.totals.params, 1516, "LeNet-5 C3: 6x(25x3+1) + 9x(25x4+1) + 1x(25x6+1)");
  assert.equal(c3.totals.madds, 10 * 10 * 25 * (6 * 3 + 9 * 4 + 6));
  const fc = account([50176], (x) => tf.layers.dense({ units: 1024 }).apply(x) as tf.SymbolicTensor);
  assert.equal(fc.totals.madds, 50176 * 1024);
  assert.equal(fc.totals.params, 50176 * 1024 + 1024);
  assert.ok(costTableMarkdown(fc).includes("| **total** |  |  | 51,381,248 | 51,381,248 | 51.38M |"));
});
