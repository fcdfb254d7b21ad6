import { relative, sep } from 'node:path';
import { NOT_STARTED } from '../results/store.js';
import { OpenDir } from '../util/open-dir.js';
import { temporaryOwner } from '../util/safe-tree.js';

/**
 * Removes the leaves' result.json files (and not_started.json records) in the directory `dir` of
 * the run directory and below it, keeping the step directories for reuse, and the temporary files
 * an earlier attempt left there (a full disk, a crash between a write and its rename). Every
 * directory is walked through the safe-file layer (OpenDir): a link is neither followed nor
 * removed, and a directory swapped for a link during the walk is not gone through.
 */
export function removeLeafResults(runDir: string, dir: string): void {
  // missing (most flows of a first run), a link or below a file: nothing to remove
  const opened = OpenDir.under(runDir, relative(runDir, dir).split(sep).join('/'));
  if (opened !== undefined) removeIn(opened);
}

/** Removes the not_started.json record of the directory `dir` of the run directory, as removeLeafResults does. */
export function removeNotStarted(runDir: string, dir: string): void {
  const opened = OpenDir.under(runDir, relative(runDir, dir).split(sep).join('/'));
  try {
    opened?.remove(NOT_STARTED);
  } finally {
    opened?.close();
  }
}

/** removeLeafResults in one open directory, which it closes. */
function removeIn(dir: OpenDir): void {
  try {
    for (const entry of dir.entries()) {
      const { name } = entry;
      if (entry.isDirectory()) {
        const below = dir.dir(name);
        if (below !== undefined) removeIn(below);
      } else if (name === 'result.json' || name === NOT_STARTED || (entry.isFile() && temporaryOwner(name) !== undefined)) dir.remove(name);
    }
  } finally {
    dir.close();
  }
}
