import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Which process is at the other end of a loopback TCP connection, read from /proc (Linux): TCP
 * has no peer credentials, but the kernel lists every socket with its inode in /proc/net/tcp,
 * and a process's open sockets in /proc/<pid>/fd. A process cannot pose as another here: the
 * socket it connected with is in its own descriptor table. Every function answers "unknown"
 * (undefined, false, []) where /proc says nothing, so a caller refuses what it cannot identify.
 */

/** The inode of the IPv4 socket connected from local port `from` to port `to`, both on this host. */
export function connectedSocket(from: number, to: number, table = '/proc/net/tcp'): string | undefined {
  let text: string;
  try {
    text = readFileSync(table, 'utf8');
  } catch {
    return undefined;
  }
  const port = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  for (const line of text.split('\n').slice(1)) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    if (fields[1]?.endsWith(`:${port(from)}`) && fields[2]?.endsWith(`:${port(to)}`) && fields[9] !== '0') return fields[9];
  }
  return undefined;
}

/** Whether process `pid` holds the socket with this inode open. */
export function holdsSocket(pid: number, inode: string): boolean {
  const wanted = `socket:[${inode}]`;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to see
  }
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === wanted;
    } catch {
      return false; // closed meanwhile
    }
  });
}

/** The process's argument vector as it started (argv[0] first); empty when it is gone. */
export function commandLine(pid: number): string[] {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (words.at(-1) === '') words.pop();
    return words;
  } catch {
    return [];
  }
}

/** The live children of `pid`: from its threads' `children` lists, else from every process's parent. */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((thread) =>
      readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8')
        .split(' ')
        .filter((child) => /^\d+$/.test(child))
        .map(Number),
    );
  } catch {
    // a kernel without CONFIG_PROC_CHILDREN, or a thread that ended meanwhile: ask every process
  }
  const children: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return []; // no /proc
  }
  for (const name of pids) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(name));
    } catch {
      // gone
    }
  }
  return children;
}
