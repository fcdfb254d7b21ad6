import { lstatSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_OUTPUT } from '../engine/options.js';

/**
 * The Action's output directory, `generated/` in the workspace. The workspace holds the pull
 * request's files, and a pull request can commit `generated -> /elsewhere`: a link there is refused,
 * so that nothing is downloaded or written through it.
 */
export function outputDirectory(workspace: string): string {
  const path = resolve(workspace, DEFAULT_OUTPUT);
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return path; // created by the run
  }
  if (stats.isSymbolicLink()) {
    throw new UsageError(
      `The output directory ${path} is a symbolic link (to ${JSON.stringify(readlinkSync(path))}), so the run would write wherever it points. ` +
        `A pull request can commit such a link: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it) and run again.`,
    );
  }
  if (!stats.isDirectory()) {
    throw new UsageError(
      `The output directory ${path} is a file, not a directory: remove ${DEFAULT_OUTPUT} from the repository (orchestrator creates it).`,
    );
  }
  return path;
}
