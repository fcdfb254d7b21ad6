/**
 * Must-accept inputs: odd but valid configs, key files and options that the CLI must run (offline,
 * or with cmd steps only) with exit code 0 and the right output tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, readJson, ROOT, writeFiles, type CliResult } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { scratch } from './helpers/project.js';

/** Fails with the whole stderr when the run did not exit 0. */
function expectOk(result: CliResult): void {
  expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 0, signal: null });
  expect(result.stderr).not.toMatch(/error:/);
}

const run = (args: string[], cwd: string, timeoutMs = 30_000): Promise<CliResult> =>
  runCliInProcess(args, { cwd, env: baseEnv(), timeoutMs });

describe('text encodings', () => {
  test('CRLF and a BOM in the key file and in the config', async () => {
    const cwd = scratch({
      'config.json':
        '\uFEFF{\r\n  "steps": [\r\n    {"type": "openai", "name": "draft", "prompt": "Read {{{doc}}}"},\r\n' +
        '    {"type": "shout", "cmd": "tr a-z A-Z"}\r\n  ]\r\n}\r\n',
      'docs.txt': '\uFEFFdocs/a.md\r\n\r\ndocs/b.md\r\n',
      // contents are used as they are: their CRLF stays
      'docs/a.md': 'alpha\r\n',
      'docs/b.md': 'beta',
    });
    const result = await run(['config.json', '--offline', '--key', 'doc:docs.txt', '--run-id', 'crlf'], cwd);
    expectOk(result);
    const runDir = join(cwd, 'generated', 'run_crlf');
    const results = readJson(join(runDir, 'results.json'));
    expect(results).toMatchObject({ flows_total: 2, total: 2, succeeded: 2 });
    expect(results.flows.map((f: any) => f.keys)).toEqual([{ doc: 'docs/a.md' }, { doc: 'docs/b.md' }]);
    expect(readFileSync(join(runDir, 'flow_0001', '01_draft', 'prompt.txt'), 'utf8')).toBe('Read alpha\r\n');
    expect(results.flows[0].output).toBe('READ ALPHA\r\n');
    expect(results.flows[1].output).toBe('READ BETA');
  });

  test('a key file without a final newline, and lines with surrounding spaces', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([{ type: 'openai', prompt: '{{{doc}}}' }]),
      'docs.txt': '  docs/a.md  \n\tdocs/b.md',
      'docs/a.md': 'A',
      'docs/b.md': 'B',
    });
    const result = await run(['config.json', '--offline', '--key', 'doc:docs.txt', '--run-id', 'x'], cwd);
    expectOk(result);
    const results = readJson(join(cwd, 'generated', 'run_x', 'results.json'));
    expect(results.flows.map((f: any) => [f.keys.doc, f.output])).toEqual([
      ['docs/a.md', 'A'],
      ['docs/b.md', 'B'],
    ]);
  });
});

describe('paths', () => {
  test('spaces and non-ASCII characters in the cwd, config, key file, listed files, prompt file and --output', async () => {
    const root = scratch();
    const cwd = join(root, 'my project é');
    mkdirSync(cwd);
    writeFiles(cwd, {
      'my config.json': JSON.stringify([
        { type: 'openai', name: 'résumé', prmpt_file: 'prompts/the prompt ü.md' },
        { type: 'count', cmd: 'printf "%s|" {{{doc}}}' },
      ]),
      'lists/my list.txt': 'docs/my file é.md\ndocs/ünïcödé 文件.md\n',
      'docs/my file é.md': 'contents with spaces',
      'docs/ünïcödé 文件.md': '$(echo not run) `x` * "q"',
      'prompts/the prompt ü.md': 'Summarise: {{{doc}}}',
    });
    const result = await run(
      ['my config.json', '--offline', '--key', 'doc:lists/my list.txt', '--output', 'out dir', '--run-id', 'paths'],
      cwd,
    );
    expectOk(result);
    const runDir = join(cwd, 'out dir', 'run_paths');
    const results = readJson(join(runDir, 'results.json'));
    expect(results.flows.map((f: any) => f.keys.doc)).toEqual(['docs/my file é.md', 'docs/ünïcödé 文件.md']);
    // the step name becomes a safe directory name; the label stays as written
    expect(readdirSync(join(runDir, 'flow_0001')).sort()).toEqual(['01_r_sum_', '02_count', 'result.json']);
    expect(results.flows[0].steps[0].name).toBe('résumé');
    expect(readFileSync(join(runDir, 'flow_0001', '01_r_sum_', 'prompt.txt'), 'utf8')).toBe('Summarise: contents with spaces');
    // in cmd the contents are one word of data, never shell syntax
    expect(results.flows[0].output).toBe('contents with spaces|');
    expect(results.flows[1].output).toBe('$(echo not run) `x` * "q"|');
  });
});

describe('sizes', () => {
  test('a 100,000-line key file: ids are 6 digits wide, a shard runs only its flows, in bounded time', async () => {
    const cwd = scratch({ 'config.json': JSON.stringify([{ type: 'openai', name: 'echo', prompt: 'Doc: {{{doc}}}' }]) });
    mkdirSync(join(cwd, 'docs'));
    for (let i = 0; i < 1000; i++) writeFileSync(join(cwd, 'docs', `${i}.md`), `doc ${i}`);
    // line n (1-based) lists docs/((n-1) % 1000).md
    const lines = Array.from({ length: 100_000 }, (_, i) => `docs/${i % 1000}.md`);
    writeFileSync(join(cwd, 'docs.txt'), lines.join('\n') + '\n');

    // --shard N is capped at 256 (GitHub's matrix limit): 100000 / 256 = 390.6, the last shard has 390 flows
    const started = Date.now();
    const last = await run(
      ['config.json', '--offline', '--key', 'doc:docs.txt', '--run-id', 'big', '--shard', '256/256', '--parallel', '16'],
      cwd,
      60_000,
    );
    const elapsed = Date.now() - started;
    expectOk(last);
    expect(elapsed).toBeLessThan(30_000);

    const runDir = join(cwd, 'generated', 'run_big');
    const results = readJson(join(runDir, 'results.json'));
    expect(results).toMatchObject({ shard: { index: 256, count: 256 }, flows_total: 390, total: 390, succeeded: 390, failed: 0 });
    const ids: string[] = results.flows.map((f: any) => f.id);
    expect(ids[0]).toBe('flow_099611');
    expect(ids).toContain('flow_099901');
    expect(ids[ids.length - 1]).toBe('flow_100000');
    // the first key varies slowest; flow n got line n
    const flow = results.flows.find((f: any) => f.id === 'flow_099901');
    expect(flow.keys).toEqual({ doc: 'docs/900.md' });
    expect(flow.output).toBe('Doc: doc 900');
    // only this shard's flow directories exist
    const flowDirs = readdirSync(runDir).filter((name) => name.startsWith('flow_'));
    expect(flowDirs).toHaveLength(390);
    expect(flowDirs.every((name) => /^flow_\d{6}$/.test(name))).toBe(true);
    const runJson = readJson(join(runDir, 'run.json'));
    expect(runJson.flows).toMatchObject({ total: 100_000, from: 99_611, to: 100_000 });

    // the first shard: ids padded to the same width
    const first = await run(
      ['config.json', '--offline', '--key', 'doc:docs.txt', '--run-id', 'big', '--shard', '1/256', '--parallel', '16'],
      cwd,
      60_000,
    );
    expectOk(first);
    const firstIds = readJson(join(runDir, 'results.json')).flows.map((f: any) => f.id);
    expect(firstIds).toHaveLength(391);
    expect(firstIds[0]).toBe('flow_000001');
    expect(firstIds[390]).toBe('flow_000391');
  }, 120_000);

  test('a 10 MB prompt file (offline), passed on to a cmd step on stdin', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([
        { type: 'openai', name: 'big', prmpt_file: 'big.md' },
        { type: 'count', cmd: 'wc -c' },
      ]),
    });
    const size = 10 * 1024 * 1024;
    const line = 'abcdefghijklmnopqrstuvwxyz0123456789 lorem ipsum dolor sit amet\n';
    writeFileSync(join(cwd, 'big.md'), line.repeat(Math.ceil(size / line.length)).slice(0, size));
    const result = await run(['config.json', '--offline', '--run-id', 'big'], cwd, 60_000);
    expectOk(result);
    const runDir = join(cwd, 'generated', 'run_big');
    expect(statSync(join(runDir, 'flow_0001', '01_big', 'prompt.txt')).size).toBe(size);
    expect(statSync(join(runDir, 'flow_0001', '01_big', 'output.txt')).size).toBe(size);
    const results = readJson(join(runDir, 'results.json'));
    expect(results).toMatchObject({ total: 1, succeeded: 1 });
    expect(results.flows[0].output.trim()).toBe(String(size));
  }, 90_000);
});

describe('config forms', () => {
  test('duplicate step names: directories stay unique because they carry the step index', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([
        { type: 'shout', name: 'draft', cmd: 'echo one' },
        { type: 'shout', name: 'draft', cmd: 'tr a-z A-Z' },
        { type: 'codex', prompt: 'first' },
        { type: 'codex', prompt: 'second' },
      ]),
    });
    const result = await run(['config.json', '--offline', '--run-id', 'dup'], cwd);
    expectOk(result);
    const flowDir = join(cwd, 'generated', 'run_dup', 'flow_0001');
    expect(readdirSync(flowDir).sort()).toEqual(['01_draft', '02_draft', 'codex_exec_3', 'codex_exec_4', 'result.json']);
    expect(readFileSync(join(flowDir, '02_draft', 'output.txt'), 'utf8')).toBe('ONE\n');
    expect(readFileSync(join(flowDir, 'codex_exec_4', 'final_message.txt'), 'utf8')).toBe('second\n\nfirst\n\nONE\n');
    const results = readJson(join(cwd, 'generated', 'run_dup', 'results.json'));
    expect(results.flows[0].steps.map((s: any) => s.name)).toEqual(['draft', 'draft', 'codex', 'codex']);
    expect(results.flows[0].final_message).toBe('flow_0001/codex_exec_4/final_message.txt');
  });

  test('$schema and _comment keys at both levels are ignored', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify({
        $schema: 'https://example.com/orchestrator/config.schema.json',
        _comment: 'top-level comment',
        timeout: 60,
        steps: [{ $schema: 'ignored too', _note: { any: ['thing'] }, type: 'openai', name: 'hello', prompt: 'Hi' }],
      }),
    });
    const result = await run(['config.json', '--offline', '--run-id', 's'], cwd);
    expectOk(result);
    const results = readJson(join(cwd, 'generated', 'run_s', 'results.json'));
    expect(results.flows[0]).toMatchObject({ status: 'succeeded', output: 'Hi' });
  });

  test('the seed form: an array of steps, prmpt_file, a cmd step with a label type', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([
        { type: 'openai', prmpt_file: 'p.md' },
        { type: 'shout', cmd: 'tr a-z A-Z' },
      ]),
      'p.md': 'seed prompt',
    });
    const result = await run(['config.json', '--offline', '--run-id', 'seed', '--parallel', '10'], cwd);
    expectOk(result);
    expect(readJson(join(cwd, 'generated', 'run_seed', 'results.json')).flows[0].output).toBe('SEED PROMPT');
  });

  test('an empty array output ends the flow as one succeeded leaf with output []', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([
        { type: 'list', cmd: 'echo "[]"', array: true },
        { type: 'shout', cmd: 'tr a-z A-Z' },
      ]),
    });
    const result = await run(['config.json', '--run-id', 'empty'], cwd);
    expectOk(result);
    const results = readJson(join(cwd, 'generated', 'run_empty', 'results.json'));
    expect(results).toMatchObject({ flows_total: 1, total: 1, succeeded: 1, failed: 0 });
    expect(results.flows[0]).toMatchObject({ id: 'flow_0001', branch: [], status: 'succeeded', output: '[]' });
    expect(existsSync(join(cwd, 'generated', 'run_empty', 'flow_0001', 'branch_1'))).toBe(false);
  });

  test('an empty array in a fenced json block is accepted too', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([
        { type: 'list', cmd: "printf '```json\\n[]\\n```\\n'", array: true },
        { type: 'x', cmd: 'cat' },
      ]),
    });
    const result = await run(['config.json', '--run-id', 'fenced'], cwd);
    expectOk(result);
    expect(readJson(join(cwd, 'generated', 'run_fenced', 'results.json')).flows[0]).toMatchObject({ status: 'succeeded', output: '[]' });
  });
});

describe('--run-id', () => {
  test.each([
    ['nightly-1', 'run_nightly-1'],
    ['run_nightly-2', 'run_nightly-2'],
    ['2026.11.25_x', 'run_2026.11.25_x'],
  ])('--run-id %s makes %s', async (given, expected) => {
    const cwd = scratch({ 'config.json': JSON.stringify([{ type: 'openai', prompt: 'hi' }]) });
    const result = await run(['config.json', '--offline', '--run-id', given], cwd);
    expectOk(result);
    expect(readdirSync(join(cwd, 'generated'))).toEqual([expected]);
    expect(readJson(join(cwd, 'generated', expected, 'results.json')).run_id).toBe(expected);
    expect(readJson(join(cwd, 'generated', expected, 'run.json')).run_id).toBe(expected);
  });

  test('without --run-id, two runs get two distinct run_ directories', async () => {
    const cwd = scratch({ 'config.json': JSON.stringify([{ type: 'openai', prompt: 'hi' }]) });
    expectOk(await run(['config.json', '--offline'], cwd));
    expectOk(await run(['config.json', '--offline'], cwd));
    const runs = readdirSync(join(cwd, 'generated'));
    expect(runs).toHaveLength(2);
    expect(runs.every((name) => name.startsWith('run_'))).toBe(true);
  });
});

describe('version', () => {
  test('--version and -V print the version of package.json and exit 0', async () => {
    const { version } = readJson<{ version: string }>(join(ROOT, 'package.json'));
    for (const flag of ['--version', '-V']) {
      const result = await runCliInProcess([flag], { cwd: ROOT, env: baseEnv() });
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });
});
