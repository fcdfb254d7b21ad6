/**
 * Writing results.json: streamed from sorted leaf entries, joined with its header, renamed into place;
 * a leaf's long output cut to a pointer at its file.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * streaming: the entries go to a temporary file while they are counted, then header and entries
 * are joined, then renamed into place, so a reader never sees a partial file and a million leaves
 * never sit in memory. It gives the event loop a turn every few hundred entries, so a signal
 * handler can run (and exit) while a large run is being written.
 */
export async function writeResults(path: string, header: ResultsHeader, items: Iterable<ResultItem>): Promise<Totals> {
  const body = `${path}.${process.pid}.flows.tmp`;
  const temporary = `${path}.${process.pid}.tmp`;
  // a second signal exits mid-write: leave no temporary files behind
  const cleanUp = (): void => {
    try {
      rmSync(body, { force: true });
      rmSync(temporary, { force: true });
    } catch {
      // the directory is gone or not one (ENOTDIR): there is nothing to clean, and the write's own error tells
    }
  };
  process.once('exit', cleanUp);
  try {
    return await writeJoined(path, body, temporary, header, items);
  } finally {
    process.off('exit', cleanUp);
    cleanUp();
  }
}

async function writeJoined(
  path: string,
  body: string,
  temporary: string,
  header: ResultsHeader,
  items: Iterable<ResultItem>,
): Promise<Totals> {
  const counter = new TotalsCounter();
  const notStarted: NotStarted[] = [];
  // created afresh (O_EXCL | O_NOFOLLOW) in a directory checked with lstat: a link planted at one
  // of these names is refused, not written through
  const tree = new SafeTree(dirname(path));
  const fd = tree.create(body);
  const entries = new GatheredWrites(fd);
  let first = true;
  let count = 0;
  const maxOutput = resultsOutputChars();
  try {
    for (const item of items) {
      if (++count % BREATHE_EVERY === 0) await breathe();
      counter.add(item);
      if (isNotStarted(item)) {
        notStarted.push(item);
        continue;
      }
      const text = JSON.stringify(cutOutput(item, maxOutput), null, 2).replaceAll('\n', '\n    ');
      entries.write(`${first ? '' : ',\n'}    ${text}`);
      first = false;
    }
    entries.flush();
  } finally {
    closeSync(fd);
  }
  const totals = counter.totals(header.flows_total);
  const head = JSON.stringify(
    { schema: 1, run_id: header.run_id, shard: header.shard, ...totals, after: header.after ?? null, flows: [] },
    null,
    2,
  );
  const [before] = head.split('"flows": []');
  const ranges = notStarted.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  // the entries are copied through one buffer: piping streams leaves each chunk read as garbage for
  // the collector, which for 100,000 leaves was 60 MB of the run's peak memory
  const out = tree.create(temporary);
  try {
    writeSync(out, `${before}"flows": [${first ? '' : '\n'}`);
    const input = openSync(body, 'r');
    try {
      const buffer = Buffer.allocUnsafe(COPY_BUFFER);
      for (let n; (n = readSync(input, buffer, 0, COPY_BUFFER, null)) > 0;) {
        writeSync(out, buffer, 0, n);
        await breathe();
      }
    } finally {
      closeSync(input);
    }
    writeSync(out, `${first ? '' : '\n  '}],\n  "not_started": [${ranges ? `\n${ranges}\n  ` : ''}]\n}\n`);
  } finally {
    closeSync(out);
  }
  tree.rename(temporary, path);
  return totals;
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
