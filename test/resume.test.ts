/**
 * --resume and --token-budget (README: "CLI"): a resumed run runs only the flows (and branches)
 * without a succeeded result.json, also after a SIGKILL; the token budget stops new steps and ends
 * the unfinished flows `cancelled`, overshooting by at most the steps in flight. A changed config or
 * key list refusing --resume is covered in cli-core.test.ts.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, orchestrate as run, type CliResult } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, RecordedRequest } from './helpers/fake-openai.js';
import { signalProcess } from './helpers/processes.js';
import { docProject, fakeOpenAI } from './helpers/project.js';
import { checkResults, flowId, type Results } from './helpers/run-invariants.js';

const KEY = 'sk-test-resume-0123456789abcdef';
/** Process groups of steps a SIGKILLed orchestrator left behind: killed at the end whatever happened. */
const groups = new Set<number>();

afterAll(() => {
  for (const pid of groups) killGroup(pid);
});

function killGroup(pid: number): void {
  signalProcess(pid, 'SIGKILL', true);
}

const runDirOf = (dir: string): string => join(dir, 'generated', 'run_t');

/** A run over the key DOC with a model key and the fake (if any) as OPENAI_BASE_URL, in the jest process (helpers/cli-inprocess.ts); the exit code checked if given. */
async function orchestrate(dir: string, args: string[], server?: FakeOpenAI, expectCode?: number): Promise<CliResult> {
  const result = await orchestrateInProcess(
    dir,
    ['--key', 'DOC:docs.list', ...args],
    { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server?.url },
    { readResults: false },
  );
  if (expectCode !== undefined) expectExit(result, expectCode);
  return result;
}

/** The JSON text parsed, or undefined when it is not whole (a file being written). */
function parsedOrUndefined(text: string): { status?: unknown } | undefined {
  try {
    return JSON.parse(text) as { status?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * Runs the flows two at a time and SIGKILLs the orchestrator as soon as `succeeded()` (what the
 * result.json files on disk say) holds two; then ends the steps it left running as a crash would
 * have: each is its own process group, whose leader (the step's shell) appended its pid to `pids`.
 */
async function killMidway(dir: string, succeeded: () => Set<unknown>): Promise<void> {
  const killed = await run(
    dir,
    ['--key', 'DOC:docs.list', '--parallel', '2'],
    {},
    {
      readResults: false,
      onStart: (pid) => {
        const poll = setInterval(() => {
          if (succeeded().size < 2) return;
          clearInterval(poll);
          process.kill(pid, 'SIGKILL');
        }, 10);
      },
    },
  );
  expect(killed.signal).toBe('SIGKILL');
  // SIGKILL leaves the steps' shells behind, and one spawned just before the kill may not have
  // written its pid yet (on a loaded machine): kill the groups until no new pid shows up for 0.5 s
  const seen = new Set<number>();
  for (let quiet = 0; quiet < 5;) {
    // whole lines only: a line being written is read at the next look
    const pids = (readFileSync(join(dir, 'pids'), 'utf8').match(/^\d+$(?=\n)/gm) ?? []).map(Number);
    const fresh = pids.filter((pid) => !seen.has(pid));
    quiet = fresh.length === 0 ? quiet + 1 : 0;
    for (const pid of fresh) {
      seen.add(pid);
      groups.add(pid);
      killGroup(pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Model calls whose prompt carries doc-N (every step of flow N does: each prompt holds the previous output). */
const callsFor = (requests: readonly RecordedRequest[], doc: number): number =>
  requests.filter((r) => new RegExp(`\\bdoc-${doc}\\b`).test(r.prompt)).length;

/** The text after the blank line: the previous output a prompt carries. */
const previous = (prompt: string): string => prompt.split('\n\n').slice(1).join('\n\n');

/** result.json of the leaf "doc-F x" (branch a, b, c = 1, 2, 3) */
const leafFile = (runDir: string, leaf: string): string => {
  const [, f, letter] = /^doc-(\d+) ([abc])$/.exec(leaf)!;
  return join(runDir, flowId(Number(f)), `branch_${'abc'.indexOf(letter!) + 1}`, 'result.json');
};

const statuses = (results: Results): string[] =>
  results.flows.map((f) => `${f.id}${f.branch.length ? `[${f.branch.join(',')}]` : ''} ${f.status}`);

describe('--resume', () => {
  test('runs only the failed, cancelled and missing flows; succeeded flows are not called again', async () => {
    // two model steps per flow, one at a time; flow 2 fails (500, no retries); the budget of 75
    // tokens (5 calls of 15) ends the run in flow 4 after its first step: flow 4 is cancelled with a
    // result.json, flows 5 and 6 never start. Then flow 3's directory is deleted: missing.
    let failing = true;
    const server = await fakeOpenAI((req) => {
      if (failing && req.prompt.startsWith('Q doc-2')) return { status: 500, text: 'flow 2 is broken today' };
      return { text: `${req.prompt.startsWith('Q ') ? 'answer' : 'refined'} ${req.prompt}`, usage: { input_tokens: 10, output_tokens: 5 } };
    });
    const config = [
      { type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}' },
      { type: 'openai', name: 'refine', prompt: 'Refine' },
    ];
    const dir = docProject(config, 6);
    const runDir = runDirOf(dir);
    await orchestrate(dir, ['--parallel', '1', '--retries', '0', '--token-budget', '75'], server, 1);
    const first = checkResults(runDir, 6);
    expect(statuses(first)).toEqual([
      'flow_0001 succeeded',
      'flow_0002 failed',
      'flow_0003 succeeded',
      'flow_0004 cancelled',
      'flow_0005 cancelled',
      'flow_0006 cancelled',
    ]);
    expect(existsSync(join(runDir, 'flow_0004', 'result.json'))).toBe(true);
    expect(existsSync(join(runDir, 'flow_0005'))).toBe(false);
    rmSync(join(runDir, 'flow_0003'), { recursive: true });
    const kept = readFileSync(join(runDir, 'flow_0001', 'result.json'), 'utf8');

    failing = false;
    const before = server.requests.length;
    await orchestrate(dir, ['--parallel', '1', '--retries', '0', '--resume'], server, 0);
    const again = server.requests.slice(before);
    // every flow but the succeeded one ran again; flow 4's first step had succeeded before the
    // budget stopped it, so its saved output is used and only its second step is paid for again
    expect([1, 2, 3, 4, 5, 6].map((n) => callsFor(again, n))).toEqual([0, 2, 2, 1, 2, 2]);
    expect(again).toHaveLength(9);
    const results = checkResults(runDir, 6);
    expect(results).toMatchObject({ total: 6, succeeded: 6, failed: 0, cancelled: 0 });
    expect(results.flows.map((f) => f.output)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `refined Refine\n\nanswer Q doc-${n}`));
    // the succeeded flow's leaf is untouched, and its tokens still count
    expect(readFileSync(join(runDir, 'flow_0001', 'result.json'), 'utf8')).toBe(kept);
    // gpt-5-mini (the default model): $0.25 per 1M input tokens, $2 per 1M output tokens
    expect(results.usage).toEqual({ input_tokens: 120, output_tokens: 60, cached_input_tokens: 0, cost_usd: (120 * 0.25 + 60 * 2) / 1e6 });
  }, 30_000);

  test('with no run to continue (a --run-id that is not there, or none given) it is refused, naming the runs there; nothing runs', async () => {
    const server = await fakeOpenAI(() => Promise.resolve({ text: 'ok' }));
    try {
      const dir = docProject([{ type: 'openai', name: 'ask', prompt: 'Read {{{DOC}}}.' }], 2);
      const empty = await orchestrate(dir, ['--resume', '--run-id', 't'], server, 2);
      expect(empty.stderr).toContain(
        'orchestrator: error: --resume: there is no run generated/run_t (generated holds no run); pass the --run-id (and --output) of the run to finish, or leave out --resume to start a new run',
      );
      await orchestrate(dir, ['--run-id', 't'], server, 0);
      const calls = server.requests.length;
      const typo = await orchestrate(dir, ['--resume', '--run-id', 'tt'], server, 2);
      expect(typo.stderr).toContain('--resume: there is no run generated/run_tt (runs in generated: run_t);');
      const none = await runCliInProcess(['config.json', '--key', 'DOC:docs.list', '--resume'], {
        cwd: dir,
        env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url },
      });
      expectExit(none, 2);
      expect(none.stderr).toContain('--resume: without --run-id there is no run to resume (runs in generated: run_t);');
      expect(server.requests).toHaveLength(calls);
      expect(readdirSync(join(dir, 'generated'))).toEqual(['run_t']);
      // the run that is there resumes
      await orchestrate(dir, ['--resume', '--run-id', 't'], server, 0);
    } finally {
      await server.close();
    }
  });

  test('a run killed with SIGKILL mid-way is resumable: only flows without a succeeded result.json run again', async () => {
    // 8 flows of two cmd steps (about 0.5 s each flow), two at a time; each step records its shell's
    // pid (the leader of its process group) and step 1 logs the flow it runs
    const config = [
      { name: 'one', cmd: 'echo $$ >> pids; echo {{{DOC}}} >> runs.log; sleep 0.25; echo one {{{DOC}}}' },
      { name: 'two', cmd: 'echo $$ >> pids; sleep 0.25; tr a-z A-Z' },
    ];
    const dir = docProject(config, 8);
    const runDir = runDirOf(dir);
    const succeededOnDisk = (): Set<number> => {
      const done = new Set<number>();
      if (!existsSync(runDir)) return done;
      for (const name of readdirSync(runDir)) {
        const file = join(runDir, name, 'result.json');
        // result.json is written in place (dbe178c): one being written reads torn, as not there yet
        if (/^flow_\d+$/.test(name) && existsSync(file) && parsedOrUndefined(readFileSync(file, 'utf8'))?.status === 'succeeded') {
          done.add(Number(name.slice(5)));
        }
      }
      return done;
    };
    await killMidway(dir, succeededOnDisk);
    expect(existsSync(join(runDir, 'results.json'))).toBe(false);
    const survived = succeededOnDisk();
    // killed mid-way: some flows are done, not all
    expect(survived.size).toBeGreaterThanOrEqual(2);
    expect(survived.size).toBeLessThan(8);
    const kept = new Map([...survived].map((n) => [n, readFileSync(join(runDir, flowId(n), 'result.json'), 'utf8')]));
    const logged = readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;

    await orchestrate(dir, ['--parallel', '2', '--resume'], undefined, 0);
    const rerun = readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).slice(logged);
    const expected = [1, 2, 3, 4, 5, 6, 7, 8].filter((n) => !survived.has(n)).map((n) => `doc-${n}`);
    expect([...rerun].sort()).toEqual(expected.sort());
    const results = checkResults(runDir, 8);
    expect(results).toMatchObject({ flows_total: 8, total: 8, succeeded: 8, failed: 0, cancelled: 0 });
    expect(results.flows.map((f) => f.output)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `ONE DOC-${n}\n`));
    for (const [n, text] of kept) expect(readFileSync(join(runDir, flowId(n), 'result.json'), 'utf8')).toBe(text);
  }, 30_000);

  test('SIGKILL among array branches: the resumed run finishes every branch, re-running only those not succeeded', async () => {
    // 3 flows whose array step gives 3 elements; each branch step takes 0.3 s, two at a time
    const config = [
      { name: 'split', cmd: `echo {{{DOC}}} >> splits.log; printf '["%s a","%s b","%s c"]' {{{DOC}}} {{{DOC}}} {{{DOC}}}`, array: true },
      { name: 'each', cmd: 'echo $$ >> pids; x=$(cat); echo "$x" >> branches.log; sleep 0.3; echo "did $x"' },
    ];
    const dir = docProject(config, 3);
    const runDir = runDirOf(dir);
    /** "doc-F x" of every leaf whose result.json says succeeded */
    const succeededOnDisk = (): Set<string> => {
      const done = new Set<string>();
      for (const f of [1, 2, 3]) {
        for (const [b, letter] of [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ] as const) {
          const file = join(runDir, flowId(f), `branch_${b}`, 'result.json');
          if (existsSync(file) && parsedOrUndefined(readFileSync(file, 'utf8'))?.status === 'succeeded') done.add(`doc-${f} ${letter}`);
        }
      }
      return done;
    };
    await killMidway(dir, succeededOnDisk);
    const survived = succeededOnDisk();
    expect(survived.size).toBeGreaterThanOrEqual(2);
    expect(survived.size).toBeLessThan(9);
    const kept = new Map([...survived].map((leaf) => [leaf, readFileSync(leafFile(runDir, leaf), 'utf8')]));
    const lines = (name: string): string[] => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean);
    const splitsBefore = lines('splits.log').length;
    const branchesBefore = lines('branches.log').length;

    await orchestrate(dir, ['--parallel', '2', '--resume'], undefined, 0);
    const results = checkResults(runDir, 3);
    expect(results).toMatchObject({ flows_total: 3, total: 9, succeeded: 9, failed: 0, cancelled: 0 });
    expect(results.flows.map((f) => f.output)).toEqual([1, 2, 3].flatMap((f) => ['a', 'b', 'c'].map((l) => `did doc-${f} ${l}\n`)));
    // no succeeded branch ran again, and its result.json is as it was
    const rerun = lines('branches.log').slice(branchesBefore);
    const all = [1, 2, 3].flatMap((f) => ['a', 'b', 'c'].map((l) => `doc-${f} ${l}`));
    expect([...rerun].sort()).toEqual(all.filter((leaf) => !survived.has(leaf)).sort());
    for (const [leaf, text] of kept) expect(readFileSync(leafFile(runDir, leaf), 'utf8')).toBe(text);
    // a flow with a succeeded branch kept its array step's output
    const resplit = lines('splits.log').slice(splitsBefore);
    for (const leaf of survived) expect(resplit).not.toContain(leaf.split(' ')[0]);
  }, 30_000);

  test.each([
    [
      'a nested array',
      [
        { name: 'outer', cmd: `echo {{{DOC}}} >> runs.log; printf '["%s a","%s b"]' {{{DOC}}} {{{DOC}}}`, array: true },
        { name: 'inner', cmd: 'x=$(cat); printf \'["%s 1","%s 2"]\' "$x" "$x"', array: true },
        { name: 'last', cmd: 'x=$(cat); echo "$x" >> runs.log; echo "did $x"' },
      ],
      'branch_2/branch_1',
      4,
      true,
    ],
    [
      'an array on the last step',
      [{ name: 'fan', cmd: `echo {{{DOC}}} >> runs.log; printf '["%s a","%s b","%s c"]' {{{DOC}}} {{{DOC}}} {{{DOC}}}`, array: true }],
      'branch_2',
      3,
      // the missing leaf is rebuilt from the array step's saved output: nothing runs again
      false,
    ],
  ])(
    'a leaf whose result.json is missing (%s) runs again: the flow is not taken for done',
    async (_what, config, missing, leavesPerFlow, reran) => {
      const dir = docProject(config, 2);
      const runDir = runDirOf(dir);
      await orchestrate(dir, [], undefined, 0);
      const full = checkResults(runDir, 2);
      expect(full.total).toBe(2 * leavesPerFlow);
      // as a run killed between two leaves of flow 1 leaves it
      rmSync(join(runDir, 'flow_0001', missing), { recursive: true });
      const logged = readFileSync(join(dir, 'runs.log'), 'utf8').length;
      await orchestrate(dir, ['--resume'], undefined, 0);
      const results = checkResults(runDir, 2);
      expect(results.flows.map((f) => [f.id, f.branch, f.status, f.output])).toEqual(
        full.flows.map((f) => [f.id, f.branch, f.status, f.output]),
      );
      // flow 2 was complete and did not run again
      expect(readFileSync(join(dir, 'runs.log'), 'utf8').slice(logged)).not.toContain('doc-2');
      const log = readFileSync(join(dir, 'runs.log'), 'utf8').slice(logged);
      if (reran) expect(log).toContain('doc-1');
      else expect(log).toBe('');
    },
    30_000,
  );

  test('inside a flow: only the failed branch of an array step runs again; the array step is not re-run', async () => {
    // flow 2's array step gives 3 elements; its branch 2 fails at "work" the first time
    let failing = true;
    const server = await fakeOpenAI((req) => {
      if (req.prompt.startsWith('List ')) {
        const doc = /doc-\d+/.exec(req.prompt)![0];
        return { text: JSON.stringify([1, 2, 3].map((e) => `${doc} e${e}`)) };
      }
      if (failing && req.prompt === 'Work\n\ndoc-2 e2') return { status: 500, text: 'branch 2 is broken today' };
      return { text: `${req.prompt.startsWith('Work') ? 'worked' : 'polished'} ${previous(req.prompt)}` };
    });
    const config = [
      { type: 'openai', name: 'list', prompt: 'List {{{DOC}}}', array: true },
      { type: 'openai', name: 'work', prompt: 'Work' },
      { type: 'openai', name: 'polish', prompt: 'Polish' },
    ];
    const dir = docProject(config, 2);
    const runDir = runDirOf(dir);
    await orchestrate(dir, ['--retries', '0'], server, 1);
    const first = checkResults(runDir, 2);
    expect(statuses(first)).toEqual([
      'flow_0001[1] succeeded',
      'flow_0001[2] succeeded',
      'flow_0001[3] succeeded',
      'flow_0002[1] succeeded',
      'flow_0002[2] failed',
      'flow_0002[3] succeeded',
    ]);
    const keptFiles = ['01_list/response.json', 'branch_1/result.json', 'branch_3/result.json'].map((f) => join(runDir, 'flow_0002', f));
    const kept = keptFiles.map((f) => readFileSync(f, 'utf8'));

    failing = false;
    const before = server.requests.length;
    await orchestrate(dir, ['--retries', '0', '--resume'], server, 0);
    expect(server.requests.slice(before).map((r) => r.prompt)).toEqual(['Work\n\ndoc-2 e2', 'Polish\n\nworked doc-2 e2']);
    const results = checkResults(runDir, 2);
    expect(results).toMatchObject({ total: 6, succeeded: 6, failed: 0, cancelled: 0 });
    expect(results.flows.map((f) => f.output)).toEqual([1, 2].flatMap((d) => [1, 2, 3].map((e) => `polished worked doc-${d} e${e}`)));
    expect(keptFiles.map((f) => readFileSync(f, 'utf8'))).toEqual(kept);
    // the re-run branch shares the array step it was not re-run with: counted once, 14 calls in all
    const branch2 = results.flows.find((f) => f.id === 'flow_0002' && f.branch[0] === 2)!;
    expect(branch2.steps.map((s) => [s.name, s.status, s.dir])).toEqual([
      ['list', 'succeeded', 'flow_0002/01_list'],
      ['work', 'succeeded', 'flow_0002/branch_2/02_work'],
      ['polish', 'succeeded', 'flow_0002/branch_2/03_polish'],
    ]);
    expect(results.usage).toEqual({ input_tokens: 140, output_tokens: 70, cached_input_tokens: 0, cost_usd: (140 * 0.25 + 70 * 2) / 1e6 });
  }, 30_000);
});

describe('--token-budget', () => {
  const CONFIG = [
    { type: 'openai', name: 'ask', prompt: 'Q {{{DOC}}}' },
    { type: 'openai', name: 'refine', prompt: 'Refine' },
  ];

  /** The closing progress line's token counts. */
  function closingTokens(stderr: string): { input_tokens: number; output_tokens: number } {
    const line = stderr.split('\n').find((l) => /^done: /.test(l));
    const m = line && /tokens ([\d,]+) in \/ ([\d,]+) out/.exec(line);
    if (!m) throw new Error(`no closing line with tokens in:\n${stderr}`);
    return { input_tokens: Number(m[1]!.replace(/,/g, '')), output_tokens: Number(m[2]!.replace(/,/g, '')) };
  }

  function expectBudgetStop(o: CliResult, results: Results): void {
    expect(o.code).toBe(1);
    expect(results.failed).toBe(0);
    for (const leaf of results.flows.filter((f) => f.status === 'cancelled')) expect(leaf.error).toBe('token budget reached');
    expect(closingTokens(o.stderr)).toEqual({ input_tokens: results.usage.input_tokens, output_tokens: results.usage.output_tokens });
    expect(o.stderr).toMatch(new RegExp(`^done: ${results.succeeded} succeeded, 0 failed, ${results.cancelled} cancelled;`, 'm'));
  }

  test('--parallel 1: after the 3rd call (45 tokens) no new step starts; the rest end cancelled', async () => {
    const server = await fakeOpenAI((req) => ({ text: `re ${req.prompt}`, usage: { input_tokens: 10, output_tokens: 5 } }));
    const dir = docProject(CONFIG, 10);
    const o = await orchestrate(dir, ['--parallel', '1', '--token-budget', '45'], server);
    const results = checkResults(runDirOf(dir), 10);
    expectBudgetStop(o, results);
    expect(server.requests).toHaveLength(3);
    expect(results.usage).toEqual({ input_tokens: 30, output_tokens: 15, cached_input_tokens: 0, cost_usd: (30 * 0.25 + 15 * 2) / 1e6 });
    // flow 1 finished; flow 2 stopped after its first step; flows 3-10 never started
    expect(statuses(results)).toEqual(['flow_0001 succeeded', ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `${flowId(n)} cancelled`)]);
    expect(results.flows[1]!.steps.map((s) => [s.name, s.status])).toEqual([['ask', 'succeeded']]);
    expect(results.flows[1]!.usage).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cached_input_tokens: 0,
      cost_usd: (10 * 0.25 + 5 * 2) / 1e6,
    });
    const total = results.usage.input_tokens + results.usage.output_tokens;
    expect(total).toBeGreaterThanOrEqual(45);
    expect(total).toBeLessThanOrEqual(45 + 15);
  }, 30_000);

  test('--parallel 4: the overshoot is at most the 4 calls in flight', async () => {
    const server = await fakeOpenAI((req) => ({ text: `re ${req.prompt}`, usage: { input_tokens: 10, output_tokens: 5 }, delayMs: 150 }));
    const dir = docProject(CONFIG, 10);
    const o = await orchestrate(dir, ['--parallel', '4', '--token-budget', '45'], server);
    const results = checkResults(runDirOf(dir), 10);
    expectBudgetStop(o, results);
    expect(server.maxConcurrent).toBeLessThanOrEqual(4);
    const total = results.usage.input_tokens + results.usage.output_tokens;
    expect(total).toBe(15 * server.requests.length);
    expect(total).toBeGreaterThanOrEqual(45);
    expect(total).toBeLessThanOrEqual(45 + 4 * 15);
    expect(results.cancelled).toBeGreaterThanOrEqual(6);
  }, 30_000);
});
