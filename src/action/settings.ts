import { APIS, MAX_TIMEOUT_S, SANDBOXES, type Api, type Sandbox } from '../config/types.js';
import { UsageError } from '../errors.js';
import { parseKeySpec, type KeySpec } from '../flows/keys.js';
import { MAX_SHARDS, parseShard } from '../flows/shards.js';
import type { Shard } from '../results/types.js';
import { parseUsd } from '../results/cost.js';
import { baseUrlProblem, DEFAULT_BATCH_TIMEOUT_S, DEFAULT_PARALLEL, DEFAULT_RETRIES, DEFAULT_TIMEOUT_S } from '../engine/options.js';
import type { BatchSettings } from '../steps/factory.js';
import { Inputs } from './constants.js';

export const MODES = ['run', 'plan', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** The inputs every mode reads, parsed and checked. */
interface CommonSettings {
  /** `NAME:FILE` key lists, one per line. */
  readonly keys: readonly KeySpec[];
  /** Most steps executing at once. */
  readonly parallel: number;
  /** Seconds for one attempt of any step. */
  readonly timeoutS: number;
  /** Working directory of codex and cmd steps, relative to the workspace. */
  readonly workdir: string;
  readonly appendFilepath: boolean;
  /** `run`: run only this shard (`I/N`). */
  readonly shard: Shard | undefined;
  /** Run id; default `run_gh<GITHUB_RUN_ID>`. */
  readonly runId: string | undefined;
  readonly model: string | undefined;
  readonly api: Api | undefined;
  readonly baseUrl: string | undefined;
  /** The API key; falls back to the OPENAI_API_KEY environment variable. */
  readonly apiKey: string | undefined;
  readonly offline: boolean;
  readonly retries: number;
  readonly tokenBudget: number | undefined;
  /** `max-cost`: no new step starts once this job's calls cost this many US dollars (per shard). */
  readonly maxCost: number | undefined;
  /** Keep openai replies in the Actions cache and answer identical calls from it (restored before the run, saved after). */
  readonly cache: boolean;
  /** Re-runs download their own earlier artifact and run only flows that did not succeed. */
  readonly resume: boolean;
  /**
   * `batch: true`: openai steps go through the Batch API; `timeout` (when set) bounds the wait for
   * one batch, else 24 h; `batch-cancel-on-exit` cancels unfinished batches when the job stops.
   */
  readonly batch: BatchSettings | undefined;
  /** Default sandbox of codex steps that set none. */
  readonly sandbox: Sandbox | undefined;
  /** `worktree`: each flow's codex steps run in a git worktree of the workdir, changes saved as changes.patch. */
  readonly isolate: 'none' | 'worktree';
  /** `run`/`report`: apply the run's patches to the workspace after the flows. */
  readonly apply: boolean;
  /** Prefix of artifact names. */
  readonly artifactName: string;
  readonly upload: boolean;
  readonly summary: boolean;
  readonly comment: boolean;
  /** Fail the step when a flow failed. */
  readonly failOnError: boolean;
  readonly githubToken: string | undefined;
  /** Version of @openai/codex to install from npm when `codex` is not on PATH. */
  readonly codexVersion: string | undefined;
}

/** Mode `run`: runs the flows of `config` (one shard of them with `shard`). */
export interface RunSettings extends CommonSettings {
  readonly mode: 'run';
  /** The config file, relative to the workspace. */
  readonly config: string;
}

/** Mode `plan`: the shard matrix of `config` for a following job. */
export interface PlanSettings extends CommonSettings {
  readonly mode: 'plan';
  readonly config: string;
  /** How many shards are wanted (capped at 256 and at the number of flows). */
  readonly shards: number;
}

/**
 * Mode `report`: merges and reports the shards' artifacts; `config` (a file of this job's checkout)
 * is where the after steps come from, and names the PR comment.
 */
export interface ReportSettings extends CommonSettings {
  readonly mode: 'report';
  readonly config: string | undefined;
  /** The id of another workflow run whose merged artifact is the baseline each leaf is compared with. */
  readonly baselineRunId: number | undefined;
}

/** Every input of the Action, parsed and checked: the mode says which inputs it has. */
export type Settings = RunSettings | PlanSettings | ReportSettings;

export type InputReader = (name: string) => string;

const where = (name: string, value: string): string => `input '${name}' is ${JSON.stringify(value)}`;

function bool(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim();
  if (value === '') return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UsageError(`The ${where(name, value)}, but it must be true or false.`);
}

function int(read: InputReader, name: string, fallback: number, min: number): number;
function int(read: InputReader, name: string, fallback: undefined, min: number): number | undefined;
function int(read: InputReader, name: string, fallback: number | undefined, min: number): number | undefined {
  const value = read(name).trim();
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`The ${where(name, value)}, but it must be a whole number of ${min} or more.`);
  }
  return Number(value);
}

function dollars(read: InputReader, name: string): number | undefined {
  const value = read(name).trim();
  if (value === '') return undefined;
  const usd = parseUsd(value);
  if (usd === undefined) throw new UsageError(`The ${where(name, value)}, but it must be an amount of US dollars above 0, like 5 or 0.50.`);
  return usd;
}

function oneOf<T extends string>(read: InputReader, name: string, allowed: readonly T[]): T | undefined {
  const value = read(name).trim();
  if (value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`The ${where(name, value)}, but it must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

const optional = (read: InputReader, name: string): string | undefined => read(name).trim() || undefined;

/** Parses every input into one settings object; throws a UsageError naming the input and its value. */
export function parseSettings(read: InputReader, env: Readonly<Record<string, string | undefined>>): Settings {
  const mode = oneOf(read, Inputs.Mode, MODES) ?? 'run';
  const keys = read(Inputs.Keys)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      try {
        return parseKeySpec(line, `input 'keys' line`);
      } catch (error) {
        throw new UsageError(`${(error as Error).message}. Write one NAME:FILE per line.`);
      }
    });
  const shardText = optional(read, Inputs.Shard);
  let shard: Shard | undefined;
  if (shardText !== undefined) {
    const parsed = parseShard(shardText);
    if (typeof parsed === 'string') throw new UsageError(`The ${where(Inputs.Shard, shardText)}: ${parsed}.`);
    shard = parsed;
  }
  const timeoutText = read(Inputs.Timeout).trim();
  const timeoutS = timeoutText === '' ? DEFAULT_TIMEOUT_S : Number(timeoutText);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > MAX_TIMEOUT_S) {
    throw new UsageError(
      `The ${where(Inputs.Timeout, timeoutText)}, but it must be a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days).`,
    );
  }
  const shards = int(read, Inputs.Shards, undefined, 1);
  if (shards !== undefined && shards > MAX_SHARDS) {
    throw new UsageError(`The ${where(Inputs.Shards, String(shards))}, but GitHub runs at most ${MAX_SHARDS} jobs per matrix.`);
  }
  const baseUrl = optional(read, Inputs.BaseUrl);
  const baseUrlWrong = baseUrl === undefined ? undefined : baseUrlProblem(baseUrl);
  if (baseUrl !== undefined && baseUrlWrong !== undefined)
    throw new UsageError(`The ${where(Inputs.BaseUrl, baseUrl)}, but ${baseUrlWrong}.`);
  const isolate = oneOf(read, Inputs.Isolate, ['none', 'worktree'] as const) ?? 'none';
  const cancelOnExit = bool(read, Inputs.BatchCancelOnExit, false);
  const batch = bool(read, Inputs.Batch, false)
    ? { timeoutS: timeoutText === '' ? DEFAULT_BATCH_TIMEOUT_S : timeoutS, cancelOnExit }
    : undefined;
  if (cancelOnExit && batch === undefined) {
    throw new UsageError(`The input '${Inputs.BatchCancelOnExit}' is true, but 'batch' is false: set 'batch: true', or leave it out.`);
  }
  const common: CommonSettings = {
    keys,
    parallel: int(read, Inputs.Parallel, DEFAULT_PARALLEL, 1),
    timeoutS,
    workdir: optional(read, Inputs.Workdir) ?? '.',
    appendFilepath: bool(read, Inputs.AppendFilepath, false),
    shard,
    runId: optional(read, Inputs.RunId),
    model: optional(read, Inputs.Model),
    api: oneOf(read, Inputs.Api, APIS),
    baseUrl,
    apiKey: optional(read, Inputs.OpenaiApiKey) ?? (env.OPENAI_API_KEY || undefined),
    offline: bool(read, Inputs.Offline, false),
    retries: int(read, Inputs.Retries, DEFAULT_RETRIES, 0),
    tokenBudget: int(read, Inputs.TokenBudget, undefined, 1),
    maxCost: dollars(read, Inputs.MaxCost),
    cache: bool(read, Inputs.Cache, false),
    resume: bool(read, Inputs.Resume, true),
    batch,
    sandbox: oneOf(read, Inputs.Sandbox, SANDBOXES),
    isolate,
    apply: bool(read, Inputs.Apply, false),
    artifactName: optional(read, Inputs.ArtifactName) ?? 'orchestrator',
    upload: bool(read, Inputs.Upload, true),
    summary: bool(read, Inputs.Summary, true),
    comment: bool(read, Inputs.Comment, false),
    failOnError: bool(read, Inputs.FailOnError, true),
    githubToken: optional(read, Inputs.GithubToken) ?? (env.GITHUB_TOKEN || undefined),
    codexVersion: optional(read, Inputs.CodexVersion),
  };
  if (/[/\\"<>:|*?\r\n]/.test(common.artifactName)) {
    throw new UsageError(
      `The ${where(Inputs.ArtifactName, common.artifactName)}, but artifact names may not contain / \\ " < > : | * ? or newlines.`,
    );
  }
  const config = optional(read, Inputs.Config);
  const baselineRunId = int(read, Inputs.BaselineRunId, undefined, 1);
  if (mode === 'report') return { ...common, mode, config, baselineRunId };
  if (baselineRunId !== undefined) {
    throw new UsageError(
      `The input 'baseline-run-id' is set, but mode '${mode}' writes no comparison: set it on the step with mode 'report'.`,
    );
  }
  if (config === undefined) {
    throw new UsageError(`The input 'config' is empty, but mode '${mode}' needs it: set it to the path of the config file.`);
  }
  if (mode === 'run') return { ...common, mode, config };
  if (common.apply) {
    throw new UsageError(`The input 'apply' is true, but mode 'plan' runs no flows: set it on the run or report step.`);
  }
  if (shards === undefined) {
    throw new UsageError(`The input 'shards' is empty, but mode 'plan' needs it: set it to the number of matrix jobs wanted.`);
  }
  return { ...common, mode, config, shards };
}
