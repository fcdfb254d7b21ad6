/**
 * The config's after steps, through the CLI (in the jest process, test/helpers/cli-inprocess.ts): they run once over all leaves,
 * starting from the listing of the leaves, with openai steps through the official SDK against the
 * loopback fake server and cmd steps as real child processes; results.json.after, the after/ tree,
 * the config copy, budgets, shards, and --resume reuse.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, readJson, runCli, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as run } from './helpers/cli-inprocess.js';
import { killedAfterAll, survivors, waitFor } from './helpers/processes.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { fakeOpenAI, keyFiles, project } from './helpers/project.js';

const KEY = 'sk-test-after-0123456789abcdef';
const recorded = killedAfterAll();

const orchestrate = (dir: string, server: FakeOpenAI | undefined, args: string[] = []): Promise<Outcome> =>
  run(dir, args, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server?.url });

/** Three flows over DOC: a.md, b.md (whose flow fails: its contents say so) and c.md. */
const DOCS = keyFiles('docs.list', { 'a.md': 'alpha', 'b.md': 'FAIL', 'c.md': 'gamma' });
/** Each flow echoes its document upper-cased; the one holding FAIL exits 3. */
const FLOW_STEPS = [{ name: 'shout', cmd: 'x=$(cat {{{DOC:path}}}); [ "$x" != FAIL ] || exit 3; printf "%s" "$x" | tr a-z A-Z' }];

const afterCalls = (server: FakeOpenAI): RecordedRequest[] => server.requests.filter((r) => r.prompt.startsWith('Summarise'));

describe('after steps', () => {
  test('an openai after step gets one listing of every leaf (failed ones marked) and its output is results.json.after', async () => {
    const server = await fakeOpenAI((req) => ({
      text: `overview of ${req.prompt.length} chars`,
      usage: { input_tokens: 40, output_tokens: 7 },
    }));
    const dir = project({ steps: FLOW_STEPS, after: [{ type: 'openai', name: 'overview', prompt: 'Summarise these reviews.' }] }, DOCS);
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list']);
    // a flow failed: exit 1, and the after step still ran over all three leaves
    expectExit(o, 1);
    const calls = afterCalls(server);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.prompt).toBe(
      [
        'Summarise these reviews.',
        '',
        '### flow_0001 · DOC=a.md · succeeded',
        'ALPHA',
        '',
        '### flow_0002 · DOC=b.md · failed',
        'error: step 1 ("shout"): the command exited with code 3',
        '',
        '### flow_0003 · DOC=c.md · succeeded',
        'GAMMA',
        '',
      ].join('\n'),
    );
    const text = `overview of ${calls[0]!.prompt.length} chars`;
    expect(o.results.after).toMatchObject({
      status: 'succeeded',
      output: text,
      error: null,
      // gpt-5-mini (the default model): $0.25 per 1M input tokens, $2 per 1M output tokens
      usage: { input_tokens: 40, output_tokens: 7, cached_input_tokens: 0, cost_usd: (40 * 0.25 + 7 * 2) / 1e6 },
      steps: [
        {
          name: 'overview',
          type: 'openai',
          status: 'succeeded',
          duration_ms: expect.any(Number),
          usage: { input_tokens: 40, output_tokens: 7, cached_input_tokens: 0, cost_usd: (40 * 0.25 + 7 * 2) / 1e6 },
          dir: 'after/01_overview',
        },
      ],
    });
    // priced like any step (the built-in model has a price)
    expect(o.results.after.usage.cost_usd).toBeGreaterThan(0);
    // the leaves' totals stay theirs; the after step's tokens are in after.usage
    expect(o.results.usage).toEqual({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 });
    expect(readFileSync(join(o.runDir, 'after', '01_overview', 'output.txt'), 'utf8')).toBe(text);
    expect(readFileSync(join(o.runDir, 'after', '01_overview', 'prompt.txt'), 'utf8')).toBe(calls[0]!.prompt);
    expect(o.stderr).toContain(`after: ${join('generated', 'run_t', 'after', '01_overview')}`);
    // the run directory keeps the config it ran
    expect(readJson(join(o.runDir, 'config.json'))).toEqual(readJson(join(dir, 'config.json')));
  });

  test('after steps chain like a flow: cmd steps as child processes, bytes on stdin; the config copy is the file as it was', async () => {
    const dir = project(
      {
        steps: FLOW_STEPS,
        after: [
          { name: 'headers', cmd: 'grep "^###" | sed "s/ · .*//"' },
          { type: 'openai', name: 'polish', prompt_file: 'polish.txt' },
          { name: 'count', cmd: 'wc -l | tr -d " "' },
        ],
      },
      { ...DOCS, 'polish.txt': 'Polish:' },
    );
    const o = await orchestrate(dir, undefined, ['--key', 'DOC:docs.list', '--offline']);
    expectExit(o, 1);
    // offline, the openai step answers with its prompt: "Polish:", a blank line, three headers
    expect(readFileSync(join(o.runDir, 'after', '02_polish', 'output.txt'), 'utf8')).toBe(
      'Polish:\n\n### flow_0001\n### flow_0002\n### flow_0003\n',
    );
    expect(o.results.after).toMatchObject({ status: 'succeeded', output: '5\n', error: null });
    expect(o.results.after.steps.map((s: { dir: string }) => s.dir)).toEqual(['after/01_headers', 'after/02_polish', 'after/03_count']);
    // a record of what ran, compared by report with the config it is given (never run): the text as it was
    expect(readFileSync(join(o.runDir, 'config.json'), 'utf8')).toBe(readFileSync(join(dir, 'config.json'), 'utf8'));
  });

  test('a failing after step: after.status failed, the error names the step, exit 1 even when every flow succeeded', async () => {
    const dir = project(
      {
        steps: [{ cmd: 'cat {{{DOC:path}}}' }],
        after: [
          { name: 'check', cmd: 'echo broken >&2; exit 4' },
          { name: 'never', cmd: 'cat' },
        ],
      },
      keyFiles('docs.list', { 'a.md': 'alpha' }),
    );
    const o = await orchestrate(dir, undefined, ['--key', 'DOC:docs.list', '--offline']);
    expectExit(o, 1);
    expect(o.results).toMatchObject({ succeeded: 1, failed: 0 });
    expect(o.results.after).toMatchObject({ status: 'failed', output: null, error: expect.stringMatching(/^after step 1 \("check"\): /) });
    expect(o.results.after.steps).toHaveLength(1);
    expect(readFileSync(join(o.runDir, 'after', '01_check', 'stderr.txt'), 'utf8')).toBe('broken\n');
    expect(existsSync(join(o.runDir, 'after', '02_never'))).toBe(false);
    expect(o.stderr).toMatch(/after: failed: after step 1 \("check"\)/);
  });

  test('a config without after steps writes "after": null; so does one shard of several (report runs them)', async () => {
    const none = project([{ cmd: 'cat {{{DOC:path}}}' }], keyFiles('docs.list', { 'a.md': 'alpha', 'b.md': 'beta' }));
    const o = await orchestrate(none, undefined, ['--key', 'DOC:docs.list', '--offline']);
    expectExit(o, 0);
    expect(o.results.after).toBeNull();
    expect(existsSync(join(o.runDir, 'after'))).toBe(false);

    const sharded = project(
      { steps: [{ cmd: 'cat {{{DOC:path}}}' }], after: [{ name: 'all', cmd: 'cat > "$ORCHESTRATOR_RUN_DIR/../../ran-after"' }] },
      keyFiles('docs.list', { 'a.md': 'alpha', 'b.md': 'beta' }),
    );
    const shard = await orchestrate(sharded, undefined, ['--key', 'DOC:docs.list', '--offline', '--shard', '1/2']);
    expectExit(shard, 0);
    expect(shard.results.after).toBeNull();
    expect(existsSync(join(sharded, 'ran-after'))).toBe(false);
    expect(existsSync(join(shard.runDir, 'config.json'))).toBe(true);
  });

  test('the token budget: once the flows used it up, the after steps do not start', async () => {
    const server = await fakeOpenAI(() => ({ text: 'review', usage: { input_tokens: 60, output_tokens: 60 } }));
    const dir = project(
      { steps: [{ type: 'openai', prompt: 'Review {{{DOC}}}' }], after: [{ type: 'openai', prompt: 'Summarise' }] },
      keyFiles('docs.list', { 'a.md': 'alpha' }),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--token-budget', '100']);
    expectExit(o, 1);
    expect(afterCalls(server)).toHaveLength(0);
    expect(o.results.after).toMatchObject({
      status: 'cancelled',
      output: null,
      error: 'token budget reached',
      usage: { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 },
      steps: [],
    });
  });

  test('--resume reuses an after step whose listing and prompt did not change, and runs it again when they did', async () => {
    const server = await fakeOpenAI((req) => ({ text: `overview ${req.prompt.length}`, usage: { input_tokens: 5, output_tokens: 5 } }));
    const config = (prompt: string): unknown => ({ steps: FLOW_STEPS, after: [{ type: 'openai', name: 'overview', prompt }] });
    const dir = project(config('Summarise A.'), DOCS);
    const args = ['--key', 'DOC:docs.list'];
    expectExit(await orchestrate(dir, server, args), 1);
    expect(afterCalls(server)).toHaveLength(1);

    // the failed flow runs again and fails the same way: the listing is the same, the after step is reused
    const same = await orchestrate(dir, server, [...args, '--resume']);
    expectExit(same, 1);
    expect(afterCalls(server)).toHaveLength(1);
    expect(same.results.after).toMatchObject({ status: 'succeeded', output: `overview ${afterCalls(server)[0]!.prompt.length}` });
    // reused: not paid for again in this attempt, but its tokens are still the after steps' tokens
    expect(same.results.after.usage).toEqual({
      input_tokens: 5,
      output_tokens: 5,
      cached_input_tokens: 0,
      cost_usd: (5 * 0.25 + 5 * 2) / 1e6,
    });

    // the failed flow now succeeds: its leaf changed, so the listing did, so the after step runs again
    writeFileSync(join(dir, 'b.md'), 'beta');
    const fixed = await orchestrate(dir, server, [...args, '--resume']);
    expectExit(fixed, 0);
    expect(afterCalls(server)).toHaveLength(2);
    expect(afterCalls(server)[1]!.prompt).toContain('### flow_0002 · DOC=b.md · succeeded\nBETA\n');

    // a changed after prompt is not a changed config for --resume: only the after step runs again
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config('Summarise B.')));
    const changed = await orchestrate(dir, server, [...args, '--resume']);
    expectExit(changed, 0);
    expect(afterCalls(server)).toHaveLength(3);
    expect(afterCalls(server)[2]!.prompt).toMatch(/^Summarise B\./);
    expect(changed.results.after.output).toBe(`overview ${afterCalls(server)[2]!.prompt.length}`);
  });

  test('SIGINT during an after step: it is ended (no child left), after is cancelled, the flows stand, exit 130', async () => {
    const dir = project(
      {
        steps: [{ cmd: 'cat {{{DOC:path}}}' }],
        after: [
          { name: 'slow', cmd: 'sleep 30 & echo $! >> pids; echo $$ >> pids; wait' },
          { name: 'never', cmd: 'cat' },
        ],
      },
      keyFiles('docs.list', { 'a.md': 'alpha' }),
    );
    const pidsFile = join(dir, 'pids');
    const pids = (): number[] => (existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number) : []);
    let sent: Promise<void> = Promise.resolve();
    const result = await runCli(['config.json', '--key', 'DOC:docs.list', '--offline', '--run-id', 't'], {
      cwd: dir,
      env: baseEnv(),
      timeoutMs: 30_000,
      onStart: (pid) => {
        sent = (async () => {
          await waitFor('the after step running', () => pids().length >= 2, 15_000);
          for (const p of pids()) recorded.add(p);
          process.kill(pid, 'SIGINT');
        })();
      },
    });
    await sent;
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 130 });
    const results = readJson(join(dir, 'generated', 'run_t', 'results.json'));
    expect(results).toMatchObject({ succeeded: 1, failed: 0, cancelled: 0 });
    expect(results.after).toMatchObject({ status: 'cancelled', output: null, error: 'interrupted' });
    expect(results.after.steps.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([['slow', 'cancelled']]);
    expect(await survivors(pids(), 1000)).toEqual([]);
  }, 40_000);
});
