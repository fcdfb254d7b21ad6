import type { KeySpec } from '../flows/keys.js';
import type { Io } from './main.js';
import { loadFlowSpace } from '../engine/plan.js';
import { normalizeRunId, newRunId, RUN_ID_RULE } from '../results/paths.js';
import { UsageError } from '../errors.js';
import { shardPlan } from '../flows/plan.js';

/** `orchestrator plan`: prints {"run_id", "total", "matrix": {"include": [...]}} on stdout. */
export function planCommand(config: string, flags: { shards: number; key: KeySpec[]; runId?: string }, io: Io): number {
  const space = loadFlowSpace(config, flags.key, io.cwd);
  const runId = flags.runId === undefined ? newRunId(new Date()) : normalizeRunId(flags.runId);
  if (runId === undefined) throw new UsageError(`--run-id ${JSON.stringify(flags.runId)}: ${RUN_ID_RULE}`);
  io.stdout.write(JSON.stringify(shardPlan(runId, space.total, flags.shards)) + '\n');
  return 0;
}
