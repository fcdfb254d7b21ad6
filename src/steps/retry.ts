/** How model calls are retried: our loop, not the SDK's, so every 429 is seen by the run. */
export interface RetryPolicy {
  /** Retries after the first attempt (`--retries`). */
  readonly retries: number;
  /** First backoff, doubled each retry. */
  readonly baseMs: number;
  /** Longest wait between attempts, Retry-After included. */
  readonly maxMs: number;
}

export function defaultRetryPolicy(retries: number, env: Readonly<Record<string, string | undefined>> = {}): RetryPolicy {
  const base = Number(env.ORCHESTRATOR_RETRY_BASE_MS);
  return { retries, baseMs: base >= 0 && env.ORCHESTRATOR_RETRY_BASE_MS ? base : 1000, maxMs: 120_000 };
}

/** Longest delay a Node timer holds (2^31-1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Milliseconds the server asked us to wait: `retry-after-ms`, `retry-after` in seconds or as an
 * HTTP date. Undefined when it said nothing usable; never more than a timer holds (callers cap it
 * further, at `RetryPolicy.maxMs`).
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_TIMER_MS);
  const value = headers?.get('retry-after');
  if (value == null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_TIMER_MS);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_TIMER_MS);
}

/**
 * Wait before retry number `attempt` (1-based): exponential backoff with full jitter in its upper
 * half, or what the server asked for (plus a little jitter so waiting flows do not return at once).
 */
export function backoffMs(
  attempt: number,
  policy: RetryPolicy,
  serverAskedMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (serverAskedMs !== undefined) return Math.min(policy.maxMs, serverAskedMs + random() * Math.min(1000, policy.baseMs));
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return exponential / 2 + (random() * exponential) / 2;
}

/** Why a signal aborted, as an Error (AbortSignal's reason may be anything). */
export function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'aborted');
}

/** Resolves after `ms` (at most MAX_TIMER_MS), or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
