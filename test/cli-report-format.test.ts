import { beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, baseEnv } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { scratch } from './helpers/project.js';
import { envPrefix, hasTmux, inTmux } from './helpers/tmux.js';

/**
 * `orchestrator report` prints text on a terminal, today's Markdown to a pipe, and what --format
 * asks. The step's reply lies: it tries to recolour the terminal and holds everything Markdown
 * escapes (quotes, parentheses, underscores, angle brackets, a literal <br>).
 */
const REPLY = String.raw`printf '\033[31mRED("x") <br> ANS<a> node_modules\n'; cat`;
const CONFIG = JSON.stringify([{ name: 'shout', type: 'shout', cmd: REPLY }]);
const DEEP = 'src/very/long/directory/prefix/that/every/row/shares/node_modules/pkg';
const FILES = Object.fromEntries([1, 2, 3].map((i) => [`${DEEP}/file_${i}.txt`, `content ${i}`]));

let dir: string;

beforeAll(async () => {
  dir = scratch({ 'config.json': CONFIG, ...FILES, 'keys.txt': Object.keys(FILES).join('\n') + '\n' });
  const run = await runCliInProcess(['config.json', '--key', 'doc:keys.txt', '--output', 'gen', '--run-id', 'one'], {
    cwd: dir,
    env: baseEnv(),
  });
  expect(run.code).toBe(0);
  for (const shard of ['1/2', '2/2']) {
    const out = `shards/${shard.replace('/', '-of-')}`;
    const sharded = await runCliInProcess(['config.json', '--key', 'doc:keys.txt', '--output', out, '--run-id', 'two', '--shard', shard], {
      cwd: dir,
      env: baseEnv(),
    });
    expect(sharded.code).toBe(0);
  }
}, 60_000);

const MARKDOWN_ESCAPES = /&#\d+;|&quot;|&lt;|&gt;|&amp;/;

describe('report on a terminal', () => {
  (hasTmux ? test : test.skip)('prints an aligned plain table at 80 columns, no entities, no escape sequence obeyed', () => {
    const screen = inTmux(dir, `${envPrefix()} ${process.execPath} ${BIN} report gen/run_one 2>/dev/null`, { escapes: true });
    expect(screen).toMatch(/^EXIT:0$/m);
    const lines = screen.split('\n');
    const header = lines.findIndex((l) => /^flow +keys +status +duration +tokens +output/.test(l));
    expect(header).toBeGreaterThan(-1);
    const rows = lines.slice(header + 1, header + 4);
    expect(rows).toEqual([1, 2, 3].map((i) => expect.stringMatching(new RegExp(`^flow_000${i} +doc: .*….*file_${i}\\.txt +succeeded`))));
    // aligned: the status column starts at the same place on every row, and no row wraps
    const at = lines[header]!.indexOf('status');
    for (const row of rows) {
      expect(row.indexOf('succeeded')).toBe(at);
      expect([...row].length).toBeLessThanOrEqual(80);
      // the reply as written, not as Markdown escaped it; its ESC shown as ␛, not obeyed
      expect(row).toContain('␛[31mRED("x") <br>');
    }
    expect(screen).not.toMatch(MARKDOWN_ESCAPES);
    // capture-pane -e draws colours as SGR sequences: the reply recoloured nothing
    expect(screen).not.toContain('\x1b[31m');
    expect(lines.some((l) => /^3 flows \(3 results\) · 3 succeeded · 0 failed/.test(l))).toBe(true);
  });
});

describe('report in a pipe', () => {
  test('keeps printing the Markdown summary (as before), the same as --format markdown', async () => {
    const piped = await runCliInProcess(['report', 'gen/run_one'], { cwd: dir, env: baseEnv() });
    const markdown = await runCliInProcess(['report', 'gen/run_one', '--format', 'markdown'], { cwd: dir, env: baseEnv() });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain('| flow | keys | status | duration | tokens | output |');
    expect(piped.stdout).toContain('node&#95;modules');
    expect(markdown.stdout).toBe(piped.stdout);
    // printed to a terminal too (`report --format markdown | less -R`, or a shell's own tty): the reply's ESC is shown, not obeyed
    expect(markdown.stdout).not.toContain('\x1b');
    expect(markdown.stdout).toContain('␛&#91;31mRED');
  });

  test('--format text: the plain table, control characters neutralised, no row cut without a terminal', async () => {
    const result = await runCliInProcess(['report', 'gen/run_one', '--format', 'text'], { cwd: dir, env: baseEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(MARKDOWN_ESCAPES);
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stdout).toMatch(/^flow +keys +status +duration +tokens +output$/m);
    expect(result.stdout).toContain(`doc: ${DEEP}/file_2.txt`);
    expect(result.stdout).toContain('␛[31mRED("x") <br> ANS<a> node_modules');
  });

  test('--format json: the merged results as results.json holds them', async () => {
    const result = await runCliInProcess(['report', 'gen/run_one', '--format', 'json'], { cwd: dir, env: baseEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, 'gen/run_one/results.json'), 'utf8'));
    const parsed = JSON.parse(result.stdout) as { run_id: string; flows: { output: string }[] };
    expect(parsed.run_id).toBe('run_one');
    expect(parsed.flows[0]!.output).toContain('\x1b[31mRED');
  });

  test('a bad --format names the flag, the value and the choices (exit 2)', async () => {
    const result = await runCliInProcess(['report', 'gen/run_one', '--format', 'html'], { cwd: dir, env: baseEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format.*html.*text, markdown, json/);
  });
});

describe('report over several run trees without --output', () => {
  test('says on stderr that no merged results were written; json still prints the merged results', async () => {
    const text = await runCliInProcess(['report', 'shards/1-of-2', 'shards/2-of-2', '--format', 'text'], { cwd: dir, env: baseEnv() });
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/no merged results\.json or report\.html was written.*pass --output DIR/);
    expect(text.stdout).toMatch(/^flow_0003 /m);
    const json = await runCliInProcess(['report', 'shards/1-of-2', 'shards/2-of-2', '--format', 'json'], { cwd: dir, env: baseEnv() });
    const parsed = JSON.parse(json.stdout) as { run_id: string; total: number; flows: { id: string }[] };
    expect(parsed.run_id).toBe('run_two');
    expect(parsed.flows.map((f) => f.id)).toEqual(['flow_0001', 'flow_0002', 'flow_0003']);
    const withOutput = await runCliInProcess(['report', 'shards/1-of-2', 'shards/2-of-2', '--output', 'merged'], {
      cwd: dir,
      env: baseEnv(),
    });
    expect(withOutput.stderr).not.toContain('no merged results');
  });
});

describe('report given the wrong directory', () => {
  test('two runs under it: names them and shows how to report one; a path that is not there says so', async () => {
    const both = await runCliInProcess(['report', 'gen', 'shards/1-of-2'], { cwd: dir, env: baseEnv() });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(
      /^orchestrator: error: more than one run found \(run_one, run_two\): report one run at a time, by its directory \(e\.g\. orchestrator report \S*shards\/1-of-2\/run_two\)$/m,
    );
    const missing = await runCliInProcess(['report', 'gen/run_nosuch'], { cwd: dir, env: baseEnv() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gen\/run_nosuch: does not exist$/m);
  });
});
