import { join } from 'node:path';
import { resultLine, resultLinesName } from '../results/lines.js';
import type { LeafEntry, Shard } from '../model/results.js';
import type { TreeWriter } from '../util/files.js';
import { errorMessage } from '../errors.js';
import { GatheredWrites } from '../util/gathered.js';
import { closeQuietly } from '../util/safe-read.js';

/**
 * Appends a leaf's line to the run directory's results.jsonl as it ends (results/lines.ts): the
 * lines of the leaves that end in one turn of the event loop are written together when the turn
 * is over (one write(2), not one a leaf), so `tail -f` shows a line as soon as the leaves ending
 * beside it are done, and what a kill takes is at most that turn's lines, whose leaves' result.json
 * files are written already. The stream is a convenience beside the leaves' result.json files: when it cannot be
 * opened (a link planted at its name) or a write fails (a full disk), the run goes on without it,
 * saying so once (`warn`: the file and the error).
 */
export class ResultsStream {
  private fd: number | undefined;
  private path = '';
  private warn: (message: string) => void = () => {};
  /** The lines not written yet (those of this turn; written at once past 64 Ki characters). */
  private lines: GatheredWrites | undefined;
  private scheduled = false;
  /** The lines of a process that exits before its turn ends (a second Ctrl-C) are written on its way out. */
  private readonly onExit = (): void => this.flush();

  constructor(private readonly files: TreeWriter) {}

  /** Opens the shard's stream in the run directory (appending, so a resumed run adds to it). */
  open(runDir: string, shard: Shard, warn: (message: string) => void = () => {}): void {
    this.path = join(runDir, resultLinesName(shard));
    this.warn = warn;
    try {
      this.fd = this.files.tree.append(this.path);
      this.lines = new GatheredWrites(this.fd);
      process.once('exit', this.onExit);
    } catch (error) {
      this.fd = undefined;
      this.given(`cannot be opened (${errorMessage(error)})`);
    }
  }

  add(entry: LeafEntry): void {
    if (this.fd === undefined) return;
    // masked before serialising, as writeJson does: JSON escapes would hide a secret's newlines
    const line = JSON.stringify(this.files.redactor.redactValue(resultLine(entry))) + '\n';
    this.written(() => this.lines?.write(line));
    if (this.scheduled || this.fd === undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Writes the lines gathered so far. */
  flush(): void {
    this.written(() => this.lines?.flush());
  }

  /** Runs a write of the lines; one that fails gives the stream up (closed, said once). */
  private written(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.close();
      this.given(`could not be written (${errorMessage(error)})`);
    }
  }

  close(): void {
    this.flush();
    this.lines = undefined;
    process.off('exit', this.onExit);
    if (this.fd === undefined) return;
    // nothing is lost if the close fails: every line was written as it came
    closeQuietly(this.fd);
    this.fd = undefined;
  }

  /** Says once that the stream was given up; the stream is not opened again, so this is the only time. */
  private given(why: string): void {
    this.warn(
      `${this.path} ${why}: the run goes on without it; each leaf's result.json and the results.json written at the end hold the same results`,
    );
  }
}
