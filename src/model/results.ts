import type { CheckResult } from './checks.js';
import type { Usage } from './usage.js';

export const STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** One step as it ran for one leaf (steps before an array step are shared by its branches). */
export interface StepEntry {
  readonly name: string;
  readonly type: string;
  readonly status: Status;
  readonly duration_ms: number;
  readonly usage: Usage | null;
  /** The step directory, relative to the run directory. */
  readonly dir: string;
  /** Answered from the response cache (`--cache`): `usage` is then zero, and `saved` what the answer first cost. */
  readonly cached?: true;
  /** Cached steps: the usage of the call that first paid for the answer, not paid again. */
  readonly saved?: Usage;
  /** The batch that answered this step (openai steps run with --batch): its tokens cost batch prices. */
  readonly batch?: string;
  /** Each of the step's `"checks"` as it came out for this leaf, in config order; absent when the step has none. */
  readonly checks?: readonly CheckResult[];
}

/** One leaf of the results: a flow, or a branch of one. */
export interface LeafEntry {
  readonly id: string;
  /** 1-based element indexes from the flow down to this leaf; [] for a flow without branches. */
  readonly branch: readonly number[];
  readonly keys: Readonly<Record<string, string>>;
  readonly status: Status;
  readonly output: string | null;
  /** Relative to the run directory; null unless the last step was codex and it succeeded. */
  readonly final_message: string | null;
  readonly error: string | null;
  readonly duration_ms: number;
  readonly usage: Usage;
  readonly steps: readonly StepEntry[];
  /**
   * What the leaf's last patch (`changes.patch` of its last step that ran in a worktree) changes;
   * null when no step ran in a worktree (then nothing is known about changes).
   */
  readonly changes?: Changes | null;
  /**
   * In results.json, when `output` was cut to its first characters (a long output): the length of
   * the whole output and the file holding it, relative to the run directory (and to `tree`).
   */
  readonly output_cut?: OutputCut;
  /**
   * In merged results (`orchestrator report`): the directory holding this leaf's flow directory,
   * relative to the directory of results.json (a shard's run directory). Absent: that directory.
   */
  readonly tree?: string;
}

/** Where the rest of a leaf's output is (see LeafEntry.output_cut). */
export interface OutputCut {
  /** The characters of the whole output. */
  readonly chars: number;
  /** The step file holding it (output.txt, or final_message.txt of a codex step). */
  readonly file: string;
}

/** One file of a patch, as `git diff --stat` counts it. */
export interface FileChange {
  /** The path after the change (for a deletion: the deleted path). */
  readonly path: string;
  /** The path before a rename or copy. */
  readonly old_path?: string;
  readonly status: 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';
  /** A binary file: no line counts. */
  readonly binary: boolean;
  readonly added: number;
  readonly removed: number;
}

/** The diffstat of a leaf's patch. */
export interface Changes {
  /** The patch, relative to the run directory. */
  readonly patch: string;
  /** Empty when the patch is empty: the leaf changed nothing. */
  readonly files: readonly FileChange[];
  readonly added: number;
  readonly removed: number;
}

/**
 * results.json `after`: the config's after steps, run once over all leaves after every flow ended
 * (null when the config has none, and in each shard of a sharded run: `report` runs them).
 */
export interface AfterResult {
  readonly status: Status;
  /** The last after step's output; null unless it succeeded. */
  readonly output: string | null;
  readonly error: string | null;
  /** The after steps' tokens (not in the run's `usage`, which adds up the leaves). */
  readonly usage: Usage;
  /** Each after step that started; `dir` is relative to the run directory (`after/01_overview`). */
  readonly steps: readonly StepEntry[];
}

/** Where a leaf sits in the results: its flow and the path of element indexes below it. */
export interface LeafAddress {
  readonly id: string;
  readonly branch: readonly number[];
}

/**
 * Leaves that never started, consecutive in results order, as one entry (results.json
 * `not_started`): flows `from`..`to` (branch []), or branches `from`..`to` of one array step. Each
 * counts as one cancelled leaf. A million unstarted flows are one entry, not a million.
 */
export interface NotStarted {
  readonly from: LeafAddress;
  readonly to: LeafAddress;
  readonly count: number;
  readonly reason: string;
  /** Steps shared with the started siblings (those before the array step); [] for flows. */
  readonly steps: readonly StepEntry[];
  /** As LeafEntry's `tree`. */
  readonly tree?: string;
}

/** What results are made of: one leaf, or a range of leaves that never started. */
export type ResultItem = LeafEntry | NotStarted;

export const isNotStarted = (item: ResultItem): item is NotStarted => 'count' in item && 'from' in item;

/** Runs of never-started leaves at least this long are one `not_started` entry; shorter ones are listed leaf by leaf. */
export const COMPACT_FROM = 100;

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface Totals {
  readonly flows_total: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly usage: Usage;
  /** Steps answered from the response cache (`--cache`) and what their answers first cost; absent when none were. */
  readonly cache?: { readonly steps: number; readonly saved: Usage };
}
