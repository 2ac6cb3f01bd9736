/**
 * `deno task reproduce` (the README's first command): every experiment, the
 * model zoo first, at the scale this machine affords (`quick` on a CPU,
 * `full` on a GPU; `--scale` overrides), each through the one pipeline
 * (lib/pipeline/pipeline.ts), then the ledger and every notebook.
 *
 * ```sh
 * deno task reproduce                 # quick on a CPU
 * deno task reproduce --scale smoke   # seconds: checks the machinery only
 * deno task reproduce --scale full --executor slurm --sbatch "--partition=gpu --gres=gpu:1"
 * deno task reproduce --scale full --shard $JOB_COMPLETION_INDEX/8   # one of 8 workers (Kubernetes)
 * deno task reproduce --scale full --no-train                          # then judge what they stored
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../../lib/env/backend.ts";
import { loadFashionMnist } from "../../lib/data/fashion_mnist.ts";
import { parseScale, type Scale } from "../../lib/pipeline/experiment.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { command, parseExecutor, resultsRoot, RUN_FLAGS, SWEEP_FLAGS } from "../../lib/env/cli.ts";
import { parseShard, type VariantHealth, writeLedger } from "../../lib/pipeline/pipeline.ts";
import type { LedgerEntry } from "../../lib/ledger/claims.ts";
import { executeNotebook } from "../../lib/display/notebook.ts";
import { ROOT } from "../../lib/_util.ts";
import { ALL_EXPERIMENTS } from "../experiments.ts";
import { NOTE_LINES } from "../notes_audit.ts";
import { auditCoverageLine } from "../notes_coverage.ts";
import { listNotebooks } from "./notebooks.ts";
import { formatDuration } from "../../lib/_util.ts";
import { loadSpeeds, planExperiment, rowsOf } from "../../lib/pipeline/plan.ts";
import { stopOnSignals, STOPPED_EXIT, submitToSlurm, trainHere } from "./dispatch.ts";

const DEFAULTS = {
  ...RUN_FLAGS,
  ...SWEEP_FLAGS,
  scale: "", // smoke | quick | full (default: full on a GPU, quick otherwise)
  notebooks: true, // execute every notebook into <out>/notebooks at the end
};

if (import.meta.main) {
  await command("reproduce", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task reproduce");
    if (cfg._.length) throw new RangeError(`deno task reproduce: unexpected argument "${cfg._[0]}"`);
    if (cfg.scale) parseScale(cfg.scale);
    const executor = parseExecutor(cfg.executor), shard = parseShard(cfg.shard);
    if (executor === "slurm") {
      // The login node cannot tell whether the compute nodes have GPUs: the scale is the user's to name.
      if (!cfg.scale) throw new RangeError("--executor slurm needs --scale (smoke, quick or full)");
      if (shard) throw new RangeError("--executor slurm submits the whole scale: drop --shard");
      const scale = parseScale(cfg.scale);
      const outRoot = await resultsRoot(cfg.out);
      const judgeFlags = cfg.notebooks ? [] : ["--no-notebooks"];
      await submitToSlurm(ALL_EXPERIMENTS, scale, outRoot, cfg, { command: "reproduce", judgeFlags });
      return 0;
    }
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const scale: Scale = cfg.scale ? parseScale(cfg.scale) : backend.gpu ? "full" : "quick";
    console.error(`reproduce: scale ${scale}${cfg.scale ? "" : ` (${backend.gpu ? "a GPU" : "no GPU"} found)`}`);
    const speeds = await loadSpeeds().catch(() => undefined);
    if (speeds) {
      const device = speeds.rows.find((r) => r.backend === "tensorflow")?.device;
      const plans = ALL_EXPERIMENTS.map((e) => planExperiment(e, scale, rowsOf(speeds.rows, "tensorflow", device)));
      const runs = plans.reduce((s, p) => s + p.runs, 0), secs = plans.reduce((s, p) => s + p.seconds, 0);
      console.error(
        `reproduce: ${runs} runs, about ${
          formatDuration(secs)
        } of training at ${scale} (estimated from ${speeds.file}; ./deeper plan --scale ${scale} for the breakdown)`,
      );
    }
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    const outRoot = await resultsRoot(cfg.out);
    const shouldStop = stopOnSignals();
    let failed = 0, failedNotebooks = 0;
    const ledger: LedgerEntry[] = [];
    const health: VariantHealth[] = [];
    for (const exp of ALL_EXPERIMENTS) {
      console.error(`\n== ${exp.name}: ${exp.title}`);
      const ctx = {
        data,
        backend,
        outRoot,
        force: cfg.force,
        train: cfg.train,
        report: !shard,
        checkpointSeconds: 60 * cfg.checkpointMinutes,
        shouldStop,
      };
      const result = await trainHere(exp, scale, ctx, { shard });
      if (result.stopped) {
        console.error("reproduce: stopped after a checkpoint; run the same command again to resume");
        return STOPPED_EXIT;
      }
      failed += result.failures.length;
      if (!result.charts) continue; // a shard: judged once every shard is done
      ledger.push(...result.entries!);
      health.push(...result.health!);
      console.log(`\n### ${exp.name} (${scale})\n\n${result.summary}`);
      console.error(`  charts: ${Object.keys(result.charts).length} SVG files in ${join(outRoot, exp.name, "charts")}`);
    }
    if (shard) {
      // A worker's share: the ledger and notebooks come once every worker is done.
      console.error(
        `reproduce: shard ${shard.index}/${shard.count} done; when every shard is, judge with: ` +
          `./deeper reproduce --scale ${scale} --out ${cfg.out} --no-train`,
      );
      return failed ? 1 : 0;
    }
    const md = await writeLedger(outRoot, scale, backend, ledger, health, [auditCoverageLine(NOTE_LINES)]);
    console.log(`\n#${md}`);
    console.error(`reproduce: ledger written to ${join(outRoot, "LEDGER.md")} and ledger.json`);
    if (cfg.notebooks) {
      for (const nb of await listNotebooks()) {
        console.error(`reproduce: executing notebook ${nb}`);
        try {
          const params = { scale, resultsRoot: outRoot, backend: backend.name };
          console.error(
            `reproduce: wrote ${await executeNotebook(
              join(ROOT, "notebooks", nb),
              join(outRoot, "notebooks"),
              params,
            )}`,
          );
        } catch (e) {
          failedNotebooks++;
          console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
        }
      }
    }
    if (failed) {
      console.error(
        `reproduce: ${failed} runs failed; their records say why. Run the same command again to retry them.`,
      );
      return 1;
    }
  });
}
