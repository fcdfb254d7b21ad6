import { execFile } from 'node:child_process';
import { lstatSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publicEnv } from '../util/private-env.js';

const run = promisify(execFile);

/** git runs hooks and helpers of the repository: it gets no private variables either. */
export const gitEnv = (): Record<string, string> => ({ ...publicEnv(process.env), GIT_TERMINAL_PROMPT: '0' });

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024, env: gitEnv() });
  return stdout;
}

/** A git worktree, as orchestrator made it. */
export interface Worktree {
  readonly path: string;
  /**
   * git's directory for it (`.git/worktrees/<name>` in the repository), read when it was made: every
   * git command in the worktree is given it, so a `.git` file a step rewrote never points git elsewhere.
   */
  readonly gitDir: string;
  /** The `.git` file git wrote in it: a worktree whose file a step changed is not reset and reused. */
  readonly gitFile: string;
}

/** The worktree git just made at `path` (before any step ran in it: its `.git` file is git's). */
export function openWorktree(path: string): Worktree {
  const gitFile = readFileSync(join(path, '.git'), 'utf8');
  return { path, gitDir: resolve(path, gitFile.replace(/^gitdir: /, '').trim()), gitFile };
}

/** git in a worktree, told where its records are (not trusting the `.git` file in it). */
export function gitIn(tree: Worktree, args: string[]): Promise<string> {
  return git(tree.path, ['--git-dir', tree.gitDir, '--work-tree', tree.path, ...args]);
}

/**
 * Brings a worktree back to the commit `head`: tracked files a leaf changed or removed are checked
 * out again (only those: git compares each file's stat data with its index), what it created,
 * ignored or not, is removed. False when that failed or the worktree's `.git` file is not the one
 * git wrote.
 */
export async function resetWorktree(tree: Worktree, head: string): Promise<boolean> {
  try {
    const gitFile = join(tree.path, '.git');
    if (!lstatSync(gitFile).isFile() || readFileSync(gitFile, 'utf8') !== tree.gitFile) return false;
    await gitIn(tree, ['reset', '--hard', '--quiet', head]);
    await gitIn(tree, ['clean', '-ffdxq']);
    return true;
  } catch {
    return false;
  }
}

/**
 * The worktree as it is now, every file git does not ignore included, as a tree object: after setup,
 * so that neither its edits nor the untracked files it made (a `node_modules` link) are in a patch.
 */
export async function snapshot(tree: Worktree): Promise<string> {
  await gitIn(tree, ['add', '--all']);
  return (await gitIn(tree, ['write-tree'])).trim();
}
