/**
 * Interruption and exit codes (README: "CLI", exit codes): SIGINT/SIGTERM end every running process
 * tree, write results.json with the unfinished flows cancelled and exit 130/143; a second SIGINT
 * exits at once; no child outlives the orchestrator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, readJson, runCli, type CliResult } from './helpers/cli.js';
import { killedAfterAll, survivors, waitFor } from './helpers/processes.js';
import { scratch } from './helpers/project.js';

/** Processes recorded by the tests, killed at the end whatever happened, so a failure leaks nothing. */
const recorded = killedAfterAll();

const SIX_DOCS = {
  'docs.txt': 'docs/1.md\ndocs/2.md\ndocs/3.md\ndocs/4.md\ndocs/5.md\ndocs/6.md\n',
  'docs/1.md': '1',
  'docs/2.md': '2',
  'docs/3.md': '3',
  'docs/4.md': '4',
  'docs/5.md': '5',
  'docs/6.md': '6',
};

function workspace(steps: unknown[]): string {
  return scratch({ ...SIX_DOCS, 'config.json': JSON.stringify(steps) });
}

function readPids(file: string): number[] {
  if (!existsSync(file)) return [];
  const pids = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line.trim()))
    .map(Number);
  for (const pid of pids) recorded.add(pid);
  return pids;
}

interface Interrupted {
  result: CliResult;
  pids: number[];
  /** ms from the (last) signal to the exit. */
  exitMs: number;
  cwd: string;
}

/**
 * Runs six flows with --parallel 2 whose steps record their pids in `pids`, waits until `expectPids`
 * pids are recorded (steps running), then sends `signals` one after the other.
 */
async function interrupt(
  cmd: string,
  signals: NodeJS.Signals[],
  expectPids: number,
  env: Record<string, string> = {},
): Promise<Interrupted> {
  const cwd = workspace([{ type: 'wait', cmd }]);
  const pidsFile = join(cwd, 'pids');
  let signalledAt = 0;
  let sent: Promise<void> = Promise.resolve();
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--run-id', 'sig'], {
    cwd,
    env: baseEnv({ PIDS_FILE: pidsFile, ...env }),
    timeoutMs: 45_000,
    onStart: (pid, output) => {
      sent = (async () => {
        await waitFor(`${expectPids} recorded pids`, () => readPids(pidsFile).length >= expectPids, 15_000);
        for (const [i, signal] of signals.entries()) {
          // signals do not queue: the next one only once the orchestrator took the first in (it prints
          // the stop message after recording the signal)
          if (i > 0) await waitFor('the stop message', () => /stopping/i.test(output.stderr()), 15_000);
          signalledAt = Date.now();
          process.kill(pid, signal);
        }
      })();
    },
  });
  const exitMs = Date.now() - signalledAt;
  await sent;
  return { result, pids: readPids(pidsFile), exitMs, cwd };
}

function expectAllCancelled(cwd: string): void {
  const results = readJson(join(cwd, 'generated', 'run_sig', 'results.json'));
  expect(results).toMatchObject({ flows_total: 6, total: 6, succeeded: 0, failed: 0, cancelled: 6 });
  expect(results.flows.map((f: any) => [f.id, f.status])).toEqual(
    ['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004', 'flow_0005', 'flow_0006'].map((id) => [id, 'cancelled']),
  );
  expect(results.flows.map((f: any) => f.keys.doc)).toEqual(['docs/1.md', 'docs/2.md', 'docs/3.md', 'docs/4.md', 'docs/5.md', 'docs/6.md']);
  for (const flow of results.flows) expect(typeof flow.error).toBe('string');
}

describe('interruption', () => {
  test('SIGINT: exit 130, results.json lists every flow as cancelled, no child (or grandchild) left', async () => {
    // the step's shell and a background sleep (a grandchild of the orchestrator) record their pids
    const { result, pids, exitMs, cwd } = await interrupt(
      'sleep 30 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait',
      ['SIGINT'],
      4,
    );
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 130, signal: null });
    expect(exitMs).toBeLessThan(10_000);
    expect(pids).toHaveLength(4); // two flows ran, no third started
    expectAllCancelled(cwd);
    expect(await survivors(pids, 1000)).toEqual([]);
    // the two steps that were running say they were cancelled (their output.txt is what they printed)
    const stepDirs = ['flow_0001', 'flow_0002'].map((flow) => join(cwd, 'generated', 'run_sig', flow, '01_wait'));
    for (const dir of stepDirs) expect(readFileSync(join(dir, 'error.txt'), 'utf8')).toBe('cancelled: interrupted\n');
  }, 60_000);

  test('SIGTERM: exit 143, same guarantees, with a great-grandchild', async () => {
    const cmd =
      'sh -c \'sleep 30 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait\' & ' +
      'sleep 30 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait';
    const { result, pids, exitMs, cwd } = await interrupt(cmd, ['SIGTERM'], 8);
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 143, signal: null });
    expect(exitMs).toBeLessThan(10_000);
    expect(pids).toHaveLength(8);
    expectAllCancelled(cwd);
    expect(await survivors(pids, 1000)).toEqual([]);
  }, 60_000);

  test('a second SIGINT exits at once while children ignore SIGTERM, and still leaves no child', async () => {
    // trap '' makes the shell and its children ignore TERM and INT: only SIGKILL ends them, which
    // the first SIGINT sends only after the kill grace (20 s here)
    const cmd = 'trap \'\' TERM INT; sleep 30 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait';
    const { result, pids, exitMs } = await interrupt(cmd, ['SIGINT', 'SIGINT'], 4, { ORCHESTRATOR_KILL_GRACE_MS: '20000' });
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 130, signal: null });
    expect(exitMs).toBeLessThan(5_000);
    expect(pids).toHaveLength(4);
    expect(await survivors(pids, 1000)).toEqual([]);
  }, 60_000);

  test('a single SIGINT with children that ignore SIGTERM: they are killed after the grace, then exit 130', async () => {
    const cmd = 'trap \'\' TERM INT; sleep 30 & echo $! >> "$PIDS_FILE"; echo $$ >> "$PIDS_FILE"; wait';
    const { result, pids, exitMs, cwd } = await interrupt(cmd, ['SIGINT'], 4, { ORCHESTRATOR_KILL_GRACE_MS: '1000' });
    expect({ code: result.code, signal: result.signal, stderr: result.stderr }).toMatchObject({ code: 130, signal: null });
    expect(exitMs).toBeGreaterThanOrEqual(900);
    expect(exitMs).toBeLessThan(10_000);
    expectAllCancelled(cwd);
    expect(await survivors(pids, 1000)).toEqual([]);
  }, 60_000);
});

describe('exit codes', () => {
  test('0 when every flow succeeded', async () => {
    const cwd = workspace([{ type: 'ok', cmd: 'cat {{{doc}}} >/dev/null; echo fine' }]);
    const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--run-id', 'ok'], { cwd, env: baseEnv() });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(readJson(join(cwd, 'generated', 'run_ok', 'results.json'))).toMatchObject({ total: 6, succeeded: 6, failed: 0, cancelled: 0 });
  });

  test('1 when some flow failed; the others still succeed', async () => {
    // flow 4 (contents "4") fails, the rest succeed
    const cwd = workspace([{ type: 'check', cmd: 'test {{{doc}}} != 4' }]);
    const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--run-id', 'some'], { cwd, env: baseEnv() });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 1 });
    const results = readJson(join(cwd, 'generated', 'run_some', 'results.json'));
    expect(results).toMatchObject({ total: 6, succeeded: 5, failed: 1, cancelled: 0 });
    expect(results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded', 'succeeded']);
    expect(results.flows[3].error).toMatch(/exited with code 1/);
  });

  test('1 when every flow failed', async () => {
    const cwd = workspace([{ type: 'fail', cmd: 'echo broken >&2; exit 3' }]);
    const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--run-id', 'all'], { cwd, env: baseEnv() });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 1 });
    expect(readJson(join(cwd, 'generated', 'run_all', 'results.json'))).toMatchObject({ total: 6, succeeded: 0, failed: 6 });
  });
});
