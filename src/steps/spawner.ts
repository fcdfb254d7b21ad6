import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endCgroup } from './cgroup.js';
import {
  alsoOnKillAll,
  notStarted,
  runProcess,
  signalGroup,
  trackGroup,
  untrackGroup,
  type ProcessRequest,
  type ProcessResult,
} from './process.js';
import { Launcher } from './launcher.js';
import { killTaggedUnder, runTag } from './sweep.js';
import { holdYoungGeneration, SPAWNING_YOUNG_MAX_BYTES } from '../util/young-generation.js';

/**
 * Starts cmd steps' programs from small helper processes (spawner-helper.ts) instead of this one.
 * `spawn` blocks the event loop until the child has exec'd: the fork copies this process's page
 * tables, the child tears them down again, and on a busy machine the child waits for a CPU before it
 * gets there. A cmd fan-out spent most of its main loop there (issue 27.4), with the engine's own
 * work waiting behind it. A helper's fork is smaller, and two helpers wait for two children at once
 * while the engine writes the run tree (measured: one helper gained nothing, three no more than two).
 *
 * Everything a step is guaranteed holds across the hop, since the helper runs the same `runProcess`:
 * process group, step cgroup, timeout and interrupt, the pipe-holder watch, exit code and signal,
 * the stdout cap. This process still tracks each step's process group, the helpers' cgroups and
 * tags (which extend its own), so a forced exit ends them at once. Where no helper can start (the
 * bundles, which do not ship its file), or one dies, steps are started here as before.
 */
const HELPERS = 2;
/**
 * Beside this file: build/steps/ in a clone, the bundle's directory in the npm package and the
 * Action (this code is in one of its chunks, all in that directory), where the bundling script
 * puts a bundle of it.
 */
const HELPER_FILE = join(dirname(fileURLToPath(import.meta.url)), ['spawner-helper', 'js'].join('.'));

export interface RunMessage extends Omit<ProcessRequest, 'stdout' | 'stderr' | 'signal' | 'onSpawn' | 'onStdoutLine' | 'input'> {
  readonly t: 'run';
  readonly id: number;
  readonly input: string | Uint8Array;
}
export type ToHelper = RunMessage | { readonly t: 'abort'; readonly id: number };
export type FromHelper =
  | { readonly t: 'ready' }
  | { readonly t: 'cgroup'; readonly dir: string | undefined }
  | { readonly t: 'pid'; readonly id: number; readonly pid: number }
  | { readonly t: 'out'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly t: 'err'; readonly id: number; readonly chunk: Uint8Array }
  | { readonly t: 'done'; readonly id: number; readonly result: ProcessResult };

/** The spawners of this process, for a forced exit. */
const spawners = new Set<Spawner>();
let hooked = false;
/** Helpers started by this process: each one's tags are its orchestrator's run tag and `.s<n>`. */
let helpersStarted = 0;

export class Spawner {
  private readonly helpers: Helper[] = [];
  /** A helper could not start or died: steps start here for the rest of the run. */
  private inProcess = !existsSync(HELPER_FILE);
  private sequence = 0;
  /** The perl launcher (launcher.ts): undefined before the first step, null where there is none or it died. */
  private launcher: Launcher | null | undefined;

  /** `env`: the helpers' environment, the one every cmd step starts from (no key, no token). */
  constructor(private readonly env: Record<string, string>) {
    spawners.add(this);
    if (hooked) return;
    hooked = true;
    alsoOnKillAll(() => {
      for (const spawner of spawners) spawner.killAll();
    });
  }

  /** `runProcess`, from a helper when there is one. */
  async run(request: ProcessRequest): Promise<ProcessResult> {
    if (request.onSpawn !== undefined || request.onStdoutLine !== undefined) return runProcess(request);
    const launcher = this.theLauncher();
    if (launcher !== null) return runProcess(request, launcher.launch);
    if (this.inProcess) return runProcess(request);
    // codex and setup steps still spawn from here: their forks stay small (young-generation.ts)
    holdYoungGeneration(SPAWNING_YOUNG_MAX_BYTES);
    const helper = this.helper();
    if (helper === undefined) return runProcess(request);
    const result = await helper.run(++this.sequence, request);
    return result ?? runProcess(request);
  }

  /** Ends the launcher and the helpers, which end whatever their steps left (the end of a run). */
  async close(): Promise<void> {
    spawners.delete(this);
    await Promise.all([this.launcher?.close(), ...this.helpers.map((helper) => helper.close())]);
    this.helpers.length = 0;
  }

  /** A forced exit: the launcher, the helpers' cgroups and the helpers themselves, at once (their steps' groups are tracked). */
  killAll(): void {
    this.launcher?.kill();
    for (const helper of this.helpers) helper.kill();
  }

  /** The launcher, started with the first step; null once it could not start or died (then the helpers start steps). */
  private theLauncher(): Launcher | null {
    if (this.launcher === undefined) {
      const launcher = new Launcher(this.env, runTag(), () => (this.launcher = null));
      this.launcher = launcher.started ? launcher : null;
    }
    return this.launcher;
  }

  /** The least busy helper; a new one while all are busy and there are fewer than HELPERS. */
  private helper(): Helper | undefined {
    const idle = this.helpers.reduce<Helper | undefined>((best, h) => (best === undefined || h.busy < best.busy ? h : best), undefined);
    if (idle !== undefined && (idle.busy === 0 || this.helpers.length >= HELPERS)) return idle;
    try {
      const tag = `${runTag()}.s${++helpersStarted}`;
      const child = fork(HELPER_FILE, [tag, String(process.pid)], {
        env: this.env,
        // not this process's flags (an inspector port, a profile): the helper is to stay small; and
        // no inspector on SIGUSR1, which any step could send it (src/util/shelter.ts)
        execArgv: ['--disable-sigusr1'],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const helper = new Helper(child, tag, () => {
        this.inProcess = true;
        this.helpers.splice(this.helpers.indexOf(helper), 1);
      });
      this.helpers.push(helper);
      return helper;
    } catch {
      this.inProcess = true;
      return idle;
    }
  }
}

interface Pending {
  readonly request: ProcessRequest;
  readonly resolve: (result: ProcessResult | undefined) => void;
  pid?: number;
}

/** One helper process and the steps it runs. */
class Helper {
  private readonly pending = new Map<number, Pending>();
  private ready = false;
  private cgroup: string | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    /** The run tag its steps' tags extend (sweep.ts). */
    private readonly tag: string,
    onDeath: () => void,
  ) {
    child.unref();
    child.on('message', (message: FromHelper) => this.receive(message));
    // error: it could not be started; exit and the channel's end: it died (or was ended by close)
    this.exited = new Promise((resolve) => {
      let dead = false;
      let exitedFirst: NodeJS.Timeout | undefined;
      const gone = (): void => {
        if (dead) return;
        dead = true;
        clearTimeout(exitedFirst);
        onDeath();
        this.failAll();
        resolve();
      };
      // its last messages (a step's pid) are read before the channel's end: failed after both, with
      // the channel's end given a moment (it comes with the exit, as no step inherits it)
      child.once('error', gone).once('disconnect', () => {
        if (exitedFirst !== undefined || child.exitCode !== null || child.signalCode !== null) gone();
      });
      child.once('exit', () => {
        if (!child.connected) return gone();
        exitedFirst = setTimeout(gone, 1000);
      });
    });
  }

  get busy(): number {
    return this.pending.size;
  }

  /** The program's result; undefined when the helper died before it took the request (then it is started here). */
  async run(id: number, request: ProcessRequest): Promise<ProcessResult | undefined> {
    // what the helper needs: no sink, no signal, no callback (the spawner runs here those that have one)
    const { stdout, stderr, signal, input, file, args, cwd, env, timeoutMs, sweep, captureStdout } = request;
    const done = new Promise<ProcessResult | undefined>((resolve) => this.pending.set(id, { request, resolve }));
    const onAbort = (): void => this.send({ t: 'abort', id });
    signal.addEventListener('abort', onAbort, { once: true });
    // while a step waits on it, its exit is waited for too: with only the channel held, a helper that
    // died closed it and the run could end (exit 0, no results) before its exit was seen
    this.child.ref();
    this.child.channel?.ref();
    this.send({ t: 'run', id, input, file, args, cwd, env, timeoutMs, sweep, captureStdout });
    if (signal.aborted) onAbort();
    try {
      const result = await done;
      if (result !== undefined) await Promise.all([stdout.end(), stderr.end()]);
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    // the helper ends what its steps left behind, then exits; waited for (it is unref'd while idle)
    this.child.ref();
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  kill(): void {
    if (this.cgroup !== undefined) endCgroup(this.cgroup);
    this.child.kill('SIGKILL');
  }

  private send(message: ToHelper): void {
    if (this.child.connected) this.child.send(message);
  }

  private receive(message: FromHelper): void {
    if (message.t === 'ready') this.ready = true;
    else if (message.t === 'cgroup') this.cgroup = message.dir;
    else {
      const step = this.pending.get(message.id);
      if (step === undefined) return;
      if (message.t === 'pid') trackGroup((step.pid = message.pid));
      else if (message.t === 'out') step.request.stdout.write(asBuffer(message.chunk));
      else if (message.t === 'err') step.request.stderr.write(asBuffer(message.chunk));
      else this.settle(message.id, { ...message.result, stdout: asBuffer(message.result.stdout) });
    }
  }

  private settle(id: number, result: ProcessResult | undefined): void {
    const step = this.pending.get(id);
    if (step === undefined) return;
    this.pending.delete(id);
    if (step.pid !== undefined) untrackGroup(step.pid);
    if (this.pending.size === 0) {
      this.child.channel?.unref();
      this.child.unref();
    }
    step.resolve(result);
  }

  /**
   * The helper is gone. Before it was ready it took no request: each is started here instead. After,
   * each of its steps fails, and what it had started is ended (its groups, its cgroup).
   */
  private failAll(): void {
    const how = `the helper process that starts commands (pid ${this.child.pid ?? '?'}) ended before the command did`;
    if (this.ready && this.cgroup !== undefined) endCgroup(this.cgroup);
    // what it started is ended here, even a step whose pid it had not told yet (by its tag)
    if (this.ready && this.pending.size > 0) killTaggedUnder(this.tag);
    for (const [id, step] of [...this.pending]) {
      if (!this.ready) {
        this.settle(id, undefined);
        continue;
      }
      if (step.pid !== undefined) signalGroup(step.pid, 'SIGKILL');
      // it may well have started: it is said to be ended, and why (not "could not be started")
      this.settle(id, { ...notStarted(undefined), signal: 'SIGKILL', stderrTail: how });
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
