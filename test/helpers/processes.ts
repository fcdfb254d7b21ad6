/** Processes a test started, seen from outside: alive or not, and waiting for a condition or for them to end. */
import { readFileSync } from 'node:fs';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** true while pid names a live process; a zombie (exited, not yet reaped: PID 1 of a container may never reap it) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Checks `condition` every pollMs until it holds; throws, naming `what`, once timeoutMs have passed. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs: number, pollMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** Those of pids still alive after up to withinMs (checked every pollMs) to finish dying. */
export async function survivors(pids: readonly number[], withinMs: number, pollMs = 25): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(pollMs);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/**
 * A set of pids the tests of one file record; every one still alive is killed (SIGKILL) after the
 * file's tests, whatever happened, so a failing test leaks no process.
 */
export function killedAfterAll(): Set<number> {
  const pids = new Set<number>();
  afterAll(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  return pids;
}
