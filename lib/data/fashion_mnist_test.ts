import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  batches,
  DataError,
  FILES,
  gunzip,
  loadFashionMnist,
  locateFashionMnist,
  parseIdx,
  splitFashionMnist,
} from "./fashion_mnist.ts";
import { syntheticFashion } from "./synthetic.ts";

const real = await loadFashionMnist();

function idx(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** A temp dir holding copies of the four real files. */
async function copyOfReal(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "deeper-data-" });
  for (const f of Object.values(FILES)) await Deno.copyFile(join(real.dir, f.name), join(dir, f.name));
  return dir;
}

async function loadError(dir: string): Promise<string> {
  try {
    await loadFashionMnist({ dataDir: dir });
  } catch (e) {
    assert.ok(e instanceof DataError, `expected DataError, got ${e}`);
    assert.ok(!e.message.includes("\n"), `error is not one line: ${e.message}`);
    return e.message;
  }
  assert.fail("loading corrupt data did not throw");
}

Deno.test("loadFashionMnist() reads the real files with the right counts, shapes and labels", () => {
  assert.equal(real.train.n, 60000);
  assert.equal(real.test.n, 10000);
  assert.equal(real.train.images.length, 60000 * 784);
  assert.equal(real.test.images.length, 10000 * 784);
  const counts = new Array(10).fill(0);
  for (const l of real.train.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(6000), "Fashion-MNIST train has 6,000 images per class");
  assert.deepEqual(Object.keys(real.sha256).sort(), Object.values(FILES).map((f) => f.name).sort());
  for (const h of Object.values(real.sha256)) assert.match(h, /^[0-9a-f]{64}$/);
});

Deno.test("corrupt data gets a one-line error naming the file and the problem", async (t) => {
  await t.step("truncated gzip", async () => {
    const dir = await copyOfReal();
    const p = join(dir, FILES.trainLabels.name);
    const bytes = await Deno.readFile(p);
    await Deno.writeFile(p, bytes.subarray(0, bytes.length >> 1));
    const msg = await loadError(dir);
    assert.match(msg, /train-labels-idx1-ubyte\.gz/);
    assert.match(msg, /truncated or corrupt gzip/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("wrong magic number", async () => {
    const dir = await copyOfReal();
    await Deno.writeFile(join(dir, FILES.testLabels.name), await gzip(idx(0x0803, [10000], new Uint8Array(10000))));
    const msg = await loadError(dir);
    assert.match(msg, /t10k-labels-idx1-ubyte\.gz: wrong magic number 0x00000803, expected 0x00000801/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("wrong count", async () => {
    const dir = await copyOfReal();
    await Deno.writeFile(join(dir, FILES.testLabels.name), await gzip(idx(0x0801, [9999], new Uint8Array(9999))));
    const msg = await loadError(dir);
    assert.match(msg, /t10k-labels-idx1-ubyte\.gz: holds 9999 items, expected 10000/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("missing file names every place searched", async () => {
    const dir = await copyOfReal();
    await Deno.remove(join(dir, FILES.testImages.name));
    const msg = await loadError(dir);
    assert.match(msg, new RegExp(`${dir}.*missing t10k-images-idx3-ubyte\\.gz`));
    await Deno.remove(dir, { recursive: true });
    const empty = await Deno.makeTempDir();
    const saved = Deno.env.get("DEEPER_DATA_DIR");
    Deno.env.delete("DEEPER_DATA_DIR");
    try {
      // With no explicit directory the search goes on; with one it stops there.
      assert.equal(await locateFashionMnist(), real.dir);
      await assert.rejects(() => locateFashionMnist(empty), /DEEPER_DATA_DIR|--data-dir/);
    } finally {
      if (saved) Deno.env.set("DEEPER_DATA_DIR", saved);
      await Deno.remove(empty);
    }
  });
  await t.step("a directory where a file should be", async () => {
    const dir = await copyOfReal();
    const p = join(dir, FILES.trainImages.name);
    await Deno.remove(p);
    await Deno.mkdir(p);
    const msg = await loadError(dir); // a DataError, which the commands turn into exit 2
    assert.ok(msg.startsWith(`${p}: is a directory, not the gzipped IDX file; remove it and put the real file there`));
    assert.doesNotMatch(msg, /os error/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("label out of range, bad image size, short body", () => {
    assert.throws(() => parseIdx(idx(0x0801, [3], Uint8Array.of(0, 10, 1)), "l.gz", { kind: "labels", count: 3 }), {
      message: /l\.gz: label 10 at index 1 is outside 0\.\.9/,
    });
    assert.throws(
      () => parseIdx(idx(0x0803, [1, 27, 28], new Uint8Array(27 * 28)), "i.gz", { kind: "images", count: 1 }),
      {
        message: /images are 27x28, expected 28x28/,
      },
    );
    assert.throws(() => parseIdx(idx(0x0801, [3], Uint8Array.of(0, 1)), "l.gz", { kind: "labels", count: 3 }), {
      message: /2 data bytes, the header says 3/,
    });
  });
  await t.step("garbage is not gzip", async () => {
    await assert.rejects(() => gunzip(Uint8Array.of(1, 2, 3, 4), "x.gz"), /x\.gz: truncated or corrupt gzip/);
  });
});

Deno.test("splitFashionMnist() is deterministic per seed, disjoint and standardised", () => {
  const a = splitFashionMnist(real, { seed: 1 });
  const b = splitFashionMnist(real, { seed: 1 });
  const c = splitFashionMnist(real, { seed: 2 });
  assert.equal(a.train.index.length, 55000);
  assert.equal(a.val.index.length, 5000);
  assert.deepEqual(a.val.index, b.val.index);
  assert.notDeepEqual(a.val.index, c.val.index);
  const inVal = new Set(a.val.index);
  assert.ok(a.train.index.every((i) => !inVal.has(i)), "train and validation overlap");
  assert.ok(Math.abs(a.train.mean - 0.286) < 0.005, `mean ${a.train.mean}`);
  assert.ok(Math.abs(a.train.std - 0.353) < 0.005, `std ${a.train.std}`);
});

Deno.test("batches() yields seeded shuffles of standardised images and one-hot labels", async () => {
  await tf.setBackend("cpu");
  const data = syntheticFashion({ n: 100 });
  const { train } = splitFashionMnist(data, { valSize: 20, seed: 0 });
  const order = (seed: number, epoch: number) =>
    [...batches(train, { batchSize: 16, seed, epoch })].map((b) => {
      assert.deepEqual(b.xs.shape, [16, 28, 28, 1]);
      assert.deepEqual(b.ys.shape, [16, 10]);
      const labels = Array.from(b.labels);
      assert.deepEqual(Array.from(b.ys.argMax(1).dataSync()), labels);
      tf.dispose([b.xs, b.ys]);
      return labels;
    }).flat();
  const first = order(0, 0);
  assert.equal(first.length, 80, "partial batch dropped: 80 of 80 training examples in 5 batches");
  assert.deepEqual(order(0, 0), first);
  assert.notDeepEqual(order(0, 1), first, "each epoch has its own order");
  const all = [...batches(train, { batchSize: 80, shuffle: false })][0];
  const m = tf.mean(all.xs).dataSync()[0];
  assert.ok(Math.abs(m) < 1e-4, `standardised mean ${m}`);
  tf.dispose([all.xs, all.ys]);
});
