/**
 * results.jsonl: one JSON line per leaf, appended the moment the leaf ends, so `tail -f` and other
 * tools follow a run (GNU parallel's `--joblog`). A line is a short summary of the leaf's
 * result.json: `{"id", "branch", "keys", "status", "duration_ms", "usage", "error", "first_line"}`.
 * A resumed run appends to it: a leaf run again has a later line, and the last one counts.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { compareLeaves } from './results.js';
import { DataError } from './fields.js';
import { parseLeafEntry } from './validate.js';
import type { LeafEntry, Shard } from '../model/results.js';
import { readRegular } from '../util/safe-read.js';

export const RESULTS_LINES = 'results.jsonl';

/**
 * The stream's name for a shard: results.jsonl for an unsharded run; shard I of N (N > 1) writes
 * results-I-of-N.jsonl, so shards run apart and then copied into one folder (or downloaded side
 * by side) keep every shard's lines instead of the last copy's.
 */
export const resultLinesName = (shard: { readonly index: number; readonly count: number }): string =>
  shard.count === 1 ? RESULTS_LINES : `results-${shard.index}-of-${shard.count}.jsonl`;

/** Whether a run directory's file name is a results stream (results.jsonl or a shard's results-I-of-N.jsonl). */
export const isResultLinesName = (name: string): boolean => /^results(?:-\d+-of-\d+)?\.jsonl$/.test(name);

/** A line's `first_line` is cut to this many characters (the summary shows fewer). */
export const FIRST_LINE_MAX = 1000;
/** The largest file read back: a few hundred bytes a leaf, so a few million leaves; a larger one is not ours. */
const MAX_LINES_BYTES = 1024 * 1024 * 1024;

/** One leaf's line, as written. */
export interface ResultLine {
  readonly id: string;
  readonly branch: readonly number[];
  readonly keys: Readonly<Record<string, string>>;
  readonly status: LeafEntry['status'];
  readonly duration_ms: number;
  readonly usage: LeafEntry['usage'];
  readonly error: string | null;
  /** The first non-blank line of the output (a succeeded leaf's) or null, cut to FIRST_LINE_MAX characters. */
  readonly first_line: string | null;
}

/** The line of a leaf that ended (without its newline). */
export function resultLine(entry: LeafEntry): ResultLine {
  return {
    id: entry.id,
    branch: entry.branch,
    keys: entry.keys,
    status: entry.status,
    duration_ms: entry.duration_ms,
    usage: entry.usage,
    error: entry.error,
    first_line: firstLine(entry.output),
  };
}

function firstLine(output: string | null): string | null {
  if (output === null) return null;
  const start = output.search(/\S/);
  if (start < 0) return '';
  const end = output.slice(start, start + FIRST_LINE_MAX + 2).search(/\r?\n|\r/);
  return output.slice(start, start + (end < 0 ? FIRST_LINE_MAX : Math.min(end, FIRST_LINE_MAX))).trimEnd();
}

/**
 * The leaves a run directory's results.jsonl lists, as entries (the first line as `output`, no
 * steps), by flow id, each leaf once (its last line); undefined when there is no readable file. A
 * line that is not what orchestrator writes (cut short by a kill, or rewritten by a step) is skipped.
 */
export function readResultLines(runDir: string, shard: Shard): Map<string, LeafEntry[]> | undefined {
  let text: string;
  try {
    const { bytes, size } = readRegular(join(runDir, resultLinesName(shard)), { maxBytes: MAX_LINES_BYTES });
    if (bytes.length < size) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const byLeaf = new Map<string, LeafEntry>();
  for (const [n, line] of text.split('\n').entries()) {
    const entry = lineEntry(line, `${resultLinesName(shard)}: line ${n + 1}`);
    if (entry !== undefined) byLeaf.set(`${entry.id}/${entry.branch.join('/')}`, entry);
  }
  const byFlow = new Map<string, LeafEntry[]>();
  for (const entry of [...byLeaf.values()].sort(compareLeaves)) byFlow.set(entry.id, [...(byFlow.get(entry.id) ?? []), entry]);
  return byFlow;
}

/**
 * The leaves results.jsonl lists whose result.json is not on disk (its write failed: a full disk,
 * a flow directory a step replaced), by flow id: what a killed run's leaves on disk lack.
 */
export function leavesOnlyInLines(runDir: string, shard: Shard): Map<string, LeafEntry[]> {
  const missing = new Map<string, LeafEntry[]>();
  for (const [id, entries] of readResultLines(runDir, shard) ?? []) {
    const absent = entries.filter((entry) => !resultOnDisk(runDir, entry));
    if (absent.length > 0) missing.set(id, absent);
  }
  return missing;
}

/** Whether the leaf's result.json is a regular file reached through real directories (as the leaves are read: store.ts). */
function resultOnDisk(runDir: string, entry: LeafEntry): boolean {
  let path = join(runDir, entry.id);
  for (const index of [undefined, ...entry.branch]) {
    if (index !== undefined) path = join(path, `branch_${index}`);
    if (lstatSync(path, { throwIfNoEntry: false })?.isDirectory() !== true) return false;
  }
  return lstatSync(join(path, 'result.json'), { throwIfNoEntry: false })?.isFile() === true;
}

function lineEntry(line: string, where: string): LeafEntry | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { first_line: first, id, branch, ...rest } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !Array.isArray(branch)) return undefined;
  try {
    const entry = { ...rest, id, branch, output: first ?? null, final_message: null, steps: [], changes: null };
    // checked as a result.json is: its id and branch are what it says they are
    return parseLeafEntry(entry, where, { id, branch: branch as number[] });
  } catch (error) {
    if (error instanceof DataError) return undefined;
    throw error;
  }
}
