/**
 * Writing results.json: streamed from sorted leaf entries, joined with its header, renamed into place;
 * a leaf's long output cut to a pointer at its file.
 */
import { closeSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  isNotStarted,
  type AfterResult,
  type LeafEntry,
  type NotStarted,
  type ResultItem,
  type Shard,
  type Totals,
} from '../model/results.js';
import { GatheredWrites } from '../util/gathered.js';
import { SafeTree } from '../util/safe-tree.js';
import { TotalsCounter } from './results.js';

const COPY_BUFFER = 1 << 20;

export interface ResultsHeader {
  readonly run_id: string;
  readonly shard: Shard;
  readonly flows_total: number;
  /** The after steps' result; null (the default) when the config has none or this is one shard of several. */
  readonly after?: AfterResult | null;
}

/** Lets signals and timers in between long synchronous work: a second Ctrl-C must be able to end the process. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const BREATHE_EVERY = 256;

/**
 * Writes results.json from leaf entries (and ranges of never-started leaves) given in sorted order,
 * streaming: the entries go to a body file while they are counted, then header and entries are
 * joined, then renamed into place, so a reader never sees a partial file and a million leaves never
 * sit in memory. It gives the event loop a turn every few hundred entries, so a signal handler can
 * run (and exit) while a large run is being written.
 */
export async function writeResults(path: string, header: ResultsHeader, items: Iterable<ResultItem>): Promise<Totals> {
  const body = ResultsBody.open(dirname(path));
  try {
    let count = 0;
    for (const item of items) {
      if (++count % BREATHE_EVERY === 0) await breathe();
      body.add(item);
    }
    return await body.writeTo(path, header);
  } finally {
    body.close();
  }
}

/**
 * The entries of results.json as they are given, in results order, counted: written to a file of
 * their own, created in `dir` and unlinked at once (no step can reach it by a path, and nothing is
 * left behind), then joined with the header they make (writeTo). A run adds its leaves as they end.
 */
export class ResultsBody {
  private readonly counter = new TotalsCounter();
  private readonly notStarted: NotStarted[] = [];
  private readonly entries: GatheredWrites;
  private first = true;
  private readonly maxOutput = resultsOutputChars();
  /** A write that failed (a full disk): writeTo throws it. */
  private failure: Error | undefined;

  private constructor(
    private readonly dir: string,
    private fd: number | undefined,
  ) {
    this.entries = new GatheredWrites(fd ?? -1);
  }

  /** In `dir` (results.json's); created with O_EXCL | O_NOFOLLOW in a directory checked with lstat: a link planted at its name is refused. */
  static open(dir: string): ResultsBody {
    const tree = new SafeTree(dir);
    const path = join(dir, `results.json.${process.pid}.flows.tmp`);
    tree.removeFile(path);
    const fd = tree.create(path, { read: true });
    try {
      tree.removeFile(path);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new ResultsBody(dir, fd);
  }

  /**
   * Adds the next item; `text`: a leaf's entry as entryText makes it, when the caller has it
   * (a leaf's result.json as written, indented: run-results.ts).
   */
  add(item: ResultItem, text?: string): void {
    this.counter.add(item);
    if (isNotStarted(item)) {
      this.notStarted.push(item);
      return;
    }
    if (this.failure !== undefined) return;
    try {
      this.entries.write(`${this.first ? '' : ',\n'}    ${text ?? entryText(item, this.maxOutput)}`);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
    this.first = false;
  }

  /** Writes results.json at `path` (in the body's directory): the header the entries make, then them; their totals. */
  async writeTo(path: string, header: ResultsHeader): Promise<Totals> {
    if (this.failure === undefined) this.entries.flush();
    if (this.failure !== undefined) throw this.failure;
    const totals = this.counter.totals(header.flows_total);
    const head = JSON.stringify(
      { schema: 1, run_id: header.run_id, shard: header.shard, ...totals, after: header.after ?? null, flows: [] },
      null,
      2,
    );
    const [before] = head.split('"flows": []');
    const ranges = this.notStarted.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
    // created afresh (O_EXCL | O_NOFOLLOW): a link planted at this name is refused, not written through
    const temporary = `${path}.${process.pid}.tmp`;
    const tree = new SafeTree(this.dir);
    const cleanUp = (): void => {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // the directory is gone or not one (ENOTDIR): there is nothing to clean, and the write's own error tells
      }
    };
    // a second signal exits mid-write: leave no temporary file behind
    process.once('exit', cleanUp);
    try {
      const out = tree.create(temporary);
      try {
        writeSync(out, `${before}"flows": [${this.first ? '' : '\n'}`);
        await this.copyInto(out);
        writeSync(out, `${this.first ? '' : '\n  '}],\n  "not_started": [${ranges ? `\n${ranges}\n  ` : ''}]\n}\n`);
      } finally {
        closeSync(out);
      }
      tree.rename(temporary, path);
    } finally {
      process.off('exit', cleanUp);
      cleanUp();
    }
    return totals;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * The entries copied through one buffer: piping streams leaves each chunk read as garbage for the
   * collector, which for 100,000 leaves was 60 MB of the run's peak memory.
   */
  private async copyInto(out: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(COPY_BUFFER);
    for (let at = 0, n; (n = readSync(this.fd!, buffer, 0, COPY_BUFFER, at)) > 0; at += n) {
      writeSync(out, buffer, 0, n);
      await breathe();
    }
  }
}

/** A leaf's entry as results.json holds it (indented to its place in `flows`): its output cut to `max` characters. */
export function entryText(entry: LeafEntry, max = resultsOutputChars()): string {
  return JSON.stringify(cutOutput(entry, max), null, 2).replaceAll('\n', '\n    ');
}

/**
 * The most characters of one leaf's output results.json holds: a longer one is cut there, with
 * `output_cut` saying how long it is and which file holds it whole (ORCHESTRATOR_RESULTS_OUTPUT_CHARS
 * changes it, for tests). The summary shows a first line and the comment a few thousand characters.
 */
export const resultsOutputChars = (): number => {
  const set = Number(process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS);
  return Number.isSafeInteger(set) && set > 0 ? set : 8192;
};

/** `entry` as results.json holds it: its output cut to resultsOutputChars(), with a pointer to its file. */
export function cutOutput(entry: LeafEntry, max = resultsOutputChars()): LeafEntry {
  if (entry.output === null || entry.output.length <= max || entry.output_cut !== undefined) return entry;
  // the output is the last step's that succeeded (an array step's, for one of its elements)
  const last = [...entry.steps].reverse().find((s) => s.status === 'succeeded');
  if (last === undefined) return entry;
  const file = `${last.dir}/${/(^|\/)codex_exec_\d+$/.test(last.dir) ? 'final_message.txt' : 'output.txt'}`;
  // not half a surrogate pair
  const end = /[\ud800-\udbff]/.test(entry.output.charAt(max - 1)) ? max - 1 : max;
  return { ...entry, output: entry.output.slice(0, end), output_cut: { chars: entry.output.length, file } };
}
