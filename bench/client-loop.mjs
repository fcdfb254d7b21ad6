/* global Headers, Response */
// The baseline of the engine-overhead benchmark: the same model calls with no engine around them.
//
//   node bench/client-loop.mjs VARIANT BASE_URL CALLS CONCURRENCY
//
// VARIANT: `sdk` (the official openai SDK, one client, as the engine's runner calls it),
// `sdk-fresh` (a new client for every call), `sdk-undici` (the SDK on the `undici` package's fetch
// with an Agent sized for the concurrency), `sdk-http` (the SDK on a small `fetch` over node:http
// with a keep-alive agent, passed through the SDK's `fetch` option), `http` (node:http with a
// keep-alive agent and no SDK: a floor no HTTP client in Node goes much below).
// Prints {"ms": wall time of the calls, "calls": N, "errors": E} on stdout.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [variant, baseUrl, callsArg, concurrencyArg] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);

let call;
if (variant.startsWith('sdk')) {
  const { default: OpenAI } = await import('openai');
  const options = { apiKey: 'bench-key', baseURL: baseUrl, maxRetries: 0 };
  if (variant === 'sdk-undici') {
    const { Agent, fetch } = await import('undici');
    options.fetch = fetch;
    options.fetchOptions = { dispatcher: new Agent({ connections: concurrency, keepAliveTimeout: 60_000 }) };
  } else if (variant === 'sdk-http') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    options.fetch = (url, init = {}) =>
      new Promise((resolve, reject) => {
        const headers = {};
        new Headers(init.headers).forEach((value, name) => (headers[name] = value));
        const req = http.request(url, { method: init.method, headers, agent, signal: init.signal }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const h = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, statusText: res.statusMessage, headers: h }));
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(init.body);
      });
  }
  const shared = new OpenAI(options);
  let n = 0;
  call = async () => {
    // sdk-fresh: a client per call, to show what reusing one is worth
    const client = variant === 'sdk-fresh' ? new OpenAI(options) : shared;
    const { data } = await client.responses
      .create({ model: 'bench', input: `prompt ${++n}` }, { timeout: 60_000, maxRetries: 0 })
      .withResponse();
    if (typeof data.output_text !== 'string') throw new Error('no output_text');
  };
} else if (variant === 'http') {
  const url = new URL(`${baseUrl}/responses`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let n = 0;
  call = () =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ model: 'bench', input: `prompt ${++n}` });
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: 'Bearer bench-key' },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            JSON.parse(Buffer.concat(chunks).toString('utf8'));
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
} else {
  throw new Error(`unknown variant ${variant}`);
}

let next = 0;
let errors = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      next++;
      try {
        await call();
      } catch {
        errors++;
      }
    }
  }),
);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, calls, errors }) + '\n');
process.exit(0);
