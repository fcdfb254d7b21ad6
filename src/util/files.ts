import { createWriteStream, mkdirSync, writeFileSync, renameSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Redactor } from './redact.js';

/** Writes files under the output tree, every text redacted. */
export class TreeWriter {
  constructor(readonly redactor: Redactor) {}

  write(path: string, text: string): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.redactor.redact(text));
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  writeAtomic(path: string, text: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, this.redactor.redact(text));
    renameSync(temporary, path);
  }

  writeJson(path: string, value: unknown): void {
    this.writeAtomic(path, JSON.stringify(value, null, 2) + '\n');
  }

  /** A file written as data arrives; secrets are redacted line by line. */
  stream(path: string): LineRedactingStream {
    mkdirSync(dirname(path), { recursive: true });
    return new LineRedactingStream(createWriteStream(path), this.redactor);
  }
}

/** Holds back the last partial line so a secret split across chunks is still found. */
export class LineRedactingStream {
  private pending = '';

  constructor(
    private readonly out: WriteStream,
    private readonly redactor: Redactor,
  ) {}

  write(chunk: string): void {
    const text = this.pending + chunk;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut > 0) this.out.write(this.redactor.redact(text.slice(0, cut)));
    this.pending = text.slice(cut);
    // a very long line without a newline: flush all but a tail long enough to hold a secret
    const keep = this.redactor.longest;
    if (this.pending.length > 65536 + keep) {
      const redacted = this.redactor.redact(this.pending);
      const flush = redacted.length - keep;
      this.out.write(redacted.slice(0, flush));
      this.pending = redacted.slice(flush);
    }
  }

  end(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.end(this.redactor.redact(this.pending), () => resolve());
      this.out.once('error', reject);
      this.pending = '';
    });
  }
}
