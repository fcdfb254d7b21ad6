import { formatUsd } from '../model/cost.js';
import { leafLabel } from '../results/results.js';
import { isNotStarted, type AfterResult, type LeafEntry, type NotStarted, type ResultItem, type Totals } from '../model/results.js';
import type { BaselineComparison, Mark } from './baseline-compare.js';
import { afterSection } from './after.js';
import { baselineLines, markCell } from './baseline.js';
import { changesCell } from './changes.js';
import { CheckTally } from './checks.js';
import { checksMarkdown } from './checks-render.js';
import { cell, escapeMarkdown, escapeName, formatDuration, formatNumber } from './markdown.js';

/** GitHub refuses a step summary over 1 MiB; stay well below it. */
export const SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024;

const STATUS: Record<LeafEntry['status'], string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  cancelled: '⏹️ cancelled',
};

export interface SummaryInput {
  readonly title: string;
  readonly totals: Totals;
  readonly durationMs: number | undefined;
  /** The leaves to list; or `rows`, already gathered. */
  readonly leaves?: Iterable<ResultItem>;
  readonly rows?: SummaryRows;
  /** Lines shown under the totals, e.g. missing shards. Trusted text. */
  readonly notes?: readonly string[];
  /** results.json `after`: shown first, before the totals. */
  readonly after?: AfterResult | null;
  /** The run compared with a baseline run: counts under the totals, a mark per row. */
  readonly baseline?: BaselineComparison;
  readonly limit?: number;
}

/** Most of the summary the after output may take. */
const AFTER_LIMIT = 256 * 1024;

/** `flow_0003` or `flow_0003 [2.1]`, escaped: ids come back from files that may have been tampered with. */
export const leafName = (leaf: Pick<LeafEntry, 'id' | 'branch'>): string => leafLabel(leaf, escapeName);

function keysCell(keys: Readonly<Record<string, string>>): string {
  return Object.entries(keys)
    .map(([name, path]) => `${escapeMarkdown(name)}: ${cell(path, 80)}`)
    .join('<br>');
}

/** One row for a range of leaves that never started: `flow_0101 … flow_1000000`, the count and the reason. */
function notStartedCells(range: NotStarted): string {
  const what = range.from.branch.length === 0 ? 'flows' : 'branches';
  const text = `${formatNumber(range.count)} ${what} not started: ${range.reason}`;
  return `| ${leafName(range.from)} … ${leafName(range.to)} |  | ${STATUS.cancelled} |  |  | ${cell(text, 160)} |`;
}

function outputCell(leaf: LeafEntry): string {
  if (leaf.status !== 'succeeded') return cell(leaf.error ?? leaf.status, 160);
  return cell(leaf.output, 120);
}

function leafCells(leaf: LeafEntry, mark: Mark | undefined): string {
  const tokens = leaf.usage.input_tokens + leaf.usage.output_tokens;
  return `| ${leafName(leaf)} | ${keysCell(leaf.keys)} | ${STATUS[leaf.status]}${markCell(mark)} | ${formatDuration(leaf.duration_ms)} | ${formatNumber(tokens)} | ${outputCell(leaf)} |`;
}

export function totalsLine(totals: Totals, durationMs: number | undefined, strong = (text: string): string => `**${text}**`): string {
  const parts = [
    `${strong(`${formatNumber(totals.flows_total)} flows`)} (${formatNumber(totals.total)} results)`,
    `${formatNumber(totals.succeeded)} succeeded`,
    `${formatNumber(totals.failed)} failed`,
    `${formatNumber(totals.cancelled)} cancelled`,
    `tokens ${formatNumber(totals.usage.input_tokens)} in / ${formatNumber(totals.usage.output_tokens)} out`,
  ];
  // absent in results written before costs were
  if (totals.usage.cost_usd !== undefined) parts.push(`cost ${formatUsd(totals.usage.cost_usd)}`);
  if (totals.cache !== undefined)
    parts.push(`${formatNumber(totals.cache.steps)} steps from the cache (saved ${formatUsd(totals.cache.saved.cost_usd)})`);
  if (durationMs !== undefined) parts.push(formatDuration(durationMs));
  return parts.join(' · ');
}

/** What the head of a summary (title, totals, notes) may take, set aside while rows are added. */
const HEAD_RESERVE = 8 * 1024;

/**
 * The rows of a summary table, added one leaf at a time (a run feeds them while it writes
 * results.json, so the leaves are read once): rows stop before the size limit, and the rest are
 * only counted.
 */
export class SummaryRows {
  private readonly rows: { cells: string; changes: string; bytes: number; results: number }[] = [];
  private size = 400;
  private total = 0;
  private anyChanges = false;
  /** The checks of every leaf added, shown or not. */
  readonly checks = new CheckTally();

  constructor(private readonly limit: number = SUMMARY_LIMIT - HEAD_RESERVE) {}

  /** `mark`: how the leaf compares with a baseline run (`report --baseline`). */
  add(leaf: ResultItem, mark?: Mark): void {
    const results = isNotStarted(leaf) ? leaf.count : 1;
    this.total += results;
    this.checks.add(leaf);
    if (this.size >= this.limit) return;
    const cells = isNotStarted(leaf) ? notStartedCells(leaf) : leafCells(leaf, mark);
    const changes = isNotStarted(leaf) ? changesCell(null) : changesCell(leaf.changes);
    this.anyChanges ||= !isNotStarted(leaf) && leaf.changes != null;
    // counted with its changes cell, which is shown when any leaf has one
    const bytes = Buffer.byteLength(cells) + Buffer.byteLength(changes) + 4;
    if (this.size + bytes >= this.limit) {
      this.size = this.limit;
      return;
    }
    this.size += bytes;
    this.rows.push({ cells, changes, bytes, results });
  }

  /**
   * The table, and a line saying how many results it left out. `limit` (at most the one the rows
   * were gathered under) leaves room for a head that turned out longer, e.g. the after output.
   */
  render(limit: number = this.limit): string {
    const header = this.anyChanges
      ? ['| flow | keys | status | duration | tokens | output | changes |', '| --- | --- | --- | --- | --- | --- | --- |']
      : ['| flow | keys | status | duration | tokens | output |', '| --- | --- | --- | --- | --- | --- |'];
    const table: string[] = [];
    let size = 400;
    let shown = 0;
    for (const row of this.rows) {
      if (size + row.bytes >= limit) break;
      size += row.bytes;
      shown += row.results;
      table.push(this.anyChanges ? `${row.cells} ${row.changes} |` : row.cells);
    }
    const omitted = this.total - shown;
    const tail =
      omitted > 0
        ? `\n\n_${formatNumber(omitted)} more results not shown (GitHub limits a summary to 1 MiB): see results.json in the artifact._`
        : '';
    return `${[...header, ...table].join('\n')}${tail}`;
  }
}

/**
 * The job summary: totals, then one table row per leaf (id, keys, status, duration, tokens, first
 * line of the output or error, and — when any leaf ran in a worktree — the files its patch
 * changes), all untrusted text escaped. Rows stop before the size limit, and the summary says how
 * many were left out. The rows come from `leaves`, or were gathered as the leaves went by (`rows`).
 */
export function renderSummary(input: SummaryInput): string {
  const limit = input.limit ?? SUMMARY_LIMIT;
  const head = [
    `## ${escapeName(input.title)}`,
    '',
    ...(input.after ? [afterSection(input.after, AFTER_LIMIT)] : []),
    totalsLine(input.totals, input.durationMs),
    '',
    ...(input.baseline ? [...baselineLines(input.baseline), ''] : []),
    ...(input.notes ?? []).map((note) => `> ${note}`),
    ...(input.notes?.length ? [''] : []),
  ].join('\n');
  const budget = limit - Buffer.byteLength(head);
  let rows = input.rows;
  if (rows === undefined) {
    rows = new SummaryRows(budget);
    let i = 0;
    for (const leaf of input.leaves ?? []) rows.add(leaf, input.baseline?.markAt(i++));
  }
  // pass rates per check and the failing leaves, under the table (room kept for them)
  const checks = checksMarkdown(rows.checks);
  return `${head}\n${rows.render(budget - Buffer.byteLength(checks))}\n${checks === '' ? '' : `\n${checks}`}`;
}

export function mergeNotes(run: { missingShards: readonly number[]; shardCount: number; notes: readonly string[] }): string[] {
  const notes = [...run.notes];
  if (run.missingShards.length > 0) {
    notes.unshift(
      `⚠️ ${run.missingShards.length} of ${run.shardCount} shards left no results: ${run.missingShards.map((i) => `${i}/${run.shardCount}`).join(', ')}. Their flows are listed as cancelled.`,
    );
  }
  return notes;
}

/** The summary's line naming where the HTML report is: in `artifact` (undefined: not uploaded, still in `runDir` on the runner). */
export function reportHtmlLine(runId: string, artifact: string | undefined, runDir: string): string {
  return artifact !== undefined
    ? `\nThe HTML report: ${escapeName(`${runId}/report.html`)} in artifact ${escapeName(artifact)} (download it, unzip, open report.html in a browser).\n`
    : `\nThe HTML report: ${escapeName(`${runDir}/report.html`)} on the runner (the run directory was not uploaded).\n`;
}
