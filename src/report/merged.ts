import { join, parse } from 'node:path';
import { mergedLeaves, type MergedRun } from './merge.js';
import { wholeOutput, writeReportHtml } from './html-file.js';
import { openResultsFile, readResultsItems, type ResultsFile } from '../results/results-file.js';
import { countLeaves } from '../results/results.js';
import { writeResults } from '../results/write.js';
import { BaselineComparison } from './baseline-compare.js';
import type { AfterResult, LeafEntry, ResultItem, Totals } from '../model/results.js';
import { mergeNotes, renderSummary } from './summary.js';

/** The shards of a run merged into one report (`orchestrator report`, the Action's mode `report`). */
export interface MergedReport {
  /** `orchestrator: run_… (N shards)`: the summary's and the comment's title. */
  readonly title: string;
  readonly totals: Totals;
  /** Missing shards and merge problems, one sentence each. */
  readonly notes: readonly string[];
  /** The Markdown job summary. */
  readonly summary: string;
  /** The merged results.json, when a target directory was given. */
  readonly resultsPath: string | undefined;
  /** The merged tree's report.html, when a target directory was given. */
  readonly htmlPath: string | undefined;
  /** The run compared with `options.baseline`, when given. */
  readonly baseline: BaselineComparison | undefined;
  /** The after steps' result the summary and the page lead with (the comment too). */
  readonly after: AfterResult | null;
  /** The merged leaves again, in order (from the merged results.json when written: one file read a piece at a time). */
  readonly leaves: () => Iterable<ResultItem>;
}

export interface ReportOptions {
  /** `--baseline` (Action: `baseline-run-id`): the run to compare each leaf with, matched by keys. */
  readonly baseline?: MergedRun;
  /** results.json `after`: the summary and the page lead with it. */
  readonly after?: AfterResult | null;
}

export interface MergeTarget {
  readonly dir: string;
  /**
   * The shards' flow directories are in `dir` (copied there, or the run's own directory): leaves
   * name no other tree. Else each leaf says which shard directory holds its files.
   */
  readonly holdsTrees: boolean;
}

/**
 * The one way to merge then summarise: writes the merged results.json into the target directory
 * and its report.html when given, else only counts, then renders the summary. The merged results
 * are read back from the file written (a piece at a time), not merged again.
 */
export async function reportMerged(run: MergedRun, target: MergeTarget | undefined, options: ReportOptions = {}): Promise<MergedReport> {
  const header = { run_id: run.runId, shard: { index: 1, count: 1 }, flows_total: run.total, after: options.after ?? null };
  const resultsPath = target === undefined ? undefined : join(target.dir, 'results.json');
  const treesFrom = target === undefined || target.holdsTrees ? undefined : target.dir;
  // the shard folders the leaves name, for report.html to read their texts
  const trees = new Map<string, string>();
  const totals =
    resultsPath === undefined
      ? countLeaves(mergedLeaves(run), run.total)
      : await writeResults(resultsPath, header, mergedLeaves(run, { treesFrom, trees }));
  // the file's first pass (its shape, where its flows start) is made once for every reading of it
  let written: ResultsFile | undefined;
  const leaves = (): Iterable<ResultItem> =>
    resultsPath === undefined
      ? mergedLeaves(run)
      : readResultsItems((written ??= openResultsFile(resultsPath)), { total: run.total, from: 0, to: run.total });
  const title = `orchestrator: ${run.runId}${run.shardCount > 1 ? ` (${run.shardCount} shards)` : ''}`;
  const notes = mergeNotes(run);
  const baseline = options.baseline && compareWith(options.baseline, run, target === undefined ? undefined : target.dir, leaves);
  const { after } = options;
  const summary = renderSummary({ title, totals, durationMs: run.durationMs, leaves: leaves(), notes, after, baseline });
  let htmlPath: string | undefined;
  if (target !== undefined) {
    htmlPath = writeReportHtml(target.dir, { title, totals, durationMs: run.durationMs, leaves: leaves(), after, baseline }, trees);
  }
  return { title, totals, notes, summary, resultsPath, htmlPath, baseline, after: after ?? null, leaves };
}

/**
 * The run compared with its baseline by whole outputs: results.json cuts long ones, so a cut output
 * is read from its file (wholeOutput). The baseline's leaves name their trees from the root, so
 * they are found wherever its shards are; so are this run's when it was not written to a target.
 */
function compareWith(
  baseline: MergedRun,
  run: MergedRun,
  targetDir: string | undefined,
  leaves: () => Iterable<ResultItem>,
): BaselineComparison {
  const root = parse(process.cwd()).root;
  const fromRoot = (leaf: LeafEntry): string | null => wholeOutput(leaf, root);
  return new BaselineComparison(
    baseline.runId,
    () => mergedLeaves(baseline, { treesFrom: root }),
    targetDir === undefined ? mergedLeaves(run, { treesFrom: root }) : leaves(),
    { baseline: fromRoot, current: targetDir === undefined ? fromRoot : (leaf) => wholeOutput(leaf, targetDir) },
  );
}
