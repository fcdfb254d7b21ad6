/**
 * Credentials out of reach of what steps run (issue 11.3): a step, or any process it starts, walks
 * `/proc/<pid>/environ` (and cmdline) of every ancestor up to pid 1, as an attacker's test suite
 * would, and finds neither the API key, the GitHub token, the runtime token nor the runner's file
 * commands. In a CLI run, in a codex step (the real codex binary reaching the fake server through
 * the responses proxy, which alone holds the key) and in an Action run of the bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from './helpers/action.js';
import { tempOnDisk, baseEnv, expectExit, orchestrate, runCli } from './helpers/cli.js';
import { CODEX_BIN } from './helpers/codex-home.js';
import { functionCallOutputs, type RecordedRequest } from './helpers/fake-openai.js';
import { fakeOpenAI, project, scratch, track, tree } from './helpers/project.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

// the real codex runs here: its sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
tempOnDisk();

const KEY = 'sk-test-AncestorKey-7c1e9a2b4d6f';
const SECRETS = {
  OPENAI_API_KEY: KEY,
  GITHUB_TOKEN: 'ghs_runnerToken_0a1b2c3d4e5f',
  GH_TOKEN: 'gho_cliToken_5f4e3d2c1b0a',
  ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-93b1c7',
  'INPUT_GITHUB-TOKEN': 'ghs_inputToken_a9b8c7d6e5f4',
};
/** Visible on purpose: proves the walk really read the orchestrator's own environment. */
const MARKER = { MY_PLAIN_SETTING: 'visible-marker-42' };
const FILE_COMMANDS = ['GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];

/** sh: dumps environ and cmdline of this shell and every ancestor up to pid 1 into $1. */
const walker = (dump: string): string =>
  `pid=$$; while [ "$pid" -gt 1 ]; do echo "== $pid $(tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null)"; ` +
  `tr '\\0' '\\n' < /proc/$pid/environ 2>/dev/null; pid=$(awk '/^PPid:/{print $2}' /proc/$pid/status); done > ${dump}; echo walked`;

/** The ancestors' dump: what was found of each secret value and each file-command variable. */
function leaks(dump: string, secrets: Record<string, string>): { pids: number; marker: boolean; found: string[] } {
  const text = readFileSync(dump, 'utf8');
  const found = [
    ...Object.entries(secrets)
      .filter(([, value]) => text.includes(value))
      .map(([name]) => name),
    ...FILE_COMMANDS.filter((name) => new RegExp(`^${name}=`, 'm').test(text)),
  ];
  return { pids: text.split('\n').filter((l) => l.startsWith('== ')).length, marker: text.includes(MARKER.MY_PLAIN_SETTING), found };
}

function fileCommands(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-filecmd-'));
  const files: Record<string, string> = {};
  for (const name of FILE_COMMANDS) {
    files[name] = join(dir, name.toLowerCase());
    writeFileSync(files[name], '');
  }
  return files;
}

test('CLI: a cmd step walking every ancestor /proc/<pid>/environ finds no key, token or file command', async () => {
  const dump = join(scratch(), 'ancestors.txt');
  const dir = project([{ type: 'walk', cmd: walker(dump) }]);
  const o = await orchestrate(dir, [], { ...SECRETS, ...MARKER, ...fileCommands() });
  expectExit(o, 0);
  const seen = leaks(dump, SECRETS);
  expect(seen.pids).toBeGreaterThanOrEqual(2); // the shell and orchestrator at least
  expect(seen.marker).toBe(true);
  expect(seen.found).toEqual([]);
}, 30_000);

/** The fake model: runs the prompt's `RUN: <command>` through codex's exec_command tool, then ends the turn. */
function actor(req: RecordedRequest): { toolCommand: string } | { text: string } {
  if (functionCallOutputs(req).length > 0) return { text: 'done' };
  const run = /^RUN: (.*)$/m.exec(req.prompt);
  return run ? { toolCommand: run[1]! } : { text: 'nothing to run' };
}

test('codex through the responses proxy: the server gets the key, codex and its commands hold it nowhere up the tree', async () => {
  const server = await fakeOpenAI(actor);
  const home = track(scratch({ 'config.toml': '[analytics]\nenabled = false\n\n[features]\nplugins = false\n' }));
  const dump = join(scratch(), 'ancestors.txt');
  const dir = project([{ type: 'codex', prompt: `RUN: ${walker(dump)}`, sandbox: 'danger-full-access' }]);
  const o = await orchestrate(
    dir,
    ['--codex-path', CODEX_BIN, '--base-url', server.url],
    {
      CODEX_HOME: home,
      HOME: home, // see codexEnv: no login profile for codex's shells
      ...SECRETS,
      ...MARKER,
      ...fileCommands(),
    },
    { timeoutMs: 45_000 },
  );
  expectExit(o, 0);
  const calls = server.requests.filter((r) => r.path === '/v1/responses');
  expect(calls.length).toBe(2); // the tool call, then the answer to its output
  for (const call of calls) expect(call.headers.authorization).toBe(`Bearer ${KEY}`);
  expect(functionCallOutputs(calls[1]!)[0]!.output).toContain('walked');
  const seen = leaks(dump, SECRETS);
  expect(seen.pids).toBeGreaterThanOrEqual(4); // sh, codex (native), codex's node launcher, orchestrator
  expect(seen.marker).toBe(true);
  expect(seen.found).toEqual([]);
}, 60_000);

test('Action: a cmd step walking every ancestor finds neither the API key, the github-token input nor ACTIONS_RUNTIME_TOKEN', async () => {
  const dump = join(scratch(), 'ancestors.txt');
  const workspace = scratch({ 'config.json': JSON.stringify([{ type: 'walk', cmd: walker(dump) }]) });
  const result = await runAction(
    { config: 'config.json', 'openai-api-key': KEY, 'github-token': SECRETS['INPUT_GITHUB-TOKEN'], upload: 'false' },
    // a child process: what its ancestors' /proc/<pid>/environ show is the test (the shelter's re-exec)
    {
      workspace,
      env: { ...MARKER, GITHUB_TOKEN: SECRETS.GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN: SECRETS.ACTIONS_RUNTIME_TOKEN },
      child: true,
    },
  );
  expect(result.code).toBe(0);
  expect(existsSync(dump)).toBe(true);
  const seen = leaks(dump, { ...SECRETS, 'INPUT_OPENAI-API-KEY': KEY });
  expect(seen.pids).toBeGreaterThanOrEqual(2);
  expect(seen.marker).toBe(true);
  expect(seen.found).toEqual([]);
  // the outputs still reached the runner's GITHUB_OUTPUT, though no child could see where it is
  expect(result.outputs.succeeded).toBe('1');
  // both secrets are masked in the log
  expect(result.stdout).toContain(`::add-mask::${KEY}`);
  expect(result.stdout).toContain(`::add-mask::${SECRETS['INPUT_GITHUB-TOKEN']}`);
}, 30_000);

test('--base-url credentials (user:password@, a key in the query) are never written: run.json keeps the URL with *** in their place', async () => {
  const dir = project([{ type: 'openai', name: 'ask', prompt: 'hello' }]);
  const url = 'http://alice:s3cret-Passw0rd@127.0.0.1:9/v1?api-key=k3y-in-the-query-77';
  const o = await orchestrate(dir, ['--offline', '--base-url', url]);
  expectExit(o, 0);
  const runJson = JSON.parse(readFileSync(join(o.runDir, 'run.json'), 'utf8'));
  expect(runJson.options.base_url).toBe('http://***:***@127.0.0.1:9/v1?api-key=***');
  for (const file of tree(join(dir, 'generated'))) {
    const text = readFileSync(join(dir, 'generated', file), 'utf8');
    expect({ file, password: text.includes('s3cret-Passw0rd'), query: text.includes('k3y-in-the-query-77') }).toEqual({
      file,
      password: false,
      query: false,
    });
  }
}, 30_000);

test('CLI: a step sending SIGUSR1 to orchestrator opens no inspector (which would give it the process memory, keys included)', async () => {
  const dir = project([{ type: 'poke', cmd: 'kill -USR1 $PPID && sleep 1 && echo poked' }]);
  const o = await orchestrate(dir, [], { OPENAI_API_KEY: KEY });
  expectExit(o, 0);
  expect(o.results.flows[0].output).toBe('poked\n');
  expect(o.stderr).not.toContain('Debugger listening');
}, 30_000);

/** The walked ancestors' command lines that run bin/orchestrator.js. */
function orchestratorCommandLines(dump: string): string[] {
  return readFileSync(dump, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('== ') && line.includes('orchestrator.js'));
}

test('CLI: the re-exec that hides secrets happens only when there is one (issue 27.7)', async () => {
  // the re-executed process runs with --disable-sigusr1 added: its command line shows whether it happened
  const plain = join(scratch(), 'plain.txt');
  const o = await orchestrate(project([{ type: 'walk', cmd: walker(plain) }]), [], MARKER);
  expectExit(o, 0);
  const withoutKey = orchestratorCommandLines(plain);
  expect(withoutKey.length).toBe(1);
  expect(withoutKey[0]).not.toContain('--disable-sigusr1');

  const keyed = join(scratch(), 'keyed.txt');
  const k = await orchestrate(project([{ type: 'walk', cmd: walker(keyed) }]), [], { OPENAI_API_KEY: KEY, ...MARKER });
  expectExit(k, 0);
  const withKey = orchestratorCommandLines(keyed);
  expect(withKey.length).toBe(1);
  expect(withKey[0]).toContain('--disable-sigusr1');
  expect(leaks(keyed, { OPENAI_API_KEY: KEY }).found).toEqual([]);
}, 30_000);

test('CLI: --help and --version with a key set start no re-exec and write no hand-over file (issue 27.7)', async () => {
  // TMPDIR is a plain file: a hand-over file could not be made there, so the run would fail if it tried
  const notADirectory = join(scratch({ 'file.txt': 'x' }), 'file.txt');
  const dir = project([{ type: 'walk', cmd: 'true' }]);
  for (const args of [['--help'], ['--version'], ['report', '--help']]) {
    const o = await runCli(args, { cwd: dir, env: baseEnv({ OPENAI_API_KEY: KEY, TMPDIR: notADirectory }) });
    expect({ args, code: o.code, stderr: o.stderr }).toEqual({ args, code: 0, stderr: '' });
    expect(o.stdout.length).toBeGreaterThan(0);
  }
}, 30_000);
