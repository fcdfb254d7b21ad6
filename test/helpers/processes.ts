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
 * When process `pid` started (field 22 of /proc/<pid>/stat, clock ticks after boot): with the pid,
 * it names one process, where the pid alone may name a later one that was given the same number.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined; // gone
  }
}

/**
 * Sends `signal` to process `pid` or, with `group`, to its process group; false when it is gone.
 * A number below 2 is refused: `kill(0)` would reach this process's own group (jest and the shell
 * that started it) and `kill(-1)` every process, as a pid read from a half-written file can be.
 */
export function signalProcess(pid: number, signal: NodeJS.Signals, group = false): boolean {
  if (!Number.isSafeInteger(pid) || pid < 2) throw new Error(`refusing to signal pid ${pid}: not a process a test started`);
  try {
    process.kill(group ? -pid : pid, signal);
    return true;
  } catch {
    return false; // gone
  }
}

/**
 * A set of pids the tests of one file record; every one still alive is killed (SIGKILL) after the
 * file's tests, whatever happened, so a failing test leaks no process. Only the very process that
 * was recorded: a pid the system gave to another process meanwhile (the machine is shared) is left
 * alone.
 */
export function killedAfterAll(): Set<number> {
  const started = new Map<number, string | undefined>();
  const pids = new (class extends Set<number> {
    override add(pid: number): this {
      if (!started.has(pid)) started.set(pid, startTime(pid));
      return super.add(pid);
    }
  })();
  afterAll(() => {
    for (const [pid, start] of started) if (start !== undefined && startTime(pid) === start) signalProcess(pid, 'SIGKILL');
  });
  return pids;
}
