import type { Api, Sandbox, Step } from '../config/types.js';
import type { Usage } from '../model/usage.js';
import type { BatchBoard } from './batch/board.js';
import type { TreeWriter } from '../util/files.js';

/** Everything a runner needs for one attempt of one step of one flow or branch. */
export interface StepRequest {
  readonly step: Step;
  /** The assembled prompt (model steps), or what a cmd step gets on stdin. */
  readonly prompt: string;
  /** cmd steps after a cmd step: its output exactly as it was written, given on stdin instead of `prompt`. */
  readonly input?: Buffer;
  /** cmd steps: the script with placeholders turned into variables, and their values. */
  readonly command: CommandRequest | undefined;
  /** The step's directory, already holding prompt.txt. */
  readonly dir: string;
  readonly model: string | undefined;
  readonly api: Api;
  /** cwd of codex and cmd steps: the workdir, or this flow's worktree with `--isolate worktree`. */
  readonly cwd: string;
  /** Codex steps: the sandbox mode, defaults applied. */
  readonly sandbox: Sandbox;
  /**
   * With `--isolate worktree`: the leaf's own temp directory. Codex's sandbox may then write in its
   * worktree and there only (not in /tmp or $TMPDIR, which every flow's codex could reach).
   */
  readonly tmpdir?: string;
  readonly timeoutMs: number;
  /** Aborted when the run is interrupted. */
  readonly signal: AbortSignal;
  readonly files: TreeWriter;
  /** cmd and codex steps: ORCHESTRATOR_FLOW_ID, ORCHESTRATOR_BRANCH and ORCHESTRATOR_RUN_DIR, added to their environment. */
  readonly env: Readonly<Record<string, string>>;
}

/** A cmd step's script, and for each placeholder the variable that carries the key file's contents. */
export interface CommandRequest {
  readonly script: string;
  /** `key` is the placeholder as written inside the braces (`doc`, `doc:path`); `file` the flow's file for its key. */
  readonly variables: ReadonlyArray<{ readonly key: string; readonly variable: string; readonly value: string; readonly file: string }>;
}

export interface StepResult {
  /** The output as text (results, summaries, the next prompt): bytes that are not UTF-8 show as U+FFFD. */
  readonly output: string;
  /** cmd steps: the output byte for byte, what a next cmd step gets on stdin. */
  readonly bytes?: Buffer;
  readonly usage: Usage | null;
  /** The call went through the Batch API: its tokens cost half (model/cost.ts). */
  readonly batch?: boolean;
  /** Path of the final message file (codex steps). */
  readonly finalMessage?: string;
  /** openai steps: the reply's parsed body (what response.json holds), for the response cache. */
  readonly response?: Readonly<Record<string, unknown>>;
  /**
   * Answered from the response cache (`--cache`): the usage of the call that first paid for the
   * answer. `usage` is then zero: nothing was paid this time.
   */
  readonly cached?: Usage;
  /** The id of the batch that answered (openai steps with --batch, then `batch` is true). */
  readonly batchId?: string;
}

/** One implementation per kind of step: openai, codex, cmd, or the offline echo. */
export interface StepRunner {
  run(request: StepRequest): Promise<StepResult>;
  /** Ends what the runner keeps for the whole run (the codex runner's proxy, the batches). */
  close?(): Promise<void>;
  /**
   * A batching runner (--batch): where its batches stand. Its calls wait for a batch (hours, not a
   * CPU or a connection), so a step waiting in one holds no slot of --parallel.
   */
  readonly batches?: BatchBoard;
}
