import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { resultLine, resultLinesName } from '../results/lines.js';
import type { LeafEntry, Shard } from '../model/results.js';
import type { TreeWriter } from '../util/files.js';
import { errorMessage } from '../errors.js';
import { closeQuietly } from '../util/safe-read.js';

/**
 * Appends a leaf's line to the run directory's results.jsonl the moment it ends (results/lines.ts):
 * one write(2) a leaf, no buffer, so `tail -f` shows it at once and a killed run keeps every line
 * written. The stream is a convenience beside the leaves' result.json files: when it cannot be
 * opened (a link planted at its name) or a write fails (a full disk), the run goes on without it,
 * saying so once (`warn`: the file and the error).
 */
export class ResultsStream {
  private fd: number | undefined;
  private path = '';
  private warn: (message: string) => void = () => {};

  constructor(private readonly files: TreeWriter) {}

  /** Opens the shard's stream in the run directory (appending, so a resumed run adds to it). */
  open(runDir: string, shard: Shard, warn: (message: string) => void = () => {}): void {
    this.path = join(runDir, resultLinesName(shard));
    this.warn = warn;
    try {
      this.fd = this.files.tree.append(this.path);
    } catch (error) {
      this.fd = undefined;
      this.given(`cannot be opened (${errorMessage(error)})`);
    }
  }

  add(entry: LeafEntry): void {
    if (this.fd === undefined) return;
    // masked before serialising, as writeJson does: JSON escapes would hide a secret's newlines
    const line = JSON.stringify(this.files.redactor.redactValue(resultLine(entry))) + '\n';
    try {
      writeSync(this.fd, line);
    } catch (error) {
      this.close();
      this.given(`could not be written (${errorMessage(error)})`);
    }
  }

  close(): void {
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
