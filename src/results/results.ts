import { addUsage, NO_USAGE, type Usage } from '../model/usage.js';
import {
  COMPACT_FROM,
  isNotStarted,
  type LeafEntry,
  type NotStarted,
  type ResultItem,
  type Status,
  type Totals,
} from '../model/results.js';

/**
 * `flow_0003` or `flow_0003 [2.1]`: the one way a leaf (a flow, or a branch of an array step) is
 * named in messages and reports. `part` shows the id and any branch part that is not a safe integer
 * (reports escape them: ids come back from files that may have been tampered with).
 */
export function leafLabel(leaf: Pick<LeafEntry, 'id' | 'branch'>, part: (text: string) => string = (text) => text): string {
  if (leaf.branch.length === 0) return part(leaf.id);
  return `${part(leaf.id)} [${leaf.branch.map((n) => (Number.isSafeInteger(n) ? String(n) : part(String(n)))).join('.')}]`;
}

/** Sort order of leaves: by flow id, then by branch path (element by element, shorter first). */
export function compareLeaves(a: Pick<LeafEntry, 'id' | 'branch'>, b: Pick<LeafEntry, 'id' | 'branch'>): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  for (let i = 0; i < Math.min(a.branch.length, b.branch.length); i++) {
    if (a.branch[i] !== b.branch[i]) return a.branch[i]! - b.branch[i]!;
  }
  return a.branch.length - b.branch.length;
}

/**
 * Adds leaves up, in sorted order. A step shared by several branches (it ran before their array
 * step) is in each of their entries but counted once, by its directory.
 */
export class TotalsCounter {
  private flowsSeen = 0;
  private lastFlow: string | undefined;
  private flowDirs = new Set<string>();
  private counts: Record<Status, number> = { succeeded: 0, failed: 0, cancelled: 0 };
  private usage: Usage = NO_USAGE;
  private cache = { steps: 0, saved: NO_USAGE };
  private leaves = 0;

  /** Adds one leaf, or a range of never-started leaves (each a cancelled leaf). */
  add(item: ResultItem): void {
    const first = isNotStarted(item) ? item.from : item;
    if (first.id !== this.lastFlow) {
      this.flowDirs = new Set();
      this.flowsSeen++;
    }
    if (isNotStarted(item)) {
      // a range of flows: every flow in it is one more flow seen
      if (item.from.branch.length === 0) this.flowsSeen += item.count - 1;
      this.lastFlow = item.to.id;
      this.leaves += item.count;
      this.counts.cancelled += item.count;
    } else {
      this.lastFlow = item.id;
      this.leaves++;
      this.counts[item.status]++;
    }
    for (const step of item.steps) {
      if (this.flowDirs.has(step.dir)) continue;
      this.flowDirs.add(step.dir);
      this.usage = addUsage(this.usage, step.usage);
      if (step.cached === true) this.cache = { steps: this.cache.steps + 1, saved: addUsage(this.cache.saved, step.saved) };
    }
  }

  totals(flowsTotal = this.flowsSeen): Totals {
    const cache = this.cache.steps > 0 ? { cache: this.cache } : {};
    return { flows_total: flowsTotal, total: this.leaves, ...this.counts, usage: this.usage, ...cache };
  }
}

/** Totals of leaves given in sorted order. */
export function countLeaves(leaves: Iterable<ResultItem>, flowsTotal: number): Totals {
  const counter = new TotalsCounter();
  for (const leaf of leaves) counter.add(leaf);
  return counter.totals(flowsTotal);
}

/** Usage of one leaf: its own steps and those it shares with its sibling branches. */
export function leafUsage(steps: LeafEntry['steps']): Usage {
  return steps.reduce((sum, step) => addUsage(sum, step.usage), NO_USAGE);
}

/** An entry for a flow that never started (interrupted, token budget, or not run). */
export function unstartedEntry(id: string, keys: Record<string, string>, reason: string): LeafEntry {
  return {
    id,
    branch: [],
    keys,
    status: 'cancelled',
    output: null,
    final_message: null,
    error: reason,
    duration_ms: 0,
    usage: NO_USAGE,
    steps: [],
  };
}

/**
 * The flows `from`..`to - 1` (indexes) that never started: one `not_started` entry when there
 * are at least COMPACT_FROM of them, else one cancelled entry per flow (with its keys, from `keysOf`).
 */
export function* unstartedFlows(
  from: number,
  to: number,
  idOf: (index: number) => string,
  keysOf: (index: number) => Record<string, string>,
  reason: string,
): Generator<ResultItem> {
  if (to <= from) return;
  if (to - from >= COMPACT_FROM) {
    const range: NotStarted = {
      from: { id: idOf(from), branch: [] },
      to: { id: idOf(to - 1), branch: [] },
      count: to - from,
      reason,
      steps: [],
    };
    yield range;
    return;
  }
  for (let index = from; index < to; index++) yield unstartedEntry(idOf(index), keysOf(index), reason);
}
