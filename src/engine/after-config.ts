import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig } from '../config/parse.js';
import type { Config } from '../config/types.js';
import { UsageError, errorMessage } from '../errors.js';
import type { MergedRun } from '../report/merge.js';
import { CONFIG_COPY, shardRecordPath } from '../results/paths.js';
import type { RunRecord } from '../results/validate.js';
import { inputFileMessage, tryReadInputFile } from '../util/input-file.js';
import { isObject } from '../util/is-object.js';
import { readTreeFile } from '../util/safe-tree.js';

/** Where the after steps of a merged run come from: the invocation's config, checked against the shards. */
export interface AfterConfigSource {
  /** The shards' records, and the run directory each came from (it holds the config.json copy its shard wrote). */
  readonly shards: Pick<MergedRun, 'shardRecords' | 'shardRecordDirs'>;
  /**
   * The config file the after steps come from (relative to `baseDir`), as the invocation gave it:
   * the only source of what runs. Without it nothing runs, and a run whose copy lists after steps
   * is told to pass one.
   */
  readonly configFile: string | undefined;
  /** How the user passes `configFile` here, for messages: `--config FILE`, or the Action's input. */
  readonly configOption: string;
  readonly baseDir: string;
  /** Files read as input must be inside it (the Action's workspace). */
  readonly confineTo?: string;
}

/**
 * The shards' copies of the config (config.json), by path, each read once. A copy is a record a
 * step could rewrite ($ORCHESTRATOR_RUN_DIR reaches it): it is compared, never run.
 */
function configCopies(dirs: readonly string[]): Map<string, string> | string {
  const texts = new Map<string, string>();
  for (const dir of new Set(dirs)) {
    const path = join(dir, CONFIG_COPY);
    if (lstatSync(path, { throwIfNoEntry: false }) === undefined) continue;
    try {
      texts.set(path, readTreeFile(path).toString('utf8'));
    } catch (error) {
      return `${path} cannot be read (${errorMessage(error)})`;
    }
  }
  return texts;
}

/** The record file a shard's record was read from, for messages. */
function recordFile(dir: string, record: RunRecord): string {
  const own = join(dir, shardRecordPath(record.shard));
  return lstatSync(own, { throwIfNoEntry: false }) === undefined ? join(dir, 'run.json') : own;
}

/** Whether a copy's text names after steps (or cannot be read as a config at all, which is as suspect). */
function listsAfterSteps(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return Array.isArray(json) ? false : !isObject(json) || (Array.isArray(json.after) ? json.after.length > 0 : json.after !== undefined);
  } catch {
    return true;
  }
}

/**
 * The config the after steps come from, or why there is none to run; undefined when there is none
 * at all. It is the invocation's config file, which must be what every shard recorded (run.json's
 * hashes) and what every shard's copy says: a copy that disagrees is refused, naming it.
 */
export function afterConfig(context: AfterConfigSource): { config: Config; text: string } | string | undefined {
  const copies = configCopies(context.shards.shardRecordDirs);
  if (typeof copies === 'string') return copies;
  if (context.configFile === undefined) {
    for (const [path, text] of copies)
      if (listsAfterSteps(text))
        return `${path} lists after steps, and report runs after steps only from a config it is given: pass ${context.configOption} (a run directory is data the run's steps could rewrite)`;
    return undefined;
  }
  const shown = context.configFile;
  const read = tryReadInputFile(resolve(context.baseDir, shown), { confineTo: context.confineTo });
  if ('problem' in read) return inputFileMessage('the config file', shown, read.problem);
  const text = read.bytes.toString('utf8');
  let config: Config;
  try {
    config = parseConfig(text, shown);
  } catch (error) {
    return error instanceof UsageError ? error.problems.join('; ') : errorMessage(error);
  }
  const { shardRecords, shardRecordDirs } = context.shards;
  for (const [i, record] of shardRecords.entries()) {
    const full = record.config.full_hash;
    if (record.config.hash !== config.hash || (full !== undefined && full !== config.fullHash)) {
      return `${shown} is not the config the shards ran (its steps, after steps, setup or prices differ from the hash in ${recordFile(shardRecordDirs[i]!, record)}): restore it, or re-run the shards with this config (--resume reuses their flows)`;
    }
  }
  for (const [path, copy] of copies) {
    let same: boolean;
    try {
      same = parseConfig(copy, path).fullHash === config.fullHash;
    } catch {
      same = false;
    }
    if (!same)
      return `${path} is not the config you passed (${shown}): a step of the run may have rewritten it, so the run's results are suspect too; re-run the shards, or remove that copy if you know why it changed`;
  }
  return { config, text };
}
