import { join } from 'node:path';
import { mergedLeaves, type MergedRun } from '../results/merge.js';
import { writeReportHtml } from '../results/report-html.js';
import { countLeaves } from '../results/results.js';
import { writeResults } from '../results/store.js';
import { BaselineComparison } from '../results/baseline.js';
import type { AfterResult, Totals } from '../results/types.js';
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
}

export interface ReportOptions {
  /** `--baseline` (Action: `baseline-run-id`): the run to compare each leaf with, matched by keys. */
  readonly baseline?: MergedRun;
  /** results.json `after`: the summary and the page lead with it. */
  readonly after?: AfterResult | null;
}

/**
 * The one way to merge then summarise: writes the merged results.json into `target` (the run's own
 * directory, or where the merged tree was copied) and its report.html when given, else only counts, then
 * renders the summary.
 */
export async function reportMerged(run: MergedRun, target: string | undefined, options: ReportOptions = {}): Promise<MergedReport> {
  const header = { run_id: run.runId, shard: { index: 1, count: 1 }, flows_total: run.total };
  const resultsPath = target === undefined ? undefined : join(target, 'results.json');
  const totals =
    resultsPath === undefined ? countLeaves(mergedLeaves(run), run.total) : await writeResults(resultsPath, header, mergedLeaves(run));
  const title = `orchestrator: ${run.runId}${run.shardCount > 1 ? ` (${run.shardCount} shards)` : ''}`;
  const notes = mergeNotes(run);
  const baseline = options.baseline && new BaselineComparison(options.baseline.runId, mergedLeaves(options.baseline), mergedLeaves(run));
  const { after } = options;
  const summary = renderSummary({ title, totals, durationMs: run.durationMs, leaves: mergedLeaves(run), notes, after, baseline });
  const htmlPath =
    target === undefined
      ? undefined
      : writeReportHtml(target, { title, totals, durationMs: run.durationMs, leaves: mergedLeaves(run), after, baseline });
  return { title, totals, notes, summary, resultsPath, htmlPath, baseline, after: after ?? null };
}
