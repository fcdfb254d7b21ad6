import { join } from 'node:path';
import { flowId } from '../flows/flows.js';
import { leafChanges } from '../patches/changes.js';
import { compareLeaves, leafLabel, leafUsage } from '../results/results.js';
import { branchDirName } from '../results/paths.js';
import { NOT_STARTED, readLeaves, withUnwritten } from '../results/store.js';
import type { LeafEntry, ResultItem, Status, StepEntry } from '../model/results.js';
import type { TreeWriter } from '../util/files.js';
import { under } from '../util/tree-paths.js';
import { splitNotStarted, type BranchStart } from './fanout.js';
import type { LeafIndexWriter } from './leaf-index.js';
import type { PreparedRun } from './prepare.js';
import { LeafSpool, StepTexts } from './leaf-spool.js';
import { ResultsStream } from './results-stream.js';
import { RunResults } from './run-results.js';
import type { FlowState } from './step-input.js';

/** How a leaf (a flow, or a branch of one) ended. */
export interface LeafOutcome {
  readonly status: Status;
  readonly error: string | null;
  readonly output: string | null;
  readonly finalMessage: string | null;
  readonly steps: StepEntry[];
  /** Each step's fingerprint, when every step ran or was reused (for the index of finished flows). */
  readonly fingerprints?: readonly string[];
}

/** Writes each leaf's result.json (and not_started.json), counting them; keeps in memory those that could not be written. */
export class LeafRecords {
  readonly counts: Record<Status, number> = { succeeded: 0, failed: 0, cancelled: 0 };
  /** Failed leaves told before their files were written (failing), by label: not told again as they end. */
  private readonly toldFailed = new Set<string>();
  /** Leaves whose result.json could not be written (a full disk, a planted link), by flow id: results.json still lists them. */
  private readonly unwritten = new Map<string, LeafEntry[]>();
  /** The index of finished flows this attempt writes (leaf-index.ts); undefined when it keeps none. */
  index: LeafIndexWriter | undefined;
  /** results.jsonl: each leaf's line as it ends (the run opens and closes it). */
  readonly stream: ResultsStream;
  /**
   * A config without array steps (one leaf a flow): each leaf spooled as it ends, results.json and
   * report.html made from the spool (the run opens and closes it); undefined with array steps.
   */
  readonly spool: LeafSpool | undefined;
  /** What report.html shows of the step files, kept as they are written (with the spool; not in worktrees, whose patches come later). */
  readonly texts: StepTexts | undefined;
  /** results.json and report.html, a leaf at a time in results order (run-results.ts). */
  readonly results: RunResults;

  /**
   * `writeFailed` says why a write failed, and stops the run when the run directory itself is
   * unusable; `ended` hears of each leaf as it ends (written or kept in memory), a failed one as
   * soon as its failure is known when the writes are deferred (failing).
   */
  constructor(
    private readonly prepared: PreparedRun,
    private readonly files: TreeWriter,
    private readonly writeFailed: (error: unknown) => string,
    private readonly ended: (entry: Pick<LeafEntry, 'id' | 'branch' | 'status'>) => void = () => {},
  ) {
    this.stream = new ResultsStream(files);
    if (!prepared.config.steps.some((step) => step.array)) {
      this.spool = new LeafSpool(prepared.range.from);
      if (prepared.options.isolate !== 'worktree') {
        this.texts = new StepTexts(prepared.runDir);
        files.observer = this.texts;
      }
    }
    // leaves taken as they end: their texts kept as written, and no process of a step writing into
    // the tree meanwhile (so what is read of it now is what it holds at the end); no after step,
    // whose row leads report.html, runs in this process
    const afterHere = prepared.config.after.length > 0 && prepared.shard.count === 1;
    const early = this.texts !== undefined && files.tree.byPath && !afterHere;
    const { range, space } = prepared;
    this.results = new RunResults(prepared.runDir, files, this.spool, { from: range.from, idOf: (i) => flowId(i, space.total) }, early);
  }

  /** Opens results.jsonl and the spool in the run directory; `warn` hears once when results.jsonl cannot be written. */
  open(warn?: (message: string) => void): void {
    this.stream.open(this.prepared.runDir, this.prepared.shard, warn);
    this.spool?.open(this.files.tree, this.prepared.runDir);
    this.results.open();
  }

  close(): void {
    this.stream.close();
    this.spool?.close();
    this.results.close();
  }

  write(flow: FlowState, branch: readonly number[], dir: string, leaf: LeafOutcome): void {
    const entry: LeafEntry = {
      id: flow.flow.id,
      branch: [...branch],
      keys: flow.flow.keys,
      status: leaf.status,
      output: leaf.output,
      final_message: leaf.status === 'succeeded' ? leaf.finalMessage : null,
      error: leaf.error,
      duration_ms: Date.now() - flow.started,
      usage: leafUsage(leaf.steps),
      steps: leaf.steps,
      // only steps run in a worktree leave a patch: without one, no step directory is looked into
      changes: this.prepared.options.isolate === 'worktree' ? leafChanges(this.prepared.runDir, leaf.steps) : null,
    };
    let written: string;
    const path = under(dir, 'result.json');
    try {
      // in place, not through a temporary file and a rename: every reader of a result.json
      // (store.ts readLeafItems, resume) takes one that does not parse as missing, which is what it
      // is until it is written, and a JSON object cut short never parses (its closing brace is last)
      written = this.files.writeJson(path, entry, { atomic: false });
    } catch (error) {
      this.unwritable(entry, error);
      return;
    }
    // with the writes on a thread of their own, the leaf counts once its result.json is written
    const queue = this.files.deferred;
    if (queue === undefined) this.written(flow, branch, entry, written, leaf.fingerprints);
    else {
      if (entry.status === 'failed') this.failing(entry);
      queue.after(() => this.written(flow, branch, entry, written, leaf.fingerprints, queue.failure(path)));
    }
  }

  /**
   * With the writes deferred (a writer thread), a leaf known to fail before its files are written:
   * the caller hears of it now, once (--fail-fast stops the run before the leaf's slot goes to
   * another flow, as it does when the files are written at once); it still counts once written.
   */
  failing(leaf: Pick<LeafEntry, 'id' | 'branch'>): void {
    if (this.files.deferred === undefined) return;
    const label = leafLabel(leaf);
    if (this.toldFailed.has(label)) return;
    this.toldFailed.add(label);
    this.ended({ id: leaf.id, branch: leaf.branch, status: 'failed' });
  }

  /** The leaf's result.json is written (or its write failed: `lost`): the leaf is counted, spooled, indexed and ended. */
  private written(
    flow: FlowState,
    branch: readonly number[],
    entry: LeafEntry,
    written: string,
    prints: readonly string[] | undefined,
    lost?: Error,
  ): void {
    try {
      if (lost !== undefined) throw lost;
      if (branch.length === 0) {
        const texts = this.texts?.take(entry) ?? [];
        if (!this.results.ended(flow.flow.index, entry, written, texts)) this.spool?.add(flow.flow.index, written, texts);
      }
      this.counts[entry.status]++;
      if (entry.status === 'succeeded' && branch.length === 0 && prints?.length === this.prepared.config.steps.length) {
        this.index?.add(flow.flow.index, entry.id, prints);
      }
    } catch (error) {
      this.unwritable(entry, error);
      return;
    }
    this.end(entry);
  }

  private unwritable(entry: LeafEntry, error: unknown): void {
    this.texts?.take(entry);
    this.keepUnwritten({ ...entry, status: 'failed', error: this.writeFailed(error) });
  }

  /** A leaf ended: its line in results.jsonl, then the caller hears of it. */
  private end(entry: LeafEntry): void {
    this.stream.add(entry);
    if (this.toldFailed.size > 0 && this.toldFailed.delete(leafLabel(entry))) return;
    this.ended(entry);
  }

  /** Keeps in memory a leaf whose result.json could not be written; results.json lists it. */
  keepUnwritten(entry: LeafEntry): void {
    this.counts.failed++;
    const kept = this.unwritten.get(entry.id) ?? [];
    this.unwritten.set(entry.id, [...kept.filter((e) => compareLeaves(e, entry) !== 0), entry]);
    this.end(entry);
  }

  /** Branches that never started: a few as cancelled leaves, long runs of them as `not_started` ranges. */
  writeNotStarted(
    flow: FlowState,
    parent: readonly number[],
    dir: string,
    branches: readonly BranchStart[],
    reason: string,
    shared: StepEntry[],
  ): void {
    const { ranges, single } = splitNotStarted(flow.flow.id, parent, branches, reason, shared);
    for (const { previous, index } of single) {
      this.write(flow, [...parent, index], join(dir, branchDirName(index)), {
        status: 'cancelled',
        error: reason,
        output: previous.output,
        finalMessage: null,
        steps: shared,
      });
    }
    if (ranges.length === 0) return;
    this.files.writeJson(join(dir, NOT_STARTED), { schema: 1, ranges });
    for (const range of ranges) this.counts.cancelled += range.count;
  }

  /**
   * Every leaf of this process's flows from flow `from` on, in order: from the spool those that ended in this process,
   * the others (an earlier attempt's) from disk; flows that never ran are cancelled for `reason`.
   */
  leaves(reason: string, from = this.prepared.range.from): Generator<ResultItem> {
    const branches = this.prepared.config.steps.some((step) => step.array);
    const { runDir, space, range } = this.prepared;
    const known = this.spool?.usable === true ? this.spool : undefined;
    return withUnwritten(readLeaves(runDir, space, { from, to: range.to }, reason, branches, known), this.unwritten);
  }
}
