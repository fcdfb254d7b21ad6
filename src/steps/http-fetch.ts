import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

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
 * the environment (Node's fetch honours HTTP(S)_PROXY with NODE_USE_ENV_PROXY) go to Node's fetch.
 */
export function directFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  if (PROXY_VARIABLES.some((name) => env[name] !== undefined && env[name] !== '')) return globalThis.fetch;
  // an idle connection is closed after 4 s, as Node's fetch closes it (undici's keepAliveTimeout), unless the server's
  // Keep-Alive hint is shorter: one a gateway forgot (or a NAT dropped) is not written to on the next call
  const kept = { keepAlive: true, timeout: IDLE_MS };
  const agents = { http: new http.Agent(kept), https: new https.Agent(kept) };
  const direct = async (input: string | URL | Request, init: RequestInit = {}, hops = 0): Promise<Response> => {
    const url = input instanceof URL ? input : typeof input === 'string' ? new URL(input) : undefined;
    const body = init.body ?? undefined;
    const plain = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    // a URL with a user or password in it: Node's fetch refuses it (node:http would send them as Basic auth)
    const web = url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '';
    if (web || !plain || (init.redirect !== undefined && init.redirect !== 'follow')) return globalThis.fetch(input, init);
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

/** How reading a body as text (DirectResponse.readText) ends when it does not end well. */
export interface TextLimits {
  /** Most bytes of (decoded) body taken; past it `tooLarge()` is thrown. */
  readonly max: number;
  /** Date.now() past which `timedOut()` is thrown. */
  readonly deadline: number;
  readonly tooLarge: () => Error;
  readonly timedOut: () => Error;
}

/** Bytes of a body held unread before its socket is paused, as the web stream of Node's fetch holds them. */
const HIGH_WATER = 64 * 1024;

/**
 * A 2xx answer of `directFetch`, shaped like the `Response` Node's fetch gives (status, headers,
 * `body`, `text()`...), whose body the model runner reads as text (`readText`): a web `Response`
 * and a `ReadableStream` made for each answer, and read back through a reader, were most of the
 * transport's own cost a call. The body is taken from the socket as it comes (the first 64 KiB
 * unasked: a reply nobody reads still frees its connection), into chunks that `readText` joins
 * and `body`, a web stream made when asked for, hands out; a connection that ends early fails
 * either with TypeError("terminated"), an abort with the signal's reason, as Node's fetch does.
 */
export class DirectResponse {
  readonly ok = true;
  readonly redirected = false;
  readonly type = 'default';
  /** As a Response made by its constructor (what directFetch gave before): no URL. */
  readonly url = '';
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  private readonly req: http.ClientRequest;
  private readonly source: Readable;
  /** What came and was not handed out yet, and its size; `wake` is called when a chunk or the outcome comes. */
  private readonly chunks: Buffer[] = [];
  private held = 0;
  private outcome: 'end' | Error | undefined;
  private wake: (() => void) | undefined;
  /** `readText` takes the whole body: the socket is not paused for it. */
  private draining = false;
  private used = false;
  private stream: ReadableStream<Uint8Array> | undefined;

  constructor(
    req: http.ClientRequest,
    res: http.IncomingMessage,
    signal: AbortSignal | undefined,
    answered: { readonly status: number; readonly statusText: string; readonly headers: Headers },
  ) {
    this.req = req;
    this.status = answered.status;
    this.statusText = answered.statusText;
    this.headers = answered.headers;
    const source = (this.source = decoded(res));
    source.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.held += chunk.byteLength;
      if (!this.draining && this.held >= HIGH_WATER) source.pause();
      this.wake?.();
    });
    const cut = (cause: unknown): void => this.end(signal?.aborted === true ? aborted(signal) : new TypeError('terminated', { cause }));
    source.once('end', () => this.end('end'));
    source.on('error', cut);
    res.on('error', cut);
    res.once('close', () => {
      if (!res.complete) cut(new Error('other side closed'));
    });
  }

  get body(): ReadableStream<Uint8Array> {
    this.stream ??= new ReadableStream<Uint8Array>({
      pull: (controller) =>
        new Promise<void>((resolve) => {
          const give = (): void => {
            const chunk = this.used ? undefined : this.chunks.shift();
            if (this.used) controller.error(new TypeError('Body is unusable: Body has already been read'));
            else if (chunk !== undefined) {
              this.held -= chunk.byteLength;
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if (this.held < HIGH_WATER) this.source.resume();
            } else if (this.outcome === 'end') controller.close();
            else if (this.outcome !== undefined) controller.error(this.outcome);
            else return void (this.wake = give);
            this.wake = undefined;
            resolve();
          };
          give();
        }),
      cancel: () => {
        this.end(new TypeError('cancelled'));
      },
    });
    return this.stream;
  }

  get bodyUsed(): boolean {
    return this.used || (this.stream?.locked ?? false);
  }

  async text(): Promise<string> {
    return this.stream === undefined ? this.readText(undefined) : new Response(this.stream).text();
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /** The body as text (decoded when compressed); fails past `limits` with their errors, the request destroyed. */
  readText(limits: TextLimits | undefined): Promise<string> {
    if (this.used || this.stream?.locked === true) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.used = true;
    this.draining = true;
    this.source.resume();
    return new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let late: NodeJS.Immediate | undefined;
      const done = (error: Error | undefined): void => {
        if (this.wake === undefined) return;
        this.wake = undefined;
        clearTimeout(timer);
        if (late !== undefined) clearImmediate(late);
        const text = error === undefined ? Buffer.concat(this.chunks, this.held).toString('utf8') : '';
        this.chunks.length = 0;
        if (error === undefined) return resolve(text);
        this.end(error); // the rest is not read: the socket is not handed to another call
        reject(error);
      };
      const settle = (): void => {
        if (limits !== undefined && this.held > limits.max) done(limits.tooLarge());
        else if (this.outcome !== undefined) done(this.outcome === 'end' ? undefined : this.outcome);
      };
      this.wake = settle;
      // decided after the next poll for I/O: behind a stalled loop, a body that came in time is read, not paid for twice
      if (limits !== undefined)
        timer = setTimeout(() => (late = setImmediate(() => done(limits.timedOut()))), Math.max(0, limits.deadline - Date.now()));
      settle();
    });
  }

  /** The body ended, or failed (the request destroyed: a decoder that failed leaves the socket neither read nor freed). */
  private end(outcome: 'end' | Error): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    if (outcome !== 'end') this.req.destroy();
    this.wake?.();
  }
}

/**
 * The answer's body (decoded when the server compressed it) as a web stream; a connection that ends early errors it with
 * TypeError("terminated"), an abort (which destroys the request) with the signal's reason, as Node's fetch does.
 */
function bodyStream(req: http.ClientRequest, res: http.IncomingMessage, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const source = decoded(res);
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const cut = (cause: unknown): void => {
          if (ended) return;
          ended = true;
          controller.error(signal?.aborted === true ? aborted(signal) : new TypeError('terminated', { cause }));
          req.destroy(); // a decoder that failed leaves the socket neither read nor freed
        };
        source.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) source.pause();
        });
        source.once('end', () => {
          if (ended) return;
          ended = true;
          controller.close();
        });
        source.on('error', cut);
        res.on('error', cut);
        res.once('close', () => {
          if (!res.complete) cut(new Error('other side closed'));
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        ended = true;
        req.destroy();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

/** `res`, or a decoder it is piped through when its Content-Encoding is one Node's fetch decodes. */
function decoded(res: http.IncomingMessage): Readable {
  const header = res.headers['content-encoding'];
  if (header === undefined) return res;
  const coding = header.trim().toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : coding === 'deflate'
        ? zlib.createInflate()
        : coding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  return decoder === undefined ? res : res.pipe(decoder);
}

/** What Node's fetch rejects with when `signal` aborts it: the signal's reason (an AbortError DOMException unless one was given). */
function aborted(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
