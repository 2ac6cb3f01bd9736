import assert from "node:assert/strict";
import { applyHolm } from "./verdict.ts";
import { boundClaim, compareClaim, equivalenceClaim, exactClaim, matches, thresholdClaim } from "./claim_builders.ts";
import { type Claim, type LedgerEntry } from "./claims.ts";
import { judgeClaim, judgeClaims } from "./judge.ts";
import type { Evidence, RunEvidence } from "./evidence.ts";
import type { RunRecord } from "../train/results.ts";
import { formatDuration } from "../_util.ts";

function run(variant: string, seed: number, value: number, status = "complete"): RunEvidence {
  return {
    run: { id: `${variant}-s${seed}-x`, variant, seed, status, summary: { v: value } } as unknown as RunRecord,
    rows: [],
    artifacts: {},
  };
}

/** The evidence of an experiment made of these runs. */
const ev = (runs: RunEvidence[]): Evidence => ({ experiment: "x", runs, files: {} });
const arm = (variant: string, values: number[], seeds = values.map((_, i) => i)) =>
  values.map((v, i) => run(variant, seeds[i], v));
const measure = (e: RunEvidence) => ({ value: e.run.summary.v, se: NaN });
const base = { id: "t", claim: "a is larger", source: "test", metric: "v" };
const greater = compareClaim({
  ...base,
  a: "A",
  b: "B",
  direction: "greater",
  measure,
  regime: "early",
  minEffect: 0.5,
});

// The per-seed data below are those of stats_test.ts, whose p-values and intervals are pinned to SciPy's.
const A = [2.1, 1.9, 2.4, 2.2], B = [0.6, 0.4, 0.9, 1.3];

Deno.test("compareClaim(): paired t when the arms share seeds, Welch otherwise; every field of the entry", () => {
  const paired = judgeClaim(greater, ev([...arm("A", A), ...arm("B", B)]));
  assert.equal(paired.verdict, "supported");
  assert.equal(paired.test, "paired t");
  assert.deepEqual(paired.n, [4, 4]);
  assert.deepEqual(paired.values, { A: { 0: 2.1, 1: 1.9, 2: 2.4, 3: 2.2 }, B: { 0: 0.6, 1: 0.4, 2: 0.9, 3: 1.3 } });
  assert.ok(Math.abs(paired.diff! - 1.35) < 1e-12);
  assert.ok(Math.abs(paired.p! - 0.002895812161864145) < 1e-7, "scipy ttest_rel");
  assert.equal(paired.pHolm, paired.p, "outside a family: its own p");
  // scipy.stats.permutation_test((a - b,), mean, permutation_type="samples", n_resamples=inf): 0.125 (2 of 16 patterns).
  assert.equal(paired.pExact, 0.125);
  assert.equal(paired.regime, "early");
  assert.match(
    paired.effect,
    /^A minus B: \+1\.35 \[95% CI \+0\.873, \+1\.83\]; paired t\(3\) = 9\.00, p = 0\.003 \(a measurement outside the declared family: uncorrected\); exact sign-flip p = 0\.125 \(the exact test would not decide it\); 4 seeds per arm$/,
  );
  // Other seeds in B: no pairs, so Welch.
  const welch = judgeClaim(greater, ev([...arm("A", A), ...arm("B", B, [10, 11, 12, 13])]));
  assert.equal(welch.test, "Welch t");
  assert.ok(Math.abs(welch.df! - 5.0) < 1, `${welch.df}`);
  assert.equal(welch.pExact, undefined, "no exact sign-flip test for unpaired arms");
  // The other way round: significant against the claim.
  const less = compareClaim({ ...base, a: "A", b: "B", direction: "less", measure, regime: "early", minEffect: 0.5 });
  assert.equal(judgeClaim(less, ev([...arm("A", A), ...arm("B", B)])).verdict, "contradicted");
});

Deno.test("fewer than 4 seeds per arm is inconclusive whatever the effect, and says so", () => {
  const three = judgeClaim(greater, ev([...arm("A", [10, 10.1, 10.2]), ...arm("B", [0, 0.1, 0.2])]));
  assert.equal(three.verdict, "inconclusive");
  assert.match(three.effect, /inconclusive: fewer than 4 seeds per arm \(n = 3\/3\)/);
  assert.ok(Number.isNaN(three.pHolm!), "no p to correct");
  assert.equal(judgeClaim(greater, ev(arm("A", A))).verdict, "not-run");
  // Identical values (two nets at exactly chance): no spread, no test, never "beats" anything.
  const flat = judgeClaim(greater, ev([...arm("A", [0.9, 0.9, 0.9, 0.9]), ...arm("B", [0.9, 0.9, 0.9, 0.9])]));
  assert.equal(flat.verdict, "inconclusive");
  assert.match(flat.effect, /no spread over seeds/);
});

Deno.test("an inconclusive entry says what the design could detect: underpowered and powered read differently", () => {
  const noisy = judgeClaim(greater, ev([...arm("A", [1.0, 2.0, 0.5, 1.8]), ...arm("B", [0.9, 1.2, 1.1, 1.0])]));
  assert.equal(noisy.verdict, "inconclusive");
  assert.ok(noisy.mde! > 0.5);
  assert.match(
    noisy.effect,
    /underpowered: this design detects .* or more at 80% power at level 0\.0500 \(0\.500 matters\); the observed .* would need about \d+ seeds per arm/,
  );
  const tight = judgeClaim(greater, ev([...arm("A", [1.0, 1.01, 0.99, 1.0]), ...arm("B", [1.0, 1.0, 1.01, 0.99])]));
  assert.equal(tight.verdict, "inconclusive");
  assert.ok(tight.mde! < 0.5);
  assert.match(tight.effect, /no effect of 0\.500 or more \(this design detects .* at 80% power at level 0\.0500\)/);
});

Deno.test("an undecided entry says what its seeds would cost at the measured time; no exact p beyond 20 seeds", () => {
  const timed = (runs: RunEvidence[], seconds: number) =>
    runs.map((r) => ({ ...r, run: { ...r.run, wallSeconds: seconds } }));
  const noisy = judgeClaim(
    greater,
    ev([...timed(arm("A", [1.0, 2.0, 0.5, 1.8]), 30), ...timed(arm("B", [0.9, 1.2, 1.1, 1.0]), 90)]),
  );
  const need = Number(noisy.effect.match(/would need about (\d+) seeds per arm/)![1]);
  const cost = `(about ${
    formatDuration(need * 120)
  } of training on this machine, at the measured 2 min per seed of both arms)`;
  assert.ok(noisy.effect.endsWith(cost), noisy.effect);
  // A run that was resumed times only its last part: no cost is claimed from it.
  const resumed = timed(arm("A", [1.0, 2.0, 0.5, 1.8]), 30).map((r) => ({
    ...r,
    run: { ...r.run, resumedFrom: [{ step: 5, at: "" }] },
  }));
  const unsure = judgeClaim(greater, ev([...resumed, ...timed(arm("B", [0.9, 1.2, 1.1, 1.0]), 90)]));
  assert.doesNotMatch(unsure.effect, /of training on this machine/);
  const many = Array.from({ length: 24 }, (_, i) => 1 + 0.1 * Math.sin(i));
  const wide = judgeClaim(greater, ev([...arm("A", many), ...arm("B", many.map((x, i) => x - 0.01 * (i % 3)))]));
  assert.match(wide.effect, /24 seeds per arm/);
  assert.match(wide.effect, /no exact sign-flip p \(it counts all 2\^n sign patterns, so it stops at 20 seeds\)/);
});

Deno.test("Holm's correction runs over the declared family at its declared size, whatever ran", () => {
  // p = 0.028 alone is supported; in a declared family of 4 whose other members have no result (p = 1), Holm p = 4 p.
  const welchArms = [...arm("A", [0.21, 0.25, 0.19, 0.30]), ...arm("B", [0.15, 0.18, 0.11, 0.16], [10, 11, 12, 13])];
  const alone = judgeClaim({ ...greater, id: "w" } as Claim, ev(welchArms));
  assert.ok(Math.abs(alone.p! - 0.02784099546124986) < 1e-7, "scipy ttest_ind(equal_var=False)");
  assert.equal(applyHolm([alone])[0].verdict, "supported", "outside a family: a measurement on its own p");
  assert.match(applyHolm([alone])[0].effect, /outside the declared family: uncorrected/);
  const member = { ...alone, family: "x early", familySize: 4 };
  const family = applyHolm([member, { ...alone, id: "accounting", kind: undefined } as LedgerEntry]);
  assert.ok(Math.abs(family[0].pHolm! - 4 * alone.p!) < 1e-12, "4 declared members, not the 1 that ran");
  assert.equal(family[0].verdict, "inconclusive");
  assert.match(family[0].effect, /Holm p = 0\.111 \(family x early, 4\)/);
  // Power is stated at the level of Holm's first step: 0.05 / 4.
  assert.equal(family[0].level, 0.0125);
  assert.ok(family[0].mde! > alone.mde!, "a stricter level detects less");
  assert.match(family[0].effect, /at 80% power at level 0\.0125 \(0\.05 \/ 4, Holm's first step\)/);
  assert.deepEqual(applyHolm(family), family, "idempotent");
});

Deno.test("judgeClaims() puts each training entry in its experiment's declared family, and refuses an unknown member", () => {
  const arms = ev([...arm("A", A), ...arm("B", B)]);
  const other = { ...greater, id: "u" } as Claim;
  const [t, u] = judgeClaims([greater, other], arms, { families: { early: ["t"] } });
  assert.equal(t.family, "x early");
  assert.equal(t.familySize, 1);
  assert.equal(u.family, undefined, "not declared: a measurement");
  assert.throws(() => judgeClaims([greater], arms, { families: { early: ["nope"] } }), /names "nope"/);
  assert.throws(() => judgeClaims([greater], arms, { families: { converged: ["t"] } }), /not a converged/);
});

Deno.test("thresholdClaim() is a one-sample t-test against the threshold", () => {
  // scipy ttest_1samp([1.3, 1.1, 1.6, 0.9, 1.4], 1.0): p = 0.0978, not below 0.05.
  const above = thresholdClaim({
    ...base,
    variant: "A",
    direction: "above",
    threshold: 1,
    measure,
    regime: "early",
    minEffect: 0.3,
  });
  const e = judgeClaim(above, ev(arm("A", [1.3, 1.1, 1.6, 0.9, 1.4])));
  assert.equal(e.test, "one-sample t");
  assert.ok(Math.abs(e.p! - 0.09778665378822461) < 1e-7);
  assert.equal(e.verdict, "inconclusive");
  assert.equal(judgeClaim(above, ev(arm("A", [3.1, 3.0, 3.2, 3.05]))).verdict, "supported");
  assert.equal(judgeClaim(above, ev(arm("A", [0.1, 0.0, 0.2, 0.05]))).verdict, "contradicted");
  // Diverged runs count for early gradient measures (taken before the divergence), and the entry names them.
  const diverged = [run("A", 0, 3.1, "diverged"), run("A", 1, 3.0, "diverged"), run("A", 2, 3.2), run("A", 3, 3.3)];
  const d = judgeClaim(above, ev(diverged));
  assert.deepEqual(d.n, [4]);
  assert.deepEqual(d.untrained, ["A-s0-x", "A-s1-x"]);
  assert.match(d.effect, /rests on runs that did not train or diverged: A-s0-x, A-s1-x/);
});

Deno.test("equivalenceClaim() is two one-sided tests: inside the margin, outside it, or undecided", () => {
  const eq = equivalenceClaim({ ...base, a: "A", b: "B", margin: 0.01, measure, regime: "early" });
  // scipy: the larger one-sided p of the paired TOST is 0.00366.
  const a = [0.140, 0.152, 0.147, 0.139, 0.150], b = [0.145, 0.149, 0.151, 0.141, 0.146];
  const same = judgeClaim(eq, ev([...arm("A", a), ...arm("B", b)]));
  assert.equal(same.test, "TOST paired t");
  assert.ok(Math.abs(same.p! - 0.0036563933947581953) < 1e-6);
  assert.equal(same.verdict, "supported");
  const apart = judgeClaim(eq, ev([...arm("A", a.map((x) => x + 0.05)), ...arm("B", b)]));
  assert.equal(apart.verdict, "contradicted");
  const vague = judgeClaim(eq, ev([...arm("A", [0.10, 0.13, 0.11, 0.12]), ...arm("B", [0.12, 0.10, 0.14, 0.11])]));
  assert.equal(vague.verdict, "inconclusive");
  assert.ok(vague.mde! > 0.01, "this design cannot certify the margin");
  assert.match(
    vague.effect,
    /could show equivalence within ±.* \(80% power at level 0\.0500, if the true difference were 0\); at the observed difference, ±0\.0100 would need about \d+ seeds per arm/,
  );
});

Deno.test("a converged claim at a scale that cannot train that far is not-run, with the budget it needs", () => {
  const converged = { ...greater, regime: "converged" } as Claim;
  const e = judgeClaim(converged, ev([...arm("A", A), ...arm("B", B)]), {
    regimes: ["early"],
    needs: "the full scale (all 55,000 training images x 30 epochs, 5 seeds per variant)",
  });
  assert.equal(e.verdict, "not-run");
  assert.match(e.effect, /converged-regime claim: .* it needs the full scale \(all 55,000/);
  assert.equal(
    judgeClaims([converged], ev([...arm("A", A), ...arm("B", B)]), { regimes: ["early", "converged"] })[0]
      .verdict,
    "supported",
  );
});

Deno.test("accounting: exact after the source's rounding, 'about' within half its last digit or 5%, a stated tolerance", () => {
  assert.ok(matches(60000, 60000, { exact: { step: 1 } }));
  assert.ok(!matches(60000, 58484, { exact: { step: 1 } }));
  assert.ok(matches(45, 44.9, { exact: { step: 1 } }), "44.9% is 45% after rounding to whole percent");
  assert.ok(!matches(51.3e6, 51380224, { exact: { step: 0.1e6 } }), "51,380,224 rounds to 51.4M, not 51.3M");
  assert.ok(matches(112.9e6, 112896000, { about: { step: 0.1e6 } }));
  assert.ok(!matches(12, 8.7, { about: { step: 1 } }));
  // "About 90%" admits 85-95: the AlexNet share of 96.2% is clearly different, VGG-16's 89.4% is not.
  assert.ok(!matches(90, 96.2, { about: { step: 10 } }));
  assert.ok(matches(90, 89.4, { about: { step: 10 } }));
  assert.ok(matches(2, 1.71, { about: { step: 1 } }), "1.71 is about 2 (the note's own reading)");
  assert.ok(matches(2.5, 2.6, { about: { step: 0.1 } }) && !matches(2.5, 2.7, { about: { step: 0.1 } }), "5% of 2.5");
  assert.ok(matches(6.8e6, 6998552, { relative: 0.05, why: "test" }));
  const off = judgeClaim(
    exactClaim({ ...base, stated: 60000, compute: () => 58484, match: { exact: { step: 1 } } }),
    ev([]),
  );
  assert.equal(off.verdict, "contradicted");
  assert.match(off.effect, /computed 58484 \(2\.53% off\); the right value is 58484/);
  const below = boundClaim({ ...base, compute: () => 1.2, direction: "below", bound: 1.5 });
  assert.equal(judgeClaim(below, ev([])).verdict, "supported");
});

Deno.test("an entry significant alone but not after Holm's correction says so, not that it needs the seeds it has", () => {
  // scipy ttest_1samp([0.5, 0.9, 0.4, 0.7], 1): p = 0.043 alone; a declared family of nine such makes Holm's p 0.39.
  const below = (id: string) =>
    thresholdClaim({
      ...base,
      id,
      variant: "A",
      direction: "below",
      threshold: 1,
      measure,
      regime: "early",
      minEffect: 0.3,
    });
  const entries = applyHolm(
    Array.from({ length: 9 }, (_, i) => ({
      ...judgeClaim(below(`t${i}`), ev(arm("A", [0.5, 0.9, 0.4, 0.7]))),
      family: "x early",
      familySize: 9,
    })),
  );
  for (const e of entries) {
    assert.ok(Math.abs(e.p! - 0.04301490673498149) < 1e-7 && e.pHolm! >= 0.05, `${e.p} ${e.pHolm}`);
    assert.equal(e.verdict, "inconclusive");
    assert.match(e.effect, /inconclusive after Holm's correction \(p < 0\.05 alone, not over its family of 9\)/);
    // The seeds it would need are counted at the level that decides (0.05 / 9), not at 0.05.
    assert.match(e.effect, /at level 0\.00556/);
  }
});
