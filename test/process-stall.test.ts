/**
 * A step's output is everything its program printed, read to end of file, however late the event
 * loop gets to it (SPEC 14, README "Running a flow"): on a loaded runner the loop may stall for
 * over a second right after a program exits, and no timer may throw away what waits in its pipes.
 * Reproduced in this process (helpers/stall.ts), with outputs below and above the 64 KiB a pipe
 * holds, for cmd steps and codex steps (a stand-in codex: events on stdout, a final message). The
 * same for the other timers racing I/O or a program's end: a step's timeout, a model call's
 * deadline. And the processes taken for holders of a step's pipes are only the step's own.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Step } from '../src/config/types.js';
import { CmdRunner } from '../src/steps/cmd.js';
import { CodexRunner } from '../src/steps/codex.js';
import { OpenAIRunner } from '../src/steps/openai.js';
import { pipeEnds, pipeHolders } from '../src/steps/pipe-holders.js';
import { PIPE_GRACE_MS } from '../src/steps/pipe-watch.js';
import { RateLimiter } from '../src/steps/ratelimit.js';
import type { StepRequest } from '../src/steps/runner.js';
import { TreeWriter } from '../src/util/files.js';
import { Redactor } from '../src/util/redact.js';
import { waitFor } from './helpers/processes.js';
import { scratch } from './helpers/project.js';
import { stepOf } from './helpers/steps.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';
import { stallAfterExit, WAIT_FOR_GO } from './helpers/stall.js';
import { tempOnDisk } from './helpers/cli.js';

/** Longer than the grace the pipes get after the program exits. */
const STALL_MS = PIPE_GRACE_MS * 1.5;

function request(dir: string, step: Step, prompt = ''): StepRequest {
  return {
    step,
    prompt,
    command: undefined,
    dir: join(dir, 'step'),
    model: undefined,
    api: 'responses',
    cwd: dir,
    sandbox: 'read-only',
    timeoutMs: 60_000,
    signal: new AbortController().signal,
    files: new TreeWriter(new Redactor([]), dir),
    env: {},
  };
}

/** What no step whose pipes nobody else held may say. */
const HELD = /outside its process group|could not be found/;

describe.each([
  ['below', 1000],
  ['above', 100 * 1024],
])('the loop stalls right after the program exits, output %s the 64 KiB of a pipe', (_, size) => {
  test('a cmd step keeps all its output', async () => {
    const dir = scratch();
    const cmd = `${WAIT_FOR_GO} head -c ${size} /dev/zero | tr '\\0' x`;
    const step = stepOf({ cmd });
    const result = await stallAfterExit(dir, new CmdRunner(process.env).run(request(dir, step)), STALL_MS);
    expect(result.bytes?.length).toBe(size);
    expect(result.output).toBe('x'.repeat(size));
    expect(readFileSync(join(dir, 'step', 'output.txt')).length).toBe(size);
    expect(readFileSync(join(dir, 'step', 'stderr.txt'), 'utf8')).not.toMatch(HELD);
  }, 30_000);

  test('a codex step reads its whole event stream: usage counted, every event in stdout.txt', async () => {
    const dir = scratch();
    // an agent message of `size` bytes makes the event stream that long
    const codex = writeStandInCodex(
      scratch(),
      `#!/bin/sh
${CODEX_OPTIONS}
cat > /dev/null
${WAIT_FOR_GO}
${TURN_STARTED}
printf '{"type":"item.completed","item":{"type":"agent_message","text":"%s"}}\\n' "$(head -c ${size} /dev/zero | tr '\\0' y)"
printf 'the answer' > "$final"
${turnCompleted(2)}
`,
    );
    const runner = new CodexRunner({ path: codex, env: process.env, apiKey: undefined, baseUrl: undefined, retries: 0 });
    const step = stepOf({ type: 'codex', prompt: 'hi' });
    const result = await stallAfterExit(dir, runner.run(request(dir, step, 'hi')), STALL_MS);
    expect(result.output).toBe('the answer');
    // turn.completed is the stream's last line: counted only if the stream was read to its end
    expect(result.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, cached_input_tokens: 2 });
    const events = readFileSync(join(dir, 'step', 'stdout.txt'), 'utf8')
      .trim()
      .split('\n');
    expect(events.map((line) => JSON.parse(line).type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(JSON.parse(events[2] ?? '{}').item.text).toHaveLength(size);
    expect(readFileSync(join(dir, 'step', 'stderr.txt'), 'utf8')).not.toMatch(HELD);
  }, 30_000);
});

test('a program that exited before its deadline is not timed out when the loop stalls past the deadline', async () => {
  const dir = scratch();
  const timeoutMs = 5000;
  const deadline = Date.now() + timeoutMs;
  const step = stepOf({ cmd: `${WAIT_FOR_GO} echo done` });
  let exitedInTime = false;
  const run = new CmdRunner(process.env).run({ ...request(dir, step), timeoutMs });
  const result = await stallAfterExit(dir, run, () => {
    // the program has exited: hold the loop until its deadline has passed
    exitedInTime = Date.now() < deadline;
    return deadline - Date.now() + 500;
  });
  expect(exitedInTime).toBe(true);
  expect(result.output).toBe('done\n');
}, 30_000);

describe('only the processes a step started are taken for holders of its pipes', () => {
  // the window below was measured with the shell writing pid.txt to disk; on tmpfs its writes are so
  // cheap that it spends far more of its time with fd 1 on the file, and pipeEnds' three looks then
  // miss the pipe now and then (one end, not two): a gap of pipe-holders.ts this test does not own
  tempOnDisk();

  test('a file many processes hold (/dev/null) never counts, and no process without the step tag is a holder', () => {
    expect(pipeHolders(new Set(['/dev/null']), 0, 'no-such-tag')).toEqual([]);
  });

  test('a shell caught pointing its stdout elsewhere for a builtin still gives its pipes, and nothing else, as its ends', async () => {
    const dir = scratch();
    const shell = spawn('sh', ['-c', 'while :; do echo $$ > pid.txt; done'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      await waitFor('the shell', () => existsSync(join(dir, 'pid.txt')), 10_000);
      // the window is narrow: the ends read before they were checked held a file 4 times in 20,000 reads
      for (let i = 0; i < 2000; i++) {
        const ends = [...pipeEnds(shell.pid!)];
        expect(ends).toHaveLength(2);
        for (const end of ends) expect(end).toMatch(/^socket:\[\d+\]$/);
      }
    } finally {
      shell.kill('SIGKILL');
    }
  }, 30_000);
});

test('a model reply whose body came before the deadline is read when the loop stalls past the deadline, not timed out and paid again', async () => {
  const timeoutMs = 2000;
  let requests = 0;
  const body = JSON.stringify({
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    model: 'gpt-fake',
    output: [
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'the answer', annotations: [] }],
      },
    ],
    usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 },
  });
  let bodyInTime = false;
  const server = http.createServer((req, res) => {
    requests++;
    const received = Date.now();
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    // the body a moment later, once the client waits for it, from a setImmediate: this process then
    // stalls past the client's deadline before its next poll, and libuv runs expired timers first
    setTimeout(
      () =>
        setImmediate(() => {
          res.end(body);
          bodyInTime = Date.now() < received + timeoutMs;
          const until = received + timeoutMs + 500;
          while (Date.now() < until);
        }),
      300,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const runner = new OpenAIRunner({
      apiKey: 'sk-test-stall-0123456789',
      baseUrl: `http://127.0.0.1:${port}/v1`,
      retry: { retries: 0, baseMs: 10, maxMs: 10 },
      limiter: new RateLimiter(),
    });
    const dir = scratch();
    const step = stepOf({ type: 'openai', name: 'model', prompt: 'hi' });
    const result = await runner.run({ ...request(dir, step, 'hi'), model: 'gpt-fake', timeoutMs });
    expect(bodyInTime).toBe(true);
    expect(result.output).toBe('the answer');
    expect(requests).toBe(1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 30_000);
