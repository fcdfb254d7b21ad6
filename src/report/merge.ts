import { existsSync, lstatSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { flowId, range } from '../flows/flows.js';
import { shardRange } from '../flows/shards.js';
import { OpenDir } from '../util/open-dir.js';
import { unstartedFlows } from '../results/results.js';
import { openResultsFile, readResultsItems, sameTotals, type ResultsFile } from '../results/results-file.js';
import { mergedSource, mergedSourceItems, readRecord } from './merged-source.js';
import { leavesAcross, withUnwritten } from '../results/store.js';
import { leavesOnlyInLines } from '../results/lines.js';
import type { ResultItem } from '../model/results.js';
import { DataError } from '../results/fields.js';
import { type RunRecord } from '../results/validate.js';

export type { RunRecord } from '../results/validate.js';

/** The shards of one run, found in one or more directories, seen as one run. */
export interface MergedRun {
  readonly runId: string;
  readonly total: number;
  readonly shardCount: number;
  /** 1-based indexes of shards that left no record: their job crashed or uploaded nothing. */
  readonly missingShards: readonly number[];
  readonly runDirs: readonly string[];
  readonly shardRecords: readonly RunRecord[];
  /** The run directory each record was found in. */
  readonly shardRecordDirs: readonly string[];
  readonly durationMs: number | undefined;
  /** Problems worth showing, e.g. shards that ran different configs. */
  readonly notes: readonly string[];
}

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Run directories (holding run.json) at or below each directory, up to a few levels down: each
 * directory as named, those below it walked through the safe-file layer (OpenDir), never through
 * a link.
 */
export function findRunDirs(dirs: readonly string[], depth = 4): string[] {
  const found: string[] = [];
  const visit = (dir: OpenDir, left: number): void => {
    try {
      if (existsSync(dir.entry('run.json'))) {
        found.push(dir.path);
        return;
      }
      if (left === 0) return;
      for (const entry of dir.entries()) {
        if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && !/^flow_\d+$/.test(entry.name)) {
          const below = dir.dir(entry.name);
          if (below !== undefined) visit(below, left - 1);
        }
      }
    } finally {
      dir.close();
    }
  };
  for (const path of dirs) {
    const dir = isDir(path) ? OpenDir.under(path) : undefined;
    if (dir === undefined) throw new UsageError(`${path}: ${existsSync(path) ? 'not a directory' : 'does not exist'}`);
    visit(dir, depth);
  }
  return found;
}

/** Reads the records of every shard under `dirs`; there must be exactly one run there. */
export function loadMergedRun(dirs: readonly string[]): MergedRun {
  const runDirs = findRunDirs(dirs);
  if (runDirs.length === 0)
    throw new UsageError(`no run found under ${dirs.join(', ')}: expected a directory holding run.json (e.g. generated/run_...)`);
  const shardRecords: RunRecord[] = [];
  const shardRecordDirs: string[] = [];
  for (const dir of runDirs) {
    const found = readShardRecords(dir);
    if (found.length === 0) found.push(readRecord(join(dir, 'run.json')));
    shardRecords.push(...found);
    shardRecordDirs.push(...found.map(() => dir));
  }
  const runIds = [...new Set(shardRecords.map((r) => r.run_id))];
  if (runIds.length !== 1) {
    throw new UsageError(
      runIds.length === 0
        ? `no readable run.json under ${dirs.join(', ')}`
        : `more than one run found (${runIds.join(', ')}): report one run at a time, by its directory (e.g. orchestrator report ${shardRecordDirs[shardRecords.findIndex((r) => r.run_id === runIds.at(-1))]})`,
    );
  }
  const counts = [...new Set(shardRecords.map((r) => r.shard.count))];
  const totals = [...new Set(shardRecords.map((r) => r.flows.total))];
  if (counts.length !== 1 || totals.length !== 1) {
    throw new UsageError(
      `the shards of ${runIds[0]} disagree on the number of shards (${counts.join(', ')}) or flows (${totals.join(', ')})`,
    );
  }
  const shardCount = counts[0]!;
  const present = new Set(shardRecords.map((r) => r.shard.index));
  const missingShards = [...range(1, shardCount + 1)].filter((i) => !present.has(i));
  checkSameDefinition(runIds[0]!, shardRecords);
  const notes: string[] = [];
  const starts = shardRecords.map((r) => Date.parse(r.started_at)).filter(Number.isFinite);
  const ends = shardRecords.map((r) => (r.ended_at ? Date.parse(r.ended_at) : NaN)).filter(Number.isFinite);
  const durationMs = starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : undefined;
  return { runId: runIds[0]!, total: totals[0]!, shardCount, missingShards, runDirs, shardRecords, shardRecordDirs, durationMs, notes };
}

/** The records in the run directory's shards/ (a link there is not followed). */
function readShardRecords(dir: string): RunRecord[] {
  const shards = OpenDir.under(dir, 'shards');
  if (shards === undefined) return [];
  try {
    const names = shards.entries().filter((entry) => SHARD_RECORD.test(entry.name));
    return names.map(({ name }) => readRecord(join(dir, 'shards', name), shards.entry(name)));
  } finally {
    shards.close();
  }
}

export const SHARD_RECORD = /^\d+-of-\d+\.json$/;

/**
 * Shards that ran different configs or key lists cannot be merged: flow ids are positions, so the
 * same id would name different flows. Names each config and the shards that ran it.
 */
function checkSameDefinition(runId: string, records: readonly RunRecord[]): void {
  const groups = new Map<string, RunRecord[]>();
  for (const record of records) {
    const key = `${record.config.hash}/${record.keys_hash}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  if (groups.size <= 1) return;
  const described = [...groups.values()].map((group) => {
    const first = group[0]!;
    const shards = group.map((r) => `${r.shard.index}/${r.shard.count}`).join(', ');
    return `shard${group.length > 1 ? 's' : ''} ${shards} ran ${JSON.stringify(first.config.file)} (config hash ${first.config.hash.slice(0, 12)}, key-list hash ${first.keys_hash.slice(0, 12)})`;
  });
  throw new UsageError(
    `the shards of ${runId} ran different configs or key lists: ${described.join('; ')}. ` +
      'Flow ids are positions, so their results cannot be merged: run every shard with one config and the same key lists',
  );
}

/**
 * Where the leaves of one shard are read from: its own results.json when it is whole and agrees with
 * the shard's record (the shard ended, same run, shard and totals), else its leaves' result.json
 * files (a shard killed mid-run, or resumed and killed, wrote none or an older one). Undefined when
 * the results file is usable; else why not.
 */
function resultsProblem(dir: string, record: RunRecord): { results?: ResultsFile; why?: string } {
  const path = join(dir, RESULTS);
  try {
    if (!lstatSync(path).isFile()) return { why: `${RESULTS} is not a regular file` };
  } catch {
    return { why: `it has no ${RESULTS}` };
  }
  let results: ResultsFile;
  try {
    results = openResultsFile(path);
  } catch (error) {
    if (error instanceof DataError) return { why: error.message };
    return { why: `${path}: ${errorMessage(error)}` };
  }
  const { header } = results;
  const shard = `${record.shard.index}/${record.shard.count}`;
  if (header.run_id !== record.run_id || header.shard.index !== record.shard.index || header.shard.count !== record.shard.count)
    return { why: `${path} is not shard ${shard}'s (it says ${header.run_id}, shard ${header.shard.index}/${header.shard.count})` };
  if (!record.ended_at || !record.totals) return { why: `shard ${shard} did not end (its record has no end time or totals)` };
  if (!sameTotals(header, record.totals) || header.flows_total !== record.flows.to - record.flows.from + 1)
    return { why: `${path} does not hold the totals of shard ${shard}'s record (an earlier attempt's?)` };
  return { results };
}

const RESULTS = 'results.json';

/** One shard of the merged run, and where its leaves are read from. */
export interface ShardSource {
  readonly record: RunRecord;
  readonly dir: string;
  /** The shard's results.json, when usable. */
  readonly results: ResultsFile | undefined;
  /** Why its leaves are read from the tree instead. */
  readonly fallback: string | undefined;
}

/** The run `--baseline` names (its directory, or a folder of its shards); errors say it is the baseline. */
export function loadBaseline(dir: string): MergedRun {
  try {
    return loadMergedRun([dir]);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--baseline ${dir}: ${error.problems.join('; ')}`);
    throw error;
  }
}

/** The present shards in index order, each from the first directory holding its record, with where its leaves are read from. */
export function shardSources(run: Pick<MergedRun, 'shardRecords' | 'shardRecordDirs'>): ShardSource[] {
  const byIndex = new Map<number, ShardSource>();
  run.shardRecords.forEach((record, i) => {
    if (byIndex.has(record.shard.index)) return;
    const dir = run.shardRecordDirs[i]!;
    const { results, why } = resultsProblem(dir, record);
    byIndex.set(record.shard.index, { record, dir, results, fallback: why });
  });
  return [...byIndex.values()].sort((a, b) => a.record.shard.index - b.record.shard.index);
}

/** Each shard whose leaves are read one by one (no usable results.json of its own, and no merged one): why. */
export function slowShards(run: MergedRun): ShardSource[] {
  const found = shardSources(run);
  const own = found.some((s) => s.results !== undefined);
  if (mergedSource(run, own) !== undefined) return [];
  return found.filter((s) => s.fallback !== undefined);
}

export interface MergeOptions {
  /**
   * The directory the merged results are written to: each leaf then says where its files are
   * (`tree`, the directory of its shard relative to this one), unless they are in it.
   */
  readonly treesFrom?: string;
  /** Filled with every tree the leaves name, and the directory it is. */
  readonly trees?: Map<string, string>;
}

/** The directory holding a leaf's flow directory, relative to `from` ('' for `from` itself). */
export const treeOf = (from: string, dir: string): string => relative(from, dir).split(sep).join('/');

/**
 * Every leaf of the merged run, in order, shard by shard: from each shard's results.json (see
 * shardSources), or from its leaves on disk; flows no shard ran are never-started (cancelled), with
 * the reason. Reading a results file that turns out not to be what orchestrator wrote throws a
 * UsageError naming it and the field.
 */
export function* mergedLeaves(run: MergedRun, options: MergeOptions = {}): Generator<ResultItem> {
  const found = shardSources(run);
  // a merged output (records only, the merged results.json naming the shard folders)
  const merged = mergedSource(
    run,
    found.some((s) => s.results !== undefined),
  );
  if (merged !== undefined) {
    yield* mergedSourceItems(merged, run, options.treesFrom, treeOf, options.trees);
    return;
  }
  const sources = new Map(found.map((s) => [s.record.shard.index, s]));
  for (let index = 1; index <= run.shardCount; index++) {
    const source = sources.get(index);
    if (source === undefined) {
      const range = shardRange(run.total, { index, count: run.shardCount });
      yield* unstartedFlows(
        range.from,
        range.to,
        (i) => flowId(i, run.total),
        () => ({}),
        missingReason(index, run.shardCount),
      );
      continue;
    }
    const { record, dir } = source;
    const tree = options.treesFrom === undefined ? '' : treeOf(options.treesFrom, dir);
    if (tree !== '') options.trees?.set(tree, dir);
    const bounds = { total: run.total, from: record.flows.from - 1, to: record.flows.to };
    const items =
      source.results !== undefined
        ? readResultsItems(source.results, bounds)
        : // a killed shard: its leaves on disk, and those only its results.jsonl lists
          withUnwritten(
            leavesAcross(
              [dir],
              run.total,
              bounds,
              () => ({}),
              () => ({ reason: record.stopped ?? 'not run', until: Infinity }),
            ),
            leavesOnlyInLines(dir, record.shard),
          );
    try {
      // a tree named in a file (a step can rewrite its result.json) is not taken: only where it was found
      for (const item of items) yield tree === '' && item.tree === undefined ? item : { ...item, tree: tree === '' ? undefined : tree };
    } catch (error) {
      if (error instanceof DataError) throw new UsageError(`${error.message}. Remove that file to read the shard's leaves instead`);
      throw error;
    }
  }
}

const missingReason = (index: number, count: number): string => `shard ${index}/${count} is missing: its job left no results`;
