/**
 * How a model call reaches the server (README "Running a flow"; steps/http-fetch.ts): direct
 * calls go over node:http with keep-alive connections instead of Node's fetch, for speed, and keep
 * what Node's fetch gave: a compressed reply is decoded, a proxy set in the environment is used
 * (those runs keep Node's fetch), connections are reused. The faults (reset, body cut short,
 * timeouts, 429) are in faults.test.ts.
 */
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expectExit, orchestrate } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { closeServer, listenOnLoopback, readBody } from './helpers/loopback.js';
import { closeAfterAll, docProject, fakeOpenAI } from './helpers/project.js';
import { checkResults } from './helpers/run-invariants.js';

const KEY = 'sk-test-transport-0123456789abcdef';
const CONFIG = [{ type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}' }];

/** A loopback server; `handle` answers each request. Closed after the file's tests. */
async function loopback(handle: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handle);
  const port = await listenOnLoopback(server, sockets);
  return closeAfterAll({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server, sockets) });
}

/** A Responses API reply whose text repeats the request's prompt. */
function reply(body: string): string {
  const prompt = (JSON.parse(body) as { input: string }).input;
  return JSON.stringify({
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer ${prompt}` }] }],
    usage: { input_tokens: 3, output_tokens: 2 },
  });
}

const run = (dir: string, env: Record<string, string | undefined>) =>
  orchestrate(dir, ['--key', 'DOC:docs.list', '--parallel', '3'], { OPENAI_API_KEY: KEY, ...env });

test.each([
  ['gzip', gzipSync],
  ['deflate', deflateSync],
  ['br', brotliCompressSync],
])(
  'a reply compressed with %s (asked for, as Node’s fetch asks) is decoded: every flow gets its text',
  async (coding, compress) => {
    const asked: string[] = [];
    const server = await loopback((req, res) => {
      void readBody(req).then((body) => {
        asked.push(String(req.headers['accept-encoding']));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
        res.end(compress(Buffer.from(reply(body))));
      });
    });
    const o = await run(docProject(CONFIG, 4), { OPENAI_BASE_URL: `${server.url}/v1` });
    expectExit(o, 0);
    expect(o.results.flows.map((f: { output: string }) => f.output).sort()).toEqual([1, 2, 3, 4].map((n) => `answer Q doc-${n}`));
    expect(asked).toHaveLength(4);
    for (const header of asked) expect(header.split(/,\s*/)).toContain(coding);
  },
  30_000,
);

test('a proxy in the environment (HTTP_PROXY with NODE_USE_ENV_PROXY): every model call goes through it', async () => {
  const model = await fakeOpenAI((req) => ({ text: `answer ${req.prompt}` }));
  const proxied: string[] = [];
  // a forward proxy: a CONNECT tunnel (how Node's fetch goes through a proxy), or a request whose line holds the whole URL
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const target = new URL(req.url!);
    const upstream = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listenOnLoopback(server, sockets);
  const proxy = closeAfterAll({ url: `http://127.0.0.1:${port}`, close: () => closeServer(server, sockets) });
  const o = await run(docProject(CONFIG, 3), {
    OPENAI_BASE_URL: model.url,
    HTTP_PROXY: proxy.url,
    NODE_USE_ENV_PROXY: '1',
    NO_PROXY: undefined,
    no_proxy: undefined,
  });
  expectExit(o, 0);
  expect(o.results.flows.map((f: { output: string }) => f.output).sort()).toEqual([1, 2, 3].map((n) => `answer Q doc-${n}`));
  // one tunnel carries many calls; without a tunnel, each call is a request to the proxy
  const origin = new URL(model.url);
  expect(proxied.length).toBeGreaterThan(0);
  for (const line of proxied) expect([`CONNECT ${origin.host}`, `POST ${model.url}/responses`]).toContain(line);
  expect(model.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(3);
}, 30_000);

test('calls in turn reuse one kept-alive connection', async () => {
  const connections = new Set<Socket>();
  const server = await loopback((req, res) => {
    connections.add(req.socket);
    void readBody(req).then((body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply(body));
    });
  });
  const o = await orchestrate(docProject(CONFIG, 5), ['--key', 'DOC:docs.list', '--parallel', '1'], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: `${server.url}/v1`,
  });
  expectExit(o, 0);
  expect(o.results.succeeded).toBe(5);
  expect(connections.size).toBe(1);
}, 30_000);

test('a gateway answering 307 with a gzip body on every call: each flow fails with the redirect error, the run ends, results.json is written', async () => {
  const moved = gzipSync(`<html><body>Moved</body></html>${'padding '.repeat(20_000)}`);
  const server = await loopback((req, res) => {
    void readBody(req).then(() =>
      res.writeHead(307, { location: req.url, 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(moved),
    );
  });
  const o = await orchestrateInProcess(docProject(CONFIG, 3), ['--key', 'DOC:docs.list', '--retries', '0'], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: `${server.url}/v1`,
  });
  expectExit(o, 1);
  const results = checkResults(o.runDir, 3);
  expect(results).toMatchObject({ flows_total: 3, failed: 3 });
  // what a redirect loop says (the process stayed up: before, the decoder's leftovers crashed it with ERR_INVALID_STATE)
  for (const flow of results.flows)
    expect(flow.error).toMatch(/^step 1 \("ask"\): could not reach the model server at .*redirect count exceeded/);
});
