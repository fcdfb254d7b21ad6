import type http from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The bodies of directFetch's answers (http-fetch.ts): a 2xx as a DirectResponse the model runner
 * reads as text, any other as a web stream capped at ERROR_BODY_MAX.
 */

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
  /** `body` was read from: what it took is no longer in `chunks`. */
  private pulled = false;
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
    source.once('end', () => this.end('end'));
    whenCut(res, source, signal, (error) => this.end(error));
  }

  get body(): ReadableStream<Uint8Array> {
    // a high-water mark of 0: making the stream takes nothing from `chunks`, only a read does
    this.stream ??= new ReadableStream<Uint8Array>(
      {
        pull: (controller) =>
          new Promise<void>((resolve) => {
            this.pulled = true;
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
      },
      { highWaterMark: 0 },
    );
    return this.stream;
  }

  /** Nothing of the body was taken yet (`body` made but not read from is fine): `readText` can read it whole. */
  get unread(): boolean {
    return !this.used && !this.pulled && this.stream?.locked !== true;
  }

  get bodyUsed(): boolean {
    return this.used || this.pulled || (this.stream?.locked ?? false);
  }

  async text(): Promise<string> {
    if (this.unread) return this.readText(undefined);
    // the rest, once `body` was read from (a Response refuses a stream that was)
    const reader = this.body.getReader();
    const chunks: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    return Buffer.concat(chunks).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /** The body as text (decoded when compressed); fails past `limits` with their errors, the request destroyed. */
  readText(limits: TextLimits | undefined): Promise<string> {
    if (!this.unread)
      return Promise.reject(
        new TypeError(
          this.used || this.stream?.locked === true
            ? 'Body is unusable: Body has already been read'
            : 'Body is unusable: part of it was read through `body`; read the rest from `body`',
        ),
      );
    this.used = true;
    this.draining = true;
    this.source.resume();
    return new Promise<string>((resolve, reject) => {
      let stopTimer = (): void => undefined;
      let settled = false;
      const done = (error: Error | undefined): void => {
        if (settled) return;
        settled = true;
        this.wake = undefined;
        stopTimer();
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
      if (limits !== undefined) stopTimer = afterDeadline(limits.deadline, () => done(limits.timedOut()));
      settle();
    });
  }

  /** The body ended, or failed (the request destroyed: a decoder that failed leaves the socket neither read nor freed). */
  private end(outcome: 'end' | Error): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    if (outcome !== 'end') {
      this.req.destroy();
      this.source.destroy(); // a decoder still holding input would go on decoding it
    }
    this.wake?.();
  }
}

/** Most bytes of a non-2xx body (decoded) handed on: the SDK reads it whole into its error, and a small gzip body can decode to gigabytes. */
export const ERROR_BODY_MAX = 1024 * 1024;

/**
 * `fetch` (Node's: a run through a proxy, a body or URL directFetch does not carry) with the body of
 * every non-2xx answer ended at `max` bytes, as directFetch's own are: the SDK reads an error's body
 * whole into its message, and a small gzip body can decode to gigabytes.
 */
export function errorBodiesCapped(fetcher: typeof fetch, max = ERROR_BODY_MAX): typeof fetch {
  return async (input, init) => {
    const response = await fetcher(input, init);
    if (response.ok || response.body === null) return response;
    const { status, statusText, headers } = response;
    return new Response(cappedStream(response.body, max), { status, statusText, headers });
  };
}

/** The first `max` bytes of `source`; the rest is cancelled, neither read nor decoded. */
function cappedStream(source: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let taken = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const part = value.byteLength > max - taken ? value.subarray(0, max - taken) : value;
        taken += part.byteLength;
        controller.enqueue(part);
        if (taken >= max) {
          controller.close();
          await reader.cancel();
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The answer's body (decoded when the server compressed it) as a web stream, ended at `max` bytes (the rest neither read
 * nor decoded); a connection that ends early errors it with TypeError("terminated"), an abort (which destroys the
 * request) with the signal's reason, as Node's fetch does.
 */
export function bodyStream(
  req: http.ClientRequest,
  res: http.IncomingMessage,
  signal: AbortSignal | undefined,
  max = ERROR_BODY_MAX,
): ReadableStream<Uint8Array> {
  const source = decoded(res);
  let ended = false;
  let taken = 0;
  // the request and the decoder both destroyed: a decoder left running would go on emitting what it still holds
  const stop = (): void => {
    ended = true;
    req.destroy();
    if (source !== res) source.destroy();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source.on('data', (chunk: Buffer) => {
          if (ended) return;
          const part = chunk.byteLength > max - taken ? chunk.subarray(0, max - taken) : chunk;
          taken += part.byteLength;
          controller.enqueue(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
          if (taken >= max) {
            controller.close();
            stop();
          } else if ((controller.desiredSize ?? 1) <= 0) source.pause();
        });
        source.once('end', () => {
          if (ended) return;
          ended = true;
          controller.close();
        });
        whenCut(res, source, signal, (error) => {
          if (ended) return;
          controller.error(error);
          stop(); // a decoder that failed leaves the socket neither read nor freed
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        stop();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}

/**
 * Calls `fail` when a body ends early, with what Node's fetch errors it with: the signal's reason
 * when aborted, otherwise TypeError("terminated") whose cause is the decoder's or the response's
 * error, or the connection closed before the body was complete.
 */
function whenCut(res: http.IncomingMessage, source: Readable, signal: AbortSignal | undefined, fail: (error: Error) => void): void {
  const cut = (cause: unknown): void => fail(signal?.aborted === true ? aborted(signal) : new TypeError('terminated', { cause }));
  source.on('error', cut);
  res.on('error', cut);
  res.once('close', () => {
    if (!res.complete) cut(new Error('other side closed'));
  });
}

/**
 * Calls `fire` once `deadline` (a Date.now() time) has passed, decided after the next poll for
 * I/O: behind a stalled loop, a body that came in time is read, not paid for twice. Returns what
 * cancels it.
 */
export function afterDeadline(deadline: number, fire: () => void): () => void {
  let late: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => (late = setImmediate(fire)), Math.max(0, deadline - Date.now()));
  return () => {
    clearTimeout(timer);
    if (late !== undefined) clearImmediate(late);
  };
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
export function aborted(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
