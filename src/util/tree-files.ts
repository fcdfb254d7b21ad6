import { constants, lstatSync, unlinkSync, writeFileSync } from 'node:fs';
import { errorCode, linkTarget, UnsafePathError } from './dir-handles.js';

/** How a SafeTree (safe-tree.ts) and its writer thread (tree-thread.ts) create a file: afresh, never through a link. */

/**
 * O_EXCL: a file is always created, never opened where something stands (a symbolic link, even a
 * dangling one, or a hard link to a file elsewhere): create() then looks at what is there. O_NOFOLLOW
 * adds nothing to O_EXCL (the kernel never follows a link with O_CREAT | O_EXCL): it says the intent,
 * and test/unit/safe-file.test.ts asserts the constant, since no planted file can tell it missing.
 */
export const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** writeFileSync's options for a whole file created afresh (NEW_FILE): open, write and close in one call into Node. */
// (Node takes numeric flags there as everywhere, though its types name strings only)
export const WRITE_NEW = { encoding: 'utf8', flag: NEW_FILE as unknown as string, mode: 0o666 } as const;

/**
 * Writes the whole file `at` (its directory checked; shown as `path`), created afresh (NEW_FILE): a
 * plain file of an earlier attempt is replaced, anything else refused. Open, write and close in one
 * call into Node (for a string, its own fast path).
 */
export function writeAfresh(at: string, data: string | Uint8Array, path = at): void {
  afresh(at, path, () => writeFileSync(at, data, typeof data === 'string' ? WRITE_NEW : { flag: WRITE_NEW.flag, mode: 0o666 }));
}

/**
 * Runs `create`, which makes the file `at` (shown as `path`) with O_EXCL: where something stands
 * already, a plain file of an earlier attempt is replaced, anything else is refused.
 */
export function afresh<T>(at: string, path: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
  }
  refuseForeign(at, path);
  try {
    unlinkSync(at);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  try {
    return create();
  } catch (error) {
    if (errorCode(error) === 'EEXIST') {
      throw new UnsafePathError(path, 'was created again by someone else while orchestrator replaced it: it is not followed');
    }
    throw error;
  }
}

/**
 * Refuses what stands at `at` (shown as `path`) unless it is a plain file of ours (an earlier
 * attempt's) or absent: a symbolic link, a directory, or a hard link to a file elsewhere.
 */
export function refuseForeign(at: string, path: string): void {
  const stats = lstatSync(at, { throwIfNoEntry: false });
  if (stats === undefined) return;
  if (stats.isSymbolicLink()) {
    throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(at)}) where orchestrator writes a file: it is not followed`);
  }
  if (stats.isDirectory()) throw new UnsafePathError(path, 'is a directory where orchestrator writes a file');
  if (!stats.isFile()) throw new UnsafePathError(path, 'is not a regular file, where orchestrator writes one');
  if (stats.nlink > 1) throw new UnsafePathError(path, 'is a hard link to a file elsewhere, where orchestrator writes a file of its own');
}
