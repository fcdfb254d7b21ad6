import { isNotStarted, type AfterResult, type LeafEntry, type ResultItem, type Shard, type Totals } from '../model/results.js';
import { reportNotWritten, runTreeLoader } from '../report/html-file.js';
import { RunReportRows } from '../report/html-run.js';
import type { TextLoader } from '../report/html.js';
import { cutOutput, resultsOutputChars, ResultsBody, type ResultsHeader } from '../results/write.js';
import type { TreeWriter } from '../util/files.js';
import { textsLoader, type LeafSpool, type LeafTexts } from './leaf-spool.js';

/** Lets signals and timers in between long synchronous work: a second Ctrl-C must be able to end the process. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const BREATHE_EVERY = 256;

/** What the leaves passed on tell the caller. */
export interface Seen {
  /** Paths (relative to the run directory) of the final messages of succeeded leaves. */
  finalMessages: string[];
  /** The only leaf's output when there is exactly one leaf. */
  onlyOutput: string | undefined;
}

/**
 * What results.json and report.html are made of, a leaf at a time in results order: each leaf is
 * counted and its entry and row written (to files of their own, results/write.ts ResultsBody and
 * report/html-file.ts RunReportRows) once, and both files are put together at the end. A run whose
 * leaves can be taken as they end (`early`: one leaf a flow, their texts kept as written, nothing
 * but this process writing into the tree, no after step to lead the page) passes each on the
 * moment it ends when it is the next in order, without a spool record or a read back; the others
 * (ended out of order: spooled) follow as soon as the ones before them are in, and whatever is left
 * at the end (an earlier attempt's leaves, flows that never ran) is read then.
 */
export class RunResults {
  readonly seen: Seen = { finalMessages: [], onlyOutput: undefined };
  /** Hears of every leaf as it is passed on (the index of finished flows, the caller's onResult). */
  onItem: (item: ResultItem) => void = () => {};
  /** The flow whose leaf comes next, while leaves are passed on as they end. */
  private next: number;
  private body: ResultsBody | undefined;
  private bodyFailure: Error | undefined;
  private page: RunReportRows | undefined;
  private pageFailure: unknown;
  private leaves = 0;
  /** The texts of the leaf being passed on as it ended; else the spool's, else the disk's. */
  private current: TextLoader | undefined;
  private readonly load: TextLoader;
  private readonly disk: TextLoader;
  private readonly maxOutput = resultsOutputChars();

  constructor(
    private readonly runDir: string,
    private readonly files: TreeWriter,
    private readonly spool: LeafSpool | undefined,
    range: { readonly from: number; readonly idOf: (index: number) => string },
    private early: boolean,
  ) {
    this.next = range.from;
    this.idOf = range.idOf;
    this.disk = runTreeLoader(runDir);
    const spooled = spool === undefined ? this.disk : spool.loader(this.disk);
    this.load = (path, chars, tail) => (this.current ?? spooled)(path, chars, tail);
  }

  private readonly idOf: (index: number) => string;

  /** Opens the files the entries and rows wait in; a failure is told when results.json or report.html is written. */
  open(): void {
    try {
      this.body = ResultsBody.open(this.runDir);
    } catch (error) {
      this.bodyFailure = error instanceof Error ? error : new Error(String(error));
      this.early = false;
    }
    try {
      this.page = RunReportRows.open(this.files.tree, this.runDir);
      if (this.early) this.page.start(null, this.load);
    } catch (error) {
      this.pageFailure = error;
    }
  }

  /**
   * Flow `index`'s one leaf ended and was written (`written`: its result.json as written, `texts`:
   * its step directories' texts as kept, one pair a step). Passed on at once, with the spooled
   * ones after it, when it is the next in order; else false (the caller spools it).
   */
  ended(index: number, entry: LeafEntry, written: string, texts: LeafTexts): boolean {
    if (!this.early || index !== this.next || texts.length !== entry.steps.length) return false;
    // what results.json would read back: the same entry, unless a secret was masked in it
    const plain = this.files.redactor.forms.length === 0;
    const item = plain ? entry : (JSON.parse(written) as LeafEntry);
    const cut = item.output !== null && item.output.length > this.maxOutput;
    this.current = textsLoader(texts, this.disk);
    this.pass(item, plain && !cut ? written.slice(0, -1).replaceAll('\n', '\n    ') : undefined);
    this.current = undefined;
    this.next++;
    while (this.spool?.has(this.next) === true) {
      const spooled = this.spool.entry(this.next, this.idOf(this.next));
      if (spooled === undefined) break;
      this.spool.drop(this.next);
      this.pass(spooled);
      this.next++;
    }
    return true;
  }

  /** The first flow not passed on yet: the leaves from there on are read at the end. */
  get from(): number {
    return this.next;
  }

  /** Passes on the rest of the leaves, in order, once every flow ended (and the after steps ran). */
  async rest(items: Iterable<ResultItem>, after: AfterResult | null): Promise<void> {
    if (this.page?.started === false) this.safely(() => this.page!.start(after, this.load));
    let count = 0;
    for (const item of items) {
      if (++count % BREATHE_EVERY === 0) await breathe();
      this.pass(item);
    }
  }

  /** Writes results.json from the entries passed on; their totals. */
  async writeResults(path: string, header: ResultsHeader): Promise<Totals> {
    if (this.body === undefined) throw this.bodyFailure ?? new Error('the entries of results.json were not kept');
    return await this.body.writeTo(path, header);
  }

  /** Writes report.html; a failure is said on stderr (the report is a view: the run's outcome stands). */
  writeReport(runId: string, shard: Shard, totals: Totals, durationMs: number): void {
    const title = `orchestrator: ${runId}${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''}`;
    if (this.page !== undefined && this.pageFailure === undefined) this.safely(() => this.page!.write({ title, totals, durationMs }));
    if (this.pageFailure !== undefined) reportNotWritten(this.runDir, this.pageFailure);
  }

  close(): void {
    this.body?.close();
    this.page?.close();
  }

  /** One leaf (or a range of never-started ones) to both files; `text`: its entry as results.json holds it, when known. */
  private pass(item: ResultItem, text?: string): void {
    this.onItem(item);
    this.note(item);
    this.body?.add(item, text);
    if (this.page !== undefined && this.pageFailure === undefined)
      this.safely(() => this.page!.add(isNotStarted(item) ? item : cutOutput(item, this.maxOutput)));
  }

  /** The final messages of succeeded leaves, and the output when there is one leaf only. */
  private note(item: ResultItem): void {
    if (isNotStarted(item)) {
      this.leaves += item.count;
      this.seen.onlyOutput = undefined;
      return;
    }
    this.leaves++;
    this.seen.onlyOutput = this.leaves === 1 ? (item.output ?? undefined) : undefined;
    if (item.status === 'succeeded' && item.final_message) this.seen.finalMessages.push(item.final_message);
  }

  private safely(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.pageFailure ??= error;
    }
  }
}
