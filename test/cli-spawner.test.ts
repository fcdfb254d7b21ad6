/**
 * cmd steps are started by a perl launcher (src/steps/launcher.ts), or where there is no perl by
 * spawner helpers, not by orchestrator's own event loop (issue 27.4, src/steps/spawner.ts). What
 * the hop must not lose, beyond what the process, signal and escape tests check through it: the
 * starter holds none of the secrets the orchestrator hides from steps, and an orchestrator killed
 * outright (SIGKILL: no handler runs) still takes its steps with it, since each starter ends what
 * it started once its orchestrator is gone.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { baseEnv, runCli } from './helpers/cli.js';
import { isAlive, killedAfterAll, survivors, waitFor } from './helpers/processes.js';
import { scratch } from './helpers/project.js';

const recorded = killedAfterAll();
const KEY = 'sk-spawner-test-key-4c1d9e';
const TOKEN = 'ghp_spawner-test-token-77a0';

/** The parent of process `pid` (field 4 of /proc/<pid>/stat). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

const TWO_DOCS = { 'docs.txt': 'docs/1.md\ndocs/2.md\n', 'docs/1.md': '1', 'docs/2.md': '2' };

/** A PATH with the programs these steps run and no perl: cmd steps are then started by spawner helpers. */
function pathWithoutPerl(cwd: string): string {
  const bin = join(cwd, 'bin-without-perl');
  mkdirSync(bin);
  for (const program of ['sh', 'sleep', 'cat', 'cp', 'setsid', 'head', 'grep']) {
    const found = (process.env.PATH ?? '')
      .split(delimiter)
      .map((dir) => join(dir, program))
      .find((path) => existsSync(path));
    if (found !== undefined) symlinkSync(found, join(bin, program));
  }
  return bin;
}

test.each(['launcher', 'helper'] as const)(
  "a cmd step's parent is the %s, not orchestrator, and its environment holds no key or token",
  async (starter) => {
    // the starter is given the environment every cmd step starts from: what steps may not see, it holds neither
    // the step copies its parent's command line and initial environment out of the run's reach
    const cwd = scratch({
      ...TWO_DOCS,
      'config.json': JSON.stringify([
        {
          type: 'look',
          cmd: 'cp /proc/$PPID/cmdline "$OUT/cmdline.$ORCHESTRATOR_FLOW_ID"; cp /proc/$PPID/environ "$OUT/environ.$ORCHESTRATOR_FLOW_ID"',
        },
      ]),
    });
    let orchestrator = 0;
    const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--run-id', 'look'], {
      cwd,
      env: baseEnv({ OUT: cwd, OPENAI_API_KEY: KEY, GH_TOKEN: TOKEN, ...(starter === 'helper' ? { PATH: pathWithoutPerl(cwd) } : {}) }),
      timeoutMs: 30_000,
      onStart: (pid) => (orchestrator = pid),
    });
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    for (const flow of ['flow_0001', 'flow_0002']) {
      const cmdline = readFileSync(join(cwd, `cmdline.${flow}`), 'utf8').split('\0');
      if (starter === 'helper') {
        // node, the helper's file, the run tag (orchestrator's pid first) and orchestrator's pid
        expect(cmdline.some((arg) => arg.endsWith('spawner-helper.js'))).toBe(true);
        expect(cmdline).toContain(String(orchestrator));
      } else {
        // perl, its program, the run tag (orchestrator's pid first)
        expect(cmdline.slice(0, 2)).toEqual(['perl', '-e']);
        expect(cmdline[3]).toMatch(new RegExp(`^${orchestrator}\\.`));
      }
      const environ = readFileSync(join(cwd, `environ.${flow}`), 'utf8');
      expect(environ).not.toContain(KEY);
      expect(environ).not.toContain(TOKEN);
      expect(environ).not.toMatch(/(?:^|\0)(?:OPENAI_API_KEY|GH_TOKEN)=/);
    }
  },
  90_000,
);

test("perl's own settings in the user's environment (PERL_UNICODE, PERL5OPT) are the steps', not the launcher's", async () => {
  // PERL_UNICODE=SDA made every pipe of the launcher a text one: it died at its first read and
  // every step failed as 'the process that starts commands (perl, pid N) ended'
  const cwd = scratch({
    ...TWO_DOCS,
    'config.json': JSON.stringify([{ type: 'look', cmd: 'printf "%s|%s|" "$PERL_UNICODE" "$PERL5OPT"; ps -o comm= -p $PPID' }]),
  });
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--run-id', 'perl'], {
    cwd,
    env: baseEnv({ PERL_UNICODE: 'SDA', PERL5OPT: '-Mutf8' }),
    timeoutMs: 30_000,
  });
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
  for (const flow of ['flow_0001', 'flow_0002']) {
    const output = readFileSync(join(cwd, 'generated', 'run_perl', flow, '01_look', 'output.txt'), 'utf8');
    expect(output.trim()).toBe('SDA|-Mutf8|perl');
  }
}, 60_000);

/**
 * Two flows of one step `cmd` (by default: its shell's pid written to $OUT/pids, then a sleep);
 * `readPids` reads (and records, to be killed after all) the pids written so far.
 */
function holdingSteps(cmd = 'echo $$ >> "$OUT/pids"; sleep 60'): { cwd: string; readPids: () => number[] } {
  const cwd = scratch({ ...TWO_DOCS, 'config.json': JSON.stringify([{ type: 'hold', cmd }]) });
  const pidsFile = join(cwd, 'pids');
  const readPids = (): number[] => {
    if (!existsSync(pidsFile)) return [];
    const pids = readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number);
    for (const pid of pids) recorded.add(pid);
    return pids;
  };
  return { cwd, readPids };
}

test('SIGKILL to orchestrator: the launcher ends the steps it started, and exits', async () => {
  const { cwd, readPids } = holdingSteps('sleep 60 & echo $! >> "$OUT/pids"; echo $$ >> "$OUT/pids"; wait');
  const helpers = new Set<number>();
  let killed: Promise<void> = Promise.resolve();
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--run-id', 'hold'], {
    cwd,
    env: baseEnv({ OUT: cwd }),
    timeoutMs: 30_000,
    onStart: (pid) => {
      killed = (async () => {
        await waitFor('both steps running', () => readPids().length >= 4, 20_000);
        // each step's shell is a child of a helper (the sleeps are the shells' children)
        for (const shell of readPids().filter((_, i) => i % 2 === 1)) helpers.add(parentOf(shell));
        for (const helper of helpers) recorded.add(helper);
        process.kill(pid, 'SIGKILL');
      })();
    },
  });
  await killed;
  expect(result.signal).toBe('SIGKILL');
  expect(helpers.size).toBeGreaterThan(0);
  expect([...helpers].every((helper) => helper > 1)).toBe(true);
  // no step process, and no helper, outlives the orchestrator
  expect(await survivors([...readPids(), ...helpers], 20_000)).toEqual([]);
  expect(readPids().filter(isAlive)).toEqual([]);
}, 90_000);

/** What starts the cmd steps of orchestrator `pid`: its children running spawner-helper.js, or the perl launcher. */
function startersOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  return children.filter((child) => {
    try {
      const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8');
      return cmdline.includes('spawner-helper.js') || cmdline.startsWith('perl\0-e\0');
    } catch {
      return false;
    }
  });
}

test("Ctrl-C in a terminal (SIGINT to the whole process group, helpers included): the flows are cancelled, not failed by the helpers' deaths; exit 130", async () => {
  // a terminal's Ctrl-C reaches every process of the foreground group: the helpers are forked into it
  const { cwd, readPids } = holdingSteps();
  const helpers: number[] = [];
  let sent: Promise<void> = Promise.resolve();
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--run-id', 'ctrlc'], {
    cwd,
    env: baseEnv({ OUT: cwd }),
    timeoutMs: 30_000,
    onStart: (pid) => {
      sent = (async () => {
        await waitFor('both steps running', () => readPids().length >= 2, 20_000);
        helpers.push(...startersOf(pid));
        for (const helper of helpers) recorded.add(helper);
        // as the terminal does: every process of the group at once (jest's own group is not the CLI's alone)
        for (const target of [pid, ...helpers]) process.kill(target, 'SIGINT');
      })();
    },
  });
  await sent;
  expect(helpers.length).toBeGreaterThan(0);
  const results = JSON.parse(readFileSync(join(cwd, 'generated', 'run_ctrlc', 'results.json'), 'utf8'));
  expect({
    code: result.code,
    cancelled: results.cancelled,
    failed: results.failed,
    errors: results.flows.map((f: any) => f.error),
  }).toMatchObject({
    code: 130,
    cancelled: 2,
    failed: 0,
  });
  expect(await survivors([...readPids(), ...helpers], 20_000)).toEqual([]);
}, 90_000);

test('a shell that starts a daemon on its stdout and exits at once: the daemon is found and killed, in every flow', async () => {
  // the shell is gone a moment after it started, before a helper had read what its stdout is: the
  // step's own processes holding a pipe there are still found (they carry its tag), not "a process
  // that could not be found"
  const docs = ['1', '2', '3', '4', '5', '6'];
  const cwd = scratch({
    'docs.txt': docs.map((d) => `docs/${d}.md\n`).join(''),
    ...Object.fromEntries(docs.map((d) => [`docs/${d}.md`, d])),
    'config.json': JSON.stringify([{ type: 'daemon', cmd: `setsid sh -c 'echo $$ >> "$OUT/daemons"; exec sleep 1000' & echo held` }]),
  });
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '6', '--run-id', 'daemon'], {
    cwd,
    env: baseEnv({ OUT: cwd }),
    timeoutMs: 30_000,
  });
  const daemons = existsSync(join(cwd, 'daemons'))
    ? readFileSync(join(cwd, 'daemons'), 'utf8').split('\n').filter(Boolean).map(Number)
    : [];
  for (const pid of daemons) recorded.add(pid);
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
  const notes = docs.map((_, i) =>
    readFileSync(join(cwd, 'generated', 'run_daemon', `flow_000${i + 1}`, '01_daemon', 'stderr.txt'), 'utf8'),
  );
  // a daemon caught before its setsid is still in the step's group and ends with it (no note); one
  // that left is named as killed, never "a process that could not be found"
  for (const note of notes) expect(note).not.toMatch(/could not be found/);
  for (const note of notes.filter((n) => n.trim() !== '')) {
    expect(note).toMatch(
      /outside its process group still held its stdout\/stderr open 1000 ms later: killed pid \d+ \((?:sleep 1000|sh -c)/,
    );
  }
  expect(await survivors(daemons, 20_000)).toEqual([]);
}, 90_000);

test.each(['launcher', 'helper'] as const)(
  'the %s killed mid-run: its running steps fail saying so (killed, not "could not be started"), the run ends as usual (exit 1, results), nothing is left',
  async (starter) => {
    // a few rounds: the run used to end (exit 0, often no results.json) in about a third of them,
    // when the helpers' closed channels were seen before their exits
    for (const round of [1, 2, 3, 4]) {
      const { cwd, readPids } = holdingSteps();
      const helpers: number[] = [];
      let killed: Promise<void> = Promise.resolve();
      const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--parallel', '2', '--timeout', '20', '--run-id', 'crash'], {
        cwd,
        env: baseEnv({ OUT: cwd, ...(starter === 'helper' ? { PATH: pathWithoutPerl(cwd) } : {}) }),
        timeoutMs: 60_000,
        onStart: (pid) => {
          killed = (async () => {
            await waitFor('both steps running', () => readPids().length >= 2, 20_000);
            helpers.push(...startersOf(pid));
            for (const helper of helpers) recorded.add(helper);
            // every helper: each of the two steps is ended with its helper
            for (const helper of helpers) process.kill(helper, 'SIGKILL');
          })();
        },
      });
      await killed;
      expect(helpers.length).toBeGreaterThan(0);
      expect({ round, code: result.code, stderr: result.stderr }).toMatchObject({ round, code: 1 });
      const results = JSON.parse(readFileSync(join(cwd, 'generated', 'run_crash', 'results.json'), 'utf8'));
      expect(results.failed).toBe(2);
      for (const flow of results.flows) {
        expect(flow.error).toMatch(
          starter === 'helper'
            ? /^step 1 \("hold"\): the command was killed by SIGKILL: the helper process that starts commands \(pid \d+\) ended before the command did$/
            : /^step 1 \("hold"\): the command was killed by SIGKILL: the process that starts commands \(perl, pid \d+\) ended before the command did$/,
        );
      }
      expect(await survivors([...readPids(), ...helpers], 20_000)).toEqual([]);
    }
  },
  120_000,
);

test('a step flooding its output waits for the channel: the helper does not hold what orchestrator has not read yet', async () => {
  // 300 MB on stderr through a helper: its peak memory stays near its size at rest (about 130 MB
  // with the garbage of the chunks it passed on), where it held the backlog before (300 MB and up)
  const cwd = scratch({
    ...TWO_DOCS,
    'docs.txt': 'docs/1.md\n',
    'config.json': JSON.stringify([{ name: 'flood', cmd: 'head -c 300000000 /dev/zero >&2; grep VmHWM /proc/$PPID/status' }]),
  });
  const result = await runCli(['config.json', '--key', 'doc:docs.txt', '--run-id', 'flood'], { cwd, env: baseEnv(), timeoutMs: 60_000 });
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
  const step = join(cwd, 'generated', 'run_flood', 'flow_0001', '01_flood');
  expect(lstatSync(join(step, 'stderr.txt')).size).toBe(300_000_000);
  const peakKiB = Number(/VmHWM:\s*(\d+) kB/.exec(readFileSync(join(step, 'output.txt'), 'utf8'))?.[1]);
  expect(peakKiB).toBeGreaterThan(0);
  expect(peakKiB).toBeLessThan(220 * 1024);
}, 90_000);
