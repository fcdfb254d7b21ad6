import type { Step } from '../config/types.js';
import { UsageError } from '../errors.js';

/** Characters outside [A-Za-z0-9._-] in a name become `_` in paths. */
export const safeName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** Most characters of a step's name kept in its directory's name: file systems cap a name at 255 bytes. */
const MAX_NAME_IN_PATH = 64;

/**
 * `codex_exec_<k>` for codex steps, `<kk>_<name>` for others, the name cut to 64 characters; the
 * index keeps repeated (and shortened) names apart.
 */
export function stepDirName(step: Pick<Step, 'index' | 'kind' | 'label'>): string {
  if (step.kind === 'codex') return `codex_exec_${step.index}`;
  return `${String(step.index).padStart(2, '0')}_${safeName(step.label).slice(0, MAX_NAME_IN_PATH)}`;
}

export const branchDirName = (element: number): string => `branch_${element}`;

/** Relative directory of a leaf or branch inside the run directory. */
export const leafDir = (flowId: string, branch: readonly number[]): string => [flowId, ...branch.map(branchDirName)].join('/');

/** The copy of its config a run directory keeps: a record of what ran, never what `report` runs. */
export const CONFIG_COPY = 'config.json';

/** Where a shard keeps its own copy of run.json inside the run directory. */
export const shardRecordPath = (shard: { index: number; count: number }): string => `shards/${shard.index}-of-${shard.count}.json`;

const RUN_ID = /^run_[A-Za-z0-9._-]+$/;

/**
 * Longest run id, `run_` included. The id is part of directory names, worktree paths and artifact
 * names (`<artifact-name>-<run_id>-shard-I-of-N`), each with a length limit of its own.
 */
export const MAX_RUN_ID_LENGTH = 100;

/** What a run id may be, for messages: the rule `normalizeRunId` checks. */
export const RUN_ID_RULE = `use letters, digits, ".", "_" and "-" only, at most ${MAX_RUN_ID_LENGTH} characters (with the run_ prefix)`;

/** Adds the `run_` prefix when missing; returns undefined for an id unusable as a directory name (see RUN_ID_RULE). */
export function normalizeRunId(id: string): string | undefined {
  const full = id.startsWith('run_') ? id : `run_${id}`;
  return RUN_ID.test(full) && !full.includes('..') && full.length <= MAX_RUN_ID_LENGTH ? full : undefined;
}

/** The one message for an unusable run id given as `where` (`--run-id`, the input 'run-id'). */
export const runIdProblem = (where: string, id: string): string => `${where} ${JSON.stringify(id)}: ${RUN_ID_RULE}`;

/** The run id given as `where`, normalised (see `normalizeRunId`); a UsageError naming `where` when it is unusable. */
export function checkedRunId(where: string, id: string): string {
  const full = normalizeRunId(id);
  if (full === undefined) throw new UsageError(runIdProblem(where, id));
  return full;
}

/** A new run id, unique and sortable by time: `run_20261125T151328Z_3fa9`. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `run_${stamp}_${suffix}`;
}
