/**
 * The engine in-process (no CLI, no processes, no network): a PreparedRun from prepare() over a temporary
 * project, run by `new Run(prepared, control, runners)` with a stand-in runner that answers from a
 * script and records each call. Covers the order steps run in (depth first), --resume reusing what
 * succeeded, the token budget, array branches and an I/O error failing one flow only; the CLI
 * tests (resume.test.ts, faults.test.ts, cli-core.test.ts) cover the same through the binary.
 */
import { mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepare } from '../../src/engine/prepare.js';
import type { RunOptions } from '../../src/engine/options.js';
import { Run, type Runners } from '../../src/engine/run.js';
import { StepError } from '../../src/errors.js';
import type { StepRequest, StepResult, StepRunner } from '../../src/steps/runner.js';
import { docProject } from '../helpers/project.js';
import { engineOptions } from '../helpers/engine-options.js';
import { checkResults, flowId, type Results } from '../helpers/run-invariants.js';

/** One call a step made: the step, the flow and branch it ran for, its prompt. */
interface Call {
  readonly step: string;
  readonly flow: string;
  readonly branch: string;
  readonly prompt: string;
}

/** A stand-in for every kind of runner: answers from `script` (an Error is thrown), records each call. */
class ScriptedRunner implements StepRunner {
  readonly calls: Call[] = [];
  closed = 0;

  constructor(private readonly script: (call: Call) => StepResult | Error) {}

  run(request: StepRequest): Promise<StepResult> {
    const call: Call = {
      step: request.step.label,
      flow: request.env.ORCHESTRATOR_FLOW_ID!,
      branch: request.env.ORCHESTRATOR_BRANCH!,
      prompt: request.prompt,
    };
    this.calls.push(call);
    const answer = this.script(call);
    if (answer instanceof Error) return Promise.reject(answer);
    // as every runner does: the output file is what --resume reads back
    request.files.write(join(request.dir, 'output.txt'), answer.output);
    return Promise.resolve(answer);
  }

  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }

  /** The calls as `flow[.branch] step`. */
  get order(): string[] {
    return this.calls.map((c) => `${c.flow}${c.branch === '' ? '' : `.${c.branch}`} ${c.step}`);
  }
}

const USAGE = { input_tokens: 10, output_tokens: 5 };
const echo = (call: Call): StepResult => ({ output: `${call.step}(${call.prompt})`, usage: USAGE });

const options = engineOptions;

/** Runs the project in `dir` in-process with `runner` for every kind of step; returns results.json. */
async function runIn(
  dir: string,
  runner: ScriptedRunner,
  more: Partial<RunOptions> = {},
  signal = new AbortController().signal,
): Promise<{ results: Results; runDir: string }> {
  const prepared = prepare(options(dir, more));
  const runners: Runners = { openai: runner, codex: runner, cmd: runner };
  const outcome = await new Run(prepared, { signal }, runners).execute();
  const results = JSON.parse(readFileSync(outcome.resultsPath, 'utf8')) as Results;
  return { results, runDir: prepared.runDir };
}

const statuses = (results: Results): string[] =>
  results.flows.map((f) => `${f.id}${f.branch.length > 0 ? `.${f.branch.join('.')}` : ''} ${f.status}`);

const chain = [
  { type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}' },
  { type: 'openai', name: 'refine', prompt: 'Refine' },
];

describe('Run in-process with a stand-in runner', () => {
  test('each flow runs its steps in order, depth first, each step given the previous output; runners are closed once', async () => {
    const dir = docProject(chain, 3);
    const runner = new ScriptedRunner(echo);
    const { results, runDir } = await runIn(dir, runner);
    checkResults(runDir, 3);
    expect(runner.order).toEqual([
      'flow_0001 ask',
      'flow_0001 refine',
      'flow_0002 ask',
      'flow_0002 refine',
      'flow_0003 ask',
      'flow_0003 refine',
    ]);
    expect(runner.calls[0]!.prompt).toBe('Q doc-1');
    expect(runner.calls[1]!.prompt).toContain('ask(Q doc-1)');
    expect(results.flows[0]!.output).toBe(`refine(${runner.calls[1]!.prompt})`);
    expect(results).toMatchObject({ succeeded: 3, failed: 0, cancelled: 0, usage: { input_tokens: 60, output_tokens: 30 } });
    // the same runner stands for three kinds of step: closed once per kind
    expect(runner.closed).toBe(3);
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ run_id: 'run_t', stopped: null, totals: { succeeded: 3 }, peak_concurrency: 1 });
  });

  test('--resume reuses the steps that succeeded: only the failed step runs again, with the same prompt', async () => {
    const dir = docProject(chain, 3);
    const failing = new ScriptedRunner((call) =>
      call.flow === flowId(2) && call.step === 'refine' ? new StepError('the model is down', { usage: USAGE }) : echo(call),
    );
    const first = await runIn(dir, failing);
    checkResults(first.runDir, 3);
    expect(statuses(first.results)).toEqual(['flow_0001 succeeded', 'flow_0002 failed', 'flow_0003 succeeded']);
    expect(first.results.flows[1]!.error).toBe('step 2 ("refine"): the model is down');
    // a failed step's cost counts too
    // priced as the default model gpt-5-mini: $0.25 per 1M input tokens, $2 per 1M output tokens
    expect(first.results.usage).toEqual({
      input_tokens: 60,
      output_tokens: 30,
      cached_input_tokens: 0,
      cost_usd: (60 * 0.25 + 30 * 2) / 1e6,
    });

    const again = new ScriptedRunner(echo);
    const second = await runIn(dir, again, { resume: true });
    checkResults(second.runDir, 3);
    expect(again.order).toEqual(['flow_0002 refine']);
    expect(again.calls[0]!.prompt).toBe(failing.calls[3]!.prompt);
    expect(statuses(second.results)).toEqual(['flow_0001 succeeded', 'flow_0002 succeeded', 'flow_0003 succeeded']);
    const record = JSON.parse(readFileSync(join(second.runDir, 'run.json'), 'utf8')) as { attempts: unknown[] };
    expect(record.attempts).toHaveLength(2);

    // nothing left to do: a third attempt calls no step at all
    const third = new ScriptedRunner(echo);
    await runIn(dir, third, { resume: true });
    expect(third.calls).toEqual([]);
  });

  test('the token budget stops new steps: the flows not finished are cancelled, run.json says why', async () => {
    const dir = docProject(chain, 4);
    const runner = new ScriptedRunner(echo);
    // 15 tokens a step: the budget is reached by flow 2's first step
    const { results, runDir } = await runIn(dir, runner, { tokenBudget: 45 });
    checkResults(runDir, 4);
    expect(runner.order).toEqual(['flow_0001 ask', 'flow_0001 refine', 'flow_0002 ask']);
    expect(statuses(results)).toEqual(['flow_0001 succeeded', 'flow_0002 cancelled', 'flow_0003 cancelled', 'flow_0004 cancelled']);
    expect(results.flows[1]!.error).toBe('token budget reached');
    expect(results.usage).toEqual({ input_tokens: 30, output_tokens: 15, cached_input_tokens: 0, cost_usd: (30 * 0.25 + 15 * 2) / 1e6 });
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ stopped: 'token budget reached', options: { token_budget: 45 } });
  });

  test('an array step fans out: each element is a branch running the next steps, depth first, sharing the step before', async () => {
    const config = [
      { type: 'openai', name: 'split', prompt: 'Split {{{DOC}}}', array: true },
      { type: 'openai', name: 'each', prompt: 'Each' },
    ];
    const dir = docProject(config, 2);
    const runner = new ScriptedRunner((call) =>
      call.step === 'split'
        ? { output: call.flow === flowId(1) ? '["a", "b", "c"]' : '["z"]', usage: USAGE }
        : { output: `done ${call.prompt.split('\n').pop()!}`, usage: USAGE },
    );
    const { results, runDir } = await runIn(dir, runner);
    checkResults(runDir, 2);
    // the slot flow 1's array step frees goes to the next flow (no step of flow 1 waits for one at
    // that moment); then flow 1's branches, in order, come before flow 2's
    expect(runner.order).toEqual([
      'flow_0001 split',
      'flow_0002 split',
      'flow_0001.1 each',
      'flow_0001.2 each',
      'flow_0001.3 each',
      'flow_0002.1 each',
    ]);
    expect(statuses(results)).toEqual(['flow_0001.1 succeeded', 'flow_0001.2 succeeded', 'flow_0001.3 succeeded', 'flow_0002.1 succeeded']);
    // each branch's prompt ends with its element
    expect(runner.calls.filter((c) => c.step === 'each').map((c) => c.prompt.split('\n').pop())).toEqual(['a', 'b', 'c', 'z']);
    expect(results.flows.map((f) => f.output)).toEqual(['done a', 'done b', 'done c', 'done z']);
    // the split step is one directory shared by the branches: counted once
    expect(results.flows[0]!.steps[0]!.dir).toBe(results.flows[2]!.steps[0]!.dir);
    expect(results.usage).toEqual({ input_tokens: 60, output_tokens: 30, cached_input_tokens: 0, cost_usd: (60 * 0.25 + 30 * 2) / 1e6 });

    // a branch that failed runs again on --resume, alone: the array step and the other branches are kept
    const failing = new ScriptedRunner((call) => (call.step === 'split' ? { output: '["x"]', usage: USAGE } : new Error('no')));
    const dir2 = docProject(config, 1);
    await runIn(dir2, failing);
    const again = new ScriptedRunner((call) => ({ output: `ok ${call.branch}`, usage: USAGE }));
    const second = await runIn(dir2, again, { resume: true });
    expect(again.order).toEqual(['flow_0001.1 each']);
    expect(statuses(second.results)).toEqual(['flow_0001.1 succeeded']);
  });

  test('an I/O error (a file planted where a flow directory belongs) fails that flow only', async () => {
    const dir = docProject(chain, 3);
    let runDir = '';
    const runner = new ScriptedRunner((call) => {
      // a step of flow 1 writes a file where flow 2's directory goes
      if (call.flow === flowId(1) && call.step === 'ask') writeFileSync(join(runDir, flowId(2)), 'not a directory');
      return echo(call);
    });
    runDir = prepare(options(dir)).runDir;
    const { results } = await runIn(dir, runner);
    expect(statuses(results)).toEqual(['flow_0001 succeeded', 'flow_0002 failed', 'flow_0003 succeeded']);
    expect(results.flows[1]!.error).toMatch(/cannot write the flow's files/);
    expect(results).toMatchObject({ total: 3, succeeded: 2, failed: 1, cancelled: 0 });
    // flow 2 never reached its runner; flow 3 ran as usual
    expect(runner.order).toEqual(['flow_0001 ask', 'flow_0001 refine', 'flow_0003 ask', 'flow_0003 refine']);
    expect(readFileSync(join(runDir, flowId(2)), 'utf8')).toBe('not a directory');
  });

  test('a config without array steps: a branch planted in a flow directory is not listed in results.json', async () => {
    const dir = docProject(chain, 2);
    let runDir = '';
    const runner = new ScriptedRunner((call) => {
      // a step of flow 2 (flow 1 has ended: --parallel 1) plants a well-formed branch leaf in flow 1
      if (call.flow === flowId(2) && call.step === 'ask') {
        const entry = JSON.parse(readFileSync(join(runDir, flowId(1), 'result.json'), 'utf8')) as { branch: number[]; output: string };
        mkdirSync(join(runDir, flowId(1), 'branch_1'));
        writeFileSync(join(runDir, flowId(1), 'branch_1', 'result.json'), JSON.stringify({ ...entry, branch: [1], output: 'PLANTED' }));
      }
      return echo(call);
    });
    runDir = prepare(options(dir)).runDir;
    const { results } = await runIn(dir, runner);
    expect(statuses(results)).toEqual(['flow_0001 succeeded', 'flow_0002 succeeded']);
    expect(JSON.stringify(results)).not.toContain('PLANTED');
    expect(results).toMatchObject({ total: 2, succeeded: 2, failed: 0, cancelled: 0 });
  });

  test('at --parallel 50 a step ends by letting its directory go: only the steps running hold theirs open', async () => {
    // the run keeps the directories it writes into open (util/dir-handles.ts, at most 128): a step's
    // directory is done with when its step ends; held on, the ended steps' directories pushed the
    // flows' own out, which each next step then made (EEXIST) and opened again
    const dir = docProject([...chain, { type: 'openai', name: 'close', prompt: 'Close' }], 60);
    const runDir = prepare(options(dir)).runDir;
    const running = new Set<string>();
    const held: string[] = [];
    const stepDirsOpen = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return target.startsWith(`${runDir}/`) && /\/\d+_[^/]+$/.test(target) ? [target] : [];
        } catch {
          return []; // closed meanwhile (the listing's own descriptor)
        }
      });
    let most = 0;
    const runner = new (class extends ScriptedRunner {
      override async run(request: StepRequest): Promise<StepResult> {
        running.add(request.dir);
        // every flow's step waits here together: the steps of 50 flows interleave, as model calls do
        await new Promise((resolve) => setImmediate(resolve));
        const open = stepDirsOpen();
        most = Math.max(most, open.length);
        for (const target of open) if (!running.has(target)) held.push(target);
        try {
          return await super.run(request);
        } finally {
          running.delete(request.dir);
        }
      }
    })(echo);
    const { results } = await runIn(dir, runner, { parallel: 50 });
    checkResults(runDir, 60);
    expect(results).toMatchObject({ total: 60, succeeded: 60 });
    expect(runner.calls).toHaveLength(180);
    expect([...new Set(held)]).toEqual([]);
    expect(most).toBeLessThanOrEqual(50);
  });

  test('an interrupt (the control signal aborted) lets the running step finish, then cancels the rest; run.json says so', async () => {
    const dir = docProject(chain, 3);
    const controller = new AbortController();
    const runner = new ScriptedRunner((call) => {
      if (call.flow === flowId(2) && call.step === 'ask') controller.abort(new Error('SIGINT'));
      return echo(call);
    });
    const { results, runDir } = await runIn(dir, runner, {}, controller.signal);
    checkResults(runDir, 3);
    expect(runner.order).toEqual(['flow_0001 ask', 'flow_0001 refine', 'flow_0002 ask']);
    expect(statuses(results)).toEqual(['flow_0001 succeeded', 'flow_0002 cancelled', 'flow_0003 cancelled']);
    expect(results.flows[1]).toMatchObject({ error: 'interrupted', output: 'ask(Q doc-2)' });
    expect(results.flows[1]!.steps.map((s) => `${s.name} ${s.status}`)).toEqual(['ask succeeded']);
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ stopped: 'interrupted' });
  });
});
