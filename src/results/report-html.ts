import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml, type TextLoader } from '../report/html.js';
import type { BaselineComparison } from './baseline.js';
import { openResultsFile, readResultsItems } from './results-file.js';
import type { AfterResult, LeafEntry, ResultItem, Totals } from './types.js';
import { parseAfterResult } from './validate.js';

export const REPORT_HTML = 'report.html';

/** UTF-8 takes at most 4 bytes a character: reading 4× the characters wanted is always enough. */
const BYTES_PER_CHAR = 4;

/**
 * A loader of step texts under `runDir` for the HTML report. Steps wrote these files, so they are
 * read as data only: a path must stay inside the run directory, no part of it may be a symbolic
 * link, the file must be a regular one (opened with O_NOFOLLOW, checked again after opening) and
 * only as many bytes as the report shows are read.
 */
export function runTreeLoader(runDir: string): TextLoader {
  // a step directory is checked and listed once for all its files; a flow directory once for all its steps
  const realDirs = new Map<string, boolean>();
  const isRealDir = (rel: string): boolean => {
    if (rel === '') return true;
    const known = realDirs.get(rel);
    if (known !== undefined) return known;
    const cut = rel.lastIndexOf('/');
    let real = cut < 0 || isRealDir(rel.slice(0, cut));
    if (real) {
      try {
        real = lstatSync(join(runDir, rel)).isDirectory();
      } catch {
        real = false;
      }
    }
    realDirs.set(rel, real);
    return real;
  };
  let listed: { dir: string; files: Set<string> } | undefined;
  const filesOf = (dir: string): Set<string> => {
    if (listed?.dir === dir) return listed.files;
    const files = new Set<string>();
    if (isRealDir(dir)) {
      try {
        for (const entry of readdirSync(join(runDir, dir), { withFileTypes: true })) if (entry.isFile()) files.add(entry.name);
      } catch {
        // unreadable: no files
      }
    }
    listed = { dir, files };
    return files;
  };
  return (path, chars, tail) => {
    const parts = path.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return undefined;
    const name = parts.pop()!;
    if (!filesOf(parts.join('/')).has(name)) return undefined;
    const at = join(runDir, path);
    let fd: number;
    try {
      fd = openSync(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return undefined;
      const want = Math.min(stat.size, chars * BYTES_PER_CHAR);
      const buffer = Buffer.alloc(want);
      const start = tail ? stat.size - want : 0;
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buffer, got, want - got, start + got);
        if (n === 0) break;
        got += n;
      }
      let text = buffer.subarray(0, got).toString('utf8');
      let cut = got < stat.size;
      if (text.length > chars) {
        text = tail ? text.slice(text.length - chars) : text.slice(0, chars);
        cut = true;
      }
      return cut ? { text, truncatedFrom: stat.size } : { text };
    } finally {
      closeSync(fd);
    }
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
  // steps can write into the run directory: a link planted at the temporary path is removed, not followed
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx');
  try {
    // written as it is made: the texts of every leaf are never held at once
    renderHtml({ ...meta, load: treesLoader(runDir, trees), write: (text) => writeSync(fd, text) });
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  return path;
}

/**
 * The HTML report of a run whose results.json is written: reads it back, writes report.html. The
 * report is a view: when it cannot be written, the run says so on stderr and its outcome stands.
 */
export function writeRunReportHtml(runDir: string, durationMs: number | undefined): string | undefined {
  try {
    // read a piece at a time: the texts of 100,000 outputs never sit in memory at once
    const results = openResultsFile(join(runDir, 'results.json'));
    const { header } = results;
    const shard = header.shard.count > 1 ? ` (shard ${header.shard.index}/${header.shard.count})` : '';
    return writeReportHtml(runDir, {
      title: `orchestrator: ${header.run_id}${shard}`,
      totals: header,
      durationMs,
      leaves: readResultsItems(results),
      after: parseAfterResult(header.after, join(runDir, 'results.json')),
    });
  } catch (error) {
    process.stderr.write(
      `orchestrator: warning: ${join(runDir, REPORT_HTML)} was not written: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return undefined;
  }
}
