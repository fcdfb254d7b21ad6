import { spawn, type ChildProcess } from 'node:child_process';
import { MAX_TIMER_MS } from './retry.js';
import { endRunCgroup, leaveStepCgroup, newStepCgroup, spawnInCgroup } from './cgroup.js';
import { pipeEnds, type PipeHolder } from './pipe-holders.js';
import { OutputCollector, type CollectedOutput, type OutputSinks } from './process-output.js';
import { heldPipesNote, PipeWatch } from './pipe-watch.js';
import { holdYoungGeneration, SPAWNING_YOUNG_MAX_BYTES } from '../util/young-generation.js';
import { killTagged, newProcessTag, TAG_VARIABLE } from './sweep.js';

/** Process groups currently running (here or in a spawner helper), so an interrupt can end every group at once. */
const running = new Set<number>();
/** What else a forced exit ends at once: the spawner helpers' cgroups and the helpers (spawner.ts). */
const onKillAll: (() => void)[] = [];

/** Counts process group `pid` as running until `untrackGroup`: one a spawner helper started for this process. */
export function trackGroup(pid: number): void {
  running.add(pid);
}

export function untrackGroup(pid: number): void {
  running.delete(pid);
}

/** Runs `end` (synchronous) whenever every process tree is killed at once. */
export function alsoOnKillAll(end: () => void): void {
  onKillAll.push(end);
}

/** Grace between SIGTERM and SIGKILL when a process group is ended, in ms (tests shorten it). */
export function killGraceMs(): number {
  const fromEnv = Number(process.env.ORCHESTRATOR_KILL_GRACE_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.ORCHESTRATOR_KILL_GRACE_MS ? fromEnv : 5000;
}

/** Sends `signal` to process group `pid`; one already gone is no error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * Ends every running process group at once with SIGKILL, and every process any step of this
 * orchestrator started that escaped its group: the last resort of a forced exit, and the sweep at
 * the end of a run, so no child outlives the orchestrator.
 */
export function killAllProcessTrees(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
  for (const end of onKillAll) end();
  endRunCgroup();
  killTagged();
}

export interface ProcessRequest extends OutputSinks {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Given on stdin: text as UTF-8, or bytes exactly as they are (a previous cmd step's output). */
  readonly input: string | Buffer;
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

export interface ProcessResult extends CollectedOutput {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
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

/**
 * Runs a program in its own process group. On timeout or cancellation the whole group gets SIGTERM,
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
export async function runProcess(request: ProcessRequest, launch?: Launch): Promise<ProcessResult> {
  // every spawn from here copies this process's memory map, and steps keep little: keep it small (young-generation.ts)
  holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
  const tag = newProcessTag();
  // where the runner allows it, the step's processes live in a cgroup none of them can leave
  const cgroup = newStepCgroup();
  const started = startStep(request, tag, cgroup, launch);
  const child = started instanceof Promise ? await started : started;
  if (typeof child === 'string') {
    if (cgroup !== undefined) leaveStepCgroup(cgroup, true);
    await endStreams(request);
    return notStarted(child);
  }
  // what to look for should the pipes outlive the program: two readlinks per step, on Linux. Read
  // first: a shell that starts a daemon and exits at once is gone a millisecond later (in a
  // spawner helper, telling the orchestrator the pid in onSpawn took longer: no ends, no holder found)
  const ends = child.ends ?? (child.pid === undefined ? new Set<string>() : pipeEnds(child.pid));
  let startError: Error | undefined;
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
  const pipes = new PipeWatch(child, ends, pid ?? 0, tag, () => finished);
  const output = new OutputCollector(request);
  output.attach(child);
  const stop = new Stop(pid, pipes, request, () => finished);
  child.once('exit', () => {
    stop.exited();
    // the program itself exited: end what it left behind in its group, so the pipes close
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    pipes.watch();
  });

  try {
    const { code, signal } = await closed;
    const { holders, unseen } = pipes;
    const pipesHeld = holders.length > 0 || unseen;
    const { timedOut, cancelled } = stop;
    // whatever escaped the group: all of its cgroup, and what carries the tag in its environment
    const sweep = request.sweep || timedOut || cancelled || pipesHeld;
    if (cgroup !== undefined) leaveStepCgroup(cgroup, sweep);
    if (sweep) killTagged(tag);
    output.flushLines();
    const note = heldPipesNote(holders, unseen);
    if (note !== '') request.stderr.write(note);
    // not started at all: node reports the errno as the exit code
    const started = pid !== undefined;
    return {
      exitCode: started ? (code ?? undefined) : undefined,
      signal: started ? (signal ?? undefined) : undefined,
      ...output.result(),
      timedOut,
      cancelled,
      spawnError: !started && startError !== undefined && !timedOut && !cancelled ? startError.message : undefined,
      pipesHeld,
      holders,
    };
  } finally {
    stop.dispose();
    pipes.dispose();
    if (pid !== undefined) running.delete(pid);
    await endStreams(request);
  }
}

/** A started program: a ChildProcess, or one a launcher started (launcher.ts), which names its pipes itself. */
export type StepChild = ChildProcess & { readonly ends?: ReadonlySet<string> };

/**
 * Starts a program somewhere else than this process (launcher.ts), as `spawn` with `detached: true`
 * would here: its child once it exec'd, why it could not be started, or undefined when it was not
 * taken (then it is started here). Its stdin gets `input`.
 */
export type Launch = (start: {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly input: string | Buffer;
}) => Promise<StepChild | string | undefined>;

/** The program to start for the step, in a process group of its own (and in `cgroup`), or why it cannot be. */
function stepCommand(request: ProcessRequest, tag: string, cgroup: string | undefined): StepCommand | string {
  const command =
    cgroup === undefined
      ? { file: request.file, args: [...request.args] }
      : spawnInCgroup(cgroup, request.file, request.args, request.cwd, request.env);
  if ('error' in command) return command.error;
  const env = { ...request.env, ...('env' in command ? command.env : undefined), [TAG_VARIABLE]: tag };
  return { file: command.file, args: command.args, env };
}

interface StepCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
}

/**
 * Starts the program (from the launcher when there is one), or says why it could not be. Spawned
 * here, it is returned at once, not through a promise: its 'error' comes on the next tick, before
 * an `await` would let the caller listen.
 */
function startStep(
  request: ProcessRequest,
  tag: string,
  cgroup: string | undefined,
  launch: Launch | undefined,
): StepChild | string | Promise<StepChild | string> {
  const command = stepCommand(request, tag, cgroup);
  if (typeof command === 'string') return command;
  // a NUL cannot cross to the launcher: spawn here says what is wrong
  if (launch === undefined || hasNul(command, request.cwd)) return spawnStep(command, request.cwd);
  return launch({ ...command, cwd: request.cwd, input: request.input }).then((launched) => launched ?? spawnStep(command, request.cwd));
}

/** Starts the program from this process, or says why it could not be. */
function spawnStep(command: StepCommand, cwd: string): StepChild | string {
  try {
    return spawn(command.file, command.args, { cwd, env: command.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    // E2BIG and the like are thrown, not emitted
    return error instanceof Error ? error.message : String(error);
  }
}

function hasNul({ file, args, env }: StepCommand, cwd: string): boolean {
  return [file, cwd, ...args, ...Object.keys(env), ...Object.values(env)].some((text) => text.includes('\0'));
}

/** The result of a program that never ran (`spawnError` says why) or whose end is not known: nothing read, no exit. */
export function notStarted(spawnError: string | undefined): ProcessResult {
  return {
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
  };
}

async function endStreams(request: ProcessRequest): Promise<void> {
  await Promise.all([request.stdout.end(), request.stderr.end()]);
}

/**
 * Ends the program's group when the step runs past its time or is interrupted: SIGTERM, then
 * SIGKILL after killGraceMs(); the pipes are then no longer waited for once the program is gone.
 */
class Stop {
  timedOut = false;
  cancelled = false;
  private hasExited = false;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number | undefined,
    private readonly pipes: PipeWatch,
    private readonly request: Pick<ProcessRequest, 'signal' | 'timeoutMs'>,
    finished: () => boolean,
  ) {
    // Decided after the next poll for I/O, not in the timer: libuv runs expired timers first, so after
    // a stalled loop the program's exit (or its pipes' end) may be waiting, and then it ended in time.
    this.timer = setTimeout(
      () =>
        setImmediate(() => {
          if (finished()) return;
          // the program exited in time but its pipes are still held: past its time, stop waiting for them
          if (!this.hasExited) this.timedOut = true;
          this.end();
          pipes.stopWaiting(() => (this.timedOut = true));
        }),
      Math.min(request.timeoutMs, MAX_TIMER_MS),
    );
    if (request.signal.aborted) this.onAbort();
    request.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The program exited (by itself or killed): no SIGKILL is to follow. */
  exited(): void {
    this.hasExited = true;
    clearTimeout(this.killTimer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.killTimer);
    this.request.signal.removeEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => {
    this.cancelled = true;
    this.end();
    this.pipes.stopWaiting();
  };

  private end(): void {
    const pid = this.pid;
    if (pid === undefined || this.killTimer !== undefined || this.hasExited) return;
    signalGroup(pid, 'SIGTERM');
    this.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs());
  }
}
