/**
 * `orchestrator report` runs the after steps of a sharded run once over the merged leaves (the shards
 * do not), from the config it is given (--config), with its own options (never run.json's: see
 * report-trust.test.ts); the CLI in the jest process (test/helpers/cli-inprocess.ts), openai steps against the loopback fake server.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, readJson, type CliResult } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI } from './helpers/fake-openai.js';
import { fakeOpenAI, keyFiles, project, scratch } from './helpers/project.js';

const KEY = 'sk-test-after-report-0123456789';
const DOCS = keyFiles('docs.list', { 'a.md': 'alpha', 'b.md': 'beta', 'c.md': 'gamma' });
const STEPS = [{ name: 'shout', cmd: 'tr a-z A-Z < {{{DOC:path}}}' }];

const report = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> =>
  runCliInProcess(['report', ...args], { cwd, env: baseEnv(env), timeoutMs: 30_000 });

/** Runs the three flows as two shards of run_t under generated/. */
async function shards(dir: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<void> {
  for (const shard of ['1/2', '2/2'])
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', shard, ...args], env), 0);
}

const overviewCalls = (server: FakeOpenAI): number => server.requests.filter((r) => r.prompt.startsWith('Overview')).length;

describe('report runs the after steps over the merged leaves', () => {
  test("once, over every shard's leaves, from --config; a second report reuses them", async () => {
    const server = await fakeOpenAI((req) => ({
      text: `seen ${req.prompt.split('###').length - 1} leaves`,
      usage: { input_tokens: 9, output_tokens: 3 },
    }));
    const dir = project({ steps: STEPS, after: [{ type: 'openai', name: 'overview', prompt: 'Overview:' }] }, DOCS);
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    await shards(dir, [], env);
    expect(overviewCalls(server)).toBe(0);

    const first = await report(dir, ['generated/run_t', '--config', 'config.json'], env);
    expectExit(first, 0);
    expect(overviewCalls(server)).toBe(1);
    const prompt = server.requests.find((r) => r.prompt.startsWith('Overview'))!.prompt;
    expect(prompt).toBe(
      'Overview:\n\n### flow_0001 · DOC=a.md · succeeded\nALPHA\n\n### flow_0002 · DOC=b.md · succeeded\nBETA\n\n### flow_0003 · DOC=c.md · succeeded\nGAMMA\n',
    );
    const results = readJson(join(dir, 'generated', 'run_t', 'results.json'));
    expect(results.after).toMatchObject({ status: 'succeeded', output: 'seen 3 leaves', usage: { input_tokens: 9, output_tokens: 3 } });
    expect(results.after.steps[0].dir).toBe('after/01_overview');
    expect(first.stderr).toContain(`after: ${join(dir, 'generated', 'run_t', 'after', '01_overview')}`);

    // nothing they read changed: reused, not paid for again
    const again = await report(dir, ['generated/run_t', '--config', 'config.json'], env);
    expectExit(again, 0);
    expect(overviewCalls(server)).toBe(1);
    expect(readJson(join(dir, 'generated', 'run_t', 'results.json')).after.output).toBe('seen 3 leaves');
  });

  test('report --offline (no key needed); shard folders merged with --output; a copy that disagrees is refused', async () => {
    const dir = project(
      {
        steps: STEPS,
        after: [
          { type: 'openai', prompt: 'Overview:' },
          { name: 'lines', cmd: 'grep -c "^###"' },
        ],
      },
      DOCS,
    );
    // each shard in a folder of its own, as two downloaded artifacts are
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '1/2', '--offline', '--output', 'one']), 0);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '2/2', '--offline', '--output', 'two']), 0);
    const o = await report(dir, ['one', 'two', '--output', 'merged', '--config', 'config.json', '--offline'], {
      OPENAI_API_KEY: undefined,
    });
    expectExit(o, 0);
    const results = readJson(join(dir, 'merged', 'run_t', 'results.json'));
    expect(results.after).toMatchObject({ status: 'succeeded', output: '3\n', error: null });
    expect(readFileSync(join(dir, 'merged', 'run_t', 'after', '01_openai', 'output.txt'), 'utf8')).toMatch(/^Overview:\n\n### flow_0001/);
    // the merged tree keeps the config its after steps ran from
    expect(readJson(join(dir, 'merged', 'run_t', 'config.json'))).toEqual(readJson(join(dir, 'config.json')));

    // one shard's copy rewritten (a step of that shard could have): it disagrees with --config, nothing runs
    writeFileSync(join(dir, 'two', 'run_t', 'config.json'), JSON.stringify({ steps: STEPS, after: [{ cmd: 'touch pwned' }] }));
    const tampered = await report(dir, ['one', 'two', '--output', 'again', '--config', 'config.json', '--offline']);
    expectExit(tampered, 1);
    const after = readJson(join(dir, 'again', 'run_t', 'results.json')).after;
    expect(after).toMatchObject({ status: 'failed', steps: [] });
    expect(after.error).toContain(
      `after steps not run: ${join(dir, 'two', 'run_t', 'config.json')} is not the config you passed (config.json)`,
    );
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  test("a long output cut in the shards' results.json reaches the after steps whole (merged records, trees left in place)", async () => {
    const dir = project({ steps: STEPS, after: [{ name: 'all', cmd: 'cat' }] }, DOCS);
    const env = { ORCHESTRATOR_RESULTS_OUTPUT_CHARS: '2' };
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '1/2', '--offline', '--output', 'one'], env), 0);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '2/2', '--offline', '--output', 'two'], env), 0);
    expect(readJson(join(dir, 'one', 'run_t', 'results.json')).flows[0]).toMatchObject({ output: 'AL', output_cut: { chars: 5 } });
    const o = await report(dir, ['one', 'two', '--output', 'merged', '--config', 'config.json'], env);
    expectExit(o, 0);
    const after = readJson(join(dir, 'merged', 'run_t', 'results.json')).after;
    expect(after.output).toContain('### flow_0001 · DOC=a.md · succeeded\nALPHA\n');
    expect(after.output).toContain('### flow_0003 · DOC=c.md · succeeded\nGAMMA\n');
  });

  test("report's --timeout bounds the after steps (it wins over the run's own timeout)", async () => {
    const dir = project({ steps: STEPS, after: [{ name: 'slow', cmd: 'sleep 20' }] }, DOCS);
    await shards(dir, ['--offline']);
    const o = await report(dir, ['generated/run_t', '--config', 'config.json', '--timeout', '1'], { ORCHESTRATOR_KILL_GRACE_MS: '100' });
    expectExit(o, 1);
    const after = readJson(join(dir, 'generated', 'run_t', 'results.json')).after;
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/1 ?s/);
  });

  test('several run trees and no --output: the after steps are not run, and report says so', async () => {
    const dir = project({ steps: STEPS, after: [{ cmd: 'cat' }] }, DOCS);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '1/2', '--offline', '--output', 'one']), 0);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--shard', '2/2', '--offline', '--output', 'two']), 0);
    const o = await report(dir, ['one', 'two']);
    expectExit(o, 0);
    expect(o.stderr).toContain(
      'after steps (if the config has any) are not run: the directories hold several run trees; pass --output DIR',
    );
  });

  test("--config takes the after steps from a checkout; a config whose steps differ from the run's is refused, naming it", async () => {
    const dir = project({ steps: STEPS, after: [{ name: 'checkout', cmd: 'echo from-checkout' }] }, DOCS);
    await shards(dir, ['--offline']);
    // the same config, written another way: the same hashes
    writeFileSync(join(dir, 'checkout.json'), JSON.stringify({ after: [{ cmd: 'echo from-checkout', name: 'checkout' }], steps: STEPS }));
    const given = await report(dir, ['generated/run_t', '--config', 'checkout.json']);
    expectExit(given, 0);
    expect(readJson(join(dir, 'generated', 'run_t', 'results.json')).after).toMatchObject({
      status: 'succeeded',
      output: 'from-checkout\n',
    });

    writeFileSync(join(dir, 'other.json'), JSON.stringify({ steps: [{ cmd: 'cat' }], after: [{ cmd: 'echo other' }] }));
    const other = await report(dir, ['generated/run_t', '--config', 'other.json']);
    expectExit(other, 1);
    const after = readJson(join(dir, 'generated', 'run_t', 'results.json')).after;
    expect(after).toMatchObject({ status: 'failed', output: null, steps: [] });
    expect(after.error).toContain('after steps not run: other.json is not the config the shards ran');
    expect(other.stderr).toContain('after: failed: after steps not run: other.json is not the config the shards ran');
  });

  test('a run directory without a copy of its config (an older orchestrator) reports as before, without after steps', async () => {
    const dir = project(STEPS, DOCS);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline']), 0);
    const copy = scratch();
    cpSync(join(dir, 'generated'), copy, { recursive: true });
    rmSync(join(copy, 'run_t', 'config.json'));
    const o = await report(copy, ['run_t']);
    expectExit(o, 0);
    expect(readJson(join(copy, 'run_t', 'results.json')).after).toBeNull();
    expect(o.stderr).not.toContain('after:');
  });
});
