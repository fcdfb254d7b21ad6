import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegular } from '../util/safe-read.js';
import { DataError } from './fields.js';

const CHUNK = 1 << 20;
/** The largest single value read whole (an entry of results.json): its output is cut long before. */
const MAX_VALUE = 64 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Reads one JSON document from a file a piece at a time: the reader steps over values (tracking only
 * strings and nesting, no objects made) or captures one value's bytes to parse it alone, so a file of
 * any size is read with one buffer and the largest single value in memory. JSON's structural
 * characters are ASCII, and no byte of a multi-byte UTF-8 character is below 0x80, so bytes suffice.
 */
export class JsonByteReader {
  private readonly buffer: Buffer;
  private length = 0;
  private pos = 0;
  /** File offset of buffer[0]. */
  private base: number;
  /** While capturing: the pieces of the value before the current buffer, and where it starts in it. */
  private pieces: Buffer[] | undefined;
  private captureFrom = 0;
  private captured = 0;

  private constructor(
    private readonly fd: number,
    readonly file: string,
    start: number,
    private readonly maxValueBytes: number,
    chunk: number,
  ) {
    this.base = start;
    this.buffer = Buffer.allocUnsafe(chunk);
  }

  /** Opens `path` at byte `start`; `file` names it in errors. Close it with close(). `chunk`: bytes read at a time. */
  static open(path: string, file: string, start = 0, options: { maxValueBytes?: number; chunk?: number } = {}): JsonByteReader {
    // a results file is read back from a tree steps and artifacts can touch: never through a link
    return new JsonByteReader(openRegular(path).fd, file, start, options.maxValueBytes ?? MAX_VALUE, options.chunk ?? CHUNK);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The last `bytes` bytes of the file (fewer in a smaller one), as text. */
  tail(bytes: number): string {
    const size = fstatSync(this.fd).size;
    const from = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - from);
    const read = readSync(this.fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).toString('utf8');
  }

  /** The file offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(what: string): never {
    throw new DataError(`${this.file}: not a results file orchestrator wrote: ${what} at byte ${this.offset}`);
  }

  /** Refills the buffer; false at the end of the file. */
  private fill(): boolean {
    if (this.pieces !== undefined) {
      this.captured += this.length - this.captureFrom;
      if (this.captured > this.maxValueBytes) this.fail(`a value larger than ${this.maxValueBytes} bytes`);
      this.pieces.push(Buffer.from(this.buffer.subarray(this.captureFrom, this.length)));
      this.captureFrom = 0;
    }
    this.base += this.length;
    this.pos = 0;
    this.length = readSync(this.fd, this.buffer, 0, this.buffer.length, this.base);
    return this.length > 0;
  }

  /** The next byte without taking it; -1 at the end. */
  peek(): number {
    if (this.pos >= this.length && !this.fill()) return -1;
    return this.buffer[this.pos]!;
  }

  next(): number {
    const c = this.peek();
    if (c >= 0) this.pos++;
    return c;
  }

  skipSpace(): number {
    for (;;) {
      const c = this.peek();
      if (!isSpace(c)) return c;
      this.pos++;
    }
  }

  expect(char: string): void {
    if (this.skipSpace() !== char.charCodeAt(0)) this.fail(`expected "${char}"`);
    this.pos++;
  }

  /** Steps over one value (the reader is at its first byte), making nothing of it. */
  skipValue(): void {
    const first = this.skipSpace();
    if (first === -1) this.fail('the file ends early');
    if (first === QUOTE || first === 0x7b || first === 0x5b) {
      let depth = 0;
      let inString = false;
      // a backslash's escaped byte may be the first of the next buffer
      let escaped = false;
      for (;;) {
        if (this.pos >= this.length && !this.fill()) this.fail('the file ends early');
        const buffer = this.buffer;
        const end = this.length;
        for (let i = this.pos; i < end; i++) {
          const c = buffer[i]!;
          if (inString) {
            if (escaped) escaped = false;
            else if (c === BACKSLASH) escaped = true;
            else if (c === QUOTE) {
              inString = false;
              if (depth === 0) {
                this.pos = i + 1;
                return;
              }
            }
          } else if (c === QUOTE) inString = true;
          else if (c === 0x7b || c === 0x5b) depth++;
          else if (c === 0x7d || c === 0x5d) {
            depth--;
            if (depth === 0) {
              this.pos = i + 1;
              return;
            }
          }
        }
        this.pos = end;
      }
    }
    // a number, true, false or null: up to the next delimiter
    for (;;) {
      const c = this.peek();
      if (c === -1 || c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) return;
      this.pos++;
    }
  }

  /** The next value, parsed on its own. */
  value(): unknown {
    this.skipSpace();
    this.pieces = [];
    this.captureFrom = this.pos;
    this.captured = 0;
    let bytes: Buffer;
    try {
      this.skipValue();
      const last = this.buffer.subarray(this.captureFrom, this.pos);
      bytes = this.pieces.length === 0 ? last : Buffer.concat([...this.pieces, last]);
      if (bytes.length > this.maxValueBytes) this.fail(`a value larger than ${this.maxValueBytes} bytes`);
    } finally {
      this.pieces = undefined;
    }
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      return this.fail(`a value that is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * The members of the object the reader is at, one at a time: `onMember(key)` must take the value
   * (value() or skipValue(), or read an array with elements()).
   */
  members(onMember: (key: string) => void): void {
    this.expect('{');
    if (this.skipSpace() === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      const key = this.value();
      if (typeof key !== 'string') this.fail('expected a field name');
      this.expect(':');
      onMember(key);
      const c = this.skipSpace();
      this.pos++;
      if (c === 0x7d) return;
      if (c !== 0x2c) this.fail('expected "," or "}"');
    }
  }

  /** The elements of the array the reader is at, parsed one at a time. */
  *elements(): Generator<unknown> {
    this.expect('[');
    if (this.skipSpace() === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      yield this.value();
      const c = this.skipSpace();
      this.pos++;
      if (c === 0x5d) return;
      if (c !== 0x2c) this.fail('expected "," or "]"');
    }
  }

  /** Steps over the array the reader is at; returns its number of elements. */
  skipElements(): number {
    this.expect('[');
    if (this.skipSpace() === 0x5d) {
      this.pos++;
      return 0;
    }
    for (let n = 1; ; n++) {
      this.skipValue();
      const c = this.skipSpace();
      this.pos++;
      if (c === 0x5d) return n;
      if (c !== 0x2c) this.fail('expected "," or "]"');
    }
  }

  /** Only white space may follow. */
  end(): void {
    if (this.skipSpace() !== -1) this.fail('more after the end of the document');
  }
}
