import { createHash } from 'node:crypto';
import { withoutCredentials } from '../engine/fingerprint.js';
import type { ModelRequest } from '../steps/model-request.js';

/** Changes when what an entry holds, or what its key covers, changes: older entries are then misses. */
export const CACHE_FORMAT = 1;

/**
 * The key of a model call in the response cache: sha256 of the request body exactly as it is sent
 * (model, API, structured output, the full prompt, and any setting a request gains later) and the
 * server it goes to, without the user name and password a base URL may carry. Two calls with the
 * same key would be asked the same thing of the same server.
 */
export function cacheKey(request: ModelRequest, baseUrl: string | undefined): string {
  const parts = { v: CACHE_FORMAT, api: request.api, base_url: withoutCredentials(baseUrl), body: request.body };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
