import { lstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { stepDirName } from '../results/paths.js';
import { isNotStarted, type ResultItem, type Totals } from '../model/results.js';
import { REPORT_HTML } from '../report/html-file.js';
import { readAllStartedHeader } from '../results/results-file.js';
import type { PreparedRun } from './prepare.js';
import { closeQuietly, readUnder } from '../util/safe-read.js';
import { temporaryPath, type SafeTree } from '../util/safe-tree.js';
import type { Previous } from './fingerprint.js';
import { outputFile, type Fingerprinter } from './resume.js';
import { CheckedLines } from './leaf-checks.js';
import { endEarlyChecks, readIndexFile, takeEarlyChecks } from './early-checks.js';
import { flowId } from '../flows/flows.js';
import { fingerprintAt, indexLine, inputsLine, leafIndexName, printIn, stampOf, type IndexLine } from './leaf-lines.js';
import { takeInputsDigest, type InputsDigest } from './inputs-digest.js';
import type { StepInputs } from './step-input.js';

/**
 * The index of finished flows a run keeps beside them, so `--resume` over a finished run does not
 * read every flow's result.json and step.json back: one line per flow that succeeded,
 * `{"id":"flow_0001","fp":["<step 1's fingerprint>", ...],"st":[<size>, <mtime ms>, ...]}`,
 * appended as flows finish. `st` stamps the flow's directory and result.json (stampOf): a flow whose
 * files were removed or rewritten since (by a step of another flow, say) is not vouched for, and is
 * read from disk instead. Its last line, when the run's files did not change while it ran, is the
 * digest of what the flows' first steps are made from (inputs-digest.ts): a resume whose inputs
 * have the same digest takes each line's first fingerprint as it is instead of making it again.
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

const FLUSH_BYTES = 64 * 1024;

/**
 * Whether the index vouches for a flow whose line's stamp held (CheckedLines): each step's
 * fingerprint now (from the step before it's saved output, read from its directory) is the one the
 * line holds. Only the outputs of steps a later step starts from are read, so a one-step flow costs
 * no read. `firstHolds`: the run's inputs are those the index was written under (inputs-digest.ts),
 * so the first step's fingerprint in the line is the one it would be made under now, and is not made.
 */
export function vouches(
  steps: readonly Step[],
  runDir: string,
  flowId: string,
  line: IndexLine,
  fingerprintOf: Fingerprinter,
  firstHolds = false,
): Previous | undefined {
  let previous: Previous | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let fingerprint: string | undefined;
    if (i === 0 && firstHolds) {
      fingerprint = printIn(line, flowId, 0);
      if (fingerprint === undefined) return undefined;
    } else {
      try {
        fingerprint = fingerprintOf(step, previous);
      } catch {
        return undefined;
      }
      if (!fingerprintAt(line, flowId, i, fingerprint)) return undefined;
    }
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
    /** What the flows' first steps are made from: the index's last line when it still holds at the end. */
    readonly inputs?: InputsDigest,
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
    this.keep(index, indexLine(id, prints, st));
  }

  /** A flow the earlier attempt's line vouched for (vouches): that line again, as it was. */
  keep(index: number, line: IndexLine): void {
    if (this.fd === undefined) return;
    this.listed[index - this.first] = 1;
    this.pending.push(line, '\n');
    this.pendingBytes += line.length + 1;
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
   * when it lists only flows the earlier index vouched for and nothing was read back); else leaves
   * none. It ends with the digest of the run's inputs when every file it read is as it was then.
   */
  finish(trusted = false): void {
    if (this.fd === undefined) return;
    let agrees = true;
    for (let i = 0; agrees && !trusted && i < this.listed.length; i++) if (this.listed[i] === 1 && this.found[i] !== 1) agrees = false;
    if (agrees && this.inputs?.stillSame() === true) this.pending.push(inputsLine(this.inputs.digest), '\n');
    try {
      this.flush();
    } finally {
      this.close();
    }
    try {
      if (agrees && !this.failed) this.tree.rename(this.temporary, this.path);
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

/**
 * With --resume and a config without array steps: the earlier attempt's index, read then removed
 * (a crash mid-way then leaves none that could vouch for a flow run again since), its lines'
 * stamps being checked from now on (CheckedLines); undefined when there is none.
 */
export function earlierLeafIndex(prepared: PreparedRun, tree: SafeTree): CheckedLines | undefined {
  const { steps } = prepared.config;
  if (!prepared.options.resume || steps.some((s) => s.array)) return endEarlyChecks();
  const path = leafIndexPath(prepared.runDir, prepared.shard);
  const file = readIndexFile(path);
  const { runDir, range, space } = prepared;
  // the thread the command line started, when it read this file as it is now
  const early = file === undefined ? endEarlyChecks() : takeEarlyChecks(path, file, steps.length, flowId(0, space.total).length);
  try {
    tree.removeFile(path);
  } catch {
    early?.close();
    return undefined; // it cannot be removed: it is not used either
  }
  if (file === undefined) return undefined;
  const index = { text: file.text, steps: steps.length, runDir, from: range.from, to: range.to, total: space.total };
  return new CheckedLines(index, undefined, early);
}

/** With a config without array steps: this attempt's index, written as flows end, with the digest of the run's inputs. */
export function startLeafIndex(prepared: PreparedRun, tree: SafeTree, inputs: StepInputs): LeafIndexWriter | undefined {
  if (prepared.config.steps.some((s) => s.array)) return undefined;
  const { runDir, range } = prepared;
  const digest = takeInputsDigest(prepared, inputs);
  return new LeafIndexWriter(tree, leafIndexPath(runDir, prepared.shard), range.from, range.to - range.from, runDir, digest);
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
