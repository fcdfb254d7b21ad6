/**
 * Files read back from disk are data: a run directory comes from an artifact anybody could have
 * uploaded, and in a run a step can rewrite another flow's files. Every field used later (paths,
 * the summary, the PR comment) is checked here, with errors naming the file and the field.
 */
import {
  STATUSES,
  type AfterResult,
  type Changes,
  type FileChange,
  type LeafEntry,
  type NotStarted,
  type OutputCut,
  type Shard,
  type StepEntry,
  type Totals,
} from '../model/results.js';
import { CHECK_TYPES, type CheckResult } from '../model/checks.js';
import { normalizeRunId, RUN_ID_RULE } from './paths.js';
import type { Usage } from '../model/usage.js';
import { Fields } from './fields.js';

const FLOW_ID = /^flow_\d{4,}$/;
/** A step directory's name: `codex_exec_<k>` or `<kk>_<name>` (see paths.ts). */
const STEP_DIR = /^(?:codex_exec_\d+|\d{2,}_[A-Za-z0-9._-]+)$/;

function usage(fields: Fields): Usage {
  const read: Usage = { input_tokens: fields.count('input_tokens'), output_tokens: fields.count('output_tokens') };
  // both absent in records written before costs were
  if (fields.has('cached_input_tokens')) read.cached_input_tokens = fields.count('cached_input_tokens');
  if (fields.raw('cost_usd') === null) read.cost_usd = null;
  else if (fields.has('cost_usd')) read.cost_usd = fields.count('cost_usd');
  return read;
}

/** `path` is the leaf's own directory or an ancestor's, followed by a step directory. */
function stepDir(fields: Fields, field: string, id: string, branch: readonly number[]): string {
  const dir = fields.string(field);
  const parts = dir.split('/');
  const last = parts.pop()!;
  const chain = parts.slice(1);
  const ok =
    parts[0] === id && STEP_DIR.test(last) && chain.length <= branch.length && chain.every((part, i) => part === `branch_${branch[i]}`);
  if (!ok) fields.fail(field, `a step directory of this leaf (e.g. "${id}/01_draft")`);
  return dir;
}

function step(fields: Fields, id: string, branch: readonly number[]): StepEntry {
  return stepEntry(fields, () => stepDir(fields, 'dir', id, branch));
}

/** A step of a leaf or of the after steps; `dir` checks where its directory may be. */
function stepEntry(fields: Fields, dir: () => string): StepEntry {
  return {
    ...fields.all(),
    name: fields.string('name'),
    type: fields.string('type'),
    status: fields.oneOf('status', STATUSES),
    duration_ms: fields.count('duration_ms'),
    usage: fields.raw('usage') === null ? null : usage(fields.object('usage')),
    dir: dir(),
    ...cached(fields),
    ...(fields.has('batch') ? { batch: fields.string('batch', /^[A-Za-z0-9_-]{1,200}$/, 'a batch id') } : {}),
    ...(fields.has('checks') ? { checks: checkResults(fields) } : {}),
  };
}

/** A step's checks as a leaf recorded them: name, type, passed, reason (and a skipped mark). */
function checkResults(fields: Fields): CheckResult[] {
  const list = fields.array('checks');
  return list.values.map((_, i) => {
    const f = list.fields(i);
    const flag = (field: string): boolean => {
      const value = f.raw(field);
      return typeof value === 'boolean' ? value : f.fail(field, 'true or false');
    };
    if (f.has('skipped') && f.raw('skipped') !== true) f.fail('skipped', 'true (it is left out for a check that ran)');
    return {
      name: f.string('name'),
      type: f.oneOf('type', CHECK_TYPES),
      passed: flag('passed'),
      reason: f.string('reason'),
      ...(f.has('skipped') ? { skipped: true as const } : {}),
    };
  });
}

/** A cached step's mark and what it saved; a step without them leaves both out. */
function cached(fields: Fields): Pick<StepEntry, 'cached' | 'saved'> {
  if (!fields.has('cached') && !fields.has('saved')) return {};
  if (fields.raw('cached') !== true) fields.fail('cached', 'true (it is left out for a step that was not cached)');
  return { cached: true, saved: usage(fields.object('saved')) };
}

function changes(fields: Fields, id: string, branch: readonly number[]): Changes {
  const list = fields.array('files');
  const files: FileChange[] = list.values.map((_, i) => {
    const f = list.fields(i);
    return {
      path: f.string('path'),
      ...(f.has('old_path') ? { old_path: f.string('old_path') } : {}),
      status: f.oneOf('status', ['added', 'deleted', 'modified', 'renamed', 'copied'] as const),
      binary: f.raw('binary') === true,
      added: f.count('added', true),
      removed: f.count('removed', true),
    };
  });
  const patch = fields.string('patch');
  if (!/\/changes\.patch$/.test(patch)) fields.fail('patch', 'the path of a changes.patch');
  stepDir(Fields.of(fields.file, { dir: patch.replace(/\/changes\.patch$/, '') }, 'changes'), 'dir', id, branch);
  return { patch, files, added: fields.count('added', true), removed: fields.count('removed', true) };
}

/**
 * A leaf's `result.json`, checked against where it was found: its `id` must be the flow directory's
 * and its `branch` the branch directories' path, so one leaf cannot pass for another.
 */
export function parseLeafEntry(value: unknown, file: string, expected: { id: string; branch: readonly number[] }): LeafEntry {
  const fields = Fields.of(file, value);
  const id = fields.string('id', FLOW_ID, 'a flow id (flow_ and 4 or more digits)');
  if (id !== expected.id) fields.fail('id', `"${expected.id}", the directory it is in`);
  const branchList = fields.array('branch');
  const branch = branchList.values.map((v) => v as number);
  if (!branch.every((n) => Number.isSafeInteger(n) && n >= 1) || branch.join('.') !== expected.branch.join('.'))
    fields.fail('branch', `[${expected.branch.join(', ')}], the branch directories it is in`);
  const steps = fields.array('steps');
  // fields this version does not know are kept as they are (data, never rendered): a newer
  // orchestrator's results stay whole
  const entry: LeafEntry = {
    ...fields.all(),
    id,
    branch,
    keys: fields.strings('keys'),
    status: fields.oneOf('status', STATUSES),
    output: fields.nullableString('output'),
    final_message: fields.nullableString('final_message'),
    error: fields.nullableString('error'),
    duration_ms: fields.count('duration_ms'),
    usage: usage(fields.object('usage')),
    steps: steps.values.map((_, i) => step(steps.fields(i), id, branch)),
    ...(fields.has('changes') ? { changes: fields.raw('changes') === null ? null : changes(fields.object('changes'), id, branch) } : {}),
  };
  if (entry.final_message !== null) {
    const f = Fields.of(file, { final_message: entry.final_message.replace(/\/[^/]*$/, '') });
    stepDir(f, 'final_message', id, branch);
  }
  if (fields.has('output_cut')) return { ...entry, output_cut: outputCut(fields.object('output_cut'), entry, id, branch) };
  return entry;
}

/** `output_cut`: at least as many characters as the output kept, and the output file of one of this leaf's step directories. */
function outputCut(fields: Fields, entry: LeafEntry, id: string, branch: readonly number[]): OutputCut {
  const chars = fields.count('chars', true, (entry.output ?? '').length);
  const file = fields.string('file', /\/(?:output|final_message)\.txt$/, 'the path of an output.txt or final_message.txt');
  stepDir(Fields.of(fields.file, { file: file.replace(/\/[^/]*$/, '') }, 'output_cut'), 'file', id, branch);
  return { chars, file };
}

/**
 * The ranges of a `not_started.json`, checked against where it was found: branches of the array
 * step whose branch directories sit beside it (`parent` is that directory's branch path).
 */
export function parseNotStarted(value: unknown, file: string, expected: { id: string; parent: readonly number[] }): NotStarted[] {
  const ranges = Fields.of(file, value).array('ranges');
  return ranges.values.map((_, i) => {
    const fields = ranges.fields(i);
    const end = (field: 'from' | 'to'): number => {
      const at = fields.object(field);
      if (at.string('id') !== expected.id) at.fail('id', `"${expected.id}", the directory it is in`);
      const branch = at.array('branch').values;
      const last = branch[branch.length - 1];
      if (
        branch.length !== expected.parent.length + 1 ||
        expected.parent.some((n, k) => branch[k] !== n) ||
        !(typeof last === 'number' && Number.isSafeInteger(last) && last >= 1)
      )
        at.fail('branch', `[${[...expected.parent, 'N'].join(', ')}], a branch beside the file`);
      return last as number;
    };
    const first = end('from');
    const last = end('to');
    const count = fields.count('count', true, 1);
    if (count !== last - first + 1) fields.fail('count', `${last - first + 1}, the branches from "from" to "to"`);
    const steps = fields.array('steps');
    return {
      from: { id: expected.id, branch: [...expected.parent, first] },
      to: { id: expected.id, branch: [...expected.parent, last] },
      count,
      reason: fields.string('reason'),
      steps: steps.values.map((_, k) => step(steps.fields(k), expected.id, expected.parent)),
    };
  });
}

/** An after step's directory: `after/<step directory>`. */
const AFTER_STEP_DIR = new RegExp(`^after/${STEP_DIR.source.slice(1, -1)}$`);

/** An after step: checked as a leaf's step (its cached mark and batch id too), its directory under after/. */
function afterStep(fields: Fields): StepEntry {
  return stepEntry(fields, () => fields.string('dir', AFTER_STEP_DIR, 'a step directory under after/ (e.g. "after/01_overview")'));
}

/**
 * results.json's `after` (null or absent: the run has no after steps, or it is one shard of several).
 * Its step directories must be under `after/`, so a tampered file cannot point a report elsewhere.
 */
export function parseAfterResult(value: unknown, file: string): AfterResult | null {
  if (value === null || value === undefined) return null;
  const fields = Fields.of(file, value, 'after');
  const steps = fields.array('steps');
  return {
    status: fields.oneOf('status', STATUSES),
    output: fields.nullableString('output'),
    error: fields.nullableString('error'),
    usage: usage(fields.object('usage')),
    steps: steps.values.map((_, i) => afterStep(steps.fields(i))),
  };
}

/** What a shard wrote in run.json and shards/<I>-of-<N>.json. */
export interface RunRecord {
  readonly run_id: string;
  readonly shard: { readonly index: number; readonly count: number };
  readonly flows: { readonly total: number; readonly from: number; readonly to: number };
  /** `full_hash`: of everything the config runs (after steps, prices); absent in records of earlier versions. */
  readonly config: { readonly file: string; readonly hash: string; readonly full_hash?: string };
  readonly keys_hash: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  /** Why the shard stopped early ("interrupted", "token budget reached"), or null. */
  readonly stopped?: string | null;
  /** The shard's totals once it ended (null while it runs, or when it was killed). */
  readonly totals?: Totals | null;
}

/** `run_id` (under the rule of `--run-id`) and `shard` of a run record or a results header. */
function runAndShard(fields: Fields): { runId: string; index: number; count: number } {
  const runId = fields.string('run_id');
  if (normalizeRunId(runId) !== runId) fields.fail('run_id', `a run id starting with run_ (${RUN_ID_RULE})`);
  const shard = fields.object('shard');
  const index = shard.count('index', true, 1);
  const count = shard.count('count', true, 1);
  if (index > count) shard.fail('index', `at most shard.count (${count})`);
  return { runId, index, count };
}

/** A shard's record (run.json, shards/I-of-N.json): the run id under the rule of `--run-id`. */
export function parseRunRecord(value: unknown, file: string): RunRecord {
  const fields = Fields.of(file, value);
  const { runId, index, count } = runAndShard(fields);
  const flows = fields.object('flows');
  const config = fields.object('config');
  return {
    run_id: runId,
    shard: { index, count },
    flows: { total: flows.count('total', true), from: flows.count('from', true), to: flows.count('to', true) },
    config: {
      file: config.string('file'),
      hash: config.string('hash'),
      ...(config.has('full_hash') ? { full_hash: config.string('full_hash', /^[0-9a-f]{64}$/, 'a sha256 (64 hex digits)') } : {}),
    },
    keys_hash: fields.string('keys_hash'),
    started_at: fields.string('started_at'),
    ended_at: fields.nullableString('ended_at'),
    ...(fields.has('stopped') ? { stopped: fields.nullableString('stopped') } : {}),
    ...(fields.has('totals') ? { totals: fields.raw('totals') === null ? null : totals(fields.object('totals')) } : {}),
  };
}

function totals(fields: Fields): Totals {
  return {
    flows_total: fields.count('flows_total', true),
    total: fields.count('total', true),
    succeeded: fields.count('succeeded', true),
    failed: fields.count('failed', true),
    cancelled: fields.count('cancelled', true),
    usage: usage(fields.object('usage')),
  };
}

/** The fields of results.json around its lists (`flows`, `not_started`): run, shard, totals; others are kept as they are. */
export interface ResultsHeaderFields extends Totals {
  readonly run_id: string;
  readonly shard: Shard;
  readonly [field: string]: unknown;
}

export function parseResultsHeader(value: unknown, file: string): ResultsHeaderFields {
  const fields = Fields.of(file, value);
  const { runId, index, count } = runAndShard(fields);
  return { ...fields.all(), run_id: runId, shard: { index, count }, ...totals(fields) };
}

/** A leaf's address in results.json: a flow id and a path of element indexes. */
function address(fields: Fields): { id: string; branch: number[] } {
  const id = fields.string('id', FLOW_ID, 'a flow id (flow_ and 4 or more digits)');
  const branch = fields.array('branch').values;
  if (!branch.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1))
    fields.fail('branch', 'a list of element indexes (whole numbers of 1 or more)');
  return { id, branch: branch as number[] };
}

/**
 * One range of results.json's `not_started`: flows `from`..`to` (branch [] both, no steps), or
 * branches of one array step (one flow, one parent branch path, steps of that parent).
 */
export function parseResultsRange(value: unknown, file: string): NotStarted {
  const fields = Fields.of(file, value);
  const from = address(fields.object('from'));
  const to = address(fields.object('to'));
  const count = fields.count('count', true, 1);
  const steps = fields.array('steps');
  const reason = fields.string('reason');
  if (from.branch.length === 0) {
    if (to.branch.length !== 0 || to.id.length !== from.id.length) fields.fail('to', 'a flow id as long as "from"\'s, with branch []');
    const span = Number(to.id.slice(5)) - Number(from.id.slice(5)) + 1;
    if (count !== span) fields.fail('count', `${span}, the flows from "from" to "to"`);
    if (steps.values.length > 0) fields.fail('steps', 'empty for a range of flows');
    return { from, to, count, reason, steps: [] };
  }
  const parent = from.branch.slice(0, -1);
  if (to.id !== from.id || to.branch.length !== from.branch.length || parent.some((n, k) => to.branch[k] !== n))
    fields.fail('to', `a branch of the same array step as "from" (${from.id} [${from.branch.join('.')}])`);
  const span = to.branch.at(-1)! - from.branch.at(-1)! + 1;
  if (count !== span) fields.fail('count', `${span}, the branches from "from" to "to"`);
  return { from, to, count, reason, steps: steps.values.map((_, k) => step(steps.fields(k), from.id, parent)) };
}
