import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode, UnsafePathError } from './dir-handles.js';
import { OpenDir } from './open-dir.js';

/**
 * Reading a tree a step or an artifact could have touched (a run directory, a shard's folder, the
 * response cache): the read side of the safe-file layer whose write side is SafeTree. A file is
 * read only when it is a regular file reached without following a link, and never more of it than
 * the caller can use.
 *
 * O_NOFOLLOW: a link planted at the file's name (`output.txt -> /proc/self/environ`) fails the open
 * with ELOOP instead of being followed. O_NONBLOCK: a FIFO planted there does not hang the open
 * waiting for a writer. The regular-file check is made on the opened file (fstat), so a file
 * swapped between a look-up and the open is judged as what was opened.
 */
/** Closes `fd`, which this process opened and still holds: a failing close loses nothing (what was written is written), so it is not reported. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // nothing to keep
  }
}

export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** How much of a file to read: at most `maxBytes`, from its start or (`tail`) its end. */
export interface ReadLimit {
  readonly maxBytes?: number;
  readonly tail?: boolean;
}

/**
 * Opens `path` for reading when it is a regular file that is not a link; the caller closes the
 * descriptor. A link or anything but a regular file throws an UnsafePathError; other errors (ENOENT)
 * are thrown as they are.
 */
export function openRegular(path: string): { fd: number; size: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    if (errorCode(error) === 'ELOOP') throw new UnsafePathError(path, 'is a symbolic link, which is not followed');
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnsafePathError(path, 'is not a regular file');
    return { fd, size: stats.size, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Reads a regular file that is not a link (openRegular), at most `limit.maxBytes` of it; `size` is the whole file's. */
export function readRegular(path: string, limit: ReadLimit = {}): { bytes: Buffer; size: number; stats: Stats } {
  const { fd, size, stats } = openRegular(path);
  try {
    const want = Math.min(size, limit.maxBytes ?? Infinity);
    // not zero-filled, and a small one is cut from Node's shared pool instead of being an
    // allocation of its own outside the heap (100,000 leaves read back were 100,000 of those):
    // only the bytes read are handed out (the subarray below)
    const bytes = Buffer.allocUnsafe(want);
    const start = limit.tail === true ? size - want : 0;
    let got = 0;
    while (got < want) {
      const n = readSync(fd, bytes, got, want - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: bytes.subarray(0, got), size, stats };
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a whole file orchestrator wrote in a tree, refusing (throwing an UnsafePathError) when it,
 * or the directory it is in, is a symbolic link or not what orchestrator made: a step may have
 * planted `output.txt -> /proc/self/environ` for a resumed run to pass on. A file larger than
 * `maxBytes` is refused too, before it is read.
 */
export function readTreeFile(path: string, { maxBytes }: { maxBytes?: number } = {}): Buffer {
  if (!lstatSync(dirname(path)).isDirectory()) throw new UnsafePathError(dirname(path), 'is not a directory of the tree');
  const { bytes, size } = readRegular(path, { maxBytes: maxBytes === undefined ? undefined : maxBytes + 1 });
  if (maxBytes !== undefined && size > maxBytes)
    throw new UnsafePathError(path, `holds ${size} bytes, more than the ${maxBytes} it may hold`);
  return bytes;
}

/**
 * Reads the file `rel` (a relative path, '/'-separated) under `root` as readRegular does, through
 * the directories from the root down to it held open (OpenDir: each opened by one name from its
 * parent's descriptor, never through a link), so a directory swapped for a link after it was looked
 * at is not gone through. Undefined when it is missing, outside the root, reached through a link or
 * not a regular file.
 */
export function readUnder(root: string, rel: string, limit: ReadLimit = {}): { bytes: Buffer; size: number } | undefined {
  const cut = rel.lastIndexOf('/');
  const name = rel.slice(cut + 1);
  if (name === '' || name === '.' || name === '..' || rel.includes('\\')) return undefined;
  let dir: OpenDir | undefined;
  try {
    dir = OpenDir.under(root, cut < 0 ? '' : rel.slice(0, cut));
    return dir === undefined ? undefined : readRegular(dir.entry(name), limit);
  } catch {
    return undefined;
  } finally {
    dir?.close();
  }
}
