/**
 * The response cache's key and wiring (cache/key.ts, cache/runner.ts): the key covers everything a
 * request sends and the server it goes to, and only openai steps go through the cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKeys } from '../../src/action/cache-keys.js';
import { cacheKey } from '../../src/cache/key.js';
import { CachedRunner, withCache } from '../../src/cache/runner.js';
import { ResponseCache } from '../../src/cache/store.js';
import { modelRequest } from '../../src/steps/model-request.js';
import type { StepRunner } from '../../src/steps/runner.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cache-unit-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const plain = { array: false };
const URL = 'https://api.example.com/v1';

describe('cache key', () => {
  const base = cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello'), URL);

  test('is a sha256 of the request as sent: the same request, the same key', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello'), URL)).toBe(base);
  });

  test('changes with the prompt, the model, the API, structured output and the server', () => {
    const others = [
      cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello!'), URL),
      cacheKey(modelRequest(plain, 'gpt-5-mini', 'responses', 'hello'), URL),
      cacheKey(modelRequest(plain, 'gpt-5', 'chat', 'hello'), URL),
      cacheKey(modelRequest({ array: true }, 'gpt-5', 'responses', 'hello'), URL),
      cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello'), 'http://127.0.0.1:9/v1'),
      cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello'), undefined),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  test('covers any field a request carries, settings added later included', () => {
    const request = modelRequest(plain, 'gpt-5', 'responses', 'hello');
    const withSetting = { ...request, body: { ...request.body, temperature: 0.2 } } as typeof request;
    const withInstructions = { ...request, body: { ...request.body, instructions: 'be brief' } } as typeof request;
    expect(cacheKey(withSetting, URL)).not.toBe(base);
    expect(cacheKey(withInstructions, URL)).not.toBe(base);
  });

  test('a base URL with credentials has the key of the same URL without them', () => {
    expect(cacheKey(modelRequest(plain, 'gpt-5', 'responses', 'hello'), 'https://user:secret-pass@api.example.com/v1')).toBe(base);
  });
});

describe('withCache', () => {
  const runner = (): StepRunner => ({ run: () => Promise.reject(new Error('not called')) });

  test('wraps openai steps only: codex steps act on files and are never cached, cmd steps neither', () => {
    const runners = { openai: runner(), codex: runner(), cmd: runner() };
    const plan = { options: { offline: false, baseUrl: undefined, env: {} } };
    const wrapped = withCache(runners, plan, new ResponseCache(dir), () => undefined);
    expect(wrapped.openai).toBeInstanceOf(CachedRunner);
    expect(wrapped.codex).toBe(runners.codex);
    expect(wrapped.cmd).toBe(runners.cmd);
  });

  test('offline runs call nothing, so nothing is cached', () => {
    const runners = { openai: runner(), codex: runner(), cmd: runner() };
    const plan = { options: { offline: true, baseUrl: undefined, env: {} } };
    expect(withCache(runners, plan, new ResponseCache(dir), () => undefined)).toBe(runners);
  });
});

describe('Actions cache keys (cache: true)', () => {
  const hash = 'ab'.repeat(32);

  test('one key per job attempt; restored by shard, then config, then any config of this artifact name', () => {
    expect(cacheKeys({ prefix: 'orchestrator', configHash: hash, shard: { index: 1, count: 1 }, runId: '42', attempt: '2' })).toEqual({
      key: 'orchestrator-cache-v1-abababababababab-all-42-2',
      restoreKeys: ['orchestrator-cache-v1-abababababababab-all-', 'orchestrator-cache-v1-abababababababab-', 'orchestrator-cache-v1-'],
    });
  });

  test('each shard of a matrix restores its own flows first', () => {
    const keys = cacheKeys({ prefix: 'docs', configHash: hash, shard: { index: 3, count: 8 }, runId: '42', attempt: '1' });
    expect(keys.key).toBe('docs-cache-v1-abababababababab-3-of-8-42-1');
    expect(keys.restoreKeys[0]).toBe('docs-cache-v1-abababababababab-3-of-8-');
    // every restore key is a prefix of the saved key: a later attempt finds this one
    for (const prefix of keys.restoreKeys) expect(keys.key.startsWith(prefix)).toBe(true);
  });
});
