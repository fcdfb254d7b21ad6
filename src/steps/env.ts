import type { StepKind } from '../config/types.js';

/** Variables no child may see: the runner's own credentials and the Action's inputs. */
const ALWAYS_REMOVED = [/^ACTIONS_/, /^INPUT_/, /^GITHUB_TOKEN$/, /^GH_TOKEN$/];
/** Model keys: cmd steps never see them. */
const MODEL_KEYS = ['OPENAI_API_KEY', 'CODEX_API_KEY'];

/**
 * The environment of a codex or cmd child process: the orchestrator's own, minus credentials that
 * are not the child's business. Codex gets the model key as CODEX_API_KEY, which is the only
 * name `codex exec` reads it from.
 */
export function childEnv(
  base: Readonly<Record<string, string | undefined>>,
  kind: Exclude<StepKind, 'openai'>,
  apiKey: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || ALWAYS_REMOVED.some((pattern) => pattern.test(name))) continue;
    if (kind === 'cmd' && MODEL_KEYS.includes(name)) continue;
    env[name] = value;
  }
  if (kind === 'codex' && apiKey) env.CODEX_API_KEY = apiKey;
  return env;
}

/**
 * What a cmd or codex step is told about where it runs: its flow id (`flow_0003`), its branch
 * (`2.1`, empty for a flow) and the run directory (absolute).
 */
export function stepEnv(flowId: string, branch: readonly number[], runDir: string): Record<string, string> {
  return { ORCHESTRATOR_FLOW_ID: flowId, ORCHESTRATOR_BRANCH: branch.join('.'), ORCHESTRATOR_RUN_DIR: runDir };
}
