import { spawn, type ChildProcess } from 'node:child_process';
import type { LineRedactingStream } from '../util/files.js';

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

/** Ends every running process tree at once with SIGKILL: the last resort of a forced exit. */
export function killAllProcessTrees(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
}

export interface ProcessRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly input: string;
  readonly stdout: LineRedactingStream;
  readonly stderr: LineRedactingStream;
  /** Keep stdout in memory too (cmd steps: it is the output). */
  readonly captureStdout: boolean;
  readonly onStdoutLine?: (line: string) => void;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

export interface ProcessResult {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stdout: string;
  /** The last few KiB of stderr, for error messages. */
  readonly stderrTail: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** Set when the program could not be started at all. */
  readonly spawnError: string | undefined;
}

const STDERR_TAIL = 4096;

/**
 * Runs a program in its own process group. On timeout or cancellation the whole tree gets SIGTERM,
 * then SIGKILL after a grace period; when the program exits, whatever it left running in its
 * group is killed too, so no grandchild outlives its step.
 *
 * Plain `child_process.spawn`: a cmd fan-out spends its time here, and execa's layers (stream
 * pipelines, abort signals, result objects) cost more CPU per process than the shell it starts.
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  let child: ChildProcess;
  try {
    child = spawn(request.file, [...request.args], {
      cwd: request.cwd,
      env: request.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    // E2BIG and the like are thrown, not emitted
    await Promise.all([request.stdout.end(), request.stderr.end()]);
    return {
      exitCode: undefined,
      signal: undefined,
      stdout: '',
      stderrTail: '',
      timedOut: false,
      cancelled: false,
      spawnError: error instanceof Error ? error.message : String(error),
    };
  }
  let startError: Error | undefined;
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => (startError ??= error));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  // a program that does not read its stdin closes the pipe: that is not an error
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(request.input);
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);

  const chunks: string[] = [];
  let lineBuffer = '';
  let stderrTail = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    request.stdout.write(chunk);
    if (request.captureStdout) chunks.push(chunk);
    if (request.onStdoutLine) {
      lineBuffer += chunk;
      let newline: number;
      while ((newline = lineBuffer.indexOf('\n')) >= 0) {
        request.onStdoutLine(lineBuffer.slice(0, newline));
        lineBuffer = lineBuffer.slice(newline + 1);
      }
    }
  });
  child.stderr?.on('data', (chunk: string) => {
    request.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL);
  });

  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const end = (): void => {
    if (pid === undefined || killTimer !== undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
  };
  const timer = setTimeout(() => {
    timedOut = true;
    end();
  }, request.timeoutMs);
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
    if (lineBuffer !== '' && request.onStdoutLine) request.onStdoutLine(lineBuffer);
    // not started at all: node reports the errno as the exit code
    const started = pid !== undefined;
    const spawnError = !started && startError !== undefined && !timedOut && !cancelled ? startError.message : undefined;
    return {
      exitCode: started ? (code ?? undefined) : undefined,
      signal: started ? (signal ?? undefined) : undefined,
      stdout: chunks.join(''),
      stderrTail,
      timedOut,
      cancelled,
      spawnError,
    };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    request.signal.removeEventListener('abort', onAbort);
    if (pid !== undefined) running.delete(pid);
    await Promise.all([request.stdout.end(), request.stderr.end()]);
  }
}
