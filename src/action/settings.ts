import type { Api, Sandbox } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { KeySpec } from '../flows/keys.js';
import type { Shard } from '../model/results.js';
import type { BatchSettings } from '../steps/factory.js';
import { readInputs, type InputReader } from '../options/inputs.js';
import { batchSettings } from '../options/run-options.js';
import type { ApplyMode } from '../options/values.js';
import { Inputs } from './constants.js';

export { MODES, type Mode } from '../options/spec.js';
/** The inputs every mode reads, parsed and checked. */
interface CommonSettings {
  /** `NAME:FILE` key lists, one per line: the `keys` input's, then the `values` input's (kind `values`: each line a value). */
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
  /** `fail-fast`: the Nth failed leaf stops the run (`true` is 1); undefined: every flow runs. */
  readonly failFast: number | undefined;
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
  /**
   * `run`/`report`: after the flows, apply the run's patches: `worktree` to the workspace as edits,
   * `commit` as one commit per leaf on HEAD, `branch` as a branch per leaf; `off` not at all.
   */
  readonly apply: ApplyMode;
  /** `apply: branch`: each leaf's branch is this prefix and the leaf. */
  readonly branchPrefix: string;
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

export type { InputReader };

/**
 * Parses every input (by the table of options, src/options/table.ts) into one settings object;
 * throws a UsageError naming the input and its value.
 */
export function parseSettings(read: InputReader, env: Readonly<Record<string, string | undefined>>): Settings {
  const { values: v, given } = readInputs(read);
  const batch = batchSettings(v, given);
  if (v.batchCancelOnExit && batch === undefined) {
    throw new UsageError(`The input '${Inputs.BatchCancelOnExit}' is true, but 'batch' is false: set 'batch: true', or leave it out.`);
  }
  const common: CommonSettings = {
    keys: v.keys,
    parallel: v.parallel,
    timeoutS: v.timeoutS,
    workdir: v.workdir,
    appendFilepath: v.appendFilepath,
    shard: v.shard,
    runId: v.runId,
    model: v.model,
    api: v.api,
    baseUrl: v.baseUrl,
    apiKey: v.apiKey ?? (env.OPENAI_API_KEY || undefined),
    offline: v.offline,
    retries: v.retries,
    tokenBudget: v.tokenBudget,
    maxCost: v.maxCost,
    failFast: v.failFast,
    cache: v.cache,
    resume: v.resume,
    batch,
    sandbox: v.sandbox,
    isolate: v.isolate,
    apply: v.apply,
    branchPrefix: v.branchPrefix,
    artifactName: v.artifactName,
    upload: v.upload,
    summary: v.summary,
    comment: v.comment,
    failOnError: v.failOnError,
    githubToken: v.githubToken ?? (env.GITHUB_TOKEN || undefined),
    codexVersion: v.codexVersion,
  };
  const { mode, config, shards, baselineRunId } = v;
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
  if (common.apply !== 'off') {
    throw new UsageError(
      `The input 'apply' is ${common.apply === 'worktree' ? 'true' : common.apply}, but mode 'plan' runs no flows: set it on the run or report step.`,
    );
  }
  if (shards === undefined) {
    throw new UsageError(`The input 'shards' is empty, but mode 'plan' needs it: set it to the number of matrix jobs wanted.`);
  }
  return { ...common, mode, config, shards };
}
