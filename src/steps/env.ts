import { publicEnv } from '../util/private-env.js';

/**
 * The environment of a codex or cmd child process: the orchestrator's own, minus the private
 * variables (model keys, GitHub and runtime tokens, the Action's inputs, the runner's file
 * commands). Codex gets no key either: it reaches the model through the responses proxy, which
 * holds the key (steps/proxy.ts).
 */
export function childEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return publicEnv(base);
}

/**
 * What a cmd or codex step is told about where it runs: its flow id (`flow_0003`), its branch
 * (`2.1`, empty for a flow) and the run directory (absolute).
 */
export function stepEnv(flowId: string, branch: readonly number[], runDir: string): Record<string, string> {
  return { ORCHESTRATOR_FLOW_ID: flowId, ORCHESTRATOR_BRANCH: branch.join('.'), ORCHESTRATOR_RUN_DIR: runDir };
}
