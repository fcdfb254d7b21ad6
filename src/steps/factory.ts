import type { Step } from '../config/types.js';
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

/** What choosing the runners needs of a prepared run (the engine's `PreparedRun` is one). */
export interface RunnerSetup {
  readonly options: {
    readonly offline: boolean;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly baseUrl: string | undefined;
    readonly retries: number;
  };
  /** `after`: the steps run once over all leaves, when this process runs them. */
  readonly config: { readonly steps: readonly Pick<Step, 'kind'>[]; readonly after?: readonly Pick<Step, 'kind'>[] };
  readonly apiKey: string | undefined;
  /** The codex binary, when the run has codex steps and calls out. */
  readonly codexPath: string | undefined;
}

/** Chooses the runner for each kind of step, in one place. */
export function makeRunners(plan: RunnerSetup): Record<Step['kind'], StepRunner> {
  const { options } = plan;
  const offline = new OfflineRunner();
  const cmd = new CmdRunner(options.env);
  if (options.offline) return { openai: offline, codex: offline, cmd };
  const needsModel = [...plan.config.steps, ...(plan.config.after ?? [])].some((s) => s.kind === 'openai');
  return {
    openai: needsModel
      ? lazyRunner(async () => {
          const { OpenAIRunner } = await import(/* webpackMode: "eager" */ './openai.js');
          return new OpenAIRunner({
            apiKey: plan.apiKey!,
            baseUrl: options.baseUrl,
            retry: defaultRetryPolicy(options.retries, options.env),
            limiter: new RateLimiter(),
          });
        })
      : offline,
    codex: plan.codexPath
      ? new CodexRunner({ path: plan.codexPath, env: options.env, apiKey: plan.apiKey, baseUrl: options.baseUrl, retries: options.retries })
      : offline,
    cmd,
  };
}
