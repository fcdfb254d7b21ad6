import { MAX_SHARDS, shardRange } from './shards.js';

export interface ShardPlan {
  readonly run_id: string;
  readonly total: number;
  readonly matrix: { readonly include: ReadonlyArray<{ readonly shard: string; readonly flows: number }> };
}

/** The matrix for `shards` wanted over `total` flows: capped at 256 and at `total`, so no leg is empty. */
export function shardPlan(runId: string, total: number, shards: number): ShardPlan {
  const count = Math.min(shards, MAX_SHARDS, total);
  const include = Array.from({ length: count }, (_, i) => {
    const { from, to } = shardRange(total, { index: i + 1, count });
    return { shard: `${i + 1}/${count}`, flows: to - from };
  });
  return { run_id: runId, total, matrix: { include } };
}
