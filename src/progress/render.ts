import type { ProgressSnapshot } from '../engine/run.js';
import { formatUsd } from '../model/cost.js';
import type { Usage } from '../model/usage.js';
import { formatCount } from '../model/numbers.js';

const number = formatCount;

/** `draft: 1 -> codex: 0 -> summary: 1   3/10`, and with --batch `   batches: 2 pending, 1,200/3,000 requests done` */
export function progressLine(snapshot: Pick<ProgressSnapshot, 'labels' | 'atStep' | 'finished' | 'total' | 'batches'>): string {
  const steps = snapshot.labels.map((label, i) => `${label}: ${snapshot.atStep[i] ?? 0}`).join(' -> ');
  return `${steps}   ${countText(snapshot)}${batchesText(snapshot.batches)}`;
}

/** `3/10`: flows finished of the flows to run. */
export const countText = (snapshot: Pick<ProgressSnapshot, 'finished' | 'total'>): string => `${snapshot.finished}/${snapshot.total}`;

/** `   batches: 2 pending, 1,200/3,000 requests done`, or nothing when no batch is waiting. */
export function batchesText(batches: ProgressSnapshot['batches']): string {
  return batches === undefined || batches.pending === 0
    ? ''
    : `   batches: ${number(batches.pending)} pending, ${number(batches.done)}/${number(batches.requests)} requests done`;
}

/** `1,200 in (800 cached) / 300 out` */
export function usageText(usage: Usage): string {
  const cached = usage.cached_input_tokens ? ` (${number(usage.cached_input_tokens)} cached)` : '';
  return `${number(usage.input_tokens)} in${cached} / ${number(usage.output_tokens)} out`;
}

/** `cost $0.0123`; `cost unknown` when a model without a price was called. */
export const costText = (usage: Usage): string => `cost ${formatUsd(usage.cost_usd === undefined ? 0 : usage.cost_usd)}`;

/**
 * The closing line: counts of leaves, tokens and time; with array steps (more leaves than flows:
 * the progress line counted flows) how many results came of how many flows first.
 */
export function finalLine(
  snapshot: Pick<ProgressSnapshot, 'succeeded' | 'failed' | 'cancelled' | 'usage' | 'cached' | 'kept' | 'total'>,
  durationMs: number,
): string {
  const leaves = snapshot.succeeded + snapshot.failed + snapshot.cancelled;
  const results = leaves > snapshot.total ? `${number(leaves)} results of ${number(snapshot.total)} flows: ` : '';
  const parts = [`${snapshot.succeeded} succeeded`, `${snapshot.failed} failed`];
  if (snapshot.cancelled > 0) parts.push(`${snapshot.cancelled} cancelled`);
  // a resume: what it ran, apart from what an earlier attempt had finished
  if (snapshot.kept)
    parts[parts.length - 1] += ` (${snapshot.kept} ${snapshot.kept === 1 ? 'flow' : 'flows'} finished before, not run again)`;
  const cached = snapshot.cached ? `; ${cachedText(snapshot.cached)}` : '';
  const tokens = `tokens ${usageText(snapshot.usage)}; ${costText(snapshot.usage)}`;
  return `done: ${results}${parts.join(', ')}; ${tokens}${cached}; ${(durationMs / 1000).toFixed(1)} s`;
}

/** `2 steps from the cache (saved 1,200 in / 300 out)` */
function cachedText(cached: NonNullable<ProgressSnapshot['cached']>): string {
  const dollars = cached.saved.cost_usd === undefined ? '' : `, ${formatUsd(cached.saved.cost_usd)}`;
  return `${number(cached.steps)} step${cached.steps === 1 ? '' : 's'} from the cache (saved ${usageText(cached.saved)}${dollars})`;
}
