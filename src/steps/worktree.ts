import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
}

/**
 * Git worktrees of the workdir at HEAD, one per flow or branch that runs codex, created outside the
 * workdir and removed when the leaf ends, so parallel flows never edit the same files.
 */
export class Worktrees {
  private readonly live = new Set<string>();
  /** Where the workdir is inside its repository ("" at the root, "packages/app/" below it). */
  private prefix: string | undefined;
  /** git's worktree bookkeeping (.git/worktrees) is not safe for concurrent adds and removes: one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs a git command on the main repository after those queued before it. */
  private serial(args: string[]): Promise<string> {
    const next = this.queue.then(() => git(this.repo, args));
    this.queue = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly repo: string,
    private readonly root: string,
  ) {}

  /** A new worktree at HEAD for `name` (flow_0001, flow_0001-branch_2...), with `patch` applied when given. */
  async create(name: string, patch?: string): Promise<string> {
    this.prefix ??= (await git(this.repo, ['rev-parse', '--show-prefix'])).trim();
    mkdirSync(this.root, { recursive: true });
    const path = join(this.root, name);
    rmSync(path, { recursive: true, force: true });
    await this.serial(['worktree', 'add', '--detach', '--force', path, 'HEAD']);
    this.live.add(path);
    leftOnExit.add(this);
    // an empty patch (the parent changed nothing) is no patch to git apply: it would refuse it
    if (patch !== undefined && existsSync(patch) && statSync(patch).size > 0)
      await git(path, ['apply', '--binary', '--whitespace=nowarn', patch]);
    return path;
  }

  /**
   * The directory in a worktree that stands for the workdir: the same subdirectory when the workdir
   * is below the repository's root (created when HEAD does not hold it).
   */
  workdirIn(path: string): string {
    const dir = this.prefix ? join(path, this.prefix) : path;
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Everything changed in the worktree since HEAD, new files included, as a patch `git apply` takes. */
  async diff(path: string): Promise<string> {
    await git(path, ['add', '--all']);
    return git(path, ['diff', '--cached', '--binary', 'HEAD']);
  }

  /**
   * Keeps a worktree's patch next to it, outside generated/ and unmasked (the copy in the step
   * directory has secrets masked), for the branches that start from it; returns its path.
   */
  keep(path: string, patch: string): string {
    const copy = `${path}.patch`;
    writeFileSync(copy, patch);
    return copy;
  }

  async remove(path: string): Promise<void> {
    if (!this.live.delete(path)) return;
    try {
      await this.serial(['worktree', 'remove', '--force', path]);
    } catch {
      rmSync(path, { recursive: true, force: true });
    }
  }

  /** Removes whatever is left (an interrupted run) and prunes git's records of them. */
  async removeAll(): Promise<void> {
    await Promise.all([...this.live].map((path) => this.remove(path)));
    await this.serial(['worktree', 'prune']).catch(() => undefined);
    rmSync(this.root, { recursive: true, force: true });
    leftOnExit.delete(this);
  }

  /** removeAll, synchronously: for a process that exits at once (a second Ctrl-C). */
  removeAllNow(): void {
    for (const path of this.live) rmSync(path, { recursive: true, force: true });
    this.live.clear();
    rmSync(this.root, { recursive: true, force: true });
    try {
      execFileSync('git', ['worktree', 'prune'], { cwd: this.repo, stdio: 'ignore', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    } catch {
      // nothing more to do on the way out
    }
    leftOnExit.delete(this);
  }
}

/** Worktrees not yet removed; a process that exits without awaiting removeAll still removes them. */
const leftOnExit = new Set<Worktrees>();
process.on('exit', () => {
  for (const worktrees of [...leftOnExit]) worktrees.removeAllNow();
});
