import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { range } from '../flows/flows.js';
import { shardRange } from '../flows/shards.js';
import { leavesAcross } from './store.js';
import type { ResultItem } from './types.js';
import { DataError, parseRunRecord, type RunRecord } from './validate.js';

export type { RunRecord } from './validate.js';

/** The shards of one run, found in one or more directories, seen as one run. */
export interface MergedRun {
  readonly runId: string;
  readonly total: number;
  readonly shardCount: number;
  /** 1-based indexes of shards that left no record: their job crashed or uploaded nothing. */
  readonly missingShards: readonly number[];
  readonly runDirs: readonly string[];
  readonly records: readonly RunRecord[];
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

/** A shard's record, checked field by field: a tampered one is refused, naming the file and field. */
function readRecord(path: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not a readable JSON file (${errorMessage(error)})`);
  }
  try {
    return parseRunRecord(value, path);
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  }
}

/** Run directories (holding run.json) at or below each directory, up to a few levels down. */
export function findRunDirs(dirs: readonly string[], depth = 4): string[] {
  const found: string[] = [];
  const visit = (dir: string, left: number): void => {
    if (existsSync(join(dir, 'run.json'))) {
      found.push(dir);
      return;
    }
    if (left === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && !/^flow_\d+$/.test(entry.name)) {
        visit(join(dir, entry.name), left - 1);
      }
    }
  };
  for (const dir of dirs) {
    if (!isDir(dir)) throw new UsageError(`${dir}: not a directory`);
    visit(dir, depth);
  }
  return found;
}

/** Reads the records of every shard under `dirs`; there must be exactly one run there. */
export function loadMergedRun(dirs: readonly string[]): MergedRun {
  const runDirs = findRunDirs(dirs);
  if (runDirs.length === 0)
    throw new UsageError(`no run found under ${dirs.join(', ')}: expected a directory holding run.json (e.g. generated/run_...)`);
  const records: RunRecord[] = [];
  for (const dir of runDirs) {
    const shardsDir = join(dir, 'shards');
    const files = isDir(shardsDir) ? readdirSync(shardsDir).filter((name) => /^\d+-of-\d+\.json$/.test(name)) : [];
    const found = files.map((name) => readRecord(join(shardsDir, name)));
    if (found.length === 0) found.push(readRecord(join(dir, 'run.json')));
    records.push(...found);
  }
  const runIds = [...new Set(records.map((r) => r.run_id))];
  if (runIds.length !== 1) {
    throw new UsageError(
      runIds.length === 0
        ? `no readable run.json under ${dirs.join(', ')}`
        : `more than one run found (${runIds.join(', ')}): report one run at a time`,
    );
  }
  const counts = [...new Set(records.map((r) => r.shard.count))];
  const totals = [...new Set(records.map((r) => r.flows.total))];
  if (counts.length !== 1 || totals.length !== 1) {
    throw new UsageError(
      `the shards of ${runIds[0]} disagree on the number of shards (${counts.join(', ')}) or flows (${totals.join(', ')})`,
    );
  }
  const shardCount = counts[0]!;
  const present = new Set(records.map((r) => r.shard.index));
  const missingShards = [...range(1, shardCount + 1)].filter((i) => !present.has(i));
  checkSameDefinition(runIds[0]!, records);
  const notes: string[] = [];
  const starts = records.map((r) => Date.parse(r.started_at)).filter(Number.isFinite);
  const ends = records.map((r) => (r.ended_at ? Date.parse(r.ended_at) : NaN)).filter(Number.isFinite);
  const durationMs = starts.length > 0 && ends.length > 0 ? Math.max(...ends) - Math.min(...starts) : undefined;
  return { runId: runIds[0]!, total: totals[0]!, shardCount, missingShards, runDirs, records, durationMs, notes };
}

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

/** Every leaf of the merged run, in order; flows no shard ran are never-started (cancelled), with the reason. */
export function mergedLeaves(run: MergedRun): Generator<ResultItem> {
  // why a flow without results has none: its shard is missing, or its shard stopped early
  const segments = [
    ...run.missingShards.map((index) => ({
      ...shardRange(run.total, { index, count: run.shardCount }),
      reason: `shard ${index}/${run.shardCount} is missing: its job left no results`,
    })),
    ...run.records.map((r) => ({ from: r.flows.from - 1, to: r.flows.to, reason: r.stopped ?? 'not run' })),
  ];
  const reasonOf = (flow: number): { reason: string; until: number } => {
    const segment = segments.find((s) => flow >= s.from && flow < s.to);
    if (segment !== undefined) return { reason: segment.reason, until: segment.to };
    return { reason: 'not run', until: Math.min(...segments.filter((s) => s.from > flow).map((s) => s.from)) };
  };
  return leavesAcross(run.runDirs, run.total, { from: 0, to: run.total }, () => ({}), reasonOf);
}

/** Copies the run directories of all shards into one, forming the tree of an unsharded run. */
export function copyMergedTree(run: MergedRun, destination: string): void {
  mkdirSync(destination, { recursive: true });
  for (const dir of run.runDirs) if (dir !== destination) cpSync(dir, destination, { recursive: true, force: true });
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
