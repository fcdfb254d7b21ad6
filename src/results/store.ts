import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FlowSpace } from '../flows/flows.js';
import { range as indexes } from '../flows/flows.js';
import { TotalsCounter, compareLeaves, unstartedEntry } from './results.js';
import type { LeafEntry, Shard, Totals } from './types.js';
import { DataError, parseLeafEntry } from './validate.js';
import { SafeTree } from '../util/safe-tree.js';

const RESULT = 'result.json';
const COPY_BUFFER = 1 << 20;

function lstatKind(path: string): 'dir' | 'file' | 'other' | undefined {
  try {
    const stats = lstatSync(path);
    return stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'other';
  } catch {
    return undefined;
  }
}
const isRealDirectory = (path: string): boolean => lstatKind(path) === 'dir';
const isRegularFile = (path: string): boolean => lstatKind(path) === 'file';

/**
 * The leaves' `result.json` entries under one flow directory, sorted by branch. Each is checked
 * (parseLeafEntry): one that is not what orchestrator writes — a step or an artifact may have
 * rewritten it — becomes a failed entry whose error names the file and the field.
 */
export function readLeafEntries(flowDir: string): LeafEntry[] {
  const entries: LeafEntry[] = [];
  const id = basename(flowDir);
  const visit = (dir: string, branch: number[]): void => {
    // a link planted in the tree (flow dir, branch dir or result.json) is not read through
    if (!isRealDirectory(dir)) return;
    const file = join(dir, RESULT);
    if (isRegularFile(file)) {
      let value: unknown;
      let readable = true;
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // a result.json cut short by a crash: the leaf counts as missing and runs again on resume
        readable = false;
      }
      if (readable) entries.push(checkedEntry(value, join(id, ...branch.map((b) => `branch_${b}`), RESULT), id, branch));
    }
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const match = /^branch_([1-9]\d*)$/.exec(name);
      if (match && branch.length < MAX_DEPTH) visit(join(dir, name), [...branch, Number(match[1])]);
    }
  };
  visit(flowDir, []);
  return entries.sort(compareLeaves);
}

/** Branches nest once per array step; deeper directories than any config has are not ours. */
const MAX_DEPTH = 64;

function checkedEntry(value: unknown, file: string, id: string, branch: number[]): LeafEntry {
  try {
    return parseLeafEntry(value, file, { id, branch });
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    return { ...unstartedEntry(id, {}, `${error.message} (the file was changed after orchestrator wrote it)`), branch, status: 'failed' };
  }
}

/** Every leaf of the flows in `range`, in order, from disk; a flow without any is `cancelled` with `reason`. */
export function* readLeaves(
  runDir: string,
  space: FlowSpace,
  range: { readonly from: number; readonly to: number },
  reason = 'not run',
): Generator<LeafEntry> {
  for (const index of indexes(range.from, range.to)) {
    const flow = space.at(index);
    const entries = readLeafEntries(join(runDir, flow.id));
    if (entries.length === 0) yield unstartedEntry(flow.id, { ...flow.keys }, reason);
    else yield* entries;
  }
}

export interface ResultsHeader {
  readonly run_id: string;
  readonly shard: Shard;
  readonly flows_total: number;
}

/**
 * Writes results.json from leaf entries given in sorted order, streaming: the entries go to a
 * temporary file while they are counted, then header and entries are joined, then renamed into
 * place, so a reader never sees a partial file and a million leaves never sit in memory.
 */
export async function writeResults(path: string, header: ResultsHeader, leaves: Iterable<LeafEntry>): Promise<Totals> {
  const counter = new TotalsCounter();
  // created afresh (O_EXCL | O_NOFOLLOW) in a directory checked with lstat: a link planted at one
  // of these names is removed, not written through
  const tree = new SafeTree(dirname(path));
  const body = `${path}.${process.pid}.flows.tmp`;
  const fd = tree.create(body);
  let first = true;
  try {
    for (const leaf of leaves) {
      counter.add(leaf);
      const text = JSON.stringify(leaf, null, 2).replace(/\n/g, '\n    ');
      writeSync(fd, `${first ? '' : ',\n'}    ${text}`);
      first = false;
    }
  } finally {
    closeSync(fd);
  }
  const totals = counter.totals(header.flows_total);
  const head = JSON.stringify({ schema: 1, run_id: header.run_id, shard: header.shard, ...totals, flows: [] }, null, 2);
  const [before] = head.split('"flows": []');
  const temporary = `${path}.${process.pid}.tmp`;
  // the entries are copied through one buffer: piping streams leaves each chunk read as garbage for
  // the collector, which for 100,000 leaves was 60 MB of the run's peak memory
  const out = tree.create(temporary);
  try {
    writeSync(out, `${before}"flows": [${first ? '' : '\n'}`);
    const input = openSync(body, 'r');
    try {
      const buffer = Buffer.allocUnsafe(COPY_BUFFER);
      for (let n; (n = readSync(input, buffer, 0, COPY_BUFFER, null)) > 0;) writeSync(out, buffer, 0, n);
    } finally {
      closeSync(input);
    }
    writeSync(out, `${first ? '' : '\n  '}]\n}\n`);
  } finally {
    closeSync(out);
  }
  try {
    tree.rename(temporary, path);
  } finally {
    rmSync(body, { force: true });
  }
  return totals;
}

/**
 * `leaves` (sorted, as readLeaves gives them) with the entries that could not be written to disk
 * put in: each replaces what disk holds for its leaf, or the "not run" stand-in of its flow.
 */
export function* withUnwritten(leaves: Iterable<LeafEntry>, unwritten: ReadonlyMap<string, readonly LeafEntry[]>): Generator<LeafEntry> {
  if (unwritten.size === 0) return yield* leaves;
  let flow: string | undefined;
  let group: LeafEntry[] = [];
  const flush = function* (): Generator<LeafEntry> {
    const kept = flow === undefined ? undefined : unwritten.get(flow);
    if (kept === undefined) yield* group;
    else {
      const onDisk = group.filter((e) => e.steps.length > 0 && !kept.some((k) => compareLeaves(k, e) === 0));
      yield* [...onDisk, ...kept].sort(compareLeaves);
    }
    group = [];
  };
  for (const leaf of leaves) {
    if (leaf.id !== flow) {
      yield* flush();
      flow = leaf.id;
    }
    group.push(leaf);
  }
  yield* flush();
}
