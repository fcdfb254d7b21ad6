import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process a step starts carries this variable, with a value unique to the step. A process
 * that leaves its step's process group (`setsid`, a daemon, codex's own shells, which start a
 * session of their own) escapes every group signal, but not its environment: on Linux its
 * initial environment stays readable in /proc/<pid>/environ, so it can still be found and ended.
 * Only a process that replaced its whole environment (`env -i`) is out of reach.
 */
export const TAG_VARIABLE = 'ORCHESTRATOR_PROCESS_TAG';

/**
 * This orchestrator's part of every tag: its pid and a random nonce. A spawner helper (spawner.ts)
 * extends its orchestrator's, so `killTagged()` there finds the steps the helper started too.
 */
let RUN_TAG = `${process.pid}.${randomBytes(6).toString('hex')}`;
let sequence = 0;

/** This process's part of every tag, for a spawner helper to extend. */
export function runTag(): string {
  return RUN_TAG;
}

/** Tags this process's steps as part of `tag` (a spawner helper, before its first step). */
export function adoptRunTag(tag: string): void {
  RUN_TAG = tag;
}

/** A tag for the processes of one step. */
export function newProcessTag(): string {
  return `${RUN_TAG}.${++sequence}`;
}

/**
 * Kills (SIGKILL) every process whose initial environment carries `tag` (the processes of one
 * step), or with no tag given, any tag of this orchestrator process. Returns their pids. One pass
 * over /proc: a few milliseconds, so it runs when a step was ended or left something behind, not
 * after every step.
 */
export function killTagged(tag?: string): number[] {
  return killMatching(tagMatcher(tag));
}

/** Kills (SIGKILL) every process whose tag extends `runTag` (a spawner helper's: all its steps, sweep.ts's first part). */
export function killTaggedUnder(runTag: string): number[] {
  return killMatching(underMatcher(runTag));
}

function killMatching(tagged: (pid: number) => boolean): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return []; // no /proc: nothing to look in
  }
  const killed: number[] = [];
  for (const pid of pids) {
    if (!tagged(Number(pid))) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return killed;
}

/** Whether the initial environment of process `pid` carries `tag` (the processes of one step). */
export function carriesTag(pid: number, tag: string): boolean {
  return tagMatcher(tag)(pid);
}

/** Tells whether a process carries `tag`, or with no tag given, any tag of this orchestrator process. */
function tagMatcher(tag: string | undefined): (pid: number) => boolean {
  return tag === undefined ? underMatcher(RUN_TAG) : matcher(Buffer.from(`\0${TAG_VARIABLE}=${tag}\0`));
}

/** Tells whether a process carries a tag that extends `runTag`. */
function underMatcher(runTag: string): (pid: number) => boolean {
  return matcher(Buffer.from(`\0${TAG_VARIABLE}=${runTag}.`));
}

/** Tells whether the initial environment of a process holds `needle` (NUL first: after another variable, or first). */
function matcher(needle: Buffer): (pid: number) => boolean {
  const first = needle.subarray(1);
  return (pid) => {
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      return false; // gone, or another user's
    }
    // a variable is NUL-separated from the one before it, or first in the block
    return environ.includes(needle) || environ.subarray(0, first.length).equals(first);
  };
}
