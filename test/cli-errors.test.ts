/**
 * Must-reject inputs: every case of test/corpus/reject/ must exit 2 before anything runs, say what
 * is wrong (file, step, field), print no stack trace and write nothing. See the corpus README.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { baseEnv, readJson, ROOT } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { scratch } from './helpers/project.js';

type FileSpec =
  | string
  | { dir: true }
  | { base64: string }
  | { parts: Array<string | { repeat: string; times: number }> }
  | { symlink: string }
  | { fifo: true };

interface RejectCase {
  why: string;
  config?: unknown;
  files?: Record<string, FileSpec>;
  env?: Record<string, string | null>;
  before?: Array<{ args: string[] }>;
  edit?: Record<string, FileSpec>;
  args: string[];
  expect: string[];
  errors?: number;
}

const CORPUS = join(ROOT, 'test', 'corpus', 'reject');
const cases: Array<[string, RejectCase]> = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => [name.replace(/\.json$/, ''), readJson<RejectCase>(join(CORPUS, name))]);

function writeSpec(root: string, path: string, spec: FileSpec): void {
  const target = join(root, path);
  if (typeof spec === 'object' && 'dir' in spec) {
    mkdirSync(target, { recursive: true });
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  if (typeof spec === 'object' && 'symlink' in spec) symlinkSync(spec.symlink, target);
  else if (typeof spec === 'object' && 'fifo' in spec) execFileSync('mkfifo', [target]);
  else if (typeof spec === 'string') writeFileSync(target, spec);
  else if ('base64' in spec) writeFileSync(target, Buffer.from(spec.base64, 'base64'));
  else writeFileSync(target, spec.parts.map((part) => (typeof part === 'string' ? part : part.repeat.repeat(part.times))).join(''));
}

/** Every path under `root` with its kind and a hash of its contents: what "nothing was written" compares. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = prefix + name;
      const stats = lstatSync(path);
      if (stats.isSymbolicLink()) {
        out[rel] = `link to ${readlinkSync(path)}`;
      } else if (stats.isFIFO()) {
        out[rel] = 'fifo';
      } else if (stats.isDirectory()) {
        out[rel + '/'] = 'dir';
        visit(path, rel + '/');
      } else {
        out[rel] = createHash('sha1').update(readFileSync(path)).digest('hex');
      }
    }
  };
  visit(root, '');
  return out;
}

function envFor(c: RejectCase): Record<string, string> {
  const extra: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(c.env ?? {})) extra[name] = value === null ? undefined : value;
  return baseEnv(extra);
}

const STACK = /^\s+at /m;

describe('must-reject corpus', () => {
  test('the corpus is large enough', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  test.each(cases)('%s', async (_name, c) => {
    const cwd = scratch();
    if (c.config !== undefined) writeFileSync(join(cwd, 'config.json'), JSON.stringify(c.config, null, 2) + '\n');
    for (const [path, spec] of Object.entries(c.files ?? {})) writeSpec(cwd, path, spec);
    const env = envFor(c);
    for (const before of c.before ?? []) {
      const result = await runCliInProcess(before.args, { cwd, env });
      expect({ args: before.args, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    }
    for (const [path, spec] of Object.entries(c.edit ?? {})) writeSpec(cwd, path, spec);
    const before = snapshot(cwd);
    const hadGenerated = existsSync(join(cwd, 'generated'));

    const result = await runCliInProcess(c.args, { cwd, env });

    // one object, so a failure shows the case, the exit code and the whole stderr together
    expect({ why: c.why, code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 2, signal: null });
    for (const fragment of c.expect) {
      if (!result.stderr.includes(fragment)) throw new Error(`${c.why}\nstderr lacks ${JSON.stringify(fragment)}:\n${result.stderr}`);
    }
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stdout).not.toMatch(STACK);
    expect(result.stderr).not.toContain('internal error');
    if (c.errors !== undefined) {
      const lines = result.stderr.split('\n').filter((line) => line.startsWith('orchestrator: error:'));
      expect({ stderr: result.stderr, errors: lines.length }).toMatchObject({ errors: c.errors });
    }
    // nothing written: generated/ absent (or exactly as the "before" runs left it), no other file touched
    if (!hadGenerated) expect(existsSync(join(cwd, 'generated'))).toBe(false);
    expect(snapshot(cwd)).toEqual(before);
  });
});

describe('warnings are not errors', () => {
  test('an unused --key warns and the run still goes on (offline)', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([{ type: 'openai', name: 'draft', prompt: 'Say hi' }]),
      'docs.txt': 'docs/a.md\ndocs/b.md\n',
      'docs/a.md': 'A',
      'docs/b.md': 'B',
    });
    const result = await runCliInProcess(['config.json', '--offline', '--key', 'doc:docs.txt', '--run-id', 'w'], { cwd, env: baseEnv() });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.stderr).toMatch(/warning:.*doc/);
    expect(result.stderr).not.toContain('error:');
    const results = readJson(join(cwd, 'generated', 'run_w', 'results.json'));
    // the unused key still multiplies the flows
    expect(results).toMatchObject({ flows_total: 2, total: 2, succeeded: 2, failed: 0, cancelled: 0 });
  });

  test('an unused --key next to a used one warns about the unused one only', async () => {
    const cwd = scratch({
      'config.json': JSON.stringify([{ type: 'openai', prompt: 'About {{{doc}}}' }]),
      'docs.txt': 'docs/a.md\n',
      'extra.txt': 'docs/a.md\n',
      'docs/a.md': 'A',
    });
    const result = await runCliInProcess(
      ['config.json', '--offline', '--key', 'doc:docs.txt', '--key', 'extra:extra.txt', '--run-id', 'w'],
      {
        cwd,
        env: baseEnv(),
      },
    );
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    const warnings = result.stderr.split('\n').filter((line) => line.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('extra');
  });
});

describe('the command line itself', () => {
  test('an unknown option, a missing config and a bad choice read like every other error: "orchestrator: error:", a hint, exit 2', async () => {
    const cwd = scratch({ 'config.json': '[{"type": "openai", "prompt": "hi"}]' });
    const cases: [string[], RegExp][] = [
      [['config.json', '--ofline'], /^orchestrator: error: unknown option '--ofline'\n\(Did you mean --offline\?\)/],
      [[], /^orchestrator: error: missing required argument 'config'\n\(run orchestrator --help for usage\)/],
      [['report', '.', '--format', 'x'], /^orchestrator: error: option '--format <format>' argument 'x' is invalid/],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCliInProcess(args, { cwd, env: baseEnv() });
      expect([args, result.code]).toEqual([args, 2]);
      expect(result.stderr).toMatch(stderr);
    }
  });
});
