/**
 * An openai runner's calls: errors keep the SDK's class, status and headers (what the runner's
 * retries and messages read), an interrupted call ends at once. The calls are made on the event
 * loop that runs the flows, in the CLI built from a clone (what `npm run bench` runs) as in the npm
 * package and the Action's bundle: a model run starts no thread that an offline run does not.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { OpenAIRunner } from '../src/steps/openai.js';
import { RateLimiter } from '../src/steps/ratelimit.js';
import type { StepRequest } from '../src/steps/runner.js';
import { CancelledError, StepError } from '../src/errors.js';
import { TreeWriter } from '../src/util/files.js';
import { Redactor } from '../src/util/redact.js';
import { BIN, COMPILED_BIN, baseEnv, runNodeProcess } from './helpers/cli.js';
import { waitFor } from './helpers/processes.js';
import { docProject, fakeOpenAI, scratch } from './helpers/project.js';
import { stepOf } from './helpers/steps.js';

const KEY = 'sk-test-calls-0123456789abcdef';

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

test('a 429 is retried after the server’s retry-after-ms, then answered', async () => {
  const server = await threadServer([429, 200]);
  const runner = runnerFor(server.url, 1);
  try {
    expect((await runner.run(requestFor())).output).toBe('the answer');
    expect(server.seen[0]).toBe(2);
  } finally {
    await server.close();
  }
});

test('a 429 past the retries fails the step with the SDK’s message and status', async () => {
  const server = await threadServer([429]);
  const runner = runnerFor(server.url, 1);
  try {
    const failed = await runner.run(requestFor()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StepError);
    expect((failed as Error).message).toBe('the model call failed with HTTP 429: 429 slow down (after 2 attempts)');
  } finally {
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
    expect(await server.close()).toBe(0);
  }
});

// its cause (connect ECONNREFUSED) is Node's error from outside jest's realm here: test/faults.test.ts sees it in the CLI
test('a server that cannot be reached is named', async () => {
  const server = await threadServer([200]);
  const url = server.url;
  await server.close();
  const failed = await runnerFor(url)
    .run(requestFor())
    .catch((error: unknown) => error);
  expect((failed as Error).message).toMatch(new RegExp(`^could not reach the model server at ${url}: fetch failed`));
});

/** The names of a process's threads, each once (Linux: /proc/PID/task/TID/comm). */
function threadNames(pid: number): Set<string> {
  const names = new Set<string>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      names.add(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
    } catch {
      // the thread ended while we looked
    }
  }
  return names;
}

/** The threads Node itself starts in a process like the CLI's (V8's platform, the thread pool after a file read and a look-up). */
async function nodeOwnThreads(): Promise<Set<string>> {
  const code = `require('node:dns').lookup('localhost', () => require('node:fs').readFile(__filename, () => { console.log('ready'); setTimeout(() => {}, 30_000); }));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the reference node process exited (${code})`)));
    });
    return threadNames(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

test.each([...new Set([COMPILED_BIN, BIN])])(
  "%s makes its model calls on the event loop that runs the flows: no thread of its own but the run tree's writer",
  async (bin) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await fakeOpenAI(async (req) => {
      await held;
      return { text: `echo: ${req.prompt}` };
    });
    const dir = docProject([{ type: 'openai', name: 'ask', prompt: 'Read {{{DOC}}}.' }], 4);
    let pid = 0;
    const run = runNodeProcess(
      [bin, 'config.json', '--run-id', 't', '--key', 'DOC:docs.list', '--parallel', '4', '--base-url', server.url],
      {
        cwd: dir,
        // the writer thread started for 4 flows too (from 64 otherwise), to show it is the only one
        env: baseEnv({ OPENAI_API_KEY: KEY, ORCHESTRATOR_WRITER_THREAD_FLOWS: '1' }),
        timeoutMs: 30_000,
        what: 'a run of 4 model calls',
        onStart: (started) => (pid = started),
      },
    );
    let names: Set<string>;
    try {
      await waitFor('4 model calls in flight', () => server.inFlight === 4, 20_000);
      names = threadNames(pid);
    } finally {
      release();
    }
    const result = await run;
    expect(result.code).toBe(0);
    const own = await nodeOwnThreads();
    // the one thread of our own: the writer of a run that writes by path (util/tree-queue.ts), which
    // makes directories and files and never a call (it holds no client, no socket); it starts with
    // the first write, which may come after the calls
    expect([...names].filter((name) => !own.has(name) && name !== 'run tree writes')).toEqual([]);
  },
);
