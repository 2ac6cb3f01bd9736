import assert from "node:assert/strict";
import { buildCifarNet } from "./cifar_net.ts";
import { buildGridNet } from "./grid_net.ts";
import { tfSeed } from "./init.ts";

Deno.test("the same seed builds the same weights, seed 0 included (TF.js reads a seed of 0 as none)", () => {
  assert.equal(tfSeed(0), -1);
  assert.equal(tfSeed(7), 7);
  for (const seed of [0, 1]) {
    for (
      const build of [
        () => buildCifarNet({ depth: 8, seed, aux: true }),
        () => buildGridNet({ reduction: "parallel", seed }),
      ]
    ) {
      const a = build(), b = build();
      const wa = a.getWeights(), wb = b.getWeights();
      wa.forEach((w, i) => {
        const x = w.dataSync(), y = wb[i].dataSync();
        assert.ok(
          x.every((v, j) => v === y[j]),
          `seed ${seed}: ${a.weights[i].originalName} differs between two builds`,
        );
      });
      a.dispose();
      b.dispose();
    }
  }
});
