/**
 * The one pipeline from an experiment to its ledger entries, as steps that
 * `reproduce`, `run` and every notebook's Train cell compose:
 *
 * 1. {@link planRuns}: the scale's runs (variants x seeds, or a selection),
 *    each with its id;
 * 2. {@link trainRuns}: train each one, or reuse it when complete
 *    (lib/train/runner.ts);
 * 3. {@link analyseRuns}: the experiment's computations on the stored runs
 *    (a lesion study, a timing table), each written to one JSON file and reused;
 * 4. {@link judgeRuns}: everything the planned runs and analyses stored,
 *    read once; claims judged by pure functions of it; chart specs and a summary.
 *
 * Rendering the charts (lib/display/report.ts) and writing the ledger
 * ({@link writeLedger}) come after, in the caller.
 *
 * ```ts
 * const plan = await planRuns(depthAuxResidual, "smoke");
 * const { failures } = await trainRuns(plan, { data, backend, outRoot: "results" });
 * await analyseRuns(depthAuxResidual, "smoke", plan, { data, backend, outRoot: "results" });
 * const judged = await judgeRuns(depthAuxResidual, "smoke", plan, { outRoot: "results" });
 * console.log(renderLedgerMarkdown(judged.entries));
 * ```
 * @module
 */
import { join } from "node:path";
import { budgetFor, expandRuns, type Experiment, hasData, type Scale, type Spec } from "./experiment.ts";
import { runAll, type RunContext, type RunObserver, type RunResources } from "../train/runner.ts";
import { listRuns, runId } from "../train/results.ts";
import type { TrainConfig } from "../train/config.ts";
import { type Evidence, loadEvidence, records } from "../ledger/evidence.ts";
import { ALPHA, type LedgerEntry, MIN_SEEDS } from "../ledger/claims.ts";
import { applyHolm, familySizes } from "../ledger/verdict.ts";
import { judgeClaims } from "../ledger/judge.ts";
import { renderLedgerMarkdown, verdictCounts } from "../ledger/wording.ts";
import { formatSummary, summarize } from "../ledger/tables.ts";
import { didNotTrain } from "../ledger/measures.ts";
import { exists, writeFileAtomic } from "../_util.ts";

/** The planned runs of an experiment at a scale, in plan order, with their ids. */
export type Plan = Array<{ config: TrainConfig; id: string }>;

/** What the judging step produced from the stored runs of a plan. */
export interface Judged {
  /** What the planned runs and analyses stored, read once. */
  evidence: Evidence;
  /** The experiment's judged claims. */
  entries: LedgerEntry[];
  /** Chart specs by name (those with data), for lib/display/report.ts to render. */
  specs: Record<string, Spec>;
  /** A Markdown summary of the evidence. */
  summary: string;
  /** Variants whose runs sit at chance or diverged, with the experiment's reason (or none). */
  health: VariantHealth[];
}

/** Everything one pass of plan, train, analyse, judge and render produced. */
export interface ExperimentResult extends Judged {
  experiment: Experiment;
  scale: Scale;
  /** The planned runs' configs and ids, in plan order. */
  plan: Plan;
  /** Runs that failed in this pass (one line each). */
  failures: string[];
  /** The SVG files written for the specs, by name. */
  charts: Record<string, string>;
}

/** A variant that did not train: every complete run at chance, or runs that diverged. */
export interface VariantHealth {
  experiment: string;
  variant: string;
  /**
   * `diverged`: runs diverged; `did not train`: runs whose main training loss
   * ended near ln 10 (lib/ledger/measures.ts `didNotTrain`); `at chance`:
   * test error within 2 points of 90% in every complete run.
   */
  problem: "at chance" | "diverged" | "did not train";
  /** Runs with the problem, of the variant's runs. */
  runs: number;
  of: number;
  /** The experiment's explanation, or undefined when it gives none. */
  why?: string;
}

/** Chance on Fashion-MNIST's 10 balanced classes is 90% error; within 2 points of it a run has not learned. */
const CHANCE_ERROR = 0.9, CHANCE_BAND = 0.02;

/** The variants of an experiment's evidence that sit at chance or diverged (see {@link VariantHealth}). */
export function variantHealth(exp: Experiment, ev: Evidence): VariantHealth[] {
  const out: VariantHealth[] = [];
  for (const variant of new Set(ev.runs.map((r) => r.run.variant))) {
    const runs = ev.runs.filter((r) => r.run.variant === variant).map((r) => r.run);
    const diverged = runs.filter((r) => r.status === "diverged").length;
    const complete = runs.filter((r) => r.status === "complete");
    const atChance = complete.filter((r) => Math.abs((r.summary.test_error_main ?? 0) - CHANCE_ERROR) <= CHANCE_BAND);
    const why = exp.failureModes?.[variant];
    const untrained = ev.runs.filter((r) => r.run.variant === variant && r.run.status === "complete" && didNotTrain(r))
      .length;
    if (diverged) {
      out.push({ experiment: exp.name, variant, problem: "diverged", runs: diverged, of: runs.length, why });
    } else if (untrained) {
      out.push({ experiment: exp.name, variant, problem: "did not train", runs: untrained, of: runs.length, why });
    } else if (complete.length && atChance.length === complete.length) {
      out.push({ experiment: exp.name, variant, problem: "at chance", runs: atChance.length, of: runs.length, why });
    }
  }
  return out;
}

/** The ledger's section on variants that did not train, in Markdown. */
export function healthMarkdown(health: VariantHealth[]): string {
  if (health.length === 0) return "Every variant trained: none sits at chance, stayed at a loss of ln 10, or diverged.";
  return [
    "Variants with runs that did not train (a main training loss within 0.05 nats of ln 10 at their last readings), " +
    "sat at chance or diverged; every entry resting on such runs names them:",
    "",
    ...health.map((h) =>
      `- ${h.experiment} / ${h.variant}: ${h.problem} in ${h.runs} of ${h.of} runs. ${
        h.why ?? "Unexplained: check its settings."
      }`
    ),
  ].join("\n");
}

/**
 * Step 3: runs the experiment's analyses on the plan's stored runs, reusing
 * files that exist unless `force` (or an analysis that never reuses). It
 * needs the data (a lesion study re-evaluates the test set); a sweep's judge
 * job runs it too, training nothing.
 */
export async function analyseRuns(exp: Experiment, scale: Scale, plan: Plan, ctx: RunContext): Promise<void> {
  if (!exp.analyses?.length) return;
  const log = ctx.observer?.log ?? ((m: string) => console.error(m));
  const expDir = join(ctx.outRoot, exp.name);
  const planned = new Set(plan.map((p) => p.id));
  // The analyses need only the records (cheap); the evidence, metrics included, is read once, by judgeRuns.
  const done = (await listRuns(expDir, log)).filter((r) => planned.has(r.id));
  const actx = { data: ctx.data, backend: ctx.backend, expDir, log };
  for (const a of exp.analyses ?? []) {
    if (a.scope === "run") {
      if (a.regime && !exp.scales[scale].regimes.includes(a.regime)) continue; // its claims are not-run here
      for (const r of done.filter((r) => r.status === "complete" && a.select(r))) {
        const dir = join(expDir, r.id);
        const file = join(dir, a.file);
        if (exists(file) && !ctx.force) continue;
        log(`  ${exp.name}/${r.id}: ${a.title}`);
        ctx.observer?.onStage?.(`${a.title} (${r.variant} seed ${r.seed})`);
        await writeFileAtomic(file, JSON.stringify(await a.compute(r, dir, actx), null, 2) + "\n");
      }
    } else {
      const file = join(expDir, a.file);
      if (exists(file) && !ctx.force && (a.reuse ?? true)) continue;
      log(`  ${exp.name}: ${a.title}`);
      ctx.observer?.onStage?.(a.title);
      const value = await a.compute(done, actx);
      await Deno.mkdir(expDir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(value, null, 1) + "\n");
      if (a.markdown) await writeFileAtomic(file.replace(/\.json$/, ".md"), a.markdown(value));
    }
  }
}

/** Which runs of a scale a call takes: some seeds or variants, some run ids, or one shard of the plan. */
export interface RunSelection {
  seeds?: number[];
  variants?: string[];
  /** Only these run ids (e.g. one Slurm array task's run); an id not in the plan is a RangeError. */
  ids?: string[];
  /** Only the runs whose plan index is `index` modulo `count` (0-based), e.g. a Kubernetes Indexed Job's. */
  shard?: Shard;
}

/** Shard `index` of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `--shard i/n` (0 <= i < n); a RangeError that says what to write otherwise. */
export function parseShard(text: string): Shard | undefined {
  if (!text) return undefined;
  const m = text.match(/^(\d+)\/(\d+)$/);
  const index = Number(m?.[1]), count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) {
    throw new RangeError(
      `--shard takes i/n with 0 <= i < n (e.g. --shard 0/4 or --shard $JOB_COMPLETION_INDEX/4), got "${text}"`,
    );
  }
  return { index, count };
}

/** The planned runs of a selection, in plan order, with their content ids. */
export async function planRuns(
  exp: Experiment,
  scale: Scale,
  sel: RunSelection = {},
): Promise<Plan> {
  const configs = expandRuns(exp, scale, sel);
  let plan = await Promise.all(configs.map(async (config) => ({ config, id: await runId(config) })));
  if (sel.ids) {
    const known = new Set(plan.map((p) => p.id));
    const unknown = sel.ids.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new RangeError(
        `${exp.name}: run id ${unknown[0]} is not a run of scale ${scale} (an id is a run directory's name, ` +
          `<variant>-s<seed>-<config hash>, as the Slurm scripts list them)`,
      );
    }
    plan = plan.filter((p) => sel.ids!.includes(p.id));
  }
  if (sel.shard) plan = plan.filter((_, i) => i % sel.shard!.count === sel.shard!.index);
  return plan;
}

/**
 * Step 2: trains (or reuses) every run of the plan, going on after a
 * failure; returns the failures, a line each, and whether a stop request
 * (a scheduler's signal) ended it after a checkpoint.
 */
export async function trainRuns(plan: Plan, ctx: RunContext): Promise<{ failures: string[]; stopped: boolean }> {
  if (!plan.length) return { failures: [], stopped: false };
  const { failures, stopped } = await runAll(plan.map((p) => p.config), ctx);
  return { failures, stopped };
}

/**
 * Step 4: reads the evidence of the plan's runs once (runs outside the plan
 * never enter a verdict), judges the claims at the regimes the scale
 * decides, and builds the chart specs that have data, the summary and the
 * variants' health. Reads files; the judging itself is pure.
 */
export async function judgeRuns(
  exp: Experiment,
  scale: Scale,
  plan: Plan,
  ctx: Pick<RunResources, "outRoot"> & { observer?: RunObserver },
): Promise<Judged> {
  const log = ctx.observer?.log ?? ((m: string) => console.error(m));
  ctx.observer?.onStage?.("judging the claims");
  const evidence = await loadEvidence(ctx.outRoot, exp.name, { ids: plan.map((p) => p.id), warn: log });
  const regimes = exp.scales[scale].regimes;
  const entries = judgeClaims(exp.claims, evidence, {
    regimes,
    needs: budgetFor(exp, "converged"),
    families: exp.families,
  });
  const specs = Object.fromEntries(Object.entries(exp.charts?.(evidence) ?? {}).filter(([, s]) => hasData(s)));
  const finished = records(evidence).filter((r) => r.status === "complete" || r.status === "diverged");
  const summary = exp.summary?.(evidence) ?? (finished.length ? formatSummary(summarize(finished)) : "");
  return { evidence, entries, specs, summary, health: variantHealth(exp, evidence) };
}

/** The detail log of an experiment's runs in a results root (see lib/display/progress.ts). */
export function logPath(outRoot: string, experiment: string): string {
  return join(outRoot, "logs", `${experiment}.log`);
}

/** The ledger's header line: scale, backend and device, time. */
export function ledgerHeader(scale: Scale, backend: { name: string; device: string }): string {
  return `Claims ledger: scale ${scale}, backend ${backend.name} on ${backend.device}, ${new Date().toISOString()}`;
}

/**
 * Writes `LEDGER.md` and `ledger.json` into the results root (atomically)
 * after Holm's correction over each declared family of training claims;
 * `preface` paragraphs (e.g. the notes audit's counts) follow the rule.
 * Returns the Markdown.
 */
export async function writeLedger(
  outRoot: string,
  scale: Scale,
  backend: { name: string; device: string },
  judged: LedgerEntry[],
  health: VariantHealth[] = [],
  preface: string[] = [],
): Promise<string> {
  const entries = applyHolm(judged);
  const header = ledgerHeader(scale, backend);
  const md = `# ${header}\n\n${ledgerRule(entries)}\n\n${preface.map((p) => `${p}\n\n`).join("")}${
    healthMarkdown(health)
  }\n\n${renderLedgerMarkdown(entries)}\n\n${verdictCounts(entries)}\n`;
  await writeFileAtomic(join(outRoot, "LEDGER.md"), md);
  const json = {
    scale,
    backend: { name: backend.name, device: backend.device },
    families: { sizes: familySizes(entries), correction: "Holm", alpha: ALPHA, minSeeds: MIN_SEEDS },
    preface,
    health,
    entries,
  };
  await writeFileAtomic(join(outRoot, "ledger.json"), JSON.stringify(json, null, 2) + "\n");
  return md;
}

/** The ledger's rule in a few sentences, with the declared families and their sizes. */
export function ledgerRule(entries: LedgerEntry[]): string {
  const families = Object.entries(familySizes(entries)).map(([f, n]) => `${f} (${n})`).join(", ");
  return `Training claims are judged over seeds by a t-test at its real degrees of freedom (paired where the variants ` +
    `share seeds, Welch otherwise, one-sample against a threshold, two one-sided tests for equivalence), with an ` +
    `exact sign-flip p beside it where the design is paired or one-sample. Each experiment declares its families ` +
    `of primary claims in its file, before any data: ${families || "none in this ledger"}; Holm's correction runs ` +
    `over each family at its declared size (a member without a result counts as p = 1), and a verdict needs Holm's ` +
    `p below ${ALPHA}. Power figures are stated at the level of Holm's first step (${ALPHA} / size). Training ` +
    `entries outside a family are measurements, judged on their own p and marked so. Fewer than ${MIN_SEEDS} seeds ` +
    `per arm is always inconclusive. Accounting claims quote the note or paper as ` +
    `written and are judged by equality after its own rounding; where it says "about" (about, 약, 수준), within half a unit ` +
    `of its last digit or 5%, whichever is larger.`;
}
