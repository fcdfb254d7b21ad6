import type { Shard } from '../model/results.js';

/** The Actions cache keys of one job's response cache (README: "Caching replies: --cache"). */
export interface CacheKeys {
  /** Saved under after the run: unique per job attempt, since an Actions cache entry is never overwritten. */
  readonly key: string;
  /** Tried in order before the run when `key` itself is not there (always, but for a re-run of a saved attempt). */
  readonly restoreKeys: readonly string[];
}

/**
 * `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>`: the newest entry of the same
 * config and shard is restored first, then of the same config, then any with this artifact name
 * (a config with one prompt changed still answers its other steps from the cache). `config` is
 * the first 16 hex digits of the config's hash; `shard` is `all` or `I-of-N`.
 */
export function cacheKeys(at: { prefix: string; configHash: string; shard: Shard; runId: string; attempt: string }): CacheKeys {
  const base = `${at.prefix}-cache-v1-`;
  const config = `${base}${at.configHash.slice(0, 16)}-`;
  const shard = `${config}${at.shard.count > 1 ? `${at.shard.index}-of-${at.shard.count}` : 'all'}-`;
  return { key: `${shard}${at.runId}-${at.attempt}`, restoreKeys: [shard, config, base] };
}
