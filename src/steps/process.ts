import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MAX_TIMER_MS } from './retry.js';
import type { RedactingStream } from '../util/files.js';
import { maxOutputBytes } from './limits.js';
import { endRunCgroup, leaveStepCgroup, newStepCgroup, spawnInCgroup } from './cgroup.js';
import { killTagged, newProcessTag, TAG_VARIABLE } from './sweep.js';

/** Process groups currently running, so an interrupt can end every tree at once. */
const running = new Set<number>();

/** Grace between SIGTERM and SIGKILL when a tree is ended, in ms (tests shorten it). */
export function killGraceMs(): number {
  const fromEnv = Number(process.env.ORCHESTRATOR_KILL_GRACE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.ORCHESTRATOR_KILL_GRACE_MS ? fromEnv : 5000;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * Ends every running process tree at once with SIGKILL, and every process any step of this
 * orchestrator started that escaped its group: the last resort of a forced exit, and the sweep at
 * the end of a run, so no child outlives the orchestrator.
 */
export function killAllProcessTrees(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
  endRunCgroup();
  killTagged();
}

export interface ProcessRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Given on stdin: text as UTF-8, or bytes exactly as they are (a previous cmd step's output). */
  readonly input: string | Buffer;
  readonly stdout: RedactingStream;
  readonly stderr: RedactingStream;
  /** Keep stdout in memory too (cmd steps: it is the output), up to `maxOutputBytes()`. */
  readonly captureStdout: boolean;
  readonly onStdoutLine?: (line: string) => void;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /**
   * After the program ends, also end every process it started that left its group, however it
   * ended (codex: its shells run in sessions of their own). Otherwise that is done only when the
   * step timed out, was interrupted or left its pipes held.
   */
  readonly sweep?: boolean;
  /** Told the program's pid as soon as it started (codex: the proxy answers only its codex processes). */
  readonly onSpawn?: (pid: number) => void;
}

export interface ProcessResult {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** What the program wrote on stdout, byte for byte (when captured and not over the cap). */
  readonly stdout: Buffer;
  /** Bytes written on stdout in all, captured or not. */
  readonly stdoutBytes: number;
  /** Set when stdout was captured and went past `maxOutputBytes()`: `stdout` is then incomplete. */
  readonly stdoutCap: number | undefined;
  /** The last few KiB of stderr, for error messages. */
  readonly stderrTail: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** Set when the program could not be started at all. */
  readonly spawnError: string | undefined;
  /**
   * The program had exited, but something it started outside its process group (`setsid`, a
   * daemon) still held stdout or stderr open: it was killed, and the pipes closed, after PIPE_GRACE_MS.
   */
  readonly pipesHeld: boolean;
}

const STDERR_TAIL = 4096;

/**
 * How long the pipes may stay open after the program exited (or was killed) before whoever holds
 * them is killed and they are closed from our side, in ms. Whatever the program wrote before it
 * exited is in the pipe by then; what keeps them open is a process that left the group
 * (`setsid cmd &`), which no group signal reaches and which could hold the step for as long as it lives.
 */
export const PIPE_GRACE_MS = 1000;

/**
 * What the program's stdout and stderr are, as /proc names them (`socket:[1234]`: Node's stdio
 * pipes are socket pairs), read as soon as it started; empty where there is no /proc.
 */
function pipeEnds(pid: number): Set<string> {
  const ends = new Set<string>();
  for (const fd of [1, 2]) {
    try {
      ends.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // no /proc, or already gone
    }
  }
  return ends;
}

/** Processes holding one of these ends open (they inherited it from the program): on Linux, from /proc/<pid>/fd. */
function pipeHolders(ends: ReadonlySet<string>): number[] {
  if (ends.size === 0) return [];
  const holders: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to see
    }
    for (const fd of fds) {
      try {
        if (ends.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          holders.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return holders;
}

/**
 * Runs a program in its own process group. On timeout or cancellation the whole tree gets SIGTERM,
 * then SIGKILL after a grace period; when the program exits, whatever it left running in its
 * group is killed too, so no grandchild outlives its step. A process that left the group
 * (`setsid`, a daemon) and still holds the step's stdout or stderr PIPE_GRACE_MS after the program
 * exited is killed as well (found by its open pipe, on Linux), and the step stops waiting for the
 * pipes either way: no escaped process holds a step past its end, its timeout or an interrupt.
 *
 * Plain `child_process.spawn`: a cmd fan-out spends its time here, and execa's layers (stream
 * pipelines, abort signals, result objects) cost more CPU per process than the shell it starts.
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const notStarted = (spawnError: string): ProcessResult => ({
    exitCode: undefined,
    signal: undefined,
    stdout: Buffer.alloc(0),
    stdoutBytes: 0,
    stdoutCap: undefined,
    stderrTail: '',
    timedOut: false,
    cancelled: false,
    spawnError,
    pipesHeld: false,
  });
  let child: ChildProcess;
  const tag = newProcessTag();
  // where the runner allows it, the step's processes live in a cgroup none of them can leave
  const cgroup = newStepCgroup();
  const command =
    cgroup === undefined
      ? { file: request.file, args: [...request.args] }
      : spawnInCgroup(cgroup, request.file, request.args, request.cwd, request.env);
  if ('error' in command) {
    if (cgroup !== undefined) leaveStepCgroup(cgroup, true);
    await Promise.all([request.stdout.end(), request.stderr.end()]);
    return notStarted(command.error);
  }
  try {
    child = spawn(command.file, command.args, {
      cwd: request.cwd,
      env: { ...request.env, [TAG_VARIABLE]: tag },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    // E2BIG and the like are thrown, not emitted
    if (cgroup !== undefined) leaveStepCgroup(cgroup, true);
    await Promise.all([request.stdout.end(), request.stderr.end()]);
    return notStarted(error instanceof Error ? error.message : String(error));
  }
  let startError: Error | undefined;
  let pipesHeld = false;
  let holders: number[] = [];
  let pipeTimer: NodeJS.Timeout | undefined;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => (startError ??= error));
    child.once('close', (code, signal) => resolve({ code, signal }));
    // the program is gone: give its pipes a moment to drain, then stop waiting for whoever holds them
    child.once('exit', (code, signal) => {
      pipeTimer = setTimeout(() => {
        pipesHeld = true;
        holders = pipeHolders(ends);
        for (const holder of holders) {
          try {
            process.kill(holder, 'SIGKILL');
          } catch {
            // gone meanwhile
          }
        }
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ code, signal });
      }, PIPE_GRACE_MS);
    });
  });
  // a program that does not read its stdin closes the pipe: that is not an error
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(request.input);
  const pid = child.pid;
  if (pid !== undefined) {
    running.add(pid);
    request.onSpawn?.(pid);
  }
  // what to look for should the pipes outlive the program: two readlinks per step, on Linux
  const ends = pid === undefined ? new Set<string>() : pipeEnds(pid);

  const cap = maxOutputBytes();
  const chunks: Buffer[] = [];
  let captured = 0;
  let stdoutBytes = 0;
  let overCap = false;
  const decoder = new StringDecoder('utf8');
  let lineBuffer = '';
  let stderrTail = Buffer.alloc(0);
  child.stdout?.on('data', (chunk: Buffer) => {
    request.stdout.write(chunk);
    stdoutBytes += chunk.length;
    if (request.captureStdout && !overCap) {
      if (captured + chunk.length > cap) overCap = true;
      else {
        chunks.push(chunk);
        captured += chunk.length;
      }
    }
    if (request.onStdoutLine) {
      lineBuffer += decoder.write(chunk);
      let newline: number;
      while ((newline = lineBuffer.indexOf('\n')) >= 0) {
        request.onStdoutLine(lineBuffer.slice(0, newline));
        lineBuffer = lineBuffer.slice(newline + 1);
      }
      // one line longer than any output may be: not an event worth reading, and a string has a limit
      if (lineBuffer.length > cap) lineBuffer = '';
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    request.stderr.write(chunk);
    stderrTail = Buffer.concat([stderrTail, chunk.subarray(-STDERR_TAIL)]).subarray(-STDERR_TAIL);
  });

  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const end = (): void => {
    if (pid === undefined || killTimer !== undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
  };
  const timer = setTimeout(
    () => {
      timedOut = true;
      end();
    },
    Math.min(request.timeoutMs, MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    cancelled = true;
    end();
  };
  if (request.signal.aborted) onAbort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  // the program itself exited: end what it left behind in its group, so the pipes close
  child.once('exit', () => {
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  });

  try {
    const { code, signal } = await closed;
    // whatever escaped the group: all of its cgroup, and what carries the tag in its environment
    const sweep = request.sweep || timedOut || cancelled || pipesHeld;
    if (cgroup !== undefined) leaveStepCgroup(cgroup, sweep);
    if (sweep) killTagged(tag);
    if (request.onStdoutLine) {
      lineBuffer += decoder.end();
      if (lineBuffer !== '') request.onStdoutLine(lineBuffer);
    }
    if (pipesHeld) {
      request.stderr.write(
        `\norchestrator: the command had exited, but a process it started outside its process group (setsid, a daemon) ` +
          `still held stdout/stderr open ${PIPE_GRACE_MS} ms later: ` +
          (holders.length > 0 ? `killed it (pid ${holders.join(', ')}) and stopped reading them\n` : 'stopped reading them\n'),
      );
    }
    // not started at all: node reports the errno as the exit code
    const started = pid !== undefined;
    const spawnError = !started && startError !== undefined && !timedOut && !cancelled ? startError.message : undefined;
    return {
      exitCode: started ? (code ?? undefined) : undefined,
      signal: started ? (signal ?? undefined) : undefined,
      stdout: overCap ? Buffer.alloc(0) : Buffer.concat(chunks),
      stdoutBytes,
      stdoutCap: overCap ? cap : undefined,
      stderrTail: stderrTail.toString('utf8'),
      timedOut,
      cancelled,
      spawnError,
      pipesHeld,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    clearTimeout(pipeTimer);
    request.signal.removeEventListener('abort', onAbort);
    if (pid !== undefined) running.delete(pid);
    await Promise.all([request.stdout.end(), request.stderr.end()]);
  }
}
