import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { pipeHolders, type PipeHolder } from './pipe-holders.js';

/**
 * How long after the program exited (or was killed) its pipes may stay open before we look for who
 * holds them, in ms. Whatever the program wrote is read to the end of file however late the event
 * loop gets to it; what keeps a pipe open past that is a process that left the group
 * (`setsid cmd &`), which no group signal reaches and which could hold the step for as long as it lives.
 */
export const PIPE_GRACE_MS = 1000;

/** Polls for I/O a step past its time still gets to read what its pipes hold, while data still comes. */
const FORCED_LOOKS = 50;

/** `pid 123 (sleep 1000), pid 124 (…)`, for messages. */
export function describeHolders(holders: readonly PipeHolder[]): string {
  return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}

/** The note a step's stderr gets when its pipes outlived the program (empty when they did not). */
export function heldPipesNote(holders: readonly PipeHolder[], unseen: boolean): string {
  if (holders.length > 0) {
    return (
      `\norchestrator: the command had exited, but ${holders.length === 1 ? 'a process' : 'processes'} it started outside its ` +
      `process group still held its stdout/stderr open ${PIPE_GRACE_MS} ms later: killed ${describeHolders(holders)}; ` +
      'what was written before was read to the end\n'
    );
  }
  if (unseen) {
    return (
      `\norchestrator: the command had exited, but its stdout/stderr were still held open ${PIPE_GRACE_MS} ms later by a ` +
      'process that could not be found (no /proc, or not visible to this user): read what had been written, then stopped reading them\n'
    );
  }
  return '';
}

/**
 * Watches a program's stdout and stderr once the program has exited, until both reach end of file.
 * Every PIPE_GRACE_MS it looks, after a poll for I/O, for processes the step started outside the
 * program's group that hold them, and kills those (end of file follows their end). When none can be found and the
 * last poll read nothing, nothing written is left unread: the pipes are closed from this side.
 */
export class PipeWatch {
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
