import { createWriteStream, mkdirSync, writeFileSync, renameSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from './redact.js';

/**
 * Writes a file, creating its directory only when it is missing: a run writes several files into
 * each step directory, and a `mkdir -p` before every one of them is two system calls wasted.
 */
function writeCreatingDir(path: string, data: string): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
}

/** Writes files under the output tree, every text redacted. */
export class TreeWriter {
  constructor(readonly redactor: Redactor) {}

  write(path: string, text: string): void {
    writeCreatingDir(path, this.redactor.redact(text));
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  writeAtomic(path: string, text: string): void {
    const temporary = `${path}.${process.pid}.tmp`;
    writeCreatingDir(temporary, this.redactor.redact(text));
    renameSync(temporary, path);
  }

  writeJson(path: string, value: unknown): void {
    this.writeAtomic(path, JSON.stringify(value, null, 2) + '\n');
  }

  /** A file written as data arrives; secrets are redacted line by line. */
  stream(path: string): LineRedactingStream {
    mkdirSync(dirname(path), { recursive: true });
    return new LineRedactingStream(path, this.redactor);
  }
}

/** A stream's file is opened once it has been written to for this long, or holds this much. */
const LIVE_AFTER_MS = 1000;
const HOLD_CHARS = 64 * 1024;

/**
 * Holds back the last partial line so a secret split across chunks is still found. The file is
 * opened as a stream only when the process runs for a second or writes more than 64 KiB; until
 * then the text is held and, when the process ends first (most cmd steps), written in one call:
 * a stream's open, write and close each cost a trip through the thread pool, per file, per step.
 */
export class LineRedactingStream {
  private pending = '';
  private out: WriteStream | undefined;
  private held: string[] = [];
  private heldChars = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly redactor: Redactor,
  ) {
    this.timer = setTimeout(() => this.open(), LIVE_AFTER_MS);
    this.timer.unref();
  }

  write(chunk: string): void {
    const text = this.pending + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut > 0) this.emit(this.redactor.redact(text.slice(0, cut)));
    this.pending = text.slice(cut);
    // a very long line without a newline: flush all but a tail long enough to hold a secret
    const keep = this.redactor.longest;
    if (this.pending.length > 65536 + keep) {
      const redacted = this.redactor.redact(this.pending);
      const flush = redacted.length - keep;
      this.emit(redacted.slice(0, flush));
      this.pending = redacted.slice(flush);
    }
  }

  end(): Promise<void> {
    clearTimeout(this.timer);
    const tail = this.redactor.redact(this.pending);
    this.pending = '';
    const out = this.out;
    if (out === undefined) {
      try {
        writeFileSync(this.path, this.held.join('') + tail);
      } catch (error) {
        return Promise.reject(error);
      } finally {
        this.held = [];
        this.heldChars = 0;
      }
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      out.end(tail, () => resolve());
      out.once('error', reject);
    });
  }

  private emit(text: string): void {
    if (this.out !== undefined) {
      this.out.write(text);
      return;
    }
    this.held.push(text);
    this.heldChars += text.length;
    if (this.heldChars > HOLD_CHARS) this.open();
  }

  private open(): void {
    clearTimeout(this.timer);
    if (this.out !== undefined) return;
    this.out = createWriteStream(this.path);
    for (const text of this.held) this.out.write(text);
    this.held = [];
    this.heldChars = 0;
  }
}
