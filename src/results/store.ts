import { lstatSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { flowId, type FlowSpace } from '../flows/flows.js';
import { compareLeaves, unstartedEntry, unstartedFlows } from './results.js';
import { isNotStarted, type LeafAddress, type LeafEntry, type NotStarted, type ResultItem } from '../model/results.js';
import { DataError } from './fields.js';
import { parseLeafEntry, parseNotStarted } from './validate.js';
import { quietly } from '../util/dir-handles.js';
import { readRegular } from '../util/safe-read.js';

const RESULT = 'result.json';
/** Beside the branch directories of an array step: the ranges of its branches that never started. */
export const NOT_STARTED = 'not_started.json';

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

export function checkedEntry(value: unknown, file: string, id: string, branch: number[]): LeafEntry {
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
export function readLeafItems(flowDir: string, branches = true): Generator<ResultItem> {
  return visitLeaves(flowDir, basename(flowDir), [], branches);
}

/** `branches` false: a config without array steps, whose flows have one leaf each (no directory is listed). */
function* visitLeaves(dir: string, id: string, branch: number[], branches: boolean): Generator<ResultItem> {
  // a link planted in the tree (flow dir, branch dir, result.json or not_started.json) is not read through
  if (!isRealDirectory(dir)) return;
  const relative = (name: string): string => join(id, ...branch.map((b) => `branch_${b}`), name);
  const file = join(dir, RESULT);
  let value: unknown;
  let readable = true;
  try {
    // missing, a link or not a regular file (readRegular refuses the last two on the opened file),
    // or cut short by a crash: the leaf counts as missing and runs again on resume
    value = JSON.parse(quietly(() => readRegular(file)).bytes.toString('utf8'));
  } catch {
    readable = false;
  }
  if (readable) yield checkedEntry(value, relative(RESULT), id, branch);
  if (!branches) return;
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
    else yield* visitLeaves(join(dir, `branch_${child.index}`), id, [...branch, child.index], true);
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

/** Leaves known without reading the run directory (the run's own spool, engine/leaf-spool.ts): one a flow. */
export interface KnownLeaves {
  /** How many flows of the range it knows. */
  readonly count: number;
  /** Whether it knows flow `index`'s leaf. */
  has(index: number): boolean;
  /** Flow `index`'s leaf, or undefined when it knows none (the flow is read from disk). */
  entry(index: number, id: string): LeafEntry | undefined;
}

/**
 * The results of the flows in [from, to) across run directories (shards copied side by side),
 * in order: the leaves of each flow found on disk (or `known`), the flows without any as never
 * started, with the reason `reasonOf` gives for a flow index (runs of flows with one reason stay
 * together). Costs one listing per run directory plus the flows that ran, whatever the number of
 * flows; nothing at all for a flow `known` has, and no listing when it has every flow.
 */
export function* leavesAcross(
  runDirs: readonly string[],
  total: number,
  range: { readonly from: number; readonly to: number },
  keysOf: (index: number) => Record<string, string>,
  reasonOf: (index: number) => { reason: string; until: number },
  branches = true,
  known?: KnownLeaves,
): Generator<ResultItem> {
  const idOf = (index: number): string => flowId(index, total);
  const gap = function* (from: number, to: number): Generator<ResultItem> {
    for (let start = from; start < to;) {
      const { reason, until } = reasonOf(start);
      const end = Math.min(to, Math.max(until, start + 1));
      yield* unstartedFlows(start, end, idOf, keysOf, reason);
      start = end;
    }
  };
  let next = range.from;
  for (const index of presentFlows(runDirs, total, range, known)) {
    const spooled = known?.entry(index, idOf(index));
    if (spooled !== undefined) {
      yield* gap(next, index);
      yield spooled;
      next = index + 1;
      continue;
    }
    for (const dir of runDirs) {
      let found = false;
      for (const item of readLeafItems(join(dir, idOf(index)), branches)) {
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

/** The flows of the range that may have leaves, in order: those with a directory, and those `known` has (all, without a listing, when it has every one). */
function presentFlows(
  runDirs: readonly string[],
  total: number,
  range: { readonly from: number; readonly to: number },
  known: KnownLeaves | undefined,
): Iterable<number> {
  const all = range.to - range.from;
  if (known !== undefined && known.count === all) return { [Symbol.iterator]: () => countUp(range.from, range.to) };
  const present = new Set(runDirs.flatMap((dir) => flowsWithDirectories(dir, total, range.from, range.to)));
  if (known !== undefined && known.count > 0) {
    for (let index = range.from; index < range.to; index++) if (known.has(index)) present.add(index);
  }
  return [...present].sort((a, b) => a - b);
}

function* countUp(from: number, to: number): Generator<number> {
  for (let index = from; index < to; index++) yield index;
}

/**
 * Every leaf of the flows in `range`, in order, from disk; flows without any never started, for
 * `reason`. `branches` false for a config without array steps: each flow has one leaf, its own
 * result.json, and no flow directory is listed for branches (what stands there is not ours: a run
 * resumes only with the config it started with).
 */
export function readLeaves(
  runDir: string,
  space: FlowSpace,
  range: { readonly from: number; readonly to: number },
  reason = 'not run',
  branches = true,
  known?: KnownLeaves,
): Generator<ResultItem> {
  return leavesAcross(
    [runDir],
    space.total,
    range,
    (index) => ({ ...space.at(index).keys }),
    () => ({ reason, until: Infinity }),
    branches,
    known,
  );
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
