import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { carriesTag } from './sweep.js';

/** A process that holds the write end of a step's stdout or stderr. */
export interface PipeHolder {
  readonly pid: number;
  /** Its command line, as /proc shows it (arguments joined by spaces). */
  readonly command: string;
}

/** A pipe or a socket as /proc names it: what a step's stdio is, never a file others share (/dev/null). */
const PIPE = /^(?:socket|pipe):\[\d+\]$/;

/**
 * What a program's stdout and stderr are, as /proc names them (`socket:[1234]`: Node's stdio pipes
 * are socket pairs, whose two ends differ, so the program's end is read from the program itself),
 * read as soon as it started; empty where there is no /proc, or when it had already exited. A shell
 * may be caught while it points its fd 1 elsewhere for a builtin (`echo $$ > file`), keeping the
 * pipe on a higher fd: then the pipes it holds there count, but for its stdin and those this
 * process holds as well.
 */
export function pipeEnds(pid: number): Set<string> {
  const ends = new Set<string>();
  for (const fd of ['1', '2']) {
    const end = link(pid, fd);
    if (end !== undefined && PIPE.test(end)) ends.add(end);
  }
  if (ends.size === 2) return ends;
  // not its stdin, nor a pipe this process holds too (one it inherited without close-on-exec)
  const others = new Set([link(pid, '0'), ...inheritedLinks()]);
  // the shell puts fd 1 back meanwhile: a few looks at all its fds
  for (let look = 0; look < 3 && ends.size < 2; look++) {
    for (const end of links(String(pid), 1)) if (PIPE.test(end) && !others.has(end)) ends.add(end);
  }
  return ends;
}

/**
 * What this process's own fds are, read once: the only ones a step's program can share with it are
 * those it inherited without close-on-exec, there from its start (every pipe Node opens is
 * close-on-exec, and each is a new inode). Reading them at every look cost more than the step.
 */
let ownLinks: readonly string[] | undefined;
function inheritedLinks(): readonly string[] {
  return (ownLinks ??= links('self'));
}

function link(pid: number, fd: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined; // no /proc, or already gone
  }
}

/** What the fds of process `pid` (from fd `from` on) are, as /proc names them. */
function links(pid: string, from = 0): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return []; // gone
  }
  const found: string[] = [];
  for (const fd of fds) {
    if (Number(fd) < from) continue;
    try {
      found.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return found;
}

/**
 * The processes the step started (they carry its `tag`: sweep.ts), other than the members of
 * process group `group` (already sent SIGKILL: on their way out), that hold one of `ends` open: on
 * Linux, from /proc/<pid>/fd. They inherited it from the program and left its group (`setsid`, a
 * daemon). Only the step's own processes: no other process is ever taken for a holder.
 */
export function pipeHolders(ends: ReadonlySet<string>, group: number, tag: string): PipeHolder[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const holders: PipeHolder[] = [];
  for (const pid of pids) {
    // the program was gone before its ends could be read (a shell that starts a daemon and exits at
    // once): then its stdout or stderr is what the step's own processes hold there
    const holds = ends.size > 0 ? holdsOneOf(pid, ends) : holdsStdioPipe(pid);
    if (holds && processGroup(pid) !== group && carriesTag(Number(pid), tag)) holders.push({ pid: Number(pid), command: commandOf(pid) });
  }
  return holders;
}

function holdsOneOf(pid: string, ends: ReadonlySet<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to see
  }
  for (const fd of fds) {
    try {
      if (ends.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** Whether process `pid` has a pipe or socket as its stdout or stderr, other than one this process holds too. */
function holdsStdioPipe(pid: string): boolean {
  return ['1', '2'].some((fd) => {
    const end = link(Number(pid), fd);
    return end !== undefined && PIPE.test(end) && !inheritedLinks().includes(end);
  });
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the parenthesised name); undefined when gone. */
function processGroup(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: string): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
    if (command !== '') return command.length > 200 ? `${command.slice(0, 200)}…` : command;
  } catch {
    // gone meanwhile
  }
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}
