import { checkFailed } from '../model/checks.js';
import { formatCount } from '../model/numbers.js';
import { isNotStarted, type ResultItem } from '../model/results.js';
import { leafLabel } from '../results/results.js';
import { visibleControls } from './markdown.js';

/** How many failed leaves are named (the end of a run, a long text report); past them, a count. */
export const FAILED_SHOWN = 10;
/** An error is cut to its first line and this many characters. */
const ERROR_CHARS = 300;

/** The first failed leaves and their errors, gathered in one pass over the leaves (as results.json is written, or a report read). */
export class FailedLeaves {
  readonly first: { readonly leaf: string; readonly error: string }[] = [];
  count = 0;
  /** Leaves that did not fail though a check of theirs did (`"checks_fail": false`). */
  failedChecks = 0;

  add = (item: ResultItem): void => {
    if (isNotStarted(item)) return;
    if (item.status !== 'failed') {
      if (item.steps.some((step) => step.checks?.some(checkFailed) === true)) this.failedChecks++;
      return;
    }
    this.count++;
    if (this.first.length < FAILED_SHOWN) this.first.push({ leaf: leafLabel(item), error: item.error ?? 'failed' });
  };
}

/**
 * `failed: 12 leaves, the first 10:`, each leaf with its error's first line, then `and 2 more`
 * followed by `more`; nothing when no leaf failed.
 */
export function failedLines(failed: FailedLeaves, more = ''): string[] {
  if (failed.count === 0) return [];
  const leaves = failed.count === 1 ? 'leaf' : 'leaves';
  const lines = [
    `failed: ${formatCount(failed.count)} ${leaves}${failed.count > failed.first.length ? `, the first ${failed.first.length}` : ''}:`,
  ];
  for (const { leaf, error } of failed.first) lines.push(`  ${leaf}: ${oneLine(error)}`);
  const rest = failed.count - failed.first.length;
  if (rest > 0) lines.push(`  and ${formatCount(rest)} more${more}`);
  return lines;
}

/**
 * An error's first line, cut to a length, its control characters made visible as the text report
 * shows them (visibleControls: ESC as ␛, a bidirectional override as U+FFFD): a step's stderr may
 * hold any, and this line is printed to the terminal.
 */
function oneLine(error: string): string {
  const lines = error.split('\n').filter((line) => line.trim() !== '');
  let text = visibleControls(lines[0] ?? '');
  if ([...text].length > ERROR_CHARS) text = [...text].slice(0, ERROR_CHARS - 1).join('') + '…';
  return lines.length > 1 ? `${text} …` : text;
}
