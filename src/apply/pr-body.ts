/**
 * The body of a pull request of applied leaves (`apply --pr-body FILE`, the Action's `pr-body`):
 * each applied and each skipped leaf, its keys, the files it changed with their counts, and the
 * start of its final message. Model output and file names are untrusted: escaped as the summary
 * escapes them. Kept under GitHub's 65,536-character limit by dropping details first (the final
 * messages, then the file lists, then leaves past the limit, counted). Pure.
 */
import { block, cell, escapeName, formatNumber } from '../report/markdown.js';
import { counts } from '../report/changes.js';
import type { ApplyRow } from './apply.js';

/** GitHub refuses a longer body (422). */
export const PR_BODY_LIMIT = 65_536;
/** The start of a final message shown per leaf. */
const MESSAGE_CHARS = 1_500;
const FILES_SHOWN = 50;

const APPLIED = new Set<ApplyRow['outcome']>(['applied', 'already applied', 'shared']);

export interface PrBodyOptions {
  readonly runId: string;
  /** The most characters; GitHub's limit unless a test says otherwise. */
  readonly limit?: number;
}

interface Detail {
  readonly messages: boolean;
  readonly files: boolean;
}

function keysLine(row: ApplyRow): string {
  const keys = Object.entries(row.keys);
  return keys.length === 0 ? '' : keys.map(([name, path]) => `\`${escapeName(name)}\`: ${cell(path, 200)}`).join(', ');
}

function leafSection(row: ApplyRow, detail: Detail): string {
  const where =
    row.branch !== undefined
      ? ` on branch \`${escapeName(row.branch)}\``
      : row.commit !== undefined
        ? ` as ${row.commit.slice(0, 12)}`
        : '';
  const lines = [`#### ${escapeName(row.leaf)}: ${row.outcome}${where}`];
  const keys = keysLine(row);
  if (keys) lines.push('', `Keys: ${keys}`);
  if (row.outcome === 'conflict' && row.detail) lines.push('', `Skipped: ${cell(row.detail, 500)}`);
  if (row.files.length > 0) {
    lines.push(
      '',
      `${formatNumber(row.files.length)} ${row.files.length === 1 ? 'file' : 'files'}, +${formatNumber(row.added)} −${formatNumber(row.removed)}`,
    );
    if (detail.files) {
      lines.push('', '| file | +/− |', '| --- | --- |');
      for (const file of row.files.slice(0, FILES_SHOWN)) lines.push(`| ${cell(file.path, 200)} | ${counts(file)} |`);
      if (row.files.length > FILES_SHOWN) lines.push(`| …and ${formatNumber(row.files.length - FILES_SHOWN)} more | |`);
    }
  }
  const message = (row.output ?? '').trim();
  if (detail.messages && message !== '') {
    const start = message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}…` : message;
    lines.push('', '<details><summary>Final message</summary>', '', `<pre>${block(start)}</pre>`, '', '</details>');
  } else if (message !== '') {
    lines.push('', `> ${cell(message, 200)}`);
  }
  return lines.join('\n');
}

function render(rows: readonly ApplyRow[], options: PrBodyOptions, detail: Detail, limit: number): string {
  const applied = rows.filter((r) => APPLIED.has(r.outcome));
  const skipped = rows.filter((r) => !APPLIED.has(r.outcome));
  const head = [
    `### orchestrator: ${escapeName(options.runId)}`,
    '',
    `${formatNumber(applied.length)} ${applied.length === 1 ? 'leaf' : 'leaves'} applied, ${formatNumber(skipped.length)} skipped.`,
  ].join('\n');
  let body = head;
  let left = 0;
  for (const [title, group] of [
    ['Applied', applied],
    ['Skipped', skipped],
  ] as const) {
    if (group.length === 0) continue;
    const heading = `\n\n### ${title}`;
    if (body.length + heading.length > limit) {
      left += group.length;
      continue;
    }
    body += heading;
    for (const row of group) {
      const section = `\n\n${leafSection(row, detail)}`;
      // room for the closing line that counts what was left out
      if (left > 0 || body.length + section.length > limit - 200) left++;
      else body += section;
    }
  }
  if (left > 0)
    body += `\n\n…and ${formatNumber(left)} more ${left === 1 ? 'leaf' : 'leaves'}, left out to keep the body under GitHub's limit.`;
  return body + '\n';
}

/** The body, as detailed as fits in `limit` characters. */
export function prBody(rows: readonly ApplyRow[], options: PrBodyOptions): string {
  const limit = options.limit ?? PR_BODY_LIMIT;
  const levels: Detail[] = [
    { messages: true, files: true },
    { messages: false, files: true },
    { messages: false, files: false },
  ];
  for (const detail of levels) {
    const body = render(rows, options, detail, Infinity);
    if (body.length <= limit) return body;
  }
  return render(rows, options, levels[levels.length - 1]!, limit);
}
