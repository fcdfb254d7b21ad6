/**
 * What a cmd step's process gives back (README "Running a flow"): its output byte for byte, to the
 * next step's stdin and to output.txt; a bounded amount of it in memory; and a step that ends when
 * its program ends (or times out, or is interrupted) even if something it started escaped its
 * process group and still holds its pipes.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, orchestrate, type Outcome } from './helpers/cli.js';
import { killedAfterAll, survivors, waitFor } from './helpers/processes.js';
import { project, scratch } from './helpers/project.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

/** Escaped processes, killed by pid at the end whatever happened. */
const escaped = killedAfterAll();

/** Reads the pid the escaped process wrote, and remembers it for the cleanup. */
function escapedPid(dir: string): number {
  const pid = Number(readFileSync(join(dir, 'escaped.pid'), 'utf8').trim());
  expect(pid).toBeGreaterThan(1);
  escaped.add(pid);
  return pid;
}

/** A process that leaves the step's process group, holding its stdout and stderr, and writes its pid to escaped.pid. */
const ESCAPE = `setsid sh -c 'echo $$ > escaped.pid; exec sleep 1000' & until [ -s escaped.pid ]; do sleep 0.05; done;`;

const stepDir = (o: Outcome, step: string): string => join(o.runDir, 'flow_0001', step);

describe('bytes are bytes', () => {
  test('bytes that are not UTF-8 pass from one cmd step to the next and to output.txt unchanged; secrets are still masked', async () => {
    const SECRET = 'sk-bytes-secret-0123456789';
    const dir = project([
      // ff fe 00 'abc' 80, then the secret between two bytes that are not UTF-8
      { name: 'gen', cmd: `printf '\\377\\376\\000abc\\200'; printf '\\301${SECRET}\\377'` },
      { name: 'pass', cmd: 'cat' },
      { name: 'hex', cmd: "od -An -tx1 -v | tr -d ' \\n'" },
    ]);
    const o = await orchestrate(dir, [], { MY_SERVICE_TOKEN: SECRET });
    expectExit(o, 0);
    const expected = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x00, 0x61, 0x62, 0x63, 0x80, 0xc1]),
      Buffer.from('***'),
      Buffer.from([0xff]),
    ]);
    expect(readFileSync(join(stepDir(o, '01_gen'), 'output.txt'))).toEqual(expected);
    // what the second step got on stdin, as it recorded it and as it wrote it back
    expect(readFileSync(join(stepDir(o, '02_pass'), 'prompt.txt'))).toEqual(expected);
    expect(readFileSync(join(stepDir(o, '02_pass'), 'output.txt'))).toEqual(expected);
    // the third step saw those bytes exactly
    expect(o.results.flows[0].output).toBe(expected.toString('hex'));
    // text views show them decoded
    const text = JSON.parse(readFileSync(join(o.runDir, 'flow_0001', 'result.json'), 'utf8'));
    expect(text.output).toBe(expected.toString('hex'));
    expect(JSON.stringify(o.results)).not.toContain(SECRET);
  }, 30_000);
});

describe("a step's stdout is bounded in memory", () => {
  test('past the cap (lowered for the test) the step fails, saying so; output.txt holds all of it', async () => {
    const dir = project([
      { name: 'big', cmd: "head -c 5000 /dev/zero | tr '\\0' x" },
      { name: 'next', cmd: 'wc -c' },
    ]);
    const o = await orchestrate(dir, [], { ORCHESTRATOR_MAX_OUTPUT_BYTES: '4096' });
    expectExit(o, 1);
    const leaf = o.results.flows[0];
    expect(leaf.error).toBe(
      'step 1 ("big"): the command wrote 5000 bytes on stdout, more than the 4 KiB a step may pass on (all of it is in its output.txt): ' +
        'write large results to a file and pass on its path instead',
    );
    expect(leaf.steps.map((s: any) => s.status)).toEqual(['failed']);
    expect(statSync(join(stepDir(o, '01_big'), 'output.txt')).size).toBe(5000);

    // under the cap: passed on
    const small = project([
      { name: 'big', cmd: "head -c 4096 /dev/zero | tr '\\0' x" },
      { name: 'next', cmd: 'wc -c' },
    ]);
    const ok = await orchestrate(small, [], { ORCHESTRATOR_MAX_OUTPUT_BYTES: '4096' });
    expectExit(ok, 0);
    expect(ok.results.flows[0].output.trim()).toBe('4096');
  }, 30_000);
});

test('a codex final message over the cap fails the step, saying so', async () => {
  const codex = writeStandInCodex(
    scratch(),
    `#!/bin/sh
${CODEX_OPTIONS}
[ "$1" = "sandbox" ] && exit 0
cat > /dev/null
${TURN_STARTED}
head -c 5000 /dev/zero | tr '\\0' x > "$final"
${turnCompleted(0)}
`,
  );
  const dir = project([{ type: 'codex', prompt: 'write a lot' }]);
  const o = await orchestrate(dir, ['--codex-path', codex], {
    OPENAI_API_KEY: 'sk-test-process-0123456789',
    ORCHESTRATOR_MAX_OUTPUT_BYTES: '4096',
  });
  expectExit(o, 1);
  expect(o.results.flows[0].error).toBe(
    'step 1 ("codex"): codex wrote a final message of 5000 bytes, more than the 4 KiB a step may pass on: ask for a shorter answer, or have codex write its result to a file',
  );
}, 30_000);

describe('a process that escaped the group does not hold the step', () => {
  test('the command exits while an escaped process holds its pipes: the step ends a moment later with what was written', async () => {
    const dir = project([
      { name: 'daemon', cmd: `${ESCAPE} echo hi` },
      { name: 'next', cmd: 'cat' },
    ]);
    const o = await orchestrate(dir, ['--timeout', '60'], {}, { timeoutMs: 20_000 });
    expectExit(o, 0);
    expect(o.ms).toBeLessThan(15_000);
    expect(o.results.flows[0].output).toBe('hi\n');
    const note = readFileSync(join(stepDir(o, '01_daemon'), 'stderr.txt'), 'utf8').match(
      /a process it started outside its process group still held its stdout\/stderr open 1000 ms later: killed pid (\d+) \(sleep 1000\); what was written before was read to the end/,
    );
    // the note names the process that held the pipes, found by its open pipe
    expect(note?.[1]).toBe(String(escapedPid(dir)));
    // it held the step's pipes: it was ended with the step
    expect(await survivors([escapedPid(dir)], 2000)).toEqual([]);
  }, 30_000);

  test('--timeout ends the step even though an escaped process holds its pipes', async () => {
    const dir = project([{ name: 'stuck', cmd: `${ESCAPE} sleep 1000` }]);
    const o = await orchestrate(dir, ['--timeout', '2'], {}, { timeoutMs: 20_000 });
    expectExit(o, 1);
    expect(o.ms).toBeLessThan(15_000);
    expect(o.results.flows[0].error).toMatch(
      /^step 1 \("stuck"\): the command timed out after 2 s \(a process it started outside its process group still held its output open: killed pid \d+ \(sleep 1000\)\)$/,
    );
    expect(await survivors([escapedPid(dir)], 2000)).toEqual([]);
  }, 30_000);

  test('the first SIGINT ends the step even though an escaped process holds its pipes: exit 130, results written', async () => {
    const dir = project([{ name: 'stuck', cmd: `${ESCAPE} sleep 1000` }]);
    let signalled = 0;
    const o = await orchestrate(
      dir,
      ['--timeout', '600'],
      {},
      {
        timeoutMs: 20_000,
        onStart: (pid) => {
          void waitFor(
            'the escaped process',
            () => {
              try {
                return readFileSync(join(dir, 'escaped.pid'), 'utf8').trim() !== '';
              } catch {
                return false;
              }
            },
            10_000,
          ).then(() => {
            signalled = Date.now();
            process.kill(pid, 'SIGINT');
          });
        },
      },
    );
    expectExit(o, 130);
    expect(Date.now() - signalled).toBeLessThan(8_000);
    expect(o.results).toMatchObject({ total: 1, cancelled: 1 });
    expect(await survivors([escapedPid(dir)], 2000)).toEqual([]);
  }, 30_000);
});

/** A process that leaves the step's process group with its own stdin/stdout/stderr: no pipe leads to it. */
const DETACH = `setsid sh -c 'echo $$ > escaped.pid; exec sleep 1000' </dev/null >/dev/null 2>&1 & until [ -s escaped.pid ]; do sleep 0.05; done;`;

describe('a process that escaped the group and holds no pipe does not outlive the run', () => {
  test('a daemon a cmd step left behind is ended when the run ends; the step itself succeeded', async () => {
    const dir = project([{ name: 'daemon', cmd: `${DETACH} echo started` }]);
    const o = await orchestrate(dir, [], {}, { timeoutMs: 20_000 });
    expectExit(o, 0);
    expect(o.results.flows[0].output).toBe('started\n');
    // found by the tag in its environment, not by a pipe or a group
    expect(await survivors([escapedPid(dir)], 2000)).toEqual([]);
  }, 30_000);

  test('--timeout ends a detached process of the step that timed out at once, while the run goes on', async () => {
    const dir = project([
      { name: 'stuck', cmd: `${DETACH} sleep 1000` },
      { name: 'never', cmd: 'cat' },
    ]);
    const o = await orchestrate(dir, ['--timeout', '2'], {}, { timeoutMs: 20_000 });
    expectExit(o, 1);
    expect(o.results.flows[0].error).toMatch(/timed out after 2 s/);
    expect(await survivors([escapedPid(dir)], 2000)).toEqual([]);
  }, 30_000);
});

describe('bytes are bytes on --resume', () => {
  test('a reused cmd step passes its output.txt on byte for byte to the step that runs again', async () => {
    const dir = project([
      { name: 'gen', cmd: "printf '\\377\\000abc\\200'" },
      { name: 'hex', cmd: "od -An -tx1 -v | tr -d ' \\n'; [ -f ok ] || exit 3" },
    ]);
    const first = await orchestrate(dir);
    expectExit(first, 1);
    writeFileSync(join(dir, 'ok'), '');
    const second = await orchestrate(dir, ['--resume']);
    expectExit(second, 0);
    expect(second.results.flows[0].output).toBe('ff0061626380');
  }, 30_000);
});
