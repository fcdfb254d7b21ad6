import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lineId, parseIndex, stampMatches, type IndexLine, type IndexRange } from './leaf-lines.js';

/** What the lines are checked for: the index's text, and the run's flows (this shard's). */
export interface CheckSetup extends IndexRange {
  readonly text: string;
  readonly steps: number;
  readonly runDir: string;
  /** Shared with the run's thread, which checks some batches too (CheckedLines); without it the thread checks every batch. */
  readonly shared?: SharedChecks;
}

/** What the checking thread and the run's thread share (in SharedArrayBuffers), so that each checks some batches. */
export interface SharedChecks {
  /** A flag a batch (0 for the one at `from`): each is checked by whichever thread takes it first (0 to 1). */
  readonly taken: Int32Array;
  /** Each flow's line in the text (parseIndex's spans), then 1 once the thread has parsed it all. */
  readonly spans: Int32Array;
}

/** Lines checked for the flows from `from` on, in order: a flow's line when its stamp holds, else an empty string. */
export interface CheckedBatch {
  readonly from: number;
  readonly lines: string;
}

/** What the thread sends once it parsed the index (and the run's thread may check batches too). */
export const PARSED = 'parsed';

/** Flows a batch covers: enough that the messages cost nothing next to the stamps. */
const BATCH = 2048;

/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './leaf-check-worker.js';

/**
 * Parses an index and checks the stamp of each flow it lists, in order, handing the results over
 * a batch at a time: on the checking thread, or (without one) on this one, a batch when asked.
 */
export function checkLines(setup: CheckSetup, send: (batch: CheckedBatch) => void, parsed?: () => void): void {
  const { shared } = setup;
  const lines = parseIndex(setup.text, setup.steps, setup, shared?.spans);
  if (shared !== undefined) {
    Atomics.store(shared.spans, shared.spans.length - 1, 1);
    parsed?.();
  }
  const near = { ...setup, runDir: fromHere(setup.runDir) };
  const lineOf = (k: number): IndexLine | undefined => lines[k];
  for (let from = setup.from, batch = 0; from < setup.to; from += BATCH, batch++) {
    if (shared === undefined || Atomics.compareExchange(shared.taken, batch, 0, 1) === 0) send(checkBatch(near, lineOf, from));
  }
}

/**
 * A path relative to the working directory when it is below it: the kernel then looks up fewer
 * directories for each of the 200,000 lstat calls of 100,000 flows (~10 % of their time here).
 * The result names the same file: no process of orchestrator changes its working directory.
 */
export function fromHere(path: string): string {
  const near = relative(process.cwd(), path);
  return near !== '' && !near.startsWith('..') && !isAbsolute(near) ? near : path;
}

/** The checks of the flows from `from` on; `lineOf(k)`: the line of the flow at `setup.from + k`. */
function checkBatch(setup: CheckSetup, lineOf: (k: number) => IndexLine | undefined, from: number): CheckedBatch {
  const checked: string[] = [];
  const to = Math.min(from + BATCH, setup.to);
  for (let index = from; index < to; index++) {
    const line = lineOf(index - setup.from);
    checked.push(line !== undefined && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? line : '');
  }
  return { from, lines: checked.join('\n') };
}

/**
 * The lines of an earlier attempt's index whose flows' files are as the lines say (stampMatches),
 * by flow, checked ahead of the flows a resume starts. The stamps (two lstat calls a flow, kernel
 * time: about a quarter of the CPU of a resume over 100,000 finished flows) are taken on a thread
 * of their own beside the fingerprints the run's thread makes (vouches), so the two take turns on
 * no core. Taking a stamp ahead of its flow is no weaker than taking it when the flow is reached:
 * flows that resume runs meanwhile may still change it, as they could after it was reached, and
 * whenever something ran results.json reads every flow's result.json back (a flow vouched for that
 * is not a succeeded leaf then costs the index). Without the thread's module (the Action's
 * bundle, jest's sources) or when the thread fails, the checks are made here, a batch when asked.
 */
export class CheckedLines {
  private readonly batches = new Map<number, string[]>();
  private waiting: { readonly from: number; readonly wake: () => void } | undefined;
  private worker: Worker | undefined;
  private lines: (IndexLine | undefined)[] | undefined;
  private near: CheckSetup | undefined;
  /** Which batches are taken, by the thread or by this one, and where the thread found each flow's line. */
  private readonly shared: SharedChecks;
  /** The first of the batches this thread took from the end (lastFree). */
  private back: number;

  constructor(
    private readonly setup: CheckSetup,
    file = threadModule(),
  ) {
    this.back = Math.ceil((setup.to - setup.from) / BATCH);
    const ints = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * n));
    this.shared = { taken: ints(Math.max(this.back, 1)), spans: ints(2 * (setup.to - setup.from) + 1) };
    if (file === undefined) return;
    try {
      const worker = new Worker(file, { workerData: { ...setup, shared: this.shared }, name: 'resume checks' });
      worker.unref();
      worker.on('message', (batch: CheckedBatch | typeof PARSED) => (batch === PARSED ? this.wakeAny() : this.take(batch)));
      worker.on('error', () => this.inThisThread());
      worker.on('exit', () => this.inThisThread());
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  /** The line of the flow at `index` when its stamp held (after `ready(index)`); undefined when none did. */
  line(index: number): IndexLine | undefined {
    const start = this.batchStart(index);
    const line = this.batches.get(start)?.[index - start];
    if (index + 1 === Math.min(start + BATCH, this.setup.to)) this.batches.delete(start);
    return line === '' ? undefined : line;
  }

  /**
   * Whether the flow at `index` was checked: else `ready` waits for it. A batch the thread has not
   * taken yet (once it parsed the index) is checked here, at once.
   */
  has(index: number): boolean {
    const start = this.batchStart(index);
    if (this.batches.has(start)) return true;
    if (this.worker !== undefined && !(this.parsed() && this.takeBatch(start))) return false;
    this.checkHere(start);
    return true;
  }

  /**
   * Waits until the flow at `index` is checked. Meanwhile this thread checks the last batch nobody
   * has taken, one at a time, when there is one: the stamps (the thread's part) are the longer half
   * of a resume, so the two threads share them from both ends.
   */
  async ready(index: number): Promise<void> {
    while (!this.has(index)) {
      const last = this.lastFree();
      if (last !== undefined) {
        this.checkHere(last);
        // a turn of the event loop, for the thread's batches sent meanwhile
        await new Promise((turn) => setImmediate(turn));
        continue;
      }
      // the thread is unref'd, so that it never holds the process up: but for while it is waited for
      this.worker?.ref();
      await new Promise<void>((wake) => (this.waiting = { from: this.batchStart(index), wake }));
    }
  }

  /** Ends the thread (the run no longer asks). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /** Takes the batch starting at `start` for this thread: false when the thread took it. */
  private takeBatch(start: number): boolean {
    return Atomics.compareExchange(this.shared.taken, (start - this.setup.from) / BATCH, 0, 1) === 0;
  }

  /** The start of the last batch nobody had taken, now taken for this thread; undefined when none is left. */
  private lastFree(): number | undefined {
    // the thread takes them in order, so once it took the one below this thread's last, none is left
    const start = this.setup.from + (this.back - 1) * BATCH;
    if (this.worker === undefined || this.back === 0 || !this.parsed() || !this.takeBatch(start)) return undefined;
    this.back--;
    return start;
  }

  /** Whether the thread has parsed the index: where each flow's line is is then known here too. */
  private parsed(): boolean {
    const { spans } = this.shared;
    return Atomics.load(spans, spans.length - 1) === 1;
  }

  /** Checks the batch at `start` on this thread: its lines found where the thread found them, else by parsing the index here. */
  private checkHere(start: number): void {
    this.near ??= { ...this.setup, runDir: fromHere(this.setup.runDir) };
    const { spans } = this.shared;
    const text = this.setup.text;
    const first = start - this.setup.from;
    const fromSpans = this.lines === undefined && this.parsed() && !this.remade(first);
    if (!fromSpans) this.lines ??= parseIndex(text, this.setup.steps, this.setup);
    const lines = this.lines;
    const lineOf = (k: number): IndexLine | undefined =>
      lines !== undefined ? lines[k] : spans[2 * k] === spans[2 * k + 1] ? undefined : text.slice(spans[2 * k], spans[2 * k + 1]);
    this.take(checkBatch(this.near, lineOf, start));
  }

  /** Whether a line of the batch at `first` (from `setup.from`) is not the text's own (parseIndex made it canonical). */
  private remade(first: number): boolean {
    const { spans } = this.shared;
    for (let k = first; k < Math.min(first + BATCH, this.setup.to - this.setup.from); k++) if (spans[2 * k]! < 0) return true;
    return false;
  }

  private batchStart(index: number): number {
    return index - ((index - this.setup.from) % BATCH);
  }

  private take(batch: CheckedBatch): void {
    this.batches.set(batch.from, batch.lines.split('\n'));
    if (this.waiting?.from === batch.from) this.wakeWaiting();
  }

  /** The thread ended or failed: the flows not checked yet are checked here. */
  private inThisThread(): void {
    this.worker = undefined;
    // has() checks the batch here, and take() wakes the wait for it
    if (this.waiting !== undefined && this.has(this.waiting.from)) this.wakeAny();
  }

  /** The thread parsed the index: a wait for its batch becomes a turn at the last ones (ready). */
  private wakeAny(): void {
    if (this.waiting !== undefined) this.wakeWaiting();
  }

  private wakeWaiting(): void {
    const { wake } = this.waiting!;
    this.waiting = undefined;
    this.worker?.unref();
    wake();
  }
}

function threadModule(): URL | undefined {
  const file = new URL(THREAD_MODULE, import.meta.url);
  return existsSync(fileURLToPath(file)) ? file : undefined;
}
