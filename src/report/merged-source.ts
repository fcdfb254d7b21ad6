/**
 * A merged run read back: the `--output` of `orchestrator report` holds the merged results.json,
 * the run and shard records and no flow directory; each leaf's `tree` says which shard folder holds
 * its files. Reporting it again (or applying its patches) reads that file, and takes a tree only
 * when it leads to a run directory of the same run: a tampered file cannot point a report or
 * `apply` at any other directory.
 */
import { lstatSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { readRegular } from '../util/safe-read.js';
import { openResultsFile, readResultsItems, type ResultsFile } from '../results/results-file.js';
import type { ResultItem } from '../model/results.js';
import { DataError } from '../results/fields.js';
import { parseRunRecord, type RunRecord } from '../results/validate.js';

/** A shard's record, checked field by field: a tampered one is refused, naming the file and field. */
export function readRecord(path: string, at = path): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(readRegular(at).bytes.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not a readable JSON file (${errorMessage(error).split(at).join(path)})`);
  }
  try {
    return parseRunRecord(value, path);
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  }
}

export interface MergedSource {
  readonly dir: string;
  readonly results: ResultsFile;
}

/**
 * The merged results.json of a run whose shard records all lie in one directory (a merged
 * output): one file covering every flow (shard 1/1, all flows, same run). Undefined otherwise.
 */
export function mergedSource(
  run: { runId: string; total: number; shardCount: number; shardRecordDirs: readonly string[]; shardRecords: readonly RunRecord[] },
  hasOwnResults: boolean,
): MergedSource | undefined {
  const dirs = new Set(run.shardRecordDirs);
  if (run.shardCount === 1 || dirs.size !== 1 || hasOwnResults) return undefined;
  const dir = [...dirs][0]!;
  const path = join(dir, 'results.json');
  try {
    if (!lstatSync(path).isFile()) return undefined;
    const results = openResultsFile(path);
    const { header } = results;
    if (header.run_id !== run.runId || header.shard.count !== 1 || header.flows_total !== run.total) return undefined;
    // what the shards that ended counted must be what the merged file counts (a shard re-run since does not match)
    if (run.shardRecords.every((r) => r.totals)) {
      const sum = (k: 'succeeded' | 'failed') => run.shardRecords.reduce((n, r) => n + r.totals![k], 0);
      if (sum('succeeded') !== header.succeeded || sum('failed') !== header.failed) return undefined;
    }
    return { dir, results };
  } catch {
    return undefined;
  }
}

/**
 * The items of a merged results.json, each `tree` checked (a relative path to a directory whose
 * run.json is a record of this run with the same config) and given relative to `treesFrom`
 * (undefined: the trees are dropped); `trees` collects every tree given, with its directory.
 */
export function* mergedSourceItems(
  source: MergedSource,
  run: { runId: string; total: number; shardRecords: readonly RunRecord[] },
  treesFrom: string | undefined,
  rebase: (from: string, dir: string) => string,
  trees?: Map<string, string>,
): Generator<ResultItem> {
  const checked = new Map<string, string>();
  const config = run.shardRecords[0]?.config.hash;
  const treeDir = (tree: string, index: number): string => {
    const known = checked.get(tree);
    if (known !== undefined) return known;
    const where = `${source.results.file}: flows[${index}]: field "tree"`;
    if (tree === '' || isAbsolute(tree) || tree.includes('\\') || tree.split('/').some((part) => part === '' || part === '.'))
      throw new UsageError(`${where} must be a relative path of a shard's run directory, not ${JSON.stringify(tree.slice(0, 80))}`);
    const dir = resolve(source.dir, tree);
    let record: RunRecord;
    try {
      record = readRecord(join(dir, 'run.json'));
    } catch (error) {
      throw new UsageError(
        `${where}: ${JSON.stringify(tree)} is not a run directory (${errorMessage(error)}): the shard folders must stay where they were when the run was merged`,
      );
    }
    if (record.run_id !== run.runId || record.config.hash !== config)
      throw new UsageError(`${where}: ${JSON.stringify(tree)} holds run ${record.run_id}, not a shard of ${run.runId} (same config)`);
    checked.set(tree, dir);
    return dir;
  };
  let index = 0;
  try {
    for (const item of readResultsItems(source.results, { total: run.total, from: 0, to: run.total })) {
      if (item.tree === undefined) {
        yield item;
      } else {
        const dir = treeDir(item.tree, index);
        const tree = treesFrom === undefined ? '' : rebase(treesFrom, dir);
        if (tree !== '') trees?.set(tree, dir);
        yield { ...item, tree: tree === '' ? undefined : tree };
      }
      if (!('count' in item)) index++;
    }
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  }
}
