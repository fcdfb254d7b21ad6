import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPILED_BIN as BIN, baseEnv, packageBin, runNodeProcess } from './helpers/cli.js';

// Start-up pays only for what a command uses (issue 27.7): which modules the built CLI loads is an
// invariant a test can hold, where a start-up time is not. A loader hook given with --import lists
// every module the process loads into a file. It runs the CLI from build/ (COMPILED_BIN), whose
// modules are separate files; the npm package's one-file bundle would list one.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'orchestrator-startup-'));
  writeFileSync(
    join(dir, 'hook.mjs'),
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const loaded = [];',
      'registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });',
      "process.on('exit', () => writeFileSync(process.env.LOADED_LIST, loaded.join('\\n')));",
    ].join('\n'),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', prompt: 'Say {{{a}}}' }]));
  writeFileSync(join(dir, 'a.txt'), 'x\n');
  writeFileSync(join(dir, 'a.list'), 'a.txt\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules `orchestrator ...args` loaded: our compiled ones as `engine/run.js`, node's as `node:http`. */
async function modulesLoaded(args: readonly string[], extra: Record<string, string> = {}): Promise<string[]> {
  const list = join(dir, `loaded-${args[0]}.txt`);
  const o = await runNodeProcess(['--import', join(dir, 'hook.mjs'), BIN, ...args], {
    cwd: dir,
    env: baseEnv({ LOADED_LIST: list, ...extra }),
    timeoutMs: 60_000,
    what: `orchestrator ${args.join(' ')}`,
  });
  expect({ args, code: o.code, stderr: o.code === 0 ? '' : o.stderr }).toEqual({ args, code: 0, stderr: '' });
  return readFileSync(list, 'utf8')
    .split('\n')
    .map((url) => url.replace(/^file:.*\/build\//, ''));
}

// engine/options.js is pure (the table's --base-url parser uses it)
const ENGINE = /^(engine\/(?!options\.js)|steps|report|results|cache|apply|patches|progress)\//;

test('--help and --version load neither the engine, the steps, the report nor node:http', async () => {
  for (const args of [['--help'], ['--version'], ['run', '--help'], ['report', '--help']]) {
    const loaded = await modulesLoaded(args, { OPENAI_API_KEY: 'sk-startup-test-key' });
    expect({ args, heavy: loaded.filter((m) => ENGINE.test(m) || m === 'node:http') }).toEqual({ args, heavy: [] });
    expect(loaded).toContain('cli/main.js');
  }
}, 120_000);

test('plan loads no runner and no report; an offline run without codex steps loads neither the key proxy nor node:http', async () => {
  const plan = await modulesLoaded(['plan', 'config.json', '--shards', '1', '--key', 'a:a.list']);
  // (its checks are a run's: prepare's, which look at the workdir with git)
  expect(
    plan.filter((m) => /^(report|apply|progress|cache)\/|^steps\/(factory|cmd|codex|openai|proxy)/.test(m) || m === 'engine/run.js'),
  ).toEqual([]);
  const run = await modulesLoaded(['run', 'config.json', '--key', 'a:a.list', '--offline', '--output', join(dir, 'generated')]);
  expect(run).toContain('engine/run.js');
  expect(run.filter((m) => m === 'steps/proxy.js' || m === 'node:http' || m === 'node:https' || /^(apply|report\/merge)/.test(m))).toEqual(
    [],
  );
}, 120_000);

test('the npm package loads its bundle once for a run with a key: bin hides the key (a re-exec) before loading it', async () => {
  const hook = join(dir, 'bundle-loads.mjs');
  // appended at each load: the re-exec replaces the process, which never reaches its exit
  writeFileSync(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      "registerHooks({ load(url, context, next) { if (url.endsWith('/build/package/index.js')) appendFileSync(process.env.LOADS, url + '\\n'); return next(url, context); } });",
    ].join('\n'),
  );
  const loads = join(dir, 'bundle-loads.txt');
  const args = ['run', 'config.json', '--key', 'a:a.list', '--offline', '--output', join(dir, 'generated')];
  const o = await runNodeProcess(['--import', hook, packageBin(), ...args], {
    cwd: dir,
    env: baseEnv({ LOADS: loads, OPENAI_API_KEY: 'sk-startup-test-key' }),
    timeoutMs: 60_000,
    what: `orchestrator ${args.join(' ')}`,
  });
  expect({ code: o.code, stderr: o.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(existsSync(loads) ? readFileSync(loads, 'utf8').trim().split('\n').length : 0).toBe(1);
}, 60_000);
