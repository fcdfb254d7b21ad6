/**
 * `--fail-fast [N]` with the CLI in the jest process (GNU parallel's `--halt now,fail=1`): the Nth failed leaf
 * stops the run; steps still running are ended as on an interrupt (their process trees too), the
 * rest is cancelled with the reason; exit 1; `--resume` carries on.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { survivors } from './helpers/processes.js';
import { docProject } from './helpers/project.js';

/** doc-2 and doc-4 fail until `fixed` exists; with `slow`, the others record their shell's pid and sleep. */
const CONFIG = {
  steps: [
    {
      type: 'check',
      cmd:
        'if { [ {{{DOC}}} = doc-2 ] || [ {{{DOC}}} = doc-4 ]; } && [ ! -e fixed ]; then echo broken >&2; exit 3; fi; ' +
        'if [ -e slow ]; then echo $$ > "pids/$$"; sleep 30; fi; echo ok',
    },
  ],
};

const statuses = (results: any): Record<string, [string, string | null]> =>
  Object.fromEntries(results.flows.map((f: any) => [f.id, [f.status, f.error]]));

describe('--fail-fast', () => {
  test('the first failed leaf stops the run: running steps ended, the rest cancelled with the reason; exit 1; --resume carries on', async () => {
    const dir = docProject(CONFIG, 6);
    writeFileSync(join(dir, 'slow'), '');
    mkdirSync(join(dir, 'pids'));
    // the feeder starts flows in order: flow_0002 fails at once while flows 1 and 3 sleep 30 s
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '3', '--fail-fast'], {}, { timeoutMs: 25_000 });
    expectExit(o, 1);
    const reason = 'fail-fast: flow_0002 failed';
    expect(o.results).toMatchObject({ total: 6, failed: 1, succeeded: 0, cancelled: 5 });
    const seen = statuses(o.results);
    expect(seen.flow_0002![0]).toBe('failed');
    for (const id of ['flow_0001', 'flow_0003', 'flow_0004', 'flow_0005', 'flow_0006']) expect(seen[id]).toEqual(['cancelled', reason]);
    expect(o.stderr).toContain(reason);
    // the sleeping steps' shells were ended, not waited for
    const pids = readdirSync(join(dir, 'pids')).map(Number);
    expect(await survivors(pids, 5000)).toEqual([]);

    // fixed: --resume runs what did not succeed, and the run ends well
    writeFileSync(join(dir, 'fixed'), '');
    rmSync(join(dir, 'slow'));
    const resumed = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '3', '--fail-fast', '--resume']);
    expectExit(resumed, 0);
    expect(resumed.results).toMatchObject({ total: 6, succeeded: 6, failed: 0, cancelled: 0 });
  });

  test('--fail-fast 2: the second failed leaf stops the run', async () => {
    const dir = docProject(CONFIG, 6);
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '1', '--fail-fast', '2']);
    expectExit(o, 1);
    const seen = statuses(o.results);
    expect(seen.flow_0001![0]).toBe('succeeded');
    expect(seen.flow_0002![0]).toBe('failed');
    expect(seen.flow_0003![0]).toBe('succeeded');
    expect(seen.flow_0004![0]).toBe('failed');
    expect(seen.flow_0005).toEqual(['cancelled', 'fail-fast: flow_0004 failed']);
    expect(seen.flow_0006).toEqual(['cancelled', 'fail-fast: flow_0004 failed']);
    expect(existsSync(join(o.runDir, 'flow_0005', 'result.json'))).toBe(false);
  });

  test('without --fail-fast every flow runs', async () => {
    const dir = docProject(CONFIG, 6);
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '1']);
    expectExit(o, 1);
    expect(o.results).toMatchObject({ total: 6, succeeded: 4, failed: 2, cancelled: 0 });
    expect(readFileSync(join(o.runDir, 'flow_0006', '01_check', 'output.txt'), 'utf8')).toBe('ok\n');
  });
});
