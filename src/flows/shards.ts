import type { Shard } from '../model/results.js';

/** GitHub's limit on the jobs of one matrix. */
export const MAX_SHARDS = 256;

/**
 * The flow indexes [from, to) of shard `index` (1-based) of `count` over `total` flows: contiguous
 * ranges whose sizes differ by at most one, depending on nothing but the three numbers.
 */
export function shardRange(total: number, { index, count }: Shard): { from: number; to: number } {
  const base = Math.floor(total / count);
  const extra = total % count;
  const from = (index - 1) * base + Math.min(index - 1, extra);
  return { from, to: from + base + (index <= extra ? 1 : 0) };
}

/** Parses `I/N`; returns an error message or the shard. */
export function parseShard(text: string): Shard | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return `expected I/N such as 1/4, got ${JSON.stringify(text)}`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return `N must be between 1 and ${MAX_SHARDS}, got ${JSON.stringify(text)}`;
  if (index < 1 || index > count) return `I must be between 1 and N (${count}), got ${JSON.stringify(text)}`;
  return { index, count };
}
