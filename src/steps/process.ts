import { execa } from 'execa';
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
 */
export async function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const child = execa(request.file, request.args, {
    cwd: request.cwd,
    env: request.env,
    extendEnv: false,
    input: request.input,
    detached: true,
    buffer: false,
    reject: false,
    cleanup: true,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
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
    const result = await child;
    if (lineBuffer !== '' && request.onStdoutLine) request.onStdoutLine(lineBuffer);
    const spawnError =
      result.failed && result.exitCode === undefined && result.signal === undefined && !timedOut && !cancelled
        ? (result.originalMessage ?? result.shortMessage)
        : undefined;
    return {
      exitCode: result.exitCode,
      signal: result.signal,
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
