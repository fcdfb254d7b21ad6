/**
 * The CLI run in the jest process (test/helpers/cli-inprocess.ts), offline or with cmd steps only (no network): seed compatibility,
 * keys and flows, prompt chaining, placeholders in commands as data, array steps and branches, the
 * output tree, progress, the examples and the JSON schema, exit codes and --resume.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { ROOT, baseEnv, readJson } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import { keyFiles, project, scratch, tree } from './helpers/project.js';

const read = (...parts: string[]): string => readFileSync(join(...parts), 'utf8');

const leafSummary = (results: any) => results.flows.map((f: any) => ({ id: f.id, branch: f.branch, status: f.status, output: f.output }));

describe('seed compatibility', () => {
  test('the original array config: prmpt_file, prompt, name, cmd, array, --append-filepath, --parallel, --timeout', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'draft', prmpt_file: 'prompts/draft.txt' },
        { type: 'codex', prompt: 'Apply the plan.' },
        { type: 'split', cmd: 'printf \'["x", "y"]\'', array: true },
        { type: 'openai', name: 'summary', prompt: 'Summarise for {{{doc}}}:' },
      ],
      {
        'prompts/draft.txt': 'Improve this:\n{{{doc}}}',
        ...keyFiles('docs.txt', { 'docs/a.md': '# A\nalpha\n\n\n', 'docs/b.md': '# B\nbeta' }),
      },
    );
    const out = await orchestrateInProcess(dir, [
      '--offline',
      '--parallel',
      '2',
      '--timeout',
      '30',
      '--key',
      'doc:docs.txt',
      '--append-filepath',
    ]);
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    expect(leafSummary(out.results).map((l: any) => [l.id, l.branch, l.status])).toEqual([
      ['flow_0001', [1], 'succeeded'],
      ['flow_0001', [2], 'succeeded'],
      ['flow_0002', [1], 'succeeded'],
      ['flow_0002', [2], 'succeeded'],
    ]);
    const flow1 = join(out.runDir, 'flow_0001');
    // --append-filepath: contents with trailing newlines dropped, a newline, the path
    const draft = 'Improve this:\n# A\nalpha\ndocs/a.md';
    expect(read(flow1, '01_draft', 'prompt.txt')).toBe(draft);
    expect(read(flow1, '01_draft', 'output.txt')).toBe(draft);
    expect(read(flow1, 'codex_exec_2', 'prompt.txt')).toBe(`Apply the plan.\n\n${draft}`);
    expect(read(flow1, 'codex_exec_2', 'final_message.txt')).toBe(`Apply the plan.\n\n${draft}`);
    expect(read(flow1, '03_split', 'output.txt')).toBe('["x", "y"]');
    expect(read(flow1, 'branch_2', '04_summary', 'prompt.txt')).toBe('Summarise for # A\nalpha\ndocs/a.md:\n\ny');
    expect(read(out.runDir, 'flow_0002', 'branch_1', '04_summary', 'prompt.txt')).toBe('Summarise for # B\nbeta\ndocs/b.md:\n\nx');
    expect(readJson(join(out.runDir, 'run.json')).options).toMatchObject({
      parallel: 2,
      timeout: 30,
      append_filepath: true,
      offline: true,
    });
  });

  test('without --append-filepath the contents go in as they are', async () => {
    const dir = project([{ type: 'openai', prompt: '<{{{doc}}}>' }], keyFiles('docs.txt', { 'a.md': 'alpha\n\n' }));
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'doc:docs.txt']);
    expect(out.code).toBe(0);
    expect(read(out.runDir, 'flow_0001', '01_openai', 'prompt.txt')).toBe('<alpha\n\n>');
  });

  test('--workdir: cmd steps run there', async () => {
    const dir = project([{ name: 'where', cmd: 'pwd -P; cat here.txt' }], { 'wd/here.txt': 'in the workdir' });
    const out = await orchestrateInProcess(dir, ['--workdir', 'wd']);
    expect(out.code).toBe(0);
    expect(out.results.flows[0].output).toBe(`${realpathSync(join(dir, 'wd'))}\nin the workdir`);
  });

  test('without --workdir cmd steps run in the current directory', async () => {
    const dir = project([{ name: 'where', cmd: 'pwd -P' }]);
    const out = await orchestrateInProcess(dir);
    expect(out.results.flows[0].output).toBe(`${realpathSync(dir)}\n`);
  });

  test('--timeout, and a step timeout overriding it', async () => {
    const seed = project([{ name: 'slow', cmd: 'echo partial; sleep 20' }]);
    const own = project([{ name: 'slow', cmd: 'sleep 20', timeout: 0.5 }]);
    const started = Date.now();
    const [a, b] = await Promise.all([orchestrateInProcess(seed, ['--timeout', '1']), orchestrateInProcess(own, ['--timeout', '1000'])]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(a.code).toBe(1);
    expect(a.results.flows[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('timed out after 1 s') });
    // partial output is kept
    expect(read(a.runDir, 'flow_0001', '01_slow', 'output.txt')).toBe('partial\n');
    expect(b.code).toBe(1);
    expect(b.results.flows[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('timed out after 0.5 s') });
  }, 30_000);

  test('--parallel N: never more than N steps at once', async () => {
    const files = keyFiles('n.txt', Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`n${i}.txt`, `${i}`])));
    const dir = project([{ name: 'busy', cmd: ': {{{n}}}; touch active/$$; sleep 0.3; ls active | wc -l >> counts; rm active/$$' }], {
      ...files,
      'active/.keep': '',
    });
    const out = await orchestrateInProcess(dir, ['--parallel', '2', '--key', 'n:n.txt']);
    expect(out.code).toBe(0);
    const counts = read(dir, 'counts').trim().split('\n').map(Number);
    expect(counts).toHaveLength(6);
    // `ls` does not list .keep: the count is the steps running at that moment
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(readJson(join(out.runDir, 'run.json')).peak_concurrency).toBe(2);
  });

  test('placeholders in a prompt file path: the trimmed contents form the path', async () => {
    const dir = project([{ type: 'openai', name: 'greet', prmpt_file: 'prompts/{{{lang}}}.txt' }], {
      ...keyFiles('langs.txt', { 'l/en.txt': '  en \n', 'l/fr.txt': 'fr' }),
      'prompts/en.txt': 'Hello ({{{lang}}})',
      'prompts/fr.txt': 'Bonjour',
    });
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'lang:langs.txt']);
    expect(out.code).toBe(0);
    expect(out.results.flows.map((f: any) => f.output)).toEqual(['Hello (  en \n)', 'Bonjour']);
  });
});

describe('keys and flows', () => {
  test('2 keys of 3 and 2 lines: 6 flows, first key slowest, keys recorded', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'pair', prompt: '{{{a}}}+{{{b}}}' },
        { name: 'echo', cmd: "printf '%s/%s' {{{a}}} {{{b}}}" },
      ],
      {
        // CRLF, a BOM and blank lines in a key file
        'a.txt': '\uFEFFa/1.txt\r\n\r\na/2.txt\r\na/3.txt\r\n\r\n',
        'b.txt': 'b/1.txt\n\nb/2.txt',
        'a/1.txt': 'A1',
        'a/2.txt': 'A2',
        'a/3.txt': 'A3',
        'b/1.txt': 'B1',
        'b/2.txt': 'B2',
      },
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'a:a.txt', '--key', 'b:b.txt']);
    expect(out.code).toBe(0);
    expect(out.results).toMatchObject({ flows_total: 6, total: 6, succeeded: 6, failed: 0, cancelled: 0 });
    expect(out.results.flows.map((f: any) => [f.id, f.keys, f.output])).toEqual([
      ['flow_0001', { a: 'a/1.txt', b: 'b/1.txt' }, 'A1/B1'],
      ['flow_0002', { a: 'a/1.txt', b: 'b/2.txt' }, 'A1/B2'],
      ['flow_0003', { a: 'a/2.txt', b: 'b/1.txt' }, 'A2/B1'],
      ['flow_0004', { a: 'a/2.txt', b: 'b/2.txt' }, 'A2/B2'],
      ['flow_0005', { a: 'a/3.txt', b: 'b/1.txt' }, 'A3/B1'],
      ['flow_0006', { a: 'a/3.txt', b: 'b/2.txt' }, 'A3/B2'],
    ]);
    expect(Object.keys(out.results.flows[0].keys)).toEqual(['a', 'b']);
    expect(read(out.runDir, 'flow_0004', '01_pair', 'prompt.txt')).toBe('A2+B2');
    expect(
      readdirSync(out.runDir)
        .filter((n) => n.startsWith('flow_'))
        .sort(),
    ).toEqual(['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004', 'flow_0005', 'flow_0006']);
  });

  test('keys given in the other order: the other key varies slowest', async () => {
    const dir = project([{ name: 'echo', cmd: "printf '%s%s' {{{a}}} {{{b}}}" }], {
      ...keyFiles('a.txt', { a1: '1', a2: '2' }),
      ...keyFiles('b.txt', { b1: 'x', b2: 'y', b3: 'z' }),
    });
    const out = await orchestrateInProcess(dir, ['--key', 'b:b.txt', '--key', 'a:a.txt']);
    expect(out.results.flows.map((f: any) => f.output)).toEqual(['1x', '2x', '1y', '2y', '1z', '2z']);
    expect(Object.keys(out.results.flows[0].keys)).toEqual(['b', 'a']);
  });
});

describe('chaining', () => {
  test('a prompt is its template, a blank line and the previous output; cmd gets it on stdin', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'one', prompt: 'First {{{doc}}}' },
        { type: 'openai', name: 'two', prompt: 'Second' },
        { name: 'upper', cmd: 'tr a-z A-Z' },
        { type: 'codex', name: 'three', prompt: 'Third' },
        { name: 'count', cmd: 'wc -c | tr -d " "' },
      ],
      keyFiles('docs.txt', { 'd.md': 'doc body' }),
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'doc:docs.txt']);
    expect(out.code).toBe(0);
    const flow = join(out.runDir, 'flow_0001');
    expect(read(flow, '01_one', 'prompt.txt')).toBe('First doc body');
    expect(read(flow, '02_two', 'prompt.txt')).toBe('Second\n\nFirst doc body');
    expect(read(flow, '03_upper', 'prompt.txt')).toBe('Second\n\nFirst doc body');
    expect(read(flow, '03_upper', 'output.txt')).toBe('SECOND\n\nFIRST DOC BODY');
    expect(read(flow, 'codex_exec_4', 'prompt.txt')).toBe('Third\n\nSECOND\n\nFIRST DOC BODY');
    const third = 'Third\n\nSECOND\n\nFIRST DOC BODY';
    expect(read(flow, '05_count', 'output.txt')).toBe(`${Buffer.byteLength(third)}\n`);
    expect(out.results.flows[0].output).toBe(`${Buffer.byteLength(third)}\n`);
    expect(out.results.flows[0].steps.map((s: any) => [s.name, s.type, s.status])).toEqual([
      ['one', 'openai', 'succeeded'],
      ['two', 'openai', 'succeeded'],
      ['upper', 'cmd', 'succeeded'],
      ['three', 'codex', 'succeeded'],
      ['count', 'cmd', 'succeeded'],
    ]);
  });

  test('a cmd step keeps its stderr', async () => {
    const dir = project([{ name: 'noisy', cmd: 'echo out; echo warn >&2' }]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(0);
    expect(read(out.runDir, 'flow_0001', '01_noisy', 'stderr.txt')).toBe('warn\n');
    expect(read(out.runDir, 'flow_0001', '01_noisy', 'output.txt')).toBe('out\n');
  });
});

describe('placeholders in cmd are data', () => {
  const HOSTILE = '$(touch pwned) `touch pwned2` \'; touch pwned3; \' "; touch pwned4; " * ? $HOME\nsecond  line\n';

  test('unquoted, inside "..." and inside \'...\' the contents come through verbatim, and nothing runs', async () => {
    const dir = project(
      [
        { name: 'bare', cmd: "printf '%s' {{{x}}} > bare.out; printf '%s' {{{x}}}" },
        { name: 'double', cmd: 'printf \'%s\' "{{{x}}}" > double.out' },
        { name: 'single', cmd: "printf '%s' '{{{x}}}' > single.out; cat bare.out" },
      ],
      { ...keyFiles('x.txt', { 'hostile.txt': HOSTILE }), 'wd/file-a': '', 'wd/file-b': '' },
    );
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt', '--workdir', 'wd']);
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    for (const name of ['bare.out', 'double.out', 'single.out']) expect(read(dir, 'wd', name)).toBe(HOSTILE);
    expect(out.results.flows[0].output).toBe(HOSTILE);
    for (const d of [dir, join(dir, 'wd')]) expect(readdirSync(d).filter((n) => n.includes('pwned'))).toEqual([]);
    expect(tree(dir).filter((p) => p.includes('pwned'))).toEqual([]);
  });

  test('contents too large for a command line fail the step, saying to use stdin', async () => {
    const dir = project(
      [{ name: 'big', cmd: "printf '%s' {{{x}}} | wc -c" }],
      keyFiles('x.txt', { 'small.txt': 'tiny', 'big.txt': 'y'.repeat(200 * 1024) }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(out.code).toBe(1);
    expect(out.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'failed']);
    expect(out.results.flows[1].error).toMatch(/stdin/);
  });

  test('the example pipeline counts lines of the contents, whatever they hold', async () => {
    const dir = project(
      [{ type: 'count', cmd: "printf '%s' {{{csv}}} | wc -l | tr -d ' '" }],
      keyFiles('f.txt', { 'h.csv': 'a;$(touch pwned)\n*\n' }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'csv:f.txt']);
    expect(out.results.flows[0].output).toBe('2\n');
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });
});

describe('array steps', () => {
  test('plain JSON: one branch per element, each with its own directory and result.json', async () => {
    const dir = project([
      { name: 'list', cmd: 'printf \'["alpha", "beta", {"n": 3}]\'', array: true },
      { name: 'up', cmd: 'tr a-z A-Z' },
    ]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(0);
    expect(leafSummary(out.results)).toEqual([
      { id: 'flow_0001', branch: [1], status: 'succeeded', output: 'ALPHA' },
      { id: 'flow_0001', branch: [2], status: 'succeeded', output: 'BETA' },
      { id: 'flow_0001', branch: [3], status: 'succeeded', output: '{"N":3}' },
    ]);
    expect(out.results).toMatchObject({ flows_total: 1, total: 3, succeeded: 3 });
    const flow = join(out.runDir, 'flow_0001');
    expect(existsSync(join(flow, 'result.json'))).toBe(false);
    for (const i of [1, 2, 3]) {
      const entry = readJson(join(flow, `branch_${i}`, 'result.json'));
      expect(entry).toEqual(out.results.flows[i - 1]);
      expect(read(flow, `branch_${i}`, '02_up', 'prompt.txt')).toBe(['alpha', 'beta', '{"n":3}'][i - 1]);
    }
    // the step before the fan-out ran once, in the flow directory
    expect(read(flow, '01_list', 'output.txt')).toBe('["alpha", "beta", {"n": 3}]');
    expect(out.results.flows[1].steps.map((s: any) => s.name)).toEqual(['list', 'up']);
  });

  test('a failing branch fails only that leaf; a last codex step gives each branch its final message', async () => {
    const dir = project([
      { name: 'list', cmd: 'printf \'["one", "bad", "three"]\'', array: true },
      { name: 'gate', cmd: 'read -r x || true; [ "$x" != bad ] || exit 4; printf %s "$x"' },
      { type: 'codex', name: 'apply', prompt: 'Apply' },
    ]);
    const out = await orchestrateInProcess(dir, ['--offline']);
    expect(out.code).toBe(1);
    expect(out.results).toMatchObject({ flows_total: 1, total: 3, succeeded: 2, failed: 1 });
    expect(out.results.flows.map((f: any) => [f.branch, f.status, f.final_message])).toEqual([
      [[1], 'succeeded', 'flow_0001/branch_1/codex_exec_3/final_message.txt'],
      [[2], 'failed', null],
      [[3], 'succeeded', 'flow_0001/branch_3/codex_exec_3/final_message.txt'],
    ]);
    expect(out.results.flows[1].error).toMatch(/exited with code 4/);
    expect(out.results.flows[1].steps.map((s: any) => [s.name, s.status])).toEqual([
      ['list', 'succeeded'],
      ['gate', 'failed'],
    ]);
    expect(read(out.runDir, 'flow_0001', 'branch_3', 'codex_exec_3', 'final_message.txt')).toBe('Apply\n\nthree');
    expect(out.stdout.trim().split('\n')).toEqual([
      join('generated', 'run_t', 'flow_0001', 'branch_1', 'codex_exec_3', 'final_message.txt'),
      join('generated', 'run_t', 'flow_0001', 'branch_3', 'codex_exec_3', 'final_message.txt'),
    ]);
  });

  test('a ```json fenced array', async () => {
    const dir = project([
      { name: 'list', cmd: 'printf \'```json\\n["a", "b"]\\n```\\n\'', array: true },
      { name: 'echo', cmd: 'cat' },
    ]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(0);
    expect(leafSummary(out.results).map((l: any) => [l.branch, l.output])).toEqual([
      [[1], 'a'],
      [[2], 'b'],
    ]);
  });

  test('array on the last step: each element is a leaf', async () => {
    const dir = project([{ name: 'list', cmd: 'printf \'["a", "b"]\'', array: true }]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(0);
    expect(leafSummary(out.results).map((l: any) => [l.branch, l.output])).toEqual([
      [[1], 'a'],
      [[2], 'b'],
    ]);
    expect(readJson(join(out.runDir, 'flow_0001', 'branch_2', 'result.json'))).toMatchObject({ branch: [2], output: 'b' });
  });

  test('a non-array output fails only that flow, showing the first 200 characters', async () => {
    const prose = 'Sorry, here is prose. ' + 'x'.repeat(178) + 'TAIL-NOT-SHOWN'.repeat(10);
    const dir = project(
      [
        { name: 'list', cmd: "printf '%s' {{{x}}}", array: true },
        { name: 'echo', cmd: 'cat' },
      ],
      keyFiles('x.txt', { 'good.json': '["ok"]', 'bad.txt': prose, 'good2.json': '["fine"]' }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(out.code).toBe(1);
    expect(out.results).toMatchObject({ flows_total: 3, total: 3, succeeded: 2, failed: 1 });
    expect(leafSummary(out.results).map((l: any) => [l.id, l.branch, l.status])).toEqual([
      ['flow_0001', [1], 'succeeded'],
      ['flow_0002', [], 'failed'],
      ['flow_0003', [1], 'succeeded'],
    ]);
    const failed = out.results.flows[1];
    expect(failed.error).toContain(prose.slice(0, 200));
    expect(failed.error).not.toContain('TAIL-NOT-SHOWN');
    expect(failed.error).toMatch(/array/);
    expect(failed.steps.map((s: any) => [s.name, s.status])).toEqual([['list', 'failed']]);
    expect(readJson(join(out.runDir, 'flow_0002', 'result.json'))).toEqual(failed);
  });

  test('an empty array ends the flow as one succeeded leaf with output "[]"', async () => {
    const dir = project([
      { name: 'list', cmd: "printf '[]'", array: true },
      { name: 'never', cmd: 'echo ran > ran.txt' },
    ]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(0);
    expect(leafSummary(out.results)).toEqual([{ id: 'flow_0001', branch: [], status: 'succeeded', output: '[]' }]);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
    expect(readJson(join(out.runDir, 'flow_0001', 'result.json')).output).toBe('[]');
  });

  test('nested arrays give branch paths like [2,1], sorted numerically', async () => {
    const dir = project([
      { name: 'outer', cmd: 'printf \'["a","b","c","d","e","f","g","h","i","j","k"]\'', array: true },
      { name: 'inner', cmd: 'read -r x || true; printf \'["%s1","%s2"]\' "$x" "$x"', array: true },
      { name: 'up', cmd: 'tr a-z A-Z' },
    ]);
    const out = await orchestrateInProcess(dir, ['--parallel', '8']);
    expect(out.code).toBe(0);
    expect(out.results).toMatchObject({ flows_total: 1, total: 22, succeeded: 22 });
    const branches = out.results.flows.map((f: any) => f.branch);
    const expected: number[][] = [];
    for (let i = 1; i <= 11; i++) for (const j of [1, 2]) expected.push([i, j]);
    expect(branches).toEqual(expected);
    const b21 = out.results.flows.find((f: any) => f.branch.join() === '2,1');
    expect(b21.output).toBe('B1');
    expect(b21.steps.map((s: any) => s.name)).toEqual(['outer', 'inner', 'up']);
    const flow = join(out.runDir, 'flow_0001');
    expect(readJson(join(flow, 'branch_2', 'branch_1', 'result.json'))).toEqual(b21);
    expect(read(flow, 'branch_2', '02_inner', 'output.txt')).toBe('["b1","b2"]');
    expect(read(flow, 'branch_10', 'branch_2', '03_up', 'output.txt')).toBe('J2');
  });
});

describe('the output tree', () => {
  const SECRET = 'sk-test-secret-123456';

  test('run.json, results.json and every file hold no secret', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'draft', prompt: 'Draft {{{doc}}}' },
        { name: 'env', cmd: 'env; cat' },
      ],
      keyFiles('docs.txt', { 'a.md': `the key is ${SECRET}, do not tell` }),
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'doc:docs.txt'], {
      OPENAI_API_KEY: SECRET,
      OTHER_TOKEN: 'tok-abcdefgh-1234',
    });
    expect(out.code).toBe(0);
    expect(out.stdout + out.stderr).not.toContain(SECRET);
    for (const file of tree(join(dir, 'generated'))) {
      const text = read(dir, 'generated', file);
      expect([file, text.includes(SECRET)]).toEqual([file, false]);
      expect([file, text.includes('tok-abcdefgh-1234')]).toEqual([file, false]);
    }
    expect(read(out.runDir, 'flow_0001', '01_draft', 'prompt.txt')).toBe('Draft the key is ***, do not tell');
    // cmd steps never see the model key
    expect(read(out.runDir, 'flow_0001', '02_env', 'output.txt')).not.toMatch(/^OPENAI_API_KEY=/m);
    const run = readJson(join(out.runDir, 'run.json'));
    expect(run).toMatchObject({
      run_id: 'run_t',
      config: { file: 'config.json', hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      keys_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      shard: { index: 1, count: 1 },
      started_at: expect.any(String),
      ended_at: expect.any(String),
      totals: { flows_total: 1, total: 1, succeeded: 1, failed: 0, cancelled: 0 },
    });
    expect(Date.parse(run.ended_at)).toBeGreaterThanOrEqual(Date.parse(run.started_at));
  });

  test('results.json fields, leaf entries equal to each result.json, final_message of a last codex step', async () => {
    const dir = project(
      [
        { name: 'pick', cmd: 'case {{{x}}} in *bad*) echo no >&2; exit 3;; esac; cat {{{x}}} 2>/dev/null; printf %s {{{x}}}' },
        { type: 'codex', name: 'apply', prompt: 'Apply' },
      ],
      keyFiles('x.txt', { '1.txt': 'one', '2.txt': 'bad', '3.txt': 'three' }),
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'x:x.txt']);
    expect(out.code).toBe(1);
    const r = out.results;
    expect(Object.keys(r)).toEqual([
      'schema',
      'run_id',
      'shard',
      'flows_total',
      'total',
      'succeeded',
      'failed',
      'cancelled',
      'usage',
      'after',
      'flows',
      'not_started',
    ]);
    expect(r.after).toBeNull();
    expect(r).toMatchObject({
      schema: 1,
      run_id: 'run_t',
      shard: { index: 1, count: 1 },
      flows_total: 3,
      total: 3,
      succeeded: 2,
      failed: 1,
      cancelled: 0,
      usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 },
    });
    expect(r.flows.map((f: any) => f.id)).toEqual(['flow_0001', 'flow_0002', 'flow_0003']);
    const [first, second] = r.flows;
    expect(first).toMatchObject({
      id: 'flow_0001',
      branch: [],
      keys: { x: '1.txt' },
      status: 'succeeded',
      output: 'Apply\n\none',
      final_message: 'flow_0001/codex_exec_2/final_message.txt',
      error: null,
      duration_ms: expect.any(Number),
    });
    expect(first.steps).toEqual([
      expect.objectContaining({ name: 'pick', type: 'cmd', status: 'succeeded', duration_ms: expect.any(Number), usage: null }),
      expect.objectContaining({
        name: 'apply',
        type: 'codex',
        status: 'succeeded',
        usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 },
      }),
    ]);
    expect(read(out.runDir, first.final_message)).toBe('Apply\n\none');
    expect(second).toMatchObject({ status: 'failed', final_message: null, error: expect.stringMatching(/exited with code 3.*no/s) });
    expect(second.steps.map((s: any) => [s.name, s.status])).toEqual([['pick', 'failed']]);
    for (const entry of r.flows) expect(readJson(join(out.runDir, entry.id, 'result.json'))).toEqual(entry);
    // the final messages of succeeded leaves are printed
    expect(out.stdout.trim().split('\n')).toEqual([
      join('generated', 'run_t', 'flow_0001', 'codex_exec_2', 'final_message.txt'),
      join('generated', 'run_t', 'flow_0003', 'codex_exec_2', 'final_message.txt'),
    ]);
    expect(tree(join(out.runDir, 'flow_0001'))).toEqual([
      '01_pick/command.txt',
      '01_pick/output.txt',
      '01_pick/prompt.txt',
      '01_pick/stderr.txt',
      '01_pick/step.json',
      'codex_exec_2/final_message.txt',
      'codex_exec_2/prompt.txt',
      'codex_exec_2/stderr.txt',
      'codex_exec_2/stdout.txt',
      'codex_exec_2/step.json',
      'result.json',
    ]);
  });

  test('step directories: 01_<name>, unsafe characters as _, repeated names kept apart by index', async () => {
    const dir = project([
      { type: 'openai', name: 'my step/../x', prompt: 'a' },
      { type: 'openai', name: 'same', prompt: 'b' },
      { type: 'openai', name: 'same', prompt: 'c' },
      { type: 'codex', prompt: 'd' },
      { type: 'codex', prompt: 'e' },
      { type: 'shout', cmd: 'cat' },
    ]);
    const out = await orchestrateInProcess(dir, ['--offline']);
    expect(out.code).toBe(0);
    expect(readdirSync(join(out.runDir, 'flow_0001')).sort()).toEqual([
      '01_my_step_.._x',
      '02_same',
      '03_same',
      '06_shout',
      'codex_exec_4',
      'codex_exec_5',
      'result.json',
    ]);
    expect(tree(join(out.runDir, 'flow_0001')).filter((p) => p.startsWith('02_'))).toEqual([
      '02_same/output.txt',
      '02_same/prompt.txt',
      '02_same/response.json',
      '02_same/step.json',
    ]);
    expect(read(out.runDir, 'flow_0001', '03_same', 'prompt.txt')).toBe('c\n\nb\n\na');
  });

  test('--output and --run-id: X becomes run_X, run_X stays', async () => {
    const dir = project([{ name: 'one', cmd: 'echo 1' }]);
    const [plain, prefixed] = await Promise.all([
      runCliInProcess(['config.json', '--output', 'out/nested', '--run-id', 'X'], { cwd: dir, env: baseEnv(), timeoutMs: 30_000 }),
      runCliInProcess(['config.json', '--output', 'out/nested', '--run-id', 'run_Y'], { cwd: dir, env: baseEnv(), timeoutMs: 30_000 }),
    ]);
    expect([plain.code, prefixed.code]).toEqual([0, 0]);
    expect(readdirSync(join(dir, 'out', 'nested')).sort()).toEqual(['run_X', 'run_Y']);
    expect(readJson(join(dir, 'out', 'nested', 'run_X', 'results.json')).run_id).toBe('run_X');
    expect(readJson(join(dir, 'out', 'nested', 'run_Y', 'run.json')).run_id).toBe('run_Y');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  test('the default run id is run_<time>_<suffix>, under generated/', async () => {
    const dir = project([{ name: 'one', cmd: 'echo 1' }]);
    const out = await runCliInProcess(['config.json'], { cwd: dir, env: baseEnv(), timeoutMs: 30_000 });
    expect(out.code).toBe(0);
    const [runDir] = readdirSync(join(dir, 'generated'));
    expect(runDir).toMatch(/^run_\d{8}T\d{6}Z_[0-9a-f]{4}$/);
    expect(readJson(join(dir, 'generated', runDir!, 'results.json')).run_id).toBe(runDir);
  });
});

describe('progress on stderr', () => {
  test('a line per change with each step and the flows at it, then the done line', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'draft', prompt: 'x {{{d}}}' },
        { type: 'codex', name: 'codex', prompt: 'y' },
        { type: 'openai', name: 'summary', prompt: 'z' },
      ],
      keyFiles('d.txt', { '1.md': '1', '2.md': '2' }),
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'd:d.txt']);
    expect(out.code).toBe(0);
    const lines = out.stderr.split('\n');
    const progress = lines.filter((l) => / -> /.test(l));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line).toMatch(/^draft: \d+ -> codex: \d+ -> summary: \d+ {3}[0-2]\/2$/);
    expect(progress).toContain('draft: 0 -> codex: 0 -> summary: 0   2/2');
    expect(lines.some((l) => /^done: 2 succeeded, 0 failed\b/.test(l))).toBe(true);
  });

  test('failures are counted in the done line', async () => {
    const dir = project([{ name: 'gate', cmd: 'case {{{d}}} in 2) exit 3;; esac' }], keyFiles('d.txt', { '1.md': '1', '2.md': '2' }));
    const out = await orchestrateInProcess(dir, ['--key', 'd:d.txt']);
    expect(out.stderr).toMatch(/^gate: 0 {3}2\/2$/m);
    expect(out.stderr).toMatch(/^done: 1 succeeded, 1 failed\b/m);
  });
});

describe('examples and the JSON schema', () => {
  const examples = readdirSync(join(ROOT, 'examples')).filter((name) => existsSync(join(ROOT, 'examples', name, 'config.json')));
  const keysFor: Record<string, string[]> = {
    seed: ['--key', 'doc:examples/seed/docs.txt'],
    cartesian: ['--key', 'topic:examples/cartesian/topics.txt', '--key', 'tone:examples/cartesian/tones.txt'],
    fanout: [],
    pipeline: ['--key', 'csv:examples/pipeline/files.txt'],
  };
  const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as new (options: object) => any;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(readJson(join(ROOT, 'schema', 'config.schema.json')));

  test('the known examples are all there', () => {
    expect(examples.sort()).toEqual(Object.keys(keysFor).sort());
  });

  test.each(Object.keys(keysFor))('examples/%s runs with --offline from the repo root and exits 0', async (name) => {
    const output = scratch();
    const out = await runCliInProcess(
      [`examples/${name}/config.json`, '--offline', '--output', output, '--run-id', name, ...keysFor[name]!],
      {
        cwd: ROOT,
        env: baseEnv(),
        timeoutMs: 30_000,
      },
    );
    expect(out.stderr).not.toMatch(/error|warning/i);
    expect(out.code).toBe(0);
    const results = readJson(join(output, `run_${name}`, 'results.json'));
    expect(results.failed + results.cancelled).toBe(0);
    expect(results.total).toBeGreaterThan(0);
    expect(existsSync(join(ROOT, 'generated', `run_${name}`))).toBe(false);
  });

  test.each(Object.keys(keysFor))('examples/%s/config.json validates against the schema', (name) => {
    const ok = validate(readJson(join(ROOT, 'examples', name, 'config.json')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test.each([
    ['a misspelt field', [{ type: 'openai', promt: 'x' }]],
    ['two prompt sources', [{ type: 'openai', prompt: 'x', prmpt_file: 'y' }]],
    ['no prompt', [{ type: 'openai' }]],
    ['an unknown type without cmd', [{ type: 'opnai', prompt: 'x' }]],
    ['a cmd step with a prompt', [{ cmd: 'cat', prompt: 'x' }]],
    ['array as a string', [{ cmd: 'cat', array: 'yes' }]],
    ['a zero timeout', [{ cmd: 'cat', timeout: 0 }]],
    ['a bad sandbox', [{ type: 'codex', prompt: 'x', sandbox: 'readonly' }]],
    ['no steps', []],
    ['an empty steps object', { steps: [] }],
    ['an unknown default', { steps: [{ cmd: 'cat' }], modle: 'm' }],
    ['a bad api default', { steps: [{ cmd: 'cat' }], api: 'rest' }],
    ['a string', 'steps'],
  ])('the schema rejects %s', (_what, config) => {
    expect(validate(config)).toBe(false);
  });

  test.each([
    ['a minimal cmd step', [{ cmd: 'cat' }]],
    [
      'prmpt_file and comments',
      { $schema: 'x', _comment: 'c', steps: [{ type: 'codex', prmpt_file: 'p.txt', _note: 'n', sandbox: 'read-only' }] },
    ],
    ['defaults', { model: 'm', api: 'chat', timeout: 5, sandbox: 'danger-full-access', steps: [{ type: 'openai', prompt: '' }] }],
  ])('the schema accepts %s', (_what, config) => {
    expect(validate(config)).toBe(true);
  });
});

describe('exit codes', () => {
  test('1 when some flow failed (exit 3 in one flow only), the others still succeed', async () => {
    const dir = project(
      [{ name: 'gate', cmd: 'case {{{x}}} in *bad*) echo broken >&2; exit 3;; esac; echo ok' }],
      keyFiles('x.txt', { 'a.txt': 'good', 'b.txt': 'bad', 'c.txt': 'good too' }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(out.code).toBe(1);
    expect(out.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(out.results.flows[1].error).toMatch(/exited with code 3/);
    expect(read(out.runDir, 'flow_0002', '01_gate', 'stderr.txt')).toBe('broken\n');
  });

  test('0 when every flow succeeded', async () => {
    const dir = project([{ name: 'gate', cmd: 'echo ok' }], keyFiles('x.txt', { 'a.txt': 'good', 'b.txt': 'fine' }));
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(out.code).toBe(0);
  });

  test('2 for a bad config, before anything runs', async () => {
    const dir = project([{ name: 'gate', cmd: 'touch ran', promt: 'x' }]);
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('config.json: step 1 ("gate"): unknown field "promt" (did you mean "prompt"?)');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  test('2 for a JSON syntax error, naming line and column', async () => {
    const dir = project('[\n  {"cmd": "true"},\n  {"cmd": tru}\n]');
    const out = await orchestrateInProcess(dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/config\.json:3:14: invalid JSON/);
  });
});

describe('--resume', () => {
  const CONFIG = [
    {
      name: 'work',
      cmd: "printf '%s\\n' {{{x}}} >> runs.log; if [ ! -f marker ]; then case {{{x}}} in *fail*) exit 3;; esac; fi; printf 'done %s' {{{x}}}",
    },
  ];
  const FILES = keyFiles('x.txt', { 'a.txt': 'alpha', 'b.txt': 'please fail', 'c.txt': 'gamma' });

  test('reruns only the flows that did not succeed', async () => {
    const dir = project(CONFIG, FILES);
    const first = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(first.code).toBe(1);
    expect(first.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    const kept = read(first.runDir, 'flow_0001', 'result.json');

    // without --resume the run directory is not reused
    const again = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--resume/);

    writeFileSync(join(dir, 'marker'), '');
    const second = await orchestrateInProcess(dir, ['--key', 'x:x.txt', '--resume']);
    expect(second.stderr).not.toMatch(/error/i);
    expect(second.code).toBe(0);
    // the first run's flows ran side by side (any order), then the resumed run's one flow
    const runs = read(dir, 'runs.log').split('\n');
    expect([runs.slice(0, 3).sort(), runs.slice(3)]).toEqual([
      ['alpha', 'gamma', 'please fail'],
      ['please fail', ''],
    ]);
    expect(second.results).toMatchObject({ flows_total: 3, total: 3, succeeded: 3, failed: 0 });
    expect(second.results.flows.map((f: any) => f.output)).toEqual(['done alpha', 'done please fail', 'done gamma']);
    expect(read(second.runDir, 'flow_0001', 'result.json')).toBe(kept);
  });

  test('refuses with exit 2 when the config or the key lists changed', async () => {
    const dir = project(CONFIG, FILES);
    const first = await orchestrateInProcess(dir, ['--key', 'x:x.txt']);
    expect(first.code).toBe(1);
    writeFileSync(join(dir, 'config.json'), JSON.stringify([...CONFIG, { name: 'more', cmd: 'cat' }]));
    const changed = await orchestrateInProcess(dir, ['--key', 'x:x.txt', '--resume']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/config.*changed/);
    expect(read(dir, 'runs.log').split('\n').sort()).toEqual(['', 'alpha', 'gamma', 'please fail']);

    writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
    writeFileSync(join(dir, 'x.txt'), 'c.txt\nb.txt\na.txt\n');
    const reordered = await orchestrateInProcess(dir, ['--key', 'x:x.txt', '--resume']);
    expect(reordered.code).toBe(2);
    expect(reordered.stderr).toContain(
      'orchestrator: error: --resume: the key lists changed since generated/run_t started (the same keys and files: lines in a key file changed); flow ids are positions',
    );
    writeFileSync(join(dir, 'x2.txt'), 'a.txt\nb.txt\n');
    const other = await orchestrateInProcess(dir, ['--key', 'x:x2.txt', '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      'the key lists changed since generated/run_t started (it started with --key x:x.txt (3 lines); this command gives --key x:x2.txt (2 lines))',
    );
    expect(read(dir, 'runs.log').split('\n').sort()).toEqual(['', 'alpha', 'gamma', 'please fail']);
    // the earlier results are untouched
    expect(readJson(join(first.runDir, 'results.json'))).toEqual(first.results);
  });
});

describe('help', () => {
  test('apply --help shows the default of --status as it is typed, not as JSON (issue 24.5)', async () => {
    const out = await runCliInProcess(['apply', '--help'], { cwd: scratch(), env: baseEnv() });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('(default: succeeded)');
    expect(out.stdout).not.toContain('["succeeded"]');
  });
});
