import { isNotStarted, type AfterResult, type LeafAddress, type ResultItem, type StepEntry, type Totals } from '../model/results.js';
import { MARKS, type BaselineComparison } from './baseline-compare.js';
import { CheckTally } from './checks.js';
import { PAGE_SCRIPT } from './html-script.js';
import { PAGE_CSS } from './html-style.js';

/** A text read from the run tree for the report: possibly cut to its first (or, for stderr, last) characters. */
export interface LoadedText {
  readonly text: string;
  /** Set when `text` is not all of the file: its size in bytes. */
  readonly truncatedFrom?: number;
}

/**
 * Reads one file of a step directory, `path` relative to the run directory; undefined when it is
 * missing or is not a regular file. `chars` caps the text returned; `tail` keeps its end instead.
 */
export type TextLoader = (path: string, chars: number, tail: boolean) => LoadedText | undefined;

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

/** The files of a step directory the report shows, in order (a cmd step's command first); stderr is shown by its tail. */
export const STEP_FILES = [
  'command.txt',
  'prompt.txt',
  'output.txt',
  'final_message.txt',
  'error.txt',
  'stderr.txt',
  'changes.patch',
] as const;
export const STDERR_TAIL = 4000;
/** Most characters of one text shown, unless the input says otherwise. */
export const TEXT_LIMIT = 20_000;
/** The after output is what a person reads first: it may be longer than one step's text. */
const AFTER_TEXT = 200_000;
const STATUS_CODE = { succeeded: 0, failed: 1, cancelled: 2 } as const;

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the two line separators
 * JavaScript once rejected are escaped, so no text (a model output saying `</script>`) ends the block.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const firstLine = (text: string | null): string => {
  if (text === null) return '';
  const line = text.trimStart().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};

const address = (a: LeafAddress): string => (a.branch.length > 0 ? `${a.id} [${a.branch.join('.')}]` : a.id);

/** `[name, path, name, path, ...]`: the page shows each path's end (past the directory every row shares) and the whole in a title. */
const keyPairs = (keys: Readonly<Record<string, string>>): string[] => Object.entries(keys).flat();

/**
 * The self-contained report page: totals, a table of leaves (sorted and filtered by the page's
 * script) and, per leaf, its steps' texts in one JSON block per step directory, parsed only when
 * the leaf is opened. Every text is data: embedded as escaped JSON and shown with textContent.
 */
export function renderHtml(input: HtmlReportInput): string {
  const head = pageHead(input.title);
  input.write?.(`${head.join('\n')}\n`);
  const blocks = new TextBlocks(input);
  const checks = new CheckTally();
  // the after steps first: their texts are what a person reads first, so they come out of the budget first
  const after = input.after ? afterRow(input.after, blocks) : null;
  const end = [`<script>${PAGE_SCRIPT}</script>`, '</body></html>', ''];
  if (input.write && input.spool) {
    // the rows go out as they are made, into the one block the page's script reads
    const write = input.write;
    write('<script type="application/json" id="leaves">[');
    let count = 0;
    leafRows(input, blocks, checks, (row) => write(`${count++ === 0 ? '' : ','}${scriptJson(row)}`));
    write(
      `]</script>\n<script type="application/json" id="summary">${scriptJson(pageSummary(input, after, blocks.textLimit, checks))}</script>\n`,
    );
    input.spool.drain();
    write(end.join('\n'));
    return '';
  }
  const rows: unknown[] = [];
  leafRows(input, blocks, checks, (row) => rows.push(row));
  const table = [
    `<script type="application/json" id="summary">${scriptJson(pageSummary(input, after, blocks.textLimit, checks))}</script>`,
    `<script type="application/json" id="leaves">${scriptJson(rows)}</script>`,
  ];
  if (input.write) {
    input.write([...table, ...end].join('\n'));
    return '';
  }
  return [...head, ...table, ...blocks.kept, ...end].join('\n');
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

/**
 * The page's JSON blocks of texts, each read once and within the budget of characters: a step
 * directory's files (`s<n>`) and a changed leaf's baseline output (`b<n>`). Written at once
 * through `input.write`, or kept for the end of the page; the page's script finds each by its id.
 */
class TextBlocks {
  readonly textLimit: number;
  budget: number;
  readonly kept: string[] = [];
  private readonly stepIndex = new Map<string, number>();
  private blockCount = 0;
  private flowId: string | undefined;
  private beforeCount = 0;

  constructor(private readonly input: HtmlReportInput) {
    this.textLimit = input.textLimit ?? TEXT_LIMIT;
    this.budget = input.totalLimit ?? 32 * 1024 * 1024;
  }

  /** A step as a table row; merged results: a leaf's files are in its shard's directory (`tree`, relative to the report's). */
  stepRow(s: StepEntry, tree?: string): unknown[] {
    const dir = tree ? `${tree}/${s.dir}` : s.dir;
    return [s.name, s.type, STATUS_CODE[s.status], s.duration_ms, dir, this.step(dir)];
  }

  /** The baseline's output of a changed leaf, in its own block (parsed when the leaf is opened); -1 for none. */
  before(text: string | [string, number] | undefined): number {
    if (text === undefined || this.budget <= 0) return -1;
    this.budget -= typeof text === 'string' ? text.length : text[0].length;
    this.emit(`<script type="application/json" id="b${this.beforeCount}">${scriptJson(text)}</script>`);
    return this.beforeCount++;
  }

  /** An after step's text: cut to what the budget and AFTER_TEXT allow, as [text, length] when cut. */
  afterText(t: string | null): string | [string, number] | null {
    if (t === null) return null;
    const max = Math.max(0, Math.min(AFTER_TEXT, this.budget));
    this.budget -= Math.min(t.length, max);
    return t.length > max ? [t.slice(0, max), t.length] : t;
  }

  private step(dir: string): number {
    const known = this.stepIndex.get(dir);
    if (known !== undefined) return known;
    // one entry per STEP_FILES name, in order: the text, or [text, bytes of the file] when cut, or
    // [null, bytes] when left out; null for a missing file (trailing ones dropped)
    const texts: (string | [string | null, number] | null)[] = [];
    for (const file of STEP_FILES) {
      const tail = file === 'stderr.txt';
      const loaded = this.input.load(`${dir}/${file}`, Math.max(0, Math.min(tail ? STDERR_TAIL : this.textLimit, this.budget)), tail);
      if (loaded === undefined) {
        texts.push(null);
        continue;
      }
      this.budget -= loaded.text.length;
      if (loaded.truncatedFrom === undefined) texts.push(loaded.text);
      else texts.push([loaded.text === '' ? null : loaded.text, loaded.truncatedFrom]);
    }
    while (texts.length > 0 && texts[texts.length - 1] === null) texts.pop();
    const index = this.blockCount;
    this.stepIndex.set(dir, index);
    this.emit(`<script type="application/json" id="s${index}">${scriptJson(texts)}</script>`);
    return index;
  }

  /** Steps are shared only by the leaves of one flow: the blocks of earlier flows' steps are not looked up again (nor kept). */
  flow(id: string): void {
    if (id === this.flowId) return;
    this.stepIndex.clear();
    this.flowId = id;
  }

  private emit(block: string): void {
    this.blockCount++;
    if (this.input.spool) this.input.spool.write(`${block}\n`);
    else if (this.input.write) this.input.write(`${block}\n`);
    else this.kept.push(block);
  }
}

/** results.json `after` for the page: [status, output, error, tokens, steps]. */
function afterRow(a: AfterResult, blocks: TextBlocks): unknown[] {
  return [
    STATUS_CODE[a.status],
    blocks.afterText(a.output),
    blocks.afterText(a.error),
    a.usage.input_tokens + a.usage.output_tokens,
    a.steps.map((s) => blocks.stepRow(s)),
  ];
}

/** One row per leaf, and one per run of never-started leaves, in results order, each given to `push`. */
function leafRows(input: HtmlReportInput, blocks: TextBlocks, checks: CheckTally, push: (row: unknown[]) => void): void {
  const rows = { push };
  let item = 0;
  for (const leaf of input.leaves) {
    checks.add(leaf);
    blocks.flow(isNotStarted(leaf) ? leaf.from.id : leaf.id);
    const mark = input.baseline?.codeAt(item++) ?? -1;
    if (isNotStarted(leaf)) {
      const name = `${address(leaf.from)} … ${address(leaf.to)}`;
      const steps = leaf.steps.map((s) => blocks.stepRow(s, leaf.tree));
      rows.push([name, '', [], STATUS_CODE.cancelled, 0, 0, `${leaf.count} leaves not started: ${leaf.reason}`, 0, steps, mark]);
      continue;
    }
    const inTree = (path: string): string => (leaf.tree ? `${leaf.tree}/${path}` : path);
    const changes = leaf.changes ? [leaf.changes.files.length, leaf.changes.added, leaf.changes.removed, inTree(leaf.changes.patch)] : 0;
    rows.push([
      leaf.id,
      leaf.branch.join('.'),
      keyPairs(leaf.keys),
      STATUS_CODE[leaf.status],
      leaf.duration_ms,
      leaf.usage.input_tokens + leaf.usage.output_tokens,
      firstLine(leaf.status === 'succeeded' ? leaf.output : (leaf.error ?? leaf.output)),
      changes,
      leaf.steps.map((s) => blocks.stepRow(s, leaf.tree)),
      mark,
      blocks.before(input.baseline?.beforeAt(item - 1)),
    ]);
  }
}

/** The page's `summary` block: title, totals, the after row and the baseline's counts. */
function pageSummary(input: HtmlReportInput, after: unknown, textLimit: number, checks: CheckTally): unknown {
  const { totals, baseline } = input;
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
