import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import { runCgroupDir } from './cgroup.js';
import { LAUNCHER_SCRIPT } from './launcher-script.js';
import { signalGroup, type Launch, type StepChild } from './process.js';
import { killTagged, TAG_VARIABLE } from './sweep.js';

/**
 * Starts cmd steps' programs from a small perl process (launcher-script.ts) instead of from Node.
 * Node forks itself for every `spawn` (a plain fork: the kernel copies the page tables of all its
 * memory, the child tears them down again in `exec`), which cost a cmd fan-out more CPU than the
 * shell and the program it starts (issue 27.4); a perl process of a few MB forks for a fraction of
 * that, and the event loop never waits for a child's `exec`. Everything else stays here, in
 * `runProcess`: the process group, step cgroup and tag, the timeout and interrupt, the pipe-holder
 * watch, the stdout cap. The program's stdio are the launcher's pipes, their bytes relayed here as
 * they come. Where there is no perl, or it dies, steps start as before (spawner.ts).
 */

type Start = Parameters<Launch>[0];

const SIGNALS = new Map(Object.entries(constants.signals).map(([name, number]) => [number, name]));
const ERRNOS = new Map(Object.entries(constants.errno).map(([name, number]) => [number, name]));

export class Launcher {
  private readonly process: ChildProcess;
  private readonly starting = new Map<
    number,
    { readonly start: Start; readonly resolve: (child: StepChild | string | undefined) => void }
  >();
  private readonly children = new Map<number, LaunchedChild>();
  private sequence = 0;
  private pending = Buffer.alloc(0);
  private ready = false;
  private dead = false;
  private toldCgroup: string | undefined;

  /** `env`: the launcher's environment, the one every cmd step starts from (no key, no token). */
  constructor(env: Record<string, string>, tag: string, onDeath: () => void) {
    this.process = spawn('perl', ['-e', LAUNCHER_SCRIPT, tag], {
      // perl's own settings (PERL5OPT, PERL_UNICODE, PERLIO, PERL5LIB...) are the steps', not the
      // launcher's: PERL_UNICODE=SDA, say, made every pipe a text one and the launcher die at its
      // first read. Each step gets the whole environment in its start request.
      env: Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PERL'))),
      // a session of its own: a terminal's Ctrl-C is orchestrator's to act on (it cancels the steps)
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.hold(false);
    this.process.stdin?.on('error', () => undefined);
    this.process.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    const gone = (): void => {
      if (this.dead) return;
      this.dead = true;
      onDeath();
      this.failAll();
    };
    // after its exit and the end of its stdout: the frames it wrote before it died are read first
    this.process.once('error', gone).once('close', gone);
  }

  /** Whether perl could be started at all (no perl: `spawn` says so at once). */
  get started(): boolean {
    return this.process.pid !== undefined && !this.dead;
  }

  /**
   * Starts a program: its child once it exec'd, the reason it could not be started, or undefined
   * when the launcher was gone before it took the request (then it was not started).
   */
  readonly launch: Launch = (start) => this.start(start);

  private start(start: Start): Promise<StepChild | string | undefined> {
    if (this.dead) return Promise.resolve(undefined);
    const id = ++this.sequence;
    const cgroup = runCgroupDir();
    if (cgroup !== this.toldCgroup && cgroup !== undefined) this.send('G', 0, Buffer.from((this.toldCgroup = cgroup)));
    const env = Object.entries(start.env).map(([name, value]) => `${name}=${value}`);
    const strings = Buffer.from([start.cwd, start.file, ...start.args, ...env].join('\0'));
    const input = typeof start.input === 'string' ? Buffer.from(start.input) : start.input;
    const counts = Buffer.alloc(16);
    counts.writeUInt32BE(start.args.length, 0);
    counts.writeUInt32BE(env.length, 4);
    counts.writeUInt32BE(strings.length, 8);
    counts.writeUInt32BE(input.length, 12);
    this.hold(true);
    this.send('R', id, Buffer.concat([counts, strings, input]));
    return new Promise((resolve) => this.starting.set(id, { start, resolve }));
  }

  /** Ends the launcher: it kills whatever its steps left running, then exits. */
  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise((resolve) => this.process.once('close', resolve));
    this.hold(true);
    this.process.stdin?.end();
    await exited;
  }

  /**
   * A forced exit: the end of the launcher's stdin, on which it kills every group it started (also
   * of programs it has forked but not yet seen exec, which no one else knows of), the cgroup and
   * the tagged processes, then exits. A SIGKILL would leave those programs to exec unwatched.
   */
  kill(): void {
    this.process.stdin?.destroy();
  }

  /** Closes a program's pipes from the launcher's side. */
  closePipes(id: number): void {
    this.send('K', id, Buffer.alloc(0));
  }

  private send(type: string, id: number, payload: Buffer): void {
    if (this.dead) return;
    const head = Buffer.alloc(9);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(id, 1);
    head.writeUInt32BE(payload.length, 5);
    this.process.stdin?.write(payload.length > 0 ? Buffer.concat([head, payload]) : head);
  }

  private receive(chunk: Buffer): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    while (data.length - at >= 9) {
      const length = data.readUInt32BE(at + 5);
      if (data.length - at - 9 < length) break;
      this.frame(String.fromCharCode(data[at] ?? 0), data.readUInt32BE(at + 1), data.subarray(at + 9, at + 9 + length));
      at += 9 + length;
    }
    data = data.subarray(at);
    // a partial frame is kept as a copy: the chunk it came in is not held for the rest of the run
    this.pending = data.length > 0 ? Buffer.from(data) : Buffer.alloc(0);
  }

  private frame(type: string, id: number, data: Buffer): void {
    if (type === 'Y') this.ready = true;
    else if (type === 'S' || type === 'F') this.started_(type, id, data);
    else this.children.get(id)?.receive(type, data);
  }

  private started_(type: string, id: number, data: Buffer): void {
    const starting = this.starting.get(id);
    if (starting === undefined) return;
    this.starting.delete(id);
    if (type === 'F') {
      this.idle();
      return starting.resolve(`spawn ${starting.start.file} ${ERRNOS.get(data.readUInt32BE(0)) ?? `errno ${data.readUInt32BE(0)}`}`);
    }
    const child = new LaunchedChild(
      data.readUInt32BE(0),
      [data.readUInt32BE(4), data.readUInt32BE(8)],
      () => this.closePipes(id),
      () => {
        this.children.delete(id);
        this.idle();
      },
    );
    this.children.set(id, child);
    starting.resolve(child as unknown as StepChild);
  }

  /** Unref'd while no step waits on it: an idle launcher does not keep the run alive. */
  private idle(): void {
    if (this.starting.size === 0 && this.children.size === 0) this.hold(false);
  }

  /** Whether the launcher (the process and its pipes) keeps this process's event loop alive. */
  private hold(held: boolean): void {
    for (const handle of [this.process, this.process.stdin as Socket | null, this.process.stdout as Socket | null]) {
      if (held) handle?.ref();
      else handle?.unref();
    }
  }

  /**
   * The launcher is gone. A request it may have taken is ended by the step's tag (it may have forked
   * before it died); before it was ready it took none, and those start elsewhere. A running step's
   * group is killed and the step ends as killed, saying why.
   */
  private failAll(): void {
    const how = `the process that starts commands (perl, pid ${this.process.pid ?? '?'}) ended before the command did\n`;
    for (const { start, resolve } of this.starting.values()) {
      const tag = start.env[TAG_VARIABLE];
      if (this.ready && tag !== undefined) killTagged(tag);
      resolve(this.ready ? how.trim() : undefined);
    }
    this.starting.clear();
    for (const child of this.children.values()) child.killed_(how);
    this.children.clear();
  }
}

/** One of a launched program's output pipes, as much of a Socket as runProcess uses. */
class LaunchedPipe extends EventEmitter {
  bytesRead = 0;
  readableEnded = false;
  destroyed = false;

  constructor(private readonly onDestroy: () => void) {
    super();
  }

  push(chunk: Buffer): void {
    if (this.destroyed || this.readableEnded) return;
    this.bytesRead += chunk.length;
    this.emit('data', chunk);
  }

  end(): void {
    if (this.readableEnded) return;
    this.readableEnded = true;
    this.emit('end');
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.onDestroy();
    return this;
  }

  // the relay has no backlog to hold back: output is written to its files as it comes
  pause(): this {
    return this;
  }

  resume(): this {
    return this;
  }
}

/** A program the launcher started, with the events and streams of a ChildProcess that runProcess listens to. */
class LaunchedChild extends EventEmitter {
  readonly stdin = null;
  readonly stdout: LaunchedPipe;
  readonly stderr: LaunchedPipe;
  readonly ends: ReadonlySet<string>;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private closed = false;
  /**
   * What the launcher sent before runProcess listened: the frames that came with the start (output,
   * even the exit) are held until the continuation that awaited the start has attached its listeners.
   */
  private held: [string, Buffer][] | undefined = [];

  constructor(
    readonly pid: number,
    inodes: readonly number[],
    closePipes: () => void,
    private readonly onClose: () => void,
  ) {
    super();
    const pipe = new LaunchedPipe(() => {
      closePipes();
      this.check();
    });
    this.stdout = pipe;
    this.stderr = new LaunchedPipe(() => {
      this.stdout.destroy();
      this.check();
    });
    this.stdout.on('end', () => this.check());
    this.stderr.on('end', () => this.check());
    this.ends = new Set(inodes.map((inode) => `pipe:[${inode}]`));
    setImmediate(() => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const [type, data] of held) this.deliver(type, data);
    });
  }

  receive(type: string, data: Buffer): void {
    if (this.held !== undefined) this.held.push([type, data]);
    else this.deliver(type, data);
  }

  private deliver(type: string, data: Buffer): void {
    if (type === 'O') this.stdout.push(data);
    else if (type === 'E') this.stderr.push(data);
    else if (type === 'o') this.stdout.end();
    else if (type === 'e') this.stderr.end();
    else if (type === 'X') {
      const status = data.readUInt32BE(0);
      const signal = status & 0x7f;
      this.exited(signal === 0 ? status >> 8 : null, signal === 0 ? null : ((SIGNALS.get(signal) ?? 'SIGKILL') as NodeJS.Signals));
    } else if (type === 'killed') {
      signalGroup(this.pid, 'SIGKILL');
      this.stderr.push(data);
      this.stdout.end();
      this.stderr.end();
      this.exited(null, 'SIGKILL');
    }
  }

  /** The launcher died: the program's group is killed, and it ends as killed, saying why on its stderr. */
  killed_(how: string): void {
    this.receive('killed', Buffer.from(how));
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exit !== undefined) return;
    this.exit = { code, signal };
    this.emit('exit', code, signal);
    this.check();
  }

  /** `close` once it exited and both pipes reached their end (or were closed from this side), as Node's. */
  private check(): void {
    const done = (pipe: LaunchedPipe): boolean => pipe.readableEnded || pipe.destroyed;
    if (this.closed || this.exit === undefined || !done(this.stdout) || !done(this.stderr)) return;
    this.closed = true;
    this.onClose();
    this.emit('close', this.exit.code, this.exit.signal);
  }
}
