import { CheckTally } from './checks.js';
import { checksText } from './checks-render.js';
import { leafLabel } from '../results/results.js';
import { isNotStarted, type AfterResult, type LeafEntry, type ResultItem, type Status, type Totals } from '../model/results.js';
import { MARKS, type BaselineComparison, type Mark } from './baseline-compare.js';
import { changesTotal } from './changes.js';
import { formatDuration, formatNumber, visibleControls } from './markdown.js';
import { totalsLine } from './summary.js';
import { FailedLeaves, failedLines } from './failed.js';

/**
 * `orchestrator report` for a terminal: the totals and an aligned plain-text table, no Markdown.
 * Untrusted text (model output, paths, errors) reaches a terminal, which obeys escape sequences:
 * every control character shows as a visible stand-in (`plain`), so a reply can neither recolour
 * the screen nor move the cursor, and one row stays one line.
 */
export interface TextReportInput {
  readonly title: string;
  readonly totals: Totals;
  readonly durationMs: number | undefined;
  readonly leaves: Iterable<ResultItem>;
  /** Missing shards and merge problems, one sentence each (trusted). */
  readonly notes?: readonly string[];
  readonly after?: AfterResult | null;
  readonly baseline?: BaselineComparison;
  /** The terminal's width: the keys and output columns are cut so a row fits it. */
  readonly columns?: number;
  /** Most rows listed; the rest are counted in a closing line. */
  readonly maxRows?: number;
}

const MAX_ROWS = 10_000;
/** Rows past which the failed leaves (the first FAILED_SHOWN) and the totals line are printed again under the table (a screenful). */
const REPEAT_TOTALS_AFTER = 40;
/** Columns a cut keys or output cell keeps at least, however narrow the terminal. */
const MIN_KEYS = 16;
const MIN_OUTPUT = 20;
const GAP = '  ';

/**
 * Untrusted text made safe to print: C0 and C1 controls (ESC, CR, BEL, backspace, ...) become
 * their Unicode control pictures or U+FFFD, and bidirectional overrides U+FFFD, so nothing the
 * text holds is read by the terminal as a command; a tab becomes a space. Newlines are kept only
 * with `lines`.
 */
export function plain(text: string, lines = false): string {
  return visibleControls(text.replace(/\t/g, ' '), lines ? '\n' : '');
}

/** At most `max` characters: the start and the end kept, `…` between (the end of a path tells rows apart). */
export function middleCut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return '…';
  const tail = Math.ceil((max - 1) * 0.6);
  return `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

const endCut = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
};

const width = (text: string): number => [...text].length;
const firstLine = (text: string | null | undefined): string => ((text ?? '').split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '').trim();

interface Row {
  flow: string;
  keys: string;
  status: string;
  duration: string;
  tokens: string;
  output: string;
  changes: string;
}

const HEADER: Row = {
  flow: 'flow',
  keys: 'keys',
  status: 'status',
  duration: 'duration',
  tokens: 'tokens',
  output: 'output',
  changes: 'changes',
};

function leafRow(leaf: LeafEntry, mark: Mark | undefined): Row {
  const tokens = leaf.usage.input_tokens + leaf.usage.output_tokens;
  return {
    flow: plain(leafLabel(leaf, (s) => s)),
    keys: Object.entries(leaf.keys)
      .map(([name, path]) => `${name}: ${path}`)
      .map((s) => plain(s))
      .join(', '),
    status: `${leaf.status}${mark === undefined ? '' : ` (${mark})`}`,
    duration: formatDuration(leaf.duration_ms),
    tokens: formatNumber(tokens),
    output: plain(firstLine(leaf.status === 'succeeded' ? leaf.output : (leaf.error ?? leaf.status))),
    changes: plain(changesTotal(leaf.changes)),
  };
}

/** The report as plain text lines, ending with a newline. */
export function renderText(input: TextReportInput): string {
  const out: string[] = [plain(input.title), ''];
  if (input.after) out.push(...afterLines(input.after), '');
  out.push(totalsLine(input.totals, input.durationMs, (text) => text));
  if (input.baseline) out.push(baselineText(input.baseline));
  for (const note of input.notes ?? []) out.push(`note: ${plain(note)}`);
  out.push('');

  const rows: Row[] = [];
  let total = 0;
  let shown = 0;
  const maxRows = input.maxRows ?? MAX_ROWS;
  let i = 0;
  const checks = new CheckTally();
  const failed = new FailedLeaves();
  for (const item of input.leaves) {
    checks.add(item);
    failed.add(item);
    const mark = input.baseline?.markAt(i++);
    const count = isNotStarted(item) ? item.count : 1;
    total += count;
    if (rows.length >= maxRows) continue;
    shown += count;
    if (isNotStarted(item)) {
      const what = item.from.branch.length === 0 ? 'flows' : 'branches';
      const label = (l: typeof item.from): string => plain(leafLabel(l, (s) => s));
      rows.push({
        flow: `${label(item.from)} … ${label(item.to)}`,
        keys: '',
        status: 'cancelled',
        duration: '',
        tokens: '',
        output: plain(`${formatNumber(item.count)} ${what} not started: ${item.reason}`),
        changes: '',
      });
    } else rows.push(leafRow(item, mark));
  }
  out.push(...table(rows, input.columns));
  if (total > shown) out.push('', `${formatNumber(total - shown)} more results not shown: see results.json (report --format json).`);
  const checkLines = checksText(checks, (text) => plain(text));
  if (checkLines.length > 0) out.push('', ...checkLines);
  // a long table scrolls its failures and the totals away: they close it too
  if (rows.length > REPEAT_TOTALS_AFTER) {
    if (failed.count > 0) out.push('', ...failedLines(failed));
    out.push(
      '',
      totalsLine(input.totals, input.durationMs, (text) => text),
    );
  }
  return `${out.join('\n')}\n`;
}

/** The rows aligned in columns; keys and output cut (keys in the middle) to fit `columns`. */
function table(rows: Row[], columns: number | undefined): string[] {
  const withChanges = rows.some((r) => r.changes !== '');
  const fields: (keyof Row)[] = ['flow', 'keys', 'status', 'duration', 'tokens', 'output', ...(withChanges ? (['changes'] as const) : [])];
  const widths = new Map(fields.map((f) => [f, Math.max(width(HEADER[f]), ...rows.map((r) => width(r[f])))]));
  if (columns !== undefined && columns > 0) {
    const used = (): number => [...widths.values()].reduce((a, b) => a + b, 0) + GAP.length * (fields.length - 1);
    let over = used() - columns;
    for (const [field, min] of [
      ['output', MIN_OUTPUT],
      ['keys', MIN_KEYS],
    ] as const) {
      if (over <= 0) break;
      const now = widths.get(field)!;
      const next = Math.max(min, now - over);
      widths.set(field, next);
      over -= now - next;
    }
  }
  const right = new Set<keyof Row>(['duration', 'tokens']);
  const line = (row: Row): string =>
    fields
      .map((f, index) => {
        const w = widths.get(f)!;
        const text = f === 'keys' ? middleCut(row[f], w) : endCut(row[f], w);
        const pad = ' '.repeat(w - width(text));
        if (index === fields.length - 1) return right.has(f) ? pad + text : text;
        return right.has(f) ? pad + text : text + pad;
      })
      .join(GAP)
      .trimEnd();
  return [line(HEADER), ...rows.map(line)];
}

function baselineText(comparison: BaselineComparison): string {
  const parts = MARKS.map((mark) => `${formatNumber(comparison.counts[mark])} ${mark}`);
  if (comparison.gone > 0) parts.push(`${formatNumber(comparison.gone)} baseline results not in this run`);
  if (comparison.notCompared > 0) parts.push(`${formatNumber(comparison.notCompared)} not started (not compared)`);
  const { checks } = comparison;
  const line = `compared with ${plain(comparison.baselineRunId)}: ${parts.join(' · ')}`;
  if (checks.failing + checks.passing === 0) return line;
  const changes = [
    ...checks.newlyFailing
      .slice(0, 20)
      .map((c) => `  newly failing: ${plain(c.leaf)}  ${plain(c.key)}: ${plain(c.reason.split(/\r\n|\r|\n/)[0] ?? '')}`),
    ...checks.newlyPassing.slice(0, 20).map((c) => `  newly passing: ${plain(c.leaf)}  ${plain(c.key)}`),
  ];
  return [
    line,
    `checks compared with the baseline: ${formatNumber(checks.failing)} newly failing · ${formatNumber(checks.passing)} newly passing`,
    ...changes,
  ].join('\n');
}

const AFTER_CHARS = 60_000;

function afterLines(after: AfterResult): string[] {
  const chain = after.steps.map((s) => plain(s.name)).join(' → ') || 'after';
  const tokens = after.usage.input_tokens + after.usage.output_tokens;
  const status: Status = after.status;
  const lines = [`${chain} (over all results): ${status}${tokens > 0 ? ` · ${formatNumber(tokens)} tokens` : ''}`];
  if (after.status !== 'succeeded') lines.push(`error: ${plain((after.error ?? after.status).replace(/\r\n?/g, '\n'), true)}`);
  const output = (after.output ?? '').replace(/\r\n?/g, '\n');
  if (output.trim() !== '') {
    lines.push('', plain(output.length > AFTER_CHARS ? output.slice(0, AFTER_CHARS) : output, true).trimEnd());
    if (output.length > AFTER_CHARS)
      lines.push(`… ${formatNumber(output.length - AFTER_CHARS)} more characters in the after step's output.txt`);
  }
  return lines;
}
