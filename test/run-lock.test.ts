/**
 * Concurrent runs do not collide (issue 12.7): one lock per run directory and shard, taken by
 * exclusive create, so of two processes started with one --run-id only one runs; a lock left by a
 * dead process of this host is taken over; shards of one run still write one tree at once; a shard
 * is not re-run over its own tree without --resume; `report` refuses shards of different configs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { baseEnv, expectExit, orchestrate, readJson, runCli, type CliResult } from './helpers/cli.js';
import { docProject } from './helpers/project.js';
import { checkResults } from './helpers/run-invariants.js';

/** One cmd step per flow that logs the flow and takes a while, so a second run starts while the first holds the lock. */
const SLOW = [{ name: 'work', cmd: 'echo {{{DOC}}} >> runs.log; sleep 0.4; echo did {{{DOC}}}' }];
/** Each step waits for the file `go`, which whileRunning writes once the second command has ended. */
const GATED = [{ name: 'work', cmd: 'echo {{{DOC}}} >> runs.log; until [ -e go ]; do sleep 0.05; done; echo did {{{DOC}}}' }];
const KEY = ['--key', 'DOC:docs.list'];
const lines = (dir: string, file: string): string[] => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
const cli = (dir: string, args: string[]): Promise<CliResult> => runCli(args, { cwd: dir, env: baseEnv(), timeoutMs: 30_000 });

/**
 * Starts `first`, waits until it holds the run's lock, then runs `second`, and once that has ended
 * writes `go` (for GATED steps: `first` is still running however slow the machine); resolves to both
 * results.
 */
async function whileRunning(dir: string, first: string[], second: string[], lock: string): Promise<[CliResult, CliResult]> {
  let started!: (result: Promise<CliResult>) => void;
  const secondDone = new Promise<Promise<CliResult>>((resolve) => (started = resolve));
  const firstDone = runCli(first, {
    cwd: dir,
    env: baseEnv(),
    timeoutMs: 30_000,
    onStart: () => {
      const poll = setInterval(() => {
        if (!existsSync(join(dir, lock))) return;
        clearInterval(poll);
        started(cli(dir, second).finally(() => writeFileSync(join(dir, 'go'), '')));
      }, 5);
    },
  });
  const [a, b] = await Promise.all([firstDone, secondDone.then((p) => p)]);
  return [a, b];
}

describe('one run per run id (and shard)', () => {
  test('two runs started together with one --run-id: exactly one runs, the other exits 2 naming the run', async () => {
    const dir = docProject(SLOW, 2);
    const both = await Promise.all([orchestrate(dir, KEY), orchestrate(dir, KEY)]);
    expect(both.map((o) => o.code).sort()).toEqual([0, 2]);
    const refused = both.find((o) => o.code === 2)!;
    expect(refused.stderr).toMatch(/generated\/run_t/);
    expect(refused.stderr).toMatch(/\.lock-1-of-1 is held by pid \d+|already holds a run/);
    // one run's worth of work: each flow ran once, and the results are the winner's
    expect(lines(dir, 'runs.log').sort()).toEqual(['doc-1', 'doc-2']);
    expect(checkResults(join(dir, 'generated', 'run_t'), 2)).toMatchObject({ total: 2, succeeded: 2 });
    expect(existsSync(join(dir, 'generated', 'run_t', '.lock-1-of-1'))).toBe(false);
  }, 30_000);

  test('a --resume started while the run is going is refused by the lock (exit 2), naming the lock, its pid and the run', async () => {
    const dir = docProject(GATED, 3);
    const lock = join('generated', 'run_t', '.lock-1-of-1');
    const [first, second] = await whileRunning(
      dir,
      ['config.json', '--run-id', 't', ...KEY, '--parallel', '1'],
      ['config.json', '--run-id', 't', ...KEY, '--resume'],
      lock,
    );
    expectExit(first, 0);
    expectExit(second, 2);
    expect(second.stderr).toContain(`generated/run_t is being written by another orchestrator: its lock ${lock} is held by pid`);
    expect(second.stderr).toContain(`on ${hostname()}`);
    expect(lines(dir, 'runs.log')).toEqual(['doc-1', 'doc-2', 'doc-3']);
    expect(existsSync(join(dir, lock))).toBe(false);
  }, 30_000);

  test("a lock left by a dead process of this host is taken over; another host's is not", async () => {
    const dir = docProject(SLOW, 1);
    const first = await orchestrate(dir, KEY);
    expectExit(first, 0);
    const lock = join(first.runDir, '.lock-1-of-1');
    // as a SIGKILLed run leaves it: pid 2^22 + 1 is above Linux's pid_max, so no process has it
    writeFileSync(lock, JSON.stringify({ pid: 4194305, host: hostname(), started_at: '2026-01-01T00:00:00.000Z' }));
    expectExit(await orchestrate(dir, [...KEY, '--resume']), 0);
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, JSON.stringify({ pid: 4194305, host: 'another-runner', started_at: '2026-01-01T00:00:00.000Z' }));
    const refused = await orchestrate(dir, [...KEY, '--resume']);
    expectExit(refused, 2);
    expect(refused.stderr).toContain('is held by pid 4194305 on another-runner since 2026-01-01T00:00:00.000Z');
    expect(refused.stderr).toMatch(/delete the lock file/);
    expect(existsSync(lock)).toBe(true);
  }, 30_000);

  test('a lock planted as a FIFO or a link to /dev/zero is not read through: refused at once (exit 2), nothing hangs', async () => {
    const dir = docProject(SLOW, 1);
    const first = await orchestrate(dir, KEY);
    expectExit(first, 0);
    const lock = join(first.runDir, '.lock-1-of-1');
    execFileSync('mkfifo', [lock]);
    const fifo = await orchestrate(dir, [...KEY, '--resume']);
    expectExit(fifo, 2);
    expect(fifo.stderr).toContain('is held by a process whose lock file cannot be read');
    rmSync(lock);
    symlinkSync('/dev/zero', lock);
    const zero = await orchestrate(dir, [...KEY, '--resume']);
    expectExit(zero, 2);
    expect(zero.stderr).toContain('is held by a process whose lock file cannot be read');
    expect(lstatSync(lock).isSymbolicLink()).toBe(true);
  }, 30_000);
});

describe('shards of one run', () => {
  const shard = (i: number, extra: string[] = []): string[] => [
    'config.json',
    ...KEY,
    '--run-id',
    'sharded',
    '--shard',
    `${i}/2`,
    ...extra,
  ];

  test('write one tree at once; a shard re-run without --resume over its own tree is refused (exit 2), with --resume it runs', async () => {
    const dir = docProject(SLOW, 4);
    const [one, two] = await Promise.all([cli(dir, shard(1)), cli(dir, shard(2))]);
    expectExit(one, 0);
    expectExit(two, 0);
    expect(lines(dir, 'runs.log').sort()).toEqual(['doc-1', 'doc-2', 'doc-3', 'doc-4']);
    const report = await cli(dir, ['report', 'generated']);
    expectExit(report, 0);
    expect(readJson(join(dir, 'generated', 'run_sharded', 'results.json'))).toMatchObject({ total: 4, succeeded: 4 });

    const again = await cli(dir, shard(2));
    expectExit(again, 2);
    expect(again.stderr).toContain('generated/run_sharded already holds shard 2/2 of a run (shards/2-of-2.json): pass --resume');
    expectExit(await cli(dir, shard(2, ['--resume'])), 0);
    expect(lines(dir, 'runs.log')).toHaveLength(4);
  }, 30_000);

  test('a shard joining a tree that another config wrote is refused (exit 2)', async () => {
    const dir = docProject(SLOW, 4);
    expectExit(await cli(dir, shard(1)), 0);
    writeFileSync(join(dir, 'config.json'), JSON.stringify([{ name: 'other', cmd: 'echo other {{{DOC}}}' }]));
    const joined = await cli(dir, shard(2));
    expectExit(joined, 2);
    expect(joined.stderr).toMatch(/--shard 2\/2: the config changed since generated\/run_sharded started/);
  }, 30_000);

  test('report refuses (exit 2, naming the configs) shards whose records carry different config or key-list hashes', async () => {
    const dir = docProject(SLOW, 4);
    expectExit(await cli(dir, [...shard(1), '--output', 'one']), 0);
    writeFileSync(join(dir, 'other.json'), JSON.stringify([{ name: 'other', cmd: 'echo other {{{DOC}}}' }]));
    expectExit(await cli(dir, ['other.json', ...shard(2).slice(1), '--output', 'two']), 0);
    const report = await cli(dir, ['report', 'one', 'two']);
    expectExit(report, 2);
    expect(report.stderr).toMatch(
      /the shards of run_sharded ran different configs or key lists: shard 1\/2 ran "config\.json" \(config hash [0-9a-f]{12}/,
    );
    expect(report.stderr).toMatch(/shard 2\/2 ran "other\.json"/);
    expect(report.stdout).toBe('');
    expect(existsSync(join(dir, 'one', 'run_sharded', 'results.json'))).toBe(true);
  }, 30_000);
});
