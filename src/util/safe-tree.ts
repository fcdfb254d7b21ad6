import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

/**
 * A path in the output tree that is not what orchestrator made there: a symbolic link, or a file
 * where a directory belongs. Steps run in the workdir, which usually holds the output tree, so a
 * step (a cmd, or codex told to by a prompt injection) can plant one; it is never followed.
 */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'UnsafePathError';
  }
}

const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function linkTarget(path: string): string {
  try {
    return JSON.stringify(readlinkSync(path));
  } catch {
    return 'somewhere';
  }
}

/**
 * Writes under one root directory (a run directory) without ever following a link planted below
 * it: every directory from the root down to the one written into is checked with lstat (created
 * when missing), and files are created with O_EXCL | O_NOFOLLOW, replacing only a plain file of
 * an earlier attempt. A symbolic link, a hard link or a file where a directory belongs is refused
 * with an UnsafePathError naming it, and nothing is written. The check and the write are separate
 * system calls: a step racing the engine between them is not covered, a link left in place is.
 */
export class SafeTree {
  constructor(readonly root: string) {}

  /** Makes sure `dir` and every directory between it and the root (the root included) are real directories. */
  dir(dir: string): void {
    const rel = relative(this.root, dir);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${dir} is outside ${this.root}`);
    let path = this.root;
    this.check(path, false);
    if (rel === '') return;
    for (const part of rel.split(sep)) {
      path = join(path, part);
      this.check(path, true);
    }
  }

  private check(path: string, create: boolean): void {
    let stats;
    try {
      stats = lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
      try {
        mkdirSync(path);
      } catch (made) {
        if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw made;
      }
      stats = lstatSync(path);
    }
    if (stats.isSymbolicLink()) {
      throw new UnsafePathError(
        path,
        `is a symbolic link (to ${linkTarget(path)}) where orchestrator keeps a directory: it is not followed`,
      );
    }
    if (!stats.isDirectory()) throw new UnsafePathError(path, 'is a file where orchestrator keeps a directory');
  }

  /**
   * Refuses what stands at `path` unless it is a plain file of ours (an earlier attempt's) or
   * absent: a symbolic link, a directory, or a hard link to a file elsewhere.
   */
  private refuseForeign(path: string): void {
    let stats;
    try {
      stats = lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (stats.isSymbolicLink()) {
      throw new UnsafePathError(path, `is a symbolic link (to ${linkTarget(path)}) where orchestrator writes a file: it is not followed`);
    }
    if (stats.isDirectory()) throw new UnsafePathError(path, 'is a directory where orchestrator writes a file');
    if (!stats.isFile()) throw new UnsafePathError(path, 'is not a regular file, where orchestrator writes one');
    if (stats.nlink > 1) throw new UnsafePathError(path, 'is a hard link to a file elsewhere, where orchestrator writes a file of its own');
  }

  /** Refuses a symbolic link or a file where a directory of the tree (that may be missing) belongs. */
  directoryOrNothing(path: string): void {
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats === undefined || (stats.isDirectory() && !stats.isSymbolicLink())) return;
    if (stats.isSymbolicLink()) {
      throw new UnsafePathError(
        path,
        `is a symbolic link (to ${linkTarget(path)}) where orchestrator keeps a directory: it is not followed`,
      );
    }
    throw new UnsafePathError(path, 'is a file where orchestrator keeps a directory');
  }

  /** Creates `path` afresh and opens it for writing; the caller closes the descriptor. */
  create(path: string): number {
    this.dir(dirname(path));
    try {
      return openSync(path, NEW_FILE, 0o666);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // a file of an earlier attempt is replaced; anything else that stands there is refused
    this.refuseForeign(path);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      return openSync(path, NEW_FILE, 0o666);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new UnsafePathError(path, 'was created again by someone else while orchestrator replaced it: it is not followed');
      }
      throw error;
    }
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

  /** Writes through a temporary file and a rename, so a reader never sees half a file; a link at `path` is replaced, not followed. */
  writeAtomic(path: string, data: string | Uint8Array): void {
    const temporary = `${path}.${process.pid}.tmp`;
    this.write(temporary, data);
    this.rename(temporary, path);
  }

  /** Moves a file written under the tree to `path`, where only a plain file of ours may stand; the file is removed on failure. */
  rename(temporary: string, path: string): void {
    try {
      this.dir(dirname(path));
      this.refuseForeign(path);
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
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

/**
 * Reads a file orchestrator wrote in the tree, refusing (throwing) when it, or the directory it is
 * in, is a symbolic link or not what orchestrator made: a step may have planted `output.txt ->
 * /proc/self/environ` for a resumed run to pass on.
 */
export function readTreeFile(path: string): Buffer {
  if (!lstatSync(dirname(path)).isDirectory()) throw new UnsafePathError(dirname(path), 'is not a directory of the tree');
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw new UnsafePathError(path, 'is not a regular file');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
