import { join, resolve } from 'node:path';
import { copyMergedTree, loadBaseline, loadMergedRun } from '../results/merge.js';
import { reportMerged } from '../report/merged.js';
import type { Io } from './main.js';

/**
 * `orchestrator report DIR...`: merges the shards found under the directories, rewrites the merged
 * results.json and report.html (in place when they form one tree, or under --output), prints the
 * Markdown summary; --open prints the report.html path after it. --baseline compares each leaf
 * with another run's leaf of the same keys.
 */
export async function reportCommand(
  dirs: readonly string[],
  flags: { output?: string; open?: boolean; baseline?: string },
  io: Io,
): Promise<number> {
  const run = loadMergedRun(dirs.map((d) => resolve(io.cwd, d)));
  const baseline = flags.baseline === undefined ? undefined : loadBaseline(resolve(io.cwd, flags.baseline));
  let target: string | undefined;
  if (flags.output !== undefined) {
    target = join(resolve(io.cwd, flags.output), run.runId);
    copyMergedTree(run, target);
  } else if (run.runDirs.length === 1) {
    target = run.runDirs[0];
  }
  const { totals, summary, resultsPath, htmlPath } = await reportMerged(run, target, { baseline });
  io.stdout.write(summary);
  if (resultsPath !== undefined) io.stderr.write(`results: ${resultsPath}\nreport: ${htmlPath}\n`);
  if (flags.open === true) {
    // the path only: opening a browser is the user's call (and there is none in CI)
    if (htmlPath !== undefined) io.stdout.write(`${htmlPath}\n`);
    else
      io.stderr.write(
        '--open: no report.html was written: the directories hold several runs trees; pass --output DIR to merge them into one\n',
      );
  }
  return totals.failed + totals.cancelled > 0 || run.missingShards.length > 0 ? 1 : 0;
}
