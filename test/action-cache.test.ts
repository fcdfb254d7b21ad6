/**
 * The Action's `cache: true` (README: "Caching replies"): the bundle restores the response cache
 * from the Actions cache before the run and saves it after, through the real `@actions/cache`
 * against a loopback stand-in of the cache service (v2: Twirp plus blob upload and download). A
 * later job answers every call from it; a job whose config changed restores by prefix and calls
 * only for what changed; without a cache service the run goes on with a warning.
 */
import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_BUNDLE, annotations, runAction, type ActionResult } from './helpers/action.js';
import { startCacheService, type CacheService } from './helpers/cache-service.js';
import { readJson, writeFiles } from './helpers/cli.js';
import type { FakeOpenAI } from './helpers/fake-openai.js';
import { closeAfterAll, fakeOpenAI, keyFiles, scratch } from './helpers/project.js';

const KEY = 'sk-test-ActionCache-0123456789';
const DOCS = keyFiles('docs.txt', { 'docs/a.md': 'alpha', 'docs/b.md': 'beta', 'docs/c.md': 'gamma' });
const config = (second: string): string =>
  JSON.stringify([
    { type: 'openai', name: 'one', prompt: 'Summarise {{{doc}}}' },
    { type: 'openai', name: 'two', prompt: second },
  ]);

let fake: FakeOpenAI;
let service: CacheService;
let runner: string;
beforeAll(async () => {
  runner = realpathSync(scratch());
  expect(existsSync(ACTION_BUNDLE)).toBe(true);
  fake = await fakeOpenAI((req) => ({ text: `echo: ${req.prompt}`, usage: { input_tokens: 50, output_tokens: 5 } }));
  service = closeAfterAll(await startCacheService());
});

/**
 * One job of workflow run `runId` on a fresh runner: the workspace and RUNNER_TEMP emptied first,
 * at the same paths each time, as on GitHub's runners (the cache's version covers its path).
 */
async function job(runId: string, second: string, env: Record<string, string | undefined> = service.env()): Promise<ActionResult> {
  fake.requests.length = 0;
  const ws = join(runner, 'work');
  const temp = join(runner, 'temp');
  for (const dir of [ws, temp]) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
  }
  writeFiles(ws, { 'config.json': config(second), ...DOCS });
  const result = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, 'openai-api-key': KEY, cache: 'true', upload: 'false' },
    { workspace: ws, env: { ...env, GITHUB_RUN_ID: runId, RUNNER_TEMP: temp }, timeoutMs: 60_000 },
  );
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}\n${result.stderr}`);
  return Object.assign(result, { results: readJson(join(ws, 'generated', `run_gh${runId}`, 'results.json')) });
}

const cachedSteps = (result: ActionResult): boolean[][] =>
  (result as ActionResult & { results: any }).results.flows.map((f: any) => f.steps.map((s: any) => s.cached === true));

test('cache: true saves the replies after a run, and a later job restores them and makes no call', async () => {
  const first = await job('200', 'Shorten');
  expect(fake.requests).toHaveLength(6);
  const saved = service.entries.filter((e) => e.finalized);
  expect(saved.map((e) => e.key)).toEqual([expect.stringMatching(/^orchestrator-cache-v1-[0-9a-f]{16}-all-200-1$/)]);
  expect(first.stdout).toContain('No response cache to restore');

  const second = await job('201', 'Shorten');
  expect(fake.requests).toHaveLength(0);
  expect(cachedSteps(second)).toEqual([
    [true, true],
    [true, true],
    [true, true],
  ]);
  expect(second.stdout).toContain(`Restored the response cache from ${saved[0]!.key}.`);
  expect(second.summary).toContain('6 steps from the cache (saved $0.0001)');
  const lookup = service.calls.filter((c) => c.method === 'GetCacheEntryDownloadURL').at(-1)!.body;
  const config = /^orchestrator-cache-v1-([0-9a-f]{16})-/.exec(saved[0]!.key)![1];
  expect(lookup.key).toBe(`orchestrator-cache-v1-${config}-all-201-1`);
  expect(lookup.restore_keys).toEqual([
    `orchestrator-cache-v1-${config}-all-`,
    `orchestrator-cache-v1-${config}-`,
    'orchestrator-cache-v1-',
  ]);
  // nothing new: no second entry
  expect(second.stdout).toContain('The response cache gained no reply: not saved.');
  expect(service.entries.filter((e) => e.finalized)).toHaveLength(1);
  expect(annotations(second, 'warning')).toEqual([]);

  // a changed second prompt: a new config hash, restored by the prefix of any config; only step two calls
  const third = await job('202', 'Shorten, changed');
  expect(fake.requests.map((r) => r.prompt.split('\n')[0])).toEqual(['Shorten, changed', 'Shorten, changed', 'Shorten, changed']);
  expect(cachedSteps(third)).toEqual([
    [true, false],
    [true, false],
    [true, false],
  ]);
  expect(service.entries.filter((e) => e.finalized)).toHaveLength(2);
});

test('cache: true without a cache service warns and runs every call', async () => {
  const result = await job('300', 'Other', { ACTIONS_RESULTS_URL: undefined, ACTIONS_RUNTIME_TOKEN: undefined });
  expect(fake.requests).toHaveLength(6);
  expect(annotations(result, 'warning').join('\n')).toContain(
    "The input 'cache' is true, but the Actions cache service is not available here",
  );
});
