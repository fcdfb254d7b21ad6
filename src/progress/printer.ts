import type { ProgressSnapshot } from '../engine/run.js';
import { fitProgressLine } from './fit.js';
import { finalLine, progressLine } from './render.js';

export interface PrinterOptions {
  /** Redraw in place (a terminal) or print plain lines (CI logs). */
  readonly tty: boolean;
  /** Plain mode: least time between two lines. */
  readonly intervalMs: number;
  /** A terminal's width in columns, read at each redraw; the line is cut to fit. */
  readonly columns?: () => number | undefined;
  /** Runs `task` after `ms` without keeping the process alive; returns a cancel. A test passes its own clock. */
  readonly schedule?: (task: () => void, ms: number) => () => void;
}

/** How often a terminal's line is redrawn at most. */
const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[2K';

const unrefTimeout = (task: () => void, ms: number): (() => void) => {
  const timer = setTimeout(task, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The live progress line on stderr: redrawn in place on a terminal (cut to its width, so it never
 * wraps), throttled plain lines elsewhere. Every line is drawn by one pending timer, set by the
 * first change after a draw: never two lines within one interval, and the first line waits for
 * the flows started in the same turn (it counts all six running steps, not the first).
 */
export class ProgressPrinter {
  private lastLine = '';
  private lastPrinted = -Infinity;
  private cancel: (() => void) | undefined;
  private latest: ProgressSnapshot | undefined;
  private readonly started = Date.now();
  private readonly schedule: NonNullable<PrinterOptions['schedule']>;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly options: PrinterOptions,
  ) {
    this.schedule = options.schedule ?? unrefTimeout;
  }

  update = (snapshot: ProgressSnapshot): void => {
    this.latest = snapshot;
    if (this.cancel !== undefined) return;
    const interval = this.options.tty ? REDRAW_MS : this.options.intervalMs;
    const wait = Math.max(0, this.lastPrinted + interval - Date.now());
    this.cancel = this.schedule(() => {
      this.cancel = undefined;
      this.draw();
    }, wait);
  };

  /** The terminal changed width: the line is drawn again to fit. */
  resize = (): void => {
    if (this.options.tty && this.lastLine !== '') this.draw(true);
  };

  /** Prints the last state and the closing line. */
  finish(): void {
    this.cancel?.();
    this.cancel = undefined;
    if (this.latest === undefined) return;
    const line = this.line(this.latest);
    if (this.options.tty) this.out.write(`${CLEAR_LINE}${line}\n`);
    else if (line !== this.lastLine) this.out.write(`${line}\n`);
    this.out.write(`${finalLine(this.latest, Date.now() - this.started)}\n`);
  }

  /** Prints a message above the live line. */
  message(text: string): void {
    if (this.options.tty && this.lastLine !== '') this.out.write(`${CLEAR_LINE}${text}\n${this.lastLine}`);
    else this.out.write(`${text}\n`);
  }

  private draw(again = false): void {
    if (this.latest === undefined) return;
    const line = this.line(this.latest);
    if (line === this.lastLine && !again) return;
    this.lastLine = line;
    this.lastPrinted = Date.now();
    this.out.write(this.options.tty ? `${CLEAR_LINE}${line}` : `${line}\n`);
  }

  /** On a terminal, one column short of its width: a line filling the last column wraps on some terminals. */
  private line(snapshot: ProgressSnapshot): string {
    const columns = this.options.tty ? this.options.columns?.() : undefined;
    return columns === undefined || columns < 2 ? progressLine(snapshot) : fitProgressLine(snapshot, columns - 1);
  }
}
