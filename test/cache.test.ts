/**
 * `--cache DIR` (README: "Caching replies"): a warm cache answers every openai call (the fake server
 * sees none), a changed prompt re-runs its own step and the steps after it only, failed and
 * cut-short replies are never stored, runs sharing one cache at the same time leave only whole
 * entries, and an entry that is not valid is a miss with a warning, never a crash.
 */
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expectExit, readJson, baseEnv, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as run, runCliInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, Reply, RecordedRequest } from './helpers/fake-openai.js';
import { docProject, fakeOpenAI, scratch, tree } from './helpers/project.js';
import { checkResults } from './helpers/run-invariants.js';

const KEY = 'sk-test-cache-0123456789abcdef';
const USAGE = { input_tokens: 100, output_tokens: 40 };
const SAVED = { ...USAGE, cached_input_tokens: 0, cost_usd: (100 * 0.25 + 40 * 2) / 1e6 };
const NOTHING = { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 };
const echo = (req: RecordedRequest): Reply => ({ text: `echo: ${req.prompt}`, usage: USAGE });

let server: FakeOpenAI;
beforeAll(async () => (server = await fakeOpenAI(echo)));
beforeEach(() => {
  server.setHandler(echo);
  server.requests.length = 0;
});

const steps = (...prompts: string[]): unknown[] => prompts.map((prompt, i) => ({ type: 'openai', name: `s${i + 1}`, prompt }));

/** A fresh run (`generated/` removed first) of the project over DOC with `--cache cache`. */
async function cached(dir: string, args: string[] = [], code = 0, env: Record<string, string> = {}): Promise<Outcome> {
  rmSync(join(dir, 'generated'), { recursive: true, force: true });
  const outcome = await run(dir, ['--key', 'DOC:docs.list', '--cache', 'cache', '--retries', '0', ...args], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: server.url,
    ...env,
  });
  expectExit(outcome, code);
  return outcome;
}

/** Every entry file of the cache, relative to it. */
const entries = (dir: string): string[] => (existsSync(join(dir, 'cache')) ? tree(join(dir, 'cache')) : []);

const outputs = (o: Outcome): string[] => o.results.flows.map((f: { output: string }) => f.output);

describe('--cache', () => {
  test('a warm cache makes no call, gives the same outputs, and marks each step cached with what it saved', async () => {
    const dir = docProject(steps('summarise {{{DOC}}}', 'shorten'), 3);
    const cold = await cached(dir);
    expect(server.requests).toHaveLength(6);
    expect(entries(dir)).toHaveLength(6);
    expect(cold.results.flows[0].steps[0].cached).toBeUndefined();

    server.requests.length = 0;
    const warm = await cached(dir);
    expect(server.requests).toHaveLength(0);
    checkResults(warm.runDir, 3);
    expect(outputs(warm)).toEqual(outputs(cold));
    for (const flow of warm.results.flows) {
      for (const step of flow.steps) {
        // saved: what the call cost on gpt-5-mini ($0.25 in, $2 out per 1M tokens); paid now: nothing
        expect(step).toMatchObject({ status: 'succeeded', cached: true, saved: SAVED, usage: NOTHING });
        const record = readJson(join(warm.runDir, step.dir, 'step.json'));
        expect(record).toMatchObject({ cached: true, saved: SAVED, usage: NOTHING });
        // the same files a call leaves
        expect(readFileSync(join(warm.runDir, step.dir, 'output.txt'), 'utf8')).toMatch(/^echo: /);
        expect(readJson(join(warm.runDir, step.dir, 'response.json')).object).toBe('response');
      }
    }
    expect(warm.results.usage).toEqual(NOTHING);
    expect(warm.results.cache).toEqual({
      steps: 6,
      saved: { input_tokens: 600, output_tokens: 240, cached_input_tokens: 0, cost_usd: 6 * SAVED.cost_usd },
    });
    expect(cold.results.cache).toBeUndefined();
    // report over the run reads the marks back as data and sums them the same way
    const report = await runCliInProcess(['report', 'generated', '--output', 'merged'], { cwd: dir, env: baseEnv() });
    expectExit(report, 0);
    expect(report.stdout).toContain('6 steps from the cache (saved $0.0006)');
    expect(warm.stderr).toContain('6 steps from the cache (saved 600 in / 240 out, $0.0006)');
  });

  test('after steps go through the cache too, marked cached in results.json "after"', async () => {
    const dir = docProject({ steps: steps('ask {{{DOC}}}'), after: [{ type: 'openai', name: 'overview', prompt: 'Sum up.' }] }, 2);
    const cold = await cached(dir);
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    const warm = await cached(dir);
    expect(server.requests).toHaveLength(0);
    expect(warm.results.after.output).toBe(cold.results.after.output);
    expect(warm.results.after.steps[0]).toMatchObject({
      status: 'succeeded',
      cached: true,
      saved: SAVED,
      usage: NOTHING,
    });
  });

  test('a secret in a reply is masked in the entry, as in response.json', async () => {
    const dir = docProject(steps('ask {{{DOC}}}'), 1);
    server.setHandler(() => ({ text: `the key is ${KEY}`, usage: USAGE }));
    const cold = await cached(dir);
    const [file] = entries(dir);
    expect(readFileSync(join(dir, 'cache', file!), 'utf8')).not.toContain(KEY);
    server.requests.length = 0;
    const warm = await cached(dir);
    expect(server.requests).toHaveLength(0);
    expect(outputs(warm)).toEqual(['the key is ***']);
    expect(outputs(warm)).toEqual(outputs(cold));
  });

  test('a changed prompt runs its own step and the steps after it again, and only those', async () => {
    const dir = docProject(steps('first {{{DOC}}}', 'second', 'third'), 2);
    await cached(dir);
    expect(server.requests).toHaveLength(6);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(steps('first {{{DOC}}}', 'SECOND, changed', 'third')));
    server.requests.length = 0;
    const again = await cached(dir);
    expect(server.requests.map((r) => r.prompt.split('\n')[0]).sort()).toEqual(['SECOND, changed', 'SECOND, changed', 'third', 'third']);
    for (const flow of again.results.flows)
      expect(flow.steps.map((s: { cached?: boolean }) => s.cached === true)).toEqual([true, false, false]);
  });

  test('the model and the API are part of the key: changing either calls again', async () => {
    const dir = docProject(steps('ask {{{DOC}}}'), 1);
    await cached(dir);
    await cached(dir, ['--model', 'other-model']);
    await cached(dir, ['--api', 'chat']);
    expect(server.requests.map((r) => `${r.path} ${r.body.model}`)).toEqual([
      '/v1/responses gpt-5-mini',
      '/v1/responses other-model',
      '/v1/chat/completions gpt-5-mini',
    ]);
    server.requests.length = 0;
    await cached(dir, ['--api', 'chat']);
    expect(server.requests).toHaveLength(0);
  });

  test('failed calls, cut-short replies and an array step answered with no array are never stored', async () => {
    const dir = docProject(steps('ask {{{DOC}}}'), 3);
    server.setHandler((req) => {
      if (req.prompt.includes('doc-1')) return { status: 500, json: { error: { message: 'boom', type: 'server_error' } } };
      if (req.prompt.includes('doc-2')) return { text: 'half an ans', incomplete: 'max_output_tokens' };
      return echo(req);
    });
    const first = await cached(dir, [], 1);
    expect(first.results.flows.map((f: { status: string }) => f.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(entries(dir)).toHaveLength(1);
    server.setHandler(echo);
    server.requests.length = 0;
    await cached(dir);
    // flows 1 and 2 call side by side: their requests arrive in either order
    expect(server.requests.map((r) => r.prompt).sort()).toEqual(['ask doc-1', 'ask doc-2']);

    const arrays = docProject([{ type: 'openai', prompt: 'list {{{DOC}}}', array: true }], 1);
    server.setHandler(() => ({ text: 'not an array', usage: USAGE }));
    await cached(arrays, [], 1);
    expect(entries(arrays)).toHaveLength(0);
  });

  test('an entry that is not valid is a miss with a warning naming it, and is replaced', async () => {
    const dir = docProject(steps('ask {{{DOC}}}'), 5);
    await cached(dir);
    const files = entries(dir).map((f) => join(dir, 'cache', f));
    expect(files).toHaveLength(5);
    writeFileSync(files[0]!, '{"schema": 1, "key": "tru');
    const entry = readJson(files[1]!);
    writeFileSync(files[1]!, JSON.stringify({ ...entry, response: { ...entry.response, status: 'incomplete' } }));
    writeFileSync(files[2]!, JSON.stringify({ ...entry, key: '0'.repeat(64) }));
    rmSync(files[3]!);
    symlinkSync(join(dir, 'docs', '1.txt'), files[3]!);
    const long = {
      ...entry,
      key: basename(files[4]!, '.json'),
      response: {
        ...entry.response,
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x'.repeat(5000) }] }],
      },
    };
    writeFileSync(files[4]!, JSON.stringify(long));
    server.requests.length = 0;
    const again = await cached(dir, [], 0, { ORCHESTRATOR_MAX_OUTPUT_BYTES: '4096' });
    expect(server.requests).toHaveLength(5);
    expect(again.stderr).toContain(`the response cache entry ${files[0]} is not used (it is not JSON)`);
    expect(again.stderr).toContain('its reply is not usable: the reply was cut short');
    expect(again.stderr).toContain('its "key" is not the key its file is named by');
    expect(again.stderr).toContain('it is a symbolic link, which is not followed');
    expect(again.stderr).toContain("its reply is larger than the 4 KiB a step's output may be");
    server.requests.length = 0;
    await cached(dir);
    expect(server.requests).toHaveLength(0);
  });

  test('composes with --resume: steps kept by the run are reused first, keeping their cached mark', async () => {
    const dir = docProject(steps('first {{{DOC}}}', 'second'), 2);
    server.setHandler((req) => (req.prompt.startsWith('second') && req.prompt.includes('doc-2') ? { status: 400, json: {} } : echo(req)));
    await cached(dir, [], 1);
    // a fresh run: step one from the cache everywhere, flow 2 fails at step two again
    server.requests.length = 0;
    const second = await cached(dir, [], 1);
    expect(server.requests.map((r) => r.prompt.split('\n')[0])).toEqual(['second']);
    server.setHandler(echo);
    server.requests.length = 0;
    const resumed = await run(dir, ['--key', 'DOC:docs.list', '--cache', 'cache', '--resume'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
    });
    expectExit(resumed, 0);
    expect(server.requests.map((r) => r.prompt.split('\n')[0])).toEqual(['second']);
    // flow 1 was kept whole; flow 2 kept its step one (answered from the cache in the earlier attempt)
    expect(resumed.results.flows[0]).toEqual(second.results.flows[0]);
    expect(resumed.results.flows[1].steps.map((s: { cached?: boolean }) => s.cached === true)).toEqual([true, false]);
    expect(resumed.results.flows[1].steps[0].saved).toEqual(SAVED);
  });

  test('with --batch: misses go in a batch, a warm cache makes no request at all, saved at batch prices', async () => {
    const dir = docProject(steps('ask {{{DOC}}}'), 3);
    const batchEnv = { ORCHESTRATOR_BATCH_GATHER_MS: '300', ORCHESTRATOR_BATCH_POLL_MS: '50' };
    const cold = await cached(dir, ['--batch'], 0, batchEnv);
    expect(server.requests.some((r) => r.path === '/v1/batches')).toBe(true);
    expect(entries(dir)).toHaveLength(3);
    server.requests.length = 0;
    const warm = await cached(dir, ['--batch'], 0, batchEnv);
    expect(server.requests).toEqual([]);
    expect(outputs(warm)).toEqual(outputs(cold));
    expect(warm.results.flows[0].steps[0]).toMatchObject({ cached: true, saved: { ...SAVED, cost_usd: SAVED.cost_usd / 2 } });
  });

  test('runs sharing one cache at the same time leave only whole entries, which a later run uses', async () => {
    const dir = docProject(steps('first {{{DOC}}}', 'second'), 20);
    const env = baseEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    server.setHandler((req) => ({ ...echo(req), delayMs: 5 }));
    const both = await Promise.all(
      ['a', 'b'].map((id) =>
        runCliInProcess(['config.json', '--key', 'DOC:docs.list', '--cache', 'cache', '--run-id', id, '--parallel', '8'], {
          cwd: dir,
          env,
        }),
      ),
    );
    for (const o of both) expectExit(o, 0);
    const files = entries(dir);
    expect(files).toHaveLength(40);
    for (const file of files) expect(readJson(join(dir, 'cache', file)).schema).toBe(1);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const a = readJson(join(dir, 'generated', 'run_a', 'results.json'));
    server.requests.length = 0;
    const later = await cached(dir);
    expect(server.requests).toHaveLength(0);
    expect(outputs(later)).toEqual(a.flows.map((f: { output: string }) => f.output));
  });

  test('a --cache that cannot be a directory stops before anything runs (exit 2)', async () => {
    const dir = scratch({ 'config.json': JSON.stringify(steps('hi')), cache: 'a file' });
    const o = await runCliInProcess(['config.json', '--cache', 'cache/x'], {
      cwd: dir,
      env: baseEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url }),
    });
    expectExit(o, 2);
    expect(o.stderr).toContain('--cache "cache/x": cannot use it as the response cache');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['cache', 'config.json']);
  });
});
