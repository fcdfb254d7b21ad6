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
 * (calls started minus calls rejected, so a burst of rejections converges on the server's limit)
 * and makes every caller wait out `Retry-After`; each second without a 429 raises the pace by 5 %
 * to find the limit again (AIMD, as TCP does). When the x-ratelimit headers say the quota is used
 * up, callers wait for its reset instead of being rejected.
 */
export class RateLimiter {
  /** Call starts per second; Infinity until the server pushes back. */
  private rate = Infinity;
  private nextStart = 0;
  private pausedUntil = 0;
  private lastRejection = -Infinity;
  private lastRaise = 0;
  /** Start times of calls, and times of rejections, within the last second. */
  private readonly starts: number[] = [];
  private readonly rejections: number[] = [];
  /** Calls rejected with 429 so far. */
  rejected = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Current pace in calls per second (Infinity: none). */
  get callsPerSecond(): number {
    return this.rate;
  }

  /** Waits until this call may start: after any pause, and its place in the pace. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    let start = Math.max(now, this.pausedUntil);
    if (Number.isFinite(this.rate)) {
      start = Math.max(start, this.nextStart);
      this.nextStart = start + SECOND / this.rate;
    }
    if (start > now) await sleep(start - now, signal);
    this.starts.push(this.now());
  }

  /** A call succeeded: probe for a higher pace, and pause when the server says the quota is used up. */
  succeeded(headers?: HeaderReader): void {
    const now = this.now();
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

  /** A call was rejected with 429: slow the pace (once per burst) and wait what the server asked. */
  rateLimited(retryAfterMs: number | undefined): void {
    this.rejected++;
    const now = this.now();
    this.rejections.push(now);
    for (const times of [this.starts, this.rejections]) while (times.length > 0 && now - times[0]! > SECOND) times.shift();
    const accepted = Math.max(1, this.starts.length - this.rejections.length);
    const pace = Math.max(0.5, accepted * 0.95);
    // within a burst the estimate only falls, as more of the burst's rejections arrive
    this.rate = now - this.lastRejection <= SECOND ? Math.min(this.rate, pace) : pace;
    this.nextStart = Math.max(this.nextStart, now);
    this.lastRejection = now;
    if (retryAfterMs !== undefined) this.pause(retryAfterMs);
  }

  private pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(ms, 120_000));
    this.nextStart = Math.max(this.nextStart, this.pausedUntil);
  }
}
