/**
 * `--values NAME:FILE` through the CLI (in the jest process): each line is what `{{{NAME}}}` stands for (data in a
 * cmd step, text in a prompt), mixed with `--key` in the order given; run, `plan` and `--dry-run`
 * count the same flows; results.json and `report` show the value; bad input stops before anything runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import { keyFiles, project } from './helpers/project.js';

const CONFIG = [
  { type: 'openai', name: 'ask', prompt: 'Look up {{{id}}} in {{{doc}}}' },
  { type: 'echo', cmd: 'printf "%s|%s|%s" {{{id}}} "{{{doc:path}}}" "$(cat)"' },
];
// the second value would run commands if it were shell syntax
const IDS = 'A-1\n\n$(touch pwned) `touch pwned2`\r\n';
const files = (): Record<string, string> => ({
  'ids.txt': IDS,
  ...keyFiles('docs.list', { 'docs/x.md': 'doc X', 'docs/y.md': 'doc Y' }),
});

describe('--values', () => {
  test('each line is the value: in prompts and commands, in the order of the flags, in results.json and report', async () => {
    const dir = project(CONFIG, files());
    const o = await orchestrateInProcess(dir, ['--offline', '--values', 'id:ids.txt', '--key', 'doc:docs.list']);
    expectExit(o, 0);
    // id varies slowest: it came first
    const leaves = o.results.flows.map((f: { keys: unknown; output: string }) => [f.keys, f.output]);
    const injected = '$(touch pwned) `touch pwned2`';
    expect(leaves).toEqual([
      [{ id: 'A-1', doc: 'docs/x.md' }, 'A-1|docs/x.md|Look up A-1 in doc X'],
      [{ id: 'A-1', doc: 'docs/y.md' }, 'A-1|docs/y.md|Look up A-1 in doc Y'],
      [{ id: injected, doc: 'docs/x.md' }, `${injected}|docs/x.md|Look up ${injected} in doc X`],
      [{ id: injected, doc: 'docs/y.md' }, `${injected}|docs/y.md|Look up ${injected} in doc Y`],
    ]);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
    const record = JSON.parse(readFileSync(join(o.runDir, 'run.json'), 'utf8'));
    expect(record.keys).toEqual([
      { name: 'id', file: 'ids.txt', lines: 2, values: true },
      { name: 'doc', file: 'docs.list', lines: 2 },
    ]);

    const report = await runCliInProcess(['report', 'generated', '--format', 'text'], { cwd: dir, env: baseEnv() });
    expectExit(report, 0);
    expect(report.stdout).toContain('id: A-1, doc: docs/x.md');
    const markdown = await runCliInProcess(['report', 'generated', '--format', 'markdown'], { cwd: dir, env: baseEnv() });
    expect(markdown.stdout).toContain('id: A-1<br>doc: docs/x.md');
  });

  test('the other order gives the other product; plan and --dry-run count the same flows', async () => {
    const dir = project(CONFIG, files());
    const args = ['--key', 'doc:docs.list', '--values', 'id:ids.txt'];
    const o = await orchestrateInProcess(dir, ['--offline', ...args]);
    expectExit(o, 0);
    expect(o.results.flows.map((f: { keys: Record<string, string> }) => Object.values(f.keys).join(' '))).toEqual([
      'docs/x.md A-1',
      'docs/x.md $(touch pwned) `touch pwned2`',
      'docs/y.md A-1',
      'docs/y.md $(touch pwned) `touch pwned2`',
    ]);
    const plan = await runCliInProcess(['plan', 'config.json', '--shards', '3', ...args], { cwd: dir, env: baseEnv() });
    expectExit(plan, 0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ total: 4, matrix: { include: [{ flows: 2 }, { flows: 1 }, { flows: 1 }] } });
    const dry = await runCliInProcess(['config.json', '--offline', '--dry-run=all', ...args], { cwd: dir, env: baseEnv() });
    expectExit(dry, 0);
    expect(dry.stdout).toContain('flows: 4');
    expect(dry.stdout).toContain('flow_0002  doc=docs/x.md  id=$(touch pwned) `touch pwned2`');
    expect(dry.stdout).toContain('Look up A-1 in doc Y');
  });

  test('bad input: every problem named with its flag and value, exit 2, nothing run', async () => {
    const dir = project([{ type: 'openai', prompt: 'Find {{{id:path}}} and {{{tag}}}' }], { 'empty.txt': '\n\n', 'ids.txt': '1\n' });
    const o = await orchestrateInProcess(dir, [
      '--offline',
      '--values',
      'id:ids.txt',
      '--values',
      'tag:missing.txt',
      '--values',
      'id:empty.txt',
    ]);
    expectExit(o, 2);
    expect(o.stderr).toContain('--values tag:missing.txt: values file "missing.txt" does not exist');
    expect(o.stderr).toContain('--values id:empty.txt: key "id" is given twice');
    expect(o.stderr).toContain('{{{id:path}}} in "prompt": --values id lists values, not files, so there is no path: write {{{id}}}');
    expect(existsSync(o.runDir)).toBe(false);

    const empty = await orchestrateInProcess(dir, ['--offline', '--values', 'id:empty.txt', '--values', 'tag:ids.txt']);
    expectExit(empty, 2);
    expect(empty.stderr).toContain('--values id:empty.txt: values file "empty.txt" is empty; it should list one value per line');

    const badName = await orchestrateInProcess(dir, ['--offline', '--values', 'my id:ids.txt']);
    expectExit(badName, 2);
    expect(badName.stderr).toContain(`option '--values <name:file>' argument 'my id:ids.txt' is invalid`);

    const clash = await orchestrateInProcess(dir, [
      '--offline',
      '--key',
      'id:ids.txt',
      '--values',
      'id:ids.txt',
      '--values',
      'tag:ids.txt',
    ]);
    expectExit(clash, 2);
    expect(clash.stderr).toContain('--values id:ids.txt: key "id" is also given by --key id:ids.txt');
  });
});
