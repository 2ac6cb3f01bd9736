import assert from "node:assert/strict";
import { labelSides } from "./model_zoo.ts";

Deno.test("labelSides() puts the second of two close bubbles' labels below, leaves distant ones above", () => {
  // GoogLeNet (1.5 G, 69.8%) and ResNet-18 (1.8 G, 69.8%) sit on top of each other; VGG-16 is far.
  assert.deepEqual(labelSides([{ x: 1.5, y: 69.8 }, { x: 15.5, y: 71.6 }, { x: 1.8, y: 69.8 }]), [
    "above",
    "above",
    "below",
  ]);
});
