import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Changes, StepEntry } from '../model/results.js';
import { parseDiffstat } from './diffstat.js';
import { readUnder } from '../util/safe-read.js';

/** The file a step that ran in a worktree leaves in its directory. */
export const PATCH_FILE = 'changes.patch';

/** Relative path (to the run directory) of the last of `steps` that left a patch, if any. */
export function lastPatch(runDir: string, steps: readonly Pick<StepEntry, 'dir'>[]): { path: string; text: string } | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const path = `${steps[i]!.dir}/${PATCH_FILE}`;
    // looked up first: most steps leave none, and a failed read costs an exception (a stack trace) per step
    if (lstatSync(join(runDir, path), { throwIfNoEntry: false })?.isFile() !== true) continue;
    // a step wrote into this tree: no directory on the way nor the patch may be a link (safe-read.ts)
    const read = readUnder(runDir, path);
    // none here (or unreadable): an earlier step's, if any
    if (read !== undefined) return { path, text: read.bytes.toString('utf8') };
  }
  return undefined;
}

/**
 * What a leaf's last patch changes, for its results entry; null when no step of the leaf ran in
 * a worktree (without `--isolate worktree` nothing is known about what changed).
 */
export function leafChanges(runDir: string, steps: readonly Pick<StepEntry, 'dir'>[]): Changes | null {
  const patch = lastPatch(runDir, steps);
  return patch === undefined ? null : { patch: patch.path, ...parseDiffstat(patch.text) };
}
