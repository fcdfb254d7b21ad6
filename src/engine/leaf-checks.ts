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
}

/** Lines checked for the flows from `from` on, in order: a flow's line when its stamp holds, else an empty string. */
export interface CheckedBatch {
  readonly from: number;
  readonly lines: string;
}

/** Flows a batch covers: enough that the messages cost nothing next to the stamps. */
const BATCH = 2048;

/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './leaf-check-worker.js';

/**
 * Parses an index and checks the stamp of each flow it lists, in order, handing the results over
 * a batch at a time: on the checking thread, or (without one) on this one, a batch when asked.
 */
export function checkLines(setup: CheckSetup, send: (batch: CheckedBatch) => void): void {
  const lines = parseIndex(setup.text, setup.steps, setup);
  const near = { ...setup, runDir: fromHere(setup.runDir) };
  for (let from = setup.from; from < setup.to; from += BATCH) send(checkBatch(near, lines, from));
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

function checkBatch(setup: CheckSetup, lines: readonly (IndexLine | undefined)[], from: number): CheckedBatch {
  const checked: string[] = [];
  const to = Math.min(from + BATCH, setup.to);
  for (let index = from; index < to; index++) {
    const line = lines[index - setup.from];
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

  constructor(
    private readonly setup: CheckSetup,
    file = threadModule(),
  ) {
    if (file === undefined) return;
    try {
      const worker = new Worker(file, { workerData: setup, name: 'resume checks' });
      worker.unref();
      worker.on('message', (batch: CheckedBatch) => this.take(batch));
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

  /** Whether the flow at `index` was checked: else `ready` waits for it. */
  has(index: number): boolean {
    const start = this.batchStart(index);
    if (this.batches.has(start)) return true;
    if (this.worker !== undefined) return false;
    this.lines ??= parseIndex(this.setup.text, this.setup.steps, this.setup);
    this.near ??= { ...this.setup, runDir: fromHere(this.setup.runDir) };
    this.take(checkBatch(this.near, this.lines, start));
    return true;
  }

  ready(index: number): Promise<void> {
    if (this.has(index)) return Promise.resolve();
    // the thread is unref'd, so that it never holds the process up: but for while it is waited for
    this.worker?.ref();
    return new Promise((wake) => (this.waiting = { from: this.batchStart(index), wake }));
  }

  /** Ends the thread (the run no longer asks). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
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
    if (this.waiting !== undefined && this.has(this.waiting.from)) this.wakeWaiting();
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
