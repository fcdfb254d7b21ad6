import type { ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { maxOutputBytes } from './limits.js';

const STDERR_TAIL = 4096;

/** Where one of a program's streams goes: a file (masked, `RedactingStream`), or the spawner's channel. */
export interface ByteSink {
  write(chunk: Buffer | string): void;
  end(): Promise<void>;
  /**
   * A sink that passes chunks on asynchronously (a spawner helper's, over IPC): when it holds more
   * than it should, the program's pipe is not read (the program waits on its write) until `drained`.
   */
  readonly backlog?: { full(): boolean; drained(): Promise<void> };
}

/** Stops reading `stream` while `sink` is full: a program that floods its output waits, memory does not grow. */
function heldBy(stream: Readable, sink: ByteSink): void {
  const backlog = sink.backlog;
  if (backlog === undefined || !backlog.full()) return;
  stream.pause();
  void backlog.drained().then(() => stream.resume());
}

/** Where a program's output goes: files (masked), stdout kept in memory when asked, lines as they come. */
export interface OutputSinks {
  readonly stdout: ByteSink;
  readonly stderr: ByteSink;
  /** Keep stdout in memory too (cmd steps: it is the output), up to `maxOutputBytes()`. */
  readonly captureStdout: boolean;
  readonly onStdoutLine?: (line: string) => void;
}

/** What a program wrote, as a process result carries it. */
export interface CollectedOutput {
  /** What the program wrote on stdout, byte for byte (when captured and not over the cap). */
  readonly stdout: Buffer;
  /** Bytes written on stdout in all, captured or not. */
  readonly stdoutBytes: number;
  /** Set when stdout was captured and went past `maxOutputBytes()`: `stdout` is then incomplete. */
  readonly stdoutCap: number | undefined;
  /** The last few KiB of stderr, for error messages. */
  readonly stderrTail: string;
}

/** Reads a program's stdout and stderr into their files, stdout into memory up to the cap, and its lines. */
export class OutputCollector {
  private readonly cap = maxOutputBytes();
  private readonly chunks: Buffer[] = [];
  private captured = 0;
  private stdoutBytes = 0;
  private overCap = false;
  private readonly decoder = new StringDecoder('utf8');
  private lineBuffer = '';
  private stderrTail = Buffer.alloc(0);

  constructor(private readonly sinks: OutputSinks) {}

  attach(child: ChildProcess): void {
    const { stdout, stderr } = child;
    stdout?.on('data', (chunk: Buffer) => {
      this.onStdout(chunk);
      heldBy(stdout, this.sinks.stdout);
    });
    stderr?.on('data', (chunk: Buffer) => {
      this.sinks.stderr.write(chunk);
      this.stderrTail = Buffer.concat([this.stderrTail, chunk.subarray(-STDERR_TAIL)]).subarray(-STDERR_TAIL);
      heldBy(stderr, this.sinks.stderr);
    });
  }

  /** Passes on the last line, when stdout did not end with a newline. */
  flushLines(): void {
    if (!this.sinks.onStdoutLine) return;
    this.lineBuffer += this.decoder.end();
    if (this.lineBuffer !== '') this.sinks.onStdoutLine(this.lineBuffer);
  }

  result(): CollectedOutput {
    return {
      stdout: this.overCap ? Buffer.alloc(0) : Buffer.concat(this.chunks),
      stdoutBytes: this.stdoutBytes,
      stdoutCap: this.overCap ? this.cap : undefined,
      stderrTail: this.stderrTail.toString('utf8'),
    };
  }

  private onStdout(chunk: Buffer): void {
    this.sinks.stdout.write(chunk);
    this.stdoutBytes += chunk.length;
    if (this.sinks.captureStdout && !this.overCap) {
      if (this.captured + chunk.length > this.cap) this.overCap = true;
      else {
        this.chunks.push(chunk);
        this.captured += chunk.length;
      }
    }
    const onLine = this.sinks.onStdoutLine;
    if (onLine) {
      this.lineBuffer += this.decoder.write(chunk);
      let newline: number;
      while ((newline = this.lineBuffer.indexOf('\n')) >= 0) {
        onLine(this.lineBuffer.slice(0, newline));
        this.lineBuffer = this.lineBuffer.slice(newline + 1);
      }
      // one line longer than any output may be: not an event worth reading, and a string has a limit
      if (this.lineBuffer.length > this.cap) this.lineBuffer = '';
    }
  }
}
