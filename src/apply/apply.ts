import { join, resolve } from 'node:path';
import { parseConfigLenient } from '../config/parse.js';
import { UsageError } from '../errors.js';
import { CONFIG_COPY } from '../results/paths.js';
import { readInputFile } from '../util/input-file.js';
import { lastPatch, PATCH_FILE } from '../patches/changes.js';
import { parseDiffstat } from '../patches/diffstat.js';
import { loadMergedRun, mergedLeaves } from '../report/merge.js';
import { leafLabel } from '../results/results.js';
import { isNotStarted, type FileChange, type LeafEntry, type ResultItem, type Status } from '../model/results.js';
import { ALREADY, GitError, PatchApplier, patchPaths } from './git.js';
import type { Identity } from './commits.js';
import { branchLeaves, commitLeaves, type ShipLeaf, type ShipResult } from './ship.js';

export type ApplyOutcome = 'applied' | 'already applied' | 'conflict' | 'empty' | 'shared' | 'no patch';

/**
 * Where the patches go: the working tree (uncommitted edits), a commit per leaf on HEAD
 * (`--commit`), or a branch per leaf from HEAD (`--branch PREFIX`).
 */
export type ApplyTarget =
  { readonly kind: 'worktree' } | { readonly kind: 'commit' } | { readonly kind: 'branch'; readonly prefix: string };

/** One leaf of the run, and what became of its patch. */
export interface ApplyRow {
  /** `flow_0003` or `flow_0003 [2.1]`. */
  readonly leaf: string;
  readonly status: Status;
  /** The leaf's keys: name -> listed path. */
  readonly keys: Readonly<Record<string, string>>;
  /** The leaf's output (its final message when the last step was codex), as results.json holds it. */
  readonly output: string | null;
  /** Relative to the run directory; undefined when no step of the leaf left one. */
  readonly patch: string | undefined;
  readonly files: readonly FileChange[];
  readonly added: number;
  readonly removed: number;
  readonly outcome: ApplyOutcome;
  /** `--commit`/`--branch`: the commit made for the leaf. */
  readonly commit?: string;
  /** `--branch`: the leaf's branch (made now, or already there). */
  readonly branch?: string;
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
  /** Default: the working tree. */
  readonly target?: ApplyTarget;
  /** The config's `commit_message` (`--commit`/`--branch`); default: the run's copy of its config's. */
  readonly commitMessage?: string;
  /** Who signs the commits when git has no name and email configured. */
  readonly identity?: Identity;
}

/** A run's leaves, and where their files are. */
export interface RunLeaves {
  readonly runId: string;
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
  return applyLeaves({ runId: run.runId, leaves: mergedLeaves(run, { treesFrom: base }), treesFrom: base, runDirs: run.runDirs }, options);
}

/**
 * applyRun over leaves already read: the Action's report mode applies the leaves it merged and
 * reported, so that what the summary says and what is applied cannot differ.
 */
export async function applyLeaves(run: RunLeaves, options: Omit<ApplyOptions, 'runDir'>): Promise<ApplyRow[]> {
  const target = options.target ?? { kind: 'worktree' };
  if (options.check && target.kind !== 'worktree')
    throw new UsageError(`--check reports what would apply to the working tree: leave out --${target.kind} to check`);
  const applier = await openApplier(options.checkout);
  try {
    const selected = selectLeaves(run, new Set(options.statuses));
    const patches = await readPatches(applier, selected);
    // the private index starts with the working tree's state of every path any patch touches
    if (target.kind === 'worktree') await applier.track([...new Set([...patches.paths.values()].flat())]);
    const { rows, ship } = await applyEach(selected, patches, target.kind === 'worktree' ? applier : undefined, options.check);
    if (ship.length > 0) {
      const shipOptions = {
        top: applier.top,
        runId: run.runId,
        template: options.commitMessage ?? commitTemplate(run.runDirs),
        contents: (leaf: ShipLeaf, name: string) => keyContents(options.checkout, applier.top, leaf, name),
        identity: options.identity,
      };
      const leaves = ship.map((s) => s.leaf);
      const results =
        target.kind === 'branch' ? await branchLeaves(leaves, target.prefix, shipOptions) : await commitLeaves(leaves, shipOptions);
      results.forEach((result, i) => {
        const at = ship[i]!.at;
        rows[at] = { ...rows[at]!, ...shipRow(result) };
      });
    }
    return rows;
  } finally {
    applier.close();
  }
}

async function openApplier(checkout: string): Promise<PatchApplier> {
  try {
    return await PatchApplier.open(checkout);
  } catch (error) {
    if (error instanceof GitError)
      throw new UsageError(`${checkout}: not a git checkout with a commit, so there is nothing to apply the patches to (${error.message})`);
    throw error;
  }
}

/** A leaf's patch: `path` relative to its run directory, `file` absolute, and its text. */
interface LeafPatch {
  readonly path: string;
  readonly file: string;
  readonly text: string;
}

interface SelectedLeaf {
  readonly leaf: LeafEntry;
  readonly patch: LeafPatch | undefined;
}

/** The leaves with a wanted status, each with its last patch (if a step left one). */
function selectLeaves(run: RunLeaves, wanted: ReadonlySet<Status>): SelectedLeaf[] {
  const selected: SelectedLeaf[] = [];
  const base = run.treesFrom;
  for (const leaf of run.leaves) {
    // a range of leaves that never started has nothing to apply
    if (isNotStarted(leaf) || !wanted.has(leaf.status)) continue;
    let patch: LeafPatch | undefined;
    for (const dir of leaf.tree !== undefined && base !== undefined ? [join(base, leaf.tree)] : run.runDirs) {
      const found = lastPatch(dir, leaf.steps);
      if (found) {
        patch = { ...found, file: join(dir, found.path) };
        break;
      }
    }
    selected.push({ leaf, patch });
  }
  return selected;
}

/** Per patch file: the paths it touches, or why git cannot read it. */
interface PatchPaths {
  readonly paths: ReadonlyMap<string, string[]>;
  /** A patch git cannot read (a step or a download can leave anything there) is that leaf's problem. */
  readonly unreadable: ReadonlyMap<string, string>;
}

async function readPatches(applier: PatchApplier, selected: readonly SelectedLeaf[]): Promise<PatchPaths> {
  const paths = new Map<string, string[]>();
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
  return { paths, unreadable };
}

/**
 * A row per selected leaf, in order. With `worktree` (the working-tree target) each patch is applied
 * now; without, the leaves to commit (`--commit`/`--branch`) come back in `ship` with their row's
 * place, their rows saying 'not reached' until they are committed.
 */
async function applyEach(
  selected: readonly SelectedLeaf[],
  { paths, unreadable }: PatchPaths,
  worktree: PatchApplier | undefined,
  check: boolean,
): Promise<{ rows: ApplyRow[]; ship: { at: number; leaf: ShipLeaf }[] }> {
  const appliedBy = new Map<string, string>();
  const rows: ApplyRow[] = [];
  const ship: { at: number; leaf: ShipLeaf }[] = [];
  for (const { leaf, patch } of selected) {
    const label = leafLabel(leaf);
    const stat = patch ? parseDiffstat(patch.text) : { files: [], added: 0, removed: 0 };
    const row = { leaf: label, status: leaf.status, keys: leaf.keys, output: leaf.output, patch: patch?.path, ...stat };
    if (patch === undefined) {
      rows.push({ ...row, outcome: 'no patch', detail: `no step of this leaf left a ${PATCH_FILE} (run with --isolate worktree)` });
    } else if (patch.text.trim() === '') {
      rows.push({ ...row, outcome: 'empty' });
    } else if (unreadable.has(patch.file)) {
      rows.push({ ...row, outcome: 'conflict', detail: unreadable.get(patch.file) });
    } else if (appliedBy.has(patch.file)) {
      rows.push({ ...row, outcome: 'shared', detail: `the same patch as ${appliedBy.get(patch.file)}` });
    } else if (worktree === undefined) {
      appliedBy.set(patch.file, label);
      ship.push({
        at: rows.length,
        leaf: { label, keys: leaf.keys, output: leaf.output, patch: patch.file, paths: paths.get(patch.file)! },
      });
      rows.push({ ...row, outcome: 'conflict', detail: 'not reached' });
    } else {
      const result = await worktree.apply(patch.file, paths.get(patch.file)!, !check);
      if (result === undefined) appliedBy.set(patch.file, label);
      rows.push(
        result === undefined
          ? { ...row, outcome: 'applied' }
          : result === ALREADY
            ? { ...row, outcome: 'already applied', detail: 'its changes are in the working tree already' }
            : { ...row, outcome: 'conflict', detail: result },
      );
    }
  }
  return { rows, ship };
}

/** An ApplyRow's outcome, commit and branch from what a commit or a branch became. */
function shipRow(result: ShipResult): Pick<ApplyRow, 'outcome' | 'commit' | 'branch' | 'detail'> {
  if (result.outcome === 'applied') return { outcome: 'applied', commit: result.commit, branch: result.branch, detail: undefined };
  if (result.outcome === 'already applied') return { outcome: 'already applied', branch: result.branch, detail: result.detail };
  return { outcome: 'conflict', detail: result.detail };
}

/** The `commit_message` of the run's copy of its config, if it has one. */
function commitTemplate(runDirs: readonly string[]): string | undefined {
  for (const dir of runDirs) {
    try {
      return parseConfigLenient(readInputFile(join(dir, CONFIG_COPY)).toString('utf8'), join(dir, CONFIG_COPY)).config.commitMessage;
    } catch {
      // no copy here (a folder of shards keeps one per shard): the next
    }
  }
  return undefined;
}

/** `{{{KEY}}}` of a commit message: the leaf's listed file, read from the checkout (and only from inside it). */
function keyContents(checkout: string, top: string, leaf: ShipLeaf, name: string): string {
  const path = leaf.keys[name]!;
  try {
    return readInputFile(resolve(checkout, path), { confineTo: top }).toString('utf8');
  } catch (error) {
    throw new UsageError(
      `commit_message: {{{${name}}}} of ${leaf.label} is the contents of ${JSON.stringify(path)}, which cannot be read from ${checkout}: ${(error as Error).message}. Apply from the directory the run was started in (--workdir), or use {{{${name}:path}}}.`,
    );
  }
}
