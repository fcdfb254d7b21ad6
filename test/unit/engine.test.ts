import { parseArrayOutput } from '../../src/engine/array.js';
import { backoffMs, defaultRetryPolicy, MAX_TIMER_MS, retryAfterMs, sleep, type RetryPolicy } from '../../src/steps/retry.js';
import { Slots, comparePriority } from '../../src/engine/slots.js';

describe('parseArrayOutput', () => {
  test('a plain JSON array: strings as they are, other values as JSON', () => {
    expect(parseArrayOutput('["a", "b c", 3, {"k": [1, 2]}, null, true, ["x"]]')).toEqual({
      elements: ['a', 'b c', '3', '{"k":[1,2]}', 'null', 'true', '["x"]'],
    });
  });

  test('surrounding whitespace is allowed', () => {
    expect(parseArrayOutput('\n  ["a"]\n\n')).toEqual({ elements: ['a'] });
  });

  test('a single ```json fenced block', () => {
    expect(parseArrayOutput('```json\n["a", "b"]\n```')).toEqual({ elements: ['a', 'b'] });
    expect(parseArrayOutput('```json\n[\n  "a",\n  "b"\n]\n```\n')).toEqual({ elements: ['a', 'b'] });
    expect(parseArrayOutput('```\n[1]\n```')).toEqual({ elements: ['1'] });
    expect(parseArrayOutput('```JSON\n["x"]\n```')).toEqual({ elements: ['x'] });
  });

  test('an empty array has no elements', () => {
    expect(parseArrayOutput('[]')).toEqual({ elements: [] });
    expect(parseArrayOutput('```json\n[]\n```')).toEqual({ elements: [] });
  });

  test('max_items: an array longer than the cap is an error naming both numbers; up to the cap is fine', () => {
    const three = '["a", "b", "c"]';
    expect(parseArrayOutput(three, 3)).toEqual({ elements: ['a', 'b', 'c'] });
    expect(parseArrayOutput(three, 2)).toEqual({
      error:
        'the array has 3 elements, more than max_items 2; raise "max_items" on this step if that many branches are intended, or ask for fewer elements',
    });
    expect(parseArrayOutput('{"items": [1, 2, 3]}', 2)).toHaveProperty('error', expect.stringMatching(/3 elements, more than max_items 2/));
  });

  test('structured output: the array wrapped as {"items": [...]} is unwrapped', () => {
    expect(parseArrayOutput('{"items": ["a", "b"]}')).toEqual({ elements: ['a', 'b'] });
  });

  test.each([
    ['an object', '{"list": ["a"]}'],
    ['an object with more than the wrapped items', '{"items": ["a"], "more": 1}'],
    ['a string', '"a"'],
    ['prose', 'Here is the list: a, b'],
    ['broken JSON', '["a", '],
    ['prose around a fence', 'Sure!\n```json\n["a"]\n```'],
    ['a fence of something else', '```json\n{"a": 1}\n```'],
    ['nothing', ''],
  ])('not an array: %s', (_what, output) => {
    const result = parseArrayOutput(output);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(JSON.stringify(output));
  });

  test('the error shows the first 200 characters only', () => {
    const output = 'x'.repeat(150) + 'y'.repeat(50) + 'z'.repeat(300);
    const { error } = parseArrayOutput(output) as { error: string };
    expect(error).toContain('x'.repeat(150) + 'y'.repeat(50));
    expect(error).not.toContain('z');
    expect(error).toMatch(/JSON array/);
  });
});

describe('retryAfterMs', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });

  test('retry-after in seconds', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }))).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterMs(headers({ 'retry-after': '0' }))).toBe(0);
  });

  test('retry-after as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }), now)).toBe(7000);
    // a date in the past means: now
    expect(retryAfterMs(headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
  });

  test('retry-after-ms wins over retry-after', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '10' }))).toBe(250);
  });

  test('a wait longer than a timer holds is clamped, never Infinity (a longer timer would fire at once)', () => {
    const policy: RetryPolicy = { retries: 1, baseMs: 1000, maxMs: 120_000 };
    const now = Date.parse('2025-01-01T00:00:00Z');
    const asking: Record<string, string>[] = [
      { 'retry-after': '1e308' },
      { 'retry-after': '99999999999' },
      { 'retry-after-ms': '1e300' },
      { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' },
    ];
    for (const asked of asking) {
      const ms = retryAfterMs(headers(asked), now)!;
      expect(ms).toBe(MAX_TIMER_MS);
      expect(backoffMs(1, policy, ms, () => 0.5)).toBe(policy.maxMs);
    }
  });

  test('nothing usable', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(headers({}))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': 'x' }))).toBeUndefined();
  });
});

describe('backoffMs', () => {
  const policy: RetryPolicy = { retries: 5, baseMs: 1000, maxMs: 10_000 };

  test('exponential, jittered within its upper half', () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const full = 1000 * 2 ** (attempt - 1);
      expect(backoffMs(attempt, policy, undefined, () => 0)).toBe(full / 2);
      expect(backoffMs(attempt, policy, undefined, () => 0.999999)).toBeCloseTo(full, -1);
      for (let i = 0; i < 50; i++) {
        const wait = backoffMs(attempt, policy, undefined);
        expect(wait).toBeGreaterThanOrEqual(full / 2);
        expect(wait).toBeLessThanOrEqual(full);
      }
    }
  });

  test('capped at maxMs', () => {
    expect(backoffMs(20, policy, undefined, () => 1)).toBeLessThanOrEqual(policy.maxMs);
    expect(backoffMs(20, policy, undefined, () => 0)).toBeGreaterThanOrEqual(policy.maxMs / 2);
  });

  test('honours what the server asked, with a little jitter, capped', () => {
    expect(backoffMs(1, policy, 5000, () => 0)).toBe(5000);
    const wait = backoffMs(1, policy, 5000, () => 1);
    expect(wait).toBeGreaterThan(5000);
    expect(wait).toBeLessThanOrEqual(6000);
    expect(backoffMs(1, policy, 3_600_000, () => 0.5)).toBe(policy.maxMs);
    // the server's wait is used even when shorter than our own backoff would be
    expect(backoffMs(5, policy, 100, () => 0)).toBe(100);
  });

  test('defaultRetryPolicy: ORCHESTRATOR_RETRY_BASE_MS shortens the base', () => {
    expect(defaultRetryPolicy(3)).toMatchObject({ retries: 3, baseMs: 1000 });
    expect(defaultRetryPolicy(2, { ORCHESTRATOR_RETRY_BASE_MS: '10' })).toMatchObject({ retries: 2, baseMs: 10 });
    expect(defaultRetryPolicy(2, { ORCHESTRATOR_RETRY_BASE_MS: 'x' })).toMatchObject({ baseMs: 1000 });
  });

  test('sleep rejects at once when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  test('sleep longer than a timer holds waits (it does not fire after 1 ms)', async () => {
    const controller = new AbortController();
    let settled = false;
    const waiting = sleep(2 ** 31 + 1000, controller.signal).then(
      () => (settled = true),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    controller.abort(new Error('stop'));
    await waiting;
  });
});

describe('Slots', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  test('comparePriority: lexicographic, shorter first', () => {
    expect(comparePriority([1], [2])).toBeLessThan(0);
    expect(comparePriority([2, 1], [2, 3])).toBeLessThan(0);
    expect(comparePriority([2], [2, 1])).toBeLessThan(0);
    expect(comparePriority([3], [2, 9])).toBeGreaterThan(0);
    expect(comparePriority([1, 2], [1, 2])).toBe(0);
    expect(comparePriority([5], [Infinity])).toBeLessThan(0);
  });

  test('never more than `limit` holders, under random load', async () => {
    for (const limit of [1, 2, 3, 8]) {
      const slots = new Slots(limit);
      let holding = 0;
      let most = 0;
      const worker = async (i: number) => {
        for (let round = 0; round < 5; round++) {
          await slots.acquire([i % 7, round]);
          holding++;
          most = Math.max(most, holding);
          expect(holding).toBeLessThanOrEqual(limit);
          for (let t = Math.floor(Math.random() * 3); t >= 0; t--) await tick();
          holding--;
          slots.release();
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i)));
      expect(most).toBe(limit);
      expect(slots.peak).toBe(limit);
    }
  });

  test('a freed slot goes to the waiter with the smallest priority', async () => {
    const slots = new Slots(1);
    await slots.acquire([0]);
    const order: string[] = [];
    const wait = (name: string, priority: number[]) => slots.acquire(priority).then(() => order.push(name));
    const all = [
      wait('new flow', [Infinity]),
      wait('flow 3', [3]),
      wait('flow 1 branch 2', [1, 2]),
      wait('flow 1', [1]),
      wait('flow 2', [2]),
      wait('flow 1 branch 1', [1, 1]),
    ];
    for (let i = 0; i < all.length; i++) {
      slots.release();
      await tick();
    }
    await Promise.all(all);
    expect(order).toEqual(['flow 1', 'flow 1 branch 1', 'flow 1 branch 2', 'flow 2', 'flow 3', 'new flow']);
  });

  test('50,000 waiters (a huge fan-out) are served in priority order, equal priorities first come first served', async () => {
    // the waiting list was a linear scan per grant (over a billion comparisons here); a heap needs about a million
    const slots = new Slots(1);
    await slots.acquire([0]);
    const n = 50_000;
    const order: number[] = [];
    const waits: Promise<void>[] = [];
    // branch paths of one flow in a scrambled order, plus a few equal ones that keep their arrival order
    for (let k = 0; k < n; k++) {
      const e = (k * 7919) % n;
      waits.push(
        slots.acquire([1, e + 1]).then(() => {
          order.push(e);
          slots.release();
        }),
      );
    }
    const equal: string[] = [];
    for (const name of ['a', 'b', 'c'])
      waits.push(
        slots.acquire([1, n + 1]).then(() => {
          equal.push(name);
          slots.release();
        }),
      );
    expect(slots.waiting).toBe(n + 3);
    slots.release();
    await Promise.all(waits);
    expect(order).toHaveLength(n);
    expect(order.every((e, i) => e === i)).toBe(true);
    expect(equal).toEqual(['a', 'b', 'c']);
    expect(slots.waiting).toBe(0);
  }, 15_000);

  test('reacquire gives the slot to a better waiter first', async () => {
    const slots = new Slots(1);
    await slots.acquire([5]);
    const order: string[] = [];
    const better = slots.acquire([1]).then(() => order.push('better'));
    const again = slots.reacquire([5]).then(() => order.push('again'));
    await tick();
    expect(order).toEqual(['better']);
    slots.release();
    await Promise.all([better, again]);
    expect(order).toEqual(['better', 'again']);
  });

  test('reacquire keeps the slot when nobody better waits', async () => {
    const slots = new Slots(1);
    await slots.acquire([1]);
    const worse = slots.acquire([Infinity]);
    let got = false;
    void worse.then(() => (got = true));
    await slots.reacquire([1]);
    await tick();
    expect(got).toBe(false);
    slots.release();
    await worse;
    expect(slots.peak).toBe(1);
  });
});
