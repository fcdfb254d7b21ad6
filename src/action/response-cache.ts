import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import type { Shard } from '../results/types.js';

/** The Actions cache keys of one job's response cache (README: "Caching replies in the Action"). */
export interface CacheKeys {
  /** Saved under after the run: unique per job attempt, since an Actions cache entry is never overwritten. */
  readonly key: string;
  /** Tried in order before the run when `key` itself is not there (always, but for a re-run of a saved attempt). */
  readonly restoreKeys: readonly string[];
}

/**
 * `<artifact-name>-cache-v1-<config>-<shard>-<run id>-<attempt>`: the newest entry of the same
 * config and shard is restored first, then of the same config, then any of this workflow's
 * (a config with one prompt changed still answers its other steps from the cache). `config` is
 * the first 16 hex digits of the config's hash; `shard` is `all` or `I-of-N`.
 */
export function cacheKeys(at: { prefix: string; configHash: string; shard: Shard; runId: string; attempt: string }): CacheKeys {
  const base = `${at.prefix}-cache-v1-`;
  const config = `${base}${at.configHash.slice(0, 16)}-`;
  const shard = `${config}${at.shard.count > 1 ? `${at.shard.index}-of-${at.shard.count}` : 'all'}-`;
  return { key: `${shard}${at.runId}-${at.attempt}`, restoreKeys: [shard, config, base] };
}

/** Restores the response cache into `dir`; a missing service or a failed download is a warning, never a failure. */
export async function restoreResponses(dir: string, keys: CacheKeys): Promise<void> {
  if (!cache.isFeatureAvailable()) {
    core.warning(
      "The input 'cache' is true, but the Actions cache service is not available here (ACTIONS_RESULTS_URL is not set): replies are cached for this job only.",
    );
    return;
  }
  try {
    const matched = await cache.restoreCache([dir], keys.key, [...keys.restoreKeys]);
    core.info(matched === undefined ? `No response cache to restore (key ${keys.key}).` : `Restored the response cache from ${matched}.`);
  } catch (error) {
    core.warning(`Could not restore the response cache: ${errorMessage(error)}. The run goes on without it.`);
  }
}

/** Saves `dir` under `keys.key` when the run added replies to it. */
export async function saveResponses(dir: string, keys: CacheKeys, added: number): Promise<void> {
  if (added === 0 || !cache.isFeatureAvailable()) {
    if (added === 0) core.info('The response cache gained no reply: not saved.');
    return;
  }
  try {
    const id = await cache.saveCache([dir], keys.key);
    if (id !== -1) core.info(`Saved the response cache (${added} new replies) as ${keys.key}.`);
  } catch (error) {
    core.warning(`Could not save the response cache: ${errorMessage(error)}.`);
  }
}
