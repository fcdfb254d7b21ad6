import { COMPACT_FROM, type NotStarted } from '../model/results.js';
import type { Previous } from './fingerprint.js';
import type { Priority } from './slots.js';

/** One branch of an array step: what it starts from (its element) and its 1-based index. */
export interface BranchStart {
  readonly previous: Previous;
  readonly index: number;
}

export interface FanOutHooks {
  /** Waits for a slot at this priority. */
  acquire(priority: Priority): Promise<void>;
  release(): void;
  /** Why the run stops, once it does. */
  stopReason(): string | undefined;
  /** Runs one branch; it is handed the slot acquired for it. */
  start(branch: BranchStart): Promise<void>;
  /** Records branches that never started (sorted by index), because of `reason`. */
  notStarted(branches: readonly BranchStart[], reason: string): void;
}

/** Gives signal handlers and timers a turn: awaiting a promise alone only runs other microtasks. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How many branches start (or are written) between two turns of the event loop. */
export const BREATHE_EVERY = 256;

/**
 * Starts the branches of an array step one at a time, each once a slot at its own priority is
 * free: a waiting branch is only its element (not a pending walk), there is one waiter per fan-out
 * whatever its size, and branches already started, whose priority is smaller, go first. Once the
 * run stops, the branches not started yet are handed to `notStarted` at once.
 */
export async function fanOut(prefix: Priority, branches: readonly BranchStart[], hooks: FanOutHooks): Promise<void> {
  const running = new Set<Promise<void>>();
  for (let k = 0; k < branches.length; k++) {
    if (k % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
    const branch = branches[k]!;
    await hooks.acquire([...prefix, branch.index]);
    const reason = hooks.stopReason();
    if (reason !== undefined) {
      hooks.release();
      hooks.notStarted(branches.slice(k), reason);
      break;
    }
    const walk: Promise<void> = hooks.start(branch).finally(() => running.delete(walk));
    running.add(walk);
  }
  await Promise.all(running);
}

/**
 * Never-started branches below `parent` as `not_started` ranges (runs of consecutive indexes at
 * least COMPACT_FROM long) and the rest, to be listed one cancelled leaf each.
 */
export function splitNotStarted(
  id: string,
  parent: readonly number[],
  branches: readonly BranchStart[],
  reason: string,
  steps: NotStarted['steps'],
): { ranges: NotStarted[]; single: BranchStart[] } {
  const ranges: NotStarted[] = [];
  const single: BranchStart[] = [];
  for (let k = 0; k < branches.length;) {
    let end = k + 1;
    while (end < branches.length && branches[end]!.index === branches[end - 1]!.index + 1) end++;
    if (end - k >= COMPACT_FROM) {
      ranges.push({
        from: { id, branch: [...parent, branches[k]!.index] },
        to: { id, branch: [...parent, branches[end - 1]!.index] },
        count: end - k,
        reason,
        steps,
      });
    } else {
      single.push(...branches.slice(k, end));
    }
    k = end;
  }
  return { ranges, single };
}
