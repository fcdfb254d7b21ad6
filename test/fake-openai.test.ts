import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { EXEC_YIELD_MS, functionCallOutputs, startFakeOpenAI, type FakeOpenAI } from './helpers/fake-openai.js';
import { CODEX_BIN, codexEnv, makeCodexHome } from './helpers/codex-home.js';
import { waitFor } from './helpers/processes.js';
import { track } from './helpers/project.js';

interface CodexRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: any[];
  final: string | undefined;
  cwd: string;
}

/** `echo prompt | codex exec --skip-git-repo-check --ephemeral --json -o <cwd>/final.txt [extra] -` */
function runCodex(fake: FakeOpenAI, prompt: string, extra: string[] = [], timeoutMs = 45_000): Promise<CodexRun> {
  const home = track(makeCodexHome(fake.url));
  const cwd = track(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-cwd-')));
  const finalFile = path.join(cwd, 'final.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(CODEX_BIN, ['exec', '--skip-git-repo-check', '--ephemeral', '--json', '-o', finalFile, ...extra, '-'], {
      cwd,
      env: { ...process.env, ...codexEnv(home) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l));
      const final = fs.existsSync(finalFile) ? fs.readFileSync(finalFile, 'utf8') : undefined;
      resolve({ code, signal, stdout, stderr, events, final, cwd });
    });
    child.stdin.end(`${prompt}\n`);
  });
}

describe('fake OpenAI server with the openai SDK', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    client = new OpenAI({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, timeout: 10_000 });
  });
  afterAll(async () => {
    await fake.close();
  });

  test('responses.create gives output_text and usage; default handler echoes', async () => {
    const r = await client.responses.create({ model: 'gpt-test', input: 'hello world' });
    expect(r.output_text).toBe('echo: hello world');
    expect(r.usage?.input_tokens).toBe(10);
    expect(r.usage?.output_tokens).toBe(5);
    expect(r.usage?.total_tokens).toBe(15);
    expect(r.model).toBe('gpt-test');
    const last = fake.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/v1/responses', prompt: 'hello world' });
    expect(last.headers.authorization).toBe('Bearer k');

    // message-array input: last user message wins
    fake.setHandler((req) => ({ text: `T:${req.prompt}`, usage: { input_tokens: 3, output_tokens: 4 } }));
    const r2 = await client.responses.create({
      model: 'gpt-test',
      instructions: 'be brief',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'input_text', text: 'second' }] },
      ],
    });
    expect(r2.output_text).toBe('T:second');
    expect(r2.usage).toMatchObject({ input_tokens: 3, output_tokens: 4, total_tokens: 7 });
    fake.setHandler((req) => ({ text: `echo: ${req.prompt}`, usage: { input_tokens: 10, output_tokens: 5 } }));
  });

  test('streaming responses work with the SDK too', async () => {
    fake.setHandler(() => ({ text: 'streamed', usage: { input_tokens: 1, output_tokens: 2 } }));
    const stream = await client.responses.create({ model: 'gpt-test', input: 'x', stream: true });
    const types: string[] = [];
    let completed: any;
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'response.completed') completed = ev.response;
    }
    expect(types[0]).toBe('response.created');
    expect(types).toContain('response.output_item.done');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed.output_text ?? completed.output[0].content[0].text).toBe('streamed');
    expect(completed.usage).toMatchObject({ input_tokens: 1, output_tokens: 2 });
  });

  test('chat.completions.create gives content and usage', async () => {
    fake.setHandler((req) => ({ text: `chat: ${req.prompt}`, usage: { input_tokens: 7, output_tokens: 2 } }));
    const c = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi there' },
      ],
    });
    expect(c.choices[0]?.message.content).toBe('chat: hi there');
    expect(c.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/v1/chat/completions', prompt: 'hi there' });

    const s = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'streamy' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: any;
    for await (const chunk of s) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('chat: streamy');
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });
  });

  test('a 429 with retry-after surfaces as APIError with status and header', async () => {
    fake.setHandler(() => ({ status: 429, headers: { 'retry-after': '1' }, text: 'slow down' }));
    let caught: unknown;
    try {
      await client.responses.create({ model: 'gpt-test', input: 'x' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect(caught).toBeInstanceOf(OpenAI.RateLimitError);
    const err = caught as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(429);
    expect(err.headers?.get('retry-after')).toBe('1');
    expect(err.message).toContain('slow down');
    expect(err.code).toBe('rate_limit_exceeded');

    fake.setHandler(() => ({ status: 500 }));
    await expect(client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 500,
    });
  });

  test('unknown paths give a 404 in OpenAI error shape', async () => {
    const res = await fetch(`${fake.url}/models`);
    expect(res.status).toBe(404);
    const body: any = await res.json();
    expect(body.error).toEqual(expect.objectContaining({ message: expect.any(String), type: expect.any(String) }));
    expect('code' in body.error).toBe(true);
  });

  test('reset and hang: the SDK sees connection errors / timeouts', async () => {
    fake.setHandler(() => ({ reset: true }));
    await expect(client.responses.create({ model: 'm', input: 'x' })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);

    fake.setHandler(() => ({ hang: true }));
    const t0 = Date.now();
    // Under plain Node this is an APIConnectionTimeoutError; inside jest's VM realm the SDK cannot
    // recognise the (cross-realm) AbortError and reports a plain APIConnectionError instead.
    await expect(client.responses.create({ model: 'm', input: 'x' }, { timeout: 300 })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(Date.now() - t0).toBeLessThan(5_000);

    fake.setHandler(() => ({ cutStream: true, text: 'never finished' }));
    await expect(client.responses.create({ model: 'm', input: 'x' })).rejects.toBeDefined();
  });
});

describe('fake OpenAI server bookkeeping', () => {
  test('maxConcurrent/inFlight count from request start to response end', async () => {
    // every request waits until all five have arrived, so five are in flight at once
    let release!: () => void;
    const allIn = new Promise<void>((r) => (release = r));
    const seenInFlight: number[] = [];
    const fake = await startFakeOpenAI(async (req, n) => {
      seenInFlight.push(fake.inFlight);
      if (n === 5) release();
      await allIn;
      return { text: `r${n}`, delayMs: 20 };
    });
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, timeout: 10_000 });
      const out = await Promise.all(Array.from({ length: 5 }, (_, i) => client.responses.create({ model: 'm', input: `p${i}` })));
      expect(out.map((r) => r.output_text).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      expect(Math.max(...seenInFlight)).toBe(5);
      expect(fake.maxConcurrent).toBe(5);
      expect(fake.inFlight).toBe(0);
      expect(fake.requests.map((r) => r.prompt).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);

      // sequential requests never overlap
      const seq = await startFakeOpenAI();
      try {
        const c2 = new OpenAI({ apiKey: 'k', baseURL: seq.url, maxRetries: 0, timeout: 10_000 });
        for (let i = 0; i < 3; i++) await c2.responses.create({ model: 'm', input: 'x' });
        expect(seq.maxConcurrent).toBe(1);
        expect(seq.inFlight).toBe(0);
      } finally {
        await seq.close();
      }
    } finally {
      await fake.close();
    }
  });

  test('close() ends hung connections promptly', async () => {
    const fake = await startFakeOpenAI(() => ({ hang: true }));
    const outcome = new Promise<string>((resolve) => {
      const req = http.request(`${fake.url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('response', () => resolve('response'));
      req.on('error', (e) => resolve(`error:${(e as NodeJS.ErrnoException).code ?? e.message}`));
      req.end('{"model":"m","input":"x"}');
    });
    await waitFor('the request to reach the fake', () => fake.inFlight > 0 && fake.requests.length > 0, 10_000);
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await outcome).toMatch(/^error:/);
    expect(fake.inFlight).toBe(0);
  });
});

describe('fake OpenAI server with the real codex binary', () => {
  test('codex exec gets the handler text and usage', async () => {
    const fake = await startFakeOpenAI((req) => ({
      text: `codex says: ${req.prompt.trim()}`,
      usage: { input_tokens: 42, output_tokens: 7 },
    }));
    try {
      expect(fs.existsSync(CODEX_BIN)).toBe(true);
      const run = await runCodex(fake, 'hello');
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(run.final).toBe('codex says: hello');
      const done = run.events.find((e) => e.type === 'turn.completed');
      expect(done?.usage).toMatchObject({ input_tokens: 42, output_tokens: 7 });
      expect(run.events).toContainEqual(
        expect.objectContaining({
          type: 'item.completed',
          item: expect.objectContaining({ type: 'agent_message', text: 'codex says: hello' }),
        }),
      );
      expect(fake.requests).toHaveLength(1);
      const req = fake.requests[0]!;
      expect(req.path).toBe('/v1/responses');
      expect(req.body.stream).toBe(true);
      expect(req.prompt).toBe('hello\n');
      expect(req.headers.authorization).toBe('Bearer fake-key');
    } finally {
      await fake.close();
    }
  });

  for (const sandbox of ['danger-full-access', 'workspace-write']) {
    test(`toolCommand makes codex run a command (--sandbox ${sandbox})`, async () => {
      const fake = await startFakeOpenAI((req) =>
        functionCallOutputs(req).length > 0
          ? { text: `done after: ${functionCallOutputs(req)[0]!.output.includes('exited with code 0') ? 'ok' : 'failed'}` }
          : { toolCommand: 'echo made > made.txt' },
      );
      try {
        const run = await runCodex(fake, 'make a file', ['--sandbox', sandbox]);
        expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
        expect(fs.readFileSync(path.join(run.cwd, 'made.txt'), 'utf8')).toBe('made\n');
        expect(run.final).toBe('done after: ok');
        expect(fake.requests).toHaveLength(2);

        const first = fake.requests[0]!;
        const toolNames = (first.body.tools as any[]).map((t) => t.name ?? t.type);
        expect(toolNames).toContain('exec_command');
        const exec = (first.body.tools as any[]).find((t) => t.name === 'exec_command');
        expect(exec.parameters.required).toEqual(['cmd']);

        const second = fake.requests[1]!;
        const items = second.body.input as any[];
        const call = items.find((i) => i.type === 'function_call');
        const out = items.find((i) => i.type === 'function_call_output');
        expect(call).toMatchObject({
          name: 'exec_command',
          arguments: JSON.stringify({ cmd: 'echo made > made.txt', yield_time_ms: EXEC_YIELD_MS }),
        });
        expect(out.call_id).toBe(call.call_id);
        expect(typeof out.output).toBe('string');
        expect(second.prompt).toBe('make a file\n');

        const cmd = run.events.find((e) => e.type === 'item.completed' && e.item.type === 'command_execution');
        expect(cmd?.item).toMatchObject({ exit_code: 0, status: 'completed' });
        expect(cmd?.item.command).toContain('echo made > made.txt');
      } finally {
        await fake.close();
      }
    });
  }

  test('a cut stream makes codex fail (no retries configured)', async () => {
    const fake = await startFakeOpenAI(() => ({ cutStream: true, text: 'partial' }));
    try {
      const run = await runCodex(fake, 'hello');
      expect(run.code).not.toBe(0);
      expect(run.events.some((e) => e.type === 'turn.failed' || e.type === 'error')).toBe(true);
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
