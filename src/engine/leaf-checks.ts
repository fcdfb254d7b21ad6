import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inputsOf, lineId, parseIndex, stampMatches, type IndexLine, type IndexRange } from './leaf-lines.js';

/** What the lines are checked for: the index's text, the run's flows (this shard's), and what both threads share. */
export interface CheckSetup extends IndexRange {
  readonly text: string;
  readonly steps: number;
  readonly runDir: string;
  readonly shared: SharedChecks;
}

/**
 * What the checking thread and the run's thread share (in SharedArrayBuffers): each checks some
 * batches of flows, and the other reads what it found there.
 */
export interface SharedChecks {
  /**
   * The state of each batch (0 for the one at `from`): FREE, TAKEN by whichever thread took it
   * first, then DONE once its flows' `held` are set (an Atomics store, after them: a thread that
   * loads DONE sees them).
   */
  readonly taken: Int32Array;
  /** Where each flow's line is in the text (parseIndex's spans): found by the run's thread before the thread starts. */
  readonly spans: Int32Array;
  /** A byte a flow: 1 when its files are as its line says (stampMatches). */
  readonly held: Uint8Array;
  /** 1 once `spans` are found (the thread starts meanwhile, and waits for them if it has to). */
  readonly parsed: Int32Array;
}

const FREE = 0;
const TAKEN = 1;
const DONE = 2;

/** Flows a batch covers: enough that the messages cost nothing next to the stamps. */
const BATCH = 2048;

/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './leaf-check-worker.js';

/** The arrays a run's checks share, for `flows` flows. */
export function sharedChecks(flows: number): SharedChecks {
  const batches = Math.max(Math.ceil(flows / BATCH), 1);
  return {
    taken: new Int32Array(new SharedArrayBuffer(4 * batches)),
    spans: new Int32Array(new SharedArrayBuffer(8 * flows)),
    held: new Uint8Array(new SharedArrayBuffer(flows)),
    parsed: new Int32Array(new SharedArrayBuffer(4)),
  };
}

/**
 * On the checking thread: checks the stamp of each flow an index lists, in order, the batches the
 * run's thread has not taken, telling each one done (`done`, its first flow). Each line is found
 * by the spans the run's thread found; a line it had to lay out anew (not the text's own: rare)
 * makes this thread parse the index too. The run directory is as CheckedLines gave it (from the
 * working directory when below it: fromHere).
 */
export function checkLines(setup: CheckSetup, done: (from: number) => void): void {
  const { shared, text } = setup;
  const { spans } = shared;
  while (Atomics.load(shared.parsed, 0) === 0) Atomics.wait(shared.parsed, 0, 0);
  const lines = spans.some((at) => at < 0) ? parseIndex(text, setup.steps, setup) : undefined;
  const lineOf = (k: number): IndexLine | undefined =>
    lines !== undefined ? lines[k] : spans[2 * k] === spans[2 * k + 1] ? undefined : text.slice(spans[2 * k], spans[2 * k + 1]);
  for (let from = setup.from, batch = 0; from < setup.to; from += BATCH, batch++) {
    if (Atomics.compareExchange(shared.taken, batch, FREE, TAKEN) !== FREE) continue;
    checkBatch(setup, lineOf, from);
    done(from);
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

/** Checks the flows from `from` on (`lineOf(k)`: the line of the flow at `setup.from + k`), then marks their batch DONE. */
function checkBatch(setup: CheckSetup, lineOf: (k: number) => IndexLine | undefined, from: number): void {
  const { held, taken } = setup.shared;
  const to = Math.min(from + BATCH, setup.to);
  for (let k = from - setup.from; k < to - setup.from; k++) {
    const line = lineOf(k);
    held[k] = line !== undefined && stampMatches(setup.runDir, lineId(line), line, setup.steps) ? 1 : 0;
  }
  Atomics.store(taken, (from - setup.from) / BATCH, DONE);
}

/** An early thread taken over (early-checks.ts takeEarlyChecks): its arrays cover the flows from the first to `flows`. */
export interface AdoptedChecks {
  readonly shared: SharedChecks;
  readonly flows: number;
  /** Undefined when it ended already. */
  readonly worker: Worker | undefined;
  close(): void;
}

/**
 * The lines of an earlier attempt's index whose flows' files are as the lines say (stampMatches),
 * by flow, checked ahead of the flows a resume starts. The stamps (two lstat calls a flow, kernel
 * time: the largest part of the CPU of a resume over 100,000 finished flows) are taken on a thread
 * of their own from the first batch on, beside the fingerprints the run's thread makes (vouches,
 * worked out ahead: vouch-ahead.ts); the run's thread takes batches from the last one back only
 * when it has nothing else to do, so the two end together. Taking a stamp ahead of its flow is no
 * weaker than taking it when the flow is reached: flows that resume runs meanwhile may still change
 * it, as they could after it was reached, and whenever something ran results.json reads every
 * flow's result.json back (a flow vouched for that is not a succeeded leaf then costs the index).
 * Without the thread's module (jest's sources) or when the thread fails, the checks are made here,
 * a batch when asked.
 */
export class CheckedLines {
  private waiting: { readonly from: number; readonly wake: () => void } | undefined;
  private worker: Worker | undefined;
  /**
   * Each flow's line, by position from `setup.from`: parsed here before the thread starts, or, with
   * an early thread (which parsed the index itself), made from its spans as asked (lineAt).
   */
  private lines: (IndexLine | undefined)[] | undefined;
  private readonly setup: CheckSetup;
  /** The first of the batches this thread took from the end (lastFree). */
  private back: number;
  /** The digest of the inputs the index was written under, when it kept one (leaf-lines.ts inputsOf). */
  readonly inputs: string | undefined;

  /**
   * `adopted`: the checking thread the command line started before the run was prepared
   * (takeEarlyChecks), whose arrays cover the flows from the first to the largest the index lists;
   * else a thread is started for the run's flows (`file`: its module).
   */
  constructor(index: Omit<CheckSetup, 'shared'>, file = threadModule(), adopted?: AdoptedChecks) {
    this.inputs = inputsOf(index.text);
    if (adopted !== undefined) {
      this.setup = { ...index, runDir: fromHere(index.runDir), from: 0, to: adopted.flows, shared: adopted.shared };
      this.back = Math.ceil(adopted.flows / BATCH);
      if (adopted.worker !== undefined) this.listen(adopted.worker);
      return;
    }
    this.back = Math.ceil((index.to - index.from) / BATCH);
    const shared = sharedChecks(index.to - index.from);
    this.setup = { ...index, runDir: fromHere(index.runDir), shared };
    if (file !== undefined) this.start(file);
    // parsed here while the thread starts (which takes longer): it finds each line by its span
    try {
      this.lines = parseIndex(index.text, index.steps, index, shared.spans);
    } catch (error) {
      this.close();
      throw error;
    } finally {
      Atomics.store(shared.parsed, 0, 1);
      Atomics.notify(shared.parsed, 0);
    }
  }

  private start(file: URL): void {
    try {
      this.listen(new Worker(file, { workerData: this.setup, name: 'resume checks' }));
    } catch {
      this.worker = undefined;
    }
  }

  private listen(worker: Worker): void {
    worker.unref();
    worker.on('message', (from: number) => this.wake(from));
    worker.on('error', () => this.inThisThread());
    worker.on('exit', () => this.inThisThread());
    this.worker = worker;
  }

  /** The line of the flow at `index` when its stamp held (after `ready(index)`); undefined when none did. */
  line(index: number): IndexLine | undefined {
    const k = index - this.setup.from;
    return index < this.setup.to && this.setup.shared.held[k] === 1 ? this.lineAt(k) : undefined;
  }

  /** The line the index lists for the flow at `index`, whether its stamp holds or not (undefined: none). */
  listed(index: number): IndexLine | undefined {
    return index < this.setup.to ? this.lineAt(index - this.setup.from) : undefined;
  }

  /**
   * The line of the flow at `k` from `setup.from`: by its span once the thread parsed the index
   * (an early thread does), else (a line laid out otherwise, or not parsed yet) from the index parsed here.
   */
  private lineAt(k: number): IndexLine | undefined {
    if (this.lines !== undefined) return this.lines[k];
    const { spans, parsed } = this.setup.shared;
    const start = spans[2 * k]!;
    const end = spans[2 * k + 1]!;
    if (Atomics.load(parsed, 0) === 1 && start >= 0) return start === end ? undefined : this.setup.text.slice(start, end);
    this.lines = parseIndex(this.setup.text, this.setup.steps, this.setup);
    return this.lines[k];
  }

  /**
   * Whether the flow at `index` was checked: else `ready` waits for it. Without the thread (none,
   * or it ended), its batch is checked here, at once.
   */
  has(index: number): boolean {
    if (index >= this.setup.to) return true; // past the last flow an early thread's index lists: no line
    const start = this.batchStart(index);
    if (Atomics.load(this.setup.shared.taken, this.batchOf(start)) === DONE) return true;
    if (this.worker !== undefined) return false;
    this.checkHere(start);
    return true;
  }

  /**
   * Waits until the flow at `index` is checked. Meanwhile this thread does its own work ahead
   * (`spare`, a little at a time, while it has some), then checks the last batch nobody has taken,
   * one at a time, when there is one: the stamps (the thread's part, from the first batch on) are
   * the longer half of a resume, so the two threads share them from both ends, this one only when
   * it has nothing else to do (had it taken the next batch instead, both would go from the front,
   * and at the end this thread alone would make the fingerprints of the thread's last batches).
   */
  async ready(index: number, spare?: () => boolean): Promise<void> {
    for (let spared = 0; !this.has(index);) {
      if (spare?.() === true) {
        // now and then a turn of the event loop: signals, the progress line
        if (++spared % 16 === 0) await new Promise((turn) => setImmediate(turn));
        continue;
      }
      const last = this.lastFree();
      if (last !== undefined) {
        this.checkHere(last);
        // a turn of the event loop, for the thread's batches done meanwhile
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

  /** The start of the last batch nobody had taken, now taken for this thread; undefined when none is left. */
  private lastFree(): number | undefined {
    // the thread takes them in order, so once it took the one below this thread's last, none is left
    if (this.worker === undefined || this.back === 0) return undefined;
    if (Atomics.compareExchange(this.setup.shared.taken, this.back - 1, FREE, TAKEN) !== FREE) return undefined;
    this.back--;
    return this.setup.from + this.back * BATCH;
  }

  /** Checks the batch at `start` on this thread. */
  private checkHere(start: number): void {
    checkBatch(this.setup, (k) => this.lineAt(k), start);
    this.wake(start);
  }

  private batchStart(index: number): number {
    return index - ((index - this.setup.from) % BATCH);
  }

  private batchOf(start: number): number {
    return (start - this.setup.from) / BATCH;
  }

  /** The batch at `from` is done: the wait for it ends. */
  private wake(from: number): void {
    if (this.waiting?.from !== from) return;
    const { wake } = this.waiting;
    this.waiting = undefined;
    this.worker?.unref();
    wake();
  }

  /**
   * The thread ended or failed: the flows not checked yet are checked here. The batch waited for is
   * checked now (has), or was done already (the thread marked it done, then died before its message
   * came): either way the wait ends.
   */
  private inThisThread(): void {
    this.worker = undefined;
    const waiting = this.waiting;
    if (waiting !== undefined && this.has(waiting.from)) this.wake(waiting.from);
  }
}

/** The checking thread's module, when it is there. */
export function threadModule(): URL | undefined {
  const file = new URL(THREAD_MODULE, import.meta.url);
  return existsSync(fileURLToPath(file)) ? file : undefined;
}
