/**
 * Cost in dollars and `--max-cost`, with the CLI (in the jest process) against the loopback fake OpenAI server (the
 * official SDK as client) and a stand-in codex: usage.cost_usd is tokens × prices per step, leaf and
 * run; cached input tokens are billed at the cached price; a config's "prices" overrides the
 * built-in table; `--max-cost` starts no new step once the run's calls cost that much.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as run, runCliInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { CODEX_OPTIONS, TURN_STARTED, writeStandInCodex } from './helpers/stand-in-codex.js';
import { fakeOpenAI, keyFiles, project, scratch } from './helpers/project.js';

const KEY = 'sk-test-cost-0123456789abcdef';

/** Key files for n flows, listed in docs.list. */
function docs(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) files[`docs/d${String(i).padStart(2, '0')}.txt`] = `D${i}`;
  return keyFiles('docs.list', files);
}

const orchestrate = (dir: string, server: FakeOpenAI, args: string[] = []): Promise<Outcome> =>
  run(dir, args, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url }, { timeoutMs: 30_000 });

const modelCalls = (server: FakeOpenAI): RecordedRequest[] =>
  server.requests.filter((r) => r.path === '/v1/responses' || r.path === '/v1/chat/completions');

/** Dollars for tokens at prices per 1M tokens, rounded as results.json keeps them (12 decimals). */
const usd = (parts: Array<[tokens: number, perMillion: number]>): number =>
  Math.round(parts.reduce((sum, [tokens, price]) => sum + tokens * price, 0) * 1e6) / 1e12;

describe('cost in dollars', () => {
  test('Responses and chat through the SDK: cached tokens at the cached price, config prices over the built-in ones, summed per leaf and run', async () => {
    const server = await fakeOpenAI((req) => ({
      text: `ok ${req.prompt.slice(0, 8)}`,
      usage:
        req.path === '/v1/chat/completions'
          ? { input_tokens: 3000, cached_input_tokens: 1000, output_tokens: 200 }
          : { input_tokens: 5000, cached_input_tokens: 4000, output_tokens: 100 },
    }));
    const dir = project(
      {
        prices: { 'house-model': { input: 3, cached_input: 0.3, output: 12 } },
        steps: [
          { type: 'openai', name: 'draft', prompt: 'Draft {{{DOC}}}', model: 'gpt-5.4' },
          { type: 'openai', name: 'chat', prompt: 'Chat', api: 'chat', model: 'house-model' },
          { type: 'shout', cmd: 'tr a-z A-Z' },
        ],
      },
      docs(2),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list']);
    expectExit(o, 0);
    expect(modelCalls(server)).toHaveLength(4);
    // gpt-5.4 (built in): $2.50 per 1M input tokens, $0.25 cached, $15 output
    const draft = usd([
      [1000, 2.5],
      [4000, 0.25],
      [100, 15],
    ]);
    // house-model (the config's price): $3, $0.30 cached, $12 output
    const chat = usd([
      [2000, 3],
      [1000, 0.3],
      [200, 12],
    ]);
    const flow = o.results.flows[0];
    expect(flow.steps.map((s: any) => s.usage)).toEqual([
      { input_tokens: 5000, cached_input_tokens: 4000, output_tokens: 100, cost_usd: draft },
      { input_tokens: 3000, cached_input_tokens: 1000, output_tokens: 200, cost_usd: chat },
      null,
    ]);
    expect(flow.usage).toEqual({
      input_tokens: 8000,
      cached_input_tokens: 5000,
      output_tokens: 300,
      cost_usd: usd([[1, (draft + chat) * 1e6]]),
    });
    expect(o.results.usage.cost_usd).toBe(usd([[2, (draft + chat) * 1e6]]));
    // step.json keeps the cost (a resumed run reuses it), result.json repeats the leaf's
    const record = JSON.parse(readFileSync(join(o.runDir, 'flow_0001', '01_draft', 'step.json'), 'utf8'));
    expect(record.usage.cost_usd).toBe(draft);
    // the closing line shows the dollars
    expect(o.stderr).toMatch(/^done: 2 succeeded, 0 failed; tokens 16,000 in \(10,000 cached\) \/ 600 out; cost \$0\.0\d+;/m);
    expect(o.stderr).not.toMatch(/warning/);
  }, 30_000);

  test('a model without a price: one warning naming it, cost null (not $0) for its steps, the leaf and the run', async () => {
    const server = await fakeOpenAI(() => ({ text: 'ok', usage: { input_tokens: 10, output_tokens: 5 } }));
    const dir = project([
      { type: 'openai', name: 'a', prompt: 'A', model: 'mystery-model' },
      { type: 'openai', name: 'b', prompt: 'B', model: 'mystery-model' },
      { type: 'openai', name: 'c', prompt: 'C' },
    ]);
    const o = await orchestrate(dir, server);
    expectExit(o, 0);
    const warnings = o.stderr.split('\n').filter((line) => line.includes('warning'));
    expect(warnings).toEqual([
      'orchestrator: warning: config.json: step 1 ("a"), config.json: step 2 ("b"): model "mystery-model" has no price, so its cost is unknown: ' +
        'add "prices": {"mystery-model": {"input": …, "cached_input": …, "output": …}} (US dollars per 1M tokens) to the config',
    ]);
    const steps = o.results.flows[0].steps.map((s: any) => s.usage.cost_usd);
    expect(steps).toEqual([
      null,
      null,
      usd([
        [10, 0.25],
        [5, 2],
      ]),
    ]);
    expect(o.results.flows[0].usage.cost_usd).toBeNull();
    expect(o.results.usage.cost_usd).toBeNull();
    expect(o.stderr).toMatch(/; cost unknown;/);
  }, 30_000);

  test('codex: cached_input_tokens of its turn.completed events, priced on the step model', async () => {
    const dir0 = scratch();
    const codex = writeStandInCodex(
      dir0,
      `#!/bin/sh
if [ "$1" = "sandbox" ]; then exit 0; fi
${CODEX_OPTIONS}
cat > /dev/null
${TURN_STARTED}
printf 'done' > "$final"
echo '{"type":"turn.completed","usage":{"input_tokens":9000,"cached_input_tokens":8000,"output_tokens":300}}'
echo '{"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":0,"output_tokens":100}}'
`,
    );
    const dir = project([{ type: 'codex', prompt: 'Fix it', model: 'gpt-5.4-mini', sandbox: 'read-only' }]);
    const o = await run(dir, ['--codex-path', codex], { OPENAI_API_KEY: KEY }, { timeoutMs: 30_000 });
    expectExit(o, 0);
    // gpt-5.4-mini: $0.75 per 1M input tokens, $0.075 cached, $4.50 output
    expect(o.results.flows[0].steps[0].usage).toEqual({
      input_tokens: 10_000,
      cached_input_tokens: 8000,
      output_tokens: 400,
      cost_usd: usd([
        [2000, 0.75],
        [8000, 0.075],
        [400, 4.5],
      ]),
    });
  }, 30_000);
});

describe('after steps', () => {
  test("are priced like the flows' steps, and --max-cost reached by the flows leaves them not run", async () => {
    const server = await fakeOpenAI((req) => ({ text: `ok ${req.prompt.length}`, usage: { input_tokens: 1_000_000, output_tokens: 0 } }));
    const config = {
      after: [{ type: 'openai', name: 'sum', prompt: 'Summarise', model: 'gpt-5.4-nano' }],
      steps: [{ type: 'openai', prompt: 'Do {{{DOC}}}' }],
    };
    const dir = project(config, docs(2));
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '1']);
    expectExit(o, 0);
    // gpt-5.4-nano: $0.20 per 1M input tokens
    expect(o.results.after).toMatchObject({ status: 'succeeded', usage: { input_tokens: 1_000_000, cost_usd: 0.2 } });
    expect(o.results.after.steps[0].usage.cost_usd).toBe(0.2);

    server.requests.length = 0;
    const capped = await orchestrate(project(config, docs(2)), server, ['--key', 'DOC:docs.list', '--parallel', '1', '--max-cost', '0.5']);
    // the two flows cost $0.50: the after step does not start (a cancelled after step fails the run)
    expectExit(capped, 1);
    expect(modelCalls(server)).toHaveLength(2);
    expect(capped.results.after).toMatchObject({ status: 'cancelled', error: 'cost limit reached' });
  }, 30_000);
});

describe('--max-cost', () => {
  // each call: 1M input tokens of gpt-5-mini (the default model) = $0.25
  const quarter = () => fakeOpenAI((req) => ({ text: `ok ${req.prompt}`, usage: { input_tokens: 1_000_000, output_tokens: 0 } }));

  test('no new step starts once the cost reaches the cap: with one at a time, exactly the call that reached it is the last', async () => {
    const server = await quarter();
    const dir = project([{ type: 'openai', prompt: 'Do {{{DOC}}}' }], docs(6));
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '1', '--max-cost', '0.6']);
    expectExit(o, 1);
    // $0.25, $0.50, then $0.75 reaches $0.60: no fourth call
    expect(modelCalls(server)).toHaveLength(3);
    expect(o.results.flows.map((f: any) => f.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(o.results.flows[3].error).toBe('cost limit reached');
    expect(o.results.usage.cost_usd).toBe(0.75);
    const record = JSON.parse(readFileSync(join(o.runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ stopped: 'cost limit reached', options: { max_cost_usd: 0.6 } });
  }, 30_000);

  test('a second step of a flow does not start either; the overshoot is at most the steps in flight', async () => {
    const server = await fakeOpenAI((req) => ({
      text: `ok ${req.prompt}`,
      usage: { input_tokens: 1_000_000, output_tokens: 0 },
      delayMs: 50,
    }));
    const dir = project(
      [
        { type: 'openai', name: 'one', prompt: 'One {{{DOC}}}' },
        { type: 'openai', name: 'two', prompt: 'Two' },
      ],
      docs(8),
    );
    const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '3', '--max-cost', '1']);
    expectExit(o, 1);
    const calls = modelCalls(server).length;
    // the 4th call reaches $1; at most the 2 others in flight then finish
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(calls).toBeLessThanOrEqual(4 + 2);
    expect(o.results.usage.cost_usd).toBe(calls * 0.25);
    expect(o.results.flows.some((f: any) => f.error === 'cost limit reached')).toBe(true);
  }, 30_000);

  test('per shard, like the token budget: each shard counts its own calls', async () => {
    const server = await quarter();
    const dir = project([{ type: 'openai', prompt: 'Do {{{DOC}}}' }], docs(8));
    for (const shard of ['1/2', '2/2']) {
      const o = await orchestrate(dir, server, ['--key', 'DOC:docs.list', '--parallel', '1', '--shard', shard, '--max-cost', '0.5']);
      expectExit(o, 1);
    }
    // two calls per shard ($0.25, then $0.50 reaches the cap), not two for the whole run
    expect(modelCalls(server)).toHaveLength(4);
    // report merges the shards: the run's dollars are the shards' together
    const report = await runCliInProcess(['report', 'generated'], { cwd: dir, env: baseEnv(), timeoutMs: 30_000 });
    expect(report.code).toBe(1);
    expect(report.stdout).toMatch(/tokens 4,000,000 in \/ 0 out · cost \$1\.00/);
  }, 30_000);

  test('refused before anything runs when a step calls a model without a price, or codex picks the model', async () => {
    const server = await quarter();
    const dir = project([
      { type: 'openai', name: 'a', prompt: 'A', model: 'mystery-model' },
      { type: 'codex', name: 'b', prompt: 'B' },
    ]);
    const o = await orchestrate(dir, server, ['--max-cost', '5']);
    expectExit(o, 2);
    expect(o.stderr).toContain('--max-cost $5.00 cannot count every call: config.json: step 1 ("a"): model "mystery-model" has no price');
    expect(o.stderr).toContain('--max-cost $5.00 cannot count every call: config.json: step 2 ("b"): a codex step without "model"');
    expect(modelCalls(server)).toHaveLength(0);
  }, 30_000);
});
