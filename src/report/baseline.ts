import type { BaselineComparison, Mark } from './baseline-compare.js';
import { cell, escapeName, formatNumber } from './markdown.js';

const ICON: Record<Mark, string> = { new: '🆕', changed: '✏️', unchanged: '➖', 'newly failing': '💥', fixed: '🩹' };

/** The summary's and the comment's lines comparing the run with its baseline: the counts per mark. */
export function baselineLines(comparison: BaselineComparison): string[] {
  const counts = (Object.keys(ICON) as Mark[]).map((mark) => `${ICON[mark]} ${formatNumber(comparison.counts[mark])} ${mark}`);
  const extra = [
    ...(comparison.gone > 0 ? [`${formatNumber(comparison.gone)} baseline results not in this run`] : []),
    ...(comparison.notCompared > 0 ? [`${formatNumber(comparison.notCompared)} not started (not compared)`] : []),
  ];
  return [
    `**Compared with ${escapeName(comparison.baselineRunId)}:** ${[...counts, ...extra].join(' · ')}`,
    ...checkChangeLines(comparison),
  ];
}

/** Checks listed under the baseline line. */
const LISTED = 20;

/** Checks newly failing and newly passing against the baseline: counts, then the first of each. */
function checkChangeLines({ checks }: BaselineComparison): string[] {
  if (checks.failing + checks.passing === 0) return [];
  const lines = [
    '',
    `**Checks compared with the baseline:** 💥 ${formatNumber(checks.failing)} newly failing · 🩹 ${formatNumber(checks.passing)} newly passing`,
  ];
  for (const [icon, list] of [
    ['💥', checks.newlyFailing],
    ['🩹', checks.newlyPassing],
  ] as const)
    for (const c of list.slice(0, LISTED)) lines.push(`- ${icon} ${cell(c.leaf, 60)} · ${cell(c.key, 100)}: ${cell(c.reason, 200)}`);
  return lines;
}

/** The mark shown beside a leaf's status in the summary table. */
export const markCell = (mark: Mark | undefined): string => (mark === undefined ? '' : `<br>${ICON[mark]} ${mark}`);
