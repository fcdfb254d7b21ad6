/**
 * The CLI (in the jest process, test/helpers/cli-inprocess.ts) running codex steps: the real `codex exec` binary against the
 * loopback fake server, and a stand-in `codex` script that records how it was called. Also what
 * child processes (codex, cmd) may see of the environment, and that no secret reaches generated/.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempOnDisk, expectExit, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as run } from './helpers/cli-inprocess.js';
import { CODEX_BIN, codexEnv, makeCodexHome } from './helpers/codex-home.js';
import { survivors } from './helpers/processes.js';
import { fakeOpenAI, project, scratch, track, tree } from './helpers/project.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

const KEY = 'sk-test-codex-0123456789abcdef';
const SERVICE_TOKEN = 'svc-token-7f3a9c2e41d8';

/** A CODEX_HOME whose config.toml turns off analytics and plugins and defines no provider. */
function bareCodexHome(): string {
  return scratch({ 'config.toml': '[analytics]\nenabled = false\n\n[features]\nplugins = false\n' });
}

/** `orchestrator config.json --run-id t ...args` in dir, given 45 s: codex runs take longer. */
const orchestrate = (dir: string, args: string[], env: Record<string, string | undefined>): Promise<Outcome> =>
  run(dir, args, env, { timeoutMs: 45_000 });

const events = (path: string): any[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

/**
 * A stand-in `codex`: records its argv (one per line), environment and stdin under
 * $DUMP_DIR/<step dir name>/, writes the --output-last-message file, prints JSON events.
 * FAKE_CODEX_MODE=fail prints turn.failed instead; =leak echoes MY_SERVICE_TOKEN and the key.
 */
function standInCodex(): { path: string; dump: string } {
  const dir = scratch();
  const dump = join(dir, 'dump');
  const path = writeStandInCodex(
    dir,
    `#!/bin/sh
# the sandbox probe (codex sandbox -- true): this stand-in's sandbox always works
if [ "$1" = "sandbox" ]; then exit 0; fi
${CODEX_OPTIONS}
out="$DUMP_DIR/$(basename "$(dirname "$final")")"
mkdir -p "$out"
for a in "$@"; do printf '%s\\n' "$a"; done > "$out/argv.txt"
env > "$out/env.txt"
cat > "$out/stdin.txt"
${TURN_STARTED}
case "$FAKE_CODEX_MODE" in
  fail)
    echo '{"type":"turn.failed","error":{"message":"stand-in turn failed"}}'
    exit 0;;
  error)
    echo '{"type":"error","message":"stand-in stream error"}'
    exit 0;;
  reconnect)
    echo '{"type":"error","message":"Reconnecting... 1/5 (stream disconnected before completion)"}'
    printf 'stand-in final' > "$final";;
  leak)
    echo "stand-in stderr sees $MY_SERVICE_TOKEN and $CODEX_API_KEY" >&2
    echo "{\\"type\\":\\"item.completed\\",\\"item\\":{\\"type\\":\\"agent_message\\",\\"text\\":\\"$MY_SERVICE_TOKEN $CODEX_API_KEY\\"}}"
    printf 'final %s %s' "$MY_SERVICE_TOKEN" "$CODEX_API_KEY" > "$final";;
  *)
    printf 'stand-in final' > "$final";;
esac
${turnCompleted(2)}
`,
  );
  return { path, dump };
}

/** The environment file a stand-in or `env` wrote, as a map. */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(line.slice(0, eq))) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** Live processes whose environment holds this exact NAME=value entry. */
function processesWithEnv(entry: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${name}/stat`, 'utf8'))) continue; // a zombie awaiting its reaper
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry)) found.push(Number(name));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** Credentials of a GitHub runner that no child may see. */
const RUNNER_SECRETS = {
  GITHUB_TOKEN: 'ghs_runner_token_abcdef123456',
  GH_TOKEN: 'gho_cli_token_abcdef123456',
  ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-abcdef',
  ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/id',
  'INPUT_OPENAI-API-KEY': KEY,
  INPUT_CONFIG: 'config.json',
};
const HIDDEN_FROM_ALL = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'INPUT_OPENAI-API-KEY',
  'INPUT_CONFIG',
];

describe('codex steps with the real codex binary and the fake server', () => {
  // the real codex's sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
  tempOnDisk();

  test('runs codex exec: step files, JSON events, final message printed and in results.json, usage', async () => {
    const server = await fakeOpenAI((req) => ({
      text: `codex says: ${req.prompt.split('\n')[0]}`,
      usage: { input_tokens: 21, output_tokens: 8, cached_input_tokens: 16 },
    }));
    const home = track(makeCodexHome(server.url));
    const dir = project([
      { type: 'shout', cmd: 'echo from-cmd' },
      { type: 'codex', prompt: 'Apply the plan.', model: 'gpt-5.4' },
    ]);
    const o = await orchestrate(dir, ['--codex-path', CODEX_BIN], { ...codexEnv(home), OPENAI_API_KEY: KEY });
    expectExit(o, 0);
    // run.json names the codex release that ran
    expect(JSON.parse(readFileSync(join(o.runDir, 'run.json'), 'utf8')).codex_version).toMatch(/^codex-cli \d+\.\d+\.\d+/);

    // the prompt codex sent is the assembled one
    const calls = server.requests.filter((r) => r.path === '/v1/responses');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body.stream).toBe(true);
    expect(calls[0]!.prompt).toBe('Apply the plan.\n\nfrom-cmd\n');

    const stepDir = join(o.runDir, 'flow_0001', 'codex_exec_2');
    expect(readFileSync(join(stepDir, 'prompt.txt'), 'utf8')).toBe('Apply the plan.\n\nfrom-cmd\n');
    const stream = events(join(stepDir, 'stdout.txt'));
    expect(stream.map((e) => e.type)).toEqual(
      expect.arrayContaining(['thread.started', 'turn.started', 'item.completed', 'turn.completed']),
    );
    expect(stream.find((e) => e.type === 'item.completed' && e.item?.type === 'agent_message')?.item.text).toBe(
      'codex says: Apply the plan.',
    );
    expect(existsSync(join(stepDir, 'stderr.txt'))).toBe(true);
    expect(readFileSync(join(stepDir, 'final_message.txt'), 'utf8')).toBe('codex says: Apply the plan.');

    // the final message's path is printed on stdout (relative to the cwd)
    expect(o.stdout.trim().split('\n')).toEqual([join('generated', 'run_t', 'flow_0001', 'codex_exec_2', 'final_message.txt')]);

    const flow = o.results.flows[0];
    expect(flow.status).toBe('succeeded');
    expect(flow.final_message).toBe('flow_0001/codex_exec_2/final_message.txt');
    expect(existsSync(join(o.runDir, flow.final_message))).toBe(true);
    expect(flow.output).toBe('codex says: Apply the plan.');
    const turn = stream.find((e) => e.type === 'turn.completed');
    expect(flow.steps[1]).toMatchObject({
      type: 'codex',
      status: 'succeeded',
      usage: { input_tokens: turn.usage.input_tokens, output_tokens: turn.usage.output_tokens },
    });
    // codex reports the server's cached tokens as cached_input_tokens; gpt-5.4 costs $2.50 per 1M
    // input tokens, $0.25 per 1M cached ones and $15 per 1M output tokens
    const cost = ((21 - 16) * 2.5 + 16 * 0.25 + 8 * 15) / 1e6;
    expect(turn.usage.cached_input_tokens).toBe(16);
    expect(flow.steps[1].usage).toEqual({ input_tokens: 21, output_tokens: 8, cached_input_tokens: 16, cost_usd: cost });
    expect(o.results.usage).toEqual({ input_tokens: 21, output_tokens: 8, cached_input_tokens: 16, cost_usd: cost });
  }, 60_000);

  test('--base-url points codex at the server through -c overrides, even with no provider in CODEX_HOME; the key arrives as the bearer token', async () => {
    const server = await fakeOpenAI((req) => ({ text: `via base url: ${req.prompt}` }));
    const home = bareCodexHome();
    const dir = project([{ type: 'codex', prompt: 'Hello codex', model: 'gpt-fake-codex' }]);
    const o = await orchestrate(dir, ['--codex-path', CODEX_BIN, '--base-url', server.url], { CODEX_HOME: home, OPENAI_API_KEY: KEY });
    expectExit(o, 0);
    const calls = server.requests.filter((r) => r.path === '/v1/responses');
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(calls[0]!.body.model).toBe('gpt-fake-codex');
    expect(calls[0]!.prompt).toBe('Hello codex');
    expect(readFileSync(join(o.runDir, 'flow_0001', 'codex_exec_1', 'final_message.txt'), 'utf8')).toBe('via base url: Hello codex');
    // the key itself is never written down
    for (const file of tree(o.runDir)) expect(readFileSync(join(o.runDir, file), 'utf8')).not.toContain(KEY);
  }, 60_000);

  test('the fake server answering 500 to codex fails the step (codex error / turn.failed)', async () => {
    const server = await fakeOpenAI(() => ({ status: 500, text: 'fake outage' }));
    const home = track(makeCodexHome(server.url));
    const dir = project([{ type: 'codex', prompt: 'Try it' }]);
    const o = await orchestrate(dir, ['--codex-path', CODEX_BIN], { ...codexEnv(home), OPENAI_API_KEY: KEY });
    expectExit(o, 1);
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    const flow = o.results.flows[0];
    expect(flow.status).toBe('failed');
    expect(flow.final_message).toBeNull();
    expect(flow.error).toMatch(/codex/);
    const stream = events(join(o.runDir, 'flow_0001', 'codex_exec_1', 'stdout.txt'));
    const reported = stream.find((e) => e.type === 'error' || e.type === 'turn.failed');
    expect(reported).toBeDefined();
    // the error names what codex reported, not just its exit code and a stray stderr warning
    expect(flow.error).toContain(reported.message ?? reported.error.message);
    // no final message path printed for a failed leaf
    expect(o.stdout).toBe('');
  }, 60_000);
  test.each([
    [0, 1],
    [2, 3],
  ])(
    '--retries %i with --base-url: codex sends a request the server answers 500 exactly %i time(s), then the step fails',
    async (retries, expected) => {
      const server = await fakeOpenAI(() => ({ status: 500, text: 'fake outage' }));
      const dir = project([{ type: 'codex', prompt: 'Try it' }]);
      const o = await orchestrate(dir, ['--codex-path', CODEX_BIN, '--base-url', server.url, '--retries', String(retries)], {
        CODEX_HOME: bareCodexHome(),
        OPENAI_API_KEY: KEY,
      });
      expectExit(o, 1);
      expect(o.results.flows[0].error).toMatch(/codex/);
      // codex's own defaults made 30 requests: its request and stream retry loops multiply
      expect(server.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(expected);
    },
    60_000,
  );

  test('a stream error codex recovers from ("Reconnecting... 1/N" error event, then turn.completed) does not fail the step', async () => {
    const server = await fakeOpenAI((req, n) =>
      n === 1 ? { status: 500 } : { text: 'recovered', usage: { input_tokens: 4, output_tokens: 2 } },
    );
    // codex's own stream retries on (it reconnects after a 5xx), request retries off
    const home = track(makeCodexHome(server.url, { streamMaxRetries: 2 }));
    const dir = project([{ type: 'codex', prompt: 'Try again' }]);
    const o = await orchestrate(dir, ['--codex-path', CODEX_BIN], { ...codexEnv(home), OPENAI_API_KEY: KEY });
    const stream = events(join(o.runDir, 'flow_0001', 'codex_exec_1', 'stdout.txt'));
    // codex did report the first attempt as an "error" event, and then completed the turn
    expect(stream.filter((e) => e.type === 'error').map((e) => e.message)).toEqual([expect.stringMatching(/^Reconnecting\.\.\. 1\/2/)]);
    expect(stream.some((e) => e.type === 'turn.completed')).toBe(true);
    expectExit(o, 0);
    expect(server.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(2);
    expect(o.results.flows[0]).toMatchObject({
      status: 'succeeded',
      output: 'recovered',
      final_message: 'flow_0001/codex_exec_1/final_message.txt',
    });
    // no model on the step: codex picks one, so the cost is unknown
    expect(o.results.flows[0].steps[0].usage).toEqual({ input_tokens: 4, output_tokens: 2, cached_input_tokens: 0, cost_usd: null });
  }, 60_000);

  test('a hanging server: the codex step times out, its whole process tree is ended, other flows complete', async () => {
    const server = await fakeOpenAI((req) => (req.prompt.includes('slow') ? { hang: true } : { text: `done ${req.prompt}` }));
    const home = track(makeCodexHome(server.url));
    // the timeout is the step's, so the fast flow's real codex must finish within it too: 2 s was
    // missed once with three jest workers at a load of 15; the hanging flow waits it out either way
    const dir = project([{ type: 'codex', prompt: '{{{DOC}}}', timeout: 8 }], {
      'a.txt': 'fast one',
      'b.txt': 'slow one',
      'docs.list': 'a.txt\nb.txt\n',
    });
    const started = Date.now();
    const o = await orchestrate(dir, ['--codex-path', CODEX_BIN, '--key', 'DOC:docs.list'], { ...codexEnv(home), OPENAI_API_KEY: KEY });
    expectExit(o, 1);
    expect(Date.now() - started).toBeLessThan(30_000);
    const [fast, slow] = o.results.flows;
    expect(fast).toMatchObject({ id: 'flow_0001', status: 'succeeded', final_message: 'flow_0001/codex_exec_1/final_message.txt' });
    expect(slow).toMatchObject({ id: 'flow_0002', status: 'failed', final_message: null });
    expect(slow.error).toContain('timed out after 8 s');
    // partial output is kept: the events codex printed before it was ended
    expect(readFileSync(join(o.runDir, 'flow_0002', 'codex_exec_1', 'stdout.txt'), 'utf8')).toContain('thread.started');
    expect(o.stdout.trim()).toBe(join('generated', 'run_t', 'flow_0001', 'codex_exec_1', 'final_message.txt'));
    // no process that was given this CODEX_HOME is left (the node wrapper and the native codex alike):
    // those the run ended may take a moment to die
    expect(await survivors(processesWithEnv(`CODEX_HOME=${home}`), 2000)).toEqual([]);
  }, 60_000);
});

describe('codex steps with a stand-in codex', () => {
  test('argv, stdin, the proxy holding the key and a scrubbed environment', async () => {
    const codex = standInCodex();
    const dir = project(
      {
        steps: [
          { type: 'codex', prompt: 'First {{{DOC}}}' },
          { type: 'codex', name: 'review', prompt: 'Second', model: 'gpt-codex-x', sandbox: 'read-only' },
        ],
      },
      { 'doc.txt': 'the doc', 'docs.list': 'doc.txt\n' },
    );
    const o = await orchestrate(dir, ['--codex-path', codex.path, '--key', 'DOC:docs.list'], {
      DUMP_DIR: codex.dump,
      OPENAI_API_KEY: KEY,
      OPENAI_MODEL: 'env-model-not-for-codex',
      ...RUNNER_SECRETS,
    });
    expectExit(o, 0);

    const argv1 = readFileSync(join(codex.dump, 'codex_exec_1', 'argv.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    const argv2 = readFileSync(join(codex.dump, 'codex_exec_2', 'argv.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    for (const argv of [argv1, argv2]) {
      expect(argv[0]).toBe('exec');
      expect(argv).toEqual(expect.arrayContaining(['--skip-git-repo-check', '--ephemeral', '--json', '--output-last-message']));
      expect(argv[argv.length - 1]).toBe('-');
      // with a key, codex's provider is orchestrator's loopback proxy, which holds the key: no key variable or argument
      const overrides = argv.flatMap((a, i) => (argv[i - 1] === '-c' ? [a] : []));
      expect(overrides).toContainEqual(expect.stringMatching(/^model_providers\.orchestrator\.base_url="http:\/\/127\.0\.0\.1:\d+\/v1"$/));
      expect(overrides.some((o) => o.includes('env_key'))).toBe(false);
      expect(argv.join(' ')).not.toContain(KEY);
    }
    // one proxy for the run
    const baseUrl = (argv: string[]) => argv.find((a) => a.startsWith('model_providers.orchestrator.base_url='));
    expect(baseUrl(argv1)).toBe(baseUrl(argv2));
    const after = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];
    expect(after(argv1, '--sandbox')).toBe('workspace-write');
    expect(after(argv2, '--sandbox')).toBe('read-only');
    expect(after(argv1, '--output-last-message')).toBe(join(o.runDir, 'flow_0001', 'codex_exec_1', 'final_message.txt'));
    // a model only when the step, config or --model names one; OPENAI_MODEL is for openai steps
    expect(argv1).not.toContain('-m');
    expect(after(argv2, '-m')).toBe('gpt-codex-x');

    // the prompt on stdin, the previous output appended
    expect(readFileSync(join(codex.dump, 'codex_exec_1', 'stdin.txt'), 'utf8')).toBe('First the doc');
    expect(readFileSync(join(codex.dump, 'codex_exec_2', 'stdin.txt'), 'utf8')).toBe('Second\n\nstand-in final');

    const env = parseEnv(readFileSync(join(codex.dump, 'codex_exec_1', 'env.txt'), 'utf8'));
    expect(env.DUMP_DIR).toBe(codex.dump);
    for (const name of ['OPENAI_API_KEY', 'CODEX_API_KEY', ...HIDDEN_FROM_ALL]) expect(env).not.toHaveProperty([name]);
    expect(Object.values(env).some((value) => value.includes(KEY))).toBe(false);

    // usage from turn.completed (cached input is part of input_tokens)
    // codex's default model and "gpt-codex-x" have no price: the cost is unknown, not $0
    expect(o.results.flows[0].steps.map((s: any) => s.usage)).toEqual([
      { input_tokens: 7, output_tokens: 3, cached_input_tokens: 2, cost_usd: null },
      { input_tokens: 7, output_tokens: 3, cached_input_tokens: 2, cost_usd: null },
    ]);
    expect(o.results.usage).toEqual({ input_tokens: 14, output_tokens: 6, cached_input_tokens: 4, cost_usd: null });
    expect(o.results.flows[0].final_message).toBe('flow_0001/codex_exec_2/final_message.txt');
    expect(o.stdout.trim()).toBe(join('generated', 'run_t', 'flow_0001', 'codex_exec_2', 'final_message.txt'));
  }, 30_000);

  test('--sandbox sets the sandbox of codex steps that set none (a step or config default still wins); run.json records it, isolate and the codex version', async () => {
    const codex = standInCodex();
    const dir = project({
      steps: [
        { type: 'codex', prompt: 'x' },
        { type: 'codex', prompt: 'y', sandbox: 'danger-full-access' },
      ],
    });
    const o = await orchestrate(dir, ['--codex-path', codex.path, '--sandbox', 'read-only'], { DUMP_DIR: codex.dump, OPENAI_API_KEY: KEY });
    expectExit(o, 0);
    const sandboxOf = (step: string): string => {
      const argv = readFileSync(join(codex.dump, step, 'argv.txt'), 'utf8')
        .trimEnd()
        .split('\n');
      return argv[argv.indexOf('--sandbox') + 1]!;
    };
    expect(sandboxOf('codex_exec_1')).toBe('read-only');
    expect(sandboxOf('codex_exec_2')).toBe('danger-full-access');
    const record = JSON.parse(readFileSync(join(o.runDir, 'run.json'), 'utf8'));
    expect(record.options).toMatchObject({ sandbox: 'read-only', isolate: 'none' });
    expect(record.codex_version).toBe('codex-cli 0.0.0-stand-in');

    // without --sandbox: the default, recorded as such; --offline asks codex nothing
    const offline = await orchestrate(project([{ type: 'codex', prompt: 'x' }]), ['--codex-path', codex.path, '--offline'], {
      DUMP_DIR: codex.dump,
    });
    expectExit(offline, 0);
    expect(JSON.parse(readFileSync(join(offline.runDir, 'run.json'), 'utf8'))).toMatchObject({
      options: { sandbox: 'workspace-write', isolate: 'none' },
      codex_version: null,
    });
  }, 30_000);

  test('--sandbox with an unknown mode: exit 2 naming the three modes', async () => {
    const dir = project([{ type: 'codex', prompt: 'x' }]);
    const o = await orchestrate(dir, ['--sandbox', 'full', '--offline'], {});
    expectExit(o, 2);
    expect(o.stderr).toContain('--sandbox');
    expect(o.stderr).toContain('read-only, workspace-write, danger-full-access');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  }, 30_000);

  test('--model and the config default reach codex as -m; with a key and --base-url codex is pointed at the proxy, not the server', async () => {
    const codex = standInCodex();
    let dir = project([{ type: 'codex', prompt: 'x' }]);
    let o = await orchestrate(dir, ['--codex-path', codex.path, '--model', 'cli-model', '--base-url', 'http://127.0.0.1:7/v1/'], {
      DUMP_DIR: codex.dump,
      OPENAI_API_KEY: KEY,
    });
    expectExit(o, 0);
    let argv = readFileSync(join(codex.dump, 'codex_exec_1', 'argv.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(argv[argv.indexOf('-m') + 1]).toBe('cli-model');
    const overrides = argv.flatMap((a, i) => (argv[i - 1] === '-c' ? [a] : []));
    expect(overrides).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^model_provider=/),
        expect.stringMatching(/^model_providers\.[A-Za-z0-9_-]+\.base_url="http:\/\/127\.0\.0\.1:\d+\/v1"$/),
      ]),
    );
    // the proxy forwards to --base-url (the real codex against the fake server checks the key arrives there)
    expect(overrides.join(' ')).not.toContain('127.0.0.1:7/');
    expect(argv[argv.length - 1]).toBe('-');

    rmSync(codex.dump, { recursive: true, force: true });
    dir = project({ model: 'config-model', steps: [{ type: 'codex', prompt: 'x' }] });
    o = await orchestrate(dir, ['--codex-path', codex.path, '--model', 'cli-model'], { DUMP_DIR: codex.dump, OPENAI_API_KEY: KEY });
    expectExit(o, 0);
    argv = readFileSync(join(codex.dump, 'codex_exec_1', 'argv.txt'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(argv[argv.indexOf('-m') + 1]).toBe('config-model');
  }, 30_000);

  test.each([
    ['turn.failed', 'fail', 'stand-in turn failed'],
    ['error', 'error', 'stand-in stream error'],
  ])(
    'a %s event fails the step even when codex exits 0',
    async (_event, mode, message) => {
      const codex = standInCodex();
      const dir = project([{ type: 'codex', prompt: 'x' }]);
      const o = await orchestrate(dir, ['--codex-path', codex.path], { DUMP_DIR: codex.dump, OPENAI_API_KEY: KEY, FAKE_CODEX_MODE: mode });
      expectExit(o, 1);
      expect(o.results.flows[0].status).toBe('failed');
      expect(o.results.flows[0].error).toContain(message);
      expect(o.stdout).toBe('');
    },
    30_000,
  );

  test('an error event followed by turn.completed (codex reconnected) does not fail the step', async () => {
    const codex = standInCodex();
    const dir = project([{ type: 'codex', prompt: 'x' }]);
    const o = await orchestrate(dir, ['--codex-path', codex.path], {
      DUMP_DIR: codex.dump,
      OPENAI_API_KEY: KEY,
      FAKE_CODEX_MODE: 'reconnect',
    });
    expectExit(o, 0);
    expect(o.results.flows[0]).toMatchObject({ status: 'succeeded', output: 'stand-in final' });
  }, 30_000);

  test('a missing codex binary with --codex-path /nope: exit 2 naming --codex-path, nothing run', async () => {
    const dir = project([{ type: 'codex', prompt: 'x' }]);
    const o = await orchestrate(dir, ['--codex-path', '/nope'], { OPENAI_API_KEY: KEY });
    expectExit(o, 2);
    expect(o.stderr).toContain('--codex-path');
    expect(o.stderr).toContain('/nope');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  }, 30_000);
});

describe('child environment and secrets', () => {
  test('a cmd step sees none of the model keys, runner tokens, ACTIONS_* or INPUT_*', async () => {
    const dir = project([{ type: 'env', cmd: 'env' }]);
    const o = await orchestrate(dir, [], {
      OPENAI_API_KEY: KEY,
      CODEX_API_KEY: 'sk-codex-key-0123456789',
      MY_PLAIN_SETTING: 'visible',
      ...RUNNER_SECRETS,
    });
    expectExit(o, 0);
    const env = parseEnv(readFileSync(join(o.runDir, 'flow_0001', '01_env', 'output.txt'), 'utf8'));
    expect(env.MY_PLAIN_SETTING).toBe('visible');
    expect(env.PATH).toBeDefined();
    for (const name of ['OPENAI_API_KEY', 'CODEX_API_KEY', ...HIDDEN_FROM_ALL]) expect(env).not.toHaveProperty([name]);
    expect(Object.keys(env).filter((n) => /^(ACTIONS_|INPUT_)/.test(n))).toEqual([]);
  }, 30_000);

  test('no secret value reaches generated/ or the console: model output, cmd output and stderr, codex events and final message, prompts', async () => {
    // the model echoes its prompt, which carries a file holding the service token, and adds the key
    const server = await fakeOpenAI((req) => ({ text: `model saw: ${req.prompt} and ${KEY}` }));
    const codex = standInCodex();
    const dir = project(
      [
        { type: 'openai', name: 'ask', prompt: 'Read {{{DOC}}}' },
        { type: 'leak', cmd: 'cat; echo "cmd token $MY_SERVICE_TOKEN"; echo "stderr token $MY_SERVICE_TOKEN" >&2' },
        { type: 'codex', prompt: 'Finish' },
      ],
      { 'doc.txt': `the token is ${SERVICE_TOKEN}`, 'docs.list': 'doc.txt\n' },
    );
    const o = await orchestrate(dir, ['--codex-path', codex.path, '--key', 'DOC:docs.list'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
      MY_SERVICE_TOKEN: SERVICE_TOKEN,
      DUMP_DIR: codex.dump,
      FAKE_CODEX_MODE: 'leak',
    });
    expectExit(o, 0);
    // the secret really was sent out (the stand-in codex prints it from its environment in leak mode)
    expect(server.requests[0]!.prompt).toContain(SERVICE_TOKEN);

    const files = tree(join(dir, 'generated')).map((file) => join(dir, 'generated', file));
    expect(files.length).toBeGreaterThan(10);
    let masked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect({ file, leaksKey: text.includes(KEY), leaksToken: text.includes(SERVICE_TOKEN) }).toEqual({
        file,
        leaksKey: false,
        leaksToken: false,
      });
      if (text.includes('***')) masked++;
    }
    expect(masked).toBeGreaterThan(3);
    const stepDir = join(o.runDir, 'flow_0001');
    expect(readFileSync(join(stepDir, '01_ask', 'prompt.txt'), 'utf8')).toBe('Read the token is ***');
    expect(readFileSync(join(stepDir, '02_leak', 'stderr.txt'), 'utf8')).toBe('stderr token ***\n');
    // the service token is the user's own (codex sees it, it is masked); the model key codex never had
    expect(readFileSync(join(stepDir, 'codex_exec_3', 'final_message.txt'), 'utf8')).toBe('final *** ');
    expect(o.stdout + o.stderr).not.toContain(KEY);
    expect(o.stdout + o.stderr).not.toContain(SERVICE_TOKEN);
  }, 30_000);
});
