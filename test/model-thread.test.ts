/**
 * An openai runner's calls are made on a thread of their own (steps/model-thread.ts, the built
 * CLI's build/steps/model-worker.js): the SDK and the HTTP client work beside the event loop that
 * runs the flows, not in turns with it. What crosses between the two (errors with their class,
 * status and headers; aborts) is what the runner's retries and messages read.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OpenAIRunner } from '../src/steps/openai.js';
import { RateLimiter } from '../src/steps/ratelimit.js';
import type { StepRequest } from '../src/steps/runner.js';
import { CancelledError, StepError } from '../src/errors.js';
import { TreeWriter } from '../src/util/files.js';
import { Redactor } from '../src/util/redact.js';
import { scratch } from './helpers/project.js';
import { stepOf } from './helpers/steps.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The thread's module as `npm run build:cli` builds it (jest runs our sources, where it is TypeScript). */
const THREAD = pathToFileURL(join(ROOT, 'build', 'steps', 'model-worker.js'));
const KEY = 'sk-test-thread-0123456789abcdef';

/**
 * A loopback model server on a thread of its own, so that it answers while this thread is blocked.
 * `plan` lists, per request, the status to answer with (200: a reply). `seen[0]` counts requests
 * whose headers arrived, and is notified on each (Atomics.wait).
 */
async function threadServer(plan: number[]): Promise<{ url: string; seen: Int32Array; close(): Promise<number> }> {
  const seen = new Int32Array(new SharedArrayBuffer(4));
  const code = `
    const http = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const { seen, plan } = workerData;
    const server = http.createServer((req, res) => {
      const n = Atomics.add(seen, 0, 1);
      Atomics.notify(seen, 0);
      req.resume();
      req.on('end', () => {
        const status = plan[Math.min(n, plan.length - 1)];
        if (status === 0) return; // never answers
        const body = status === 200
          ? { id: 'resp_1', object: 'response', status: 'completed', usage: { input_tokens: 3, output_tokens: 2 },
              output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'the answer' }] }] }
          : { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded', param: null } };
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after-ms': '10', 'x-request-id': 'req_' + n });
        res.end(JSON.stringify(body));
      });
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
    parentPort.on('message', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
  `;
  const worker = new Worker(code, { eval: true, workerData: { seen, plan } });
  const port = await new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  const close = async () => {
    worker.postMessage('close');
    return new Promise<number>((resolve) => worker.once('exit', resolve));
  };
  return { url: `http://127.0.0.1:${port}/v1`, seen, close };
}

function runnerFor(url: string, retries = 0): OpenAIRunner {
  return new OpenAIRunner({
    apiKey: KEY,
    baseUrl: url,
    retry: { retries, baseMs: 10, maxMs: 10 },
    limiter: new RateLimiter(),
    thread: THREAD,
  });
}

function requestFor(signal = new AbortController().signal): StepRequest {
  const dir = scratch();
  return {
    step: stepOf({ type: 'openai', name: 'model', prompt: 'hi' }),
    prompt: 'hi',
    command: undefined,
    dir: join(dir, 'step'),
    model: 'gpt-fake',
    api: 'responses',
    cwd: dir,
    sandbox: 'read-only',
    timeoutMs: 20_000,
    signal,
    files: new TreeWriter(new Redactor([]), dir),
    env: {},
  };
}

/** Waits (bounded) for `done` to hold, looking every 10 ms. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 20_000) throw new Error('waited 20 s for the server to see the request');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets the runner send its call: its limiter and the messages to the thread wait for a turn of the event loop. */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

test('the request is sent and answered while the event loop that runs the flows is busy', async () => {
  const server = await threadServer([200]);
  const runner = runnerFor(server.url);
  try {
    const answered = runner.run(requestFor());
    await turn();
    // this thread blocks (as a burst of step files and records would hold it): made here, the
    // call would not even be written to its socket until it is free again
    const sent = Atomics.wait(server.seen, 0, 0, 20_000);
    expect(sent).not.toBe('timed-out');
    const result = await answered;
    expect(result.output).toBe('the answer');
    expect(result.usage).toEqual({ input_tokens: 3, output_tokens: 2, cached_input_tokens: 0 });
  } finally {
    await runner.close();
    await server.close();
  }
});

test('a 429 from the thread is a RateLimitError here: retried after the server’s retry-after-ms, then answered', async () => {
  const server = await threadServer([429, 200]);
  const runner = runnerFor(server.url, 1);
  try {
    expect((await runner.run(requestFor())).output).toBe('the answer');
    expect(server.seen[0]).toBe(2);
  } finally {
    await runner.close();
    await server.close();
  }
});

test('a 429 past the retries fails the step with the SDK’s message and status, as on one thread', async () => {
  const server = await threadServer([429]);
  const runner = runnerFor(server.url, 1);
  try {
    const failed = await runner.run(requestFor()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StepError);
    expect((failed as Error).message).toBe('the model call failed with HTTP 429: 429 slow down (after 2 attempts)');
  } finally {
    await runner.close();
    await server.close();
  }
});

test('a call the run interrupts ends at once as cancelled (the server never answers)', async () => {
  const server = await threadServer([0]);
  const runner = runnerFor(server.url);
  const interrupt = new AbortController();
  try {
    const answered = runner.run(requestFor(interrupt.signal)).catch((error: unknown) => error);
    await until(() => server.seen[0]! > 0);
    interrupt.abort();
    expect(await answered).toBeInstanceOf(CancelledError);
  } finally {
    await runner.close();
    expect(await server.close()).toBe(0);
  }
});

test('a server that cannot be reached is named with the cause the thread saw', async () => {
  const server = await threadServer([200]);
  const url = server.url;
  await server.close();
  const runner = runnerFor(url);
  try {
    const failed = await runner.run(requestFor()).catch((error: unknown) => error);
    expect((failed as Error).message).toMatch(
      new RegExp(`^could not reach the model server at ${url}: fetch failed: connect ECONNREFUSED`),
    );
  } finally {
    await runner.close();
  }
});
