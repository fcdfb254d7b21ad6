import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Step processes held in a cgroup (v2), where the runner lets this process create one under its
 * own (root, or a delegated subtree). A cgroup is the one thing a process cannot leave by itself
 * without privileges: not by `setsid` or a double fork (which leave the process group), not by
 * rewriting its environment (Perl's `$0`, `env -i`, which drop the process tag `sweep.ts` looks
 * for). Each step gets a cgroup of its own under one per run; ending one kills every process in it
 * (`cgroup.kill`, or each pid in `cgroup.procs` until it is empty) and removes it. Where there is no
 * writable cgroup v2, nothing here does anything and the tag sweep is all there is.
 */

/** The run's cgroup: undefined before the first step asks, null where steps cannot be contained. */
let runCgroup: string | null | undefined;
let sequence = 0;
/** Whose run cgroups this process makes: its own, or a spawner helper's orchestrator's (spawner.ts). */
let owner = process.pid;

/** Names the run cgroups this process makes after `pid` (a spawner helper: its orchestrator), so they are that run's. */
export function ownRunCgroupsAs(pid: number): void {
  owner = pid;
}
/**
 * Step cgroups of this run that their step left empty, for the next steps: making and removing a
 * cgroup costs more than the `sh` a cmd step starts (issue 27.4). One holding anything, or with
 * cgroups below it, is never handed out again. At most as many as steps ever ran at once.
 */
const idle: string[] = [];

/**
 * Where this process's own cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on a
 * hybrid host), from /proc/self/mountinfo and /proc/self/cgroup; undefined where there is none.
 */
export function ownCgroupDir(): string | undefined {
  try {
    const own = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (own === undefined) return undefined;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [fields = '', fsType] = line.split(' - ');
      if (fsType?.split(' ')[0] !== 'cgroup2') continue;
      // spaces and the like are written as octal escapes (\040)
      const [root, mountPoint] = fields
        .split(' ')
        .slice(3, 5)
        .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
      if (root === undefined || mountPoint === undefined) continue;
      const inMount = root === '/' ? own : own.startsWith(`${root}/`) || own === root ? own.slice(root.length) : undefined;
      if (inMount === undefined) continue;
      const dir = join(mountPoint, inMount);
      if (statSync(join(dir, 'cgroup.procs')).isFile()) return dir;
    }
  } catch {
    // no /proc, or no cgroup v2
  }
  return undefined;
}

/** The run's cgroup, made at the first call; null where this process may not make one or move processes into it. */
function theRunCgroup(): string | null {
  if (runCgroup !== undefined) return runCgroup;
  runCgroup = null;
  const own = ownCgroupDir();
  if (own === undefined) return null;
  const dir = join(own, `orchestrator.${owner}.${randomBytes(4).toString('hex')}`);
  try {
    // moving a process from our cgroup into one below it needs write access to both cgroup.procs
    accessSync(join(own, 'cgroup.procs'), constants.W_OK);
    mkdirSync(dir);
    accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
    runCgroup = dir;
  } catch {
    removeCgroup(dir);
    return null;
  }
  removeAbandoned(own);
  return runCgroup;
}

/**
 * Removes the empty cgroups an orchestrator that is gone left behind (killed outright, it ran no
 * end). Only empty ones: the kernel refuses to remove one that holds a process, which is left to
 * whoever looks (README, Security). Should the owner live on in another pid namespace, it makes
 * its run cgroup again at its next step.
 */
function removeAbandoned(own: string): void {
  let names: string[];
  try {
    names = readdirSync(own);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^orchestrator\.(\d+)\.[0-9a-f]+$/.exec(name)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    removeCgroup(join(own, name));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An empty cgroup for one step's processes, or undefined where the runner does not allow one. */
export function newStepCgroup(): string | undefined {
  // looked at again when handed out: a run cgroup found empty by another orchestrator (in another
  // pid namespace) may have been removed, and a step running as root may have moved a process in
  for (let reused = idle.pop(); reused !== undefined; reused = idle.pop()) if (isEmpty(reused)) return reused;
  for (let attempt = 0; attempt < 2; attempt++) {
    const run = theRunCgroup();
    if (run === null) return undefined;
    const dir = join(run, `step.${++sequence}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
      runCgroup = undefined; // removed under us: made again
    }
  }
  return undefined;
}

/**
 * The program to spawn so that `file` runs in `cgroup` from its first instruction: `sh` moves itself
 * into the cgroup (writing 0 to cgroup.procs moves the writer), then execs `file` with the same pid,
 * so nothing the program starts is ever outside. `file` is looked up on the step's PATH first, as
 * spawn would (the wrapper's `exec` must be given a path): an `error` like spawn's when it is not there.
 */
export function spawnInCgroup(
  cgroup: string,
  file: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
): { file: string; args: string[]; env?: Record<string, string> } | { error: string } {
  if (file === 'sh' && args.length === 2 && args[0] === '-c') {
    // a cmd step is a shell already: it moves itself, saving a second shell's start (issue 27.4).
    // The move goes before the script on the same line (so line numbers stay), the cgroup comes in
    // a variable unset before the script runs, and $0 is `sh` as without a cgroup. `sh` is found
    // on the step's PATH by spawn itself, in the child, as without a cgroup: looking it up here
    // first cost the event loop a stat and an access a PATH entry, every step
    return { file, args: ['-c', `${FOLDED_MOVE}${args[1]}`, 'sh'], env: { [CGROUP_VARIABLE]: cgroup } };
  }
  const program = findProgram(file, cwd, env.PATH);
  if (program === undefined) return { error: `spawn ${file} ENOENT` };
  const move = `echo 0 >"$0/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $0" >&2; exit 126; }; exec "$@"`;
  return { file: '/bin/sh', args: ['-c', move, cgroup, program, ...args] };
}

/** Holds the step's cgroup for the shell of a cmd step until it has moved itself there. */
export const CGROUP_VARIABLE = 'ORCHESTRATOR_STEP_CGROUP';
const FOLDED_MOVE =
  `{ echo 0 >"$${CGROUP_VARIABLE}/cgroup.procs" || { echo "orchestrator: could not move the step into its cgroup $${CGROUP_VARIABLE}" >&2; exit 126; }; ` +
  `unset ${CGROUP_VARIABLE}; }; `;

function findProgram(file: string, cwd: string, path: string | undefined): string | undefined {
  const candidates = file.includes('/')
    ? [resolve(cwd, file)]
    : (path ?? '/usr/bin:/bin').split(delimiter).map((entry) => (isAbsolute(entry) ? join(entry, file) : resolve(cwd, entry || '.', file)));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    // no exception for a missing file: most PATH entries lack the program, and a thrown ENOENT per
    // entry and step cost more than the lookup
    if (statSync(path, { throwIfNoEntry: false })?.isFile() !== true) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * After a step: `end` kills whatever is still in its cgroup and removes it; otherwise it is kept for
 * a next step, which gets it only if it is empty by then (newStepCgroup looks): one still holding a
 * process stays as it is (a daemon the step left behind is ended with the run, as the tag sweep
 * does). Not looked at here as well: a step's processes were just killed and may still be on their
 * way out, and each look reads two files.
 */
export function leaveStepCgroup(cgroup: string, end: boolean): void {
  if (end) endCgroup(cgroup);
  else if (runCgroup === join(cgroup, '..')) idle.push(cgroup);
  else removeCgroup(cgroup);
}

/** The run's cgroup, once a step made it (a spawner helper tells its orchestrator, which ends it on a forced exit). */
export function runCgroupDir(): string | undefined {
  return typeof runCgroup === 'string' ? runCgroup : undefined;
}

/** Ends every process of the run's steps still in a cgroup and removes the cgroups: the end of a run, or a forced exit. */
export function endRunCgroup(): void {
  idle.length = 0;
  if (typeof runCgroup !== 'string') return;
  endCgroup(runCgroup);
  runCgroup = undefined;
}

/** No process in it or below it, and no cgroup below it (a step running as root may make some). */
function isEmpty(dir: string): boolean {
  try {
    return !populated(dir) && /^nr_descendants 0$/m.test(readFileSync(join(dir, 'cgroup.stat'), 'utf8'));
  } catch {
    return false;
  }
}

const KILL_WAIT_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Kills every process in `dir` and below, waits (up to KILL_WAIT_MS) until none is left, and removes
 * the cgroups. Synchronous: it also runs on the way out of a forced exit. `killFile: false` does
 * what a kernel without cgroup.kill needs (exported for its test).
 */
export function endCgroup(dir: string, killFile = true): void {
  const deadline = Date.now() + KILL_WAIT_MS;
  for (;;) {
    kill(dir, killFile);
    if (!populated(dir) || Date.now() > deadline) break;
    Atomics.wait(pause, 0, 0, 5);
  }
  removeCgroup(dir);
}

/** cgroup.kill (Linux 5.14) kills the whole subtree at once, forks included; before it, every pid in cgroup.procs. */
function kill(dir: string, killFile: boolean): void {
  try {
    if (killFile) {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
      return;
    }
  } catch {
    // an older kernel: one pid at a time, repeated by the caller until the cgroup is empty
  }
  for (const cgroup of [dir, ...children(dir)]) {
    let pids: string[];
    try {
      pids = readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
    } catch {
      continue;
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
}

function populated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Every cgroup below dir, deepest last. */
function children(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  return names.flatMap((name) => [join(dir, name), ...children(join(dir, name))]);
}

/** Removes dir and the cgroups below it, deepest first; one still holding a process stays (rmdir says EBUSY). */
function removeCgroup(dir: string): void {
  for (const cgroup of [dir, ...children(dir)].reverse()) {
    try {
      rmdirSync(cgroup);
    } catch {
      // not empty yet, or already gone
    }
  }
}
