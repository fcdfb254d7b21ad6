/**
 * Bounds on untrusted output and interruption at any scale (README: Config `max_items`, CLI
 * "Interrupting", Output tree `not_started`): an array step is capped; a huge fan-out or a million
 * flows stop within seconds on a signal, leave no process behind and a small, valid results.json
 * that `report` reads back with the same counts; a second Ctrl-C ends the closing write at once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, orchestrate, readJson, runCli } from './helpers/cli.js';
import { survivors, waitFor } from './helpers/processes.js';
import { project } from './helpers/project.js';

/** A cmd that prints a JSON array of the numbers 1..n. */
const numbers = (n: number): string =>
  `awk 'BEGIN { printf "["; for (i = 1; i <= ${n}; i++) printf "%s%d", (i > 1 ? "," : ""), i; print "]" }'`;

const pidsIn = (file: string): number[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /^\d+$/.test(line))
        .map(Number)
    : [];

/** Leaves counted in a results.json: listed entries plus the never-started ranges. */
const counted = (results: any): number =>
  results.flows.length + results.not_started.reduce((sum: number, r: { count: number }) => sum + r.count, 0);

describe('max_items', () => {
  test('an array over the default cap of 10,000 fails the step, naming the numbers and the fix; no branch starts', async () => {
    const dir = project([
      { type: 'split', cmd: numbers(10_001), array: true },
      { type: 'each', cmd: 'cat' },
    ]);
    const o = await orchestrate(dir);
    expectExit(o, 1);
    expect(o.results).toMatchObject({ total: 1, failed: 1 });
    expect(o.results.flows[0].error).toBe(
      'step 1 ("split"): the array has 10001 elements, more than max_items 10000; raise "max_items" on this step if that many branches are intended, or ask for fewer elements',
    );
    expect(readdirSync(join(o.runDir, 'flow_0001')).filter((name) => name.startsWith('branch_'))).toEqual([]);
  });

  test('a step sets its own cap: 3 elements pass max_items 3 and fail max_items 2', async () => {
    const config = (max: number): unknown[] => [
      { type: 'split', cmd: numbers(3), array: true, max_items: max },
      { type: 'each', cmd: 'cat' },
    ];
    const ok = await orchestrate(project(config(3)));
    expectExit(ok, 0);
    expect(ok.results.flows.map((f: any) => f.output)).toEqual(['1', '2', '3']);
    const over = await orchestrate(project(config(2)));
    expectExit(over, 1);
    expect(over.results.flows[0].error).toMatch(/the array has 3 elements, more than max_items 2; raise "max_items"/);
  });
});

describe('interrupting at scale', () => {
  test('200,000 branches (max_items 300000): SIGTERM exits 143 within seconds, no child left, the unstarted branches are one range', async () => {
    const dir = project([
      { type: 'split', cmd: numbers(200_000), array: true, max_items: 300_000 },
      { type: 'each', cmd: 'echo $$ >> "$PIDS_FILE"; cat' },
    ]);
    const pidsFile = join(dir, 'pids');
    let signalledAt = 0;
    let sent: Promise<void> = Promise.resolve();
    const o = await orchestrate(
      dir,
      [],
      { PIDS_FILE: pidsFile },
      {
        timeoutMs: 60_000,
        onStart: (pid) => {
          sent = (async () => {
            await waitFor('branches running', () => pidsIn(pidsFile).length >= 8, 30_000);
            signalledAt = Date.now();
            process.kill(pid, 'SIGTERM');
          })();
        },
      },
    );
    const exitMs = Date.now() - signalledAt;
    await sent;
    expectExit(o, 143);
    expect(exitMs).toBeLessThan(10_000); // a bound, not a timing claim: before, this ran for minutes
    expect(await survivors(pidsIn(pidsFile), 2000)).toEqual([]);
    const r = o.results;
    expect(r).toMatchObject({ flows_total: 1, total: 200_000, failed: 0 });
    expect(r.succeeded + r.cancelled).toBe(200_000);
    expect(counted(r)).toBe(200_000);
    expect(r.not_started).toHaveLength(1);
    expect(r.not_started[0]).toMatchObject({ to: { id: 'flow_0001', branch: [200_000] }, reason: 'interrupted' });
    expect(r.not_started[0].steps.map((s: any) => s.name)).toEqual(['split']);
    expect(statSync(join(o.runDir, 'results.json')).size).toBeLessThan(1_000_000);
  }, 90_000);

  test('1,000 x 1,000 keys (a million flows): SIGINT exits 130 within seconds; results.json is small and valid; report counts the same', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 1000; i++) files[`docs/${i}.md`] = `${i}`;
    files['list.txt'] = Object.keys(files).join('\n') + '\n';
    const dir = project(
      [
        { type: 'openai', name: 'draft', prompt: '{{{a}}} and {{{b}}}' },
        { type: 'shout', cmd: 'tr a-z A-Z' },
      ],
      files,
    );
    let signalledAt = 0;
    let sent: Promise<void> = Promise.resolve();
    const o = await orchestrate(
      dir,
      ['--offline', '--key', 'a:list.txt', '--key', 'b:list.txt'],
      {},
      {
        timeoutMs: 60_000,
        onStart: (pid) => {
          sent = (async () => {
            // interrupted well into the run: once its twentieth flow has its result
            await waitFor('twenty flows', () => existsSync(join(dir, 'generated', 'run_t', 'flow_0000020', 'result.json')), 30_000);
            signalledAt = Date.now();
            process.kill(pid, 'SIGINT');
          })();
        },
      },
    );
    const exitMs = Date.now() - signalledAt;
    await sent;
    expectExit(o, 130);
    expect(exitMs).toBeLessThan(10_000); // before: 15 s and a 367 MB file
    const path = join(o.runDir, 'results.json');
    expect(statSync(path).size).toBeLessThan(2_000_000);
    const r = o.results;
    expect(r).toMatchObject({ flows_total: 1_000_000, total: 1_000_000, failed: 0 });
    expect(r.succeeded).toBeGreaterThan(0);
    expect(r.succeeded + r.cancelled).toBe(1_000_000);
    expect(counted(r)).toBe(1_000_000);
    const last = r.not_started[r.not_started.length - 1];
    expect(last).toMatchObject({ to: { id: 'flow_1000000', branch: [] }, reason: 'interrupted', steps: [] });

    const report = await runCli(['report', 'generated'], { cwd: dir, env: baseEnv(), timeoutMs: 30_000 });
    expectExit(report, 1);
    const line = `**1,000,000 flows** (1,000,000 results) · ${r.succeeded.toLocaleString('en-US')} succeeded · 0 failed · ${r.cancelled.toLocaleString('en-US')} cancelled`;
    expect(report.stdout).toContain(line);
    expect(report.stdout).toMatch(/flow_\d+ … flow_1000000 .*not started.*interrupted/);
    const rewritten = readJson(path);
    for (const field of ['flows_total', 'total', 'succeeded', 'failed', 'cancelled', 'not_started'])
      expect([field, rewritten[field]]).toEqual([field, r[field]]);
  }, 90_000);

  test('a second SIGINT while the run closes exits 130 at once, leaving no temporary file and no half-written results.json', async () => {
    // one flow whose first step fans out into 5,000 leaves, each then a short cmd step (some 30 s
    // of work at --parallel 8): interrupted once the leaves are there, the run cancels them and
    // closes (results.json, report.html), and the second Ctrl-C exits at once, whatever the closing
    // writes have reached. (Until 11a5933 the closing write read every leaf back and took long
    // enough to be caught in the act; results.json's entries are now written as the leaves end.)
    const dir = project([
      { type: 'split', cmd: numbers(5_000), array: true, max_items: 5_000 },
      { type: 'wait', cmd: 'sleep 0.05' },
    ]);
    const runDir = join(dir, 'generated', 'run_t');
    const flowDir = join(runDir, 'flow_0001');
    const fannedOut = (): boolean => existsSync(flowDir) && readdirSync(flowDir).some((name) => name.startsWith('branch_'));
    let signalledAt = 0;
    let sent: Promise<void> = Promise.resolve();
    const o = await orchestrate(
      dir,
      [],
      {},
      {
        timeoutMs: 60_000,
        readResults: false,
        onStart: (pid, output) => {
          sent = (async () => {
            await waitFor('the fan-out', fannedOut, 45_000, 5);
            process.kill(pid, 'SIGINT');
            await waitFor('the stop message', () => /stopping/.test(output.stderr()), 5_000).catch(() => undefined);
            signalledAt = Date.now();
            process.kill(pid, 'SIGINT');
          })();
        },
      },
    );
    const exitMs = Date.now() - signalledAt;
    await sent;
    expectExit(o, 130);
    expect(exitMs).toBeLessThan(3_000);
    // nothing half-written: no temporary file, and results.json either not there (report rebuilds
    // it from the leaves) or whole
    const left = readdirSync(runDir).filter((name) => /^(results\.json|report\.html)/.test(name) && name !== 'results.jsonl');
    expect(left.filter((name) => name !== 'results.json' && name !== 'report.html')).toEqual([]);
    if (left.includes('results.json')) {
      const written = readJson(join(runDir, 'results.json'));
      expect(written).toMatchObject({ flows_total: 1 });
      expect(Array.isArray(written.flows)).toBe(true);
    }
  }, 90_000);
});
