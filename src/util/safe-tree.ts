import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DirHandles, errorCode, linkTarget, refuseNonDirectory, renamed, UnsafePathError } from './dir-handles.js';
import { openRegular } from './safe-read.js';
import { splitPath, temporaryPath } from './tree-paths.js';

export { UnsafePathError } from './dir-handles.js';
export { readTreeFile } from './safe-read.js';
export { temporaryOwner, temporaryPath } from './tree-paths.js';

const COPY_BUFFER = 1 << 16;
/**
 * O_EXCL: a file is always created, never opened where something stands (a symbolic link, even a
 * dangling one, or a hard link to a file elsewhere): create() then looks at what is there. O_NOFOLLOW
 * adds nothing to O_EXCL (the kernel never follows a link with O_CREAT | O_EXCL): it says the intent,
 * and test/unit/safe-file.test.ts asserts the constant, since no planted file can tell it missing.
 */
export const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** A file appended to: never through a link (O_NOFOLLOW), and a FIFO planted there fails instead of blocking (O_NONBLOCK). */
export const APPEND_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Writes under one root directory (a run directory) without ever following a link planted below
 * it: every directory from the root down to the one written into is a real directory (created
 * when missing), and files are created with O_EXCL | O_NOFOLLOW, replacing only a plain file of
 * an earlier attempt. A symbolic link, a hard link or a file where a directory belongs is refused
 * with an UnsafePathError naming it, and nothing is written.
 *
 * How the directories are checked: by default with lstat, from the root down, at every write (the
 * check and the write are separate system calls: a step racing the engine between them is not
 * covered, a link left in place is). With `keepOpen` (the run's own tree), on Linux, each
 * directory is opened once, from its parent's descriptor with O_NOFOLLOW (DirHandles), and written
 * into through that descriptor: a link planted at its path later is never reached, and there is
 * no race. A directory removed meanwhile (a step's `rm -rf`) is looked up again from the root's
 * path, where a link planted in its place is refused. A directory moved away keeps receiving the
 * writes meant for it: they never leave what orchestrator created. `close()` releases the handles.
 */
export class SafeTree {
  private readonly handles: DirHandles | undefined;

  constructor(
    readonly root: string,
    options: { keepOpen?: boolean } = {},
  ) {
    if (options.keepOpen === true) this.handles = new DirHandles(root);
  }

  /** Makes sure `dir` and every directory between it and the root (the root included) are real directories. */
  dir(dir: string): void {
    this.at(dir, () => undefined);
  }

  /**
   * Checks `dir` and the directories down to it again from the root's path, as `dir` does without
   * handles: whether the tree is still there, and ours, now.
   */
  verify(dir: string): void {
    this.handles?.forgetChain(this.handles.key(this.names(dir)));
    this.dir(dir);
  }

  /** Creates `path` afresh and opens it for writing (and reading, with `read`); the caller closes the descriptor. */
  create(path: string, { read = false }: { read?: boolean } = {}): number {
    const flags = read ? (NEW_FILE & ~constants.O_WRONLY) | constants.O_RDWR : NEW_FILE;
    return this.in(path, (at) => {
      try {
        return openSync(at, flags, 0o666);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      }
      // a file of an earlier attempt is replaced; anything else that stands there is refused
      refuseForeign(at, path);
      try {
        unlinkSync(at);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      try {
        return openSync(at, flags, 0o666);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') {
          throw new UnsafePathError(path, 'was created again by someone else while orchestrator replaced it: it is not followed');
        }
        throw error;
      }
    });
  }

  /** Opens `path` to append (created when missing; the caller closes it): a link, FIFO or hard link there is refused, as by create(). */
  append(path: string): number {
    return this.in(path, (at) => {
      let fd: number | undefined;
      try {
        fd = openSync(at, APPEND_FILE, 0o666);
        const stats = fstatSync(fd);
        if (stats.isFile() && stats.nlink === 1) return fd;
      } catch (error) {
        if (!['ELOOP', 'ENXIO', 'EISDIR'].includes(errorCode(error) ?? '')) throw error;
      }
      if (fd !== undefined) closeSync(fd);
      refuseForeign(at, path);
      throw new UnsafePathError(path, 'changed while orchestrator opened it: it is not written');
    });
  }

  /** Writes a whole file, created afresh. */
  write(path: string, data: string | Uint8Array): void {
    const fd = this.create(path);
    try {
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Writes through a temporary file (temporaryPath) and a rename, so a reader never sees half a
   * file; a link at `path` is refused, not followed. A temporary file whose write failed (a full
   * disk) is removed, not left behind.
   */
  writeAtomic(path: string, data: string | Uint8Array): void {
    const temporary = temporaryPath(path);
    try {
      this.write(temporary, data);
    } catch (error) {
      try {
        this.removeFile(temporary);
      } catch {
        // the directory itself is the problem (gone, or a link now): the write's own error tells
      }
      throw error;
    }
    this.rename(temporary, path);
  }

  /** Moves a file written under the tree to `path` in the same directory, where only a plain file of ours may stand; the file is removed on failure. */
  rename(temporary: string, path: string): void {
    if (dirname(temporary) !== dirname(path)) throw new Error(`${temporary} and ${path} are not in one directory`);
    const source = basename(temporary);
    try {
      this.in(path, (at) => {
        refuseForeign(at, path);
        renameSync(at === path ? temporary : join(dirname(at), source), at);
      });
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Copies the file `source` (outside the tree, e.g. a shard's folder) to `path`, created afresh:
   * only a regular file that is not a link is copied (openRegular). False, and nothing written,
   * when `source` is anything else or cannot be opened.
   */
  copyFile(source: string, path: string): boolean {
    let input: number;
    try {
      input = openRegular(source).fd;
    } catch {
      return false;
    }
    try {
      const output = this.create(path);
      try {
        const buffer = Buffer.allocUnsafe(COPY_BUFFER);
        for (let n; (n = readSync(input, buffer, 0, COPY_BUFFER, null)) > 0;) writeSync(output, buffer, 0, n);
      } finally {
        closeSync(output);
      }
    } finally {
      closeSync(input);
    }
    return true;
  }

  /**
   * Removes the directory at `path` with all it holds, so it can be made afresh; nothing there is
   * fine. A symbolic link or a file where it belongs is refused, not followed.
   */
  removeDir(path: string): void {
    this.in(path, (at) => {
      if (refuseNonDirectory(at, path)) rmSync(at, { recursive: true, force: true });
    });
    this.handles?.forgetBelow(path);
  }

  /** Removes a file of the tree (a link standing there is removed, not followed). */
  removeFile(path: string): void {
    this.in(path, (at) => rmSync(at, { force: true }));
  }

  /** Closes the directories kept open, or only `dir`'s (written into and done with); a later write opens them again. */
  close(dir?: string): void {
    if (dir === undefined) this.handles?.close();
    else this.handles?.release(dir);
  }

  /** The names from the root down to `dir`; throws when `dir` is not under the root. */
  private names(dir: string): string[] {
    const prefix = this.handles?.prefix;
    // a path join() made below the root (no `.` or `..` names, no doubled or trailing separator):
    // its names without path.relative's two resolves
    if (prefix !== undefined && sep === '/' && dir.length > prefix.length && dir.startsWith(prefix)) {
      const rest = dir.slice(prefix.length);
      if (!/^[./]|\/\.|\/\/|\/$/.test(rest)) return rest.split('/');
    }
    const rel = relative(this.root, dir);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is outside ${this.root}`);
    return rel === '' ? [] : rel.split(sep);
  }

  /** Runs `op` on the entry `path` (its name in a checked directory, reached without following a link), errors told with `path`. */
  private in<T>(path: string, op: (at: string) => T): T {
    const { parent, name } = splitPath(path);
    return this.at(parent, (dir) => {
      try {
        return op(dir === parent ? path : `${dir}/${name}`);
      } catch (error) {
        throw renamed(error, dir, parent);
      }
    });
  }

  /**
   * Runs `op` with a path to `dir` that is checked: a handle's (a directory removed since it was
   * opened fails with ENOENT, and is looked up once more from the root), or `dir` itself once the
   * directories from the root down to it are checked with lstat.
   */
  private at<T>(dir: string, op: (dir: string) => T): T {
    const handles = this.handles;
    // the common case, first: a directory opened by an earlier write, named the same way
    const open = handles?.lookup(dir);
    if (open !== undefined) return this.retried(dir, op, open);
    const names = this.names(dir);
    if (handles === undefined || !handles.usable()) {
      checkPath(this.root, names);
      return op(dir);
    }
    const key = handles.key(names);
    if (handles.has(key)) return this.retried(dir, op, handles.reach(names));
    let reached: string;
    try {
      reached = handles.reach(names);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      // a directory above it, open since an earlier write, was removed: look it up from the root's path
      handles.forgetChain(key);
      return op(handles.reach(names));
    }
    return op(reached);
  }

  /** Runs `op` through the handle of a directory opened earlier; when that directory was removed since, once more from the root's path. */
  private retried<T>(dir: string, op: (dir: string) => T, open: string): T {
    try {
      return op(open);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    const names = this.names(dir);
    this.handles!.forgetChain(this.handles!.key(names));
    return op(this.handles!.reach(names));
  }
}

/** Checks with lstat that the root and each directory `names` lead to below it are real directories, creating missing ones. */
function checkPath(root: string, names: readonly string[]): void {
  let path = root;
  check(path, false);
  for (const name of names) {
    path = join(path, name);
    check(path, true);
  }
}

function check(path: string, create: boolean): void {
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
 * Refuses what stands at `at` (shown as `path`) unless it is a plain file of ours (an earlier
 * attempt's) or absent: a symbolic link, a directory, or a hard link to a file elsewhere.
 */
function refuseForeign(at: string, path: string): void {
  const stats = lstatSync(at, { throwIfNoEntry: false });
  if (stats === undefined) return;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator writes a file: it is not followed`);
  }
  if (stats.isDirectory()) throw new UnsafePathError(path, 'is a directory where orchestrator writes a file');
  if (!stats.isFile()) throw new UnsafePathError(path, 'is not a regular file, where orchestrator writes one');
  if (stats.nlink > 1) throw new UnsafePathError(path, 'is a hard link to a file elsewhere, where orchestrator writes a file of its own');
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
