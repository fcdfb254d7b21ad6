/**
 * The GitHub Action end to end: the bundle of the current source (`build/action/index.js`, what
 * dist/ holds once committed) runs under Node 24 as the runner would start it (inputs as INPUT_*
 * with action.yml's defaults, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), against the loopback
 * OpenAI server and the loopback artifact service. Nothing here imports src/: what is tested is
 * what CI ships.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  ACTION_BUNDLE,
  FAKE_GITHUB_TOKEN,
  actionEnv,
  actionInputs,
  annotations,
  inputVariable,
  runAction,
  stdoutWithoutMasks,
  summaryRows,
  type ActionResult,
} from './helpers/action.js';
import { startArtifactService } from './helpers/artifact-service.js';
import { readJson } from './helpers/cli.js';
import { closeAfterAll, fakeOpenAI, keyFiles, scratch, tree } from './helpers/project.js';

beforeAll(() => {
  // the runner runs `runs.using: node24` actions; jest's own node is the devDependency's Node 24
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(existsSync(ACTION_BUNDLE)).toBe(true);
});

/** A fresh workspace holding the given files. */
const workspace = (files: Record<string, string>): string => realpathSync(scratch(files));

/** The `::error::` lines of a run. */
const errors = (result: ActionResult): string[] => annotations(result, 'error');

/** Everything a run made visible, for a secret search: stdout without the mask commands, stderr, summary, outputs. */
function showing(result: ActionResult): string {
  return [stdoutWithoutMasks(result), result.stderr, result.summary, result.outputFile].join('\n');
}

const OPENAI_CONFIG = JSON.stringify([{ type: 'openai', name: 'x', prompt: 'Summarise this:\n{{{doc}}}' }]);
const KEY = 'sk-test-ActionSecret-9f8e7d6c5b4a';

test('the helper passes inputs as the runner does: every input of action.yml, defaults filled in, nothing of this machine', () => {
  const specs = actionInputs();
  const leaked = { OPENAI_API_KEY: 'sk-leak', ACTIONS_RUNTIME_TOKEN: 'leak', GITHUB_TOKEN: 'leak', INPUT_LEAK: 'leak' };
  Object.assign(process.env, leaked);
  let env: Record<string, string>;
  try {
    env = actionEnv({ parallel: '9' }, { workspace: '/ws', output: '/o', summary: '/s', runnerTemp: '/t' });
  } finally {
    for (const name of Object.keys(leaked)) delete process.env[name];
  }
  for (const name of Object.keys(leaked)) expect(env[name]).toBeUndefined();
  expect(
    Object.keys(env)
      .filter((name) => name.startsWith('INPUT_'))
      .sort(),
  ).toEqual(Object.keys(specs).map(inputVariable).sort());
  expect(inputVariable('openai-api-key')).toBe('INPUT_OPENAI-API-KEY');
  expect(inputVariable('fail on error')).toBe('INPUT_FAIL_ON_ERROR');
  expect(env['INPUT_PARALLEL']).toBe('9');
  expect(env['INPUT_MODE']).toBe('run');
  expect(env['INPUT_RESUME']).toBe('true');
  expect(env['INPUT_OPENAI-API-KEY']).toBe('');
  expect(env['INPUT_GITHUB-TOKEN']).toBe(FAKE_GITHUB_TOKEN);
  expect(env).toMatchObject({ GITHUB_WORKSPACE: '/ws', GITHUB_OUTPUT: '/o', GITHUB_STEP_SUMMARY: '/s', RUNNER_TEMP: '/t' });
  expect(() => actionEnv({ paralel: '9' }, { workspace: '/ws', output: '/o', summary: '/s', runnerTemp: '/t' })).toThrow(
    /no input "paralel"/,
  );
});

test('run: openai flows against the fake server set every output, write the summary, upload the run directory once, and never show the key', async () => {
  const fake = await fakeOpenAI((req, n) => ({
    text: `answer ${n}: ${req.prompt.split('\n').at(-1)}`,
    usage: { input_tokens: 100 + n, output_tokens: 10 * n },
  }));
  const service = closeAfterAll(await startArtifactService());
  const ws = workspace({
    'config.json': OPENAI_CONFIG,
    ...keyFiles('docs.txt', { 'docs/a.md': 'alpha doc', 'docs/b.md': 'beta doc', 'docs/c.md': 'gamma doc' }),
  });
  const result = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, 'openai-api-key': KEY },
    { workspace: ws, env: { ...service.env(), GITHUB_RUN_ID: '123' } },
  );
  expect(result.stderr).not.toMatch(/Error|Warning/);
  expect(result.code).toBe(0);

  // outputs
  const runDir = join(ws, 'generated', 'run_gh123');
  const { outputs } = result;
  expect(fake.requests).toHaveLength(3);
  expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  expect(outputs['run-id']).toBe('run_gh123');
  expect(outputs['run-dir']).toBe(runDir);
  expect(outputs.results).toBe(join(runDir, 'results.json'));
  expect(existsSync(outputs.results!)).toBe(true);
  expect(outputs.succeeded).toBe('3');
  expect(outputs.failed).toBe('0');
  expect(outputs['input-tokens']).toBe(String(101 + 102 + 103));
  expect(outputs['output-tokens']).toBe(String(10 + 20 + 30));
  // gpt-5-mini (the default model): $0.25 per 1M input tokens, $2 per 1M output tokens
  const cost = (306 * 0.25 + 60 * 2) / 1e6;
  expect(outputs['cost-usd']).toBe('0.0001965');
  expect(Number(outputs['cost-usd'])).toBe(cost);
  expect(outputs.matrix).toBe('');
  expect(outputs['final-message']).toBe('');
  expect(Object.keys(outputs).sort()).toEqual(
    [
      'run-dir',
      'results',
      'succeeded',
      'failed',
      'input-tokens',
      'output-tokens',
      'cost-usd',
      'matrix',
      'run-id',
      'final-message',
      'after-output',
      'applied',
      'conflicts',
      'branches',
      'pr-body',
    ].sort(),
  );
  // no after steps in the config: no after output; apply not asked for: no branches, no PR body
  expect(outputs['after-output']).toBe('');
  expect(outputs.branches).toBe('');
  expect(outputs['pr-body']).toBe('');
  const results = readJson(outputs.results!);
  expect(results.usage).toEqual({ input_tokens: 306, output_tokens: 60, cached_input_tokens: 0, cost_usd: cost });

  // summary: the totals line and one row per flow
  expect(result.summary).toContain('run_gh123');
  expect(result.summary).toMatch(/3 flows.*3 results.*3 succeeded.*0 failed.*0 cancelled.*tokens 306 in \/ 60 out · cost \$0\.0002/);
  const table = summaryRows(result.summary);
  expect([...table.keys()]).toEqual(['flow_0001', 'flow_0002', 'flow_0003']);
  for (const [id, row] of table) {
    const leaf = results.flows.find((f: { id: string }) => f.id === id);
    expect(row).toContain('succeeded');
    expect(row).toContain(leaf.output.split(':')[0]); // "answer N"
  }

  // artifacts: the tree, named for the unsharded run, holding exactly the run directory relative to
  // generated/, then beside it the records a report job downloads (no flow directories)
  const live = service.live();
  expect(live.map((a) => a.name)).toEqual(['orchestrator-run_gh123-all', 'orchestrator-run_gh123-all-records']);
  const uploaded = [...live[0]!.files.keys()].sort();
  const onDisk = tree(runDir).map((p) => `run_gh123/${p}`);
  expect(uploaded).toEqual(onDisk);
  expect(uploaded).toContain('run_gh123/results.json');
  expect(uploaded).toContain('run_gh123/flow_0001/01_x/output.txt');
  expect(live[0]!.files.get('run_gh123/results.json')!.toString('utf8')).toBe(readFileSync(join(runDir, 'results.json'), 'utf8'));
  expect([...live[1]!.files.keys()].sort()).toEqual([
    'run_gh123/config.json',
    'run_gh123/results.json',
    'run_gh123/run.json',
    'run_gh123/shards/1-of-1.json',
  ]);
  expect(live[1]!.files.get('run_gh123/results.json')).toEqual(live[0]!.files.get('run_gh123/results.json'));

  // the key: masked on stdout, nowhere else
  expect(result.stdout.split('\n')).toContain(`::add-mask::${KEY}`);
  expect(showing(result)).not.toContain(KEY);
  for (const file of tree(join(ws, 'generated'))) expect(readFileSync(join(ws, 'generated', file), 'utf8')).not.toContain(KEY);
  for (const file of live[0]!.files.values()) expect(file.toString('utf8')).not.toContain(KEY);
  // nor the default github-token
  expect(result.stdout.split('\n')).toContain(`::add-mask::${FAKE_GITHUB_TOKEN}`);
  expect(showing(result)).not.toContain(FAKE_GITHUB_TOKEN);
  for (const file of live[0]!.files.values()) expect(file.toString('utf8')).not.toContain(FAKE_GITHUB_TOKEN);

  // exactly one leaf: final-message is its output, as it is (several lines)
  fake.setHandler(() => ({ text: 'The one answer.\nSecond line | with *markup*', usage: { input_tokens: 7, output_tokens: 3 } }));
  const one = workspace({ 'config.json': OPENAI_CONFIG, ...keyFiles('docs.txt', { 'docs/only.md': 'only doc' }) });
  const single = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, 'openai-api-key': KEY, upload: 'false' },
    { workspace: one, env: { GITHUB_RUN_ID: '124' } },
  );
  expect(single.code).toBe(0);
  expect(single.outputs.succeeded).toBe('1');
  expect(single.outputs['final-message']).toBe('The one answer.\nSecond line | with *markup*');
  expect(single.outputs['final-message']).toBe(readJson(single.outputs.results!).flows[0].output);
  expect(single.outputs['input-tokens']).toBe('7');
  expect(single.outputs['output-tokens']).toBe('3');

  // max-cost: each call costs $0.00000775 (7 in, 3 out); the second reaches $0.00001, the third flow never starts
  fake.requests.length = 0;
  const capped = await runAction(
    {
      config: 'config.json',
      keys: 'doc:docs.txt',
      'base-url': fake.url,
      'openai-api-key': KEY,
      upload: 'false',
      parallel: '1',
      'max-cost': '0.00001',
    },
    {
      workspace: workspace({ 'config.json': OPENAI_CONFIG, ...keyFiles('docs.txt', { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c' }) }),
      env: { GITHUB_RUN_ID: '125' },
    },
  );
  expect(capped.code).toBe(1);
  expect(fake.requests).toHaveLength(2);
  expect(capped.outputs['cost-usd']).toBe('0.0000155');
  expect(readJson(capped.outputs.results!).flows[2]).toMatchObject({ status: 'cancelled', error: 'cost limit reached' });
});

test('run: model output is escaped in the summary table: no HTML, no extra cells, no mentions, no line breaks', async () => {
  const evil = '</table><img src=x onerror=alert(1)> | @octocat **bold** [link](http://evil)';
  // CommonMark ends a line at a lone CR too: a CR inside a row would end the table and inject blocks
  const carriage = 'first line\r- injected list item\r---\r';
  const fake = await fakeOpenAI((req) => ({ text: req.prompt.includes('evil-doc') ? evil : carriage }));
  const ws = workspace({
    'config.json': OPENAI_CONFIG,
    ...keyFiles('docs.txt', { 'docs/a|b @octocat.md': '<b>evil-doc</b>', 'docs/cr.md': 'cr-doc' }),
  });
  const result = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, 'openai-api-key': KEY, upload: 'false' },
    { workspace: ws, env: { GITHUB_RUN_ID: '200' } },
  );
  expect(result.code).toBe(0);
  expect(readJson(result.outputs.results!).flows.map((f: { output: string }) => f.output)).toEqual([evil, carriage]);
  const { summary } = result;
  expect(summary).not.toContain('</table>');
  expect(summary).not.toContain('<img');
  expect(summary).not.toContain('@octocat');
  expect(summary).not.toContain('**bold**');
  expect(summary).not.toContain('](http://evil)');
  expect(summary).not.toContain('\r');
  const table = summaryRows(summary);
  expect([...table.keys()]).toEqual(['flow_0001', 'flow_0002']);
  for (const row of table.values()) {
    // `| a | b | c | d | e | f |`: 7 pipes, 6 cells
    expect(row.slice(1, -1).split('|')).toHaveLength(6);
  }
  expect(table.get('flow_0001')!.slice(1, -1).split('|')[5]).toContain('octocat');
  expect(table.get('flow_0002')!.slice(1, -1).split('|')[5]).toMatch(/^ first line ?$/);
});

test('run: the summary of 1,000 flows stays under 1 MiB and says how many rows it left out', async () => {
  // 40 x 25 = 1,000 flows whose rows are ~3 KB once escaped, so that the summary fills up after a
  // few hundred rows: each output's first line is 1 KB of characters the summary must escape (an
  // `@` becomes 12 bytes), and so are the 80 characters of each key's path a row shows
  const name = (key: string, i: number): string => `${key}/${'@'.repeat(72)}_${String(i).padStart(3, '0')}.txt`;
  const a: Record<string, string> = {};
  for (let i = 1; i <= 40; i++) a[name('a', i)] = `${i}:${'@|<*>'.repeat(200)}\nsecond line\n`;
  const b: Record<string, string> = {};
  for (let i = 1; i <= 25; i++) b[name('b', i)] = `b${i}`;
  const ws = workspace({
    'config.json': JSON.stringify([{ type: 'openai', name: 'long', prompt_file: 'prompt.txt' }]),
    'prompt.txt': '{{{a}}}\n{{{b}}}\n',
    ...keyFiles('a.txt', a),
    ...keyFiles('b.txt', b),
  });
  const result = await runAction(
    { config: 'config.json', keys: 'a:a.txt\nb:b.txt\n', offline: 'true', upload: 'false', parallel: '32' },
    // a bound against a hang, not a deadline: 1,000 flows take a few seconds idle, far more under load
    { workspace: ws, env: { GITHUB_RUN_ID: '300' }, timeoutMs: 150_000 },
  );
  expect(result.code).toBe(0);
  expect(result.outputs.succeeded).toBe('1000');
  const size = Buffer.byteLength(result.summary);
  expect(size).toBeLessThan(1_048_576);
  expect(size).toBeGreaterThan(512 * 1024); // it did fill the space
  const shown = summaryRows(result.summary).size;
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(500); // well short of the 1,000: the limit, not the count, ended the table
  const omitted = /([\d,]+) more results not shown/.exec(result.summary);
  expect(omitted).not.toBeNull();
  expect(Number(omitted![1]!.replace(/,/g, '')) + shown).toBe(1000);
  expect(result.summary).toMatch(/1,000 flows/);
}, 180_000);

test('run: a failing flow fails the step with setFailed, outputs still set; fail-on-error: false passes', async () => {
  const files = {
    'config.json': JSON.stringify([{ type: 'check', cmd: "printf '%s\\n' {{{doc}}} | grep -v FAIL" }]),
    ...keyFiles('docs.txt', { 'docs/ok.txt': 'fine', 'docs/bad.txt': 'FAIL' }),
  };
  const inputs = { config: 'config.json', keys: 'doc:docs.txt', upload: 'false' };
  const [failing, tolerant] = await Promise.all([
    runAction(inputs, { workspace: workspace(files), env: { GITHUB_RUN_ID: '400' } }),
    runAction({ ...inputs, 'fail-on-error': 'false' }, { workspace: workspace(files), env: { GITHUB_RUN_ID: '401' } }),
  ]);

  expect(failing.code).toBe(1);
  const failure = errors(failing);
  expect(failure).toHaveLength(1);
  expect(failure[0]).toMatch(/1 failed/);
  expect(failure[0]).toMatch(/2 results/);
  expect(failing.outputs.failed).toBe('1');
  expect(failing.outputs.succeeded).toBe('1');
  expect(failing.outputs['run-id']).toBe('run_gh400');
  expect(existsSync(failing.outputs.results!)).toBe(true);
  expect(failing.summary).toMatch(/1 succeeded.*1 failed/);

  expect(tolerant.code).toBe(0);
  expect(errors(tolerant)).toEqual([]);
  expect(tolerant.outputs.failed).toBe('1');
  expect(tolerant.outputs.succeeded).toBe('1');
});

test.each([
  ['parallel', 'ten'],
  ['keys', 'docs.txt'],
  ['mode', 'deploy'],
  ['shard', '4/3'],
  ['timeout', '-1'],
  ['upload', 'maybe'],
])('bad input %s: %s fails naming the input and the value, before anything runs', async (name, value) => {
  const ws = workspace({
    'config.json': JSON.stringify([{ type: 'openai', prompt: '{{{doc}}}' }]),
    ...keyFiles('docs.txt', { 'docs/a.md': 'a', 'docs/b.md': 'b', 'docs/c.md': 'c' }),
  });
  const result = await runAction({ config: 'config.json', keys: 'doc:docs.txt', offline: 'true', [name]: value }, { workspace: ws });
  expect(result.code).toBe(1);
  const failure = errors(result);
  expect(failure).toHaveLength(1);
  expect(failure[0]).toContain(name);
  expect(failure[0]).toContain(value);
  expect(existsSync(join(ws, 'generated'))).toBe(false);
});

test('run: no key with openai steps fails at once, mentioning fork pull requests; offline: true needs none', async () => {
  const fake = await fakeOpenAI();
  const files = { 'config.json': OPENAI_CONFIG, ...keyFiles('docs.txt', { 'docs/a.md': 'a', 'docs/b.md': 'b' }) };
  const inputs = { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, upload: 'false' };
  const ws = workspace(files);
  const result = await runAction(inputs, { workspace: ws, env: { GITHUB_RUN_ID: '600' } });
  expect(result.code).toBe(1);
  // "at once": before the run starts (no request, no run directory below), not a wall-clock limit
  const failure = errors(result);
  expect(failure).toHaveLength(1);
  expect(failure[0]).toMatch(/fork/i);
  expect(failure[0]).toContain('openai-api-key');
  expect(fake.requests).toHaveLength(0);
  expect(existsSync(join(ws, 'generated'))).toBe(false);

  const offline = await runAction({ ...inputs, offline: 'true' }, { workspace: workspace(files), env: { GITHUB_RUN_ID: '601' } });
  expect(offline.code).toBe(0);
  expect(offline.outputs.succeeded).toBe('2');
  expect(offline.outputs.failed).toBe('0');
  expect(fake.requests).toHaveLength(0);
});

test('run: each shard uploads its own artifact holding only its flows', async () => {
  const service = closeAfterAll(await startArtifactService());
  const files = {
    'config.json': JSON.stringify([{ type: 'openai', name: 'echo', prompt: '{{{doc}}}' }]),
    ...keyFiles('docs.txt', Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`docs/d${i + 1}.md`, `doc ${i + 1}`]))),
  };
  const legs = await Promise.all(
    [1, 2, 3].map(async (i) => {
      const ws = workspace(files);
      const result = await runAction(
        { config: 'config.json', keys: 'doc:docs.txt', offline: 'true', shard: `${i}/3` },
        { workspace: ws, env: { ...service.env({ jobBackendId: randomUUID() }), GITHUB_RUN_ID: '700' } },
      );
      return { ws, result };
    }),
  );
  for (const { result } of legs) expect(result.code).toBe(0);
  expect(legs.map(({ result }) => result.outputs['run-id'])).toEqual(['run_gh700', 'run_gh700', 'run_gh700']);

  const { ws, result } = legs[1]!;
  const runDir = join(ws, 'generated', 'run_gh700');
  const ids = readJson(result.outputs.results!).flows.map((f: { id: string }) => f.id);
  expect(ids.length).toBeGreaterThanOrEqual(2);
  expect(ids.length).toBeLessThanOrEqual(3);
  expect(result.outputs.succeeded).toBe(String(ids.length));

  const artifact = service.live().find((a) => a.name === 'orchestrator-run_gh700-shard-2-of-3');
  expect(artifact).toBeDefined();
  const uploaded = [...artifact!.files.keys()].sort();
  expect(uploaded).toEqual(tree(runDir).map((p) => `run_gh700/${p}`));
  const flowDirs = (names: string[]): string[] =>
    [...new Set(names.map((p) => p.split('/')[1]!).filter((p) => p.startsWith('flow_')))].sort();
  expect(flowDirs(uploaded)).toEqual(ids);

  // beside it, its records: run and shard records and its results, no flow directory
  const records = service.live().find((a) => a.name === 'orchestrator-run_gh700-shard-2-of-3-records');
  expect([...records!.files.keys()].sort()).toEqual([
    'run_gh700/config.json',
    'run_gh700/results.json',
    'run_gh700/run.json',
    'run_gh700/shards/2-of-3.json',
  ]);
  expect(records!.size).toBeLessThan(artifact!.size);

  // the three legs: three trees, disjoint flows, together all seven, and three records artifacts
  const trees = service.live().filter((a) => !a.name.endsWith('-records'));
  expect(trees.map((a) => a.name).sort()).toEqual([1, 2, 3].map((i) => `orchestrator-run_gh700-shard-${i}-of-3`));
  expect(
    service
      .live()
      .filter((a) => a.name.endsWith('-records'))
      .map((a) => a.name)
      .sort(),
  ).toEqual([1, 2, 3].map((i) => `orchestrator-run_gh700-shard-${i}-of-3-records`));
  const all = trees.flatMap((a) => flowDirs([...a.files.keys()]));
  expect(all.sort()).toEqual(['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004', 'flow_0005', 'flow_0006', 'flow_0007']);
});

test('run: a re-run of the job downloads its own artifact, runs only the failed flow, and replaces the artifact', async () => {
  const service = closeAfterAll(await startArtifactService());
  const shared = scratch();
  const counter = join(shared, 'invocations.txt');
  const marker = join(shared, 'marker');
  const cmd = `echo {{{doc}}} >> '${counter}'; case {{{doc}}} in flaky) test -f '${marker}' || { echo marker missing >&2; exit 1; };; esac; echo done {{{doc}}}`;
  const files = {
    'config.json': JSON.stringify([{ type: 'check', cmd }]),
    ...keyFiles('docs.txt', { 'docs/a.txt': 'alpha', 'docs/b.txt': 'flaky', 'docs/c.txt': 'gamma' }),
  };
  const inputs = { config: 'config.json', keys: 'doc:docs.txt' };
  const name = 'orchestrator-run_gh800-all';

  const first = await runAction(inputs, { workspace: workspace(files), env: { ...service.env(), GITHUB_RUN_ID: '800' } });
  expect(first.code).toBe(1);
  expect(first.outputs.failed).toBe('1');
  expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['alpha', 'flaky', 'gamma']);
  expect(service.live().map((a) => a.name)).toEqual([name, `${name}-records`]);

  // the re-run: a new job of the same workflow run, on a fresh machine
  writeFileSync(marker, '');
  writeFileSync(counter, '');
  const ws = workspace(files);
  const second = await runAction(inputs, {
    workspace: ws,
    env: { ...service.env({ jobBackendId: randomUUID() }), GITHUB_RUN_ID: '800', GITHUB_RUN_ATTEMPT: '2' },
  });
  expect(errors(second)).toEqual([]);
  expect(second.code).toBe(0);
  expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toEqual(['flaky']);
  expect(second.outputs.succeeded).toBe('3');
  expect(second.outputs.failed).toBe('0');
  expect(second.stdout + second.stderr).not.toMatch(/\(409\)|Conflict|already exists/i);
  // the tree and its records were uploaded twice under their names; only the second of each is left
  const records = `${name}-records`;
  expect(service.calls.filter((c) => c.method === 'CreateArtifact').map((c) => c.body.name)).toEqual([name, records, name, records]);
  expect(service.artifacts.filter((a) => a.name === name)).toHaveLength(2);
  // the re-run downloaded its tree (to resume), not its records
  expect(service.downloads.map((d) => d.name)).toEqual([name]);

  const live = service.live().filter((a) => a.name === name);
  expect(live).toHaveLength(1);
  expect(service.live().map((a) => a.name)).toEqual([name, records]);
  expect(JSON.parse(service.live()[1]!.files.get('run_gh800/results.json')!.toString('utf8'))).toMatchObject({ succeeded: 3 });
  const results = JSON.parse(live[0]!.files.get('run_gh800/results.json')!.toString('utf8'));
  expect(results).toMatchObject({ total: 3, succeeded: 3, failed: 0, cancelled: 0 });
  expect(results.flows.map((f: { status: string }) => f.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  expect([...live[0]!.files.keys()].sort()).toEqual(tree(join(ws, 'generated', 'run_gh800')).map((p) => `run_gh800/${p}`));
});

test('plan: the matrix and run id for a following matrix job', async () => {
  const ws = workspace({
    'config.json': OPENAI_CONFIG,
    ...keyFiles('docs.txt', Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`docs/d${i + 1}.md`, `doc ${i + 1}`]))),
  });
  const result = await runAction(
    { mode: 'plan', config: 'config.json', keys: 'doc:docs.txt', shards: '2' },
    { workspace: ws, env: { GITHUB_RUN_ID: '900' } },
  );
  expect(result.code).toBe(0);
  expect(result.outputs.matrix).toBe('{"include":[{"shard":"1/2","flows":3},{"shard":"2/2","flows":2}]}');
  expect(result.outputs['run-id']).toBe('run_gh900');
});

test('the bundle is compiled once a step: the re-exec that hides the inputs and the key loads only the small entry, not the Action again', async () => {
  const ws = workspace({ 'config.json': OPENAI_CONFIG, ...keyFiles('docs.txt', { 'docs/d1.md': 'doc 1' }) });
  // each load of a file of the bundle, in both processes (the re-exec replaces the first; NODE_OPTIONS is passed on to it)
  const result = await runAction(
    { mode: 'plan', config: 'config.json', keys: 'doc:docs.txt', shards: '1', 'openai-api-key': KEY },
    { workspace: ws, recordLoads: true },
  );
  expect({ code: result.code, errors: errors(result) }).toEqual({ code: 0, errors: [] });
  const loaded = result.loaded;
  // two processes (the key and the inputs leave /proc/<pid>/environ by a re-exec): the entry twice,
  // small (index.js and the chunks it imports statically: the shelter and what that uses)
  const entry = staticClosure(ACTION_BUNDLE);
  for (const file of entry) expect({ file, loads: loaded.filter((each) => each === file).length }).toEqual({ file, loads: 2 });
  expect(entry.reduce((size, file) => size + readFileSync(file).length, 0)).toBeLessThan(200_000);
  // and the Action itself (the other chunks) once
  const chunks = loaded.filter((file) => !entry.includes(file));
  expect(chunks.length).toBeGreaterThan(0);
  expect(new Set(chunks).size).toBe(chunks.length);
}, 60_000);

/** A file of the bundle and the chunks it imports statically (`import ... from "./chunk.js"`), theirs too. */
function staticClosure(file: string, found: string[] = []): string[] {
  if (found.includes(file)) return found;
  found.push(file);
  for (const [, name] of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?["'](\.\/[^"']+)["'];?$/gm))
    staticClosure(join(file, '..', name!), found);
  return found;
}

/**
 * A string each heavy toolkit package's own code holds and ours never does (its Twirp service, an
 * error message of its own): a loaded file of the bundle holding one means that package's code was
 * loaded, however the bundler (ncc or esbuild) cut the chunks.
 */
const TOOLKIT_MARKERS = {
  '@actions/artifact': 'github.actions.results.api.v1.ArtifactService',
  '@actions/cache': 'github.actions.results.api.v1.CacheService',
  '@actions/github': 'context.repo requires a GITHUB_REPOSITORY environment variable',
} as const;

/** The toolkit packages whose code a run loaded. */
function toolkitLoaded(result: ActionResult): string[] {
  const texts = [...new Set(result.loaded)].map((file) => readFileSync(file, 'utf8'));
  return Object.entries(TOOLKIT_MARKERS)
    .filter(([, marker]) => texts.some((text) => text.includes(marker)))
    .map(([name]) => name);
}

test('the toolkit packages are loaded only where they are used: a run without the artifact service or the response cache loads none of their code', async () => {
  const CMD_CONFIG = JSON.stringify([{ name: 'shout', cmd: 'tr a-z A-Z < {{{doc:path}}}' }]);
  const files = { 'config.json': CMD_CONFIG, ...keyFiles('docs.txt', { 'docs/a.md': 'alpha', 'docs/b.md': 'beta' }) };
  // upload on (the default) but no service here, cache off (the default), no comment: each start of
  // such a step loaded @actions/artifact, @actions/cache and @actions/github (~0.1-0.15 CPU s) when
  // src/action/ imported them statically
  const bare = await runAction({ config: 'config.json', keys: 'doc:docs.txt' }, { workspace: workspace(files), recordLoads: true });
  expect({ code: bare.code, errors: errors(bare), succeeded: bare.outputs.succeeded }).toEqual({ code: 0, errors: [], succeeded: '2' });
  expect(annotations(bare, 'warning').join('\n')).toContain('No artifact service here');
  expect(new Set(bare.loaded).size).toBeGreaterThan(1);
  expect(toolkitLoaded(bare)).toEqual([]);

  // the same run uploading to the artifact service, with `cache: true` (no cache service: a warning):
  // the packages' code is loaded then (@actions/github as @actions/artifact's own dependency)
  const service = closeAfterAll(await startArtifactService());
  const used = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', cache: 'true' },
    { workspace: workspace(files), env: { ...service.env(), GITHUB_RUN_ID: '950' }, recordLoads: true },
  );
  expect({ code: used.code, errors: errors(used), succeeded: used.outputs.succeeded }).toEqual({ code: 0, errors: [], succeeded: '2' });
  expect(annotations(used, 'warning').join('\n')).toContain('the Actions cache service is not available here');
  expect(service.live().map((a) => a.name)).toEqual(['orchestrator-run_gh950-all', 'orchestrator-run_gh950-all-records']);
  expect(toolkitLoaded(used)).toEqual(Object.keys(TOOLKIT_MARKERS));
}, 60_000);
