import * as core from '@actions/core';
import { errorMessage } from '../errors.js';
import type { CacheKeys } from './cache-keys.js';

// @actions/cache (and the Azure blob SDK under it) is imported when `cache: true` restores or saves,
// never statically: a run without the cache does not load it.

/** Restores the response cache into `dir`; a missing service or a failed download is a warning, never a failure. */
export async function restoreResponses(dir: string, keys: CacheKeys): Promise<void> {
  const cache = await import('@actions/cache');
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
  if (added === 0) {
    core.info('The response cache gained no reply: not saved.');
    return;
  }
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) return;
  try {
    const id = await cache.saveCache([dir], keys.key);
    if (id !== -1) core.info(`Saved the response cache (${added} new replies) as ${keys.key}.`);
  } catch (error) {
    core.warning(`Could not save the response cache: ${errorMessage(error)}.`);
  }
}
