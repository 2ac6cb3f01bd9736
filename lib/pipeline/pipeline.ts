/**
 * The one pipeline from an experiment to its ledger entries, used by
 * `reproduce`, `run` and every notebook's Train cell:
 *
 * 1. plan: the scale's runs (variants x seeds), each with its content id;
 * 2. runs: train each one, or reuse it when complete (lib/train/runner.ts);
 * 3. analyses: the experiment's computations on the stored runs (a lesion
 *    study, a timing table), each written to one JSON file and reused;
 * 4. evidence: everything the planned runs and analyses stored, read once;
 * 5. report: claims judged by pure functions of the evidence, charts
 *    rendered to SVG beside the runs, a summary table.
 *
 * ```ts
 * const result = await runExperiment(depthAuxResidual, "smoke", { data, backend, outRoot: "results" });
 * console.log(renderLedgerMarkdown(result.entries));
 * ```
 * @module
 */
import { join } from "node:path";
import { budgetFor, expandRuns, type Experiment, type Scale } from "./experiment.ts";
import { runAll, type RunContext } from "../train/runner.ts";
import { listRuns, runId, type RunRecord } from "../train/results.ts";
import type { TrainConfig } from "../train/config.ts";
import { type Evidence, loadEvidence, records } from "../ledger/evidence.ts";
import {
  ALPHA,
  applyHolm,
  familySize,
  judgeClaims,
  type LedgerEntry,
  MIN_SEEDS,
  renderLedgerMarkdown,
  verdictCounts,
} from "../ledger/claims.ts";
import { formatSummary, summarize } from "../ledger/tables.ts";
import { hasData, renderSvg, type Spec } from "../display/charts.ts";
import { exists, writeFileAtomic } from "../_util.ts";

/**
 * What {@link runExperiment} needs: the run context (the data only when
 * something trains or is analysed: the model zoo needs none), plus whether
 * to train at all.
 */
export interface PipelineContext extends Omit<RunContext, "data"> {
  data?: RunContext["data"];
  /** Told what the pipeline is doing between runs (an analysis, judging, charts): a progress display. */
  onStage?: (stage: string) => void;
  /** Judge, chart and summarise after the runs (default true); false trains and returns (a job of a sweep). */
  report?: boolean;
  /**
   * Train missing runs (default true). False reads and reports what is
   * stored, e.g. a notebook opened on finished results or a job that only
   * judges a sweep other jobs trained (its analyses still run when `data` is given).
   */
  train?: boolean;
}

/** Everything one pass of the pipeline produced. */
export interface ExperimentResult {
  experiment: Experiment;
  scale: Scale;
  /** The planned runs' configs and ids, in plan order. */
  plan: Array<{ config: TrainConfig; id: string }>;
  /** Runs that failed in this pass (one line each). */
  failures: string[];
  /** What the planned runs and analyses stored, read once. */
  evidence: Evidence;
  /** The experiment's judged claims. */
  entries: LedgerEntry[];
  /** Chart specs by name (those with data), and the SVG files written for them. */
  specs: Record<string, Spec>;
  charts: Record<string, string>;
  /** A Markdown summary of the evidence. */
  summary: string;
  /** Variants whose runs sit at chance or diverged, with the experiment's reason (or none). */
  health: VariantHealth[];
}

/** A variant that did not train: every complete run at chance, or runs that diverged. */
export interface VariantHealth {
  experiment: string;
  variant: string;
  /** `at chance`: test error within 2 points of 90% in every complete run; `diverged`: runs diverged. */
  problem: "at chance" | "diverged";
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
    if (diverged) {
      out.push({ experiment: exp.name, variant, problem: "diverged", runs: diverged, of: runs.length, why });
    } else if (complete.length && atChance.length === complete.length) {
      out.push({ experiment: exp.name, variant, problem: "at chance", runs: atChance.length, of: runs.length, why });
    }
  }
  return out;
}

/** The ledger's section on variants that did not train, in Markdown. */
export function healthMarkdown(health: VariantHealth[]): string {
  if (health.length === 0) return "Every variant trained: none sits at chance or diverged.";
  return [
    "Variants that did not train (their claims are judged all the same, and read with this in mind):",
    "",
    ...health.map((h) =>
      `- ${h.experiment} / ${h.variant}: ${h.problem} in ${h.runs} of ${h.of} runs. ${
        h.why ?? "Unexplained: check its settings."
      }`
    ),
  ].join("\n");
}

/** Runs the analyses, reusing files that exist unless `force` (or an analysis that never reuses). */
async function analyse(exp: Experiment, scale: Scale, done: RunRecord[], ctx: PipelineContext): Promise<void> {
  const log = ctx.log ?? ((m: string) => console.error(m));
  const expDir = join(ctx.outRoot, exp.name);
  const actx = { data: ctx.data, backend: ctx.backend, expDir, log };
  for (const a of exp.analyses ?? []) {
    if (a.scope === "run") {
      if (a.regime && !exp.scales[scale].regimes.includes(a.regime)) continue; // its claims are not-run here
      for (const r of done.filter((r) => r.status === "complete" && a.select(r))) {
        const dir = join(expDir, r.id);
        const file = join(dir, a.file);
        if (exists(file) && !ctx.force) continue;
        log(`  ${exp.name}/${r.id}: ${a.title}`);
        ctx.onStage?.(`${a.title} (${r.variant} seed ${r.seed})`);
        await writeFileAtomic(file, JSON.stringify(await a.compute(r, dir, actx), null, 2) + "\n");
      }
    } else {
      const file = join(expDir, a.file);
      if (exists(file) && !ctx.force && (a.reuse ?? true)) continue;
      log(`  ${exp.name}: ${a.title}`);
      ctx.onStage?.(a.title);
      const value = await a.compute(done, actx);
      await Deno.mkdir(expDir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(value, null, 1) + "\n");
      if (a.markdown) await writeFileAtomic(file.replace(/\.json$/, ".md"), a.markdown(value));
    }
  }
}

/** Renders every spec that has data to `<dir>/<name>.svg` (and its Vega-Lite spec as `.vl.json`). */
async function renderCharts(specs: Record<string, Spec>, dir: string): Promise<Record<string, string>> {
  const charts: Record<string, string> = {};
  for (const [name, spec] of Object.entries(specs)) {
    await Deno.mkdir(dir, { recursive: true });
    const file = join(dir, `${name}.svg`);
    await writeFileAtomic(file, await renderSvg(spec));
    await writeFileAtomic(join(dir, `${name}.vl.json`), JSON.stringify(spec));
    charts[name] = file;
  }
  return charts;
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
): Promise<Array<{ config: TrainConfig; id: string }>> {
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

/** Takes one experiment at one scale from plan to ledger entries; see the module docs. */
export async function runExperiment(
  exp: Experiment,
  scale: Scale,
  ctx: PipelineContext,
  opts: RunSelection = {},
): Promise<ExperimentResult> {
  const log = ctx.log ?? ((m: string) => console.error(m));
  const plan = await planRuns(exp, scale, opts);
  const configs = plan.map((p) => p.config);
  let failures: string[] = [];
  if ((ctx.train ?? true) && configs.length) {
    if (!ctx.data) throw new RangeError(`${exp.name}: runs to train but no data loaded`);
    failures = (await runAll(configs, { ...ctx, data: ctx.data })).failures;
  }
  const ids = plan.map((p) => p.id);
  if (ctx.report === false) {
    // A job of a sweep: train its runs and stop; the sweep's judge job reports on all of them.
    const evidence: Evidence = { experiment: exp.name, runs: [], files: {} };
    return {
      experiment: exp,
      scale,
      plan,
      failures,
      evidence,
      entries: [],
      specs: {},
      charts: {},
      summary: "",
      health: [],
    };
  }
  // Analyses run wherever the data is at hand, training or not: a sweep's judge job trains nothing but computes them.
  if (ctx.data && exp.analyses?.length) {
    // The analyses need only the records (cheap); the evidence, metrics included, is read once, after them.
    const planned = new Set(ids);
    const stored = (await listRuns(join(ctx.outRoot, exp.name), log)).filter((r) => planned.has(r.id));
    await analyse(exp, scale, stored, ctx);
  }
  ctx.onStage?.("judging the claims and drawing the charts");
  const evidence = await loadEvidence(ctx.outRoot, exp.name, { ids, warn: log });
  const regimes = exp.scales[scale].regimes;
  const entries = judgeClaims(exp.claims, evidence, { regimes, needs: budgetFor(exp, "converged") });
  const specs = Object.fromEntries(Object.entries(exp.charts?.(evidence) ?? {}).filter(([, s]) => hasData(s)));
  const charts = await renderCharts(specs, join(ctx.outRoot, exp.name, "charts"));
  const finished = records(evidence).filter((r) => r.status === "complete" || r.status === "diverged");
  const summary = exp.summary?.(evidence) ?? (finished.length ? formatSummary(summarize(finished)) : "");
  const health = variantHealth(exp, evidence);
  return { experiment: exp, scale, plan, failures, evidence, entries, specs, charts, summary, health };
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
 * after Holm's correction over all their training claims (one family);
 * returns the Markdown.
 */
export async function writeLedger(
  outRoot: string,
  scale: Scale,
  backend: { name: string; device: string },
  judged: LedgerEntry[],
  health: VariantHealth[] = [],
): Promise<string> {
  const entries = applyHolm(judged);
  const header = ledgerHeader(scale, backend);
  const md = `# ${header}\n\n${ledgerRule(entries)}\n\n${healthMarkdown(health)}\n\n${
    renderLedgerMarkdown(entries)
  }\n\n${verdictCounts(entries)}\n`;
  await writeFileAtomic(join(outRoot, "LEDGER.md"), md);
  const json = {
    scale,
    backend: { name: backend.name, device: backend.device },
    family: { claims: familySize(entries), correction: "Holm", alpha: ALPHA, minSeeds: MIN_SEEDS },
    health,
    entries,
  };
  await writeFileAtomic(join(outRoot, "ledger.json"), JSON.stringify(json, null, 2) + "\n");
  return md;
}

/** The ledger's rule in two sentences, with the family's size. */
export function ledgerRule(entries: LedgerEntry[]): string {
  return `Training claims are judged over seeds by a t-test at its real degrees of freedom (paired where the variants ` +
    `share seeds, Welch otherwise, one-sample against a threshold, two one-sided tests for equivalence) and form one ` +
    `family of ${
      familySize(entries)
    } tests, Holm-corrected at ${ALPHA}; a verdict needs Holm's p below ${ALPHA}, and ` +
    `fewer than ${MIN_SEEDS} seeds per arm is always inconclusive. Accounting claims quote the note or paper as ` +
    `written and are judged by equality after its own rounding, or within one unit of its last digit where it says "about".`;
}
