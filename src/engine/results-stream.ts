import { closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { resultLine, resultLinesName } from '../results/lines.js';
import type { LeafEntry, Shard } from '../model/results.js';
import type { TreeWriter } from '../util/files.js';

/**
 * Appends a leaf's line to the run directory's results.jsonl the moment it ends (results/lines.ts):
 * one write(2) a leaf, no buffer, so `tail -f` shows it at once and a killed run keeps every line
 * written. The stream is a convenience beside the leaves' result.json files: when it cannot be
 * opened (a link planted at its name) or a write fails (a full disk), the run goes on without it.
 */
export class ResultsStream {
  private fd: number | undefined;

  constructor(private readonly files: TreeWriter) {}

  /** Opens the shard's stream in the run directory (appending, so a resumed run adds to it). */
  open(runDir: string, shard: Shard): void {
    try {
      this.fd = this.files.tree.append(join(runDir, resultLinesName(shard)));
    } catch {
      this.fd = undefined;
    }
  }

  add(entry: LeafEntry): void {
    if (this.fd === undefined) return;
    // masked before serialising, as writeJson does: JSON escapes would hide a secret's newlines
    const line = JSON.stringify(this.files.redactor.redactValue(resultLine(entry))) + '\n';
    try {
      writeSync(this.fd, line);
    } catch {
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // nothing is lost: every line was written as it came
    }
  }
}
