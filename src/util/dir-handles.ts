import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/**
 * A path in the output tree that is not what orchestrator made there: a symbolic link, or a file
 * where a directory belongs. Steps run in the workdir, which usually holds the output tree, so a
 * step (a cmd, or codex told to by a prompt injection) can plant one; it is never followed.
 */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong, completing a sentence that starts with the path: `is a symbolic link, ...`. */
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'UnsafePathError';
  }
}

/**
 * Runs `op` with stack traces off: a system call that fails where failing is expected (a directory
 * that exists already) then costs the call, not the call and a stack trace.
 */
export function quietly<T>(op: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return op();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** Where a link points, quoted, for an error message. */
export function linkTarget(path: string): string {
  try {
    return JSON.stringify(readlinkSync(path));
  } catch {
    return 'somewhere';
  }
}

/**
 * Refuses what stands at `at` (shown as `path`), where a directory of the tree belongs: true when
 * it is a real directory, false when nothing is there.
 */
export function refuseNonDirectory(at: string, path: string): boolean {
  const stats = lstatSync(at, { throwIfNoEntry: false });
  if (stats === undefined) return false;
  if (stats.isDirectory()) return true;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator keeps a directory: it is not followed`);
  }
  throw new UnsafePathError(path, 'is a file where orchestrator keeps a directory');
}

/** An error of a system call made in the directory reached as `at` (/proc/self/fd/N), told with its path `dir`. */
export function renamed(error: unknown, at: string, dir: string): unknown {
  // not `instanceof Error`: an error made in another realm (a vm context, as under jest) is one too
  if (at === dir || typeof (error as Error | undefined)?.message !== 'string') return error;
  const tell = (text: string): string => text.split(`${at}/`).join(`${dir}/`);
  const errno = error as NodeJS.ErrnoException & { dest?: string };
  errno.message = tell(errno.message);
  if (errno.path !== undefined) errno.path = tell(errno.path);
  if (errno.dest !== undefined) errno.dest = tell(errno.dest);
  return error;
}

/** A directory of a tree: opened only when it is one, and not through a link at its name. */
export const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/**
 * Open directories kept at most; past it the one used least recently is closed (and opened again
 * when needed). A run at --parallel N writes into about 2N at once (each flow's directory and its
 * step's).
 */
const KEPT = 128;

export const viaFd = (fd: number): string => `/proc/self/fd/${fd}`;

/** Whether a path through /proc/self/fd/N reaches the directory open as N (Linux with /proc mounted). */
export function procFdWorks(fd: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const opened = fstatSync(fd);
    const reached = statSync(`${viaFd(fd)}/.`);
    return opened.ino === reached.ino && opened.dev === reached.dev;
  } catch {
    return false;
  }
}

/**
 * The directories of one tree, kept open: each was opened from its parent's descriptor by one name
 * with O_NOFOLLOW | O_DIRECTORY (created first when missing), the root by its path, so none is a
 * link. `/proc/self/fd/N/name` then works as `openat(N, name)` (which Node lacks): it reaches the
 * directory that was checked, whatever a step plants at its path afterwards, at the cost of one
 * system call instead of an lstat per directory from the root down, per write. Where
 * /proc/self/fd does not work (not Linux) `usable` is false and nothing is kept.
 */
export class DirHandles {
  /**
   * Path -> descriptor, least recently used first: that one is closed first. A directory used is
   * moved to the end, so a flow's directory, used by each of its steps, stays open while the flow
   * runs (closed in the order opened, each was opened again every few steps: a mkdir and an open more).
   */
  private readonly open = new Map<string, number>();
  /** Decided when the root is first opened. */
  private works: boolean | undefined;
  /** The root as join() spells it, and a separator: every key below the root starts with it. */
  readonly prefix: string;

  constructor(readonly root: string) {
    this.prefix = join(root, '_').slice(0, -1);
  }

  /** Whether handles can be used here; opens the root to find out (throws when the root is missing or not a directory). */
  usable(): boolean {
    if (this.works === undefined) {
      const fd = this.openRoot();
      this.works = procFdWorks(fd);
      if (this.works) this.open.set(this.root, fd);
      else closeSync(fd);
    }
    return this.works;
  }

  /** The path through the handle of `dir`, when it was opened by that very name (no lookup, no system call), else undefined. */
  lookup(dir: string): string | undefined {
    const fd = this.open.get(dir);
    return fd === undefined ? undefined : viaFd(this.used(dir, fd));
  }

  /** Whether `dir` has a handle already: one opened earlier, whose directory may have been removed since. */
  has(dir: string): boolean {
    return this.open.has(dir);
  }

  /** The key of the directory `names` (relative to the root, one name per level) leads to. */
  key(names: readonly string[]): string {
    // names are single names (from path.relative: no empty ones, no `.` or `..`), so the key is
    // what join() would make of them, without its normalising scan
    return names.length === 0 ? this.root : this.prefix + names.join(sep);
  }

  /**
   * A path reaching the directory `names` leads to through a handle, opening (and creating) what
   * is missing from the deepest directory on the way that is open already.
   */
  reach(names: readonly string[]): string {
    // closed here, at the start of a lookup, so no path handed out earlier in the same call is reused
    while (this.open.size >= KEPT) this.drop(this.open.keys().next().value!);
    const dir = this.key(names);
    const kept = this.open.get(dir);
    if (kept !== undefined) return viaFd(this.used(dir, kept));
    // keys[j]: the directory the first j names lead to
    const keys = [this.root];
    for (let j = 0; j < names.length; j++) keys.push(j === 0 ? this.prefix + names[0]! : `${keys[j]!}${sep}${names[j]!}`);
    let i = names.length - 1;
    while (i > 0 && !this.open.has(keys[i]!)) i--;
    const from = keys[i]!;
    let fd = this.open.get(from);
    if (fd !== undefined) this.used(from, fd);
    if (fd === undefined) {
      i = 0;
      fd = this.openRoot();
      this.open.set(this.root, fd);
    }
    for (let j = i; j < names.length; j++) {
      const path = keys[j + 1]!;
      fd = this.openChild(fd, path, names[j]!);
      this.open.set(path, fd);
    }
    return viaFd(fd);
  }

  /** Closes the handles of `dir`, of the directories above it and of those below it: the next lookup starts from the root's path. */
  forgetChain(dir: string): void {
    for (const path of [...this.open.keys()]) {
      if (path === dir || dir.startsWith(path + '/') || path.startsWith(dir + '/')) this.drop(path);
    }
  }

  /**
   * Closes the handles of `dir` and the directories below it (removed). Skipped when `dir` has
   * none: a handle left below it fails with ENOENT when used, and is looked up again (SafeTree).
   */
  forgetBelow(dir: string): void {
    if (!this.open.has(dir)) return;
    for (const path of [...this.open.keys()]) if (path === dir || path.startsWith(dir + '/')) this.drop(path);
  }

  /**
   * Closes the handle of `dir` alone, if it has one: a directory written into for a while and then
   * done with (a step's, once its step ended). Least recently used or not, it would otherwise stay
   * open until KEPT newer ones pushed it out, and at --parallel 50 the finished step directories
   * pushed out the flows' own, which each next step then made (EEXIST) and opened again. Written
   * into later after all, it is reached again from its parent, checked as any directory is.
   */
  release(dir: string): void {
    if (this.open.has(dir)) this.drop(dir);
  }

  close(): void {
    for (const path of [...this.open.keys()]) this.drop(path);
  }

  /** Marks `dir` (open as `fd`) as the one used last; returns `fd`. */
  private used(dir: string, fd: number): number {
    this.open.delete(dir);
    this.open.set(dir, fd);
    return fd;
  }

  private drop(path: string): void {
    const fd = this.open.get(path);
    this.open.delete(path);
    if (fd !== undefined) closeSync(fd);
  }

  private openRoot(): number {
    try {
      return openSync(this.root, DIRECTORY);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') refuseNonDirectory(this.root, this.root);
      throw error;
    }
  }

  /** Opens (creating it when missing) the directory `name` in the one open as `parent`; shown as `path`. */
  private openChild(parent: number, path: string, name: string): number {
    const at = join(viaFd(parent), name);
    // made first, not looked up first: most directories are new (one system call, no lookup), and
    // mkdir does not follow a link standing at the name (EEXIST), which the open below refuses
    try {
      quietly(() => mkdirSync(at));
    } catch (error) {
      // ENOENT: the parent was removed since it was opened (the caller starts again from the root)
      if (errorCode(error) !== 'EEXIST') throw renamed(error, viaFd(parent), dirname(path));
    }
    // the open alone decides (no look-up before it, which a step could race): a link at the name
    // fails with ELOOP (O_NOFOLLOW), a file or a FIFO with ENOTDIR (O_DIRECTORY); what stood
    // there is then looked at only to say what it was
    try {
      return openSync(at, DIRECTORY);
    } catch (error) {
      refuseNonDirectory(at, path);
      throw renamed(error, viaFd(parent), dirname(path));
    }
  }
}
