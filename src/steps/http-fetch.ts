import http from 'node:http';
import https from 'node:https';
import { aborted, bodyStream, DirectResponse, errorBodiesCapped } from './http-body.js';

export { DirectResponse, type TextLimits } from './http-body.js';

/**
 * A `fetch` for the openai SDK's direct calls (its `fetch` option) over node:http(s) with
 * keep-alive agents: measured with the SDK at 50 calls in flight, 0.6–0.7 × the CPU of Node's
 * built-in fetch (undici: a Request, a Response and their web streams around every call), which
 * is most of what a run of many model calls costs. It keeps what the runner relies on from Node's
 * fetch: a request that fails before the answer rejects with TypeError("fetch failed") and the
 * cause (so the SDK makes it a retryable APIConnectionError), an abort with an AbortError, a body
 * cut short errors its stream with TypeError("terminated"); the body streams, so the runner's own
 * size cap and deadline apply; gzip, deflate and brotli bodies are decoded; redirects are followed
 * (test/unit/http-fetch.test.ts holds it to Node's fetch case by case). Anything it does not
 * carry (a body that is not text or bytes: the Batch API's uploads) and any run with a proxy in
 * the environment (Node's fetch honours HTTP(S)_PROXY with NODE_USE_ENV_PROXY) go to Node's fetch,
 * whose non-2xx bodies are capped as ours are (ERROR_BODY_MAX).
 */
export function directFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  const web = errorBodiesCapped((input, init) => globalThis.fetch(input, init));
  if (PROXY_VARIABLES.some((name) => env[name] !== undefined && env[name] !== '')) return web;
  // an idle connection is closed after 4 s, as Node's fetch closes it (undici's keepAliveTimeout), unless the server's
  // Keep-Alive hint is shorter: one a gateway forgot (or a NAT dropped) is not written to on the next call
  const kept = { keepAlive: true, timeout: IDLE_MS };
  const agents = { http: new http.Agent(kept), https: new https.Agent(kept) };
  const direct = async (input: string | URL | Request, init: RequestInit = {}, hops = 0): Promise<Response> => {
    const url = input instanceof URL ? input : typeof input === 'string' ? new URL(input) : undefined;
    const body = init.body ?? undefined;
    const plain = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    // a URL with a user or password in it: Node's fetch refuses it (node:http would send them as Basic auth)
    const notOurs =
      url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '';
    if (notOurs || !plain || (init.redirect !== undefined && init.redirect !== 'follow')) return web(input, init);
    const secure = url.protocol === 'https:';
    const response = await send(secure ? https.request : http.request, secure ? agents.https : agents.http, url, init, body);
    return REDIRECTS.has(response.status) ? redirected(response, url, init, hops, direct) : response;
  };
  return (input, init) => direct(input, init);
}

const IDLE_MS = 4000;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A redirect followed as Node's fetch follows it (a gateway's 307/308 to where the API is): the
 * same method and body, except a 303 (and a POST's 301/302) which become a GET without a body;
 * credentials dropped when the origin changes; at most 20.
 */
async function redirected(
  response: Response,
  from: URL,
  init: RequestInit,
  hops: number,
  again: (url: URL, init: RequestInit, hops: number) => Promise<Response>,
): Promise<Response> {
  const location = response.headers.get('location');
  if (location === null) return response;
  await response.body?.cancel();
  const to = new URL(location, from);
  if (hops >= 20) throw new TypeError('fetch failed', { cause: new Error(`redirect count exceeded (${from.href} -> ${to.href})`) });
  const method = (init.method ?? 'GET').toUpperCase();
  const toGet = response.status === 303 ? method !== 'GET' && method !== 'HEAD' : response.status <= 302 && method === 'POST';
  const headers = new Headers(init.headers);
  if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
  if (to.origin !== from.origin) for (const name of CREDENTIALS) headers.delete(name);
  return again(to, { ...init, headers, ...(toGet ? { method: 'GET', body: undefined } : {}) }, hops + 1);
}

const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];

/** The variables Node's fetch reads a proxy from (undici's EnvHttpProxyAgent). */
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy'];

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function send(
  request: typeof http.request,
  agent: http.Agent,
  url: URL,
  init: RequestInit,
  body: string | Uint8Array | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers = requestHeaders(init.headers, body);
    const signal = init.signal ?? undefined;
    // aborted (the SDK's timeout, or the run's signal): an AbortError, as the SDK tells one from a failure by its name
    const failed = (error: unknown): void => {
      if (signal?.aborted !== true) reject(new TypeError('fetch failed', { cause: error }));
      else reject(aborted(signal));
    };
    let req: http.ClientRequest;
    try {
      req = request(url, { method: init.method ?? 'GET', headers, agent, signal });
    } catch (error) {
      failed(error);
      return;
    }
    req.on('error', failed);
    req.once('response', (res) => {
      try {
        resolve(answer(req, res, signal));
      } catch (error) {
        req.destroy();
        failed(error);
      }
    });
    req.end(body);
  });
}

/** The request's headers as node:http takes them; what Node's fetch adds when missing is added too. */
function requestHeaders(given: RequestInit['headers'], body: string | Uint8Array | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const list = given instanceof Headers ? given : new Headers(given);
  for (const [name, value] of list) headers[name] = value;
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  if (body !== undefined) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  return headers;
}

/**
 * The Response of an answer whose headers have arrived: its body streams as it comes. A 2xx with a
 * body is a DirectResponse, which the model runner reads without a web stream.
 */
function answer(req: http.ClientRequest, res: http.IncomingMessage, signal: AbortSignal | undefined): Response {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 0;
  if (NULL_BODY_STATUS.has(status)) {
    res.resume();
    return new Response(null, { status, headers });
  }
  const statusText = res.statusMessage ?? '';
  if (status >= 200 && status < 300 && !REDIRECTS.has(status))
    return new DirectResponse(req, res, signal, { status, statusText, headers }) as unknown as Response;
  return new Response(bodyStream(req, res, signal), { status, statusText, headers });
}
