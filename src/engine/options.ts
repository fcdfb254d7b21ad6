import type { ConfigHints } from '../config/parse.js';
import type { Api, Sandbox, Step } from '../config/types.js';
import type { KeySpec } from '../flows/keys.js';
import type { ResultItem, Shard } from '../model/results.js';
import type { BatchSettings } from '../steps/factory.js';
import type { ProgressSnapshot } from './run-progress.js';

/** The built-in model for openai steps that name none (README: "Models"). */
export const DEFAULT_MODEL = 'gpt-5-mini';
export const DEFAULT_PARALLEL = 4;
export const DEFAULT_TIMEOUT_S = 1800;
/** With --batch and no --timeout: the longest wait for one batch (the Batch API's completion window). */
export const DEFAULT_BATCH_TIMEOUT_S = 24 * 60 * 60;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_OUTPUT = 'generated';
/** The sandbox of codex steps when neither the step, the config, `--sandbox` nor the Action's input sets one. */
export const DEFAULT_SANDBOX: Sandbox = 'workspace-write';

/**
 * Most requests waiting in batches at once (--batch): a full batch file. Each holds its prompt in
 * memory; past this, flows wait for a seat before their step joins a batch.
 * ORCHESTRATOR_BATCH_MAX_PENDING lowers it (tests).
 */
export function batchMaxPending(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.ORCHESTRATOR_BATCH_MAX_PENDING);
  return env.ORCHESTRATOR_BATCH_MAX_PENDING && Number.isSafeInteger(value) && value > 0 ? value : 50_000;
}

/** A codex step's sandbox: the step's (or the config default), else the run's, else DEFAULT_SANDBOX. */
export function sandboxOf(step: Step, options: Pick<RunOptions, 'sandbox'>): Sandbox {
  return step.sandbox ?? options.sandbox ?? DEFAULT_SANDBOX;
}

/**
 * The model a step calls: the step's (or the config default), else `--model`; openai steps then
 * `OPENAI_MODEL` and DEFAULT_MODEL. Undefined for cmd steps and for codex steps that leave it to
 * codex's own configuration.
 */
export function modelOf(step: Step, options: Pick<RunOptions, 'model' | 'env'>): string | undefined {
  if (step.kind === 'cmd') return undefined;
  if (step.kind === 'codex') return step.model ?? options.model;
  return step.model ?? options.model ?? (options.env.OPENAI_MODEL || undefined) ?? DEFAULT_MODEL;
}

/**
 * Why `url` cannot be the base URL of an OpenAI-compatible server, or undefined when it can. The
 * SDK would take `localhost:8080` (no scheme) or `ftp://...` and fail every call; say so before
 * anything runs instead.
 */
export function baseUrlProblem(url: string): string | undefined {
  const example = 'e.g. http://localhost:8080/v1 or https://api.openai.com/v1';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
  if (scheme === undefined) return `it has no scheme: write it with http:// or https:// in front, ${example}`;
  if (!/^https?$/i.test(scheme)) return `the scheme must be http:// or https://, not ${scheme}:// (${example})`;
  // http(s) URLs that parse always name a host
  return URL.canParse(url) ? undefined : `not a valid URL (${example})`;
}

/** Everything a run needs, as the CLI and the Action both produce it. */
export interface RunOptions {
  readonly configFile: string;
  /** The command line's and the Action's options, for a hint when the config names one (`"paralel": 3`). */
  readonly optionNames?: ConfigHints['options'];
  /** Base for relative paths: config, key files, listed files, prompt files, output. */
  readonly baseDir: string;
  /** cwd of codex and cmd steps. */
  readonly workdir: string;
  readonly keys: readonly KeySpec[];
  readonly parallel: number;
  readonly timeoutS: number;
  readonly appendFilepath: boolean;
  readonly outputDir: string;
  readonly runId: string | undefined;
  readonly model: string | undefined;
  readonly api: Api | undefined;
  readonly baseUrl: string | undefined;
  readonly offline: boolean;
  readonly retries: number;
  readonly codexPath: string | undefined;
  readonly tokenBudget: number | undefined;
  /** `--max-cost`: no new step starts once this run's model calls cost this many US dollars. */
  readonly maxCost?: number;
  /** `--fail-fast N`: the Nth failed leaf stops the run (no new step; running ones ended; the rest cancelled). */
  readonly failFast?: number;
  readonly resume: boolean;
  readonly shard: Shard | undefined;
  /** `worktree`: each flow's codex steps run in a git worktree of the workdir of its own. */
  readonly isolate?: 'none' | 'worktree';
  /** Sandbox of codex steps that set none (step > config default > this > DEFAULT_SANDBOX). */
  readonly sandbox?: Sandbox;
  /** `--batch`: openai steps go through the Batch API (steps/batch/). */
  readonly batch?: BatchSettings;
  /** `--dry-run`: nothing is called, so a missing key or `codex` is a warning (what a run would stop on), not an error. */
  readonly dryRun?: boolean;
  /** Added to the "no API key" error: where the key should have come from (the Action mentions fork PRs). */
  readonly missingKeyHint?: string;
  /** Codex steps need the key too (in CI there is no `codex login` to fall back on). */
  readonly codexNeedsKey?: boolean;
  /**
   * Files read as input (config, key lists, listed files, prompt files) must have their real path
   * inside this directory. The Action sets the workspace: a pull request's files are untrusted.
   */
  readonly confineTo?: string;
  /** The environment: keys, OPENAI_MODEL, and what children inherit. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** What the caller of a run hears from it as it goes, and how it stops it. */
export interface RunControl {
  /** Aborting it stops the run: no new step starts, running ones are ended. */
  readonly signal: AbortSignal;
  readonly onProgress?: (snapshot: ProgressSnapshot) => void;
  /** Each result as results.json is written (the one pass over the leaves), e.g. for a summary. */
  readonly onResult?: (result: ResultItem) => void;
  /** `onResult` only looks at leaves that did not succeed: a resume that ran nothing, all succeeded, need not call it. */
  readonly onlyFailures?: boolean;
  /** A problem the run goes on after (results.jsonl cannot be written), said once: the CLI prints it, the Action makes it a warning. */
  readonly onWarning?: (message: string) => void;
}
