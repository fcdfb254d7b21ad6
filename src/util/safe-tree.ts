import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { DirHandles, errorCode, refuseNonDirectory, renamed, UnsafePathError } from './dir-handles.js';
import { openRegular } from './safe-read.js';
import { checkPath, MadeDirs } from './tree-dirs.js';
import { afresh, NEW_FILE, refuseForeign, writeAfresh } from './tree-files.js';
import { splitPath, temporaryPath } from './tree-paths.js';
import type { WriteQueue } from './tree-queue.js';

export { UnsafePathError } from './dir-handles.js';
export { makeDirectories } from './tree-dirs.js';
export { readTreeFile } from './safe-read.js';
export { temporaryOwner, temporaryPath } from './tree-paths.js';
export { NEW_FILE } from './tree-files.js';

const COPY_BUFFER = 1 << 16;
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
 * With `byPath` (a run none of whose steps starts a process, so nothing can race our writes; see
 * docs/security.md), each directory is made with mkdir or, when it stands there already, checked
 * once with lstat (MadeDirs), and files are created by path with O_EXCL | O_NOFOLLOW: a link planted
 * before is refused as in the other modes, at fewer system calls a file. By path, the writes can
 * also go to a thread of their own (`deferTo`, tree-queue.ts): see there.
 */
export class SafeTree {
  private readonly handles: DirHandles | undefined;
  private readonly made: MadeDirs | undefined;
  /** By path: where `dir`, `write` and `writeAtomic` go instead of being done here (deferTo). */
  private queue: WriteQueue | undefined;

  constructor(
    readonly root: string,
    options: { keepOpen?: boolean; byPath?: boolean } = {},
  ) {
    if (options.byPath === true) this.made = new MadeDirs(root);
    else if (options.keepOpen === true) this.handles = new DirHandles(root);
  }

  /** Whether files are written by path, their directories made or checked once (`byPath`). */
  get byPath(): boolean {
    return this.made !== undefined;
  }

  /**
   * By path (`byPath`), sends the directories and whole files written from now on to `queue`'s
   * thread, done there in the order written (their failures told by the queue, by path); every
   * other operation first waits for what was sent (drainSync). Undefined: done here again.
   */
  deferTo(queue: WriteQueue | undefined): void {
    if (this.made === undefined) throw new Error('only a tree written by path defers its writes');
    this.queue = queue;
  }

  /** Forgets that `dir` and the directories above and below it were made or checked: the next operation there checks them again. */
  forget(dir: string): void {
    const names = this.names(dir);
    this.handles?.forgetChain(this.handles.key(names));
    this.made?.forgetChain(this.made.key(names));
  }

  /** Makes sure `dir` and every directory between it and the root (the root included) are real directories. */
  dir(dir: string): void {
    if (this.queue !== undefined) this.reachLater(dir);
    else this.at(dir, () => undefined);
  }

  /**
   * Checks `dir` and the directories down to it again from the root's path, as `dir` does without
   * handles: whether the tree is still there, and ours, now.
   */
  verify(dir: string): void {
    this.forget(dir);
    this.at(dir, () => undefined);
  }

  /** Creates `path` afresh and opens it for writing (and reading, with `read`); the caller closes the descriptor. */
  create(path: string, { read = false }: { read?: boolean } = {}): number {
    const flags = read ? (NEW_FILE & ~constants.O_WRONLY) | constants.O_RDWR : NEW_FILE;
    return this.in(path, (at) => afresh(at, path, () => openSync(at, flags, 0o666)));
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
    if (this.queue !== undefined) {
      this.reachLater(splitPath(path).parent);
      this.queue.push('w', path, data);
      return;
    }
    this.in(path, (at) => writeAfresh(at, data, path));
  }

  /**
   * Writes through a temporary file (temporaryPath) and a rename, so a reader never sees half a
   * file; a link at `path` is refused, not followed. A temporary file whose write failed (a full
   * disk) is removed, not left behind.
   */
  writeAtomic(path: string, data: string | Uint8Array): void {
    if (this.queue !== undefined) {
      this.reachLater(splitPath(path).parent);
      this.queue.push('a', path, data);
      return;
    }
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
    this.made?.forgetBelow(path);
  }

  /** Removes a file of the tree (a link standing there is removed, not followed). */
  removeFile(path: string): void {
    this.in(path, (at) => rmSync(at, { force: true }));
  }

  /** Closes the directories kept open, or only `dir`'s (written into and done with); a later write opens them again. */
  close(dir?: string): void {
    if (dir === undefined) {
      this.handles?.close();
      this.made?.close();
    } else {
      this.handles?.release(dir);
      this.made?.release(dir);
    }
  }

  /** The names from the root down to `dir`; throws when `dir` is not under the root. */
  private names(dir: string): string[] {
    const prefix = this.handles?.prefix ?? this.made?.prefix;
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
    if (this.made !== undefined) return this.atByPath(dir, op);
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

  /** By path, with the writes deferred: `dir` and those above it to be made by the queue's thread, unless known. */
  private reachLater(dir: string): void {
    const queue = this.queue!;
    if (!this.made!.has(dir)) this.made!.reach(this.names(dir), (path) => queue.push('d', path));
  }

  /** `at` by path: `dir` and those above it made or checked once (MadeDirs); again when one of ours was removed since (ENOENT). */
  private atByPath<T>(dir: string, op: (dir: string) => T): T {
    // what the writer thread was sent is done first (a directory it could not make is forgotten then)
    this.queue?.drainSync();
    const made = this.made!;
    if (!made.has(dir)) {
      made.reach(this.names(dir));
      return op(dir);
    }
    try {
      return op(dir);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    const names = this.names(dir);
    made.forgetChain(made.key(names));
    made.reach(names);
    return op(dir);
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
