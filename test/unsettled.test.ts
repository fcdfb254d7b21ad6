/**
 * A command whose work never settles (a wake-up lost in a bug: nothing is left to run, yet the
 * promise it awaits is still pending) fails the process with an internal error instead of letting
 * it exit 0 as if the work were done (util/unsettled.ts, in the CLI's main and the Action's entry).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runNodeProcess } from './helpers/cli.js';

const HELPER = pathToFileURL(join(ROOT, 'build', 'util', 'unsettled.js')).href;

const script = (work: string): string =>
  `import { failIfUnsettled } from ${JSON.stringify(HELPER)};
const done = await failIfUnsettled(${work}, (message) => process.stderr.write(message + '\\n')).catch(() => 'rejected');
process.stdout.write('settled: ' + done);`;

const node = (work: string) =>
  runNodeProcess(['--input-type=module', '-e', script(work)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH },
    timeoutMs: 20_000,
    what: 'node',
  });

test('work that never settles: exit code 1 and an internal error, not exit 0', async () => {
  const result = await node('new Promise(() => {})');
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^orchestrator: internal error: the command stopped waiting for work that nothing was left to do/);
});

test('work that settles, after timers and I/O: its own exit, no message', async () => {
  for (const work of ['new Promise((resolve) => setTimeout(() => resolve("yes"), 200))', 'Promise.reject(new Error("no"))']) {
    const result = await node(work);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^settled: (yes|rejected)$/);
  }
});
