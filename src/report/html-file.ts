import { closeSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml, STDERR_TAIL, STEP_FILES, TEXT_LIMIT, type LoadedText, type TextLoader } from './html.js';
import { openRegular, readRegular, readUnder } from '../util/safe-read.js';
import { OpenDir } from '../util/open-dir.js';
import { SafeTree } from '../util/safe-tree.js';
import { GatheredWrites } from '../util/gathered.js';
import type { BaselineComparison } from './baseline-compare.js';
import { openResultsFile, readResultsItems } from '../results/results-file.js';
import type { AfterResult, LeafEntry, ResultItem, Shard, Totals } from '../model/results.js';
import { parseAfterResult } from '../results/validate.js';

export const REPORT_HTML = 'report.html';

/** UTF-8 takes at most 4 bytes a character: reading 4× the characters wanted is always enough. */
const BYTES_PER_CHAR = 4;

/**
 * A step file as written, kept for report.html instead of being read back (engine/leaf-spool.ts):
 * its first bytes the page can show (its last, for stderr.txt) as a latin1 string, and its size; or,
 * for a text short enough to be kept whole, the text itself (the file is its UTF-8).
 */
export type CapturedFile = readonly [bytes: string, size: number] | readonly [text: string];

/** Per file name report.html shows: how many bytes of it it may read at most, and from which end. */
export const SHOWN_BYTES: Readonly<Record<string, { bytes: number; tail: boolean }>> = Object.fromEntries(
  STEP_FILES.map((name) => {
    const tail = name === 'stderr.txt';
    return [name, { bytes: (tail ? STDERR_TAIL : TEXT_LIMIT) * BYTES_PER_CHAR, tail }];
  }),
);

/** What the page shows of a file read as `bytes` (at most `chars` × 4 of them, from its start or end) out of `size`. */
function cutText(bytes: Buffer, size: number, chars: number, tail: boolean): LoadedText {
  let text = bytes.toString('utf8');
  let truncated = bytes.length < size;
  if (text.length > chars) {
    text = tail ? text.slice(text.length - chars) : text.slice(0, chars);
    truncated = true;
  }
  return truncated ? { text, truncatedFrom: size } : { text };
}

/** In a `u` regular expression a surrogate pair is one code point: this finds only the halves on their own. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** A captured file as runTreeLoader would have read it from disk (`chars` at most the characters SHOWN_BYTES keeps). */
export function loadedText(file: CapturedFile, chars: number, tail: boolean): LoadedText {
  // a text kept whole that the page shows whole: its UTF-8 decodes to itself (no lone surrogate, which
  // the file holds as U+FFFD), so the round trip through a Buffer is skipped
  if (file.length === 1 && file[0].length <= chars && !LONE_SURROGATE.test(file[0])) return { text: file[0] };
  const bytes = file.length === 1 ? Buffer.from(file[0]) : Buffer.from(file[0], 'latin1');
  const size = file.length === 1 ? bytes.length : file[1];
  const want = Math.min(size, chars * BYTES_PER_CHAR);
  return cutText(tail ? bytes.subarray(Math.max(0, bytes.length - want)) : bytes.subarray(0, want), size, chars, tail);
}

/** A step directory's files report.html shows, as read: at most SHOWN_BYTES of each, and the file's size. */
type ShownFiles = Map<string, { bytes: Buffer; size: number }>;

/**
 * Reads the files of the directory `dir` under `runDir` that report.html shows, each as much as it
 * may show, through the directory held open (OpenDir): no directory on the way is gone through as a
 * link, even one swapped in after it was looked at, and no file is a link or anything but a regular file.
 */
function readShown(runDir: string, dir: string): ShownFiles {
  const files: ShownFiles = new Map();
  let open: OpenDir | undefined;
  try {
    open = OpenDir.under(runDir, dir);
    for (const entry of open?.entries() ?? []) {
      if (!entry.isFile() || !Object.hasOwn(SHOWN_BYTES, entry.name)) continue;
      const keep = SHOWN_BYTES[entry.name]!;
      try {
        files.set(entry.name, readRegular(open!.entry(entry.name), { maxBytes: keep.bytes, tail: keep.tail }));
      } catch {
        // swapped for a link or a FIFO since it was listed: not shown
      }
    }
  } catch {
    // unreadable: no files
  } finally {
    open?.close();
  }
  return files;
}

/**
 * A loader of step texts under `runDir` for the HTML report. Steps wrote these files, so they are
 * read as data only (safe-read.ts, OpenDir): a path must stay inside the run directory, no part of it
 * may be a symbolic link, the file must be a regular one and only as many bytes as the report shows
 * are read. The files of a step directory are read together, when the first of them is asked for.
 */
export function runTreeLoader(runDir: string): TextLoader {
  let listed: { dir: string; files: ShownFiles } | undefined;
  return (path, chars, tail) => {
    const cut = path.lastIndexOf('/');
    const dir = cut < 0 ? '' : path.slice(0, cut);
    const name = path.slice(cut + 1);
    const want = chars * BYTES_PER_CHAR;
    const keep = Object.hasOwn(SHOWN_BYTES, name) ? SHOWN_BYTES[name] : undefined;
    if (keep === undefined || keep.tail !== tail || want > keep.bytes) {
      // not a file the page shows, or more of it: read on its own
      const read = readUnder(runDir, path, { maxBytes: want, tail });
      return read === undefined ? undefined : cutText(read.bytes, read.size, chars, tail);
    }
    if (listed?.dir !== dir) listed = { dir, files: readShown(runDir, dir) };
    const file = listed.files.get(name);
    if (file === undefined) return undefined;
    const { bytes } = file;
    return cutText(tail ? bytes.subarray(Math.max(0, bytes.length - want)) : bytes.subarray(0, want), file.size, chars, tail);
  };
}

/**
 * A leaf's whole output: results.json cuts a long one (`output_cut`), whose file is then read from
 * the run directory (`runDir`, or the leaf's `tree` below it) as runTreeLoader reads; the cut text
 * when that file cannot be read.
 */
export function wholeOutput(leaf: LeafEntry, runDir: string): string | null {
  const cut = leaf.output_cut;
  if (cut === undefined) return leaf.output;
  const read = readUnder(leaf.tree ? join(runDir, leaf.tree) : runDir, cut.file, { maxBytes: cut.chars * BYTES_PER_CHAR });
  return read === undefined ? leaf.output : cutText(read.bytes, read.size, cut.chars, false).text;
}

export interface HtmlReportMeta {
  readonly title: string;
  readonly totals: Totals;
  readonly durationMs: number | undefined;
  readonly leaves: Iterable<ResultItem>;
  readonly after?: AfterResult | null;
  readonly baseline?: BaselineComparison;
  /** Where step texts come from; by default the run directory (and `trees`). */
  readonly load?: TextLoader;
}

/**
 * A loader for merged results: a path starting with one of `trees` (a shard's directory relative to
 * `runDir`, as merged leaves name it) is read from that directory, as runTreeLoader reads; any other
 * from `runDir`. A tree not in the map (named by a tampered file) reaches nothing outside `runDir`.
 */
export function treesLoader(runDir: string, trees: ReadonlyMap<string, string>): TextLoader {
  const own = runTreeLoader(runDir);
  const loaders = [...trees].map(([tree, dir]) => ({ prefix: `${tree}/`, load: runTreeLoader(dir) }));
  return (path, chars, tail) => {
    for (const { prefix, load } of loaders) if (path.startsWith(prefix)) return load(path.slice(prefix.length), chars, tail);
    return own(path, chars, tail);
  };
}

/**
 * Writes `report.html` into the run directory (through a temporary file); returns its path. With
 * `trees`, leaves that name one (merged results) have their texts read from that directory.
 */
export function writeReportHtml(runDir: string, meta: HtmlReportMeta, trees: ReadonlyMap<string, string> = new Map()): string {
  const path = join(runDir, REPORT_HTML);
  const temporary = `${path}.${process.pid}.tmp`;
  // steps can write into the run directory: a link planted at the temporary path is removed, not
  // followed, and one at report.html is replaced by the rename
  const blocks = `${path}.${process.pid}.blocks.tmp`;
  const tree = new SafeTree(runDir);
  tree.removeFile(temporary);
  tree.removeFile(blocks);
  const fd = tree.create(temporary);
  let side: number | undefined;
  try {
    side = tree.create(blocks);
    const out = side;
    // written as it is made: the texts of every leaf are never held at once, nor the table's rows
    // (the texts' blocks wait in a side file, copied in after the rows)
    const page = new GatheredWrites(fd);
    const sideFile = new GatheredWrites(out);
    const spool = {
      write: (text: string): void => sideFile.write(text),
      drain: (): void => {
        sideFile.flush();
        page.flush();
        copyInto(blocks, fd);
      },
    };
    renderHtml({ ...meta, load: meta.load ?? treesLoader(runDir, trees), write: (text) => page.write(text), spool });
    page.flush();
  } catch (error) {
    closeSync(fd);
    if (side !== undefined) closeSync(side);
    tree.removeFile(temporary);
    tree.removeFile(blocks);
    throw error;
  }
  closeSync(fd);
  closeSync(side);
  tree.removeFile(blocks);
  renameSync(temporary, path);
  return path;
}

/** Appends the file at `path` (ours, just written; opened without following a link) to `fd`, a buffer at a time. */
function copyInto(path: string, fd: number): void {
  const { fd: input } = openRegular(path);
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(input, buffer, 0, buffer.length, null)) > 0;) writeSync(fd, buffer, 0, n);
  } finally {
    closeSync(input);
  }
}

/** What a run's report.html is made from when its results.json is not read back: the same leaves, in the same order. */
export interface RunReportSource {
  readonly runId: string;
  readonly shard: Shard;
  readonly totals: Totals;
  readonly after: AfterResult | null;
  /** The leaves as results.json holds them (outputs cut), in its order. */
  readonly leaves: Iterable<ResultItem>;
  readonly load: TextLoader;
}

/**
 * The HTML report of a run whose results.json is written: from `source` when given, else read back
 * from results.json. The report is a view: when it cannot be written, the run says so on stderr
 * and its outcome stands.
 */
export function writeRunReportHtml(runDir: string, durationMs: number | undefined, source?: RunReportSource): string | undefined {
  try {
    const meta = source === undefined ? readBack(runDir) : { ...source, shard: source.shard, run_id: source.runId };
    const { shard } = meta;
    const part = shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : '';
    return writeReportHtml(runDir, { ...meta, title: `orchestrator: ${meta.run_id}${part}`, durationMs });
  } catch (error) {
    reportNotWritten(runDir, error);
    return undefined;
  }
}

/** The report is a view: when it cannot be written, the run says so on stderr and its outcome stands. */
export function reportNotWritten(runDir: string, error: unknown): void {
  process.stderr.write(
    `orchestrator: warning: ${join(runDir, REPORT_HTML)} was not written: ${error instanceof Error ? error.message : String(error)}\n`,
  );
}

/** results.json read a piece at a time: the texts of 100,000 outputs never sit in memory at once. */
function readBack(runDir: string): {
  run_id: string;
  shard: Shard;
  totals: Totals;
  leaves: Iterable<ResultItem>;
  after: AfterResult | null;
} {
  const results = openResultsFile(join(runDir, 'results.json'));
  const { header } = results;
  return {
    run_id: header.run_id,
    shard: header.shard,
    totals: header,
    leaves: readResultsItems(results),
    after: parseAfterResult(header.after, join(runDir, 'results.json')),
  };
}
