/**
 * `apply --commit` and `apply --branch`: each selected leaf becomes one commit, made from its patch
 * with git's plumbing (apply/commits.ts). `--commit` stacks them on HEAD, in leaf order, and brings
 * the working tree and the index of the paths it committed up to date; `--branch PREFIX` puts each
 * on a branch of its own from HEAD and touches neither HEAD nor the checkout.
 */
import { lstatSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { CommitWriter, type Identity } from './commits.js';
import { git, GitError } from './git.js';
import { commitMessage, trailer } from './message.js';

/** One leaf to commit: its patch (an absolute path) and the paths it touches. */
export interface ShipLeaf {
  readonly label: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly output: string | null;
  readonly patch: string;
  readonly paths: readonly string[];
}

export type ShipResult =
  | { readonly outcome: 'applied'; readonly commit: string; readonly branch?: string }
  | { readonly outcome: 'already applied'; readonly detail: string; readonly branch?: string }
  | { readonly outcome: 'conflict'; readonly detail: string };

export interface ShipOptions {
  readonly top: string;
  readonly runId: string;
  /** The config's `commit_message`, or undefined for the default. */
  readonly template: string | undefined;
  /** A key's listed file's contents, for `{{{KEY}}}` in the template. */
  readonly contents: (leaf: ShipLeaf, name: string) => string;
  readonly identity: Identity | undefined;
}

/** `PREFIX` + the leaf as a ref name: `codex/flow_0003`, `codex/flow_0003-2.1` for a branch of it. */
export const branchName = (prefix: string, label: string): string => prefix + label.replace(/ \[(.*)\]$/, '-$1');

async function writer(options: ShipOptions): Promise<CommitWriter> {
  try {
    return await CommitWriter.open(options.top, options.identity);
  } catch (error) {
    if (error instanceof GitError)
      throw new UsageError(
        `${options.top}: git has no name and email to sign the commits with (${error.message}): set them with git config user.name and git config user.email, or GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL/GIT_COMMITTER_NAME/GIT_COMMITTER_EMAIL`,
      );
    throw error;
  }
}

const message = (leaf: ShipLeaf, options: ShipOptions): string =>
  commitMessage(options.template, { label: leaf.label, runId: options.runId, keys: leaf.keys, output: leaf.output }, (name) =>
    options.contents(leaf, name),
  );

function isDirectory(top: string, path: string): boolean {
  try {
    return lstatSync(join(top, path), { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/**
 * Refuses (a UsageError) when any path a leaf would commit has changes of the user's: modified,
 * staged, untracked or ignored. Committing over them would take them into our commit or lose them.
 */
async function refuseDirty(top: string, leaves: readonly ShipLeaf[]): Promise<void> {
  const paths = [...new Set(leaves.flatMap((leaf) => leaf.paths))];
  if (paths.length === 0) return;
  const out = await git(top, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching', '--', ...paths]);
  const dirty = out
    .split('\0')
    .filter((record) => /^[ -~]{2} /.test(record))
    .map((record) => record.slice(3));
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 10).join(', ') + (dirty.length > 10 ? ` and ${dirty.length - 10} more` : '');
  const owners = leaves.filter((leaf) => leaf.paths.some((p) => dirty.includes(p))).map((leaf) => leaf.label);
  throw new UsageError(
    `${top}: uncommitted changes in ${shown}, which the patches of ${owners.join(', ')} change: apply --commit commits only what the leaves changed and would mix them in or overwrite them. Commit or stash them (git stash --include-untracked), then apply again.`,
  );
}

/** A leaf that gets no commit, and why. */
type NotCommitted = Exclude<ShipResult, { readonly outcome: 'applied' }>;

/**
 * The leaf's commit on `head` (made, not yet on any ref), or why there is none: a commit of HEAD
 * already names the leaf (`done`: HEAD's trailers of this run), its changes are in HEAD, or its
 * patch does not apply there.
 */
async function commitLeaf(
  commits: CommitWriter,
  head: string,
  done: ReadonlySet<string>,
  leaf: ShipLeaf,
  options: ShipOptions,
): Promise<{ readonly commit: string } | NotCommitted> {
  if (done.has(trailer(options.runId, leaf.label))) return { outcome: 'already applied', detail: 'a commit of HEAD names it' };
  const built = await commits.build(head, leaf.patch);
  if ('already' in built) return { outcome: 'already applied', detail: built.already };
  if ('conflict' in built) return { outcome: 'conflict', detail: built.conflict };
  return { commit: await commits.commit(built.gitTree, head, message(leaf, options)) };
}

/** `--commit`: one commit per leaf on HEAD, in order; HEAD, the index and the working tree of those paths follow. */
export async function commitLeaves(leaves: readonly ShipLeaf[], options: ShipOptions): Promise<ShipResult[]> {
  const { top } = options;
  await refuseDirty(top, leaves);
  const commits = await writer(options);
  try {
    let head = (await commits.resolve('HEAD'))!;
    const done = await commits.trailers(head, options.runId);
    const results: ShipResult[] = [];
    for (const leaf of leaves) {
      const made = await commitLeaf(commits, head, done, leaf, options);
      if (!('commit' in made)) {
        results.push(made);
        continue;
      }
      const { commit } = made;
      const present = await commits.present(commit, leaf.paths);
      // git would replace the directory with the file, and every file in it, tracked or not, with it
      const replaced = [...present].filter((p) => isDirectory(top, p));
      if (replaced.length > 0) {
        results.push({
          outcome: 'conflict',
          detail: `it turns the directory ${replaced.join(', ')} into a file, which would delete everything in it: apply it by hand`,
        });
        continue;
      }
      await git(top, ['update-ref', '-m', `orchestrator apply: ${leaf.label}`, 'HEAD', commit, head]);
      head = commit;
      // the index and the working tree of the leaf's paths: as committed
      await git(top, ['reset', '-q', commit, '--', ...leaf.paths]);
      if (present.size > 0) await git(top, ['checkout-index', '-f', '--', ...present]);
      for (const path of leaf.paths) if (!present.has(path) && !isDirectory(top, path)) rmSync(join(top, path), { force: true });
      results.push({ outcome: 'applied', commit });
    }
    return results;
  } finally {
    commits.close();
  }
}

/** `--branch PREFIX`: each leaf one commit on HEAD, on its own branch; HEAD and the checkout stay as they are. */
export async function branchLeaves(leaves: readonly ShipLeaf[], prefix: string, options: ShipOptions): Promise<ShipResult[]> {
  const { top } = options;
  try {
    await git(top, ['check-ref-format', '--branch', branchName(prefix, 'flow_0001')]);
  } catch {
    throw new UsageError(
      `--branch ${JSON.stringify(prefix)}: ${JSON.stringify(branchName(prefix, 'flow_0001'))} is not a valid branch name; use a prefix like "codex/"`,
    );
  }
  const commits = await writer(options);
  try {
    const head = (await commits.resolve('HEAD'))!;
    const done = await commits.trailers(head, options.runId);
    const results: ShipResult[] = [];
    for (const leaf of leaves) {
      const branch = branchName(prefix, leaf.label);
      const line = trailer(options.runId, leaf.label);
      const tip = await commits.resolve(`refs/heads/${branch}`);
      if (tip !== undefined) {
        results.push(
          (await commits.message(tip)).split('\n').some((l) => l.trim() === line)
            ? { outcome: 'already applied', detail: `on branch ${branch}`, branch }
            : {
                outcome: 'conflict',
                detail: `the branch ${branch} exists and its last commit is not this leaf's: delete it (git branch -D ${branch}) or choose another --branch prefix`,
              },
        );
        continue;
      }
      const made = await commitLeaf(commits, head, done, leaf, options);
      if (!('commit' in made)) {
        results.push(made);
        continue;
      }
      const { commit } = made;
      // created, never moved: an empty old value makes git refuse a branch that appeared meanwhile
      await git(top, ['update-ref', '-m', `orchestrator apply: ${leaf.label}`, `refs/heads/${branch}`, commit, '']);
      results.push({ outcome: 'applied', commit, branch });
    }
    return results;
  } finally {
    commits.close();
  }
}
