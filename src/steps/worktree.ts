import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { StepError, errorMessage } from '../errors.js';
import { SafeTree } from '../util/safe-tree.js';
import { withLockFile } from './repo-lock.js';
import { git, gitEnv, gitIn, openWorktree, resetWorktree, snapshot, type Worktree } from './worktree-git.js';

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

/** What a run's worktrees share, read from the repository once. */
interface Repository {
  /** Where the workdir is inside its repository ("" at the root, "packages/app/" below it). */
  readonly prefix: string;
  /** The lock file in git's common directory that orchestrators on this repository take to add or remove worktrees. */
  readonly lock: string;
  /** The commit HEAD was at when the first worktree was needed: every worktree of the run starts there. */
  readonly head: string;
}

/**
 * Git worktrees of the workdir at HEAD, outside the workdir, so parallel flows never edit the same
 * files: a pool of up to `size` (the run's --parallel). A leaf takes one for its steps and gives it
 * back when it ends; the next leaf gets it reset to HEAD (`git reset --hard` rewrites only the files
 * a leaf changed, `git clean -ffdx` removes what it created, ignored files too), as a new worktree
 * would be, instead of paying for one `git worktree add` (a checkout of every file) and one remove
 * per leaf. The pool grows to `size` before any worktree is reused. Only git's bookkeeping
 * (`worktree add --no-checkout`, `worktree prune`) is done one at a time under the repository's
 * lock; checkouts and resets run in parallel. All of them are removed at the end of the run.
 */
export class Worktrees {
  /** Every worktree of the pool that exists (or is being made), by path: what removeAll removes. */
  private readonly live = new Set<string>();
  private readonly trees = new Map<string, Worktree>();
  /** Reset, waiting for a leaf. */
  private readonly idle: Worktree[] = [];
  /** The leaf each worktree in use serves (its name): the patch it keeps is named after it. */
  private readonly leaves = new Map<string, string>();
  /** Worktrees being reset after their leaf ended; a leaf that finds the pool full waits for them. */
  private readonly returning = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private repository: Promise<Repository> | undefined;
  /** The repository's prefix, once info() has read it (workdirIn is synchronous). */
  private prefix = '';
  /**
   * git's worktree bookkeeping (.git/worktrees) is not safe for concurrent adds and removes: one at a
   * time in this process, and across processes under a lock file.
   */
  private queue: Promise<unknown> = Promise.resolve();
  /** Makes this run's worktree names unique: git names its records after the directory's name. */
  private readonly suffix = randomBytes(4).toString('hex');
  /** Worktrees whose setup left something: the tree their patches are taken against instead of HEAD. */
  private readonly baselines = new Map<string, string>();

  constructor(
    private readonly repo: string,
    private readonly root: string,
    /** Most worktrees kept for reuse: the run's --parallel. */
    private readonly size = 1,
  ) {}

  /**
   * A worktree at HEAD for the leaf `name` (flow_0001, flow_0001-2...), as a new one would be: a
   * reset one from the pool, or a new one. `setup` runs first, in the directory that stands for
   * the workdir; what it leaves is recorded as the worktree's baseline, which patches are taken
   * against. Then `patch` is applied when given. `release` gives it back.
   */
  async create(name: string, patch?: string, setup?: (dir: string) => Promise<void>): Promise<string> {
    const tree = await this.take(name);
    this.leaves.set(tree.path, name);
    try {
      if (setup !== undefined) {
        await setup(this.workdirIn(tree.path));
        this.baselines.set(tree.path, await snapshot(tree));
      }
      // an empty patch (the parent changed nothing) is no patch to git apply: it would refuse it
      if (patch !== undefined && existsSync(patch) && statSync(patch).size > 0)
        await gitIn(tree, ['apply', '--binary', '--whitespace=nowarn', patch]);
    } catch (error) {
      await this.release(tree.path);
      throw error;
    }
    return tree.path;
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

  /** Everything changed in the worktree since HEAD (or since setup), new files included, as a patch `git apply` takes. */
  async diff(path: string): Promise<string> {
    const tree = this.tree(path);
    await gitIn(tree, ['add', '--all']);
    return gitIn(tree, ['diff', '--cached', '--binary', this.baselines.get(path) ?? (await this.info()).head]);
  }

  /**
   * The files changed in the worktree since HEAD (or since setup: what setup left is not the leaf's),
   * new and deleted ones included, relative to the worktree's root.
   */
  async changed(path: string): Promise<string[]> {
    const tree = this.tree(path);
    await gitIn(tree, ['add', '--all']);
    const out = await gitIn(tree, [
      'diff',
      '--cached',
      '--name-only',
      '-z',
      '--no-renames',
      this.baselines.get(path) ?? (await this.info()).head,
    ]);
    return out.split('\0').filter(Boolean);
  }

  /**
   * Keeps the patch of the leaf in the worktree at `path` beside the worktrees, outside generated/
   * and unmasked (the copy in the step directory has secrets masked), for the branches that start
   * from it; returns its path. Named after the leaf, not the worktree: the worktree goes on to serve
   * another leaf while the branches still start from this file.
   */
  keep(path: string, patch: string): string {
    const copy = join(this.root, `${this.leaves.get(path) ?? 'leaf'}.${this.suffix}.patch`);
    // codex may write in /tmp: a link planted at this name is refused, not written through
    new SafeTree(this.root).write(copy, patch);
    return copy;
  }

  /**
   * Gives a leaf's worktree back: reset to HEAD for the next leaf, or removed when it cannot be
   * (a failed reset, a rewritten `.git` file) or the pool is full.
   */
  async release(path: string): Promise<void> {
    const tree = this.trees.get(path);
    if (tree === undefined || !this.leaves.delete(path)) return;
    this.baselines.delete(path);
    const back = this.reset(tree).then(async (clean) => {
      if (clean && this.live.size <= this.size) this.idle.push(tree);
      else await this.discard(tree);
    });
    this.returning.add(back);
    try {
      await back;
    } finally {
      this.returning.delete(back);
      // every waiter looks again: one takes this worktree, the others make their own if none is coming back
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Removes every worktree of the run (an interrupted run's too) and prunes git's records of them. */
  async removeAll(): Promise<void> {
    await Promise.allSettled([...this.returning]);
    const paths = [...this.live];
    this.live.clear();
    this.trees.clear();
    this.idle.length = 0;
    this.leaves.clear();
    // the directories in parallel, outside the lock; then git's records of them, under it
    await Promise.all(paths.flatMap((path) => [path, this.tmpFor(path)].map((dir) => rm(dir, { recursive: true, force: true }))));
    if (this.repository !== undefined) await this.bookkeeping(['worktree', 'prune']).catch(() => undefined);
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

  /**
   * A worktree for a leaf: a new one while the pool is below its size, else an idle one, else one
   * coming back (waited for), else a new one beyond the size (removed when given back): a leaf
   * never waits for a worktree a leaf waiting for a slot holds.
   */
  private async take(name: string): Promise<Worktree> {
    const repository = await this.info();
    for (;;) {
      if (this.live.size >= this.size) {
        const idle = this.idle.pop();
        if (idle !== undefined) return idle;
        if (this.returning.size > 0) {
          await new Promise<void>((resolve) => this.waiters.push(resolve));
          continue;
        }
      }
      return this.add(name, repository);
    }
  }

  /** A new worktree at the run's HEAD: git's record made under the lock, its files checked out outside it. */
  private async add(name: string, repository: Repository): Promise<Worktree> {
    try {
      mkdirSync(this.root, { recursive: true });
    } catch (error) {
      throw new StepError(
        `cannot create the worktree directory ${this.root} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}): ` +
          'set XDG_CACHE_HOME to a writable directory outside the temp directory',
        { cause: error },
      );
    }
    let path = join(this.root, `${name}.${this.suffix}`);
    for (let n = 2; this.live.has(path); n++) path = join(this.root, `${name}-${n}.${this.suffix}`);
    rmSync(path, { recursive: true, force: true });
    this.live.add(path);
    leftOnExit.add(this);
    try {
      await this.bookkeeping(['worktree', 'add', '--no-checkout', '--detach', '--force', path, repository.head]);
      const tree = openWorktree(path);
      this.trees.set(path, tree);
      // the checkout: git's hooks do not run (post-checkout ran with a plain `worktree add`)
      await gitIn(tree, ['reset', '--hard', '--quiet', repository.head]);
      mkdirSync(this.tmpFor(path), { recursive: true });
      return tree;
    } catch (error) {
      await this.discard({ path, gitDir: '', gitFile: '' });
      throw error;
    }
  }

  /** Brings a worktree back to the run's HEAD (resetWorktree) and empties its temp directory; false when that failed. */
  private async reset(tree: Worktree): Promise<boolean> {
    if (!(await resetWorktree(tree, (await this.info()).head))) return false;
    try {
      await rm(this.tmpFor(tree.path), { recursive: true, force: true });
      mkdirSync(this.tmpFor(tree.path));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes a worktree: its directories outside the lock, then git's record of it under the lock. */
  private async discard(tree: Worktree): Promise<void> {
    this.trees.delete(tree.path);
    this.leaves.delete(tree.path);
    this.baselines.delete(tree.path);
    await Promise.all([tree.path, this.tmpFor(tree.path)].map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
    this.live.delete(tree.path);
    await this.bookkeeping(['worktree', 'prune']).catch(() => undefined);
  }

  private tree(path: string): Worktree {
    const tree = this.trees.get(path);
    if (tree === undefined) throw new Error(`internal error: ${path} is not a worktree of this run`);
    return tree;
  }

  /** The workdir's place in its repository, the lock and HEAD, read once. */
  private info(): Promise<Repository> {
    this.repository ??= (async () => {
      const [prefix, common, head] = await Promise.all([
        git(this.repo, ['rev-parse', '--show-prefix']),
        git(this.repo, ['rev-parse', '--git-common-dir']),
        git(this.repo, ['rev-parse', '--verify', 'HEAD^{commit}']),
      ]);
      const repository = {
        prefix: prefix.trim(),
        lock: join(resolve(this.repo, common.trim()), 'orchestrator-worktrees.lock'),
        head: head.trim(),
      };
      this.prefix = repository.prefix;
      return repository;
    })();
    return this.repository;
  }

  /** Runs a git command on the main repository after those queued before it, holding the repository's lock. */
  private async bookkeeping(args: string[]): Promise<string> {
    const { lock } = await this.info();
    const next = this.queue.then(() => withLockFile(lock, () => git(this.repo, args)));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Worktrees not yet removed; a process that exits without awaiting removeAll still removes them. */
const leftOnExit = new Set<Worktrees>();
process.on('exit', () => {
  for (const worktrees of [...leftOnExit]) worktrees.removeAllNow();
});
