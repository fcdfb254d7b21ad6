import type { AfterResult, ResultItem, Totals } from '../model/results.js';
import { MARKS, type BaselineComparison } from './baseline-compare.js';
import type { CheckTally } from './checks.js';
import { HtmlRows } from './html-rows.js';
import { scriptJson, type TextLoader } from './html-texts.js';
import { PAGE_SCRIPT } from './html-script.js';
import { PAGE_CSS } from './html-style.js';

export { scriptJson, STDERR_TAIL, STEP_FILES, TEXT_LIMIT, type LoadedText, type TextLoader } from './html-texts.js';

export interface HtmlReportInput {
  readonly title: string;
  readonly totals: Totals;
  readonly durationMs: number | undefined;
  /** The leaves in results order; a run of never-started ones is one row. */
  readonly leaves: Iterable<ResultItem>;
  readonly load: TextLoader;
  /** results.json `after`: its output leads the page. */
  readonly after?: AfterResult | null;
  /** The run compared with a baseline run (`report --baseline`): counts, a mark per leaf, a filter. */
  readonly baseline?: BaselineComparison;
  /** Most characters of one text shown (default 20,000). */
  readonly textLimit?: number;
  /** Most characters of all texts shown together (default 32 Mi); later texts are left out with a note. */
  readonly totalLimit?: number;
  /**
   * Given: the page is written through it a piece at a time (the texts' blocks as they are read,
   * the table at the end) and renderHtml returns ''; so the texts of 100,000 leaves are never all
   * held at once.
   */
  readonly write?: (text: string) => void;
  /**
   * With `write`: where the texts' blocks go meanwhile (a side file), so the table's rows can be
   * written to `write` as they are made instead of being held to the end; `drain` then copies the
   * blocks into the page, before its script. A million rows are then never in memory together.
   */
  readonly spool?: { write(text: string): void; drain(): void };
}

/**
 * The self-contained report page: totals, a table of leaves (sorted and filtered by the page's
 * script) and, per leaf, its steps' texts in one JSON block per step directory, parsed only when
 * the leaf is opened. Every text is data: embedded as escaped JSON and shown with textContent.
 */
export function renderHtml(input: HtmlReportInput): string {
  const { write, spool } = input;
  const rows: unknown[] = [];
  let count = 0;
  // with a side file the rows go out as they are made, into the one block the page's script reads
  const push =
    write && spool ? (row: unknown[]) => write(`${count++ === 0 ? '' : ','}${scriptJson(row)}`) : (row: unknown[]) => rows.push(row);
  const emit = spool ? (block: string) => spool.write(block) : write;
  if (!spool) write?.(`${pageHead(input.title).join('\n')}\n`);
  const table = new HtmlRows({ ...input, emit }, push);
  // the after steps first: their texts are what a person reads first, so they come out of the budget first
  const after = input.after ? table.after(input.after) : null;
  const page = pageAround(input, after, table);
  if (write && spool) {
    write(page.head);
    for (const leaf of input.leaves) table.add(leaf);
    write(page.middle);
    spool.drain();
    write(page.end);
    return '';
  }
  for (const leaf of input.leaves) table.add(leaf);
  const summary = `<script type="application/json" id="summary">${scriptJson(pageSummary(input, after, table))}</script>`;
  const tail = [summary, `<script type="application/json" id="leaves">${scriptJson(rows)}</script>`, page.end];
  if (write) {
    write(tail.join('\n'));
    return '';
  }
  return [...pageHead(input.title), ...tail.slice(0, 2), ...table.kept, page.end].join('\n');
}

/** What the page says around its table. */
export type PageMeta = Pick<HtmlReportInput, 'title' | 'totals' | 'durationMs' | 'baseline'>;

/**
 * The page around rows written a leaf at a time: `head` up to the first row, `middle` from the
 * last row to where the texts' blocks go (the summary: call it once every row is in), `end` after them.
 */
export function pageAround(meta: PageMeta, after: unknown, rows: HtmlRows): { head: string; readonly middle: string; end: string } {
  return {
    head: `${pageHead(meta.title).join('\n')}\n<script type="application/json" id="leaves">[`,
    get middle() {
      return `]</script>\n<script type="application/json" id="summary">${scriptJson(pageSummary(meta, after, rows))}</script>\n`;
    },
    end: [`<script>${PAGE_SCRIPT}</script>`, '</body></html>', ''].join('\n'),
  };
}

function pageHead(title: string): string[] {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // nothing may be fetched: the page works from file:// and from an unzipped artifact
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_CSS}</style></head><body>`,
    '<noscript>This report needs JavaScript to show its table; results.json next to it holds the same data.</noscript>',
    '<main id="app"></main>',
  ];
}

/** The page's `summary` block: title, totals, the after row and the baseline's counts. */
function pageSummary(input: PageMeta, after: unknown, rows: HtmlRows): unknown {
  const { totals, baseline } = input;
  const { checks, textLimit } = rows;
  return {
    after,
    checks: checksSummary(checks, baseline),
    baseline: baseline
      ? {
          run_id: baseline.baselineRunId,
          marks: MARKS,
          counts: MARKS.map((m) => baseline.counts[m]),
          gone: baseline.gone,
          not_compared: baseline.notCompared,
        }
      : null,
    title: input.title,
    flows: totals.flows_total,
    leaves: totals.total,
    succeeded: totals.succeeded,
    failed: totals.failed,
    cancelled: totals.cancelled,
    tokens: totals.usage.input_tokens + totals.usage.output_tokens,
    input_tokens: totals.usage.input_tokens,
    output_tokens: totals.usage.output_tokens,
    duration_ms: input.durationMs ?? null,
    // the run's (steps shared by branches counted once); null when unknown (a model without a price)
    cost_usd: totals.usage.cost_usd ?? null,
    text_limit: textLimit,
  };
}

/** Most failures and check changes the page lists (the counts go on). */
const CHECKS_LISTED = 200;

/** The checks' part of the page summary: rates per check, the failures, and against a baseline the changes; null without checks. */
function checksSummary(checks: CheckTally, baseline: BaselineComparison | undefined): unknown {
  if (!checks.any) return null;
  const change = (c: { leaf: string; key: string; reason: string }): string[] => [c.leaf, c.key, c.reason];
  return {
    rates: checks.checks().map((r) => [r.key, r.passed, r.failed, r.skipped]),
    failing_leaves: checks.failingLeaves,
    failures: checks
      .failed(CHECKS_LISTED)
      .map((f) => [f.leaf, f.branch.length > 0 ? `${f.id}.${f.branch.join('.')}` : f.id, f.key, f.reason]),
    changes: baseline
      ? {
          failing: baseline.checks.failing,
          passing: baseline.checks.passing,
          newly_failing: baseline.checks.newlyFailing.slice(0, CHECKS_LISTED).map(change),
          newly_passing: baseline.checks.newlyPassing.slice(0, CHECKS_LISTED).map(change),
        }
      : null,
  };
}

/** For the one place markup holds text: the title element. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
