import type { LeafEntry, Totals } from '../results/types.js';
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
  readonly leaves: Iterable<LeafEntry>;
  /** Lines shown under the totals, e.g. missing shards. Trusted text. */
  readonly notes?: readonly string[];
  readonly limit?: number;
}

/** `flow_0003` or `flow_0003 [2.1]`, escaped: ids come back from files that may have been tampered with. */
export function leafName(leaf: Pick<LeafEntry, 'id' | 'branch'>): string {
  const branch = leaf.branch.map((n) => (Number.isSafeInteger(n) ? String(n) : escapeName(String(n))));
  return branch.length === 0 ? escapeName(leaf.id) : `${escapeName(leaf.id)} [${branch.join('.')}]`;
}

function keysCell(keys: Readonly<Record<string, string>>): string {
  return Object.entries(keys)
    .map(([name, path]) => `${escapeMarkdown(name)}: ${cell(path, 80)}`)
    .join('<br>');
}

function outputCell(leaf: LeafEntry): string {
  if (leaf.status !== 'succeeded') return cell(leaf.error ?? leaf.status, 160);
  return cell(leaf.output, 120);
}

export function totalsLine(totals: Totals, durationMs: number | undefined): string {
  const parts = [
    `**${formatNumber(totals.flows_total)} flows** (${formatNumber(totals.total)} results)`,
    `${formatNumber(totals.succeeded)} succeeded`,
    `${formatNumber(totals.failed)} failed`,
    `${formatNumber(totals.cancelled)} cancelled`,
    `tokens ${formatNumber(totals.usage.input_tokens)} in / ${formatNumber(totals.usage.output_tokens)} out`,
  ];
  if (durationMs !== undefined) parts.push(formatDuration(durationMs));
  return parts.join(' · ');
}

/**
 * The job summary: totals, then one table row per leaf (id, keys, status, duration, tokens, first
 * line of the output or error), all untrusted text escaped. Rows stop before the size limit, and
 * the summary says how many were left out.
 */
export function renderSummary(input: SummaryInput): string {
  const limit = input.limit ?? SUMMARY_LIMIT;
  const head = [
    `## ${escapeName(input.title)}`,
    '',
    totalsLine(input.totals, input.durationMs),
    '',
    ...(input.notes ?? []).map((note) => `> ${note}`),
    ...(input.notes?.length ? [''] : []),
    '| flow | keys | status | duration | tokens | output |',
    '| --- | --- | --- | --- | --- | --- |',
  ].join('\n');
  const rows: string[] = [];
  let size = Buffer.byteLength(head) + 200;
  let shown = 0;
  let total = 0;
  for (const leaf of input.leaves) {
    total++;
    if (size >= limit) continue;
    const tokens = leaf.usage.input_tokens + leaf.usage.output_tokens;
    const row = `| ${leafName(leaf)} | ${keysCell(leaf.keys)} | ${STATUS[leaf.status]} | ${formatDuration(leaf.duration_ms)} | ${formatNumber(tokens)} | ${outputCell(leaf)} |`;
    const bytes = Buffer.byteLength(row) + 1;
    if (size + bytes >= limit) {
      size = limit;
      continue;
    }
    size += bytes;
    rows.push(row);
    shown++;
  }
  const omitted = total - shown;
  const tail =
    omitted > 0
      ? `\n\n_${formatNumber(omitted)} more results not shown (GitHub limits a summary to 1 MiB): see results.json in the artifact._`
      : '';
  return `${head}\n${rows.join('\n')}${tail}\n`;
}

/** Notes shown above the table: missing shards and other problems of the merge. Trusted text. */
export function mergeNotes(run: { missingShards: readonly number[]; shardCount: number; notes: readonly string[] }): string[] {
  const notes = [...run.notes];
  if (run.missingShards.length > 0) {
    notes.unshift(
      `⚠️ ${run.missingShards.length} of ${run.shardCount} shards left no results: ${run.missingShards.map((i) => `${i}/${run.shardCount}`).join(', ')}. Their flows are listed as cancelled.`,
    );
  }
  return notes;
}
