/**
 * The CLI (in the jest process; one test in a child) against the loopback fake OpenAI server: openai steps through the
 * official SDK (Responses and Chat Completions), key, base URL and model precedence, usage, our own
 * retries, --parallel and depth-first scheduling, and timeouts that kill whole process trees.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { DEFAULT_MODEL } from '../src/engine/options.js';
import { expectExit, orchestrate as runChild, readJson, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as run } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { survivors } from './helpers/processes.js';
import { fakeOpenAI, keyFiles, project } from './helpers/project.js';

/** What the default model (gpt-5-mini: $0.25 per 1M input tokens, $2 per 1M output tokens) costs for these tokens. */
const miniCost = (input: number, output: number): number => Math.round((input * 0.25 + output * 2) * 1e6) / 1e12;

const KEY = 'sk-test-models-0123456789abcdef';

/** Key files for n flows: docs/dNN.txt holding `Dnn`, listed in docs.list. */
function docs(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) files[`docs/d${String(i).padStart(2, '0')}.txt`] = `D${i}`;
  return keyFiles('docs.list', files);
}

/** Runs `orchestrator config.json --run-id t ...args` in dir with a key and the fake as OPENAI_BASE_URL. */
const orchestrate = (
  dir: string,
  server: FakeOpenAI | undefined,
  args: string[] = [],
  extraEnv: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
  // a child process: the SDK's timeout error is of another realm in jest's, and reads as "could not reach"
  runner: typeof run = run,
): Promise<Outcome> => runner(dir, args, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server?.url, ...extraEnv }, { timeoutMs });

const modelCalls = (server: FakeOpenAI): RecordedRequest[] =>
  server.requests.filter((r) => r.path === '/v1/responses' || r.path === '/v1/chat/completions');

describe('openai steps through the official SDK', () => {
  test('Responses API by default: model, assembled prompt, bearer key, usage, response.json and output.txt', async () => {
    let n = 0;
    const server = await fakeOpenAI((req) => ({
      text: `answer ${++n}: ${req.prompt.split('\n')[0]}`,
      usage: { input_tokens: 10 * n, output_tokens: n },
    }));
    const dir = project(
      [
        { type: 'openai', name: 'draft', prompt: 'Draft about {{{DOC}}}' },
        { type: 'openai', name: 'polish', prompt: 'Polish this.' },
      ],
      docs(2),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '1']);
    expectExit(o, 0);

    const calls = modelCalls(server);
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.method).toBe('POST');
      expect(call.path).toBe('/v1/responses');
      expect(call.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(call.body.model).toBe(DEFAULT_MODEL);
    }
    // --parallel 1: flow 1's two steps, then flow 2's
    expect(calls[0]!.body.input).toBe('Draft about D1');
    expect(calls[1]!.body.input).toBe('Polish this.\n\nanswer 1: Draft about D1');
    expect(calls[2]!.body.input).toBe('Draft about D2');
    expect(calls[3]!.body.input).toBe('Polish this.\n\nanswer 3: Draft about D2');

    const stepDir = join(o.runDir, 'flow_0001', '01_draft');
    expect(readFileSync(join(stepDir, 'prompt.txt'), 'utf8')).toBe('Draft about D1');
    expect(readFileSync(join(stepDir, 'output.txt'), 'utf8')).toBe('answer 1: Draft about D1');
    const response = readJson(join(stepDir, 'response.json'));
    expect(response.object).toBe('response');
    expect(response.usage.input_tokens).toBe(10);
    expect(readFileSync(join(o.runDir, 'flow_0001', '02_polish', 'output.txt'), 'utf8')).toBe('answer 2: Polish this.');

    const leaf = readJson(join(o.runDir, 'flow_0001', 'result.json'));
    expect(leaf.status).toBe('succeeded');
    expect(leaf.output).toBe('answer 2: Polish this.');
    expect(leaf.final_message).toBeNull();
    expect(leaf.steps.map((s: any) => [s.name, s.type, s.status, s.usage])).toEqual([
      ['draft', 'openai', 'succeeded', { input_tokens: 10, output_tokens: 1, cached_input_tokens: 0, cost_usd: miniCost(10, 1) }],
      ['polish', 'openai', 'succeeded', { input_tokens: 20, output_tokens: 2, cached_input_tokens: 0, cost_usd: miniCost(20, 2) }],
    ]);

    expect(o.results).toMatchObject({ schema: 1, run_id: 'run_t', flows_total: 2, total: 2, succeeded: 2, failed: 0, cancelled: 0 });
    expect(o.results.flows.map((f: any) => f.id)).toEqual(['flow_0001', 'flow_0002']);
    expect(o.results.flows[1].steps.map((s: any) => s.usage)).toEqual([
      { input_tokens: 30, output_tokens: 3, cached_input_tokens: 0, cost_usd: miniCost(30, 3) },
      { input_tokens: 40, output_tokens: 4, cached_input_tokens: 0, cost_usd: miniCost(40, 4) },
    ]);
    // summed over every step of every flow
    expect(o.results.usage).toEqual({ input_tokens: 100, output_tokens: 10, cached_input_tokens: 0, cost_usd: miniCost(100, 10) });
    // nothing on stdout: no codex final message to point at
    expect(o.stdout).toBe('');
  }, 30_000);

  test('Chat Completions with "api": "chat" on the step, as a config default, and with --api chat', async () => {
    const server = await fakeOpenAI((req) => ({ text: `chat: ${req.prompt}`, usage: { input_tokens: 3, output_tokens: 4 } }));

    // step api
    let dir = project([
      { type: 'openai', name: 'a', prompt: 'one', api: 'chat' },
      { type: 'openai', name: 'b', prompt: 'two' },
    ]);
    let o = await orchestrate(dir, server);
    expectExit(o, 0);
    expect(modelCalls(server).map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/responses']);
    const chat = modelCalls(server)[0]!;
    expect(chat.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(chat.body.model).toBe(DEFAULT_MODEL);
    expect(chat.body.messages).toEqual([{ role: 'user', content: 'one' }]);
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_a', 'output.txt'), 'utf8')).toBe('chat: one');
    expect(readJson(join(o.runDir, 'flow_0001', '01_a', 'response.json')).object).toBe('chat.completion');
    // chat usage (prompt_tokens / completion_tokens) is recorded as input / output tokens
    expect(o.results.flows[0].steps[0].usage).toEqual({
      input_tokens: 3,
      output_tokens: 4,
      cached_input_tokens: 0,
      cost_usd: miniCost(3, 4),
    });
    expect(o.results.usage).toEqual({ input_tokens: 6, output_tokens: 8, cached_input_tokens: 0, cost_usd: miniCost(6, 8) });

    // --api chat for steps that name none; a step's own "api" still wins
    server.requests.length = 0;
    dir = project([
      { type: 'openai', name: 'a', prompt: 'one' },
      { type: 'openai', name: 'b', prompt: 'two', api: 'responses' },
    ]);
    o = await orchestrate(dir, server, ['--api', 'chat']);
    expectExit(o, 0);
    expect(modelCalls(server).map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/responses']);
    expect(modelCalls(server)[0]!.body.messages).toEqual([{ role: 'user', content: 'one' }]);
    expect(modelCalls(server)[1]!.body.input).toBe('two\n\nchat: one');

    // config default "api": "chat" beats --api responses
    server.requests.length = 0;
    dir = project({ api: 'chat', steps: [{ type: 'openai', prompt: 'three' }] });
    o = await orchestrate(dir, server, ['--api', 'responses']);
    expectExit(o, 0);
    expect(modelCalls(server).map((r) => r.path)).toEqual(['/v1/chat/completions']);
  }, 30_000);

  test('OPENAI_BASE_URL is honoured and --base-url overrides it', async () => {
    const viaEnv = await fakeOpenAI();
    const viaFlag = await fakeOpenAI();
    const dir = project([{ type: 'openai', prompt: 'hello' }]);
    let o = await orchestrate(dir, viaEnv);
    expectExit(o, 0);
    expect(modelCalls(viaEnv)).toHaveLength(1);

    rmSync(join(dir, 'generated'), { recursive: true, force: true });
    o = await orchestrate(dir, viaEnv, ['--base-url', viaFlag.url]);
    expectExit(o, 0);
    expect(modelCalls(viaEnv)).toHaveLength(1); // unchanged
    expect(modelCalls(viaFlag)).toHaveLength(1);
    expect(modelCalls(viaFlag)[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_openai', 'output.txt'), 'utf8')).toBe('echo: hello');
  }, 30_000);

  test('model precedence: step > config default > --model > OPENAI_MODEL > built-in default', async () => {
    const server = await fakeOpenAI();
    const modelsOf = () => modelCalls(server).map((r) => r.body.model);
    const run = async (config: unknown, args: string[], env: Record<string, string | undefined>) => {
      server.requests.length = 0;
      const o = await orchestrate(project(config), server, args, env);
      expectExit(o, 0);
      return modelsOf();
    };
    const twoSteps = [
      { type: 'openai', prompt: 'a', model: 'm-step' },
      { type: 'openai', prompt: 'b' },
    ];
    expect(await run({ model: 'm-config', steps: twoSteps }, ['--model', 'm-cli'], { OPENAI_MODEL: 'm-env' })).toEqual([
      'm-step',
      'm-config',
    ]);
    expect(await run(twoSteps, ['--model', 'm-cli'], { OPENAI_MODEL: 'm-env' })).toEqual(['m-step', 'm-cli']);
    expect(await run(twoSteps, [], { OPENAI_MODEL: 'm-env' })).toEqual(['m-step', 'm-env']);
    expect(await run(twoSteps, [], {})).toEqual(['m-step', DEFAULT_MODEL]);
    // an empty OPENAI_MODEL is as good as none
    expect(await run(twoSteps, [], { OPENAI_MODEL: '' })).toEqual(['m-step', DEFAULT_MODEL]);
  }, 30_000);

  test('a 404 from /v1/responses fails the step with a hint to use "api": "chat", without retrying', async () => {
    const server = await fakeOpenAI(() => ({ status: 404, text: 'Not Found' }));
    const dir = project([{ type: 'openai', name: 'ask', prompt: 'hello' }]);
    const o = await orchestrate(dir, server);
    expectExit(o, 1);
    expect(modelCalls(server)).toHaveLength(1);
    const flow = o.results.flows[0];
    expect(flow.status).toBe('failed');
    expect(flow.error).toMatch(/404/);
    expect(flow.error).toContain('"api": "chat"');
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_ask', 'error.txt'), 'utf8')).toContain('"api": "chat"');
  }, 30_000);
});

describe('retries are ours, not the SDK', () => {
  const one = [{ type: 'openai', name: 'ask', prompt: 'hello' }];

  test('a 429 with retry-after: 0, then success: 2 requests, flow succeeds', async () => {
    const server = await fakeOpenAI((req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : { text: `ok ${req.prompt}` },
    );
    const o = await orchestrate(project(one), server);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(2);
    expect(o.results.flows[0].output).toBe('ok hello');
  }, 30_000);

  test('Retry-After is honoured: a 429 asking for 1 s is retried about 1 s later, not after the short backoff', async () => {
    const times: number[] = [];
    const server = await fakeOpenAI((req, n) => {
      times.push(Date.now());
      return n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { text: 'waited' };
    });
    const o = await orchestrate(project(one), server);
    expectExit(o, 0);
    expect(times).toHaveLength(2);
    // ORCHESTRATOR_RETRY_BASE_MS=10 in the test env: without Retry-After the wait would be ~10 ms
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  }, 30_000);

  test('500 twice then success with --retries 3 succeeds after 3 requests', async () => {
    const server = await fakeOpenAI((req, n) => (n <= 2 ? { status: 500 } : { text: 'third time' }));
    const o = await orchestrate(project(one), server, ['--retries', '3']);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(3);
    expect(o.results.flows[0].output).toBe('third time');
  }, 30_000);

  test('--retries 1 and always 500: fails after exactly 2 requests, naming the status', async () => {
    const server = await fakeOpenAI(() => ({ status: 500, text: 'the fake is down' }));
    const o = await orchestrate(project(one), server, ['--retries', '1']);
    expectExit(o, 1);
    expect(server.requests).toHaveLength(2);
    expect(o.results.flows[0].status).toBe('failed');
    expect(o.results.flows[0].error).toMatch(/500/);
  }, 30_000);

  test('the same through Chat Completions: 429 then 503 then success', async () => {
    const server = await fakeOpenAI((req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : n === 2 ? { status: 503 } : { text: 'fine' },
    );
    const o = await orchestrate(project(one), server, ['--api', 'chat']);
    expectExit(o, 0);
    expect(server.requests.map((r) => r.path)).toEqual(Array(3).fill('/v1/chat/completions'));
  }, 30_000);

  test('a connection reset is retried', async () => {
    const server = await fakeOpenAI((req, n) => (n === 1 ? { reset: true } : { text: 'after reset' }));
    const o = await orchestrate(project(one), server);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(2);
    expect(o.results.flows[0].output).toBe('after reset');
  }, 30_000);

  test.each(['responses', 'chat'])(
    'a response cut off after its headers is retried (%s)',
    async (api) => {
      const server = await fakeOpenAI((req, n) => (n === 1 ? { cutStream: true, text: 'x'.repeat(4000) } : { text: 'whole' }));
      const o = await orchestrate(project(one), server, ['--api', api]);
      expectExit(o, 0);
      expect(server.requests).toHaveLength(2);
      expect(o.results.flows[0].output).toBe('whole');
    },
    30_000,
  );

  test('a 400 is not retried', async () => {
    const server = await fakeOpenAI(() => ({ status: 400, text: 'bad request from the fake' }));
    const o = await orchestrate(project(one), server, ['--retries', '3']);
    expectExit(o, 1);
    expect(server.requests).toHaveLength(1);
    expect(o.results.flows[0].error).toMatch(/400/);
  }, 30_000);

  test('a 401 is not retried and points at OPENAI_API_KEY, without printing the key', async () => {
    const server = await fakeOpenAI(() => ({ status: 401, text: 'Incorrect API key provided' }));
    const o = await orchestrate(project(one), server, ['--retries', '3']);
    expectExit(o, 1);
    expect(server.requests).toHaveLength(1);
    expect(o.results.flows[0].error).toMatch(/401/);
    expect(o.results.flows[0].error).toContain('OPENAI_API_KEY');
    expect(o.stdout + o.stderr).not.toContain(KEY);
  }, 30_000);
});

describe('--parallel and depth-first scheduling', () => {
  /** flow number of a request whose prompt starts with `S<step> D<flow>` */
  const parse = (req: RecordedRequest): { step: number; flow: number } => {
    const m = /^S(\d+) D(\d+)/.exec(req.prompt);
    if (!m) throw new Error(`unexpected prompt ${JSON.stringify(req.prompt)}`);
    return { step: Number(m[1]), flow: Number(m[2]) };
  };

  test('12 flows x 2 steps at --parallel 3: at most 3 requests at once, all succeed', async () => {
    const server = await fakeOpenAI(() => ({ text: 'x', delayMs: 50 }));
    const dir = project(
      [
        { type: 'openai', prompt: 'S1 {{{DOC}}}' },
        { type: 'openai', prompt: 'S2 {{{DOC}}}' },
      ],
      docs(12),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '3']);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(24);
    expect(server.maxConcurrent).toBeLessThanOrEqual(3);
    expect(server.maxConcurrent).toBeGreaterThan(1);
    expect(o.results).toMatchObject({ flows_total: 12, total: 12, succeeded: 12, failed: 0 });
    expect(readJson(join(o.runDir, 'run.json')).peak_concurrency).toBeLessThanOrEqual(3);
  }, 30_000);

  test('depth first: a started flow finishes its steps before flows far later start', async () => {
    const server = await fakeOpenAI(() => ({ text: 'x', delayMs: 20 }));
    const dir = project(
      [
        { type: 'openai', prompt: 'S1 {{{DOC}}}' },
        { type: 'openai', prompt: 'S2 {{{DOC}}}' },
        { type: 'openai', prompt: 'S3 {{{DOC}}}' },
      ],
      docs(6),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '2']);
    expectExit(o, 0);
    const order = server.requests.map(parse);
    expect(order).toHaveLength(18);
    const at = (flow: number, step: number) => order.findIndex((r) => r.flow === flow && r.step === step);
    // flows start in order
    for (let f = 2; f <= 6; f++) expect(at(f, 1)).toBeGreaterThan(at(f - 1, 1));
    expect(at(1, 3)).toBeLessThan(at(5, 1));
    expect(at(2, 3)).toBeLessThan(at(5, 1));
    expect(at(3, 3)).toBeLessThan(at(6, 1));
    // never more than 2 flows half done: a flow is open from its first request to its last
    const open = new Set<number>();
    for (const r of order) {
      if (r.step === 1) open.add(r.flow);
      expect(open.size).toBeLessThanOrEqual(2);
      if (r.step === 3) open.delete(r.flow);
    }
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
  }, 30_000);

  test('array branches count toward the bound', async () => {
    const server = await fakeOpenAI((req) =>
      req.prompt.startsWith('List')
        ? { text: JSON.stringify(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) }
        : { text: `did ${req.prompt.split('\n\n')[1]}`, delayMs: 80 },
    );
    const dir = project(
      [
        { type: 'openai', name: 'list', prompt: 'List {{{DOC}}}', array: true },
        { type: 'openai', name: 'each', prompt: 'Do' },
      ],
      docs(2),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '3']);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(2 + 16);
    expect(server.maxConcurrent).toBeLessThanOrEqual(3);
    expect(server.maxConcurrent).toBeGreaterThan(1);
    expect(o.results).toMatchObject({ flows_total: 2, total: 16, succeeded: 16 });
    expect(o.results.flows[0].branch).toEqual([1]);
    expect(o.results.flows[0].output).toBe('did a');
    expect(existsSync(join(o.runDir, 'flow_0001', 'branch_8', '02_each', 'output.txt'))).toBe(true);
    // the shared list step is counted once per flow: 2 x list + 16 x each, 10/5 tokens each
    expect(o.results.usage).toEqual({ input_tokens: 180, output_tokens: 90, cached_input_tokens: 0, cost_usd: miniCost(180, 90) });
  }, 30_000);
});

describe('timeouts', () => {
  /** Whether pid has ended (a zombie awaiting its reaper counts) within withinMs. */
  const gone = async (pid: number, withinMs = 3000): Promise<boolean> => (await survivors([pid], withinMs, 50)).length === 0;

  const pids: number[] = [];
  afterAll(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });

  test.each([
    ['a background grandchild', 'sleep 300 & echo $! > grandchild.pid; wait'],
    ['a grandchild that ignores SIGTERM', `sh -c 'trap "" TERM; exec sleep 300' & echo $! > grandchild.pid; wait`],
  ])(
    '--timeout 1 kills a cmd step with %s, tree and all',
    async (_what, cmd) => {
      const dir = project([{ type: 'cmd', name: 'slow', cmd: `echo partial; ${cmd}` }]);
      const started = Date.now();
      const o = await orchestrate(dir, undefined, ['--timeout', '1']);
      expectExit(o, 1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(o.results.flows[0].status).toBe('failed');
      expect(o.results.flows[0].error).toContain('timed out after 1 s');
      // partial output is kept
      expect(readFileSync(join(o.runDir, 'flow_0001', '01_slow', 'output.txt'), 'utf8')).toBe('partial\n');
      const pid = Number(readFileSync(join(dir, 'grandchild.pid'), 'utf8').trim());
      expect(pid).toBeGreaterThan(1);
      pids.push(pid);
      expect(await gone(pid)).toBe(true);
    },
    30_000,
  );

  test('a hanging model server with step "timeout": 3 and --retries 0 fails that flow; the others complete', async () => {
    const server = await fakeOpenAI((req) => (req.prompt.includes('D2') ? { hang: true } : { text: `ok ${req.prompt}` }));
    // 3 s, not 1: the other flows' calls must complete within it too, and on a machine loaded
    // fifteen times over a process's first call took more than a second (flow 1 timed out unsent)
    const dir = project([{ type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}', timeout: 3 }], docs(3));
    const started = Date.now();
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--retries', '0'], {}, 30_000, runChild);
    expectExit(o, 1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(server.requests).toHaveLength(3);
    const byId = Object.fromEntries(o.results.flows.map((f: any) => [f.id, f]));
    expect(byId.flow_0002.status).toBe('failed');
    expect(byId.flow_0002.error).toContain('timed out after 3 s');
    expect(byId.flow_0001.status).toBe('succeeded');
    expect(byId.flow_0003.status).toBe('succeeded');
    expect(o.results).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
  }, 30_000);

  test('a server that sends its headers and then stalls is timed out too', async () => {
    // headers and half a body, then nothing: the SDK's own timeout stops at the headers
    let hits = 0;
    const stalled = new Set<import('node:net').Socket>();
    const server = http.createServer((req, res) => {
      hits++;
      req.resume();
      stalled.add(req.socket);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"id": "resp_stall", "object": "response", ');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/v1`;
      const dir = project([{ type: 'openai', name: 'ask', prompt: 'hello', timeout: 1 }]);
      const started = Date.now();
      const o = await orchestrate(dir, undefined, ['--retries', '1'], { OPENAI_BASE_URL: url }, 20_000);
      expectExit(o, 1);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(hits).toBe(2);
      expect(o.results.flows[0].error).toContain('timed out after 1 s');
    } finally {
      for (const socket of stalled) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  test('a model call that times out is retried', async () => {
    const server = await fakeOpenAI((req, n) => (n === 1 ? { hang: true } : { text: 'second try' }));
    const dir = project([{ type: 'openai', name: 'ask', prompt: 'hello' }]);
    const o = await orchestrate(dir, server, ['--timeout', '1', '--retries', '1']);
    expectExit(o, 0);
    expect(server.requests).toHaveLength(2);
    expect(o.results.flows[0].output).toBe('second try');
  }, 30_000);
});
