import { type Dirent } from 'node:fs';
import { join } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { OpenDir } from '../util/open-dir.js';
import { makeDirectories, SafeTree } from '../util/safe-tree.js';
import { SHARD_RECORD, type MergedRun } from './merge.js';

/**
 * Copies the run directories of all shards into one, forming the tree of an unsharded run. Only
 * directories and regular files are copied: a symbolic link (a step may plant one pointing at a
 * secret) is left out, never followed, and so is anything else; nothing is written through a link
 * found in the destination. Returns the paths left out, relative to their run directory.
 */
export function copyMergedTree(run: MergedRun, destination: string): string[] {
  makeDirectories(destination);
  const tree = new SafeTree(destination);
  const skipped: string[] = [];
  for (const dir of run.runDirs) {
    if (dir === destination) continue;
    const from = OpenDir.under(dir);
    if (from === undefined) throw new UsageError(`cannot read ${dir} to copy it: it is no longer a directory`);
    copyNoFollow(from, destination, '', tree, skipped);
  }
  return skipped;
}

/**
 * The merged run's records without its flows: run.json (the first shard's) and every shard's
 * shards/I-of-N.json, copied as copyMergedTree copies (no link followed or written through).
 */
export function copyMergedRecords(run: MergedRun, destination: string): void {
  makeDirectories(destination);
  const tree = new SafeTree(destination);
  const skipped: string[] = [];
  const dirs = [...new Set(run.shardRecordDirs)].filter((dir) => dir !== destination);
  if (dirs.length > 0 && !tree.copyFile(join(dirs[0]!, 'run.json'), join(destination, 'run.json'))) skipped.push('run.json');
  for (const dir of dirs) {
    const shards = OpenDir.under(dir, 'shards');
    if (shards === undefined) continue;
    try {
      tree.dir(join(destination, 'shards'));
      for (const { name } of shards.entries().filter((entry) => SHARD_RECORD.test(entry.name)))
        if (!tree.copyFile(shards.entry(name), join(destination, 'shards', name))) skipped.push(`shards/${name}`);
    } finally {
      shards.close();
    }
  }
}

/** Copies the open directory `from` (`rel` below the run directory) to `to`/`rel`, and closes it. */
function copyNoFollow(from: OpenDir, to: string, rel: string, tree: SafeTree, skipped: string[]): void {
  try {
    let entries: Dirent[];
    try {
      entries = from.entries();
    } catch (error) {
      throw new UsageError(`cannot read ${from.path} to copy it: ${errorMessage(error)}`);
    }
    tree.dir(join(to, rel));
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        // listed as a directory a moment ago: a link put in its place since is not followed
        const below = from.dir(entry.name);
        if (below === undefined) throw new UsageError(`cannot read ${join(from.path, entry.name)} to copy it: it is no longer a directory`);
        copyNoFollow(below, to, path, tree, skipped);
      } else if (!entry.isFile() || !tree.copyFile(from.entry(entry.name), join(to, path))) skipped.push(path);
    }
  } finally {
    from.close();
  }
}
