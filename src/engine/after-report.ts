import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig } from '../config/parse.js';
import type { Api, Config, Sandbox } from '../config/types.js';
import { UsageError, errorMessage } from '../errors.js';
import { withOverrides } from '../model/cost.js';
import type { MergedRun } from '../report/merge.js';
import { CONFIG_COPY, shardRecordPath } from '../results/paths.js';
import { wholeOutput } from '../report/html-file.js';
import type { AfterResult, ResultItem } from '../model/results.js';
import type { RunRecord } from '../results/validate.js';
import { NO_USAGE } from '../model/usage.js';
import { makeRunners } from '../steps/factory.js';
import { endRunCgroup } from '../steps/cgroup.js';
import { killTagged } from '../steps/sweep.js';
import { WorktreeSession } from '../steps/worktree-session.js';
import { TreeWriter } from '../util/files.js';
import { inputFileMessage, tryReadInputFile } from '../util/input-file.js';
import { redactorFor } from '../util/redact.js';
import { readTreeFile } from '../util/safe-tree.js';
import { afterNotRun, runAfter, type AfterOptions } from './after.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_S } from './options.js';
import { findExecutable } from './run-checks.js';
import { loadAfterSources } from './step-sources.js';
import { isObject } from '../util/is-object.js';

/**
 * What the `report` invocation (CLI flags, Action inputs) says for the after steps; unset fields
 * take the defaults a run has. Never read from the run's records: a shard's steps can rewrite
 * run.json, and these decide where the key goes and what may be written.
 */
export interface AfterSettings {
  readonly offline?: boolean;
  readonly timeoutS?: number;
  readonly retries?: number;
  readonly model?: string;
  readonly api?: Api;
  readonly baseUrl?: string;
  readonly workdir?: string;
  readonly tokenBudget?: number;
  readonly maxCost?: number;
  readonly sandbox?: Sandbox;
  readonly isolate?: 'none' | 'worktree';
  readonly codexPath?: string;
}

/** Where `report` runs the after steps of a merged run. */
export interface AfterReportContext {
  readonly runId: string;
  /** The merged run directory: it gets after/ (and a copy of config.json when it has none). */
  readonly runDir: string;
  /** The shards' records, and the run directory each came from (it holds the config.json copy its shard wrote). */
  readonly shards: Pick<MergedRun, 'records' | 'recordDirs'>;
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
  readonly settings: AfterSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
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
function afterConfig(context: AfterReportContext): { config: Config; text: string } | string | undefined {
  const copies = configCopies(context.shards.recordDirs);
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
  const { records, recordDirs } = context.shards;
  for (const [i, record] of records.entries()) {
    const full = record.config.full_hash;
    if (record.config.hash !== config.hash || (full !== undefined && full !== config.fullHash)) {
      return `${shown} is not the config the shards ran (its steps, after steps, setup or prices differ from the hash in ${recordFile(recordDirs[i]!, record)}): restore it, or re-run the shards with this config (--resume reuses their flows)`;
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

/**
 * `report`: runs the config's after steps once over the merged leaves (as mergedLeaves gives them
 * with `treesFrom` the merged run directory, so a cut output is read whole from its tree), writing under the merged run
 * directory's after/. Null when the config has none; a failed result (naming the problem) when they
 * cannot run. Every setting is the invocation's (`settings`, `env`); run.json supplies none.
 */
export async function runAfterForReport(context: AfterReportContext, leaves: Iterable<ResultItem>): Promise<AfterResult | null> {
  const found = afterConfig(context);
  const failed = (error: string): AfterResult => afterNotRun(error, 'failed');
  if (typeof found === 'string') return failed(`after steps not run: ${found}`);
  if (found === undefined || found.config.after.length === 0) return null;
  const { config } = found;
  const { sources, problems } = loadAfterSources(config, { base: context.baseDir, rules: { confineTo: context.confineTo } });
  if (problems.length > 0) return failed(`after steps not run: ${problems.join('; ')}`);

  const s = context.settings;
  const env = context.env;
  const options: AfterOptions & { retries: number } = {
    offline: s.offline ?? false,
    timeoutS: s.timeoutS ?? DEFAULT_TIMEOUT_S,
    retries: s.retries ?? DEFAULT_RETRIES,
    tokenBudget: s.tokenBudget,
    maxCost: s.maxCost,
    model: s.model,
    api: s.api,
    sandbox: s.sandbox,
    baseUrl: s.baseUrl,
    workdir: s.workdir ?? '.',
    isolate: s.isolate,
    env,
  };
  const apiKey = env.OPENAI_API_KEY || env.CODEX_API_KEY || undefined;
  const online = !options.offline;
  if (online && apiKey === undefined && config.after.some((s) => s.kind === 'openai')) {
    return failed('after steps not run: OPENAI_API_KEY is not set, and the after steps call a model (set it, or report with --offline)');
  }
  const workdir = resolve(context.baseDir, options.workdir);
  let codexPath: string | undefined;
  if (online && config.after.some((s) => s.kind === 'codex')) {
    codexPath = findExecutable(s.codexPath ?? 'codex', env, context.baseDir);
    if (codexPath === undefined) return failed('after steps not run: they have codex steps, and no codex is on PATH (or --codex-path)');
  }
  const files = new TreeWriter(redactorFor(env, { apiKey, baseUrl: { value: options.baseUrl, name: '--base-url' } }), context.runDir);
  // the merged tree keeps the config its after steps ran from, as a run directory does
  try {
    if (lstatSync(join(context.runDir, CONFIG_COPY), { throwIfNoEntry: false }) === undefined)
      files.write(join(context.runDir, CONFIG_COPY), found.text);
  } catch {
    // a convenience: the shards' own copies stay where they are
  }
  // no --batch here: one request, answered at once
  const runners = makeRunners({
    options: { ...options, resume: false },
    runId: context.runId,
    runDir: context.runDir,
    config: { steps: [], after: config.after },
    apiKey,
    codexPath,
  });
  const worktrees = new WorktreeSession({
    workdir,
    isolate: options.isolate,
    runId: context.runId,
    env,
    setup: config.setup,
    timeoutMs: options.timeoutS * 1000,
    signal: context.signal,
    files,
  });
  try {
    const { result } = await runAfter(
      {
        steps: config.after,
        sources,
        runDir: context.runDir,
        options,
        prices: withOverrides(config.prices),
        runners,
        files,
        worktrees,
        signal: context.signal,
        stopReason: () => (context.signal.aborted ? 'interrupted' : undefined),
        used: NO_USAGE,
        // a long output is cut in the shards' results.json: the listing gives the whole one
        outputOf: (leaf) => wholeOutput(leaf, context.runDir),
      },
      leaves,
    );
    return result;
  } finally {
    await Promise.all([worktrees.removeAll(), ...Object.values(runners).map((runner) => runner.close?.())]);
    endRunCgroup();
    killTagged();
  }
}
