import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/** What a file read as input (config, key list, listed file, prompt file) must be. */
export interface InputRules {
  /**
   * The real path (symlinks resolved) must be inside this directory. The Action sets it to the
   * workspace: a pull request can commit `notes.md -> /proc/self/environ` or a link out of the checkout.
   */
  readonly confineTo?: string;
  /**
   * A pipe given as `/dev/fd/N` (`--key doc:<(git diff --name-only)`) or `/dev/stdin` is read once.
   * Only for the config and key lists: they are read once per run, listed files once per flow.
   */
  readonly pipes?: boolean;
}

/** A file refused as input: `problem` completes a sentence that starts with the file's name. */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${JSON.stringify(path)} ${problem}`, options);
    this.name = 'InputFileError';
  }
}

/** The most a pipe may give: `<(yes)` must end with a message, not with the memory. */
const MAX_PIPE_BYTES = 256 * 1024 * 1024;
const PIPE_PATH = /^\/(dev\/fd\/\d+|proc\/self\/fd\/\d+|dev\/stdin)$/;
/** The kernel's pseudo-files (environ, pagemap, ...) say they are regular files; they are not input. */
const KERNEL_FS = /^\/(proc|sys)(\/|$)/;

function kind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a directory, not a file';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a regular file: reading it would wait for a writer';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device (like /dev/zero), not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

function errnoProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable (permission denied)';
  if (code === 'ELOOP') return 'is a symbolic link that loops';
  if (code === 'ENOTDIR') return 'does not exist (a part of its path is a file, not a directory)';
  if (code === 'ENAMETOOLONG') return 'has a name too long for the file system';
  return `cannot be read (${code ?? String(error)})`;
}

const realRoots = new Map<string, string>();

/** Why a file whose real path is `real` is out of bounds, or undefined. */
function placeProblem(real: string, rules: InputRules): string | undefined {
  if (KERNEL_FS.test(real)) return `is (or links to) ${real}, a file of the kernel's ${real.split('/')[1]} file system, not a regular file`;
  if (rules.confineTo === undefined) return undefined;
  let root = realRoots.get(rules.confineTo);
  if (root === undefined) {
    root = realpathSync.native(rules.confineTo);
    realRoots.set(rules.confineTo, root);
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return `is (or links to) ${real}, outside the workspace ${root}: only files of the workspace are read`;
  }
  return undefined;
}

function isPipePath(path: string, stats: Stats, rules: InputRules): boolean {
  return rules.pipes === true && PIPE_PATH.test(path) && (stats.isFIFO() || stats.isSocket());
}

/**
 * Why `path` cannot be read as input, or undefined when it can: a regular file (a symlink to one is
 * fine unless it leads out of `confineTo`), not a file of /proc or /sys. Checks without opening.
 */
export function inputFileProblem(path: string, rules: InputRules = {}): string | undefined {
  try {
    const stats = statSync(path);
    if (isPipePath(path, stats, rules)) return undefined;
    const problem = kind(stats) ?? placeProblem(realpathSync.native(path), rules);
    if (problem === undefined) accessSync(path, constants.R_OK);
    return problem;
  } catch (error) {
    return errnoProblem(error);
  }
}

function readPipe(fd: number, path: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 16);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > MAX_PIPE_BYTES) throw new InputFileError(path, `gave more than ${MAX_PIPE_BYTES / 1024 / 1024} MiB; write it to a file`);
    chunks.push(chunk.subarray(0, n));
  }
}

/**
 * O_NONBLOCK: opening a FIFO must not wait for a writer before its type can be refused. O_NOCTTY: a
 * terminal named as an input file does not become the process's controlling terminal (only a
 * session leader without one could get one: asserted as a constant, no test here can tell).
 */
export const INPUT_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Reads an input file under `rules`; throws an InputFileError saying why it may not be read. The
 * checks are made on the opened file (its type, and on Linux the path the kernel opened), so a file
 * swapped for a link between a check and the read is still refused.
 */
export function readInputFile(path: string, rules: InputRules = {}): Buffer {
  let fd: number;
  try {
    fd = openSync(path, INPUT_FLAGS);
  } catch (error) {
    throw new InputFileError(path, errnoProblem(error), { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (isPipePath(path, stats, rules)) {
      // opened again without O_NONBLOCK, so that reading waits for the writer
      closeSync(fd);
      fd = -1;
      fd = openSync(path, constants.O_RDONLY);
      return readPipe(fd, path);
    }
    const problem = kind(stats) ?? placeProblem(openedPath(fd, path), rules);
    if (problem !== undefined) throw new InputFileError(path, problem);
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, errnoProblem(error), { cause: error });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** The real path of an open file: what the kernel opened, where /proc says so. */
function openedPath(fd: number, path: string): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return realpathSync.native(path);
  }
}

/**
 * The one message for an input file that cannot be read: `<what> "<path>" <problem>`, e.g.
 * `key file "docs.txt" does not exist` or `line 3: "a.md" is a directory`.
 */
export const inputFileMessage = (what: string, path: string, problem: string): string => `${what} ${JSON.stringify(path)} ${problem}`;

/** An input file's bytes, or why it cannot be read (see InputFileError.problem); other errors are thrown. */
export function tryReadInputFile(path: string, rules: InputRules = {}): { bytes: Buffer } | { problem: string } {
  try {
    return { bytes: readInputFile(path, rules) };
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    return { problem: error.problem };
  }
}
