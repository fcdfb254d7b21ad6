import { join, resolve } from 'node:path';
import { copyMergedTree, loadMergedRun, mergedLeaves } from '../results/merge.js';
import { countLeaves } from '../results/results.js';
import { writeReportHtml } from '../results/report-html.js';
import { writeResults } from '../results/store.js';
import { mergeNotes, renderSummary } from '../report/summary.js';
import type { Io } from './main.js';

/**
 * `orchestrator report DIR...`: merges the shards found under the directories, rewrites the merged
 * results.json and report.html (in place when they form one tree, or under --output), prints the
 * Markdown summary; --open prints the report.html path after it.
 */
export async function reportCommand(dirs: readonly string[], flags: { output?: string; open?: boolean }, io: Io): Promise<number> {
  const run = loadMergedRun(dirs.map((d) => resolve(io.cwd, d)));
  let target: string | undefined;
  if (flags.output !== undefined) {
    target = join(resolve(io.cwd, flags.output), run.runId);
    copyMergedTree(run, target);
  } else if (run.runDirs.length === 1) {
    target = run.runDirs[0];
  }
  const header = { run_id: run.runId, shard: { index: 1, count: 1 }, flows_total: run.total };
  const totals =
    target !== undefined
      ? await writeResults(join(target, 'results.json'), header, mergedLeaves(run))
      : countLeaves(mergedLeaves(run), run.total);
  const title = `orchestrator: ${run.runId}${run.shardCount > 1 ? ` (${run.shardCount} shards)` : ''}`;
  const summary = renderSummary({
    title,
    totals,
    durationMs: run.durationMs,
    leaves: mergedLeaves(run),
    notes: mergeNotes(run),
  });
  io.stdout.write(summary);
  let html: string | undefined;
  if (target !== undefined) {
    html = writeReportHtml(target, { title, totals, durationMs: run.durationMs, leaves: mergedLeaves(run) });
    io.stderr.write(`results: ${join(target, 'results.json')}\nreport: ${html}\n`);
  }
  if (flags.open === true) {
    // the path only: opening a browser is the user's call (and there is none in CI)
    if (html !== undefined) io.stdout.write(`${html}\n`);
    else
      io.stderr.write(
        '--open: no report.html was written: the directories hold several runs trees; pass --output DIR to merge them into one\n',
      );
  }
  return totals.failed + totals.cancelled > 0 || run.missingShards.length > 0 ? 1 : 0;
}
