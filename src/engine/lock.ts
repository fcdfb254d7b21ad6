import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { shardRecordPath } from '../results/paths.js';
import type { Shard } from '../model/results.js';
import { isAlive } from '../util/alive.js';
import { readRegular } from '../util/safe-read.js';

/** A holder is a line of JSON well under this; more is not a lock orchestrator wrote. */
const HOLDER_MAX_BYTES = 4096;

/** Held while a run (one shard of it) writes its directory; released when it ends. */
export interface RunLock {
  readonly path: string;
  release(): void;
}

/** What a lock file holds: who took it. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started_at: string;
}

/** The lock file of one shard (unsharded: 1 of 1): shards of one run write one tree at once. */
export const lockFileName = (shard: Shard): string => `.lock-${shard.index}-of-${shard.count}`;

/**
 * Why a run may not write into `runDir` without `--resume`: it holds a run already, or (sharded)
 * this shard of one. Undefined when it may.
 */
export function existingRun(runDir: string, shard: Shard, shown: string): string | undefined {
  if (shard.count === 1) {
    return existsSync(join(runDir, 'run.json'))
      ? `${shown} already holds a run: pass --resume to finish it, or another --run-id`
      : undefined;
  }
  return existsSync(join(runDir, shardRecordPath(shard)))
    ? `${shown} already holds shard ${shard.index}/${shard.count} of a run (${shardRecordPath(shard)}): pass --resume to finish it, or another --run-id`
    : undefined;
}

function readHolder(path: string): Holder | undefined {
  try {
    // a step could have planted a FIFO or a link to /dev/zero at the lock's name: read only a small regular file
    const value = JSON.parse(readRegular(path, { maxBytes: HOLDER_MAX_BYTES }).bytes.toString('utf8')) as Partial<Holder>;
    return Number.isSafeInteger(value.pid) && typeof value.host === 'string' && typeof value.started_at === 'string'
      ? (value as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A lock left by a process of this host that is gone (killed, crashed): the next run may take it. */
const isStale = (holder: Holder): boolean => holder.host === hostname() && holder.pid !== process.pid && !isAlive(holder.pid);

/** Creates the lock file with its contents complete, or fails with EEXIST: link() never replaces a file. */
function create(path: string, holder: Holder): boolean {
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  try {
    // inside the try: a write that fails (a full disk) leaves no temporary file either
    writeFileSync(temporary, JSON.stringify(holder) + '\n', { flag: 'wx' });
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Moves a stale lock aside. Two runs may find the same stale lock: the one that moves it first
 * wins; when what was moved turns out to be a live lock taken in between, it is put back.
 */
function takeOver(path: string, stale: Holder): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // another run moved it first
  }
  const moved = readHolder(aside);
  if (moved?.pid !== stale.pid || moved.started_at !== stale.started_at) {
    try {
      linkSync(aside, path);
    } catch {
      // a third run holds it now
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the lock of a run directory (one per shard), so two processes started with one run id
 * cannot both write it; then, holding it, checks that a run without `--resume` does not write over
 * an earlier one. Throws a UsageError naming the lock and who holds it. A lock whose process is
 * gone from this host is taken over; one from another host is not (its process cannot be checked).
 */
export function lockRun(runDir: string, shard: Shard, shown: string, resume: boolean): RunLock {
  const name = lockFileName(shard);
  const path = join(runDir, name);
  const me: Holder = { pid: process.pid, host: hostname(), started_at: new Date().toISOString() };
  let taken = false;
  for (let tries = 0; !taken && tries < 5; tries++) {
    try {
      taken = create(path, me);
    } catch (error) {
      throw new UsageError(`cannot create the lock ${join(shown, name)}: ${errorMessage(error)}`, { cause: error });
    }
    if (taken) break;
    const holder = readHolder(path);
    if (holder !== undefined && isStale(holder)) {
      takeOver(path, holder);
      continue;
    }
    const who =
      holder === undefined
        ? 'by a process whose lock file cannot be read'
        : `by pid ${holder.pid} on ${holder.host} since ${holder.started_at}`;
    throw new UsageError(
      `${shown}${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''} is being written by another orchestrator: ` +
        `its lock ${join(shown, name)} is held ${who}. Wait for that run to end, or use another --run-id; ` +
        'if no such run is alive (e.g. it ran on another machine and was killed), delete the lock file',
    );
  }
  if (!taken) throw new UsageError(`cannot take the lock ${join(shown, name)}: other runs keep taking it; try again`);

  const release = (): void => {
    process.off('exit', release);
    const holder = readHolder(path);
    if (holder?.pid === me.pid && holder.started_at === me.started_at) rmSync(path, { force: true });
  };
  // a second Ctrl-C exits at once: the lock goes with the process all the same
  process.on('exit', release);
  const problem = resume ? undefined : existingRun(runDir, shard, shown);
  if (problem !== undefined) {
    release();
    throw new UsageError(problem);
  }
  return { path, release };
}
