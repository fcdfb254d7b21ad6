import type { ProgressSnapshot } from '../engine/run.js';
import { finalLine, progressLine } from './render.js';

export interface PrinterOptions {
  /** Redraw in place (a terminal) or print plain lines (CI logs). */
  readonly tty: boolean;
  /** Plain mode: least time between two lines. */
  readonly intervalMs: number;
}

/** The live progress line on stderr: redrawn on a terminal, throttled plain lines elsewhere. */
export class ProgressPrinter {
  private lastLine = '';
  private lastPrinted = 0;
  private pending: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private latest: ProgressSnapshot | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly options: PrinterOptions,
  ) {}

  update = (snapshot: ProgressSnapshot): void => {
    this.latest = snapshot;
    const line = progressLine(snapshot);
    if (line === this.lastLine && this.pending === undefined) return;
    const wait = (this.options.tty ? 100 : this.options.intervalMs) - (Date.now() - this.lastPrinted);
    if (wait <= 0) {
      this.print(line);
    } else {
      this.pending = line;
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        if (this.pending !== undefined) this.print(this.pending);
      }, wait);
      this.timer.unref();
    }
  };

  /** Prints the last state and the closing line. */
  finish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.latest === undefined) return;
    const line = progressLine(this.latest);
    if (this.options.tty) this.out.write(`\r\x1b[2K${line}\n`);
    else if (line !== this.lastLine) this.out.write(`${line}\n`);
    this.out.write(`${finalLine(this.latest, Date.now() - this.started)}\n`);
  }

  /** Prints a message above the live line. */
  message(text: string): void {
    if (this.options.tty && this.lastLine !== '') this.out.write(`\r\x1b[2K${text}\n${this.lastLine}`);
    else this.out.write(`${text}\n`);
  }

  private print(line: string): void {
    this.pending = undefined;
    this.lastLine = line;
    this.lastPrinted = Date.now();
    this.out.write(this.options.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}
