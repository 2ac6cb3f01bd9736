/**
 * Judges an experiment's claims from its evidence: each claim's verdict at
 * the regimes the scale decides (`not-run`, with the budget needed, for the
 * others), its evidence files named under the experiment the evidence is
 * of, and Holm's correction over the training entries.
 *
 * ```ts
 * const entries = judgeClaims(exp.claims, evidence, { regimes: ["early"] });
 * ```
 * @module
 */
import type { Claim, LedgerEntry, Regime } from "./claims.ts";
import type { Evidence } from "./evidence.ts";
import { applyHolm } from "./verdict.ts";

/** What the pipeline tells the judge about the scale: the regimes its budget can decide, and what the rest need. */
export interface JudgeContext {
  /** Regimes this scale's budget can decide (default both). */
  regimes?: Regime[];
  /** For a claim whose regime is not decidable here: the budget it needs, in words. */
  needs?: string;
  /** The experiment's declared families of training claims, by regime (`Experiment.families`). */
  families?: Partial<Record<Regime, string[]>>;
}

/** The declared family of a claim, if any: `<experiment> <regime>` and its size. Throws for an unknown id. */
export function familyOf(
  claims: Claim[],
  families: Partial<Record<Regime, string[]>> | undefined,
  experiment: string,
  id: string,
): { family: string; familySize: number } | undefined {
  for (const [regime, ids] of Object.entries(families ?? {}) as Array<[Regime, string[]]>) {
    for (const f of ids) {
      const c = claims.find((x) => x.id === f);
      if (!c || c.regime !== regime) {
        throw new RangeError(`${experiment}: family ${regime} names "${f}", which is not a ${regime} training claim`);
      }
    }
    if (ids.includes(id)) return { family: `${experiment} ${regime}`, familySize: ids.length };
  }
  return undefined;
}

/** Judges one claim from an experiment's evidence: the entry for the ledger, with its evidence files named. */
export function judgeClaim(claim: Claim, ev: Evidence, ctx: JudgeContext = {}): LedgerEntry {
  const { judge: _, ...claimFields } = claim;
  const experiment = ev.experiment;
  const fields = { ...claimFields, experiment };
  if (claim.regime && ctx.regimes && !ctx.regimes.includes(claim.regime)) {
    return {
      ...fields,
      verdict: "not-run",
      effect: `a ${claim.regime}-regime claim: this scale's budget cannot train the nets that far${
        ctx.needs ? `; it needs ${ctx.needs}` : ""
      }`,
      evidence: [],
    };
  }
  const j = claim.judge(ev);
  return {
    ...fields,
    ...(j.stat ?? {}),
    verdict: j.verdict,
    effect: j.effect,
    evidence: [
      ...(j.files ?? []).map((f) => `${experiment}/${f}`),
      ...j.runs.flatMap((id) => {
        const paths = [`${experiment}/${id}/run.json`, `${experiment}/${id}/metrics.csv`];
        const extra = Object.keys(ev.runs.find((r) => r.run.id === id)?.artifacts ?? {});
        return [...paths, ...extra.map((f) => `${experiment}/${id}/${f}`)];
      }),
    ],
  };
}

/**
 * Judges every claim from one evidence object, each training entry in its
 * declared family (Holm's correction over it: see {@link applyHolm}).
 */
export function judgeClaims(claims: Claim[], ev: Evidence, ctx: JudgeContext = {}): LedgerEntry[] {
  return applyHolm(claims.map((c) => {
    const e = judgeClaim(c, ev, ctx);
    const f = c.regime ? familyOf(claims, ctx.families, ev.experiment, c.id) : undefined;
    return f ? { ...e, ...f } : e;
  }));
}
