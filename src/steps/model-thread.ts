import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import OpenAI, { APIUserAbortError } from 'openai';
import { callModel, type RawAnswer } from './model-call.js';
import type { ModelRequest } from './model-request.js';
import { fromWire, listedHeaders, Outbox, type WireError } from './model-wire.js';

/** How one call is bounded: the step's timeout, the output cap, the run's signal. */
export interface CallLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly signal: AbortSignal | undefined;
}

/** Where an openai runner's requests are made and their bodies read. */
export interface ModelCalls {
  call(call: ModelRequest, limits: CallLimits): Promise<RawAnswer>;
  close(): Promise<void>;
}

/** The thread's module, beside this one in the built CLI (absent under jest's sources and in the Action's bundle). */
const THREAD_MODULE = './model-worker.js';

/** What a thread making model calls is started with. */
export interface ThreadSetup {
  readonly apiKey: string;
  readonly baseURL: string;
}

/**
 * The calls made on a thread of their own (`file`, the default beside this module, or undefined
 * for none), else on this one. The SDK and the HTTP client around each call (headers, the
 * request, the socket, the body's stream) cost the bare SDK loop most of its CPU; on the event
 * loop that also runs the flows (their prompts, step files and records) the two take turns on
 * one core, on a thread of their own they run beside each other: the engine row of `npm run
 * bench` (2,000 flows x 3 calls at --parallel 50) took 0.7-0.9 x the wall time with the same CPU.
 * With a proxy in the environment the calls stay here (`fetch` is Node's own then: http-fetch.ts).
 */
export function modelCalls(client: OpenAI, fetch: typeof globalThis.fetch, setup: ThreadSetup, file = defaultThreadModule()): ModelCalls {
  if (file === undefined || fetch === globalThis.fetch) return inThisThread(client);
  return new ThreadCalls(file, setup);
}

function defaultThreadModule(): URL | undefined {
  const file = new URL(THREAD_MODULE, import.meta.url);
  return existsSync(fileURLToPath(file)) ? file : undefined;
}

function inThisThread(client: OpenAI): ModelCalls {
  return { call: (call, limits) => callModel(client, call, limits), close: () => Promise.resolve() };
}

/** A message from the thread: the answer to call `id`, or why there is none. */
export type ThreadAnswer =
  { readonly id: number; readonly body: string; readonly headers: string[] } | { readonly id: number; readonly error: WireError };

/** A message to the thread: a call to make, or one to abort. */
export type ThreadRequest =
  { readonly id: number; readonly call: ModelRequest; readonly timeoutMs: number; readonly maxBytes: number } | { readonly abort: number };

interface Pending {
  resolve(answer: RawAnswer): void;
  reject(error: Error): void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

class ThreadCalls implements ModelCalls {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private ids = 0;
  /** Messages for the thread, sent together once this turn of the event loop is over (model-wire.ts: Outbox). */
  private readonly outbox = new Outbox<ThreadRequest>((batch) => this.worker?.postMessage(batch));

  constructor(
    private readonly file: URL,
    private readonly setup: ThreadSetup,
  ) {}

  call(call: ModelRequest, { timeoutMs, maxBytes, signal }: CallLimits): Promise<RawAnswer> {
    // as the SDK does when given a signal already aborted
    if (signal?.aborted === true) return Promise.reject(new APIUserAbortError());
    const worker = (this.worker ??= this.start());
    const id = ++this.ids;
    return new Promise<RawAnswer>((resolve, reject) => {
      const onAbort = (): void => {
        this.settled(id);
        this.outbox.add({ abort: id });
        reject(new APIUserAbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, signal, onAbort });
      // the thread keeps the process alive only while a call waits on it
      if (this.pending.size === 1) worker.ref();
      this.outbox.add({ id, call, timeoutMs, maxBytes });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the run ended before the model call did'));
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(this.file, { workerData: this.setup, name: 'model calls' });
    worker.unref();
    worker.on('message', (answers: ThreadAnswer[]) => {
      for (const answer of answers) {
        const pending = this.settled(answer.id);
        if (pending === undefined) continue; // aborted here already
        if ('error' in answer) pending.reject(fromWire(answer.error));
        else pending.resolve({ body: answer.body, headers: listedHeaders(answer.headers) });
      }
    });
    const stopped = (why: string): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new Error(`the thread making model calls stopped: ${why}`));
    };
    worker.on('error', (error: Error) => stopped(error.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return worker;
  }

  /** The call `id` taken off the waiting ones, if it still waits. */
  private settled(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    if (pending === undefined) return undefined;
    this.pending.delete(id);
    pending.signal?.removeEventListener('abort', pending.onAbort);
    if (this.pending.size === 0) this.worker?.unref();
    return pending;
  }

  private failAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settled(id)?.reject(error);
  }
}
