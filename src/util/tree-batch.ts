import { renameSync, rmSync } from 'node:fs';
import { UnsafePathError } from './dir-handles.js';
import { makeDir } from './tree-dirs.js';
import { refuseForeign, writeAfresh } from './tree-files.js';
import { temporaryPath } from './tree-paths.js';

/** An operation for the writer thread, three entries of a batch: `d` (a directory), `w` (a whole file) or `a` (a file through a temporary file and a rename), its path, and the file's data. */
export type WriteOp = string | Uint8Array | undefined;
/** A write that could not be made, and why. */
export interface Failure {
  readonly kind: string;
  readonly path: string;
  readonly message: string;
  readonly code: string | undefined;
  /** An UnsafePathError's path and problem (its message is made of them). */
  readonly unsafe?: { readonly path: string; readonly problem: string };
}

/**
 * The batches of a run tree's writes (tree-queue.ts), done in the order sent: on the writer thread
 * (tree-thread.ts), or on the run's own thread when that thread could not start. Each write is made
 * as the run's thread makes it (mkdir, where a link or a file standing is refused; files with
 * O_EXCL | O_NOFOLLOW, a plain file of an earlier attempt replaced). A directory that could not be
 * made fails every later write below it, with its own error: nothing is written through a link
 * planted there.
 */
export class TreeBatches {
  /** Directories that could not be made, with why: what is below them is not written. */
  private readonly broken = new Map<string, Error>();

  /** Makes a batch's writes; returns those that failed. */
  apply(ops: readonly WriteOp[]): Failure[] {
    const failed: Failure[] = [];
    for (let i = 0; i < ops.length; i += 3) {
      const kind = ops[i] as string;
      const path = ops[i + 1] as string;
      try {
        this.one(kind, path, ops[i + 2] as string | Uint8Array);
      } catch (error) {
        if (kind === 'd') this.broken.set(path, error as Error);
        const { message, code } = error as NodeJS.ErrnoException;
        const unsafe = error instanceof UnsafePathError ? { path: error.path, problem: error.problem } : undefined;
        failed.push({ kind, path, message: String(message), code, ...(unsafe === undefined ? {} : { unsafe }) });
      }
    }
    return failed;
  }

  private one(kind: string, path: string, data: string | Uint8Array): void {
    if (this.broken.size > 0) this.refuseBelowBroken(path);
    if (kind === 'd') {
      makeDir(path);
      this.broken.delete(path);
    } else if (kind === 'w') {
      writeAfresh(path, data);
    } else {
      writeAtomic(path, data);
    }
  }

  /** A path below a directory that could not be made fails with that directory's error. */
  private refuseBelowBroken(path: string): void {
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      const error = this.broken.get(path.slice(0, cut));
      if (error !== undefined) throw error;
    }
  }
}

/** Writes through a temporary file and a rename (SafeTree.writeAtomic): the temporary file is removed when either fails. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPath(path);
  try {
    writeAfresh(temporary, data);
    refuseForeign(path, path);
    renameSync(temporary, path);
  } catch (error) {
    // (a link planted at the temporary name is removed, not followed)
    rmSync(temporary, { force: true });
    throw error;
  }
}
