/**
 * Fault injection (README: "Running a flow", "Output tree", "Reliability"): each case is a run of several flows in which
 * exactly one flow (the one for doc-3) meets a fault. The invariant: that flow's leaf records a
 * clear error, every other flow succeeds, the exit code is 1 (0 when the fault is recovered from),
 * and results.json is complete and valid (see helpers/run-invariants.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempOnDisk, BIN, baseEnv, expectExit, orchestrate as run, type CliResult, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { CODEX_BIN, codexEnv, makeCodexHome } from './helpers/codex-home.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { isAlive, signalProcess } from './helpers/processes.js';
import { docProject, fakeOpenAI, scratch, track } from './helpers/project.js';
import { checkResults, flowId, type Results } from './helpers/run-invariants.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

const KEY = 'sk-test-faults-0123456789abcdef';
const FLOWS = 5;
const FAULTY = 3;

/** A project of FLOWS flows (unless told otherwise): docs/N.txt holding `doc-N`, listed in docs.list. */
const project = (config: unknown, flows = FLOWS): string => docProject(config, flows);

const isFaulty = (req: RecordedRequest): boolean => req.prompt.includes(`doc-${FAULTY}`);
const callsFor = (server: FakeOpenAI, doc: number): number =>
  server.requests.filter((r) => r.path === '/v1/responses' && r.prompt.includes(`doc-${doc}`)).length;

/**
 * A run over the flows' key DOC with a model key; results.json is left to checkResults. In the jest
 * process (helpers/cli-inprocess.ts), or with `child` a child process: what the SDK's fetch throws
 * (a connection reset, a timeout) comes from another realm under jest, whose errors read differently
 * ("fetch failed" without its cause, a timeout as "could not reach").
 */
const orchestrate = (
  dir: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
  child = false,
): Promise<Outcome> =>
  (child ? run : orchestrateInProcess)(
    dir,
    ['--key', 'DOC:docs.list', ...args],
    { OPENAI_API_KEY: KEY, ...env },
    { timeoutMs, readResults: false },
  );

/**
 * The invariant with one faulty flow: it failed with an error matching `error` (at the step named
 * `step`), the others succeeded, exit 1, results.json complete. Returns results.json.
 */
function expectOneFailure(o: Outcome, error: RegExp, flows = FLOWS): Results {
  expectExit(o, 1);
  const results = checkResults(o.runDir, flows);
  const faulty = results.flows.filter((f) => f.id === flowId(FAULTY));
  expect(faulty).toHaveLength(1);
  expect(faulty[0]!.status).toBe('failed');
  expect(faulty[0]!.error).toMatch(error);
  for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY))) {
    expect({ id: leaf.id, status: leaf.status, error: leaf.error }).toEqual({ id: leaf.id, status: 'succeeded', error: null });
  }
  expect(results).toMatchObject({ flows_total: flows, total: flows, succeeded: flows - 1, failed: 1, cancelled: 0 });
  return results;
}

function expectAllSucceeded(o: Outcome, flows = FLOWS): Results {
  expectExit(o, 0);
  const results = checkResults(o.runDir, flows);
  expect(results).toMatchObject({ flows_total: flows, total: flows, succeeded: flows, failed: 0, cancelled: 0 });
  return results;
}

describe('model server faults (Responses API through the SDK)', () => {
  // an openai step, then a cmd step fed its output
  const CONFIG = [
    { type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}' },
    { name: 'shout', cmd: 'tr a-z A-Z' },
  ];
  const ok = (req: RecordedRequest) => ({ text: `answer ${req.prompt}` });
  /** The fake's default usage, priced as gpt-5-mini (the default model): $0.25 per 1M input tokens, $2 per 1M output tokens. */
  const ANSWER_USAGE = { input_tokens: 10, output_tokens: 5, cached_input_tokens: 0, cost_usd: (10 * 0.25 + 5 * 2) / 1e6 };

  function expectOthersAnswered(results: Results): void {
    for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY))) {
      const n = Number(leaf.id.slice(5));
      expect(leaf.output).toBe(`ANSWER Q DOC-${n}`);
      expect(leaf.usage).toEqual(ANSWER_USAGE);
    }
  }

  test('429 with Retry-After: the flow waits, retries and recovers; all succeed, exit 0', async () => {
    let rejected = 0;
    const server = await fakeOpenAI((req) =>
      isFaulty(req) && rejected++ === 0 ? { status: 429, headers: { 'retry-after': '1' }, text: 'slow down' } : ok(req),
    );
    const o = await orchestrate(project(CONFIG), ['--retries', '2'], { OPENAI_BASE_URL: server.url });
    const results = expectAllSucceeded(o);
    expect(callsFor(server, FAULTY)).toBe(2);
    for (const n of [1, 2, 4, 5]) expect(callsFor(server, n)).toBe(1);
    const faulty = results.flows.find((f) => f.id === flowId(FAULTY))!;
    expect(faulty.output).toBe(`ANSWER Q DOC-${FAULTY}`);
    // it waited what the server asked, not the 10 ms test backoff
    expect(faulty.steps[0]!.duration_ms).toBeGreaterThanOrEqual(900);
    expect(faulty.usage).toEqual(ANSWER_USAGE);
    expectOthersAnswered(results);
  }, 30_000);

  test.each([
    [
      '429 without Retry-After, exhausting --retries 2',
      { status: 429, text: 'Rate limit reached for requests' },
      /^step 1 \("ask"\): the model call failed with HTTP 429: .*Rate limit reached for requests.* \(after 3 attempts\)$/,
      3,
    ],
    [
      '500 on every attempt',
      { status: 500, text: 'the fake is down' },
      /^step 1 \("ask"\): the model call failed with HTTP 500: .*the fake is down.* \(after 3 attempts\)$/,
      3,
    ],
    [
      'a connection reset on every attempt',
      { reset: true },
      /^step 1 \("ask"\): could not reach the model server at http:\/\/127\.0\.0\.1:\d+\/v1: fetch failed: .+ \(after 3 attempts\)$/,
      3,
    ],
    [
      'a body cut off half way on every attempt',
      { cutStream: true, text: 'x'.repeat(5000) },
      /^step 1 \("ask"\): the model server at http:\/\/127\.0\.0\.1:\d+\/v1 closed the connection before the response was complete \(terminated: .+\) \(after 3 attempts\)$/,
      3,
    ],
  ])(
    '%s: that flow fails with the status or cause named, after its retries; the others succeed',
    async (_what, fault, error, attempts) => {
      const server = await fakeOpenAI((req) => (isFaulty(req) ? fault : ok(req)));
      const connection = 'reset' in fault || 'cutStream' in fault;
      const o = await orchestrate(project(CONFIG), ['--retries', '2'], { OPENAI_BASE_URL: server.url }, 30_000, connection);
      const results = expectOneFailure(o, error);
      expect(callsFor(server, FAULTY)).toBe(attempts);
      for (const n of [1, 2, 4, 5]) expect(callsFor(server, n)).toBe(1);
      const faulty = results.flows.find((f) => f.id === flowId(FAULTY))!;
      // the failing step is recorded, the cmd step after it never ran
      expect(faulty.steps.map((s) => [s.name, s.status])).toEqual([['ask', 'failed']]);
      expect(faulty.output).toBeNull();
      expect(readFileSync(join(o.runDir, flowId(FAULTY), '01_ask', 'error.txt'), 'utf8')).toBe(faulty.error + '\n');
      expect(existsSync(join(o.runDir, flowId(FAULTY), '02_shout'))).toBe(false);
      expectOthersAnswered(results);
    },
    30_000,
  );

  test('a server that never answers: step timeout 1 s, retried once, then that flow fails; the run does not hang', async () => {
    const server = await fakeOpenAI((req) => (isFaulty(req) ? { hang: true } : ok(req)));
    const config = [{ ...CONFIG[0], timeout: 1 }, CONFIG[1]];
    const o = await orchestrate(project(config), ['--retries', '1'], { OPENAI_BASE_URL: server.url }, 30_000, true);
    const results = expectOneFailure(o, /^step 1 \("ask"\): the model call timed out after 1 s \(after 2 attempts\)$/);
    expect(callsFor(server, FAULTY)).toBe(2);
    // two attempts of 1 s, plus start-up: nowhere near the 30 s default of this harness
    expect(o.ms).toBeLessThan(10_000);
    expectOthersAnswered(results);
  }, 30_000);

  test('array: true given a non-array: that flow fails showing the first 200 characters; the others branch', async () => {
    const prose = 'Sorry, I cannot produce a list for this document. ' + 'It is long. '.repeat(30) + 'THE-END';
    const server = await fakeOpenAI((req) => {
      if (req.prompt.startsWith('List ')) {
        const doc = /doc-\d+/.exec(req.prompt)![0];
        return { text: isFaulty(req) ? prose : JSON.stringify({ items: [`${doc} a`, `${doc} b`] }) };
      }
      return { text: `did ${req.prompt.split('\n\n')[1]}` };
    });
    const config = [
      { type: 'openai', name: 'list', prompt: 'List {{{DOC}}}', array: true },
      { type: 'openai', name: 'each', prompt: 'Do' },
    ];
    const o = await orchestrate(project(config), [], { OPENAI_BASE_URL: server.url });
    expectExit(o, 1);
    const results = checkResults(o.runDir, FLOWS);
    expect(results).toMatchObject({ flows_total: FLOWS, total: 1 + 2 * (FLOWS - 1), succeeded: 2 * (FLOWS - 1), failed: 1, cancelled: 0 });
    const faulty = results.flows.filter((f) => f.id === flowId(FAULTY));
    expect(faulty).toHaveLength(1);
    expect(faulty[0]).toMatchObject({ branch: [], status: 'failed' });
    expect(faulty[0]!.error).toContain('step 1 ("list")');
    expect(faulty[0]!.error).toContain('JSON array');
    expect(faulty[0]!.error).toContain(JSON.stringify(prose.slice(0, 200) + '…'));
    expect(faulty[0]!.error).not.toContain(prose.slice(0, 201));
    expect(faulty[0]!.steps.map((s) => [s.name, s.status])).toEqual([['list', 'failed']]);
    for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY))) {
      const n = Number(leaf.id.slice(5));
      expect(leaf.status).toBe('succeeded');
      expect(leaf.output).toBe(`did doc-${n} ${leaf.branch[0] === 1 ? 'a' : 'b'}`);
    }
    // the faulty flow's array step was asked once and nothing after it ran
    expect(server.requests.filter(isFaulty)).toHaveLength(1);
  }, 30_000);
});

describe('codex faults', () => {
  // the real codex's sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
  tempOnDisk();

  test('the real codex binary, the fake cutting its SSE stream for one flow: that flow fails naming the stream error', async () => {
    const server = await fakeOpenAI((req) => (isFaulty(req) ? { cutStream: true } : { text: `fixed ${/doc-\d+/.exec(req.prompt)?.[0]}` }));
    const home = track(makeCodexHome(server.url));
    const flows = 4;
    const o = await orchestrate(
      project([{ type: 'codex', name: 'fix', prompt: 'Fix {{{DOC}}}' }], flows),
      ['--codex-path', CODEX_BIN],
      {
        ...codexEnv(home),
      },
      45_000,
    );
    const results = expectOneFailure(o, /^step 1 \("fix"\): codex reported an error: stream disconnected before completion/, flows);
    const faulty = results.flows.find((f) => f.id === flowId(FAULTY))!;
    expect(faulty.final_message).toBeNull();
    // the event stream codex printed before failing is kept
    expect(readFileSync(join(o.runDir, flowId(FAULTY), 'codex_exec_1', 'stdout.txt'), 'utf8')).toContain('thread.started');
    for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY))) {
      expect(leaf.output).toBe(`fixed doc-${Number(leaf.id.slice(5))}`);
      expect(leaf.final_message).toBe(`${leaf.id}/codex_exec_1/final_message.txt`);
    }
    // the final messages of the succeeded flows, and only those, are printed
    expect(o.stdout.trim().split('\n').sort()).toEqual(
      results.flows
        .filter((f) => f.status === 'succeeded')
        .map((f) => join('generated', 'run_t', f.id, 'codex_exec_1', 'final_message.txt')),
    );
  }, 60_000);

  /** A stand-in codex: `sandbox` (the probe) works; for doc-3 it does what $FAULT says. */
  function standInCodex(): string {
    return writeStandInCodex(
      scratch(),
      `#!/bin/sh
if [ "$1" = "sandbox" ]; then exit 0; fi
${CODEX_OPTIONS}
input=$(cat)
${TURN_STARTED}
case "$input" in
  *doc-${FAULTY}*)
    case "$FAULT" in
      exit) echo 'stand-in codex: fatal: lost the session' >&2; exit 3;;
      garbage)
        printf '\\000\\377\\376 not json {{{\\n<html>502 Bad Gateway</html>\\n'
        head -c 100000 /dev/zero | tr '\\0' '#'
        printf '\\n{"type":"turn.compl'
        exit 0;;
    esac;;
esac
printf 'fixed %s' "$input" > "$final"
${turnCompleted(0)}
`,
    );
  }

  test.each([
    ['exits non-zero', 'exit', /^step 1 \("fix"\): codex exited with code 3: stand-in codex: fatal: lost the session$/],
    ['prints garbage on stdout and writes no final message', 'garbage', /^step 1 \("fix"\): codex exited without writing a final message$/],
  ])(
    'a codex that %s: that flow fails saying so; the others succeed',
    async (_what, fault, error) => {
      const codex = standInCodex();
      const o = await orchestrate(project([{ type: 'codex', name: 'fix', prompt: 'Fix {{{DOC}}}' }]), ['--codex-path', codex], {
        FAULT: fault,
      });
      const results = expectOneFailure(o, error);
      for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY))) {
        expect(leaf.output).toBe(`fixed Fix doc-${Number(leaf.id.slice(5))}`);
        // codex picks its model (the step names none): the cost is unknown
        expect(leaf.usage).toEqual({ input_tokens: 7, output_tokens: 3, cached_input_tokens: 0, cost_usd: null });
      }
      // whatever codex printed is kept as it came
      const stdout = readFileSync(join(o.runDir, flowId(FAULTY), 'codex_exec_1', 'stdout.txt'), 'utf8');
      expect(stdout).toContain('thread.started');
      if (fault === 'garbage') expect(stdout).toContain('#'.repeat(100_000));
      if (fault === 'exit')
        expect(readFileSync(join(o.runDir, flowId(FAULTY), 'codex_exec_1', 'stderr.txt'), 'utf8')).toContain('lost the session');
    },
    30_000,
  );
});

describe('cmd faults', () => {
  test('a cmd that ignores SIGTERM, with --timeout 1: killed after the grace, that flow fails "timed out after 1 s"', async () => {
    const config = [
      {
        name: 'work',
        cmd: `if [ {{{DOC}}} = doc-${FAULTY} ]; then trap '' TERM; echo $$ > stubborn.pid; echo partial; sleep 30; fi; echo ok {{{DOC}}}`,
      },
    ];
    const dir = project(config);
    // ORCHESTRATOR_KILL_GRACE_MS is 500 in the test environment
    const o = await orchestrate(dir, ['--timeout', '1']);
    const results = expectOneFailure(o, /^step 1 \("work"\): the command timed out after 1 s$/);
    const faulty = results.flows.find((f) => f.id === flowId(FAULTY))!;
    expect(faulty.steps[0]!.duration_ms).toBeGreaterThanOrEqual(1000);
    expect(faulty.steps[0]!.duration_ms).toBeLessThan(5000);
    expect(o.ms).toBeLessThan(10_000);
    // partial output kept
    expect(readFileSync(join(o.runDir, flowId(FAULTY), '01_work', 'output.txt'), 'utf8')).toBe('partial\n');
    // the shell that ignored SIGTERM is gone (SIGKILL after the grace)
    const pid = Number(readFileSync(join(dir, 'stubborn.pid'), 'utf8'));
    const alive = isAlive(pid);
    if (alive) signalProcess(pid, 'SIGKILL');
    expect(alive).toBe(false);
    for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY)))
      expect(leaf.output).toBe(`ok doc-${Number(leaf.id.slice(5))}\n`);
  }, 30_000);

  test('a cmd writing 50 MB to stdout succeeds, output.txt holds all of it, and memory stays bounded', async () => {
    const SIZE = 50 * 1024 * 1024;
    const line = 'x'.repeat(63);
    const config = [
      { name: 'big', cmd: `if [ {{{DOC}}} = doc-${FAULTY} ]; then yes ${line} | head -c ${SIZE}; else echo small {{{DOC}}}; fi` },
    ];
    const dir = project(config);
    const timeV = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    // The orchestrator runs with its V8 heap capped at HEAP_CAP_MB: it must finish, so what it keeps
    // alive at once stays a few times the output. /usr/bin/time -v reports its peak RSS (the shell
    // and `yes` are its children, far smaller), which also catches buffers outside the heap, such
    // as output piling up in a stream without backpressure.
    const node = [process.execPath, `--max-old-space-size=${HEAP_CAP_MB}`, BIN, 'config.json', '--run-id', 't', '--key', 'DOC:docs.list'];
    const started = Date.now();
    const result = await new Promise<CliResult>((resolve, reject) => {
      const [file, ...args] = timeV ? [timeV, '-v', ...node] : node;
      const child = spawn(file!, args, { cwd: dir, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
    const o: Outcome = { ...result, runDir: join(dir, 'generated', 'run_t'), results: undefined, ms: Date.now() - started };
    const results = expectAllSucceeded(o);
    const output = join(o.runDir, flowId(FAULTY), '01_big', 'output.txt');
    expect(statSync(output).size).toBe(SIZE);
    const faulty = results.flows.find((f) => f.id === flowId(FAULTY))!;
    // results.json keeps the start of a long output and points at the file holding it whole
    expect(faulty.output_cut).toEqual({ chars: SIZE, file: relative(o.runDir, output) });
    expect(faulty.output!.length).toBeLessThan(SIZE);
    expect(faulty.output!.startsWith(`${line}\n${line}\n`)).toBe(true);
    for (const leaf of results.flows.filter((f) => f.id !== flowId(FAULTY)))
      expect(leaf.output).toBe(`small doc-${Number(leaf.id.slice(5))}\n`);
    if (timeV === undefined) return; // no /usr/bin/time here: the RSS check is skipped
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(o.stderr);
    expect(peak).not.toBeNull();
    expect(Number(peak![1]) / 1024).toBeLessThan(RSS_BOUND_MB);
  }, 60_000);
});

/**
 * Memory of a run whose one cmd step prints 50 MB. The output is the step's output and goes into
 * result.json and results.json, so it is held as a string and serialised a few times. Measured: the
 * run needs a V8 heap of 128-192 MB (it fails at 128); with the heap capped at 256 MB it peaks at
 * 400-480 MB RSS (the rest is Buffers outside the heap), uncapped at 550-650 MB (V8 collects lazily).
 */
const HEAP_CAP_MB = 256;
const RSS_BOUND_MB = 640;
