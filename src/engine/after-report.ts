import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Api, Config, Sandbox } from '../config/types.js';
import { withOverrides } from '../model/cost.js';
import { CONFIG_COPY } from '../results/paths.js';
import { wholeOutput } from '../report/html-file.js';
import type { AfterResult, ResultItem } from '../model/results.js';
import { NO_USAGE } from '../model/usage.js';
import { makeRunners } from '../steps/factory.js';
import { endRunCgroup } from '../steps/cgroup.js';
import { killTagged } from '../steps/sweep.js';
import { WorktreeSession } from '../steps/worktree-session.js';
import { TreeWriter } from '../util/files.js';
import { redactorFor } from '../util/redact.js';
import { afterNotRun, runAfter, type AfterOptions } from './after.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_S } from './options.js';
import { findExecutable } from './run-checks.js';
import { loadAfterSources } from './step-sources.js';
import { afterConfig, type AfterConfigSource } from './after-config.js';

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
export interface AfterReportContext extends AfterConfigSource {
  readonly runId: string;
  /** The merged run directory: it gets after/ (and a copy of config.json when it has none). */
  readonly runDir: string;
  readonly settings: AfterSettings;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
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
  const options = afterOptions(context.settings, context.env);
  const needs = afterNeeds(config, options, context);
  if (typeof needs === 'string') return failed(`after steps not run: ${needs}`);

  const files = new TreeWriter(
    redactorFor(options.env, { apiKey: needs.apiKey, baseUrl: { value: options.baseUrl, name: '--base-url' } }),
    context.runDir,
  );
  keepConfigCopy(files, context.runDir, found.text);
  // no --batch here: one request, answered at once
  const runners = makeRunners({
    options: { ...options, resume: false },
    runId: context.runId,
    runDir: context.runDir,
    config: { steps: [], after: config.after },
    ...needs,
  });
  const worktrees = new WorktreeSession({
    workdir: resolve(context.baseDir, options.workdir),
    isolate: options.isolate,
    runId: context.runId,
    env: options.env,
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

/** The after steps' options: the invocation's settings, else a run's defaults. */
function afterOptions(s: AfterSettings, env: AfterReportContext['env']): AfterOptions & { retries: number; workdir: string } {
  return {
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
}

/** The key and the codex binary the after steps need, or what is missing. */
function afterNeeds(
  config: Config,
  options: ReturnType<typeof afterOptions>,
  context: AfterReportContext,
): { apiKey: string | undefined; codexPath: string | undefined } | string {
  const { env } = options;
  const apiKey = env.OPENAI_API_KEY || env.CODEX_API_KEY || undefined;
  const online = !options.offline;
  if (online && apiKey === undefined && config.after.some((s) => s.kind === 'openai'))
    return 'OPENAI_API_KEY is not set, and the after steps call a model (set it, or report with --offline)';
  if (!online || !config.after.some((s) => s.kind === 'codex')) return { apiKey, codexPath: undefined };
  const codexPath = findExecutable(context.settings.codexPath ?? 'codex', env, context.baseDir);
  return codexPath === undefined ? 'they have codex steps, and no codex is on PATH (or --codex-path)' : { apiKey, codexPath };
}

/** The merged tree keeps the config its after steps ran from, as a run directory does. */
function keepConfigCopy(files: TreeWriter, runDir: string, text: string): void {
  try {
    if (lstatSync(join(runDir, CONFIG_COPY), { throwIfNoEntry: false }) === undefined) files.write(join(runDir, CONFIG_COPY), text);
  } catch {
    // a convenience: the shards' own copies stay where they are
  }
}
