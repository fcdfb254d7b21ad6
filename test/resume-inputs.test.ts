/**
 * --resume reuses only what was made under the same inputs (issue 12.1): each saved step records
 * the fingerprint of its prompt or command, model, API, mode, server and the step before it; a
 * step whose fingerprint changed runs again, and so does every step after it. Counted at the fake
 * server: an unchanged resume makes no call, a changed input only the calls of the steps it reaches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, readJson, type CliResult } from './helpers/cli.js';
import { orchestrateInProcess as run } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { docProject, fakeOpenAI } from './helpers/project.js';
import { checkResults } from './helpers/run-invariants.js';

const KEY = 'sk-test-fingerprint-0123456789abcdef';

/** `orchestrator config.json --run-id t --key DOC:docs.list ...args` against the fake; the exit code checked. */
async function orchestrate(dir: string, args: string[], server?: FakeOpenAI, code = 0): Promise<CliResult> {
  const result = await run(dir, ['--key', 'DOC:docs.list', '--retries', '0', ...args], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: server?.url,
  });
  expectExit(result, code);
  return result;
}

/** Answers "<model>: <first line of the prompt>", so an output shows which model and prompt made it. */
const answer = (req: RecordedRequest): { text: string } => ({ text: `${req.body.model}: ${req.prompt.split('\n')[0]}` });

/** The requests made while `action` ran, as "step/doc" labels (step from the prompt's first word). */
async function callsDuring(server: FakeOpenAI, action: () => Promise<unknown>): Promise<string[]> {
  const before = server.requests.length;
  await action();
  return server.requests
    .slice(before)
    .map((r) => `${r.prompt.split(/\s/)[0]}/${/doc-\d+/.exec(r.prompt)?.[0] ?? '?'}`)
    .sort();
}

/** Two openai steps per flow: "ask" (model fixed in the config, uses the key file) and "refine" (prompt file, model from the run). */
const CONFIG = [
  { type: 'openai', name: 'ask', model: 'fixed-model', api: 'responses', prompt: 'Ask {{{DOC}}}' },
  { type: 'openai', name: 'refine', prompt_file: 'refine.txt' },
];

function project(): string {
  const dir = docProject(CONFIG, 2);
  writeFileSync(join(dir, 'refine.txt'), 'Refine');
  return dir;
}

describe('--resume reuses a step only when its inputs are the same', () => {
  test('an --offline run resumed online calls the model for every step; run.json keeps the first start and lists both attempts', async () => {
    const server = await fakeOpenAI(answer);
    const dir = project();
    await orchestrate(dir, ['--offline'], server);
    expect(server.requests).toHaveLength(0);
    const first = readJson(join(dir, 'generated', 'run_t', 'run.json'));

    const calls = await callsDuring(server, () => orchestrate(dir, ['--resume'], server));
    expect(calls).toEqual(['Ask/doc-1', 'Ask/doc-2', 'Refine/doc-1', 'Refine/doc-2']);
    const results = checkResults(join(dir, 'generated', 'run_t'), 2);
    expect(results.flows.map((f) => f.output)).toEqual(['gpt-5-mini: Refine', 'gpt-5-mini: Refine']);
    expect(readFileSync(join(dir, 'generated', 'run_t', 'flow_0001', '01_ask', 'output.txt'), 'utf8')).toBe('fixed-model: Ask doc-1');

    const record = readJson(join(dir, 'generated', 'run_t', 'run.json'));
    expect(record.started_at).toBe(first.started_at);
    expect(record.attempts.map((a: any) => [a.options.offline, a.options.resume])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(record.attempts[0].started_at).toBe(first.started_at);
    expect(record.attempts[0].ended_at).toBe(first.ended_at);
    expect(record.options.offline).toBe(false);
    expect(Date.parse(record.attempts[1].started_at)).toBeGreaterThanOrEqual(Date.parse(first.ended_at));
    expect(record.ended_at).toBe(record.attempts[1].ended_at);
  }, 30_000);

  test.each([
    ['no change', () => [], []],
    [
      "a new prompt file's contents",
      (dir: string) => (writeFileSync(join(dir, 'refine.txt'), 'Refine better'), []),
      ['Refine/doc-1', 'Refine/doc-2'],
    ],
    ['--model (for steps naming none)', () => ['--model', 'other-model'], ['Refine/doc-1', 'Refine/doc-2']],
    ['--api (for steps naming none)', () => ['--api', 'chat'], ['Refine/doc-1', 'Refine/doc-2']],
    ['--append-filepath', () => ['--append-filepath'], ['Ask/doc-1', 'Ask/doc-2', 'Refine/doc-1', 'Refine/doc-2']],
    [
      "a key file's new contents",
      (dir: string) => (writeFileSync(join(dir, 'docs', '1.txt'), 'doc-1 edited'), []),
      ['Ask/doc-1', 'Refine/doc-1'],
    ],
  ])(
    'resumed with %s: only the steps it reaches run again',
    async (_what, change, expected) => {
      const server = await fakeOpenAI(answer);
      const dir = project();
      await orchestrate(dir, [], server);
      expect(server.requests).toHaveLength(4);
      const args = change(dir);
      const calls = await callsDuring(server, () => orchestrate(dir, ['--resume', ...args], server));
      expect(calls).toEqual(expected);
      const results = checkResults(join(dir, 'generated', 'run_t'), 2);
      expect(results).toMatchObject({ total: 2, succeeded: 2 });
      // what was kept and what was made again form one consistent run: each output is the last step's answer now
      const model = args.includes('--model') ? 'other-model' : 'gpt-5-mini';
      const refine = readFileSync(join(dir, 'refine.txt'), 'utf8');
      expect(results.flows.map((f) => f.output)).toEqual([`${model}: ${refine}`, `${model}: ${refine}`]);
      // a second resume with the same inputs calls nothing
      const again = await callsDuring(server, () => orchestrate(dir, ['--resume', ...args], server));
      expect(again).toEqual([]);
    },
    30_000,
  );

  test('another server (--base-url) answers every step again; a user name and password in it do not count', async () => {
    const first = await fakeOpenAI(answer);
    const second = await fakeOpenAI(answer);
    const dir = project();
    await orchestrate(dir, [], first);
    expect(first.requests).toHaveLength(4);
    await orchestrate(dir, ['--resume', '--base-url', second.url], first);
    expect(second.requests).toHaveLength(4);
    const withCredentials = second.url.replace('http://', 'http://user:secret-password@');
    await orchestrate(dir, ['--resume', '--base-url', withCredentials], first);
    expect([first.requests.length, second.requests.length]).toEqual([4, 4]);
  }, 30_000);

  test('an array step gates its branches: a new --model re-runs the branches only; a new key file re-runs the flow', async () => {
    const server = await fakeOpenAI((req) =>
      req.prompt.startsWith('List ')
        ? { text: JSON.stringify(['e1', 'e2'].map((e) => `${/doc-\d+/.exec(req.prompt)![0]} ${e}`)) }
        : answer(req),
    );
    const config = [
      { type: 'openai', name: 'list', model: 'fixed-model', prompt: 'List {{{DOC}}}', array: true },
      { type: 'openai', name: 'work', prompt: 'Work' },
    ];
    const dir = docProject(config, 2);
    await orchestrate(dir, [], server);
    expect(server.requests).toHaveLength(6);
    const labels = (requests: RecordedRequest[]): string[] => requests.map((r) => r.prompt.replace(/\n+/g, ' ')).sort();

    let before = server.requests.length;
    await orchestrate(dir, ['--resume', '--model', 'other-model'], server);
    expect(labels(server.requests.slice(before))).toEqual(['Work doc-1 e1', 'Work doc-1 e2', 'Work doc-2 e1', 'Work doc-2 e2']);

    writeFileSync(join(dir, 'docs', '2.txt'), 'doc-2 edited');
    before = server.requests.length;
    await orchestrate(dir, ['--resume', '--model', 'other-model'], server);
    expect(labels(server.requests.slice(before))).toEqual(['List doc-2 edited', 'Work doc-2 e1', 'Work doc-2 e2']);
    const results = checkResults(join(dir, 'generated', 'run_t'), 2);
    expect(results.flows.map((f) => f.output)).toEqual(Array(4).fill('other-model: Work'));
    expect(results.flows.map((f) => f.steps.map((s) => s.dir))).toContainEqual(['flow_0002/01_list', 'flow_0002/branch_2/02_work']);
  }, 30_000);

  test('an output saved masked (it held a secret) is reused on --resume, and so is every step after it', async () => {
    // offline, a step answers with its prompt, here holding the API key read from a key file: its
    // output.txt holds *** in its place, and --resume reads that back for the steps after it
    const config = [
      { type: 'openai', name: 'echo', prompt: 'Echo {{{DOC}}}' },
      { type: 'openai', name: 'again', prompt: 'Again' },
      { name: 'log', cmd: 'cat >/dev/null; echo {{{DOC:path}}} >> runs.log; echo logged' },
    ];
    const dir = docProject(config, 2);
    writeFileSync(join(dir, 'docs', '1.txt'), `doc-1 ${KEY}`);
    await orchestrate(dir, ['--offline']);
    const runDir = join(dir, 'generated', 'run_t');
    expect(readFileSync(join(runDir, 'flow_0001', '01_echo', 'output.txt'), 'utf8')).toBe('Echo doc-1 ***');
    await orchestrate(dir, ['--offline', '--resume']);
    await orchestrate(dir, ['--offline', '--resume']);
    expect(readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').sort()).toEqual(['', 'docs/1.txt', 'docs/2.txt']);
    // an input that changed still makes its steps run again
    writeFileSync(join(dir, 'docs', '1.txt'), `doc-1 edited ${KEY}`);
    await orchestrate(dir, ['--offline', '--resume']);
    expect(readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').sort()).toEqual(['', 'docs/1.txt', 'docs/1.txt', 'docs/2.txt']);
    expect(checkResults(runDir, 2).flows.map((f) => f.output)).toEqual(['logged\n', 'logged\n']);
  }, 30_000);

  test('a model reply holding a secret is passed on masked, as saved: --resume calls nothing again', async () => {
    const server = await fakeOpenAI((req) => ({ text: `${req.prompt.split('\n')[0]} ${KEY}` }));
    const config = [
      { type: 'openai', name: 'ask', prompt: 'Ask {{{DOC}}}' },
      { type: 'openai', name: 'refine', prompt: 'Refine' },
      { name: 'log', cmd: 'x=$(cat); echo "$x" >> runs.log; echo logged' },
    ];
    const dir = docProject(config, 2);
    await orchestrate(dir, [], server);
    expect(await callsDuring(server, () => orchestrate(dir, ['--resume'], server))).toEqual([]);
    expect(readFileSync(join(dir, 'runs.log'), 'utf8')).toBe('Refine ***\nRefine ***\n');
  }, 30_000);

  test('a cmd step runs again when the output it reads on stdin was made under other inputs', async () => {
    const server = await fakeOpenAI(answer);
    const config = [
      { type: 'openai', name: 'ask', prompt: 'Ask {{{DOC}}}' },
      { name: 'log', cmd: 'x=$(cat); echo "$x" >> runs.log; echo "logged $x"' },
    ];
    const dir = docProject(config, 1);
    await orchestrate(dir, [], server);
    await orchestrate(dir, ['--resume'], server);
    await orchestrate(dir, ['--resume', '--model', 'other-model'], server);
    expect(readFileSync(join(dir, 'runs.log'), 'utf8')).toBe('gpt-5-mini: Ask doc-1\nother-model: Ask doc-1\n');
  }, 30_000);

  test('a reused cmd output reaches the next cmd step byte for byte, and bytes that are not UTF-8 keep their fingerprint', async () => {
    // step 1 (no placeholder) prints two bytes that are not UTF-8; step 2 shows its stdin in hex
    const config = [
      { name: 'raw', cmd: "echo run >> raw.log; printf '\\377\\376'" },
      { name: 'hex', cmd: "echo {{{DOC}}} >> hex.log; od -An -tx1 | tr -d ' \\n'" },
    ];
    const dir = docProject(config, 1);
    await orchestrate(dir, []);
    await orchestrate(dir, ['--resume']);
    expect(readFileSync(join(dir, 'hex.log'), 'utf8')).toBe('doc-1\n');
    writeFileSync(join(dir, 'docs', '1.txt'), 'doc-1 edited');
    await orchestrate(dir, ['--resume']);
    expect([readFileSync(join(dir, 'raw.log'), 'utf8'), readFileSync(join(dir, 'hex.log'), 'utf8')]).toEqual([
      'run\n',
      'doc-1\ndoc-1 edited\n',
    ]);
    expect(checkResults(join(dir, 'generated', 'run_t'), 1).flows[0]!.output).toBe('fffe');
  }, 30_000);
});
