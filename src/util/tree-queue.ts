import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { OutputError } from '../errors.js';
import { UnsafePathError } from './dir-handles.js';
import { TreeBatches, type Failure, type WriteOp } from './tree-batch.js';
import { holdYoungGeneration } from './young-generation.js';

export type { Failure, WriteOp } from './tree-batch.js';

/** Where, in the shared counter, the thread stores the number of the last batch it finished. */
export const DONE = 0;
/** Where the thread, as it exits (process.exit, an uncaught error), stores its exit code plus one: drainSync hears of it while this thread waits. */
export const GONE = 1;

/** The thread's module, beside this one in the built CLI and in the bundles (absent under jest's sources). */
const THREAD_MODULE = './tree-thread.js';
/** Entries of a batch sent at once, without waiting for the end of the turn of the event loop: the thread starts on them meanwhile. */
const SEND_AT = 3 * 512;
/** Operations pushed but not done past which new flows wait (room): each waiting flow holds its state (a few hundred flows; four batches). */
const MAX_PENDING = 2048;
/**
 * Bytes of data pushed but not done past which new flows wait too (string lengths, counted as
 * bytes): what is queued is held here, in the message to the thread and there, so large outputs
 * (a prompt of 400 KB a flow) would otherwise take hundreds of megabytes before MAX_PENDING
 * (300 such flows: 915 MB peak RSS with only MAX_PENDING, 300 MB with this, 254 MB with no thread;
 * about 7 bytes of memory a byte queued). A batch is sent once it holds a quarter of it.
 */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** How long the run's thread waits for the writer thread, finishing nothing, before it takes it for dead. */
const STALLED_MS = 120_000;
/** The run thread's young generation while the writer thread works (young-generation.ts): what a batch holds is short-lived. */
const YOUNG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The writes of a run's tree, done on a thread of their own (tree-thread.ts) while the run's
 * thread goes on (a run that writes by path: safe-tree.ts): pushed as the run makes them, sent a
 * batch at a time (one message per turn of the event loop, or per SEND_AT entries), done in the
 * order pushed. A write that fails is kept by its path (failure, written) until the flow it belongs
 * to asks; `after` runs code once everything pushed so far is done. drainSync waits for the thread
 * (Atomics.wait), for what must happen in order with the writes: any other operation on the tree.
 */
export class WriteQueue {
  private ops: WriteOp[] = [];
  /** Batches sent, and finished (their failures taken in). */
  private sent = 0;
  private finished = 0;
  /** Operations pushed and not done, and how many each batch sent holds. */
  private pendingOps = 0;
  private pendingBytes = 0;
  /** Each batch sent: its operations and its bytes of data. */
  private readonly batchOps = new Map<number, { ops: number; bytes: number }>();
  private opsBytes = 0;
  private scheduled = false;
  private readonly waiting = new Map<number, (() => void)[]>();
  private roomWaiters: (() => void)[] = [];
  private readonly failures = new Map<string, Error>();
  private readonly counter: Int32Array;
  /** Set when the thread died: every write not known done fails with it. */
  dead: Error | undefined;
  /** Hears of each write that failed (a directory's: MadeDirs forgets it). */
  onFailure: (path: string, error: Error, directory: boolean) => void = () => {};
  /** Hears once that the thread died (the run stops). */
  onDeath: (error: Error) => void = () => {};

  /** The thread, started with the first batch sent (spawn): a resume whose flows were all finished writes nothing and starts none. */
  private worker: Worker | undefined;
  /** When the thread could not start: the batches, made on this thread as they are sent. */
  private inline: TreeBatches | undefined;
  private port: MessagePort | undefined;
  private readonly done = new SharedArrayBuffer(8);

  private constructor(private readonly file: URL) {
    this.counter = new Int32Array(this.done);
  }

  /** A queue whose thread starts with its first write; undefined when the thread's module is not there (jest runs the sources). */
  static start(file = threadModule()): WriteQueue | undefined {
    return file === undefined ? undefined : new WriteQueue(file);
  }

  /** Starts the thread; false when it cannot start (the batches are then made here: `inline`). */
  private spawn(): boolean {
    try {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(this.file, {
        workerData: { done: this.done, port: port2 },
        transferList: [port2],
        name: 'run tree writes',
        // what it holds is a batch or two of small files: a young generation grown to V8's 64 MB is memory for nothing
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
      port1.on('message', (message: { seq: number; failed: Failure[] }) => this.take(message));
      worker.on('error', (error: Error) => this.died(error));
      worker.on('exit', (code) => this.died(new Error(`it exited with code ${code}`)));
      [this.worker, this.port] = [worker, port1];
      return true;
    } catch {
      // no thread to be had (a limit on threads, say): the run goes on with its writes made here
      this.inline = new TreeBatches();
      return false;
    }
  }

  push(kind: 'd' | 'w' | 'a', path: string, data?: string | Uint8Array): void {
    this.ops.push(kind, path, data);
    this.pendingOps++;
    const bytes = data === undefined ? 0 : data.length;
    this.pendingBytes += bytes;
    this.opsBytes += bytes;
    if (this.ops.length >= SEND_AT || this.opsBytes >= MAX_PENDING_BYTES / 4) this.send();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.send());
    }
  }

  /** Undefined when fewer operations and bytes wait than MAX_PENDING and MAX_PENDING_BYTES; else a promise of room for more (half of them done). */
  room(): Promise<void> | undefined {
    if ((this.pendingOps < MAX_PENDING && this.pendingBytes < MAX_PENDING_BYTES) || this.dead !== undefined) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Runs `call` once every write pushed so far is done (or failed). */
  after(call: () => void): void {
    const target = this.ops.length > 0 ? this.sent + 1 : this.sent;
    if (target <= this.finished || this.dead !== undefined) {
      call();
      return;
    }
    const list = this.waiting.get(target);
    if (list === undefined) this.waiting.set(target, [call]);
    else list.push(call);
  }

  /** Once every write pushed so far is done: the first failure of `path` or a path below it, taken (not told again); undefined when none. */
  written(path: string): Promise<Error | undefined> {
    return new Promise((resolve) => this.after(() => resolve(this.takeBelow(path))));
  }

  /** Whether the write of `path` failed (once it is done: after): its error, taken. */
  failure(path: string): Error | undefined {
    const error = this.failures.get(path);
    if (error !== undefined) this.failures.delete(path);
    return error ?? this.dead;
  }

  private takeBelow(path: string): Error | undefined {
    let first: Error | undefined;
    if (this.failures.size > 0) {
      for (const [failed, error] of this.failures) {
        if (failed !== path && !failed.startsWith(`${path}/`)) continue;
        first ??= error;
        this.failures.delete(failed);
      }
    }
    return first ?? this.dead;
  }

  /** Every write pushed so far, done. */
  drain(): Promise<void> {
    return new Promise((resolve) => this.after(resolve));
  }

  /** Waits, blocking this thread, until every write pushed so far is done; throws when the thread is dead or stalls. */
  drainSync(): void {
    if (this.dead !== undefined) throw this.dead;
    if (this.ops.length > 0) this.send();
    let last = Atomics.load(this.counter, DONE);
    let since = Date.now();
    while (Atomics.load(this.counter, DONE) < this.sent) {
      Atomics.wait(this.counter, DONE, last, 1000);
      const now = Atomics.load(this.counter, DONE);
      // (the worker's exit event is not heard while this thread waits: its mark, or a stall)
      const gone = Atomics.load(this.counter, GONE);
      if (gone !== 0) throw this.died(new Error(`it exited with code ${gone - 1}`));
      if (now !== last) [last, since] = [now, Date.now()];
      else if (Date.now() - since > STALLED_MS) throw this.died(new Error(`it finished nothing for ${STALLED_MS / 1000} s`));
    }
    for (let message; this.port !== undefined && (message = receiveMessageOnPort(this.port)) !== undefined;)
      this.take(message.message as { seq: number; failed: Failure[] });
  }

  /** Ends the thread, once everything pushed is done (`drain` first). */
  async close(): Promise<void> {
    this.dead ??= new Error('the run is over');
    await this.worker?.terminate();
  }

  private send(): void {
    this.scheduled = false;
    if (this.ops.length === 0 || this.dead !== undefined) return;
    if (this.worker === undefined && this.inline === undefined) this.spawn();
    this.sent++;
    this.batchOps.set(this.sent, { ops: this.ops.length / 3, bytes: this.opsBytes });
    this.opsBytes = 0;
    if (this.inline !== undefined) {
      const ops = this.ops;
      this.ops = [];
      const failed = this.inline.apply(ops);
      Atomics.store(this.counter, DONE, this.sent);
      this.take({ seq: this.sent, failed });
      return;
    }
    this.worker!.ref();
    this.port!.ref();
    this.worker!.postMessage({ seq: this.sent, ops: this.ops });
    this.ops = [];
  }

  private take({ seq, failed }: { seq: number; failed: Failure[] }): void {
    if (seq <= this.finished) return;
    for (const failure of failed) {
      const error =
        failure.unsafe !== undefined ? new UnsafePathError(failure.unsafe.path, failure.unsafe.problem) : new Error(failure.message);
      if (failure.code !== undefined) Object.assign(error, { code: failure.code });
      this.failures.set(failure.path, error);
      this.onFailure(failure.path, error, failure.kind === 'd');
    }
    const from = this.finished + 1;
    this.finished = seq;
    for (let s = from; s <= seq; s++) {
      const batch = this.batchOps.get(s);
      this.pendingOps -= batch?.ops ?? 0;
      this.pendingBytes -= batch?.bytes ?? 0;
      this.batchOps.delete(s);
    }
    if (this.finished === this.sent && this.ops.length === 0) {
      this.worker?.unref();
      this.port?.unref();
    }
    for (let s = from; s <= seq; s++) {
      const calls = this.waiting.get(s);
      this.waiting.delete(s);
      for (const call of calls ?? []) call();
    }
    if (this.pendingOps < MAX_PENDING / 2 && this.pendingBytes < MAX_PENDING_BYTES / 2) this.wakeRoom();
    // what waits for the thread survives scavenges, so V8 grows the young generation early (to
    // 128 MB before the feeder's 10,000 flows hold it): held here once it reaches its size
    holdYoungGeneration(YOUNG_MAX_BYTES);
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /** The thread died: the writes not known done fail with why, everything waiting goes on, the run hears of it; returns the error. */
  private died(cause: Error): Error {
    if (this.dead !== undefined) return this.dead;
    // an OutputError: the run ends with it told as such (not as an internal error)
    this.dead = new OutputError(
      `the thread writing the run's files stopped (${cause.message}): the files of the flows still running are not written; run again with --resume`,
    );
    for (const calls of this.waiting.values()) for (const call of calls) call();
    this.waiting.clear();
    this.wakeRoom();
    this.onDeath(this.dead);
    return this.dead;
  }
}

function threadModule(): URL | undefined {
  const file = new URL(THREAD_MODULE, import.meta.url);
  return existsSync(fileURLToPath(file)) ? file : undefined;
}
