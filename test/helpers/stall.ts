/**
 * A loaded runner, reproduced in this process and every time: a program this process started ends
 * while the event loop is busy, and the loop stays busy a while longer. Used to check that no timer
 * racing the program's end or its pipes decides anything before the I/O that was waiting is read.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './processes.js';

/** sh for a step's program: writes its pid to `program.pid`, then waits for the file `go` (both in the cwd). */
export const WAIT_FOR_GO = 'echo $$ > program.pid; while [ ! -e go ]; do sleep 0.01; done;';

/** true once pid is a zombie: exited, not yet reaped (by this process). */
function exited(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return true; // reaped already
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this process's event loop until `condition` holds or `ms` passed; whether it held. The
 * thread sleeps between looks (Atomics.wait, a millisecond at a time): the loop is held up as a
 * loaded runner's is, without burning a core (a busy wait cost process-stall ~9 CPU s).
 */
function spin(ms: number, condition: () => boolean = () => false): boolean {
  const until = Date.now() + ms;
  for (let left = ms; left > 0; left = until - Date.now()) {
    if (condition()) return true;
    Atomics.wait(sleeper, 0, 0, Math.min(left, 1));
  }
  return condition();
}

/**
 * Once the program in `dir` (started with WAIT_FOR_GO, by whatever `started` waits for) waits for
 * its `go`, lets it write its output and exit while the event loop is held up, then holds it up
 * `stallMs` more (a function: asked once the program has exited), and returns what `started` gives.
 *
 * How: another child, `other`, is made to write a line and exit while this process spins, so that
 * one poll for I/O holds both its line and its SIGCHLD. libuv runs the line's callback first: there
 * the step's program gets its `go`, writes everything and exits. Then libuv handles the SIGCHLD
 * and reaps every child that has exited, the step's program too, whose pipes were not polled
 * yet: its `exit` listeners run before any of its output is read. The loop then stays busy
 * `stallMs` (a setImmediate, before the next poll), and its expired timers run before that poll.
 */
export async function stallAfterExit<T>(dir: string, started: Promise<T>, stallMs: number | (() => number)): Promise<T> {
  const pidFile = join(dir, 'program.pid');
  await waitFor('the step program to start', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 10_000);
  const program = Number(readFileSync(pidFile, 'utf8').trim());
  const otherGo = join(dir, 'other.go');
  const other = spawn('sh', ['-c', `while [ ! -e '${otherGo}' ]; do sleep 0.01; done; echo x`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let programExited = false;
  const stalled = new Promise<void>((resolve) => {
    other.stdout.once('data', () => {
      writeFileSync(join(dir, 'go'), '');
      programExited = spin(10_000, () => exited(program));
      setImmediate(() => {
        spin(typeof stallMs === 'number' ? stallMs : stallMs());
        resolve();
      });
    });
  });
  // both the line and the exit of `other` are waiting before the loop polls again
  await new Promise((resolve) => setImmediate(resolve));
  writeFileSync(otherGo, '');
  const otherExited = spin(10_000, () => exited(other.pid!));
  await stalled;
  // the set-up did what it says, or the test proves nothing
  expect({ otherExited, programExited }).toEqual({ otherExited: true, programExited: true });
  return started;
}
