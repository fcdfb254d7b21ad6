/**
 * What escapes a run (README "Security"): where the runner lets orchestrator make a cgroup v2 (root,
 * or a delegated subtree), a step's processes live in one and none outlives the run, not even one
 * that double-forks, leaves its session and rewrites its environment so the process tag is gone.
 * Elsewhere these tests are skipped, saying why.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endCgroup, ownCgroupDir } from '../src/steps/cgroup.js';
import { expectExit, orchestrate } from './helpers/cli.js';
import { killedAfterAll, survivors, waitFor } from './helpers/processes.js';
import { docProject, project, scratch } from './helpers/project.js';

const escaped = killedAfterAll();

/** Whether this test process could make a cgroup below its own, as the CLI it starts will try to. */
function cgroupSupport(): { dir: string } | { skipped: string } {
  const dir = ownCgroupDir();
  if (dir === undefined) return { skipped: 'no cgroup v2 mounted for this process (/proc/self/cgroup has no 0:: line in a cgroup2 mount)' };
  const probe = join(dir, `orchestrator-test-probe.${process.pid}`);
  try {
    accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (error) {
    return { skipped: `the cgroup ${dir} is not writable here (${(error as Error).message}): not root, and no delegated subtree` };
  }
  return { dir };
}

const support = cgroupSupport();
const contained = 'dir' in support ? describe : describe.skip;
const because = 'skipped' in support ? ` (skipped: ${support.skipped})` : '';

/**
 * Two escapees, each double-forked into a session of its own with no pipe of the step: perl clears
 * its environment and renames itself ($0), so /proc/<pid>/environ no longer holds the tag; `env -i`
 * starts without it. Each writes its pid once it is out of reach.
 */
const ESCAPE =
  `(setsid perl -e '$0 = "x"; %ENV = (); setpgrp; open(my $f, ">", "perl.tmp") or die; print $f $$; close $f; ` +
  `rename "perl.tmp", "perl.pid"; sleep 600' </dev/null >/dev/null 2>&1 &); ` +
  `(setsid env -i /bin/sh -c 'echo $$ > envi.tmp; mv envi.tmp envi.pid; exec sleep 600' </dev/null >/dev/null 2>&1 &); ` +
  `until [ -s perl.pid ] && [ -s envi.pid ]; do sleep 0.05; done;`;

function escapees(dir: string): number[] {
  const pids = ['perl.pid', 'envi.pid'].map((file) => Number(readFileSync(join(dir, file), 'utf8').trim()));
  for (const pid of pids) escaped.add(pid);
  return pids;
}

const started = (dir: string) => (): boolean => {
  try {
    return readFileSync(join(dir, 'perl.pid'), 'utf8') !== '' && readFileSync(join(dir, 'envi.pid'), 'utf8') !== '';
  } catch {
    return false;
  }
};

/** The run cgroups the orchestrator with this pid left below the cgroup it was started in. */
function leftCgroups(pid: number): string[] {
  if (!('dir' in support)) return [];
  return readdirSync(support.dir).filter((name) => name.startsWith(`orchestrator.${pid}.`));
}

contained(`a step's processes cannot outlive the run, even without the tag${because}`, () => {
  test('a double-forked perl that clears its environment and an env -i process are ended with the run; no cgroup is left', async () => {
    const dir = project([{ name: 'escape', cmd: `${ESCAPE} echo started` }]);
    let pid = 0;
    const o = await orchestrate(dir, ['--timeout', '30'], {}, { timeoutMs: 40_000, onStart: (p) => (pid = p) });
    expectExit(o, 0);
    expect(o.results.flows[0].output).toBe('started\n');
    expect(await survivors(escapees(dir), 2000)).toEqual([]);
    expect(leftCgroups(pid)).toEqual([]);
  }, 60_000);

  test('a cmd step moves its own shell into its cgroup (no second shell): $0 is sh, as without a cgroup, and the script sees no variable of ours (issue 27.4)', async () => {
    const script =
      'echo "0=$0 args=$# var=${ORCHESTRATOR_STEP_CGROUP-unset} env=$(env | grep -c ORCHESTRATOR_STEP_CGROUP)"; grep "^0::" /proc/$$/cgroup; grep "^0::" /proc/$PPID/cgroup; ' +
      'tr "\\0" "\\n" < /proc/$$/cmdline | head -n 1';
    const dir = project([{ name: 'where', cmd: script }]);
    let pid = 0;
    const o = await orchestrate(dir, [], {}, { onStart: (p) => (pid = p) });
    expectExit(o, 0);
    const [seen, shell, parent, argv0] = String(o.results.flows[0].output).trim().split('\n');
    expect(seen).toBe('0=sh args=0 var=unset env=0');
    // started as without a cgroup: `sh`, found on the step's PATH by spawn itself (no path looked up first)
    expect(argv0).toBe('sh');
    // the shell running the script is in a step cgroup of this run, and its parent is orchestrator itself
    expect(shell).toMatch(new RegExp(`/orchestrator\\.${pid}\\.[0-9a-f]+/step\\.1$`));
    expect(parent).not.toContain('/step.');
    expect(leftCgroups(pid)).toEqual([]);
  }, 30_000);

  test("a cmd step's sh is the one on the step's PATH, as without a cgroup; none there: the step could not be started", async () => {
    const dir = project([{ name: 'which', cmd: 'echo "$WRAPPED"' }]);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'sh'), '#!/bin/sh\nWRAPPED=yes exec /bin/sh "$@"\n', { mode: 0o755 });
    const wrapped = await orchestrate(dir, [], { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` });
    expectExit(wrapped, 0);
    expect(wrapped.results.flows[0].output).toBe('yes\n');
    const bare = project([{ name: 'which', cmd: 'echo "$WRAPPED"' }]);
    const none = await orchestrate(bare, [], { PATH: join(bare, 'empty') });
    expectExit(none, 1);
    expect(none.results.flows[0].error).toMatch(/could not be started: spawn sh ENOENT/);
  }, 30_000);

  test('the first SIGINT ends them too: exit 130, results written, no cgroup left', async () => {
    const dir = project([{ name: 'stuck', cmd: `${ESCAPE} sleep 1000` }]);
    let pid = 0;
    const o = await orchestrate(
      dir,
      ['--timeout', '600'],
      {},
      {
        timeoutMs: 40_000,
        onStart: (p) => {
          pid = p;
          void waitFor('the escaped processes', started(dir), 20_000).then(() => process.kill(p, 'SIGINT'));
        },
      },
    );
    expectExit(o, 130);
    expect(o.results).toMatchObject({ total: 1, cancelled: 1 });
    expect(await survivors(escapees(dir), 2000)).toEqual([]);
    expect(leftCgroups(pid)).toEqual([]);
  }, 60_000);

  test('a step that times out: its escapees are ended, no cgroup left', async () => {
    const dir = project([{ name: 'stuck', cmd: `${ESCAPE} sleep 1000` }]);
    let pid = 0;
    const o = await orchestrate(dir, ['--timeout', '3'], {}, { timeoutMs: 40_000, onStart: (p) => (pid = p) });
    expectExit(o, 1);
    expect(o.results.flows[0].error).toMatch(/timed out after 3 s/);
    expect(await survivors(escapees(dir), 2000)).toEqual([]);
    expect(leftCgroups(pid)).toEqual([]);
  }, 60_000);
});

contained(`step cgroups are reused, never shared${because}`, () => {
  test('a cgroup its step left empty serves a later step; no step ever finds a process it did not start in its cgroup (issue 27.4)', async () => {
    if (!('dir' in support)) return;
    const flows = 12;
    const parallel = 2;
    // flow 3 leaves a daemon in its cgroup, holding no pipe of its step: the step succeeds, the daemon ends with the run
    const daemon = `(setsid sh -c 'echo $$ > daemon.tmp; mv daemon.tmp daemon.pid; exec sleep 600' </dev/null >/dev/null 2>&1 &); until [ -s daemon.pid ]; do sleep 0.05; done;`;
    // each step names its cgroup and every process in it but its own shell (read by the shell itself: no child)
    const where = `cg=$(sed -n 's|^0::.*\\(/orchestrator\\.[^/]*/step\\.[0-9]*\\)$|\\1|p' /proc/$$/cgroup); echo "$cg"; while read p; do [ "$p" = $$ ] || echo "other $p"; done < "${support.dir}$cg/cgroup.procs"`;
    const dir = docProject([{ name: 'where', cmd: `if [ {{{DOC}}} = doc-3 ]; then ${daemon} fi; echo {{{DOC}}}; ${where}` }], flows);
    let pid = 0;
    const o = await orchestrate(
      dir,
      ['--key', 'DOC:docs.list', '--parallel', String(parallel)],
      {},
      { timeoutMs: 60_000, onStart: (p) => (pid = p) },
    );
    const daemonPid = Number(readFileSync(join(dir, 'daemon.pid'), 'utf8').trim());
    escaped.add(daemonPid);
    expectExit(o, 0);
    const seen = new Map<string, { cgroup: string; others: string[] }>();
    for (const flow of o.results.flows) {
      const [doc = '', cgroup = '', ...others] = String(flow.output).trim().split('\n');
      expect(cgroup).toMatch(/^\/orchestrator\.\d+\.[0-9a-f]+\/step\.\d+$/);
      seen.set(doc, { cgroup, others });
    }
    expect(seen.size).toBe(flows);
    for (const [doc, { others }] of seen) expect([doc, others]).toEqual([doc, doc === 'doc-3' ? [`other ${daemonPid}`] : []]);
    // reused, not made and removed step by step: a cgroup per running step, and the one the daemon held
    expect(new Set([...seen.values()].map((step) => step.cgroup)).size).toBeLessThanOrEqual(parallel + 1);
    expect(await survivors([daemonPid], 2000)).toEqual([]);
    expect(leftCgroups(pid)).toEqual([]);
  }, 90_000);
});

contained(`cgroups left behind${because}`, () => {
  test('an empty run cgroup whose orchestrator is gone (killed outright) is removed by the next run; a live one is not', async () => {
    if (!('dir' in support)) return;
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    const abandoned = join(support.dir, `orchestrator.${gone.pid}.0bad0bad`);
    const live = join(support.dir, `orchestrator.${process.pid}.0bad0bad`);
    mkdirSync(abandoned);
    mkdirSync(live);
    try {
      const o = await orchestrate(project([{ name: 'echo', cmd: 'echo hi' }]));
      expectExit(o, 0);
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      for (const dir of [abandoned, live]) if (existsSync(dir)) rmdirSync(dir);
    }
  }, 30_000);
});

contained(`ending a cgroup kills every process in it and removes it${because}`, () => {
  test.each([
    ['with cgroup.kill', true],
    ['pid by pid from cgroup.procs, as on kernels before 5.14', false],
  ])(
    '%s',
    async (_, killFile) => {
      if (!('dir' in support)) return;
      const cgroup = join(support.dir, `orchestrator-test.${process.pid}.${String(killFile)}`);
      mkdirSync(cgroup);
      try {
        const dir = scratch();
        // the escapees, started from a shell that entered the cgroup first, as a step's program does
        spawn('/bin/sh', ['-c', `echo 0 > "${cgroup}/cgroup.procs" && ${ESCAPE} exit 0`], { cwd: dir, stdio: 'ignore' });
        await waitFor('the escaped processes', started(dir), 20_000);
        endCgroup(cgroup, killFile);
        expect(await survivors(escapees(dir), 2000)).toEqual([]);
        expect(existsSync(cgroup)).toBe(false);
      } finally {
        if (existsSync(cgroup)) rmdirSync(cgroup);
      }
    },
    30_000,
  );
});
