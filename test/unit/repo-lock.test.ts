/** The lock file that serializes `git worktree add`/`remove` across orchestrator processes (README: Codex in CI). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLockFile } from '../../src/steps/repo-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'orchestrator-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('holders never overlap; the file holds the pid while held and is gone after, also when the work throws', async () => {
  const lock = join(dir, 'a.lock');
  let inside = 0;
  let peak = 0;
  const work = async (): Promise<void> => {
    inside++;
    peak = Math.max(peak, inside);
    expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    await new Promise((r) => setTimeout(r, 5));
    inside--;
  };
  await Promise.all(Array.from({ length: 8 }, () => withLockFile(lock, work)));
  expect(peak).toBe(1);
  await expect(withLockFile(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(existsSync(lock)).toBe(false);
});

test("a lock left by a process that is gone is taken over; a live holder's is waited for", async () => {
  const lock = join(dir, 'b.lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(lock, dead);
  expect(await withLockFile(lock, () => Promise.resolve('taken'))).toBe('taken');

  // a live holder (this process, by pid) releases after 100 ms: the second waits for it
  writeFileSync(lock, String(process.pid));
  const released = new Promise<void>((resolve) =>
    setTimeout(() => {
      rmSync(lock);
      resolve();
    }, 100),
  );
  let releasedFirst = false;
  void released.then(() => (releasedFirst = true));
  await withLockFile(lock, () => Promise.resolve(expect(releasedFirst).toBe(true)));
});
