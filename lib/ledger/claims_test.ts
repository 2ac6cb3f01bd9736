import assert from "node:assert/strict";
import {
  boundClaim,
  compareClaim,
  directionVerdict,
  equivalenceClaim,
  exactClaim,
  pool,
  thresholdClaim,
} from "./claims.ts";
import type { Evidence, RunEvidence } from "./evidence.ts";
import type { RunRecord } from "../train/results.ts";

function run(variant: string, seed: number, value: number): RunEvidence {
  return {
    run: {
      id: `${variant}-s${seed}-x`,
      variant,
      seed,
      status: "complete",
      summary: { v: value },
    } as unknown as RunRecord,
    rows: [],
    artifacts: {},
  };
}

/** The evidence of an experiment made of these runs. */
const ev = (runs: RunEvidence[]): Evidence => ({ experiment: "x", runs, files: {} });

const measure = (e: RunEvidence) => ({ value: e.run.summary.v, se: NaN });
const base = { id: "t", claim: "a is larger", source: "test", experiment: "x", metric: "v" };

Deno.test("directionVerdict() needs a difference beyond twice its standard error", () => {
  assert.equal(directionVerdict(1, 0.4), "supported");
  assert.equal(directionVerdict(-1, 0.4), "contradicted");
  assert.equal(directionVerdict(0.7, 0.4), "inconclusive");
  assert.equal(directionVerdict(1, NaN), "inconclusive");
});

Deno.test("compareClaim() judges constructed data: clear support, clear contradiction, noise", () => {
  const claim = compareClaim({ ...base, a: "A", b: "B", direction: "greater", measure });
  const seeds = [0, 1, 2, 3];
  const clear = [...seeds.map((s) => run("A", s, 1.0 + 0.01 * s)), ...seeds.map((s) => run("B", s, 0.5 + 0.01 * s))];
  assert.equal(claim.judge(ev(clear)).verdict, "supported");
  const reversed = [...seeds.map((s) => run("A", s, 0.5 + 0.01 * s)), ...seeds.map((s) => run("B", s, 1.0 + 0.01 * s))];
  assert.equal(claim.judge(ev(reversed)).verdict, "contradicted");
  const noise = [0.1, 0.9, 0.4, 0.6];
  const noisy = [...seeds.map((s) => run("A", s, noise[s] + 0.05)), ...seeds.map((s) => run("B", s, noise[3 - s]))];
  const j = claim.judge(ev(noisy));
  assert.equal(j.verdict, "inconclusive");
  assert.match(j.effect, /difference 0\.05.* ± .*\(se\), seeds 4\/4/);
  assert.equal(claim.judge(ev([run("A", 0, 1)])).verdict, "not-run");
  // One seed and no within-run error: no spread, so no verdict either way.
  assert.equal(claim.judge(ev([run("A", 0, 1), run("B", 0, 0)])).verdict, "inconclusive");
});

Deno.test("pool() uses the spread over seeds, or a single run's own error", () => {
  const p = pool([{ value: 1, se: NaN }, { value: 3, se: NaN }]);
  assert.equal(p.value, 2);
  assert.ok(Math.abs(p.se - 1) < 1e-12);
  assert.deepEqual(pool([{ value: 5, se: 0.1 }]), { value: 5, se: 0.1, n: 1 });
});

Deno.test("thresholdClaim() and exactClaim() judge values", () => {
  const above = thresholdClaim({
    ...base,
    variant: "A",
    direction: "above",
    threshold: 10,
    measure: () => ({ value: 30, se: 2 }),
  });
  assert.equal(above.judge(ev([run("A", 0, 0)])).verdict, "supported");
  const below = thresholdClaim({
    ...base,
    variant: "A",
    direction: "below",
    threshold: 10,
    measure: () => ({ value: 30, se: 2 }),
  });
  assert.equal(below.judge(ev([run("A", 0, 0)])).verdict, "contradicted");
  assert.equal(
    exactClaim({ ...base, stated: 60000, compute: () => 60000, tolerance: 0 }).judge(ev([])).verdict,
    "supported",
  );
  const off = exactClaim({ ...base, stated: 60000, compute: () => 61706, tolerance: 0 }).judge(ev([]));
  assert.equal(off.verdict, "contradicted");
  assert.match(off.effect, /computed 61706 \(2\.84% off\)/);
});

Deno.test("equivalenceClaim() supports only differences clearly inside the margin", () => {
  const claim = equivalenceClaim({
    ...base,
    a: "A",
    b: "B",
    margin: 0.01,
    measure: (e) => ({ value: e.run.summary.v, se: 0.001 }),
  });
  assert.equal(claim.judge(ev([run("A", 0, 0.100), run("B", 0, 0.102)])).verdict, "supported");
  assert.equal(claim.judge(ev([run("A", 0, 0.100), run("B", 0, 0.130)])).verdict, "contradicted");
  assert.equal(claim.judge(ev([run("A", 0, 0.100), run("B", 0, 0.109)])).verdict, "inconclusive");
});

Deno.test("boundClaim() compares a computed number with a bound", () => {
  assert.equal(
    boundClaim({ ...base, compute: () => 1.2, direction: "below", bound: 1.5 }).judge(ev([])).verdict,
    "supported",
  );
  assert.equal(
    boundClaim({ ...base, compute: () => 1.7, direction: "below", bound: 1.5 }).judge(ev([])).verdict,
    "contradicted",
  );
});
