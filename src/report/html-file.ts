import { closeSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml, STDERR_TAIL, STEP_FILES, TEXT_LIMIT, type LoadedText, type TextLoader } from './html.js';
import { listUnder, openRegular, readRegular } from '../util/safe-read.js';
import { SafeTree } from '../util/safe-tree.js';
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

/** A captured file as runTreeLoader would have read it from disk (`chars` at most the characters SHOWN_BYTES keeps). */
export function loadedText(file: CapturedFile, chars: number, tail: boolean): LoadedText {
  const bytes = file.length === 1 ? Buffer.from(file[0]) : Buffer.from(file[0], 'latin1');
  const size = file.length === 1 ? bytes.length : file[1];
  const want = Math.min(size, chars * BYTES_PER_CHAR);
  return cutText(tail ? bytes.subarray(Math.max(0, bytes.length - want)) : bytes.subarray(0, want), size, chars, tail);
}

/**
 * A loader of step texts under `runDir` for the HTML report. Steps wrote these files, so they are
 * read as data only (safe-read.ts): a path must stay inside the run directory, no part of it may be
 * a symbolic link, the file must be a regular one and only as many bytes as the report shows are read.
 */
export function runTreeLoader(runDir: string): TextLoader {
  // a step directory is listed once for all its files
  let listed: { dir: string; files: Set<string> } | undefined;
  const filesOf = (dir: string): Set<string> => {
    if (listed?.dir === dir) return listed.files;
    const files = new Set<string>();
    try {
      for (const entry of listUnder(runDir, dir) ?? []) if (entry.isFile()) files.add(entry.name);
    } catch {
      // unreadable: no files
    }
    listed = { dir, files };
    return files;
  };
  return (path, chars, tail) => {
    const cut = path.lastIndexOf('/');
    if (!filesOf(cut < 0 ? '' : path.slice(0, cut)).has(path.slice(cut + 1))) return undefined;
    // the directories down to it were checked when it was listed, just now: the file itself is
    // opened without following a link (readRegular), not looked up again from the root
    let read: { bytes: Buffer; size: number } | undefined;
    try {
      read = readRegular(join(runDir, path), { maxBytes: chars * BYTES_PER_CHAR, tail });
    } catch {
      return undefined;
    }
    return cutText(read.bytes, read.size, chars, tail);
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
  const root = leaf.tree ? join(runDir, leaf.tree) : runDir;
  return runTreeLoader(root)(cut.file, cut.chars, false)?.text ?? leaf.output;
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
    const spool = {
      write: (text: string): void => void writeSync(out, text),
      drain: (): void => copyInto(blocks, fd),
    };
    renderHtml({ ...meta, load: meta.load ?? treesLoader(runDir, trees), write: (text) => writeSync(fd, text), spool });
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
    process.stderr.write(
      `orchestrator: warning: ${join(runDir, REPORT_HTML)} was not written: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return undefined;
  }
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
