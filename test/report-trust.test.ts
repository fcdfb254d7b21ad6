/**
 * `orchestrator report` holds the model key (and, in the Action, write tokens) while it reads what
 * shard jobs wrote running a PR's code: the records are data, never settings, and never what runs.
 * The CLI in the jest process (test/helpers/cli-inprocess.ts); openai after steps against two loopback fake servers.
 */
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, readJson, type CliResult } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import { fakeOpenAI, keyFiles, project, scratch } from './helpers/project.js';

const KEY = 'sk-test-report-trust-0123456789';
const DOCS = keyFiles('docs.list', { 'a.md': 'alpha', 'b.md': 'beta', 'c.md': 'gamma' });
const STEPS = [{ name: 'shout', cmd: 'tr a-z A-Z < {{{DOC:path}}}' }];

const report = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
  runCliInProcess(['report', ...args], { cwd, env: baseEnv(env), timeoutMs: 30_000 });

async function shards(dir: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<void> {
  for (const shard of ['1/2', '2/2'])
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', shard, ...args], env), 0);
}

/** Rewrites `options` in run.json and in every shard record of the run, as a step (or a tampered artifact) could. */
function tamperOptions(runDir: string, options: Record<string, unknown>): void {
  const files = ['run.json', 'shards/1-of-2.json', 'shards/2-of-2.json'].map((f) => join(runDir, f));
  for (const file of files) {
    const record = readJson(file);
    record.options = { ...record.options, ...options };
    for (const attempt of record.attempts ?? []) attempt.options = { ...attempt.options, ...options };
    writeFileSync(file, JSON.stringify(record, null, 2));
  }
}

describe('report takes its settings from its own invocation, never from run.json', () => {
  test("a run.json pointing base_url at another server (offline: false, workdir, sandbox, isolate rewritten): that server receives nothing, the key goes where report's environment says", async () => {
    const server = await fakeOpenAI(() => ({ text: 'overview', usage: { input_tokens: 2, output_tokens: 1 } }));
    const attacker = await fakeOpenAI(() => ({ text: 'stolen', usage: { input_tokens: 2, output_tokens: 1 } }));
    const dir = realpathSync(
      project(
        {
          steps: STEPS,
          after: [
            { type: 'openai', name: 'overview', prompt: 'Overview:' },
            { name: 'where', cmd: 'pwd' },
          ],
        },
        DOCS,
      ),
    );
    await shards(dir, ['--offline']);
    const elsewhere = scratch();
    tamperOptions(join(dir, 'generated', 'run_t'), {
      base_url: attacker.url,
      offline: false,
      workdir: elsewhere,
      sandbox: 'danger-full-access',
      isolate: 'worktree',
    });

    const o = await report(dir, ['generated/run_t', '--config', 'config.json'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expect(attacker.requests).toEqual([]);
    expectExit(o, 0);
    expect(server.requests.filter((r) => r.prompt.startsWith('Overview'))).toHaveLength(1);
    const after = readJson(join(dir, 'generated', 'run_t', 'results.json')).after;
    // the cmd after step ran in report's own working directory, not the one run.json named
    expect(after).toMatchObject({ status: 'succeeded', output: `${dir}\n` });
  });

  test('the shards ran --offline: report is offline only when told (--offline), not because run.json says so', async () => {
    const dir = project({ steps: STEPS, after: [{ type: 'openai', name: 'overview', prompt: 'Overview:' }] }, DOCS);
    await shards(dir, ['--offline']);
    const online = await report(dir, ['generated/run_t', '--config', 'config.json'], { OPENAI_API_KEY: undefined });
    expectExit(online, 1);
    expect(online.stderr).toContain('OPENAI_API_KEY is not set');
    const offline = await report(dir, ['generated/run_t', '--config', 'config.json', '--offline'], { OPENAI_API_KEY: undefined });
    expectExit(offline, 0);
  });
});

describe("after steps come from the config given to report, never from the run directory's copy", () => {
  /** A project whose one step rewrites the run's config.json to add an after step that writes `marker`. */
  function injecting(marker: string): string {
    const inject = [
      "const fs = require('node:fs');",
      "const file = process.env.ORCHESTRATOR_RUN_DIR + '/config.json';",
      "const config = JSON.parse(fs.readFileSync(file, 'utf8'));",
      `config.after = [{ name: 'pwn', cmd: ${JSON.stringify(`touch ${marker}`)} }];`,
      // the flows run side by side: each writes a copy and renames it in place, or one could read
      // the file half written by another (a flake seen in CI: JSON.parse failed the step)
      "fs.writeFileSync(file + '.' + process.pid, JSON.stringify(config));",
      "fs.renameSync(file + '.' + process.pid, file);",
    ].join('\n');
    return project({ steps: [{ name: 'tests', cmd: 'node inject.cjs && cat {{{DOC:path}}}' }] }, { ...DOCS, 'inject.cjs': inject });
  }

  test('a cmd step that adds an after step to $ORCHESTRATOR_RUN_DIR/config.json: report (no --config) does not run it', async () => {
    const marker = join(scratch(), 'pwned');
    const dir = injecting(marker);
    await shards(dir, ['--offline']);
    // every shard ran the same step: every copy agrees, and each has the injected after step
    const copy = readJson(join(dir, 'generated', 'run_t', 'config.json'));
    expect(copy.after).toEqual([{ name: 'pwn', cmd: `touch ${marker}` }]);

    const o = await report(dir, ['generated/run_t', '--offline']);
    expect(existsSync(marker)).toBe(false);
    expectExit(o, 1);
    const after = readJson(join(dir, 'generated', 'run_t', 'results.json')).after;
    expect(after).toMatchObject({ status: 'failed', steps: [] });
    expect(after.error).toContain(join('run_t', 'config.json'));
    expect(after.error).toContain('--config');
  });

  test('with --config: the rewritten copy disagrees with it and is refused, naming the file; nothing of it runs', async () => {
    const marker = join(scratch(), 'pwned');
    const dir = injecting(marker);
    await shards(dir, ['--offline']);
    const o = await report(dir, ['generated/run_t', '--config', 'config.json', '--offline']);
    expect(existsSync(marker)).toBe(false);
    expectExit(o, 1);
    const after = readJson(join(dir, 'generated', 'run_t', 'results.json')).after;
    expect(after).toMatchObject({ status: 'failed', steps: [] });
    expect(after.error).toContain(`${join(dir, 'generated', 'run_t', 'config.json')} is not the config you passed (config.json)`);
  });

  test('the hash in run.json covers the after steps and prices: a --config whose after steps or prices differ from the run is refused', async () => {
    const dir = project({ steps: STEPS, after: [{ name: 'count', cmd: 'grep -c "^###"' }] }, DOCS);
    await shards(dir, ['--offline']);
    const record = readJson(join(dir, 'generated', 'run_t', 'run.json'));
    expect(record.config.full_hash).toMatch(/^[0-9a-f]{64}$/);

    writeFileSync(join(dir, 'other.json'), JSON.stringify({ steps: STEPS, after: [{ name: 'count', cmd: 'touch pwned' }] }));
    const other = await report(dir, ['generated/run_t', '--config', 'other.json', '--offline']);
    expectExit(other, 1);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(readJson(join(dir, 'generated', 'run_t', 'results.json')).after.error).toContain(
      `other.json is not the config the shards ran (its steps, after steps, setup or prices differ from the hash in ${join(dir, 'generated', 'run_t', 'shards', '1-of-2.json')})`,
    );

    const priced = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    priced.prices = { 'gpt-x': { input: 1, output: 2 } };
    writeFileSync(join(dir, 'priced.json'), JSON.stringify(priced));
    const repriced = await report(dir, ['generated/run_t', '--config', 'priced.json', '--offline']);
    expectExit(repriced, 1);
    expect(readJson(join(dir, 'generated', 'run_t', 'results.json')).after.error).toContain('priced.json is not the config the shards ran');

    const same = await report(dir, ['generated/run_t', '--config', 'config.json', '--offline']);
    expectExit(same, 0);
    expect(readJson(join(dir, 'generated', 'run_t', 'results.json')).after).toMatchObject({ status: 'succeeded', output: '3\n' });
  });
});
