import { closeSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AfterResult, ResultItem } from '../model/results.js';
import { GatheredWrites } from '../util/gathered.js';
import { closeQuietly } from '../util/safe-read.js';
import { SafeTree } from '../util/safe-tree.js';
import { REPORT_HTML } from './html-file.js';
import { HtmlRows } from './html-rows.js';
import { pageAround, scriptJson, type PageMeta, type TextLoader } from './html.js';

/**
 * A run's report.html made a leaf at a time, as its leaves come in results order (a run adds them
 * as they end): the table's rows and the texts' blocks wait in two files of their own, created in
 * the run directory and unlinked at once (no step can reach them by a path), until write() puts
 * the page together around them.
 */
export class RunReportRows {
  private rows: HtmlRows | undefined;
  private after: unknown = null;
  private count = 0;
  private readonly rowsOut: GatheredWrites;
  private readonly blocksOut: GatheredWrites;

  private constructor(
    private readonly runDir: string,
    private readonly fds: readonly [rows: number, blocks: number],
  ) {
    this.rowsOut = new GatheredWrites(fds[0]);
    this.blocksOut = new GatheredWrites(fds[1]);
  }

  static open(tree: SafeTree, runDir: string): RunReportRows {
    const fds: number[] = [];
    try {
      for (const part of ['rows', 'blocks']) {
        const path = join(runDir, `${REPORT_HTML}.${process.pid}.${part}.tmp`);
        tree.removeFile(path);
        fds.push(tree.create(path, { read: true }));
        tree.removeFile(path);
      }
    } catch (error) {
      for (const fd of fds) closeSync(fd);
      throw error;
    }
    return new RunReportRows(runDir, [fds[0]!, fds[1]!]);
  }

  /** Before the first leaf: the after steps' row (its texts come out of the budget first), and where step texts come from. */
  start(after: AfterResult | null, load: TextLoader): void {
    const emit = (block: string): void => this.blocksOut.write(block);
    this.rows = new HtmlRows({ load, emit }, (row) => this.rowsOut.write(`${this.count++ === 0 ? '' : ','}${scriptJson(row)}`));
    this.after = after ? this.rows.after(after) : null;
  }

  get started(): boolean {
    return this.rows !== undefined;
  }

  add(leaf: ResultItem): void {
    this.rows!.add(leaf);
  }

  /** Writes report.html (through a temporary file and a rename); returns its path. */
  write(meta: PageMeta): string {
    this.rowsOut.flush();
    this.blocksOut.flush();
    const path = join(this.runDir, REPORT_HTML);
    const temporary = `${path}.${process.pid}.tmp`;
    // steps can write into the run directory: a link planted at the temporary path is removed, not
    // followed, and one at report.html is replaced by the rename
    const tree = new SafeTree(this.runDir);
    tree.removeFile(temporary);
    const fd = tree.create(temporary);
    try {
      const page = pageAround(meta, this.after, this.rows!);
      writeSync(fd, page.head);
      copyFrom(this.fds[0], fd);
      writeSync(fd, page.middle);
      copyFrom(this.fds[1], fd);
      writeSync(fd, page.end);
    } catch (error) {
      closeSync(fd);
      tree.removeFile(temporary);
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, path);
    return path;
  }

  close(): void {
    for (const fd of this.fds) closeQuietly(fd);
  }
}

/** Appends all of `input` (a file of ours, read from its start) to `fd`, a buffer at a time. */
function copyFrom(input: number, fd: number): void {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let at = 0, n; (n = readSync(input, buffer, 0, buffer.length, at)) > 0; at += n) writeSync(fd, buffer, 0, n);
}
