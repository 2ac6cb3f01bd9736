/**
 * `deno task reproduce` (the README's first command): every experiment at
 * the scale this machine affords (`quick` on a CPU, `full` on a GPU;
 * `--scale` overrides), reusing completed runs, then a summary per variant.
 *
 * ```sh
 * deno task reproduce                 # quick on a CPU
 * deno task reproduce --scale smoke   # seconds: checks the machinery only
 * ```
 * @module
 */
import { join } from "node:path";
import { parseBackendChoice, selectBackend } from "../lib/backend.ts";
import { DataError, loadFashionMnist } from "../lib/data.ts";
import { expandRuns, parseScale, type Scale } from "../lib/experiment.ts";
import { parseFlags } from "../lib/flags.ts";
import { runAll } from "../lib/runner.ts";
import { formatSummary, summarize } from "../lib/tables.ts";
import { type LedgerEntry, renderLedgerMarkdown, verdictCounts } from "../lib/claims.ts";
import { reportExperiment } from "../lib/report.ts";
import { executeNotebook } from "../lib/notebook.ts";
import { ROOT, writeFileAtomic } from "../lib/_util.ts";
import { EXPERIMENTS } from "./experiments.ts";
import { listNotebooks } from "./notebooks.ts";
import { reportZoo, zooTableMarkdown } from "./model_zoo.ts";

const DEFAULTS = {
  scale: "", // smoke | quick | full (default: full on a GPU, quick otherwise)
  backend: "auto", // auto | tensorflow | webgpu | cpu
  force: false, // recompute completed runs
  out: "results", // results root
  dataDir: "", // directory holding the four Fashion-MNIST .gz files
  notebooks: true, // execute every notebook into <out>/notebooks at the end
};

if (import.meta.main) {
  try {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task reproduce");
    if (cfg._.length) throw new RangeError(`deno task reproduce: unexpected argument "${cfg._[0]}"`);
    if (cfg.scale) parseScale(cfg.scale);
    const backend = await selectBackend({ backend: parseBackendChoice(cfg.backend) });
    const scale: Scale = cfg.scale ? parseScale(cfg.scale) : backend.gpu ? "full" : "quick";
    console.error(`reproduce: scale ${scale}${cfg.scale ? "" : ` (${backend.gpu ? "a GPU" : "no GPU"} found)`}`);
    const data = await loadFashionMnist({ dataDir: cfg.dataDir || undefined });
    const outRoot = cfg.out.startsWith("/") ? cfg.out : join(ROOT, cfg.out);
    await Deno.mkdir(outRoot, { recursive: true }).catch((e) => {
      throw new RangeError(`results directory ${outRoot} cannot be created (${e.message}); pass --out DIR`);
    });
    let failed = 0;
    const ledger: LedgerEntry[] = [];
    const warn = (m: string) => console.error(`reproduce: ${m}`);
    console.error("\n== model-zoo: every architecture of the notes, built and counted (no training)");
    const zoo = await reportZoo(outRoot);
    ledger.push(...zoo.entries);
    console.log(`\n### model-zoo\n\n${zooTableMarkdown(zoo.rows)}`);
    for (const exp of Object.values(EXPERIMENTS)) {
      console.error(`\n== ${exp.name}: ${exp.title}`);
      const ctx = { data, backend, outRoot, force: cfg.force };
      const { records, failures } = await runAll(expandRuns(exp, scale), ctx);
      failed += failures.length;
      await exp.after?.(records, ctx);
      const { entries, charts } = await reportExperiment(exp, outRoot, { warn });
      ledger.push(...entries);
      console.log(`\n### ${exp.name} (${scale})\n`);
      console.log(formatSummary(summarize(records)));
      console.error(`  charts: ${Object.keys(charts).length} SVG files in ${join(outRoot, exp.name, "charts")}`);
    }
    const header = `Claims ledger: scale ${scale}, backend ${backend.name} on ${backend.device}, ${
      new Date().toISOString()
    }`;
    const md = `# ${header}\n\n${renderLedgerMarkdown(ledger)}\n\n${verdictCounts(ledger)}\n`;
    await writeFileAtomic(join(outRoot, "LEDGER.md"), md);
    await writeFileAtomic(
      join(outRoot, "ledger.json"),
      JSON.stringify({ scale, backend: { name: backend.name, device: backend.device }, entries: ledger }, null, 2) +
        "\n",
    );
    console.log(`\n## ${header}\n\n${renderLedgerMarkdown(ledger)}\n\n${verdictCounts(ledger)}`);
    console.error(`reproduce: ledger written to ${join(outRoot, "LEDGER.md")} and ledger.json`);
    if (cfg.notebooks) {
      for (const nb of await listNotebooks()) {
        console.error(`reproduce: executing notebook ${nb}`);
        try {
          const out = await executeNotebook(join(ROOT, "notebooks", nb), join(outRoot, "notebooks"), {
            scale,
            resultsRoot: outRoot,
            backend: backend.name,
          });
          console.error(`reproduce: wrote ${out}`);
        } catch (e) {
          failed++;
          console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
        }
      }
    }
    if (failed) {
      console.error(
        `reproduce: ${failed} runs failed; their records say why. Run the same command again to retry them.`,
      );
      Deno.exit(1);
    }
  } catch (e) {
    console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
    Deno.exit(e instanceof RangeError || e instanceof DataError ? 2 : 1);
  }
}
