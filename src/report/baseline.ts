import type { BaselineComparison, Mark } from './baseline-compare.js';
import { escapeName, formatNumber } from './markdown.js';

const ICON: Record<Mark, string> = { new: '🆕', changed: '✏️', unchanged: '➖', 'newly failing': '💥', fixed: '🩹' };

/** The summary's and the comment's lines comparing the run with its baseline: the counts per mark. */
export function baselineLines(comparison: BaselineComparison): string[] {
  const counts = (Object.keys(ICON) as Mark[]).map((mark) => `${ICON[mark]} ${formatNumber(comparison.counts[mark])} ${mark}`);
  const extra = [
    ...(comparison.gone > 0 ? [`${formatNumber(comparison.gone)} baseline results not in this run`] : []),
    ...(comparison.notCompared > 0 ? [`${formatNumber(comparison.notCompared)} not started (not compared)`] : []),
  ];
  return [`**Compared with ${escapeName(comparison.baselineRunId)}:** ${[...counts, ...extra].join(' · ')}`];
}

/** The mark shown beside a leaf's status in the summary table. */
export const markCell = (mark: Mark | undefined): string => (mark === undefined ? '' : `<br>${ICON[mark]} ${mark}`);
