import { lstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { stepDirName } from '../results/paths.js';
import { isNotStarted, type ResultItem, type Totals } from '../model/results.js';
import { REPORT_HTML } from '../report/html-file.js';
import { readAllStartedHeader } from '../results/results-file.js';
import type { PreparedRun } from './prepare.js';
import { closeQuietly, readRegular, readUnder } from '../util/safe-read.js';
import { temporaryPath, type SafeTree } from '../util/safe-tree.js';
import type { Previous } from './fingerprint.js';
import { outputFile, type Fingerprinter } from './resume.js';

/**
 * The index of finished flows a run keeps beside them, so `--resume` over a finished run does not
 * read every flow's result.json and step.json back: one line per flow that succeeded,
 * `{"id":"flow_0001","fp":["<step 1's fingerprint>", ...],"st":[<size>, <mtime ms>, ...]}`,
 * appended as flows finish. `st` stamps the flow's directory and result.json (stampOf): a flow whose
 * files were removed or rewritten since (by a step of another flow, say) is not vouched for, and is
 * read from disk instead.
 *
 * Kept only for configs without array steps (a flow is then one leaf) and written through a
 * temporary file that becomes the index only once the run's results were read back from disk and
 * every flow the index lists was found there as succeeded; a resume reads it and removes it before
 * anything runs, so a crash mid-way leaves no index that could vouch for a flow run again since.
 * A missing, unreadable or disagreeing index (a line that does not parse, a fingerprint that is not
 * the one the step would be made under now) makes resume read that flow's files, as without one.
 *
 * Trust: the index is in the run directory, which steps can write into, like the result.json and
 * step.json files resume trusted before: a step that forges a line (or those files) can make resume
 * skip a flow. It is no weaker than they are (their fingerprints are as easy to forge), and the
 * flows it vouches for are still read when results.json is written at the end: a flow the index
 * vouched for that is not a succeeded leaf on disk costs the index (the next resume reads every
 * flow) and shows in results.json as it is on disk.
 */
export const leafIndexName = (shard: { index: number; count: number }): string => `leaves-${shard.index}-of-${shard.count}.jsonl`;

/** The largest index read: about 100 bytes a flow, so a few million flows; a larger file is not ours. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;
const FLUSH_BYTES = 64 * 1024;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/** What the index holds of a flow: its steps' fingerprints, and the stamp of its files (stampOf). */
export interface IndexLine {
  readonly fp: readonly string[];
  readonly st: readonly number[];
}

/** Numbers in a stamp: size and modification time of the flow's directory, then of its result.json. */
const STAMP_LENGTH = 4;

/**
 * The stamp of a flow's files: size and modification time of its directory (which change when an
 * entry of it is added, removed or renamed: a step directory removed, result.json replaced) and of
 * its result.json (which change when it is rewritten in place); undefined when either is missing or
 * not what it should be. Two lstat calls a flow, by path, when it ends and on resume: a file
 * rewritten in place inside a step directory is not seen (a later step's fingerprint, made from the
 * output it reads, still is). Only metadata is looked at: a directory swapped for a link on the way
 * makes a stamp of another file, which matches only when forged, as the line itself can be.
 */
export function stampOf(runDir: string, flowId: string): number[] | undefined {
  const flowDir = `${runDir}/${flowId}`;
  const dir = lstatSync(flowDir, { throwIfNoEntry: false });
  if (dir?.isDirectory() !== true) return undefined;
  const leaf = lstatSync(`${flowDir}/result.json`, { throwIfNoEntry: false });
  if (leaf?.isFile() !== true) return undefined;
  return [dir.size, dir.mtimeMs, leaf.size, leaf.mtimeMs];
}

const sameStamp = (a: readonly number[], b: readonly number[] | undefined): boolean =>
  b !== undefined && a.length === b.length && a.every((n, i) => n === b[i]);

/** Flow id -> what the index an earlier attempt left holds of it; undefined when there is none. */
export function readLeafIndex(path: string, steps: number): Map<string, IndexLine> | undefined {
  let text: string;
  try {
    const { bytes, size } = readRegular(path, { maxBytes: MAX_INDEX_BYTES });
    if (bytes.length < size) return undefined;
    text = bytes.toString('utf8');
  } catch {
    return undefined;
  }
  const vouched = new Map<string, IndexLine>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const { id, fp, st } = (value ?? {}) as { id?: unknown; fp?: unknown; st?: unknown };
    if (typeof id !== 'string' || !/^flow_\d{1,12}$/.test(id)) continue;
    if (!Array.isArray(fp) || fp.length !== steps || !fp.every((f) => typeof f === 'string' && FINGERPRINT.test(f))) continue;
    // a line without a stamp (an index written before stamps) vouches for nothing
    if (!Array.isArray(st) || st.length !== STAMP_LENGTH || !st.every((n) => typeof n === 'number')) continue;
    vouched.set(id, { fp: fp as string[], st: st });
  }
  return vouched;
}

/**
 * Whether the index vouches for a flow: its files are as they were when it ended (their stamp is
 * the one the index holds), and each step's fingerprint now (from the step before it's saved
 * output, read from its directory) is the one the index holds. Only the outputs of steps a later
 * step starts from are read, so a one-step flow costs no read, only the stamp's lstat calls.
 */
export function vouches(
  steps: readonly Step[],
  runDir: string,
  flowId: string,
  line: IndexLine,
  fingerprintOf: Fingerprinter,
): Previous | undefined {
  if (!sameStamp(line.st, stampOf(runDir, flowId))) return undefined;
  const prints = line.fp;
  let previous: Previous | undefined;
  for (const [i, step] of steps.entries()) {
    let fingerprint: string;
    try {
      fingerprint = fingerprintOf(step, previous);
    } catch {
      return undefined;
    }
    if (fingerprint !== prints[i]) return undefined;
    if (i + 1 === steps.length) return { output: '', fingerprint };
    const read = readUnder(runDir, `${flowId}/${stepDirName(step)}/${outputFile(step)}`);
    if (read === undefined || read.bytes.length < read.size) return undefined;
    previous = { output: read.bytes.toString('utf8'), bytes: read.bytes, fingerprint };
  }
  return undefined;
}

/** Writes the index of this attempt: lines as flows finish, made the index by `finish` once checked against the leaves on disk. */
export class LeafIndexWriter {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  /** Flow indexes (from the first of the range) listed, and those found succeeded on disk. */
  private readonly listed: Uint8Array;
  private readonly found: Uint8Array;
  private readonly temporary: string;
  /** A write failed: this attempt leaves no index. */
  private failed = false;

  constructor(
    private readonly tree: SafeTree,
    private readonly path: string,
    private readonly first: number,
    count: number,
    /** The run directory, where a flow's files are stamped. */
    private readonly runDir: string,
  ) {
    this.listed = new Uint8Array(count);
    this.found = new Uint8Array(count);
    this.temporary = temporaryPath(path);
    try {
      // created afresh (O_EXCL | O_NOFOLLOW): a link planted at the name is refused, not followed
      this.fd = tree.create(this.temporary);
    } catch {
      this.fd = undefined; // no index this time: the next resume reads the flows
    }
  }

  /**
   * A flow (its index in the run, its id) that succeeded, with its steps' fingerprints and the
   * stamp of its files: `stamp` when just checked (a flow vouched for), else taken now. A flow
   * whose files cannot be stamped is not listed.
   */
  add(index: number, id: string, prints: readonly string[], stamp?: readonly number[]): void {
    if (this.fd === undefined) return;
    const st = stamp ?? stampOf(this.runDir, id);
    if (st === undefined) return;
    this.listed[index - this.first] = 1;
    const line = `${JSON.stringify({ id, fp: prints, st })}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Notes a result read back from disk for results.json: a succeeded flow of one leaf is what a line may vouch for. */
  saw(item: ResultItem, indexOf: (id: string) => number): void {
    if (isNotStarted(item) || item.status !== 'succeeded' || item.branch.length > 0) return;
    const i = indexOf(item.id) - this.first;
    if (i >= 0 && i < this.found.length) this.found[i] = 1;
  }

  /**
   * Makes the index the run's when every flow it lists was read back as succeeded (or, `trusted`,
   * when it lists only flows the earlier index vouched for and nothing was read back); else leaves none.
   */
  finish(trusted = false): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
    } finally {
      this.close();
    }
    let agrees = !this.failed;
    for (let i = 0; agrees && !trusted && i < this.listed.length; i++) if (this.listed[i] === 1 && this.found[i] !== 1) agrees = false;
    try {
      if (agrees) this.tree.rename(this.temporary, this.path);
      else this.tree.removeFile(this.temporary);
    } catch {
      // no index: the next resume reads the flows
    }
  }

  /** Drops the index of this attempt (the run stopped before its results were written). */
  abandon(): void {
    this.failed = true;
    this.close();
    try {
      this.tree.removeFile(this.temporary);
    } catch {
      // gone already
    }
  }

  private flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    try {
      writeSync(this.fd, this.pending.join(''));
    } catch {
      this.abandon(); // a full disk: no index this time
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private close(): void {
    if (this.fd === undefined) return;
    closeQuietly(this.fd);
    this.fd = undefined;
  }
}

/** The index's path in a run directory. */
export const leafIndexPath = (runDir: string, shard: { index: number; count: number }): string => join(runDir, leafIndexName(shard));

/** With configs without array steps: the earlier attempt's index (with --resume; read, then removed) and this attempt's writer. */
export function startLeafIndex(
  prepared: PreparedRun,
  tree: SafeTree,
): { vouched: Map<string, IndexLine> | undefined; writer: LeafIndexWriter } | undefined {
  if (prepared.config.steps.some((s) => s.array)) return undefined;
  const path = leafIndexPath(prepared.runDir, prepared.shard);
  let vouched: Map<string, IndexLine> | undefined;
  if (prepared.options.resume) {
    vouched = readLeafIndex(path, prepared.config.steps.length);
    try {
      tree.removeFile(path);
    } catch {
      vouched = undefined; // it cannot be removed: it is not used either
    }
  }
  const { runDir, range } = prepared;
  return { vouched, writer: new LeafIndexWriter(tree, path, range.from, range.to - range.from, runDir) };
}

/**
 * When the earlier attempt's index vouched for every flow (so none ran) and its results.json says
 * each succeeded: that file's totals, so results.json and report.html stay as they are instead of
 * every leaf being read again. Undefined whenever anything may differ: codex final messages to
 * list, one leaf only, a results.json of another run, shard or size, one not ending as a whole
 * file does (its entries are not read: readAllStartedHeader), or no report.html.
 */
export function unchangedTotals(prepared: PreparedRun, resultsPath: string, total: number): Totals | undefined {
  if (total < 2 || prepared.config.steps.some((s) => s.kind === 'codex')) return undefined;
  try {
    const header = readAllStartedHeader(resultsPath);
    const same =
      header.run_id === prepared.runId &&
      header.shard.index === prepared.shard.index &&
      header.shard.count === prepared.shard.count &&
      header.flows_total === total &&
      header.succeeded === total &&
      lstatSync(join(prepared.runDir, REPORT_HTML)).isFile();
    return same ? header : undefined;
  } catch {
    return undefined;
  }
}
