import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { publicEnv } from '../util/private-env.js';
import { StepError, errorMessage } from '../errors.js';
import { SafeTree } from '../util/safe-tree.js';
import { withLockFile } from './repo-lock.js';

const run = promisify(execFile);

/** git runs hooks and helpers of the repository: it gets no private variables either. */
const gitEnv = (): Record<string, string> => ({ ...publicEnv(process.env), GIT_TERMINAL_PROMPT: '0' });

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024, env: gitEnv() });
  return stdout;
}

/**
 * Tracked files under `dir` with uncommitted changes (staged or not), relative to the repository
 * root: a worktree starts from HEAD and does not have them.
 */
export function uncommittedFiles(dir: string): string[] {
  try {
    const out = execFileSync('git', ['status', '--porcelain', '-z', '--untracked-files=no', '--', '.'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitEnv(),
    });
    // "XY path" entries; a rename's entry is followed by one holding its old path
    return out
      .split('\0')
      .filter((entry) => /^[ MADRCTU?!]{2} /.test(entry))
      .map((entry) => entry.slice(3));
  } catch {
    return [];
  }
}

/**
 * Where a run's worktrees go: `$XDG_CACHE_HOME/orchestrator/worktrees/<run>-<pid>-<random>` (else
 * `~/.cache/...`). Not under the temp directory: codex's `workspace-write` sandbox lets every codex
 * process write to /tmp and $TMPDIR, so one flow's codex could write into another flow's worktree
 * there. Nor beside or inside the workdir, where a codex running in the shared checkout (a run
 * without isolation on the same repository) could reach it. The home directory is writable by no
 * codex sandbox. The random part keeps two runs with one run id and pid (containers) apart.
 */
export function worktreesRoot(env: Readonly<Record<string, string | undefined>>, runId: string): string {
  const cache = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(cache, 'orchestrator', 'worktrees', `${runId}-${process.pid}-${randomBytes(3).toString('hex')}`);
}

/**
 * Git worktrees of the workdir at HEAD, one per flow or branch that runs codex, created outside the
 * workdir and removed when the leaf ends, so parallel flows never edit the same files.
 */
export class Worktrees {
  private readonly live = new Set<string>();
  /** Where the workdir is inside its repository ("" at the root, "packages/app/" below it). */
  private prefix: string | undefined;
  /** The lock file in git's common directory that orchestrators on this repository take to add or remove worktrees. */
  private lock: string | undefined;
  /**
   * git's worktree bookkeeping (.git/worktrees) is not safe for concurrent adds and removes: one at a
   * time in this process, and across processes under a lock file.
   */
  private queue: Promise<unknown> = Promise.resolve();
  /** Makes this run's worktree names unique: git names its records after the directory's name. */
  private readonly suffix = randomBytes(4).toString('hex');
  /** Worktrees whose setup left something: the tree their patches are taken against instead of HEAD. */
  private readonly baselines = new Map<string, string>();

  /** Runs a git command on the main repository after those queued before it, holding the repository's lock. */
  private serial(args: string[]): Promise<string> {
    const next = this.queue.then(() => (this.lock ? withLockFile(this.lock, () => git(this.repo, args)) : git(this.repo, args)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  constructor(
    private readonly repo: string,
    private readonly root: string,
  ) {}

  /**
   * A new worktree at HEAD for `name` (flow_0001, flow_0001-branch_2...). `setup` runs first, in the
   * directory that stands for the workdir; what it leaves is recorded as the worktree's baseline,
   * which patches are taken against. Then `patch` is applied when given.
   */
  async create(name: string, patch?: string, setup?: (dir: string) => Promise<void>): Promise<string> {
    if (this.prefix === undefined) {
      this.prefix = (await git(this.repo, ['rev-parse', '--show-prefix'])).trim();
      const common = (await git(this.repo, ['rev-parse', '--git-common-dir'])).trim();
      this.lock = join(resolve(this.repo, common), 'orchestrator-worktrees.lock');
    }
    try {
      mkdirSync(this.root, { recursive: true });
    } catch (error) {
      throw new StepError(
        `cannot create the worktree directory ${this.root} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): ` +
          'set XDG_CACHE_HOME to a writable directory outside the temp directory',
        { cause: error },
      );
    }
    const path = join(this.root, `${name}.${this.suffix}`);
    rmSync(path, { recursive: true, force: true });
    await this.serial(['worktree', 'add', '--detach', '--force', path, 'HEAD']);
    this.live.add(path);
    leftOnExit.add(this);
    mkdirSync(this.tmpFor(path), { recursive: true });
    if (setup !== undefined) {
      try {
        await setup(this.workdirIn(path));
        this.baselines.set(path, await this.snapshot(path));
      } catch (error) {
        await this.remove(path);
        throw error;
      }
    }
    // an empty patch (the parent changed nothing) is no patch to git apply: it would refuse it
    if (patch !== undefined && existsSync(patch) && statSync(patch).size > 0)
      await git(path, ['apply', '--binary', '--whitespace=nowarn', patch]);
    return path;
  }

  /**
   * A temp directory of the worktree's own, beside it (not in it, so nothing there lands in a patch):
   * codex's sandbox is told to let it write there and in its worktree only, not in /tmp.
   */
  tmpFor(path: string): string {
    return `${path}.tmp`;
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

  /**
   * The worktree as it is now, every file git does not ignore included, as a tree object: after setup,
   * so that neither its edits nor the untracked files it made (a `node_modules` link) are in a patch.
   */
  private async snapshot(path: string): Promise<string> {
    await git(path, ['add', '--all']);
    return (await git(path, ['write-tree'])).trim();
  }

  /** Everything changed in the worktree since HEAD (or since setup), new files included, as a patch `git apply` takes. */
  async diff(path: string): Promise<string> {
    await git(path, ['add', '--all']);
    return git(path, ['diff', '--cached', '--binary', this.baselines.get(path) ?? 'HEAD']);
  }

  /**
   * Keeps a worktree's patch next to it, outside generated/ and unmasked (the copy in the step
   * directory has secrets masked), for the branches that start from it; returns its path.
   */
  keep(path: string, patch: string): string {
    const copy = `${path}.patch`;
    // codex may write in /tmp: a link planted at this name is refused, not written through
    new SafeTree(this.root).write(copy, patch);
    return copy;
  }

  async remove(path: string): Promise<void> {
    if (!this.live.delete(path)) return;
    this.baselines.delete(path);
    rmSync(this.tmpFor(path), { recursive: true, force: true });
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
    for (const path of this.live) {
      rmSync(path, { recursive: true, force: true });
      rmSync(this.tmpFor(path), { recursive: true, force: true });
    }
    this.live.clear();
    rmSync(this.root, { recursive: true, force: true });
    try {
      execFileSync('git', ['worktree', 'prune'], { cwd: this.repo, stdio: 'ignore', env: gitEnv() });
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
