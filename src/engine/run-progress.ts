import type { Status } from '../model/results.js';
import { addUsage, NO_USAGE, type Usage } from '../model/usage.js';
import type { BatchBoard, BatchCounts } from '../steps/batch/board.js';

/** What the progress display is told. */
export interface ProgressSnapshot {
  readonly labels: readonly string[];
  /** Flows and branches at each step: running it or waiting for a slot to. */
  readonly atStep: readonly number[];
  readonly finished: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly usage: Usage;
  /** Steps this process answered from the response cache (`--cache`), and what their answers first cost. */
  readonly cached?: { readonly steps: number; readonly saved: Usage };
  /** With --batch: the batches waiting at the server and their requests. */
  readonly batches?: BatchCounts;
  /** With --resume: flows an earlier attempt finished, not run again. */
  readonly kept?: number;
}

/** Where a run stands: flows and branches at each step, flows finished, leaves counted, tokens used. */
export class RunProgress {
  readonly atStep: number[];
  finished = 0;
  /** With --resume: flows an earlier attempt finished (counted in `finished` too). */
  kept = 0;
  usage: Usage = NO_USAGE;
  private cached = { steps: 0, saved: NO_USAGE };

  constructor(
    private readonly labels: readonly string[],
    private readonly total: number,
    /** The leaves counted so far, by status (LeafRecords keeps them). */
    private readonly counts: Readonly<Record<Status, number>>,
    private readonly onProgress: ((snapshot: ProgressSnapshot) => void) | undefined,
    /** With --batch: the batching runner's board; each change of it is reported. */
    private readonly batches?: BatchBoard,
  ) {
    this.atStep = labels.map(() => 0);
    batches?.onChange(() => this.report());
  }

  /** A step answered from the response cache: `saved` is what its answer first cost. */
  cacheHit(saved: Usage): void {
    this.cached = { steps: this.cached.steps + 1, saved: addUsage(this.cached.saved, saved) };
  }

  report(): void {
    this.onProgress?.({
      labels: this.labels,
      atStep: this.atStep,
      finished: this.finished,
      total: this.total,
      ...this.counts,
      usage: this.usage,
      ...(this.cached.steps > 0 ? { cached: this.cached } : {}),
      ...(this.batches !== undefined ? { batches: this.batches.counts() } : {}),
      ...(this.kept > 0 ? { kept: this.kept } : {}),
    });
  }
}
