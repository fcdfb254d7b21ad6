import { callsModel } from '../config/checks.js';
import type { Step } from '../config/types.js';
import { BatchBoard } from './batch/board.js';
import { RateLimiter } from './ratelimit.js';
import { defaultRetryPolicy } from './retry.js';
import { CmdRunner } from './cmd.js';
import { CodexRunner } from './codex.js';
import { OfflineRunner } from './offline.js';
import type { StepRunner } from './runner.js';

/**
 * Loads a runner's module when its first step runs: the OpenAI SDK is most of the CLI's start-up
 * time and memory, and a smaller process also forks each cmd step faster.
 */
function lazyRunner(load: () => Promise<StepRunner>): StepRunner {
  let runner: Promise<StepRunner> | undefined;
  return { run: async (request) => (await (runner ??= load())).run(request) };
}

/** `--batch`: openai steps go through the Batch API. */
export interface BatchSettings {
  /** Longest wait for one batch (`--timeout` when given, else 24 h), unless a step sets its own `timeout`. */
  readonly timeoutS: number;
  /** `--batch-cancel-on-exit`: batches still running when the run stops are cancelled, not left running. */
  readonly cancelOnExit: boolean;
}

/** What choosing the runners needs of a prepared run (the engine's `PreparedRun` is one). */
export interface RunnerSetup {
  readonly options: {
    readonly offline: boolean;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly baseUrl: string | undefined;
    readonly retries: number;
    readonly resume: boolean;
    readonly batch?: BatchSettings;
  };
  readonly runId: string;
  readonly runDir: string;
  /** `after`: the steps run once over all leaves, when this process runs them. */
  readonly config: { readonly steps: readonly Pick<Step, 'kind' | 'checks'>[]; readonly after?: readonly Pick<Step, 'kind' | 'checks'>[] };
  readonly apiKey: string | undefined;
  /** The codex binary, when the run has codex steps and calls out. */
  readonly codexPath: string | undefined;
}

/** A whole number of milliseconds from the environment (tests shorten waits with it), else `fallback`. */
function envMs(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const value = Number(env[name]);
  return env[name] && Number.isSafeInteger(value) && value >= 0 ? value : fallback;
}

/**
 * The Batch API runner: its board (for the progress line) and close() are there at once, the SDK
 * is loaded when the first step runs.
 */
function batchRunner(setup: RunnerSetup, batch: BatchSettings, notice: (text: string) => void): StepRunner {
  const { options } = setup;
  const board = new BatchBoard();
  const quietMs = envMs(options.env, 'ORCHESTRATOR_BATCH_GATHER_MS', 1000);
  const pollMs = envMs(options.env, 'ORCHESTRATOR_BATCH_POLL_MS', 0);
  let runner: Promise<StepRunner> | undefined;
  const load = async (): Promise<StepRunner> => {
    const { BatchRunner } = await import('./batch/runner.js');
    return new BatchRunner({
      apiKey: setup.apiKey!,
      baseUrl: options.baseUrl,
      retry: defaultRetryPolicy(options.retries, options.env),
      runId: setup.runId,
      runDir: setup.runDir,
      resume: options.resume,
      timeoutS: batch.timeoutS,
      cancelOnExit: batch.cancelOnExit,
      board,
      notice,
      gather: { quietMs, maxWaitMs: Math.max(quietMs, 30_000) },
      poll: pollMs > 0 ? { firstMs: pollMs, maxMs: pollMs } : { firstMs: 5000, maxMs: 60_000 },
    });
  };
  return {
    batches: board,
    run: async (request) => (await (runner ??= load())).run(request),
    close: async () => (runner === undefined ? undefined : (await runner).close?.()),
  };
}

/**
 * Chooses the runner for each kind of step, in one place. `notice` tells the user what a runner
 * has to say outside any step (batches left running at the end of a run).
 */
export function makeRunners(setup: RunnerSetup, notice: (text: string) => void = () => undefined): Record<Step['kind'], StepRunner> {
  const { options } = setup;
  const offline = new OfflineRunner();
  const cmd = new CmdRunner(options.env);
  if (options.offline) return { openai: offline, codex: offline, cmd };
  const needsModel = [...setup.config.steps, ...(setup.config.after ?? [])].some(callsModel);
  return {
    openai: !needsModel
      ? offline
      : options.batch !== undefined
        ? batchRunner(setup, options.batch, notice)
        : lazyRunner(async () => {
            const { OpenAIRunner } = await import('./openai.js');
            return new OpenAIRunner({
              apiKey: setup.apiKey!,
              baseUrl: options.baseUrl,
              retry: defaultRetryPolicy(options.retries, options.env),
              limiter: new RateLimiter(),
            });
          }),
    codex: setup.codexPath
      ? new CodexRunner({
          path: setup.codexPath,
          env: options.env,
          apiKey: setup.apiKey,
          baseUrl: options.baseUrl,
          retries: options.retries,
        })
      : offline,
    cmd,
  };
}
