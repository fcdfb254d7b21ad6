/**
 * steps/http-fetch.ts against Node's fetch, through the real openai SDK and loopback servers: what
 * a user relying on Node's fetch would see must not change (TLS with an extra CA, base URLs with a
 * path or a query, redirects, proxies, aborts, kept-alive sockets at exit and when the server
 * closes them, headers, bodies past the cap). Each case runs with both transports where it can.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { DirectResponse, directFetch, type TextLimits } from '../../src/steps/http-fetch.js';
import { OpenAIRunner } from '../../src/steps/openai.js';
import type { StepRequest } from '../../src/steps/runner.js';
import { RateLimiter } from '../../src/steps/ratelimit.js';
import { TreeWriter } from '../../src/util/files.js';
import { Redactor } from '../../src/util/redact.js';
import { closeServer, listenOnLoopback, readBody } from '../helpers/loopback.js';
import { scratch } from '../helpers/project.js';
import { stepOf } from '../helpers/steps.js';

const KEY = 'sk-test-http-fetch-0123456789abcdef';
const REPLY = JSON.stringify({ id: 'resp_1', object: 'response', status: 'completed', output: [] });
const transports: [string, () => typeof fetch][] = [
  ["Node's fetch", () => globalThis.fetch],
  ['node:http', () => directFetch({})],
];

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

interface Served {
  port: number;
  sockets: Set<Socket>;
}

async function serve(handle: http.RequestListener, server: http.Server = http.createServer()): Promise<Served> {
  server.on('request', handle);
  const sockets = new Set<Socket>();
  const port = await listenOnLoopback(server, sockets);
  open.push({ close: () => closeServer(server, sockets) });
  return { port, sockets };
}

const client = (fetchFn: typeof fetch, baseURL: string, timeout = 10_000) =>
  new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0, timeout, fetch: fetchFn });

const ask = (c: OpenAI, signal?: AbortSignal) => c.responses.create({ model: 'm', input: 'hi' }, { signal }).asResponse();

/**
 * An openai runner against the loopback server on `port` (`retries` retries, 10 ms apart) and the
 * request of one openai step, each call's files under a directory of its own (`step-<n>`).
 */
function runnerOn(port: number, retries = 0): { runner: OpenAIRunner; request: (n: number, timeoutMs?: number) => StepRequest } {
  const runner = new OpenAIRunner({
    apiKey: KEY,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    retry: { retries, baseMs: 10, maxMs: 10 },
    limiter: new RateLimiter(),
  });
  const dir = scratch();
  const step = stepOf({ type: 'openai', name: 'model', prompt: 'hi' });
  const request = (n: number, timeoutMs = 10_000): StepRequest => ({
    step,
    prompt: 'hi',
    command: undefined,
    dir: join(dir, `step-${n}`),
    model: 'gpt-fake',
    api: 'responses',
    cwd: dir,
    sandbox: 'read-only',
    timeoutMs,
    signal: new AbortController().signal,
    files: new TreeWriter(new Redactor([]), dir),
    env: {},
  });
  return { runner, request };
}

describe.each(transports)('%s', (_name, make) => {
  test('a base URL with a path prefix and a query: the request goes to the prefix, query kept as the SDK builds it', async () => {
    const seen: string[] = [];
    const { port } = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY);
    });
    expect((await ask(client(make(), `http://127.0.0.1:${port}/proxy/v1`))).status).toBe(200);
    const c = new OpenAI({
      apiKey: KEY,
      baseURL: `http://127.0.0.1:${port}/proxy/v1`,
      defaultQuery: { 'api-version': '2' },
      fetch: make(),
    });
    expect((await ask(c)).status).toBe(200);
    expect((await ask(client(make(), `http://127.0.0.1:${port}/proxy/v1?api-version=3`))).status).toBe(200);
    expect(seen).toEqual(['POST /proxy/v1/responses', 'POST /proxy/v1/responses?api-version=2', 'POST /proxy/v1/responses?api-version=3']);
  });

  test('a base URL with a user and password in it is refused, as Node’s fetch refuses it: nothing reaches the server', async () => {
    const seen: string[] = [];
    const { port } = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY);
    });
    await expect(ask(client(make(), `http://user:secret@127.0.0.1:${port}/v1`))).rejects.toThrow();
    expect(seen).toEqual([]);
  });

  test.each([307, 308])('a gateway’s %i is followed: the same POST, body and key reach where it points', async (status) => {
    const seen: string[] = [];
    const { port } = await serve((req, res) => {
      void readBody(req).then((text) => {
        seen.push(`${req.method} ${req.url} ${text.length > 0} ${req.headers.authorization === `Bearer ${KEY}`}`);
        if (req.url!.startsWith('/gateway/')) res.writeHead(status, { location: `/real${req.url!.slice(8)}` }).end('moved');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY);
      });
    });
    const response = await ask(client(make(), `http://127.0.0.1:${port}/gateway/v1`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(REPLY);
    expect(seen).toEqual(['POST /gateway/v1/responses true true', 'POST /real/v1/responses true true']);
  });

  test('a redirect to another origin drops the key; a 303 turns the POST into a GET without a body', async () => {
    const seen: string[] = [];
    const other = await serve((req, res) => {
      void readBody(req).then((text) => {
        seen.push(`${req.method} ${req.url} ${text.length} ${req.headers.authorization ?? 'no key'}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY);
      });
    });
    const { port } = await serve((req, res) => {
      req.resume();
      const status = req.url!.startsWith('/see-other/') ? 303 : 307;
      res.writeHead(status, { location: `http://127.0.0.1:${other.port}/v1/responses` }).end();
    });
    expect((await ask(client(make(), `http://127.0.0.1:${port}/moved/v1`))).status).toBe(200);
    expect((await ask(client(make(), `http://127.0.0.1:${port}/see-other/v1`))).status).toBe(200);
    expect(seen).toEqual([expect.stringMatching(/^POST \/v1\/responses [1-9]\d* no key$/), 'GET /v1/responses 0 no key']);
  });

  test('headers the runner reads come through; chunked and content-length bodies alike', async () => {
    const { port } = await serve((req, res) => {
      const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req_42', 'retry-after': '7' };
      if (req.url!.includes('chunked')) {
        res.writeHead(200, headers);
        res.write(REPLY.slice(0, 10));
        setImmediate(() => res.end(REPLY.slice(10)));
      } else res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(REPLY) }).end(REPLY);
    });
    for (const path of ['/chunked', '/length']) {
      const response = await ask(client(make(), `http://127.0.0.1:${port}${path}`));
      expect([response.headers.get('x-request-id'), response.headers.get('retry-after')]).toEqual(['req_42', '7']);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.text()).toBe(REPLY);
    }
  });

  test('no headers before the SDK’s timeout: a timeout error; the run’s abort: a user abort; the server sees the socket go', async () => {
    const closed: Promise<void>[] = [];
    const { port } = await serve((req) => closed.push(new Promise((done) => req.socket.once('close', () => done()))));
    // (an APIConnectionTimeoutError outside jest, for both transports; under jest's vm modules the SDK says APIConnectionError for both)
    await expect(ask(client(make(), `http://127.0.0.1:${port}`, 300))).rejects.toBeInstanceOf(APIConnectionError);
    const stop = new AbortController();
    const call = ask(client(make(), `http://127.0.0.1:${port}`), stop.signal);
    while (closed.length < 2) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    await Promise.all(closed);
  });

  test('an abort while the body trickles errors the read with an AbortError and closes the connection', async () => {
    let closed: Promise<void> | undefined;
    const { port } = await serve((req, res) => {
      closed = new Promise((done) => req.socket.once('close', () => done()));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    const stop = new AbortController();
    const response = await ask(client(make(), `http://127.0.0.1:${port}`), stop.signal);
    const reader = response.body!.getReader();
    await reader.read();
    stop.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });

  test('a body past what the reader wants: cancelled, the connection is destroyed, the server stops writing', async () => {
    let written = 0;
    let gone: Promise<void> | undefined;
    const { port } = await serve((req, res) => {
      gone = new Promise((done) => res.once('close', () => done()));
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const more = (): void => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const reader = (await ask(client(make(), `http://127.0.0.1:${port}`))).body!.getReader();
    let size = 0;
    while (size < 1024 * 1024) size += (await reader.read()).value!.byteLength;
    await reader.cancel();
    await gone;
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('node:http only', () => {
  test('a POST on a kept-alive socket the server closed: the next call on a new connection, retries counted once', async () => {
    // the server drops every connection when its second request comes (a gateway's idle close racing the write)
    let requests = 0;
    const { port } = await serve((req, res) => {
      requests++;
      const n = ((req.socket as Socket & { n?: number }).n = ((req.socket as Socket & { n?: number }).n ?? 0) + 1);
      if (n > 1) req.socket.destroy();
      else void readBody(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY));
    });
    const c = client(directFetch({}), `http://127.0.0.1:${port}`);
    expect((await ask(c)).status).toBe(200);
    // the SDK's own retries are off (the runner's count them): the stale socket is one failed attempt, no more
    const failed = await ask(c).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(APIConnectionError);
    expect(requests).toBe(2);
    expect((await ask(c)).status).toBe(200);
    expect(requests).toBe(3);
  });

  test('a body that does not decode (gzip said, not sent): the read fails and the connection is let go', async () => {
    let gone: Promise<void> | undefined;
    const { port } = await serve((req, res) => {
      gone = new Promise((done) => req.socket.once('close', () => done()));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.write('this is not gzip');
    });
    const response = await ask(client(directFetch({}), `http://127.0.0.1:${port}`));
    await expect(response.text()).rejects.toMatchObject({ message: 'terminated' });
    await gone;
  });

  test('the runner: a stale socket costs one of the configured retries, the step succeeds, nothing is sent twice more', async () => {
    let requests = 0;
    const answer = JSON.stringify({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'the answer' }] }],
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    const { port } = await serve((req, res) => {
      requests++;
      const socket = req.socket as Socket & { n?: number };
      socket.n = (socket.n ?? 0) + 1;
      if (socket.n > 1) req.socket.destroy();
      else void readBody(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    });
    const { runner, request } = runnerOn(port, 1);
    expect((await runner.run(request(1))).output).toBe('the answer');
    expect((await runner.run(request(2))).output).toBe('the answer');
    expect(requests).toBe(3);
  });

  test('a 2xx reply is read by the runner with no web stream made for it (the transport’s cost a call), one the caller asks for still streams', async () => {
    const answer = JSON.stringify({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'the answer' }] }],
    });
    const { port } = await serve(
      (req, res) => void readBody(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer)),
    );
    const { runner, request: requestOf } = runnerOn(port);
    const request = requestOf(1);
    const Real = globalThis.ReadableStream;
    let made = 0;
    globalThis.ReadableStream = class extends Real<unknown> {
      constructor(...args: ConstructorParameters<typeof ReadableStream>) {
        super(...args);
        made++;
      }
    } as typeof ReadableStream;
    try {
      expect((await runner.run(request)).output).toBe('the answer');
      expect(made).toBe(0);
      const reader = (await ask(client(directFetch({}), `http://127.0.0.1:${port}/v1`))).body!.getReader();
      const chunks: Uint8Array[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
      expect(Buffer.concat(chunks).toString()).toBe(answer);
    } finally {
      globalThis.ReadableStream = Real;
    }
  });

  test('an idle kept-alive connection is closed by the client when the server gives no Keep-Alive hint', async () => {
    let closedBy: string | undefined;
    const server = http.createServer();
    server.keepAliveTimeout = 0; // no "Keep-Alive: timeout=" header, and the server never closes it
    const { port, sockets } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY), server);
    const response = await ask(client(directFetch({}), `http://127.0.0.1:${port}`));
    await response.text();
    const [socket] = [...sockets];
    socket!.once('end', () => (closedBy ??= 'client'));
    await new Promise((done) => socket!.once('close', done));
    expect(closedBy).toBe('client');
  }, 15_000);

  test('a proxy variable in either case sends calls to Node’s fetch; NO_PROXY alone does not', async () => {
    const nodes = globalThis.fetch;
    const seen: string[] = [];
    globalThis.fetch = (input) => {
      seen.push(input instanceof Request ? input.url : input.toString());
      return Promise.resolve(new Response('{}'));
    };
    try {
      for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])
        expect((await directFetch({ [name]: 'http://127.0.0.1:9' })(`http://127.0.0.1:9/${name}`)).status).toBe(200);
      expect(seen).toEqual(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].map((name) => `http://127.0.0.1:9/${name}`));
      // ours connects itself: nothing listens on port 9
      for (const env of [{ NO_PROXY: '*', no_proxy: '127.0.0.1' }, { HTTPS_PROXY: '' }])
        await expect(directFetch(env)('http://127.0.0.1:9/')).rejects.toThrow('fetch failed');
      expect(seen).toHaveLength(4);
    } finally {
      globalThis.fetch = nodes;
    }
  });
});

const SRC = fileURLToPath(new URL('../../src/steps/http-fetch.ts', import.meta.url));

/** Runs a script in a fresh Node (NODE_EXTRA_CA_CERTS is read at start-up): one call per transport, printing what each got. */
function child(script: string, env: Record<string, string>): Promise<{ out: string; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let doneAt = 0;
    p.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('DONE')) doneAt ||= Date.now();
    });
    p.on('error', reject);
    p.on('close', () => resolve({ out, exitMs: Date.now() - (doneAt || Date.now()) }));
  });
}

// the source run by Node's type stripping: its relative imports name the .js that the build makes, found here as the .ts
const CALLS = (url: string) => `
import { registerHooks } from 'node:module';
import OpenAI from 'openai';
registerHooks({ resolve(specifier, context, next) {
  try { return next(specifier, context); }
  catch (error) { if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context); throw error; }
} });
const { directFetch } = await import(${JSON.stringify(SRC)});
for (const [name, f] of [['fetch', globalThis.fetch], ['direct', directFetch({})]]) {
  const c = new OpenAI({ apiKey: 'sk-x', baseURL: ${JSON.stringify(url)}, maxRetries: 0, fetch: f });
  try { const r = await c.responses.create({ model: 'm', input: 'hi' }).asResponse(); console.log(name, r.status, (await r.text()).length > 0); }
  catch (e) { let m = e.constructor.name; for (let x = e.cause; x; x = x.cause) m += ': ' + (x.code ?? x.message); console.log(name, m); }
}
console.log('DONE');
`;

describe('node:http: bodies read twice over, compressed, or past the cap', () => {
  // 80,000 characters, each line different: a short text or a reordered one shows
  const TEXT = Array.from({ length: 8000 }, (_, i) => `${String(i).padStart(9, '0')}\n`).join('');
  const limits = (ms: number): TextLimits => ({
    max: 1 << 20,
    deadline: Date.now() + ms,
    tooLarge: () => new Error('too large'),
    timedOut: () => new Error('timed out'),
  });
  /** `promise`, or a rejection naming a hang when it has not settled in `ms` (so a hang fails the test, bounded). */
  const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hung: not settled in ${ms} ms`)), ms).unref()),
    ]);

  /** A 2xx DirectResponse of TEXT, and a promise of the server having written all of it. */
  async function directText(): Promise<{ response: DirectResponse; written: Promise<void> }> {
    let written!: Promise<void>;
    const { port } = await serve((_req, res) => {
      written = new Promise((done) => res.once('finish', () => done()));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(TEXT);
    });
    const response = (await directFetch({})(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' })) as unknown as DirectResponse;
    expect(response).toBeInstanceOf(DirectResponse);
    return { response, written };
  }

  test('`body` made, then readText in the same tick: the whole text, no hang', async () => {
    const { response } = await directText();
    expect(response.body).toBeInstanceOf(ReadableStream);
    const text = await within(response.readText(limits(2000)), 5000);
    expect(text.length).toBe(TEXT.length);
    expect(text).toBe(TEXT);
  });

  test('`body` made, then readText once the whole reply has come: the whole text, nothing taken by the stream', async () => {
    const { response, written } = await directText();
    expect(response.body).toBeInstanceOf(ReadableStream);
    await written;
    for (let i = 0; i < 5; i++) await new Promise((done) => setImmediate(done));
    const text = await within(response.readText(limits(2000)), 5000);
    expect(text.length).toBe(TEXT.length);
    expect(text).toBe(TEXT);
  });

  test('part read through `body`, then readText: a clear error, never a short text; the rest still comes through `body`', async () => {
    const { response } = await directText();
    const reader = response.body.getReader();
    const first = await reader.read();
    reader.releaseLock();
    expect(response.unread).toBe(false);
    await expect(within(response.readText(limits(2000)), 5000)).rejects.toThrow('Body is unusable: part of it was read through `body`');
    expect(Buffer.from(first.value!).toString() + (await within(response.text(), 5000))).toBe(TEXT);
  });

  test('the runner, when the SDK makes `body` (a caller signal it does not compose natively): the whole answer, no hang', async () => {
    const answer = JSON.stringify({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: TEXT }] }],
    });
    const { port } = await serve(
      (req, res) => void readBody(req).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(answer)),
    );
    const { runner, request: requestOf } = runnerOn(port);
    const request = requestOf(1, 2000);
    // without AbortSignal.any the SDK keeps a listener on the caller's signal tied to `response.body` (openai client.js,
    // retainRequestAbortCallback), as it does for a signal that is not this realm's AbortSignal
    const any = Object.getOwnPropertyDescriptor(AbortSignal, 'any')!;
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true, writable: true });
    try {
      const { output } = await within(runner.run(request), 8000);
      expect(output.length).toBe(TEXT.length);
      expect(output).toBe(TEXT);
    } finally {
      Object.defineProperty(AbortSignal, 'any', any);
    }
  });

  test('a gzip 307 with a body, followed: the call succeeds and nothing is written to the closed stream (no uncaught error)', async () => {
    const moved = zlib.gzipSync(`<html><body>Moved</body></html>${TEXT}`);
    const { port } = await serve((req, res) => {
      void readBody(req).then(() => {
        if (req.url === '/v1/responses') res.writeHead(307, { location: '/v2/responses', 'content-encoding': 'gzip' }).end(moved);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY);
      });
    });
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      for (let i = 0; i < 3; i++) expect((await ask(client(directFetch({}), `http://127.0.0.1:${port}/v1`))).status).toBe(200);
      // the decoder's leftovers would come on a later turn of the loop
      for (let i = 0; i < 20; i++) await new Promise((done) => setImmediate(done));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
  });

  // through our transport, and through Node's fetch (a run with a proxy variable set; Node's fetch ignores it here,
  // NODE_USE_ENV_PROXY is not set, and goes to the loopback server straight)
  test.each([
    ['our transport', {}],
    ["Node's fetch (a proxy variable set)", { HTTPS_PROXY: 'http://127.0.0.1:9' }],
  ])('%s: a 500 whose gzip body decodes to 128 MiB fails naming the status, with at most 1 MiB of the body read', async (_, env) => {
    const bomb = zlib.gzipSync(Buffer.alloc(128 * 1024 * 1024, 'a'));
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    const { port } = await serve((req, res) => {
      void readBody(req).then(() => res.writeHead(500, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(bomb));
    });
    const failed = (await ask(client(directFetch(env), `http://127.0.0.1:${port}/v1`)).catch((error: unknown) => error)) as APIError;
    expect(failed).toBeInstanceOf(APIError);
    expect(failed.status).toBe(500);
    expect(failed.message).toMatch(/^500 a{1000}/);
    // the SDK's message holds the body it read: the first MiB, not 128
    expect(failed.message.length).toBeLessThanOrEqual(1024 * 1024 + 10);
  });
});

describe('in a fresh Node', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'http-fetch-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('HTTPS with a CA trusted through NODE_EXTRA_CA_CERTS works as with Node’s fetch; untrusted, the same connection error', async () => {
    const { readFileSync } = await import('node:fs');
    const server = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) });
    const { port } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY), server);
    const trusted = await child(CALLS(`https://127.0.0.1:${port}/v1`), { NODE_EXTRA_CA_CERTS: join(dir, 'c.pem') });
    expect(trusted.out.trim().split('\n')).toEqual(['fetch 200 true', 'direct 200 true', 'DONE']);
    const untrusted = await child(CALLS(`https://127.0.0.1:${port}/v1`), {});
    const lines = untrusted.out.trim().split('\n');
    expect(lines[0]).toMatch(/^fetch APIConnectionError: fetch failed: DEPTH_ZERO_SELF_SIGNED_CERT$/);
    expect(lines[1]).toBe(lines[0]!.replace('fetch', 'direct'));
  }, 30_000);

  test('a kept-alive connection does not hold the process at exit: it ends as soon as with Node’s fetch', async () => {
    const server = http.createServer();
    server.keepAliveTimeout = 60_000;
    const { port } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(REPLY), server);
    const run = await child(CALLS(`http://127.0.0.1:${port}/v1`), {});
    expect(run.out.trim().split('\n')).toEqual(['fetch 200 true', 'direct 200 true', 'DONE']);
    // the server would keep both connections a minute: the process ended by itself, well within the test's bound
    expect(run.exitMs).toBeLessThan(10_000);
  }, 30_000);
});
