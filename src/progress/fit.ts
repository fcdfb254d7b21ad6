import type { ProgressSnapshot } from '../engine/run.js';
import { batchesText, countText } from './render.js';

type Counted = Pick<ProgressSnapshot, 'labels' | 'atStep' | 'finished' | 'total' | 'batches'>;

/** Labels are cut to no fewer characters than this before steps are dropped. */
const SHORTEST_LABEL = 4;
const ELLIPSIS = '…';

/**
 * The progress line cut to `width` columns, so a terminal never wraps it (a wrapped line cannot
 * be redrawn in place): `finished/total` always stays; step names are shortened first, then
 * middle steps give way to `…`, then the batch counts go.
 */
export function fitProgressLine(snapshot: Counted, width: number): string {
  const counts = snapshot.labels.map((_, i) => snapshot.atStep[i] ?? 0);
  const tail = `   ${countText(snapshot)}`;
  const batches = batchesText(snapshot.batches);
  for (const end of [tail + batches, tail]) {
    const room = width - length(end);
    const steps = fitSteps(snapshot.labels, counts, room);
    if (steps !== undefined) return steps + end;
  }
  // a terminal narrower than the count itself: the count still shows, wrapped by the terminal
  const count = countText(snapshot);
  return cut(count + batches, Math.max(width, length(count)));
}

/** The steps' part in at most `room` columns, or undefined when even one step does not fit. */
function fitSteps(labels: readonly string[], counts: readonly number[], room: number): string | undefined {
  const fits = (text: string): boolean => length(text) <= room;
  const longest = Math.max(SHORTEST_LABEL, ...labels.map(length));
  for (let most = longest; most >= SHORTEST_LABEL; most--) {
    const text = stepsText(labels, counts, labels.length, most);
    if (fits(text)) return text;
  }
  // fewer steps: the first and the last kept, the middle ones dropped
  for (let kept = labels.length - 1; kept >= 1; kept--) {
    const text = stepsText(labels, counts, kept, SHORTEST_LABEL);
    if (fits(text)) return text;
  }
  return undefined;
}

/** `draft: 1 -> … -> summary: 0`: `kept` steps (the first half and the last half), names cut to `most` characters. */
function stepsText(labels: readonly string[], counts: readonly number[], kept: number, most: number): string {
  const parts = labels.map((label, i) => `${cut(label, most)}: ${counts[i]}`);
  if (kept >= parts.length) return parts.join(' -> ');
  const head = Math.ceil(kept / 2);
  return [...parts.slice(0, head), ELLIPSIS, ...parts.slice(parts.length - (kept - head))].join(' -> ');
}

/** In columns, counting each code point as one (step names hold no control characters). */
const length = (text: string): number => [...text].length;

function cut(text: string, most: number): string {
  const points = [...text];
  return points.length <= most ? text : points.slice(0, Math.max(0, most - 1)).join('') + ELLIPSIS;
}
