import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { OutputError, UsageError, errorMessage } from '../errors.js';
import type { TreeWriter } from '../util/files.js';
import { makeDirectories, type SafeTree } from '../util/safe-tree.js';
import { WriteQueue } from '../util/tree-queue.js';
import type { PreparedRun } from './prepare.js';

const where = (prepared: PreparedRun): string => `the output directory ${JSON.stringify(prepared.options.outputDir)} (--output)`;

/**
 * Whether no process runs while this run writes its tree, so nothing can swap a directory we made
 * for a link between our mkdir and our writes into it: every step (`after` ones too) is an `openai`
 * step (online or --offline: an HTTP call or none) with no `cmd` check, and no worktrees (git and the
 * config's `setup` run in them). A run with a cmd or codex step, a cmd check or worktrees writes
 * through directories kept open instead (util/safe-tree.ts; docs/security.md).
 */
export function startsNoProcess(prepared: Pick<PreparedRun, 'config' | 'options'>): boolean {
  const { config, options } = prepared;
  const quiet = (step: Step): boolean => step.kind === 'openai' && (step.checks ?? []).every((check) => check.type !== 'cmd');
  return options.isolate !== 'worktree' && config.steps.every(quiet) && config.after.every(quiet);
}

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

/**
 * Runs `flows` with the tree's writes on a thread of their own, when the run writes by path
 * (startsNoProcess; util/tree-queue.ts): the flows' JavaScript here, their system calls there, on
 * two cores. Every write is done (or failed, and told to its flow) before this returns or throws;
 * the thread is ended then, and writes are made here again (results.json, report.html, after
 * steps). When the thread dies, `stop` hears why (the run stops) and this throws it. Without the
 * thread (its module not built: jest's sources), or for fewer than WRITER_THREAD_FLOWS flows (the
 * thread's start, ~80 ms, is more than their writes cost), `flows` runs with the writes made here.
 */
export async function withWriterThread<T>(
  files: TreeWriter,
  count: number,
  stop: (error: Error) => void,
  flows: () => Promise<T>,
): Promise<T> {
  const queue = files.tree.byPath && count >= writerThreadFlows() ? WriteQueue.start() : undefined;
  if (queue === undefined) return flows();
  queue.onDeath = stop;
  files.defer(queue);
  try {
    const ran = await flows();
    await files.settle();
    return ran;
  } finally {
    // drained already, or (flows threw) its own error tells
    await files.settle().catch(() => undefined);
    await queue.close();
  }
}

/** Flows from which a run that writes by path starts the writer thread; ORCHESTRATOR_WRITER_THREAD_FLOWS sets it, for tests only. */
const WRITER_THREAD_FLOWS = 64;

function writerThreadFlows(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.ORCHESTRATOR_WRITER_THREAD_FLOWS);
  return env.ORCHESTRATOR_WRITER_THREAD_FLOWS && Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : WRITER_THREAD_FLOWS;
}
