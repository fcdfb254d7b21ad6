import { readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LeafEntry } from '../model/results.js';
import { loadedText, SHOWN_BYTES, type CapturedFile } from '../report/html-file.js';
import type { TextLoader } from '../report/html.js';
import { checkedEntry } from '../results/store.js';
import { closeQuietly } from '../util/safe-read.js';
import type { SafeTree } from '../util/safe-tree.js';
import type { WriteObserver } from '../util/files.js';

/** Bytes of records gathered before they are written to the spool. */
const SPOOL_BUFFER = 64 * 1024;

/** Step directories whose texts are kept at once, at most: a few per leaf in progress. */
const MAX_OPEN_DIRS = 10_000;

/** Per step directory (relative to the run directory): what report.html shows of each file written there. */
type DirTexts = Record<string, CapturedFile>;
/**
 * A leaf's step directories (relative to the run directory) and their texts: pairs, not an object
 * keyed by directory, whose every new key (one a flow) would make V8 a new hidden class, in the
 * object built here and in the one JSON.parse builds from the spool.
 */
export type LeafTexts = Array<[dir: string, texts: DirTexts]>;

/**
 * The files of step directories as they are written (TreeWriter's observer), so that report.html
 * shows a leaf's texts without reading its step files back. Only directories cleared in this
 * process before their step ran are vouched for (begin); one written otherwise (a stream: a
 * process's output, which it could also write beside) is dropped and read from disk instead.
 */
export class StepTexts implements WriteObserver {
  private readonly dirs = new Map<string, DirTexts | null>();
  /** The run directory with its separator: what a path below it starts with. */
  private readonly prefix: string;

  constructor(runDir: string) {
    this.prefix = `${runDir}/`;
  }

  /** `dir` (absolute) was just cleared for its step to run: what is written there from now on is all it holds. */
  begin(dir: string): void {
    const rel = this.relative(dir);
    if (rel !== undefined) this.dirs.set(rel, {});
  }

  wrote(path: string, data: string | Uint8Array): void {
    const cut = path.lastIndexOf('/');
    const name = path.slice(cut + 1);
    const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : undefined;
    if (keep === undefined) return;
    const texts = this.texts(path.slice(0, cut));
    if (texts === undefined) return;
    // a UTF-16 unit is at most 3 bytes of UTF-8: a short text is kept as it is (encoded only if shown)
    if (typeof data === 'string' && data.length * 3 <= keep.bytes) {
      texts[name] = [data];
      return;
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const shown = keep.tail ? bytes.subarray(Math.max(0, bytes.length - keep.bytes)) : bytes.subarray(0, keep.bytes);
    texts[name] = [shown.toString('latin1'), bytes.length];
  }

  /** `path` was written some other way, or its write failed: its directory is read from disk. */
  unknown(path: string): void {
    const rel = this.relative(dirname(path));
    if (rel !== undefined && this.dirs.has(rel)) this.dirs.set(rel, null);
  }

  /** The texts of the leaf's step directories vouched for, taken out (and forgotten). */
  take(entry: LeafEntry): LeafTexts {
    const taken: LeafTexts = [];
    for (const step of entry.steps) {
      const texts = this.dirs.get(step.dir);
      if (texts) taken.push([step.dir, texts]);
      this.dirs.delete(step.dir);
    }
    // a directory begun by a step its leaf does not list (not expected) must not pile up: past this
    // many, all are forgotten, and their leaves' texts are read from disk
    if (this.dirs.size > MAX_OPEN_DIRS) this.dirs.clear();
    return taken;
  }

  /** The texts kept of directory `dir` (absolute), when it was begun. */
  private texts(dir: string): DirTexts | undefined {
    const rel = this.relative(dir);
    return rel === undefined ? undefined : (this.dirs.get(rel) ?? undefined);
  }

  private relative(dir: string): string | undefined {
    return dir.startsWith(this.prefix) ? dir.slice(this.prefix.length) : undefined;
  }
}

/** A loader of a leaf's step texts as kept (`texts`); a directory they do not hold is `disk`'s. */
export function textsLoader(texts: LeafTexts, disk: TextLoader): TextLoader {
  return (path, chars, tail) => textOf(texts, disk, path, chars, tail);
}

function textOf(texts: LeafTexts | undefined, disk: TextLoader, path: string, chars: number, tail: boolean): ReturnType<TextLoader> {
  const cut = path.lastIndexOf('/');
  const dir = path.slice(0, cut);
  const kept = texts?.find((pair) => pair[0] === dir)?.[1];
  if (kept === undefined) return disk(path, chars, tail);
  const file = kept[path.slice(cut + 1)];
  return file === undefined ? undefined : loadedText(file, chars, tail);
}

/** A leaf as spooled: its result.json entry as written, and the texts of its step directories. */
interface Spooled {
  readonly entry: LeafEntry;
  readonly texts: LeafTexts;
}

/**
 * Each leaf of a config without array steps (one leaf a flow), written to a spool file the moment
 * it ends: its result.json as written and its step files' texts. results.json and report.html are
 * then made from the spool, in flow order, instead of reading every leaf's files back. The spool is
 * created and at once unlinked in the run directory: no step can reach it by a path. Memory: the
 * offset and length of each flow's record (12 bytes a flow).
 */
export class LeafSpool {
  private fd: number | undefined;
  /** Bytes spooled, those still in `pending` included. */
  private size = 0;
  /** Records not yet written, from `written` on: one write a few dozen leaves, not one a leaf. */
  private readonly pending = Buffer.allocUnsafe(SPOOL_BUFFER);
  private pendingBytes = 0;
  /** Bytes in the file. */
  private written = 0;
  /** The bytes of the file from `windowStart` on, read last (entry()). */
  private readonly window = Buffer.allocUnsafe(SPOOL_BUFFER);
  private windowStart = 0;
  private windowBytes = 0;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private spooled = 0;
  /** The record read last: the texts report.html's loader asks for belong to it. */
  private last: Spooled | undefined;

  constructor(private readonly from: number) {}

  open(tree: SafeTree, runDir: string): void {
    const path = join(runDir, `.leaves.${process.pid}.spool`);
    try {
      tree.removeFile(path);
      this.fd = tree.create(path, { read: true });
      tree.removeFile(path);
    } catch {
      this.close();
    }
  }

  get usable(): boolean {
    return this.fd !== undefined;
  }

  /** Flows spooled; a flow of the range without a record is read from disk as before. */
  get count(): number {
    return this.fd === undefined ? 0 : this.spooled;
  }

  /** Spools flow `index`'s one leaf: `json` is its result.json as written. */
  add(index: number, json: string, texts: LeafTexts): void {
    if (this.fd === undefined) return;
    const record = `{"entry":${json},"texts":${JSON.stringify(texts)}}`;
    const at = index - this.from;
    // a UTF-16 unit is at most 3 bytes of UTF-8: a record that may not fit goes after a flush
    if (this.pendingBytes + record.length * 3 > SPOOL_BUFFER) this.flush();
    let length: number;
    if (record.length * 3 <= SPOOL_BUFFER) {
      length = this.pending.write(record, this.pendingBytes, 'utf8');
      this.pendingBytes += length;
    } else {
      length = this.writeOut(Buffer.from(record, 'utf8'));
    }
    if (this.fd === undefined) return;
    this.grow(at + 1);
    if (this.lengths[at] === 0) this.spooled++;
    this.offsets[at] = this.size;
    this.lengths[at] = length;
    this.size += length;
  }

  has(index: number): boolean {
    const at = index - this.from;
    return this.fd !== undefined && at >= 0 && at < this.lengths.length && this.lengths[at]! > 0;
  }

  /** Flow `index`'s leaf as spooled, checked as a result.json read from disk is; undefined when it has none. */
  entry(index: number, id: string): LeafEntry | undefined {
    if (this.fd === undefined || !this.has(index)) return undefined;
    if (this.pendingBytes > 0) this.flush();
    if (this.fd === undefined) return undefined;
    const at = index - this.from;
    const text = this.read(this.offsets[at]!, this.lengths[at]!, id);
    let record: { entry: unknown; texts: LeafTexts };
    try {
      record = JSON.parse(text) as typeof record;
    } catch {
      // a write cut short (a full disk): the flow is read from disk, as without a spool
      this.last = undefined;
      return undefined;
    }
    this.last = { entry: checkedEntry(record.entry, join(id, 'result.json'), id, []), texts: record.texts };
    return this.last.entry;
  }

  /**
   * The record at `offset`: from the window read last when it holds it, else from a new window read
   * there. Flows are asked for in order and were spooled nearly in order, so one read serves dozens.
   */
  private read(offset: number, length: number, id: string): string {
    const { window } = this;
    const inWindow = offset >= this.windowStart && offset + length <= this.windowStart + this.windowBytes;
    if (!inWindow && length <= window.length) {
      this.windowStart = offset;
      this.windowBytes = 0;
      for (let n; this.windowBytes < length; this.windowBytes += n) {
        n = readSync(this.fd!, window, this.windowBytes, window.length - this.windowBytes, offset + this.windowBytes);
        if (n === 0) throw new Error(`the spool of finished leaves ended early at ${id}`);
      }
    }
    if (inWindow || length <= window.length) {
      const start = offset - this.windowStart;
      return window.toString('utf8', start, start + length);
    }
    const bytes = Buffer.allocUnsafe(length);
    for (let got = 0; got < length;) {
      const n = readSync(this.fd!, bytes, got, length - got, offset + got);
      if (n === 0) throw new Error(`the spool of finished leaves ended early at ${id}`);
      got += n;
    }
    return bytes.toString('utf8');
  }

  /** A loader of step texts: the spooled ones of the leaf read last, else `disk`'s. */
  loader(disk: TextLoader): TextLoader {
    return (path, chars, tail) => textOf(this.last?.texts, disk, path, chars, tail);
  }

  /** Forgets flow `index`'s record (passed on already): the flows it still holds are those left for the end. */
  drop(index: number): void {
    if (!this.has(index)) return;
    this.lengths[index - this.from] = 0;
    this.spooled--;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeQuietly(this.fd);
    this.fd = undefined;
  }

  /** Writes the pending records. */
  private flush(): void {
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    if (bytes > 0) this.writeOut(this.pending.subarray(0, bytes));
  }

  /** Writes `data` at the end of the file; its length. On failure (a full disk) the spool is given up: results.json is made from the leaves on disk, as without one. */
  private writeOut(data: Buffer): number {
    if (this.fd === undefined) return 0;
    try {
      for (let done = 0; done < data.length;) done += writeSync(this.fd, data, done, data.length - done, this.written + done);
    } catch {
      this.close();
      return 0;
    }
    this.written += data.length;
    return data.length;
  }

  private grow(length: number): void {
    if (length <= this.lengths.length) return;
    let size = this.lengths.length;
    while (size < length) size *= 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.offsets = offsets;
    this.lengths = lengths;
  }
}
