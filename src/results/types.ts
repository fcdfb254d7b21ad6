import type { Usage } from '../steps/runner.js';

export type Status = 'succeeded' | 'failed' | 'cancelled';

/** One step as it ran for one leaf (steps before an array step are shared by its branches). */
export interface StepEntry {
  readonly name: string;
  readonly type: string;
  readonly status: Status;
  readonly duration_ms: number;
  readonly usage: Usage | null;
  /** The step directory, relative to the run directory. */
  readonly dir: string;
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
}

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
}

export interface ResultsDocument extends Totals {
  readonly schema: 1;
  readonly run_id: string;
  readonly shard: Shard;
  readonly flows: readonly LeafEntry[];
}
