import { renameSync, rmSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { UnsafePathError } from './dir-handles.js';
import { makeDir } from './tree-dirs.js';
import { refuseForeign, writeAfresh } from './tree-files.js';
import { temporaryPath } from './tree-paths.js';
import { DONE, GONE, type Failure, type WriteOp } from './tree-queue.js';

/**
 * The thread that writes a run's tree for it (tree-queue.ts), in a run that writes by path
 * (safe-tree.ts `byPath`): batches of directories to make and whole files to create afresh, each
 * done as the run's own thread would (mkdir, where a link or a file standing is refused; files
 * with O_EXCL | O_NOFOLLOW, a plain file of an earlier attempt replaced), in the order sent. A
 * directory that could not be made fails every later write below it, with its own error: nothing
 * is written through a link planted there. What failed goes back on the port, with the batch's
 * number; the batch's number is then stored in `done` and the run's thread woken.
 */
const { done, port } = workerData as { done: SharedArrayBuffer; port: MessagePort };
const counter = new Int32Array(done);
/** Directories that could not be made, with why: what is below them is not written. */
const broken = new Map<string, Error>();

// exiting (process.exit, an uncaught error): marked for the run's thread, which may be blocked in
// drainSync's Atomics.wait and so not hear of the worker's exit event until it stops waiting
process.on('exit', (code) => {
  Atomics.store(counter, GONE, code + 1);
  Atomics.notify(counter, DONE);
});

parentPort!.on('message', ({ seq, ops }: { seq: number; ops: WriteOp[] }) => {
  const failed: Failure[] = [];
  for (let i = 0; i < ops.length; i += 3) {
    const path = ops[i + 1] as string;
    try {
      apply(ops[i] as string, path, ops[i + 2] as string | Uint8Array);
    } catch (error) {
      const kind = ops[i] as string;
      if (kind === 'd') broken.set(path, error as Error);
      const { message, code } = error as NodeJS.ErrnoException;
      const unsafe = error instanceof UnsafePathError ? { path: error.path, problem: error.problem } : undefined;
      failed.push({ kind, path, message: String(message), code, ...(unsafe === undefined ? {} : { unsafe }) });
    }
  }
  port.postMessage({ seq, failed });
  Atomics.store(counter, DONE, seq);
  Atomics.notify(counter, DONE);
});

function apply(kind: string, path: string, data: string | Uint8Array): void {
  if (broken.size > 0) refuseBelowBroken(path);
  if (kind === 'd') {
    makeDir(path);
    broken.delete(path);
  } else if (kind === 'w') {
    writeAfresh(path, data);
  } else {
    writeAtomic(path, data);
  }
}

/** A path below a directory that could not be made fails with that directory's error. */
function refuseBelowBroken(path: string): void {
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const error = broken.get(path.slice(0, cut));
    if (error !== undefined) throw error;
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
