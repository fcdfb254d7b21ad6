/** The pool of worktrees behind `--isolate worktree` (src/steps/worktree.ts), in process, on a real repository. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worktrees } from '../../src/steps/worktree.js';
import { git, gitRepo } from '../helpers/git.js';

const scratch = mkdtempSync(join(tmpdir(), 'orchestrator-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Worktrees git knows of for `repo`, besides the checkout. */
const listed = (repo: string): number => git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)!.length - 1;

test('the pool grows to its size, then hands back reset worktrees; a leaf that finds it full waits for one coming back; with none coming back it makes one more, removed when given back', async () => {
  const repo = gitRepo({ 'a.txt': 'a\n' });
  const root = join(scratch, 'pool');
  const pool = new Worktrees(repo, root, 1);
  try {
    const first = await pool.create('flow_0001');
    writeFileSync(join(first, 'a.txt'), 'changed\n');
    // the pool is full and nothing is coming back: one more, beyond the size
    const extra = await pool.create('flow_0002');
    expect(extra).not.toBe(first);
    expect(listed(repo)).toBe(2);
    await pool.release(extra);
    expect(existsSync(extra)).toBe(false);
    expect(listed(repo)).toBe(1);

    // given back and asked for at once: the next leaf waits for it rather than making another
    const back = pool.release(first);
    const next = await pool.create('flow_0003');
    await back;
    expect(next).toBe(first);
    expect(git(next, 'status', '--porcelain')).toBe('');
    expect(listed(repo)).toBe(1);
  } finally {
    await pool.removeAll();
  }
  expect(listed(repo)).toBe(0);
  expect(existsSync(root)).toBe(false);
  expect(readdirSync(scratch).filter((n) => n.startsWith('pool'))).toEqual([]);
});
