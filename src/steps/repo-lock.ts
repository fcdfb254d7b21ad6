import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { isAlive } from '../util/alive.js';

/** How long to wait for another process's lock before giving up. */
const WAIT_MS = 10 * 60 * 1000;
/** A lock file without a pid this long after it was made was left by a process that died while writing it. */
const UNWRITTEN_STALE_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the lock at `path` was left by a process that is gone. */
function stale(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isSafeInteger(pid) && pid > 0) return !isAlive(pid);
    return Date.now() - statSync(path).mtimeMs > UNWRITTEN_STALE_MS;
  } catch {
    return false; // removed meanwhile: the next attempt takes it
  }
}

/**
 * Runs `work` holding an exclusive lock across processes: a file created with O_EXCL holding our pid
 * (git itself takes no lock around `git worktree add`, so concurrent runs on one repository raced on
 * `.git/worktrees`). A lock whose process is gone is taken over; waiting backs off up to 200 ms.
 */
export async function withLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      try {
        return await work();
      } finally {
        rmSync(path, { force: true });
      }
    }
    if (stale(path)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() - started > WAIT_MS) {
      throw new Error(
        `waited ${WAIT_MS / 60_000} minutes for ${path} (another orchestrator adding or removing git worktrees): ` +
          'if no orchestrator is running on this repository, remove that file',
      );
    }
    await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
  }
}
