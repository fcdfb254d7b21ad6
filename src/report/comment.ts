import { tallyChecks, type CheckTally } from './checks.js';
import { checksMarkdown } from './checks-render.js';
import type { AfterResult, LeafEntry, Totals } from '../model/results.js';
import type { BaselineComparison } from './baseline-compare.js';
import { afterSection } from './after.js';
import { baselineLines } from './baseline.js';
import { changesTotal, diffstatBlock } from './changes.js';
import { block, cell, escapeMarkdown } from './markdown.js';
import { leafName, totalsLine } from './summary.js';

/** GitHub refuses a comment body over 65,536 characters; leave room for the marker and notes. */
export const COMMENT_LIMIT = 65_536 - 1_024;

/** Most of the comment the after output may take: the rows keep the rest. */
const AFTER_LIMIT = 32_000;

const STATUS: Record<LeafEntry['status'], string> = { succeeded: '✅', failed: '❌', cancelled: '⏹️' };

/**
 * The hidden marker that finds our own comment again. It names the workflow, the job and the config,
 * so two workflows (or two reports in one) never overwrite each other's comment.
 */
export function commentMarker(workflow: string, job: string, config: string): string {
  // Percent-encodes what could end the HTML comment early (`<`, `>`, a dash before a dash, line
  // breaks) and what could make two names read alike (`=`, `%`): plain names stay as they are, and
  // different names always give different markers.
  const clean = (text: string): string =>
    text.replace(/[%=<>\r\n]|-(?=-)/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `<!-- orchestrator-report workflow=${clean(workflow)} job=${clean(job)} config=${clean(config)} -->`;
}

export interface CommentInput {
  readonly marker: string;
  readonly title: string;
  readonly totals: Totals;
  readonly durationMs: number | undefined;
  readonly leaves: readonly LeafEntry[];
  /** Results not passed in `leaves` at all (a huge run is cut before rendering). */
  readonly unlisted?: number;
  /** Trusted lines shown under the totals (e.g. missing shards). */
  readonly notes?: readonly string[];
  /** results.json `after`: the comment leads with it. */
  readonly after?: AfterResult | null;
  /** The run compared with a baseline run: its counts under the totals. */
  readonly baseline?: BaselineComparison;
  /** The checks of every result, `leaves` and unlisted ones alike; default: those of `leaves`. */
  readonly checks?: CheckTally;
  /** Where the full results are, e.g. a link to the workflow run. */
  readonly footer?: string;
  readonly limit?: number;
}

function summaryLine(leaf: LeafEntry): string {
  const name = leafName(leaf);
  const keys = Object.values(leaf.keys)
    .map((path) => cell(path, 60))
    .join(', ');
  const changes = changesTotal(leaf.changes);
  return `${STATUS[leaf.status]} <b>${name}</b>${keys ? ` · ${keys}` : ''}${changes ? ` · ${changes}` : ''}`;
}

function detail(leaf: LeafEntry, max: number): string {
  const text = leaf.status === 'succeeded' ? (leaf.output ?? '') : (leaf.error ?? leaf.status);
  // an output results.json holds cut short: its whole length counts
  const whole = leaf.status === 'succeeded' && leaf.output_cut ? Math.max(leaf.output_cut.chars, text.length) : text.length;
  const shown = Math.min(max, text.length);
  const cut = whole > shown ? `${text.slice(0, shown)}\n…(${whole - shown} more characters in the artifact)` : text;
  return block(cut.trimEnd());
}

/** The diffstat of a leaf that changed files, above its message: fewer files as the details shrink. */
function diffstat(leaf: LeafEntry, max: number): string {
  if (!leaf.changes || leaf.changes.files.length === 0) return '';
  const files = max === Infinity ? 50 : Math.max(3, Math.round(max / 150));
  return `<pre>${diffstatBlock(leaf.changes, files)}</pre>\n\n`;
}

/** The comment's checks section: the failing leaves listed fewer than in the summary (the comment is smaller). */
function checksHead(tally: CheckTally): string[] {
  const section = checksMarkdown(tally, '####', 10);
  return section === '' ? [] : ['', section];
}

/**
 * The PR comment: marker, totals, then one collapsed <details> per result holding its final message.
 * Kept under GitHub's limit by trimming the details first (shorter, then none), then by dropping
 * rows with a count of what was left out. All untrusted text is escaped; mentions are neutralised.
 */
export function renderComment(input: CommentInput): string {
  const limit = input.limit ?? COMMENT_LIMIT;
  const head = [
    input.marker,
    `### ${escapeMarkdown(input.title)}`,
    '',
    ...(input.after ? [afterSection(input.after, AFTER_LIMIT, '####')] : []),
    totalsLine(input.totals, input.durationMs),
    '',
    ...(input.baseline ? [...baselineLines(input.baseline), ''] : []),
    ...(input.notes ?? []).map((n) => `> ${n}`),
    // how a prompt change is judged on a PR: the checks lead, before the results
    ...checksHead(input.checks ?? tallyChecks(input.leaves)),
  ].join('\n');
  const foot = input.footer ? `\n\n${input.footer}` : '';
  const more = (omitted: number): string =>
    omitted > 0 ? `\n\n_…and ${omitted} more results not shown: see the job summary and the artifact._` : '';
  for (const max of [Infinity, 4000, 1500, 500, 150]) {
    const rows = input.leaves.map(
      (leaf) => `<details><summary>${summaryLine(leaf)}</summary>\n\n${diffstat(leaf, max)}<pre>${detail(leaf, max)}</pre>\n</details>`,
    );
    const body = `${head}\n\n${rows.join('\n')}${more(input.unlisted ?? 0)}${foot}\n`;
    if (body.length <= limit) return body;
  }
  // still too long: one line per result, as many as fit
  const lines: string[] = [];
  let size = head.length + foot.length + 200;
  for (const leaf of input.leaves) {
    const line = `- ${summaryLine(leaf)}`;
    if (size + line.length + 1 > limit) break;
    lines.push(line);
    size += line.length + 1;
  }
  return `${head}\n\n${lines.join('\n')}${more(input.leaves.length - lines.length + (input.unlisted ?? 0))}${foot}\n`;
}
