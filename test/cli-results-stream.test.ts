/**
 * results.jsonl through the built CLI: a line per leaf, written the moment the leaf ends (a
 * reader sees it while the run goes on, as `tail -f` would), and `report` over a run killed with
 * SIGKILL before results.json was written shows its finished leaves, those whose result.json could
 * not be written too (they are only in results.jsonl).
 */
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseEnv, expectExit, orchestrate, ROOT, runCli, runNodeProcess } from './helpers/cli.js';
import { killedAfterAll, signalProcess, survivors, waitFor } from './helpers/processes.js';
import { project, scratch } from './helpers/project.js';

const pids = killedAfterAll();
const lines = (runDir: string): any[] => {
  const path = join(runDir, 'results.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
};

// flows 1-3 answer, flow 4 replaces its own directory with a link (its files cannot be written),
// flow 5 waits for a file the test writes once it is done (bounded: 30 s)
const CMD = [
  'n={{{n}}}',
  'case "$n" in',
  '  4) rm -rf "$ORCHESTRATOR_RUN_DIR/$ORCHESTRATOR_FLOW_ID"; ln -s /nonexistent "$ORCHESTRATOR_RUN_DIR/$ORCHESTRATOR_FLOW_ID"; echo gone ;;',
  '  5) i=0; while [ ! -f release ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; echo late ;;',
  '  *) printf "\\n  line %s\\nsecond\\n" "$n" ;;',
  'esac',
].join('\n');

describe('results.jsonl', () => {
  test('a line per leaf as it ends; report over a run killed with SIGKILL shows the finished leaves', async () => {
    const dir = project([{ type: 'sh', name: 'answer', cmd: CMD }], { 'n.txt': '1\n2\n3\n4\n5\n' });
    const runDir = join(dir, 'generated', 'run_t');
    let node = 0;
    const run = orchestrate(
      dir,
      ['--values', 'n:n.txt', '--parallel', '5'],
      {},
      {
        timeoutMs: 60_000,
        onStart: (pid) => {
          node = pid;
          pids.add(pid);
        },
      },
    );
    try {
      // four leaves end while flow 5 still runs: their lines are there before the run ends
      await waitFor('four lines in results.jsonl', () => lines(runDir).length === 4, 30_000);
      expect(existsSync(join(runDir, 'results.json'))).toBe(false);
      signalProcess(node, 'SIGKILL');
      const o = await run;
      expect(o.signal).toBe('SIGKILL');
    } finally {
      writeFileSync(join(dir, 'release'), '');
    }
    expect(await survivors([node], 5000)).toEqual([]);
    expect(existsSync(join(runDir, 'results.json'))).toBe(false);

    const written = lines(runDir).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(written.map((l) => Object.keys(l))).toEqual(
      Array(4).fill(['id', 'branch', 'keys', 'status', 'duration_ms', 'usage', 'error', 'first_line']),
    );
    expect(written[0]).toMatchObject({
      id: 'flow_0001',
      branch: [],
      keys: { n: '1' },
      status: 'succeeded',
      error: null,
      first_line: 'line 1',
    });
    expect(written[0].usage).toMatchObject({ input_tokens: 0, output_tokens: 0 });
    expect(written[0].duration_ms).toEqual(expect.any(Number));
    expect(written[3]).toMatchObject({ id: 'flow_0004', keys: { n: '4' }, status: 'failed', first_line: null });
    expect(written[3].error).toContain("cannot write the flow's files");

    const report = await runCli(['report', 'generated/run_t', '--format', 'json'], { cwd: dir, env: baseEnv() });
    expectExit(report, 1);
    const merged = JSON.parse(report.stdout);
    expect(merged).toMatchObject({ flows_total: 5, succeeded: 3, failed: 1, cancelled: 1 });
    const flows = merged.flows.map((f: any) => [f.id, f.status, f.keys]);
    expect(flows).toEqual([
      ['flow_0001', 'succeeded', { n: '1' }],
      ['flow_0002', 'succeeded', { n: '2' }],
      ['flow_0003', 'succeeded', { n: '3' }],
      // its result.json could not be written: results.jsonl alone holds it
      ['flow_0004', 'failed', { n: '4' }],
      ['flow_0005', 'cancelled', {}],
    ]);
    // a leaf on disk is read whole from its result.json
    expect(merged.flows[0].output).toBe('\n  line 1\nsecond\n');
    expect(merged.flows[0].steps).toHaveLength(1);
    expect(merged.flows[3].error).toContain("cannot write the flow's files");
  }, 90_000);

  test('a finished run has a line per leaf; --resume appends the leaves it runs again', async () => {
    const dir = project([{ type: 'sh', cmd: 'n={{{n}}}; [ "$n" != 2 ] || [ -f fixed ] || { echo broken >&2; exit 3; }; echo "ok $n"' }], {
      'n.txt': '1\n2\n3\n',
    });
    const first = await orchestrate(dir, ['--values', 'n:n.txt']);
    expectExit(first, 1);
    expect(
      lines(first.runDir)
        .map((l) => [l.id, l.status, l.first_line])
        .sort(),
    ).toEqual([
      ['flow_0001', 'succeeded', 'ok 1'],
      ['flow_0002', 'failed', null],
      ['flow_0003', 'succeeded', 'ok 3'],
    ]);
    writeFileSync(join(dir, 'fixed'), '');
    const again = await orchestrate(dir, ['--values', 'n:n.txt', '--resume']);
    expectExit(again, 0);
    const all = lines(again.runDir);
    expect(all).toHaveLength(4);
    expect(all.at(-1)).toMatchObject({ id: 'flow_0002', status: 'succeeded', first_line: 'ok 2' });
  }, 60_000);

  test('results.jsonl that cannot be opened (a link planted at its name): the run goes on, and says so once, naming the file and why', async () => {
    const dir = project([{ type: 'sh', cmd: 'n={{{n}}}; [ "$n" != 2 ] || [ -f fixed ] || exit 3; echo "ok $n"' }], { 'n.txt': '1\n2\n' });
    const first = await orchestrate(dir, ['--values', 'n:n.txt']);
    expectExit(first, 1);
    expect(first.stderr).not.toContain('warning');
    const stream = join(first.runDir, 'results.jsonl');
    rmSync(stream);
    const victim = join(scratch(), 'victim');
    symlinkSync(victim, stream);
    writeFileSync(join(dir, 'fixed'), '');
    const again = await orchestrate(dir, ['--values', 'n:n.txt', '--resume']);
    expectExit(again, 0);
    const warnings = again.stderr.split('\n').filter((line) => line.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`orchestrator: warning: ${stream} cannot be opened (`);
    expect(warnings[0]).toMatch(/results\.jsonl is a symbolic link .*\): the run goes on without it/);
    expect(again.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'succeeded']);
    expect(existsSync(victim)).toBe(false);
  }, 60_000);
});

// a leaf entry as results.jsonl holds it (engine/results-stream.ts takes it as it is)
const leaf = { branch: [], keys: {}, status: 'succeeded', output: 'x', final_message: null, error: null, duration_ms: 1, steps: [] };

test('a process that exits before the turn is over (a second Ctrl-C) still writes its lines', async () => {
  const runDir = scratch();
  // the module as built: jest runs the TypeScript sources, a child process cannot
  const module = (path: string): string => pathToFileURL(join(ROOT, 'build', path)).href;
  const script = [
    `const { ResultsStream } = await import(${JSON.stringify(module('engine/results-stream.js'))});`,
    `const { TreeWriter } = await import(${JSON.stringify(module('util/files.js'))});`,
    `const { Redactor } = await import(${JSON.stringify(module('util/redact.js'))});`,
    `const runDir = ${JSON.stringify(runDir)};`,
    'const stream = new ResultsStream(new TreeWriter(new Redactor([]), runDir));',
    'stream.open(runDir, { index: 1, count: 1 });',
    `for (const id of ['flow_0001', 'flow_0002']) stream.add({ ...${JSON.stringify(leaf)}, id });`,
    'process.exit(130);',
  ].join('\n');
  const o = await runNodeProcess(['--input-type=module', '-e', script], {
    cwd: runDir,
    env: baseEnv(),
    timeoutMs: 20_000,
    what: 'the exiting process',
  });
  expect(o.stderr).toBe('');
  expect(o.code).toBe(130);
  expect(lines(runDir).map((line: { id: string }) => line.id)).toEqual(['flow_0001', 'flow_0002']);
});
