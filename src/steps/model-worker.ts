import { parentPort, workerData } from 'node:worker_threads';
import OpenAI from 'openai';
import { directFetch } from './http-fetch.js';
import { callModel } from './model-call.js';
import type { ThreadAnswer, ThreadRequest, ThreadSetup } from './model-thread.js';
import { headerList, Outbox, toWire } from './model-wire.js';

/**
 * The thread that makes an openai runner's calls (model-thread.ts): one SDK client, as the runner
 * had it, each call made and its body read as on the runner's own thread, the answer or the error
 * sent back. Retries, the rate limiter and the reply's checks stay with the runner.
 */
const setup = workerData as ThreadSetup;
const port = parentPort!;
const client = new OpenAI({ apiKey: setup.apiKey, baseURL: setup.baseURL, maxRetries: 0, fetch: directFetch() });
const running = new Map<number, AbortController>();

const outbox = new Outbox<ThreadAnswer>((batch) => port.postMessage(batch));

port.on('message', (requests: ThreadRequest[]) => {
  for (const request of requests) handle(request);
});

function handle(request: ThreadRequest): void {
  if ('abort' in request) {
    running.get(request.abort)?.abort();
    return;
  }
  const { id, call, timeoutMs, maxBytes } = request;
  const controller = new AbortController();
  running.set(id, controller);
  callModel(client, call, { timeoutMs, maxBytes, signal: controller.signal }).then(
    ({ body, headers }) => answer({ id, body, headers: headerList(headers) }),
    (error: unknown) => answer({ id, error: toWire(error) }),
  );
}

function answer(message: ThreadAnswer): void {
  running.delete(message.id);
  outbox.add(message);
}
