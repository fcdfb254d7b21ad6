import { sleep } from './retry.js';

/** Response headers, as the SDK exposes them. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** `1s`, `6m0s`, `20ms`, `1h2m3.5s` (the form of OpenAI's x-ratelimit-reset-* headers) in ms. */
export function parseResetDuration(text: string | null | undefined): number | undefined {
  if (text == null || text.trim() === '') return undefined;
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let matched = '';
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(part[1]) * unit[part[2]!]!;
    matched += part[0];
  }
  return matched === value ? total : undefined;
}

const SECOND = 1000;

/**
 * One limiter shared by every model call of a run, pacing call starts. Until the first 429 there
 * is no pace. Each 429 sets the pace just under the rate the server accepted over the last second
 * (so a burst of rejections converges on the server's limit) and makes every caller wait out
 * `Retry-After`; each second without a 429 raises the pace by 5 % to find the limit again (AIMD,
 * as TCP does). When the x-ratelimit headers say the quota is used up, callers wait for its reset
 * instead of being rejected.
 *
 * What the server accepted is estimated two ways, and the larger is taken: the calls started in the
 * second before the rejected call started (a rejection is set against the start `acquire`
 * returned for it, which is when the server found no room), less those rejected; and the calls
 * that succeeded in the last second. The first sees in-flight calls at once; the second holds when
 * start times mislead: when the first burst takes longer than a second to send on a loaded
 * machine, or when calls paced after a burst arrive while the server's second is still full.
 * Once paced, no more calls start in any one second than the pace, counting those already started
 * in it: a server counting requests over a sliding second has, after an unpaced burst, no room
 * until a second after it. (Before, a server taking 200 calls a second was paced down to 130 after
 * the first burst, and took 8 s to climb back; on a loaded machine the pace could fall to 1 a second.)
 */
export class RateLimiter {
  /** Call starts per second; Infinity until the server pushes back. */
  private rate = Infinity;
  private nextStart = 0;
  private pausedUntil = 0;
  private lastRejection = -Infinity;
  private lastRaise = 0;
  /** Start times, in order, of calls within the last two seconds that were not rejected, and of calls given a later start. */
  private readonly starts: number[] = [];
  /** Times of rejections within the last second that named no start. */
  private readonly rejections: number[] = [];
  /** Times of successes within the last second. */
  private readonly successes: number[] = [];
  /** Calls rejected with 429 so far. */
  rejected = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Current pace in calls per second (Infinity: none). */
  get callsPerSecond(): number {
    return this.rate;
  }

  /**
   * Waits until this call may start: after any pause, its place in the pace, and room in the last
   * second. Resolves to the call's start time, to be given to `rateLimited` when it is rejected.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.now();
    this.forget(now);
    let start = Math.max(now, this.pausedUntil);
    if (Number.isFinite(this.rate)) {
      start = Math.max(start, this.nextStart);
      const perSecond = Math.max(1, Math.floor(this.rate));
      if (this.starts.length >= perSecond) start = Math.max(start, this.starts[this.starts.length - perSecond]! + SECOND);
      this.nextStart = start + SECOND / this.rate;
    }
    let at = this.starts.length;
    while (at > 0 && this.starts[at - 1]! > start) at--;
    this.starts.splice(at, 0, start);
    if (start > now) {
      try {
        await sleep(start - now, signal);
      } catch (error) {
        this.drop(start);
        throw error;
      }
    }
    return start;
  }

  /** A call succeeded: probe for a higher pace, and pause when the server says the quota is used up. */
  succeeded(headers?: HeaderReader): void {
    const now = this.now();
    this.successes.push(now);
    if (Number.isFinite(this.rate) && now - this.lastRejection > SECOND && now - this.lastRaise > SECOND) {
      this.rate *= 1.05;
      this.lastRaise = now;
    }
    const remaining = headers?.get('x-ratelimit-remaining-requests');
    if (remaining != null && remaining.trim() !== '' && Number(remaining) <= 0) {
      const reset = parseResetDuration(headers?.get('x-ratelimit-reset-requests'));
      if (reset !== undefined) this.pause(reset);
    }
  }

  /**
   * A call was rejected with 429: slow the pace (once per burst) and wait what the server asked.
   * `startedAt` is what `acquire` returned for the call.
   */
  rateLimited(retryAfterMs: number | undefined, startedAt?: number): void {
    this.rejected++;
    const now = this.now();
    if (startedAt === undefined) this.rejections.push(now);
    else this.drop(startedAt);
    this.forget(now);
    // the second before the call started (a call more than a second old has too little of it on
    // record: the second before now instead)
    const end = startedAt !== undefined && now - startedAt <= SECOND ? startedAt : now;
    let started = 0;
    for (const start of this.starts) if (start > end - SECOND && start <= end) started++;
    const accepted = Math.max(1, started - this.rejections.length, this.successes.length);
    const pace = Math.max(0.5, accepted * 0.95);
    // within a burst the pace only falls, as more of the burst's rejections arrive
    this.rate = now - this.lastRejection <= SECOND ? Math.min(this.rate, pace) : pace;
    this.nextStart = Math.max(this.nextStart, now);
    this.lastRejection = now;
    if (retryAfterMs !== undefined) this.pause(retryAfterMs);
  }

  /** Removes one start (a rejected or abandoned call) from those counted. */
  private drop(start: number): void {
    const index = this.starts.lastIndexOf(start);
    if (index >= 0) this.starts.splice(index, 1);
  }

  /** Drops starts more than two seconds old, and rejections and successes more than one. */
  private forget(now: number): void {
    while (this.starts.length > 0 && now - this.starts[0]! > 2 * SECOND) this.starts.shift();
    for (const times of [this.rejections, this.successes]) while (times.length > 0 && now - times[0]! > SECOND) times.shift();
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(ms, 120_000));
    this.nextStart = Math.max(this.nextStart, this.pausedUntil);
  }
}
