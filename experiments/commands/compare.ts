/**
 * `deno task compare <dirA> <dirB>`: per experiment, variant and summary
 * metric, the difference B - A with the test that judged it (Welch's t over
 * the seeds of each side; an exact binomial test on the test-set count
 * where a side has one seed) and its p-value. Malformed run records are
 * skipped with a warning naming the file.
 *
 * ```sh
 * deno task compare results/reference/quick results
 * ```
 * @module
 */
import { compareResults, formatValue as fmt, SUMMARY_METRICS } from "../../lib/ledger/tables.ts";
import { parseFlags } from "../../lib/env/flags.ts";
import { exists } from "../../lib/_util.ts";
import { command } from "../../lib/env/cli.ts";

const DEFAULTS = {
  metrics: SUMMARY_METRICS.join(","), // comma-separated summary metrics
};

if (import.meta.main) {
  await command("compare", async () => {
    const cfg = parseFlags(Deno.args, DEFAULTS, "deno task compare <dirA> <dirB>");
    if (cfg._.length !== 2) throw new RangeError("deno task compare <dirA> <dirB>: name two result directories");
    for (const d of cfg._) if (!exists(d)) throw new RangeError(`compare: no directory ${d}`);
    const deltas = await compareResults(cfg._[0], cfg._[1], {
      metrics: cfg.metrics.split(","),
      warn: (m) => console.error(`compare: ${m}`),
    });
    if (deltas.length === 0) {
      console.error("compare: the two directories share no experiment with runs");
      return 1;
    }
    console.log(`| experiment | variant | metric | A | B | B - A | seeds A/B | test | p | verdict |`);
    console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
    for (const d of deltas) {
      const pct = /error|gap/.test(d.metric);
      const flag = d.verdict === "higher" || d.verdict === "lower" ? `**${d.verdict}**` : d.verdict;
      const p = Number.isFinite(d.p) ? (d.p < 1e-4 ? "<0.0001" : d.p.toFixed(4)) : "-";
      console.log(
        `| ${d.experiment} | ${d.variant} | ${d.metric} | ${fmt(d.a, pct)} | ${fmt(d.b, pct)} | ${
          fmt(d.delta, pct)
        } | ${d.n.join("/")} | ${d.test} | ${p} | ${flag} |`,
      );
    }
    const beyond = deltas.filter((d) => d.verdict === "higher" || d.verdict === "lower").length;
    console.error(
      `compare: ${beyond} of ${deltas.length} differences significant at p < 0.05 (not corrected for the number of rows)`,
    );
  });
}
