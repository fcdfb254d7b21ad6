/**
 * --batch (README: "Spend: the Batch API"): openai steps go through the fake server's Batch API
 * (files, batches, polling, output and error files) with the real SDK as client; no direct call is
 * made, the outputs are those of direct calls, requests ready together share a batch, batch ids
 * are saved in the run directory so an interrupted or timed-out run's --resume polls the same
 * batch instead of paying again, and failed lines follow the retry rules.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, baseEnv, expectExit, orchestrate, readJson, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI } from './helpers/fake-openai.js';
import { waitFor } from './helpers/processes.js';
import { docProject, fakeOpenAI } from './helpers/project.js';
import { checkResults } from './helpers/run-invariants.js';

const KEY = 'sk-test-batch-0123456789abcdef';
const FLOWS = 6;
/** Two steps: one on the Responses API, one on Chat Completions (a batch each: one endpoint per batch). */
const CONFIG = {
  steps: [
    { type: 'openai', name: 'draft', prompt: 'Draft {{{DOC}}}' },
    { type: 'openai', name: 'polish', prompt: 'Polish', api: 'chat' },
  ],
};

const direct = (server: FakeOpenAI): number =>
  server.requests.filter((r) => r.path === '/v1/responses' || r.path === '/v1/chat/completions').length;

/** In the jest process (helpers/cli-inprocess.ts), but for a run the test signals (onStart): that one is a child. */
function run(dir: string, server: FakeOpenAI, args: string[] = [], options: Parameters<typeof orchestrate>[3] = {}): Promise<Outcome> {
  return (options.onStart === undefined ? orchestrateInProcess : orchestrate)(
    dir,
    ['--key', 'DOC:docs.list', ...args],
    { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, ORCHESTRATOR_BATCH_GATHER_MS: '300', ORCHESTRATOR_BATCH_POLL_MS: '50' },
    { timeoutMs: 30_000, ...options },
  );
}

const outputs = (o: Outcome): unknown[] => o.results.flows.map((f: any) => [f.id, f.status, f.output]);
const batchFiles = (runDir: string): string[] => (existsSync(join(runDir, 'batches')) ? readdirSync(join(runDir, 'batches')) : []);

describe('--batch', () => {
  test('makes no direct call and gives the outputs of direct calls; one batch per step; progress shows the pending batch', async () => {
    const directServer = await fakeOpenAI();
    const plain = await run(docProject(CONFIG, FLOWS), directServer);
    expectExit(plain, 0);

    const server = await fakeOpenAI();
    server.batches.options.delayMs = 400;
    const dir = docProject(CONFIG, FLOWS);
    const batched = await run(dir, server, ['--batch']);
    expectExit(batched, 0);
    checkResults(batched.runDir, FLOWS);
    expect(direct(server)).toBe(0);
    expect(outputs(batched)).toEqual(outputs(plain));
    // the same tokens, at batch prices: half the dollars (model/cost.ts)
    const { cost_usd: cost, ...tokens } = batched.results.usage;
    const { cost_usd: fullCost, ...directTokens } = plain.results.usage;
    expect(tokens).toEqual(directTokens);
    expect(fullCost).toBeGreaterThan(0);
    expect(cost).toBeCloseTo(fullCost / 2, 12);
    // all six flows' first steps were ready together, then all six second steps
    expect(server.batches.batches.map((b) => [b.endpoint, b.lines.length])).toEqual([
      ['/v1/responses', FLOWS],
      ['/v1/chat/completions', FLOWS],
    ]);
    expect(server.batchLines).toHaveLength(2 * FLOWS);
    // each step says which batch answered it (batch prices), in results.json and step.json
    const [first, second] = server.batches.batches.map((b) => b.id);
    for (const flow of batched.results.flows) expect(flow.steps.map((s: any) => s.batch)).toEqual([first, second]);
    expect(readJson(join(batched.runDir, 'flow_0001', '01_draft', 'step.json')).batch).toBe(first);
    expect(readFileSync(join(batched.runDir, 'flow_0001', '02_polish', 'response.json'), 'utf8')).toContain('chat.completion');
    // the batch records: ids, endpoint and the custom_id of each step directory
    expect(batchFiles(batched.runDir).sort()).toEqual([`${first}.json`, `${second}.json`]);
    const record = readJson(join(batched.runDir, 'batches', `${first}.json`));
    expect(record).toMatchObject({ id: first, endpoint: '/v1/responses', model: 'gpt-5-mini' });
    expect(record.requests.map((r: any) => r.dir)).toEqual(Array.from({ length: FLOWS }, (_, i) => `flow_000${i + 1}/01_draft`));
    expect(batched.stderr).toMatch(/batches: 1 pending, \d+\/6 requests done/);
    expect(readJson(join(batched.runDir, 'run.json')).options.batch).toEqual({ timeout: 86400, cancel_on_exit: false });
  }, 60_000);

  test('a run interrupted while its batch is pending leaves it running and says so; --resume polls the same batch', async () => {
    const server = await fakeOpenAI();
    server.batches.options.delayMs = 60_000;
    const dir = docProject({ steps: [CONFIG.steps[0]] }, FLOWS);
    const runDir = join(dir, 'generated', 'run_t');
    const interrupted = await run(dir, server, ['--batch'], {
      onStart: (pid) => {
        void waitFor('the batch record', () => batchFiles(runDir).length === 1, 20_000).then(() => process.kill(pid, 'SIGINT'));
      },
    });
    expectExit(interrupted, 130);
    const id = server.batches.batches[0]!.id;
    expect(interrupted.stderr).toContain(`1 batch(es) left running at the server with ${FLOWS} requests: ${id}`);
    expect(interrupted.results).toMatchObject({ cancelled: FLOWS, succeeded: 0 });
    expect(server.batches.batches[0]!.status).toBe('in_progress');

    server.batches.options.delayMs = 0;
    const resumed = await run(dir, server, ['--batch', '--resume']);
    expectExit(resumed, 0);
    checkResults(runDir, FLOWS);
    // the same batch answered: nothing was sent or paid for twice
    expect(server.batches.created).toBe(1);
    expect(server.batchLines).toHaveLength(FLOWS);
    expect(direct(server)).toBe(0);
    expect(resumed.results.flows.map((f: any) => [f.output, f.steps[0].batch])).toEqual(
      Array.from({ length: FLOWS }, (_, i) => [`echo: Draft doc-${i + 1}`, id]),
    );
  }, 60_000);

  test('a batch record that is not ours (tampered) is skipped with a warning: --resume sends its requests again', async () => {
    const server = await fakeOpenAI();
    server.batches.options.delayMs = 60_000;
    const dir = docProject({ steps: [CONFIG.steps[0]] }, 2);
    const runDir = join(dir, 'generated', 'run_t');
    const first = await run(dir, server, ['--batch', '--timeout', '1']);
    expectExit(first, 1);
    const [name] = batchFiles(runDir);
    const path = join(runDir, 'batches', name!);
    const record = readJson(path);
    record.requests[0].dir = '../../elsewhere';
    writeFileSync(path, JSON.stringify(record));
    server.batches.options.delayMs = 0;
    const resumed = await run(dir, server, ['--batch', '--resume']);
    expectExit(resumed, 0);
    expect(resumed.stderr).toContain(`warning: ${path}: requests[0].dir is not a step directory of the run: its batch is not polled again`);
    expect(server.batches.created).toBe(2);
  }, 60_000);

  test('--timeout bounds the wait for a batch; the timed-out batch is collected by --resume', async () => {
    const server = await fakeOpenAI();
    server.batches.options.delayMs = 60_000;
    const dir = docProject({ steps: [CONFIG.steps[0]] }, 2);
    const timedOut = await run(dir, server, ['--batch', '--timeout', '1']);
    expectExit(timedOut, 1);
    const id = server.batches.batches[0]!.id;
    expect(timedOut.results.flows[0].error).toContain(`batch ${id} gave no answer within 1 s`);
    expect(timedOut.stderr).toContain(`left running at the server with 2 requests: ${id}`);
    server.batches.options.delayMs = 0;
    const resumed = await run(dir, server, ['--batch', '--resume']);
    expectExit(resumed, 0);
    expect(server.batches.created).toBe(1);
  }, 60_000);

  test('failed lines follow the retry rules: a server error is sent again in the next batch, a 400 is not', async () => {
    const server = await fakeOpenAI((req) =>
      req.prompt.includes('doc-3') ? { status: 400, text: 'bad request for doc-3' } : { text: `echo: ${req.prompt}` },
    );
    let failedOnce = false;
    server.batches.options.lineError = (line) => {
      if (failedOnce || !JSON.stringify(line.body).includes('doc-2')) return undefined;
      failedOnce = true;
      return { code: 'server_error', message: 'try again' };
    };
    const dir = docProject({ steps: [CONFIG.steps[0]] }, 4);
    const o = await run(dir, server, ['--batch', '--retries', '1']);
    expectExit(o, 1);
    checkResults(o.runDir, 4);
    expect(o.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded']);
    expect(o.results.flows[1].output).toBe('echo: Draft doc-2');
    expect(o.results.flows[2].error).toMatch(/batch \S+ failed: HTTP 400: bad request for doc-3/);
    // the retry went in a second batch of its own; doc-3's 400 was not retried
    expect(server.batches.batches.map((b) => b.lines.length)).toEqual([4, 1]);
    expect(direct(server)).toBe(0);
  }, 60_000);

  test('at most ORCHESTRATOR_BATCH_MAX_PENDING requests wait in batches at once; the others follow in later batches', async () => {
    const server = await fakeOpenAI();
    server.batches.options.delayMs = 100;
    const dir = docProject(CONFIG, 5);
    const o = await orchestrate(
      dir,
      ['--key', 'DOC:docs.list', '--batch'],
      {
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: server.url,
        ORCHESTRATOR_BATCH_GATHER_MS: '100',
        ORCHESTRATOR_BATCH_POLL_MS: '50',
        ORCHESTRATOR_BATCH_MAX_PENDING: '2',
      },
      { timeoutMs: 30_000 },
    );
    expectExit(o, 0);
    checkResults(o.runDir, 5);
    const sizes = server.batches.batches.map((b) => b.lines.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(o.results.flows.map((f: any) => f.output)).toEqual(
      Array.from({ length: 5 }, (_, i) => `echo: Polish\n\necho: Draft doc-${i + 1}`),
    );
  }, 60_000);

  test('--batch-cancel-on-exit cancels the pending batch on SIGINT', async () => {
    const server = await fakeOpenAI();
    server.batches.options.delayMs = 60_000;
    const dir = docProject({ steps: [CONFIG.steps[0]] }, 2);
    const runDir = join(dir, 'generated', 'run_t');
    const o = await run(dir, server, ['--batch', '--batch-cancel-on-exit'], {
      onStart: (pid) => {
        void waitFor('the batch record', () => batchFiles(runDir).length === 1, 20_000).then(() => process.kill(pid, 'SIGINT'));
      },
    });
    expectExit(o, 130);
    expect(server.batches.batches[0]!.status).toBe('cancelled');
    expect(o.stderr).toContain(`cancelled 1 unfinished batch(es) (--batch-cancel-on-exit): ${server.batches.batches[0]!.id}`);
    // --resume finds the cancelled batch, which answered nothing: the requests are sent anew
    server.batches.options.delayMs = 0;
    const resumed = await run(dir, server, ['--batch', '--resume']);
    expectExit(resumed, 0);
    expect(server.batches.batches.map((b) => [b.status, b.lines.length])).toEqual([
      ['cancelled', 2],
      ['completed', 2],
    ]);
  }, 60_000);

  /**
   * Node 20 and 22 warn past 10 listeners on one AbortSignal (24 does not): the run's signal is
   * shared by every waiting step, so a Node that warns is found on this machine and the CLI run
   * under it, as a user on Node 22 runs it.
   */
  const warningNode = ['/usr/bin/node', '/usr/local/bin/node'].find((node) => {
    if (!existsSync(node)) return false;
    const probe = "const c = new AbortController(); for (let i = 0; i < 11; i++) c.signal.addEventListener('abort', () => {});";
    return /MaxListenersExceededWarning/.test(spawnSync(node, ['-e', probe], { encoding: 'utf8' }).stderr);
  });
  (warningNode === undefined ? test.skip : test)(
    'no MaxListenersExceededWarning at 6 flows, NODE_OPTIONS as the user has it (issue 24.5)',
    async () => {
      const server = await fakeOpenAI();
      server.batches.options.delayMs = 400;
      const dir = docProject(CONFIG, FLOWS);
      const env = baseEnv({
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: server.url,
        ORCHESTRATOR_BATCH_GATHER_MS: '300',
        ORCHESTRATOR_BATCH_POLL_MS: '50',
        NODE_OPTIONS: undefined,
      });
      const child = spawn(warningNode!, [BIN, 'config.json', '--key', 'DOC:docs.list', '--batch'], {
        cwd: dir,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).toMatch(/done: 6 succeeded, 0 failed/);
      expect(code).toBe(0);
      expect(stderr).not.toMatch(/MaxListenersExceededWarning|Warning:/);
    },
    60_000,
  );
});
