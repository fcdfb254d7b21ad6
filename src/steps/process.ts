import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { MAX_TIMER_MS } from './retry.js';
import type { RedactingStream } from '../util/files.js';
import { maxOutputBytes } from './limits.js';
import { endRunCgroup, leaveStepCgroup, newStepCgroup, spawnInCgroup } from './cgroup.js';
import { pipeEnds, pipeHolders, type PipeHolder } from './pipe-holders.js';
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
   * The program had exited, but its stdout or stderr stayed open PIPE_GRACE_MS later, held by a
   * process it started outside its process group (`setsid`, a daemon): see `holders`.
   */
  readonly pipesHeld: boolean;
  /** The processes found holding them, killed (empty when they could not be found: no /proc). */
  readonly holders: readonly PipeHolder[];
}

const STDERR_TAIL = 4096;

/**
 * How long after the program exited (or was killed) its pipes may stay open before we look for who
 * holds them, in ms. Whatever the program wrote is read to the end of file however late the event
 * loop gets to it; what keeps a pipe open past that is a process that left the group
 * (`setsid cmd &`), which no group signal reaches and which could hold the step for as long as it lives.
 */
export const PIPE_GRACE_MS = 1000;

/**
 * Runs a program in its own process group. On timeout or cancellation the whole tree gets SIGTERM,
 * then SIGKILL after a grace period; when the program exits, whatever it left running in its
 * group is killed too, so no grandchild outlives its step. Its stdout and stderr are read to the
 * end of file: no timer throws away what it wrote. A process that left the group (`setsid`, a
 * daemon) and still holds them PIPE_GRACE_MS after the program exited is found by its open pipe
 * (on Linux) and killed, and what it wrote until then is read too; one that cannot be found (no
 * /proc) is not waited for once everything written has been read. No escaped process holds a step
 * past its end, its timeout or an interrupt.
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
    holders: [],
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
      env: { ...request.env, ...('env' in command ? command.env : undefined), [TAG_VARIABLE]: tag },
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
  let exited = false;
  let finished = false;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => (startError ??= error));
    // after the exit and the end of file on both pipes (or their being closed by `pipes` below)
    child.once('close', (code, signal) => {
      finished = true;
      resolve({ code, signal });
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
  const pipes = new PipeWatch(child, pid === undefined ? new Set<string>() : pipeEnds(pid), pid ?? 0, tag, () => finished);

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
    if (pid === undefined || killTimer !== undefined || exited) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
  };
  // Decided after the next poll for I/O, not in the timer: libuv runs expired timers first, so after
  // a stalled loop the program's exit (or its pipes' end) may be waiting, and then it ended in time.
  const timer = setTimeout(
    () =>
      setImmediate(() => {
        if (finished) return;
        // the program exited in time but its pipes are still held: past its time, stop waiting for them
        if (!exited) timedOut = true;
        end();
        pipes.stopWaiting(() => (timedOut = true));
      }),
    Math.min(request.timeoutMs, MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    cancelled = true;
    end();
    pipes.stopWaiting();
  };
  if (request.signal.aborted) onAbort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  child.once('exit', () => {
    exited = true;
    clearTimeout(killTimer);
    // the program itself exited: end what it left behind in its group, so the pipes close
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    pipes.watch();
  });

  try {
    const { code, signal } = await closed;
    const { holders, unseen } = pipes;
    const pipesHeld = holders.length > 0 || unseen;
    // whatever escaped the group: all of its cgroup, and what carries the tag in its environment
    const sweep = request.sweep || timedOut || cancelled || pipesHeld;
    if (cgroup !== undefined) leaveStepCgroup(cgroup, sweep);
    if (sweep) killTagged(tag);
    if (request.onStdoutLine) {
      lineBuffer += decoder.end();
      if (lineBuffer !== '') request.onStdoutLine(lineBuffer);
    }
    if (holders.length > 0) {
      request.stderr.write(
        `\norchestrator: the command had exited, but ${holders.length === 1 ? 'a process' : 'processes'} it started outside its ` +
          `process group still held its stdout/stderr open ${PIPE_GRACE_MS} ms later: killed ${describeHolders(holders)}; ` +
          'what was written before was read to the end\n',
      );
    } else if (unseen) {
      request.stderr.write(
        `\norchestrator: the command had exited, but its stdout/stderr were still held open ${PIPE_GRACE_MS} ms later by a ` +
          'process that could not be found (no /proc, or not visible to this user): read what had been written, then stopped reading them\n',
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
      holders,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    pipes.dispose();
    request.signal.removeEventListener('abort', onAbort);
    if (pid !== undefined) running.delete(pid);
    await Promise.all([request.stdout.end(), request.stderr.end()]);
  }
}

/** Polls for I/O a step past its time still gets to read what its pipes hold, while data still comes. */
const FORCED_LOOKS = 50;

/** `pid 123 (sleep 1000), pid 124 (…)`, for messages. */
export function describeHolders(holders: readonly PipeHolder[]): string {
  return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}

/**
 * Watches a program's stdout and stderr once the program has exited, until both reach end of file.
 * Every PIPE_GRACE_MS it looks, after a poll for I/O, for processes the step started outside the
 * program's group that hold them, and kills those (end of file follows their end). When none can be found and the
 * last poll read nothing, nothing written is left unread: the pipes are closed from this side.
 */
class PipeWatch {
  /** The processes found holding the pipes, killed. */
  readonly holders: PipeHolder[] = [];
  /** The pipes were closed from this side while something no /proc scan found held them. */
  unseen = false;
  /** Every holder found, whether the kill worked or not: each is tried once. */
  private readonly tried = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private watching = false;
  /** Called when the pipes are closed from this side: the step ran past its time or was interrupted. */
  private onForced: (() => void) | undefined;
  private forced = false;
  private forcedLooks = 0;

  constructor(
    private readonly child: ChildProcess,
    private readonly ends: ReadonlySet<string>,
    private readonly group: number,
    private readonly tag: string,
    private readonly finished: () => boolean,
  ) {}

  /** The program exited: look at the pipes PIPE_GRACE_MS from now, and every PIPE_GRACE_MS after. */
  watch(): void {
    this.watching = true;
    this.schedule(PIPE_GRACE_MS);
  }

  /**
   * The step timed out or was interrupted: once the program is gone, close the pipes at the next
   * look even while a hidden process still writes to them; `onForced` is called if they are.
   */
  stopWaiting(onForced?: () => void): void {
    this.forced = true;
    this.onForced = onForced;
    if (this.watching) this.schedule(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // what the program wrote may be waiting in the pipes behind a stalled loop: look after the next poll
      const before = this.bytesRead();
      this.immediate = setImmediate(() => this.look(before));
    }, ms);
  }

  private look(before: number): void {
    if (this.finished() || this.ended()) return;
    const found = pipeHolders(this.ends, this.group, this.tag).filter((h) => !this.tried.has(h.pid));
    for (const holder of found) {
      this.tried.add(holder.pid);
      try {
        process.kill(holder.pid, 'SIGKILL');
        this.holders.push(holder);
      } catch {
        // gone meanwhile, or not ours to end
      }
    }
    // once they are gone the pipes reach end of file, after what they hold has been read
    if (found.length > 0) return this.schedule(PIPE_GRACE_MS);
    // still reading what was written (or a hidden process still writes): wait for the end of file;
    // past the step's time, only a few polls more (each reads megabytes: more than a pipe holds)
    if (this.bytesRead() !== before) {
      if (!this.forced) return this.schedule(PIPE_GRACE_MS);
      if (this.forcedLooks++ < FORCED_LOOKS) return this.schedule(0);
    }
    // the last poll found nothing to read, yet no end of file: held by a process no scan finds
    this.unseen ||= this.holders.length === 0;
    if (this.forced) this.onForced?.();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }

  private bytesRead(): number {
    return this.pipes().reduce((sum, pipe) => sum + pipe.bytesRead, 0);
  }

  /** Both pipes reached end of file (their `close`, and the child's, follow). */
  private ended(): boolean {
    return this.pipes().every((pipe) => pipe.readableEnded || pipe.destroyed);
  }

  /** Node's stdio pipes are sockets: `bytesRead` counts what was read from them. */
  private pipes(): Socket[] {
    return [this.child.stdout, this.child.stderr].filter((pipe) => pipe !== null) as Socket[];
  }
}
