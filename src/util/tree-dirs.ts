import { lstatSync, mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { errorCode, linkTarget, quietly, refuseNonDirectory, UnsafePathError } from './dir-handles.js';

/** How a SafeTree (safe-tree.ts) makes sure the directories it writes into are real ones, not planted links. */

/** Directories remembered at most (MadeDirs), names without descriptors; past it the first remembered is forgotten, and checked again when needed. */
const KEPT = 1024;

/**
 * The directories of a tree nothing else writes into while we do (safe-tree.ts, `byPath`), made
 * by us or checked once, then written into by path. A directory is made with mkdir, which never
 * follows a link standing at its name (EEXIST); one that stood there already (an earlier attempt's,
 * or something planted before the run) is looked at once with lstat: a symbolic link or a file is
 * refused, as at every write. Afterwards nothing can swap it for a link between that check and our
 * writes: the tree's owner says no process but ours runs meanwhile.
 */
export class MadeDirs {
  /** Directories made or checked, least recently used first. */
  private readonly known = new Map<string, true>();
  /** The root as join() spells it, and a separator: every directory below the root starts with it. */
  readonly prefix: string;

  constructor(readonly root: string) {
    this.prefix = join(root, '_').slice(0, -1);
  }

  /**
   * Whether `dir` was made or checked already. Not moved to the end when used: the first remembered
   * are forgotten first, and a flow's directory, made when it starts, is done with before KEPT newer
   * ones follow it unless hundreds of flows run at once (one forgotten early is checked again: an lstat).
   */
  has(dir: string): boolean {
    return this.known.has(dir);
  }

  /** The key of the directory `names` (relative to the root, one name per level) leads to: the path join() would make. */
  key(names: readonly string[]): string {
    return names.length === 0 ? this.root : this.prefix + names.join(sep);
  }

  /**
   * Makes or checks the directories `names` (relative to the root, one name per level) lead to, from
   * the deepest one known; `make` makes one (or has the writer thread make it: tree-queue.ts).
   */
  reach(names: readonly string[], make: (path: string) => void = makeDir): void {
    while (this.known.size >= KEPT) this.known.delete(this.known.keys().next().value!);
    const keys = [this.root];
    for (let j = 0; j < names.length; j++) keys.push(j === 0 ? this.prefix + names[0]! : `${keys[j]!}${sep}${names[j]!}`);
    let i = names.length;
    while (i >= 0 && !this.known.has(keys[i]!)) i--;
    if (i < 0) {
      checkDir(this.root, false);
      this.known.set(this.root, true);
      i = 0;
    }
    for (let j = i + 1; j < keys.length; j++) {
      make(keys[j]!);
      this.known.set(keys[j]!, true);
    }
  }

  /** Forgets `dir`, the directories above it and those below it: the next write checks them again. */
  forgetChain(dir: string): void {
    for (const path of [...this.known.keys()]) {
      if (path === dir || dir.startsWith(path + sep) || path.startsWith(dir + sep)) this.known.delete(path);
    }
  }

  /** Forgets `dir` and the directories below it (removed). */
  forgetBelow(dir: string): void {
    for (const path of [...this.known.keys()]) if (path === dir || path.startsWith(dir + sep)) this.known.delete(path);
  }

  /** Forgets `dir` alone (written into and done with). */
  release(dir: string): void {
    this.known.delete(dir);
  }

  close(): void {
    this.known.clear();
  }
}

/** Makes the directory `path`; one that stands there already must be a real directory (lstat), not a link or a file. */
export function makeDir(path: string): void {
  try {
    // stack traces off: an expected EEXIST then costs the call alone
    quietly(() => mkdirSync(path));
    return;
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
  if (!refuseNonDirectory(path, path)) throw new UnsafePathError(path, 'was removed while orchestrator made it');
}

/** Checks with lstat that the root and each directory `names` lead to below it are real directories, creating missing ones. */
export function checkPath(root: string, names: readonly string[]): void {
  let path = root;
  checkDir(path, false);
  for (const name of names) {
    path = join(path, name);
    checkDir(path, true);
  }
}

function checkDir(path: string, create: boolean): void {
  // a missing directory is looked up without an exception (each costs a stack trace): most are new
  let stats = lstatSync(path, { throwIfNoEntry: !create });
  if (stats === undefined) {
    try {
      mkdirSync(path);
    } catch (made) {
      if (errorCode(made) !== 'EEXIST') throw made;
    }
    stats = lstatSync(path);
  }
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(path)}) where orchestrator keeps a directory: it is not followed`);
  }
  if (!stats.isDirectory()) throw new UnsafePathError(path, 'is a file where orchestrator keeps a directory');
}

/**
 * `mkdir -p` that gives up with the first error instead of retrying: Node's recursive mkdir spins
 * forever on a path under /proc, whose parent exists but refuses new entries with ENOENT. A
 * directory that appears meanwhile (a concurrent run) is not an error.
 */
export function makeDirectories(path: string): void {
  const missing: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      lstatSync(dir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(dir);
      if (dirname(dir) === dir) break;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // another run creating the same parents at the same moment: what it made is checked later
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
