import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conflictAccount, git, GitError } from './git.js';
import { TRAILER } from './message.js';

/** What became of one patch built into a git tree (the id `git write-tree` prints). */
export type Built = { readonly gitTree: string } | { readonly already: string } | { readonly conflict: string };

/** A name and an email for commits when git has none configured (the Action's runner has none). */
export interface Identity {
  readonly name: string;
  readonly email: string;
}

/**
 * Makes commits from patches with git's plumbing and a private index, never the checkout's: a
 * leaf's git tree is its base commit's with the patch merged in (`git apply --cached --3way`),
 * committed with `git commit-tree`. Moving a ref is the caller's choice: HEAD (`--commit`) or a
 * branch of its own (`--branch`).
 */
export class CommitWriter {
  private readonly dir: string;
  private readonly index: string;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly top: string,
    identity: NodeJS.ProcessEnv,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'orchestrator-commit-'));
    this.index = join(this.dir, 'index');
    this.env = { ...identity, GIT_INDEX_FILE: this.index };
  }

  /**
   * A writer for the repository at `top`. Without a name and email in git's configuration (or the
   * GIT_AUTHOR_/GIT_COMMITTER_ variables), `fallback` signs the commits; without one, a UsageError-worthy GitError.
   */
  static async open(top: string, fallback: Identity | undefined): Promise<CommitWriter> {
    let identity: NodeJS.ProcessEnv = {};
    try {
      await git(top, ['var', 'GIT_COMMITTER_IDENT']);
      await git(top, ['var', 'GIT_AUTHOR_IDENT']);
    } catch (error) {
      if (!(error instanceof GitError) || fallback === undefined) throw error;
      identity = {
        GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME || fallback.name,
        GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL || fallback.email,
        GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME || fallback.name,
        GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL || fallback.email,
      };
    }
    return new CommitWriter(top, identity);
  }

  private indexed(args: string[]): Promise<string> {
    return git(this.top, args, this.env);
  }

  /** The commit a revision names, or undefined when it names none. */
  async resolve(rev: string): Promise<string | undefined> {
    try {
      return (await git(this.top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim();
    } catch {
      return undefined;
    }
  }

  /** The `Orchestrator-Run:` trailers of `runId` in the history of `rev`: the leaves already committed. */
  async trailers(rev: string, runId: string): Promise<Set<string>> {
    const out = await git(this.top, ['log', '-F', `--grep=${TRAILER}: ${runId}/`, '--format=%B%x00', rev]);
    const found = new Set<string>();
    for (const line of out.split(/[\n\0]/)) if (line.startsWith(`${TRAILER}: ${runId}/`)) found.add(line.trim());
    return found;
  }

  /** The message of a commit. */
  async message(commit: string): Promise<string> {
    return git(this.top, ['log', '-1', '--format=%B', commit]);
  }

  /**
   * The git tree of `base` with the patch in it. A patch that applies as it is, is applied; one whose
   * reverse applies (its changes are in `base` already) is `already`; else a 3-way merge, which
   * may conflict. A git tree equal to the base's is `already` too: there is nothing to commit.
   */
  async build(base: string, patch: string): Promise<Built> {
    await this.indexed(['read-tree', base]);
    const applies = await this.indexed(['apply', '--cached', '--check', '--whitespace=nowarn', patch]).then(
      () => true,
      () => false,
    );
    if (!applies) {
      const reverse = await this.indexed(['apply', '--cached', '--check', '--reverse', '--whitespace=nowarn', patch]).then(
        () => true,
        () => false,
      );
      if (reverse) return { already: 'its changes are in the base already' };
    }
    try {
      await this.indexed(['apply', '--cached', '--3way', '--whitespace=nowarn', patch]);
    } catch (error) {
      return { conflict: conflictAccount(error) };
    }
    const gitTree = (await this.indexed(['write-tree'])).trim();
    const baseGitTree = (await git(this.top, ['rev-parse', `${base}^{tree}`])).trim();
    return gitTree === baseGitTree ? { already: 'its changes are in the base already' } : { gitTree };
  }

  /** A commit of `gitTree` on `parent` with `message`. */
  async commit(gitTree: string, parent: string, message: string): Promise<string> {
    const file = join(this.dir, 'message');
    writeFileSync(file, message);
    return (await git(this.top, ['commit-tree', gitTree, '-p', parent, '-F', file], this.env)).trim();
  }

  /** Paths of `commit` among `paths` (those the commit has; the others it deletes). */
  async present(commit: string, paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    const out = await git(this.top, ['ls-tree', '-r', '-z', '--name-only', commit, '--', ...paths]);
    return new Set(out.split('\0').filter(Boolean));
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
