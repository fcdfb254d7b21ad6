import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Runs git in `cwd`; throws a GitError holding git's own account. */
export async function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout } = await exec('git', args, {
      cwd,
      maxBuffer: 1024 * 1024 * 1024,
      // paths are paths, never patterns (a file may be called `*.md`)
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_LITERAL_PATHSPECS: '1', ...env },
    });
    return stdout;
  } catch (error) {
    const raw = (error as { stderr?: unknown }).stderr;
    const stderr = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : '';
    throw new GitError(`git ${args[0]}: ${stderr.trim() || (error as Error).message}`, stderr);
  }
}

/** What PatchApplier.apply says of a patch whose changes are there already. */
export const ALREADY = Symbol('already applied');

/** git's account of why `git apply --3way` failed: the files in conflict, or its errors. */
export function conflictAccount(error: unknown): string {
  const lines = ((error as GitError).stderr ?? '').split('\n');
  const unmerged = lines.filter((l) => l.startsWith('U ')).map((l) => l.slice(2));
  const errors = lines.filter((l) => l.startsWith('error: '));
  if (unmerged.length > 0) return `merge conflict in ${unmerged.join(', ')}`;
  return errors.join('; ') || (error as Error).message;
}

/** Paths a patch touches (both sides of a rename), as git itself reads the patch. */
export async function patchPaths(top: string, patch: string): Promise<string[]> {
  const out = await git(top, ['apply', '--numstat', '-z', patch]);
  const parts = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const record = parts[i]!;
    if (record === '') continue;
    const path = /^[^\t]*\t[^\t]*\t([\s\S]*)$/.exec(record)?.[1];
    if (path === undefined) continue;
    if (path === '') {
      // a rename or copy: "" then the old and the new path
      paths.push(parts[i + 1]!, parts[i + 2]!);
      i += 2;
    } else paths.push(path);
  }
  return paths;
}

/**
 * Applies patches to a checkout through a private index, so that a patch is applied whole or not
 * at all: each is merged (`git apply --cached --3way`) into an index holding HEAD plus the
 * working tree's state of the paths involved; only when that succeeds are its paths written to the
 * working tree. A conflict leaves the working tree and the repository's own index untouched.
 */
export class PatchApplier {
  private readonly dir: string;
  private readonly index: string;

  private constructor(readonly top: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'orchestrator-apply-'));
    this.index = join(this.dir, 'index');
  }

  /** An applier for the repository holding `checkout`; throws a GitError when it is not a git checkout with a commit. */
  static async open(checkout: string): Promise<PatchApplier> {
    const top = (await git(checkout, ['rev-parse', '--show-toplevel'])).trim();
    await git(top, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    const applier = new PatchApplier(top);
    await applier.indexed(['read-tree', 'HEAD']);
    return applier;
  }

  private indexed(args: string[]): Promise<string> {
    return git(this.top, args, { GIT_INDEX_FILE: this.index });
  }

  /**
   * Brings the working tree's state of `paths` (contents, or absence) into the private index. A
   * path that is a directory there is, to the index, no file (git refuses to add it as one): the
   * files in it that a patch touches are paths of their own.
   */
  async track(paths: readonly string[]): Promise<void> {
    const files = paths.filter((path) => !this.isDirectory(path));
    if (files.length > 0) await this.indexed(['update-index', '--add', '--remove', '--', ...files]);
  }

  private isDirectory(path: string): boolean {
    try {
      return lstatSync(join(this.top, path), { throwIfNoEntry: false })?.isDirectory() === true;
    } catch {
      return false; // below a file (ENOTDIR): not there
    }
  }

  /**
   * Applies one patch to the private index; with `write`, then to the working tree. Resolves to
   * undefined when it applied, ALREADY when it does not apply but its reverse does (its changes are
   * there already: applying a run twice adds nothing), or git's account of the conflict.
   */
  async apply(patch: string, paths: readonly string[], write: boolean): Promise<string | undefined | typeof ALREADY> {
    const backup = join(this.dir, 'index.before');
    copyFileSync(this.index, backup);
    const check = (reverse: boolean): Promise<boolean> =>
      this.indexed(['apply', '--cached', '--check', '--whitespace=nowarn', ...(reverse ? ['--reverse'] : []), patch]).then(
        () => true,
        () => false,
      );
    if (!(await check(false)) && (await check(true))) return ALREADY;
    try {
      await this.indexed(['apply', '--cached', '--3way', '--whitespace=nowarn', patch]);
    } catch (error) {
      copyFileSync(backup, this.index);
      return conflictAccount(error);
    }
    const present = new Set((await this.indexed(['ls-files', '--cached', '-z', '--', ...paths])).split('\0').filter(Boolean));
    const kept = paths.filter((p) => present.has(p));
    // git would replace the directory with the file, and every file in it, tracked or not, with it
    const replaced = kept.filter((p) => this.isDirectory(p));
    if (replaced.length > 0) {
      copyFileSync(backup, this.index);
      return `it turns the directory ${replaced.join(', ')} into a file, which would delete everything in it: apply it by hand`;
    }
    if (write) {
      if (kept.length > 0) await this.indexed(['checkout-index', '-f', '--', ...kept]);
      // a file the patch deleted, unless a directory of the patch's files now stands in its place
      for (const path of paths) if (!present.has(path) && !this.isDirectory(path)) rmSync(join(this.top, path), { force: true });
    }
    return undefined;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Keeps `dir` (the run tree the Action writes into the workspace) out of git: a line for it in the
 * repository's `info/exclude`, unless git ignores it already, so that `git add -A` (and so
 * peter-evans/create-pull-request) never commits it. Nothing when `dir` is in no repository.
 * Resolves to the exclude file written to, if any.
 */
export async function excludeFromGit(dir: string): Promise<string | undefined> {
  const parent = dirname(dir);
  let top: string;
  try {
    top = (await git(parent, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return undefined; // not in a git checkout (or no git)
  }
  const path = relative(top, dir).split(sep).join('/');
  if (path === '' || path.startsWith('..')) return undefined;
  const ignored = await git(top, ['check-ignore', '-q', '--no-index', `${path}/`]).then(
    () => true,
    () => false,
  );
  if (ignored) return undefined;
  const exclude = resolve(top, (await git(top, ['rev-parse', '--git-path', 'info/exclude'])).trim());
  mkdirSync(dirname(exclude), { recursive: true });
  const before = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  appendFileSync(exclude, `${before === '' || before.endsWith('\n') ? '' : '\n'}# orchestrator's run tree\n/${path}/\n`);
  return exclude;
}
