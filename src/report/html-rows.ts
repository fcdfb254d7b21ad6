import { isNotStarted, type AfterResult, type LeafAddress, type ResultItem, type StepEntry } from '../model/results.js';
import type { BaselineComparison } from './baseline-compare.js';
import { CheckTally } from './checks.js';
import { scriptJson, STDERR_TAIL, STEP_FILES, TEXT_LIMIT, type TextLoader } from './html-texts.js';

/** The rows of report.html's table, a leaf at a time, and the blocks of their texts. */

export const STATUS_CODE = { succeeded: 0, failed: 1, cancelled: 2 } as const;

/** The after output is what a person reads first: it may be longer than one step's text. */
const AFTER_TEXT = 200_000;

/** What the rows are made from. */
export interface RowsInput {
  readonly load: TextLoader;
  /** The run compared with a baseline run (`report --baseline`): a mark per leaf. */
  readonly baseline?: BaselineComparison;
  /** Most characters of one text shown (default 20,000). */
  readonly textLimit?: number;
  /** Most characters of all texts shown together (default 32 Mi); later texts are left out with a note. */
  readonly totalLimit?: number;
  /** Where each block of texts goes as it is made (with its newline); without it, blocks are kept (`kept`). */
  readonly emit?: (block: string) => void;
}

const firstLine = (text: string | null): string => {
  if (text === null) return '';
  const line = text.trimStart().split('\n', 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};

const address = (a: LeafAddress): string => (a.branch.length > 0 ? `${a.id} [${a.branch.join('.')}]` : a.id);

/** `[name, path, name, path, ...]`: the page shows each path's end (past the directory every row shares) and the whole in a title. */
function keyPairs(keys: Readonly<Record<string, string>>): string[] {
  // a loop, not Object.entries().flat(): a row a leaf, and flat() was 1.5 % of a large offline run
  const pairs: string[] = [];
  for (const name in keys) if (Object.hasOwn(keys, name)) pairs.push(name, keys[name]!);
  return pairs;
}

/**
 * The table's rows, one per leaf and one per run of never-started leaves, each handed to `push` as
 * it is made (in results order), their texts' blocks to `input.emit`: a leaf at a time, so a run can
 * add its leaves as they end. `after` (the after steps' row) goes first when there is one: its texts
 * come out of the budget first.
 */
export class HtmlRows {
  readonly checks = new CheckTally();
  private readonly blocks: TextBlocks;
  private item = 0;

  constructor(
    private readonly input: RowsInput,
    private readonly push: (row: unknown[]) => void,
  ) {
    this.blocks = new TextBlocks(input);
  }

  get textLimit(): number {
    return this.blocks.textLimit;
  }

  /** The blocks kept, without `input.emit`. */
  get kept(): readonly string[] {
    return this.blocks.kept;
  }

  /** results.json `after` for the page: [status, output, error, tokens, steps]; before any leaf. */
  after(a: AfterResult): unknown[] {
    const { blocks } = this;
    return [
      STATUS_CODE[a.status],
      blocks.afterText(a.output),
      blocks.afterText(a.error),
      a.usage.input_tokens + a.usage.output_tokens,
      a.steps.map((s) => blocks.stepRow(s)),
    ];
  }

  /** The row of one leaf, or of a run of never-started ones. */
  add(leaf: ResultItem): void {
    const { blocks, input } = this;
    this.checks.add(leaf);
    blocks.flow(isNotStarted(leaf) ? leaf.from.id : leaf.id);
    const mark = input.baseline?.codeAt(this.item++) ?? -1;
    if (isNotStarted(leaf)) {
      const name = `${address(leaf.from)} … ${address(leaf.to)}`;
      const steps = leaf.steps.map((s) => blocks.stepRow(s, leaf.tree));
      this.push([name, '', [], STATUS_CODE.cancelled, 0, 0, `${leaf.count} leaves not started: ${leaf.reason}`, 0, steps, mark]);
      return;
    }
    const inTree = (path: string): string => (leaf.tree ? `${leaf.tree}/${path}` : path);
    const changes = leaf.changes ? [leaf.changes.files.length, leaf.changes.added, leaf.changes.removed, inTree(leaf.changes.patch)] : 0;
    this.push([
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
      blocks.before(input.baseline?.beforeAt(this.item - 1)),
    ]);
  }
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

  constructor(private readonly input: RowsInput) {
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
    if (this.input.emit) this.input.emit(`${block}\n`);
    else this.kept.push(block);
  }
}
