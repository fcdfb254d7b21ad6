import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig } from '../config/parse.js';
import { APIS, MAX_TIMEOUT_S, SANDBOXES, type Api, type Config, type Sandbox } from '../config/types.js';
import { UsageError, errorMessage } from '../errors.js';
import { withOverrides } from '../results/cost.js';
import { CONFIG_COPY } from '../results/paths.js';
import { wholeOutput } from '../results/report-html.js';
import type { AfterResult, ResultItem } from '../results/types.js';
import { NO_USAGE } from '../results/usage.js';
import { makeRunners } from '../steps/factory.js';
import { endRunCgroup } from '../steps/cgroup.js';
import { killTagged } from '../steps/sweep.js';
import { WorktreeSession } from '../steps/worktree-session.js';
import { TreeWriter } from '../util/files.js';
import { inputFileMessage, tryReadInputFile } from '../util/input-file.js';
import { Redactor, secretsFromEnv, secretsFromUrl } from '../util/redact.js';
import { readTreeFile } from '../util/safe-tree.js';
import { afterNotRun, runAfter, type AfterOptions } from './after.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_S } from './options.js';
import { findExecutable } from './prepare.js';
import { loadAfterSources } from './step-sources.js';
import { isObject } from '../util/is-object.js';

/** What `report` (CLI, Action) sets for the after steps; unset fields come from the run's own run.json. */
export interface AfterOverrides {
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
  /** The shards' own run directories: each holds run.json and the config.json copy its shard ran. */
  readonly sourceDirs: readonly string[];
  /** The config hash every shard ran (run.json): the config the after steps come from must have it. */
  readonly configHash: string;
  /**
   * The config file to take the after steps from instead of the run directory's copy (relative to
   * `baseDir`): a run directory is data a step may have rewritten, a checkout is not.
   */
  readonly configFile: string | undefined;
  readonly baseDir: string;
  /** Files read as input must be inside it (the Action's workspace). */
  readonly confineTo?: string;
  readonly overrides: AfterOverrides;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
}

/** The options a run recorded in run.json, each used only when it is what orchestrator writes. */
function recordedOptions(runDirs: readonly string[]): Partial<AfterOverrides> {
  let record: unknown;
  try {
    record = JSON.parse(readTreeFile(join(runDirs[0]!, 'run.json')).toString('utf8'));
  } catch {
    return {};
  }
  const o = isObject(record) && isObject(record.options) ? record.options : {};
  const pick = <T>(value: unknown, ok: (v: unknown) => boolean): T | undefined => (ok(value) ? (value as T) : undefined);
  const text = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  return {
    offline: pick(o.offline, (v) => typeof v === 'boolean'),
    timeoutS: pick(o.timeout, (v) => typeof v === 'number' && v > 0 && v <= MAX_TIMEOUT_S),
    retries: pick(o.retries, (v) => Number.isSafeInteger(v) && (v as number) >= 0),
    model: pick(o.model, text),
    api: pick(o.api, (v) => (APIS as readonly unknown[]).includes(v)),
    baseUrl: pick(o.base_url, (v) => typeof v === 'string' && /^https?:\/\//.test(v)),
    tokenBudget: pick(o.token_budget, (v) => Number.isSafeInteger(v) && (v as number) > 0),
    maxCost: pick(o.max_cost, (v) => typeof v === 'number' && Number.isFinite(v) && v > 0),
    sandbox: pick(o.sandbox, (v) => (SANDBOXES as readonly unknown[]).includes(v)),
    isolate: pick(o.isolate, (v) => v === 'none' || v === 'worktree'),
    workdir: pick(o.workdir, text),
  };
}

/**
 * The text of the config the shards ran: their copies (config.json) must agree, so that one shard's
 * rewritten copy cannot pass for the run's. Undefined when no shard kept one (an older orchestrator).
 */
function copiedConfig(dirs: readonly string[]): { text: string } | string | undefined {
  const texts = new Map<string, string>();
  for (const dir of new Set(dirs)) {
    const path = join(dir, CONFIG_COPY);
    if (lstatSync(path, { throwIfNoEntry: false }) === undefined) continue;
    try {
      texts.set(readTreeFile(path).toString('utf8'), path);
    } catch (error) {
      return `${path} cannot be read (${errorMessage(error)})`;
    }
  }
  if (texts.size > 1) return `the shards' copies of the config differ (${[...texts.values()].join(', ')}): pass the config the run used`;
  const [text] = texts.keys();
  return text === undefined ? undefined : { text };
}

/** The config the after steps come from, or why there is none to run; undefined when there is none at all. */
function afterConfig(context: AfterReportContext): { config: Config; text: string } | string | undefined {
  const shown = context.configFile ?? `${context.runId}/${CONFIG_COPY}`;
  let text: string;
  if (context.configFile !== undefined) {
    const read = tryReadInputFile(resolve(context.baseDir, context.configFile), { confineTo: context.confineTo });
    if ('problem' in read) return inputFileMessage('the config file', context.configFile, read.problem);
    text = read.bytes.toString('utf8');
  } else {
    const copy = copiedConfig(context.sourceDirs);
    if (copy === undefined || typeof copy === 'string') return copy;
    text = copy.text;
  }
  let config: Config;
  try {
    config = parseConfig(text, shown);
  } catch (error) {
    return error instanceof UsageError ? error.problems.join('; ') : errorMessage(error);
  }
  if (config.hash !== context.configHash) {
    return `${shown} is not the config the shards ran (its steps differ from the hash in run.json): restore it, or report with the config the run used`;
  }
  return { config, text };
}

/**
 * `report`: runs the config's after steps once over the merged leaves (as mergedLeaves gives them
 * with `treesFrom` the merged run directory, so a cut output is read whole from its tree), writing under the merged run
 * directory's after/. Null when the config has none; a failed result (naming the problem) when they
 * cannot run. The options are the run's (run.json), with `overrides` on top.
 */
export async function runAfterForReport(context: AfterReportContext, leaves: Iterable<ResultItem>): Promise<AfterResult | null> {
  const found = afterConfig(context);
  const failed = (error: string): AfterResult => afterNotRun(error, 'failed');
  if (typeof found === 'string') return failed(`after steps not run: ${found}`);
  if (found === undefined || found.config.after.length === 0) return null;
  const { config } = found;
  const { sources, problems } = loadAfterSources(config, { base: context.baseDir, rules: { confineTo: context.confineTo } });
  if (problems.length > 0) return failed(`after steps not run: ${problems.join('; ')}`);

  const recorded = recordedOptions(context.sourceDirs);
  const given = Object.fromEntries(Object.entries(context.overrides).filter(([, v]) => v !== undefined)) as AfterOverrides;
  const o = { ...recorded, ...given };
  const env = context.env;
  const options: AfterOptions & { retries: number } = {
    offline: o.offline ?? false,
    timeoutS: o.timeoutS ?? DEFAULT_TIMEOUT_S,
    retries: o.retries ?? DEFAULT_RETRIES,
    tokenBudget: o.tokenBudget,
    maxCost: o.maxCost,
    model: o.model,
    api: o.api,
    sandbox: o.sandbox,
    baseUrl: o.baseUrl,
    workdir: o.workdir ?? '.',
    isolate: o.isolate,
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
    codexPath = findExecutable(o.codexPath ?? 'codex', env, context.baseDir);
    if (codexPath === undefined) return failed('after steps not run: they have codex steps, and no codex is on PATH (or --codex-path)');
  }
  const files = new TreeWriter(
    new Redactor([...secretsFromEnv(env), apiKey, ...secretsFromUrl(options.baseUrl, '--base-url')]),
    context.runDir,
  );
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
