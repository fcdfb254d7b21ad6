import { join } from 'node:path';
import { shardRecordPath } from '../results/paths.js';
import type { Totals } from '../model/results.js';
import type { TreeWriter } from '../util/files.js';
import { urlWithoutCredentials } from '../util/redact.js';
import { DEFAULT_SANDBOX } from './options.js';
import type { PreparedRun } from './prepare.js';
import type { Attempt, Attempts } from './resume.js';

/** What run.json says about this attempt beyond the prepared run. */
export interface RunRecordState {
  readonly started: Date;
  readonly ended: Date | undefined;
  readonly totals: Totals | undefined;
  /** `codex --version`, when the run calls codex. */
  readonly codexVersion: string | null;
  /** With `--resume`: the attempts run.json listed before this one. */
  readonly earlier: Attempts;
  readonly stopped: string | undefined;
  readonly peakConcurrency: number;
}

/** The record of a run (run.json): its config, keys, shard, options and each attempt. */
export function runRecord(prepared: PreparedRun, state: RunRecordState) {
  const o = prepared.options;
  const options = {
    parallel: o.parallel,
    timeout: o.timeoutS,
    workdir: o.workdir,
    append_filepath: o.appendFilepath,
    model: o.model ?? null,
    api: o.api ?? null,
    base_url: o.baseUrl === undefined ? null : urlWithoutCredentials(o.baseUrl),
    offline: o.offline,
    retries: o.retries,
    token_budget: o.tokenBudget ?? null,
    max_cost_usd: o.maxCost ?? null,
    resume: o.resume,
    isolate: o.isolate ?? 'none',
    sandbox: o.sandbox ?? DEFAULT_SANDBOX,
    batch: o.batch === undefined ? null : { timeout: o.batch.timeoutS, cancel_on_exit: o.batch.cancelOnExit },
  };
  const started = state.started.toISOString();
  const ended = state.ended?.toISOString() ?? null;
  const attempts: Attempt[] = [...state.earlier.attempts, { started_at: started, ended_at: ended, options }];
  return {
    schema: 1,
    run_id: prepared.runId,
    config: { file: o.configFile, hash: prepared.config.hash, full_hash: prepared.config.fullHash },
    keys: prepared.space.keys.map((k) => ({
      name: k.name,
      file: k.file,
      lines: k.paths.length,
      ...(k.kind === 'values' ? { values: true } : {}),
    })),
    keys_hash: prepared.keysHash,
    shard: prepared.shard,
    flows: { total: prepared.space.total, from: prepared.range.from + 1, to: prepared.range.to },
    options,
    codex_version: state.codexVersion,
    // a resumed run keeps when the first attempt started; `attempts` lists each one's options
    started_at: state.earlier.startedAt ?? started,
    ended_at: ended,
    attempts,
    totals: state.totals ?? null,
    stopped: state.stopped ?? null,
    peak_concurrency: state.peakConcurrency,
  };
}

/**
 * Writes run.json, and the shard's own copy: shards of one run share run.json when their trees are
 * merged, so each keeps its own record too and a report can tell which shards ran.
 */
export function writeRunRecord(files: TreeWriter, prepared: PreparedRun, state: RunRecordState): void {
  const record = runRecord(prepared, state);
  files.writeJson(join(prepared.runDir, 'run.json'), record);
  files.writeJson(join(prepared.runDir, shardRecordPath(prepared.shard)), record);
}
