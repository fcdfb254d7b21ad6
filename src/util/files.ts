import { createWriteStream, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from './redact.js';
import { SafeTree } from './safe-tree.js';
import type { WriteQueue } from './tree-queue.js';

/** Hears of the files a TreeWriter writes: what was written whole, and the paths written any other way (or whose write failed). */
export interface WriteObserver {
  wrote(path: string, data: string | Uint8Array): void;
  unknown(path: string): void;
}

/** Writes files under the output tree (a run directory), every text redacted, never through a planted link. */
export class TreeWriter {
  readonly tree: SafeTree;
  /** Told of every file written (engine/leaf-spool.ts keeps what report.html shows of step files). */
  observer: WriteObserver | undefined;

  /**
   * `byPath`: no process but ours writes into the tree while the run does (no step of the run starts
   * one): directories are made or checked once and files written by path (safe-tree.ts).
   */
  constructor(
    readonly redactor: Redactor,
    root: string,
    { byPath = false }: { byPath?: boolean } = {},
  ) {
    // the run's tree is written into many times: its directories are kept open (safe-tree.ts)
    this.tree = new SafeTree(root, byPath ? { byPath } : { keepOpen: true });
  }

  /** Where the tree's writes go meanwhile (defer): a thread of their own. */
  private queue: WriteQueue | undefined;

  /**
   * A tree written by path sends its directories and whole files to `queue`'s thread from now on
   * (safe-tree.ts deferTo): a write returns before it is made, and its failure is told by `written`
   * and by the observer (`unknown`). Until `settle`.
   */
  defer(queue: WriteQueue): void {
    this.tree.deferTo(queue);
    this.queue = queue;
    queue.onFailure = (path, _error, directory) => {
      if (directory) this.tree.forget(path);
      else this.observer?.unknown(path);
    };
  }

  /**
   * With the writes deferred: a promise, once every write made so far is done, of the first that
   * failed at `dir` or below it (undefined when none did). Undefined when writes are made at once.
   */
  written(dir: string): Promise<Error | undefined> | undefined {
    return this.queue?.written(dir);
  }

  /** With the writes deferred: when the thread is that far behind, a promise of room for more; else undefined. */
  room(): Promise<void> | undefined {
    return this.queue?.room();
  }

  /** The queue, to run code once the writes made so far are done (after) and ask whether one failed (failure). */
  get deferred(): WriteQueue | undefined {
    return this.queue;
  }

  /** Waits for the deferred writes to be done, then makes writes here again; throws when the writer thread died. */
  async settle(): Promise<void> {
    const queue = this.queue;
    if (queue === undefined) return;
    await queue.drain();
    this.queue = undefined;
    this.tree.deferTo(undefined);
    if (queue.dead !== undefined) throw queue.dead;
  }

  write(path: string, text: string): void {
    this.observed(path, this.redactor.redact(text), (data) => this.tree.write(path, data));
  }

  /** Writes bytes as they are, but for the bytes of secrets. */
  writeBytes(path: string, data: Buffer): void {
    this.observed(path, this.redactor.redactBytes(data), (redacted) => this.tree.write(path, redacted));
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file; returns the text written. */
  writeAtomic(path: string, text: string): string {
    const redacted = this.redactor.redact(text);
    this.observed(path, redacted, (data) => this.tree.writeAtomic(path, data));
    return redacted;
  }

  private observed<T extends string | Uint8Array>(path: string, data: T, write: (data: T) => void): void {
    try {
      write(data);
    } catch (error) {
      this.observer?.unknown(path);
      throw error;
    }
    this.observer?.wrote(path, data);
  }

  /**
   * Writes a JSON file, through a temporary file and a rename unless `atomic` is false: for a file
   * only read back as a whole (step.json, result.json), whose torn copy after a crash is not JSON
   * and so is taken as missing, the rename and the check before it are two system calls saved.
   */
  writeJson(path: string, value: unknown, { atomic = true }: { atomic?: boolean } = {}): string {
    // before serialising: JSON escapes a secret's newlines, quotes and backslashes, and the escaped
    // text would no longer match it
    const text = JSON.stringify(this.redactor.redactValue(value), null, 2) + '\n';
    if (atomic) return this.writeAtomic(path, text);
    const redacted = this.redactor.redact(text);
    this.observed(path, redacted, (data) => this.tree.write(path, data));
    return redacted;
  }

  /** A file written as data arrives, byte for byte but for secrets. */
  stream(path: string): RedactingStream {
    this.observer?.unknown(path);
    this.tree.dir(dirname(path));
    return new RedactingStream(path, this.redactor, this.tree);
  }
}

/** A stream's file is opened once it has been written to for this long, or holds this much. */
const LIVE_AFTER_MS = 1000;
const HOLD_BYTES = 64 * 1024;

/**
 * A file written as a process's output arrives, byte for byte but for secrets: the bytes of each
 * secret become `***`. The last bytes of what arrived (one fewer than the longest secret) are held
 * back until more come, so a secret split across chunks, or across lines, is still found. The
 * file is opened as a stream only when the process runs for a second or writes more than 64 KiB;
 * until then the bytes are held and, when the process ends first (most cmd steps), written in one
 * call: a stream's open, write and close each cost a trip through the thread pool, per file, per step.
 */
export class RedactingStream {
  private pending: Buffer = Buffer.alloc(0);
  private out: WriteStream | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Opening or writing the file failed (a planted link, a full disk): the rest is dropped, end() rejects. */
  private failure: Error | undefined;

  constructor(
    private readonly path: string,
    private readonly redactor: Redactor,
    private readonly tree: SafeTree,
  ) {
    this.timer = setTimeout(() => this.open(), LIVE_AFTER_MS);
    this.timer.unref();
  }

  write(chunk: Buffer | string): void {
    const data = Buffer.concat([this.pending, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
    const keep = Math.max(0, this.redactor.longestBytes - 1);
    if (data.length <= keep) {
      this.pending = data;
      return;
    }
    // redact all, then hold back the tail: a secret that ends there may not be whole yet (a masked
    // one in the tail is `***`, which no secret of 8 bytes or more matches again)
    const redacted = this.redactor.redactBytes(data);
    const cut = redacted.length - keep;
    this.emit(redacted.subarray(0, cut));
    this.pending = Buffer.from(redacted.subarray(cut));
  }

  end(): Promise<void> {
    clearTimeout(this.timer);
    const tail = this.redactor.redactBytes(this.pending);
    this.pending = Buffer.alloc(0);
    const out = this.out;
    if (this.failure !== undefined) {
      out?.destroy();
      return Promise.reject(this.failure);
    }
    if (out === undefined) {
      try {
        this.tree.write(this.path, Buffer.concat([...this.held, tail]));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.held = [];
        this.heldBytes = 0;
      }
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      out.once('error', reject);
      out.end(tail, () => (this.failure === undefined ? resolve() : reject(this.failure)));
    });
  }

  private emit(data: Buffer): void {
    if (data.length === 0 || this.failure !== undefined) return;
    if (this.out !== undefined) {
      this.out.write(data);
      return;
    }
    this.held.push(data);
    this.heldBytes += data.length;
    if (this.heldBytes > HOLD_BYTES) this.open();
  }

  private open(): void {
    clearTimeout(this.timer);
    if (this.out !== undefined || this.failure !== undefined) return;
    let fd: number;
    try {
      fd = this.tree.create(this.path);
    } catch (error) {
      this.failure = error as Error;
      this.held = [];
      this.heldBytes = 0;
      return;
    }
    this.out = createWriteStream(this.path, { fd });
    // a write that fails later (ENOSPC) fails the step at end(), not the process
    this.out.on('error', (error) => (this.failure ??= error));
    for (const data of this.held) this.out.write(data);
    this.held = [];
    this.heldBytes = 0;
  }
}
