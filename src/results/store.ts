import { closeSync, lstatSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { flowId, type FlowSpace } from '../flows/flows.js';
import { TotalsCounter, compareLeaves, unstartedEntry, unstartedFlows } from './results.js';
import {
  isNotStarted,
  type AfterResult,
  type LeafAddress,
  type LeafEntry,
  type NotStarted,
  type ResultItem,
  type Shard,
  type Totals,
} from '../model/results.js';
import { DataError } from './fields.js';
import { parseLeafEntry, parseNotStarted } from './validate.js';
import { readRegular } from '../util/safe-read.js';
import { SafeTree } from '../util/safe-tree.js';

const RESULT = 'result.json';
/** Beside the branch directories of an array step: the ranges of its branches that never started. */
export const NOT_STARTED = 'not_started.json';
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
  return [...readLeafItems(flowDir)].filter((item): item is LeafEntry => !isNotStarted(item));
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

/**
 * What one flow directory holds for the results, in order: its leaves' `result.json` entries
 * (checked, as readLeafEntries says) and the ranges of branches that never started
 * (`not_started.json` beside the branches of an array step). Lazy, one directory at a time, so a
 * consumer can pause between the leaves of a huge fan-out.
 */
export function readLeafItems(flowDir: string): Generator<ResultItem> {
  return visitLeaves(flowDir, basename(flowDir), []);
}

function* visitLeaves(dir: string, id: string, branch: number[]): Generator<ResultItem> {
  // a link planted in the tree (flow dir, branch dir, result.json or not_started.json) is not read through
  if (!isRealDirectory(dir)) return;
  const relative = (name: string): string => join(id, ...branch.map((b) => `branch_${b}`), name);
  const file = join(dir, RESULT);
  if (isRegularFile(file)) {
    let value: unknown;
    let readable = true;
    try {
      value = JSON.parse(readRegular(file).bytes.toString('utf8'));
    } catch {
      // a result.json cut short by a crash: the leaf counts as missing and runs again on resume
      readable = false;
    }
    if (readable) yield checkedEntry(value, relative(RESULT), id, branch);
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  // below this directory: branch directories and never-started ranges, by element index
  const children: Array<{ index: number; range?: NotStarted }> = [];
  for (const name of names) {
    const match = /^branch_([1-9]\d*)$/.exec(name);
    if (match && branch.length < MAX_DEPTH) children.push({ index: Number(match[1]) });
  }
  if (names.includes(NOT_STARTED) && isRegularFile(join(dir, NOT_STARTED))) {
    for (const range of readNotStarted(join(dir, NOT_STARTED), relative(NOT_STARTED), id, branch))
      children.push({ index: range.from.branch.at(-1)!, range });
  }
  children.sort((a, b) => a.index - b.index);
  for (const child of children) {
    if (child.range !== undefined) yield child.range;
    else yield* visitLeaves(join(dir, `branch_${child.index}`), id, [...branch, child.index]);
  }
}

/** A not_started.json that is cut short or not what orchestrator writes is left out: those branches count as missing and run again on resume. */
function readNotStarted(path: string, file: string, id: string, parent: number[]): NotStarted[] {
  try {
    return parseNotStarted(JSON.parse(readRegular(path).bytes.toString('utf8')), file, { id, parent });
  } catch {
    return [];
  }
}

/** Indexes (sorted) of the flows in [from, to) that have a directory in the run directory: one listing, not a look-up per flow. */
function flowsWithDirectories(runDir: string, total: number, from: number, to: number): number[] {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const name of names) {
    if (!name.startsWith('flow_')) continue;
    const index = Number(name.slice(5)) - 1;
    if (Number.isSafeInteger(index) && index >= from && index < to && flowId(index, total) === name) found.push(index);
  }
  return found.sort((a, b) => a - b);
}

/**
 * The results of the flows in [from, to) across run directories (shards copied side by side),
 * in order: the leaves of each flow found on disk, the flows without any as never started, with
 * the reason `reasonOf` gives for a flow index (runs of flows with one reason stay together).
 * Costs one listing per run directory plus the flows that ran, whatever the number of flows.
 */
export function* leavesAcross(
  runDirs: readonly string[],
  total: number,
  range: { readonly from: number; readonly to: number },
  keysOf: (index: number) => Record<string, string>,
  reasonOf: (index: number) => { reason: string; until: number },
): Generator<ResultItem> {
  const idOf = (index: number): string => flowId(index, total);
  const present = [...new Set(runDirs.flatMap((dir) => flowsWithDirectories(dir, total, range.from, range.to)))].sort((a, b) => a - b);
  const gap = function* (from: number, to: number): Generator<ResultItem> {
    for (let start = from; start < to;) {
      const { reason, until } = reasonOf(start);
      const end = Math.min(to, Math.max(until, start + 1));
      yield* unstartedFlows(start, end, idOf, keysOf, reason);
      start = end;
    }
  };
  let next = range.from;
  for (const index of present) {
    for (const dir of runDirs) {
      let found = false;
      for (const item of readLeafItems(join(dir, idOf(index)))) {
        // the flows before this one that left nothing never started
        if (!found) yield* gap(next, index);
        found = true;
        yield item;
      }
      if (!found) continue; // an empty directory (or none here): the flow never got as far as a leaf
      next = index + 1;
      break;
    }
  }
  yield* gap(next, range.to);
}

/** Every leaf of the flows in `range`, in order, from disk; flows without any never started, for `reason`. */
export function readLeaves(
  runDir: string,
  space: FlowSpace,
  range: { readonly from: number; readonly to: number },
  reason = 'not run',
): Generator<ResultItem> {
  return leavesAcross(
    [runDir],
    space.total,
    range,
    (index) => ({ ...space.at(index).keys }),
    () => ({ reason, until: Infinity }),
  );
}

export interface ResultsHeader {
  readonly run_id: string;
  readonly shard: Shard;
  readonly flows_total: number;
  /** The after steps' result; null (the default) when the config has none or this is one shard of several. */
  readonly after?: AfterResult | null;
}

/** Lets signals and timers in between long synchronous work: a second Ctrl-C must be able to end the process. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const BREATHE_EVERY = 256;

/**
 * Writes results.json from leaf entries (and ranges of never-started leaves) given in sorted order,
 * streaming: the entries go to a temporary file while they are counted, then header and entries
 * are joined, then renamed into place, so a reader never sees a partial file and a million leaves
 * never sit in memory. It gives the event loop a turn every few hundred entries, so a signal
 * handler can run (and exit) while a large run is being written.
 */
export async function writeResults(path: string, header: ResultsHeader, items: Iterable<ResultItem>): Promise<Totals> {
  const body = `${path}.${process.pid}.flows.tmp`;
  const temporary = `${path}.${process.pid}.tmp`;
  // a second signal exits mid-write: leave no temporary files behind
  const cleanUp = (): void => {
    try {
      rmSync(body, { force: true });
      rmSync(temporary, { force: true });
    } catch {
      // the directory is gone or not one (ENOTDIR): there is nothing to clean, and the write's own error tells
    }
  };
  process.once('exit', cleanUp);
  try {
    return await writeJoined(path, body, temporary, header, items);
  } finally {
    process.off('exit', cleanUp);
    cleanUp();
  }
}

async function writeJoined(
  path: string,
  body: string,
  temporary: string,
  header: ResultsHeader,
  items: Iterable<ResultItem>,
): Promise<Totals> {
  const counter = new TotalsCounter();
  const notStarted: NotStarted[] = [];
  // created afresh (O_EXCL | O_NOFOLLOW) in a directory checked with lstat: a link planted at one
  // of these names is refused, not written through
  const tree = new SafeTree(dirname(path));
  const fd = tree.create(body);
  let first = true;
  let count = 0;
  const maxOutput = resultsOutputChars();
  try {
    for (const item of items) {
      if (++count % BREATHE_EVERY === 0) await breathe();
      counter.add(item);
      if (isNotStarted(item)) {
        notStarted.push(item);
        continue;
      }
      const text = JSON.stringify(cutOutput(item, maxOutput), null, 2).replace(/\n/g, '\n    ');
      writeSync(fd, `${first ? '' : ',\n'}    ${text}`);
      first = false;
    }
  } finally {
    closeSync(fd);
  }
  const totals = counter.totals(header.flows_total);
  const head = JSON.stringify(
    { schema: 1, run_id: header.run_id, shard: header.shard, ...totals, after: header.after ?? null, flows: [] },
    null,
    2,
  );
  const [before] = head.split('"flows": []');
  const ranges = notStarted.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  // the entries are copied through one buffer: piping streams leaves each chunk read as garbage for
  // the collector, which for 100,000 leaves was 60 MB of the run's peak memory
  const out = tree.create(temporary);
  try {
    writeSync(out, `${before}"flows": [${first ? '' : '\n'}`);
    const input = openSync(body, 'r');
    try {
      const buffer = Buffer.allocUnsafe(COPY_BUFFER);
      for (let n; (n = readSync(input, buffer, 0, COPY_BUFFER, null)) > 0;) {
        writeSync(out, buffer, 0, n);
        await breathe();
      }
    } finally {
      closeSync(input);
    }
    writeSync(out, `${first ? '' : '\n  '}],\n  "not_started": [${ranges ? `\n${ranges}\n  ` : ''}]\n}\n`);
  } finally {
    closeSync(out);
  }
  tree.rename(temporary, path);
  return totals;
}

/**
 * The most characters of one leaf's output results.json holds: a longer one is cut there, with
 * `output_cut` saying how long it is and which file holds it whole (ORCHESTRATOR_RESULTS_OUTPUT_CHARS
 * changes it, for tests). The summary shows a first line and the comment a few thousand characters.
 */
export const resultsOutputChars = (): number => {
  const set = Number(process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS);
  return Number.isSafeInteger(set) && set > 0 ? set : 8192;
};

/** `entry` as results.json holds it: its output cut to resultsOutputChars(), with a pointer to its file. */
export function cutOutput(entry: LeafEntry, max = resultsOutputChars()): LeafEntry {
  if (entry.output === null || entry.output.length <= max || entry.output_cut !== undefined) return entry;
  // the output is the last step's that succeeded (an array step's, for one of its elements)
  const last = [...entry.steps].reverse().find((s) => s.status === 'succeeded');
  if (last === undefined) return entry;
  const file = `${last.dir}/${/(^|\/)codex_exec_\d+$/.test(last.dir) ? 'final_message.txt' : 'output.txt'}`;
  // not half a surrogate pair
  const end = /[\ud800-\udbff]/.test(entry.output.charAt(max - 1)) ? max - 1 : max;
  return { ...entry, output: entry.output.slice(0, end), output_cut: { chars: entry.output.length, file } };
}

/**
 * `items` (sorted, as readLeaves gives them) with the entries that could not be written to disk
 * put in: each replaces what disk holds for its leaf, or the "not run" stand-in of its flow (also
 * when that flow lies inside a range of never-started flows, which is then cut around it).
 */
export function* withUnwritten(items: Iterable<ResultItem>, unwritten: ReadonlyMap<string, readonly LeafEntry[]>): Generator<ResultItem> {
  if (unwritten.size === 0) {
    yield* items;
    return;
  }
  const ids = [...unwritten.keys()].sort();
  const at = (item: ResultItem): LeafAddress => (isNotStarted(item) ? item.from : item);
  let flow: string | undefined;
  let group: ResultItem[] = [];
  const flush = function* (): Generator<ResultItem> {
    const kept = flow === undefined ? undefined : unwritten.get(flow);
    if (kept === undefined) yield* group;
    else {
      const onDisk = group.filter((e) => isNotStarted(e) || (e.steps.length > 0 && !kept.some((k) => compareLeaves(k, e) === 0)));
      yield* [...onDisk, ...kept].sort((a, b) => compareLeaves(at(a), at(b)));
    }
    group = [];
  };
  for (const item of items) {
    if (isNotStarted(item) && item.from.branch.length === 0) {
      const inside = ids.filter((id) => id >= item.from.id && id <= item.to.id);
      if (inside.length > 0) {
        yield* flush();
        flow = undefined;
        yield* cutAround(item, inside, unwritten);
        continue;
      }
    }
    const id = at(item).id;
    if (id !== flow) {
      yield* flush();
      flow = id;
    }
    group.push(item);
  }
  yield* flush();
}

/** A range of never-started flows with the flows `inside` it taken out, their kept entries in their place. */
function* cutAround(
  range: NotStarted,
  inside: readonly string[],
  unwritten: ReadonlyMap<string, readonly LeafEntry[]>,
): Generator<ResultItem> {
  const width = range.from.id.length - 'flow_'.length;
  const idOf = (index: number): string => `flow_${String(index + 1).padStart(width, '0')}`;
  const indexOf = (id: string): number => Number(id.slice('flow_'.length)) - 1;
  const piece = (from: number, to: number): NotStarted => ({
    ...range,
    from: { id: idOf(from), branch: [] },
    to: { id: idOf(to), branch: [] },
    count: to - from + 1,
  });
  let next = indexOf(range.from.id);
  for (const id of inside) {
    const index = indexOf(id);
    if (index > next) yield piece(next, index - 1);
    yield* [...unwritten.get(id)!].sort(compareLeaves);
    next = index + 1;
  }
  const last = indexOf(range.to.id);
  if (next <= last) yield piece(next, last);
}
