import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { lastPatch, PATCH_FILE } from '../patches/changes.js';
import { parseDiffstat } from '../patches/diffstat.js';
import { loadMergedRun, mergedLeaves } from '../report/merge.js';
import { leafLabel } from '../results/results.js';
import { isNotStarted, type FileChange, type LeafEntry, type ResultItem, type Status } from '../model/results.js';
import { GitError, PatchApplier, patchPaths } from './git.js';

export type ApplyOutcome = 'applied' | 'conflict' | 'empty' | 'shared' | 'no patch';

/** One leaf of the run, and what became of its patch. */
export interface ApplyRow {
  /** `flow_0003` or `flow_0003 [2.1]`. */
  readonly leaf: string;
  readonly status: Status;
  /** Relative to the run directory; undefined when no step of the leaf left one. */
  readonly patch: string | undefined;
  readonly files: readonly FileChange[];
  readonly added: number;
  readonly removed: number;
  readonly outcome: ApplyOutcome;
  /** For a conflict: git's account, or why the patch cannot be applied; for `shared`: the leaf that applied the same patch. */
  readonly detail?: string;
}

export interface ApplyOptions {
  /** A run directory (or a folder of one run's shards). */
  readonly runDir: string;
  /** Any directory of the git checkout to apply to. */
  readonly checkout: string;
  /** Leaves with these statuses are applied (default: succeeded). */
  readonly statuses: readonly Status[];
  /** Report only: the working tree is not touched. */
  readonly check: boolean;
}

/** A run's leaves, and where their files are. */
export interface RunLeaves {
  /** Every leaf of the run, in order. */
  readonly leaves: Iterable<ResultItem>;
  /** The directory a leaf's `tree` (the shard folder holding its files) is relative to. */
  readonly treesFrom: string | undefined;
  /** Where the files of a leaf that names no tree are looked for, in turn. */
  readonly runDirs: readonly string[];
}

/**
 * Applies the patch of every selected leaf of a run (the last step's that has one: it holds all the
 * leaf changed since HEAD), once, in leaf order. A patch that conflicts, or that cannot be applied
 * (not a patch, a directory turned into a file), is skipped whole; the rest are applied. Leaves that
 * share one patch (branches that changed nothing after their array step) apply it once.
 */
export async function applyRun(options: ApplyOptions): Promise<ApplyRow[]> {
  const run = loadMergedRun([options.runDir]);
  // a merged output's leaves name the shard folder holding their files
  const base = run.runDirs.length === 1 ? run.runDirs[0] : undefined;
  return applyLeaves({ leaves: mergedLeaves(run, { treesFrom: base }), treesFrom: base, runDirs: run.runDirs }, options);
}

/**
 * applyRun over leaves already read: the Action's report mode applies the leaves it merged and
 * reported, so that what the summary says and what is applied cannot differ.
 */
export async function applyLeaves(run: RunLeaves, options: Omit<ApplyOptions, 'runDir'>): Promise<ApplyRow[]> {
  const wanted = new Set<Status>(options.statuses);
  let applier: PatchApplier;
  try {
    applier = await PatchApplier.open(options.checkout);
  } catch (error) {
    if (error instanceof GitError)
      throw new UsageError(
        `${options.checkout}: not a git checkout with a commit, so there is nothing to apply the patches to (${error.message})`,
      );
    throw error;
  }
  try {
    const selected: { leaf: LeafEntry; patch: { path: string; file: string; text: string } | undefined }[] = [];
    const base = run.treesFrom;
    for (const leaf of run.leaves) {
      // a range of leaves that never started has nothing to apply
      if (isNotStarted(leaf) || !wanted.has(leaf.status)) continue;
      let patch: { path: string; file: string; text: string } | undefined;
      for (const dir of leaf.tree !== undefined && base !== undefined ? [join(base, leaf.tree)] : run.runDirs) {
        const found = lastPatch(dir, leaf.steps);
        if (found) {
          patch = { ...found, file: join(dir, found.path) };
          break;
        }
      }
      selected.push({ leaf, patch });
    }
    // the private index starts with the working tree's state of every path any patch touches
    const paths = new Map<string, string[]>();
    // a patch git cannot read (a step or a download can leave anything there) is that leaf's problem
    const unreadable = new Map<string, string>();
    for (const { patch } of selected) {
      if (patch === undefined || patch.text.trim() === '' || paths.has(patch.file) || unreadable.has(patch.file)) continue;
      try {
        paths.set(patch.file, await patchPaths(applier.top, patch.file));
      } catch (error) {
        if (!(error instanceof GitError)) throw error;
        unreadable.set(patch.file, `${patch.path} is not a patch git can read (${error.message})`);
      }
    }
    await applier.track([...new Set([...paths.values()].flat())]);

    const appliedBy = new Map<string, string>();
    const rows: ApplyRow[] = [];
    for (const { leaf, patch } of selected) {
      const label = leafLabel(leaf);
      const stat = patch ? parseDiffstat(patch.text) : { files: [], added: 0, removed: 0 };
      const row = { leaf: label, status: leaf.status, patch: patch?.path, ...stat };
      if (patch === undefined) {
        rows.push({ ...row, outcome: 'no patch', detail: `no step of this leaf left a ${PATCH_FILE} (run with --isolate worktree)` });
      } else if (patch.text.trim() === '') {
        rows.push({ ...row, outcome: 'empty' });
      } else if (unreadable.has(patch.file)) {
        rows.push({ ...row, outcome: 'conflict', detail: unreadable.get(patch.file) });
      } else if (appliedBy.has(patch.file)) {
        rows.push({ ...row, outcome: 'shared', detail: `the same patch as ${appliedBy.get(patch.file)}` });
      } else {
        const conflict = await applier.apply(patch.file, paths.get(patch.file)!, !options.check);
        if (conflict === undefined) appliedBy.set(patch.file, label);
        rows.push(conflict === undefined ? { ...row, outcome: 'applied' } : { ...row, outcome: 'conflict', detail: conflict });
      }
    }
    return rows;
  } finally {
    applier.close();
  }
}
