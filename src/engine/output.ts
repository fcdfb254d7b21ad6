import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError, UsageError, errorMessage } from '../errors.js';
import { makeDirectories, type SafeTree } from '../util/safe-tree.js';
import type { PreparedRun } from './prepare.js';

const where = (prepared: PreparedRun): string => `the output directory ${JSON.stringify(prepared.options.outputDir)} (--output)`;

/** Creates the run directory; nothing has run yet, so a failure is a usage error (exit 2). */
export function makeRunDir(prepared: PreparedRun): void {
  try {
    makeDirectories(prepared.runDir);
  } catch (error) {
    throw new UsageError(`${where(prepared)}: cannot create the run directory ${prepared.runDir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (!lstatSync(prepared.runDir).isDirectory()) {
    throw new UsageError(
      `${where(prepared)}: ${prepared.runDir} is a symbolic link or a file, not a directory of its own: remove it, or use another --run-id`,
    );
  }
}

/** Writes the run's first run.json; nothing has run yet, so a failure is a usage error (exit 2). */
export function startRunDir(prepared: PreparedRun, writeRunJson: () => void): void {
  try {
    writeRunJson();
  } catch (error) {
    throw new UsageError(`${where(prepared)}: cannot write ${join(prepared.runDir, 'run.json')}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Writes results.json and the final run.json; a failure there is the run's, not a flow's. */
export async function finishRunDir<T>(prepared: PreparedRun, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw new OutputError(`cannot write the results of the run (results.json, run.json) in ${prepared.runDir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/** Why the run directory can no longer be written into, or undefined while it is a real directory. */
export function unusableRunDir(tree: SafeTree): string | undefined {
  try {
    tree.verify(tree.root);
    return undefined;
  } catch (error) {
    return `the run directory became unusable: ${errorMessage(error)}`;
  }
}
