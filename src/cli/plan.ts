import type { KeySpec } from '../flows/keys.js';
import type { Io } from './io.js';
import { loadFlowSpace } from '../engine/flow-space.js';
import { checkedRunId, newRunId } from '../results/paths.js';
import { shardPlan } from '../flows/plan.js';

/** `orchestrator plan`: prints {"run_id", "total", "matrix": {"include": [...]}} on stdout. */
export function planCommand(config: string, flags: { shards: number; key: KeySpec[]; runId?: string }, io: Io): number {
  const space = loadFlowSpace(config, flags.key, io.cwd);
  const runId = flags.runId === undefined ? newRunId(new Date()) : checkedRunId('--run-id', flags.runId);
  io.stdout.write(JSON.stringify(shardPlan(runId, space.total, flags.shards)) + '\n');
  return 0;
}
