import { closeSync, constants, lstatSync, openSync, readdirSync, unlinkSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { DIRECTORY, errorCode, procFdWorks, viaFd } from './dir-handles.js';

/**
 * A directory of a tree a step or an artifact could have touched, held open while it is walked
 * (the part of the safe-file layer that lists and removes): each directory below the root is
 * opened by one name from its parent's descriptor with O_DIRECTORY | O_NOFOLLOW, and its entries
 * are listed, read (`entry()` with readRegular or SafeTree.copyFile) and removed through its
 * descriptor (/proc/self/fd/N/name, as openat). A directory swapped for a link after it was looked
 * at is never gone through: what is removed or read is in a directory that was never a link.
 * Where /proc/self/fd does not work (not Linux), each directory is checked with lstat when it is
 * opened and used by its path, which a step racing the walk could swap.
 */
export class OpenDir {
  private constructor(
    /** The directory's path, for messages. */
    readonly path: string,
    /** The path its entries are reached by: /proc/self/fd/N, or `path` itself without descriptors. */
    private readonly at: string,
    private readonly fd: number | undefined,
  ) {}

  /**
   * The directory `rel` (relative, '/'-separated, '' for the root) under `root`: the root as the
   * caller named it (it may be reached through a link), every directory below it never through
   * one. Undefined when one on the way is missing, a link or not a directory.
   */
  static under(root: string, rel = ''): OpenDir | undefined {
    const names = rel === '' ? [] : rel.split('/');
    if (names.some((name) => name === '' || name === '.' || name === '..')) return undefined;
    let dir = OpenDir.open(root, root, ROOT);
    for (const name of names) {
      if (dir === undefined) return undefined;
      const child = dir.dir(name);
      dir.close();
      dir = child;
    }
    return dir;
  }

  /** The directory `name` in this one; undefined when it is missing, a link or not a directory. */
  dir(name: string): OpenDir | undefined {
    if (name.includes('/') || name === '.' || name === '..') return undefined;
    return OpenDir.open(this.entry(name), join(this.path, name), DIRECTORY);
  }

  /** The entries of the directory as they are now (a link is an entry of its own, not followed). */
  entries(): Dirent[] {
    return readdirSync(this.at, { withFileTypes: true });
  }

  /**
   * The names of the entries as they are now, only: cheaper than `entries` for a directory of
   * 100,000 flows where only a few names matter (their kind: `isFile`).
   */
  names(): string[] {
    return readdirSync(this.at);
  }

  /** Whether the entry `name` is a regular file now (a link is not, whatever it points to). */
  isFile(name: string): boolean {
    return lstatSync(this.entry(name), { throwIfNoEntry: false })?.isFile() === true;
  }

  /**
   * The path reaching the entry `name` of this directory (through its descriptor): open it with
   * O_NOFOLLOW (readRegular, openRegular, SafeTree.copyFile), since the entry itself may be a link.
   */
  entry(name: string): string {
    return join(this.at, name);
  }

  /** Removes the entry `name` when it is not a directory (a link is removed, not followed); nothing there is fine. */
  remove(name: string): void {
    try {
      unlinkSync(this.entry(name));
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }

  private static open(at: string, path: string, flags: number): OpenDir | undefined {
    let fd: number;
    try {
      fd = openSync(at, flags);
    } catch (error) {
      // ELOOP: a link; ENOTDIR: a file, or something on the way is one; ENOENT: missing
      if (['ELOOP', 'ENOTDIR', 'ENOENT'].includes(errorCode(error) ?? '')) return undefined;
      throw error;
    }
    descriptorsWork ??= procFdWorks(fd);
    if (descriptorsWork) return new OpenDir(path, viaFd(fd), fd);
    // without descriptors to go through: the path, found a directory (not a link) by the open just made
    closeSync(fd);
    return new OpenDir(path, at, undefined);
  }
}

/** The root's flags: the directory the caller named may be reached through a link. */
const ROOT = DIRECTORY & ~constants.O_NOFOLLOW;
/** Whether /proc/self/fd/N reaches an open directory here: decided once, at the first directory opened. */
let descriptorsWork: boolean | undefined;
