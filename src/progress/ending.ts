import { formatUsd } from '../model/cost.js';
import { isNotStarted, type ResultItem } from '../model/results.js';
import type { Usage } from '../model/usage.js';
import { leafLabel } from '../results/results.js';
import { formatCount } from '../model/numbers.js';
import { checkFailed } from '../model/checks.js';
import { visibleControls } from '../report/markdown.js';

/** How many failed leaves the end of a run names; past them, a count. */
export const FAILED_SHOWN = 10;
/** An error is cut to its first line and this many characters. */
const ERROR_CHARS = 300;

/** The first failed leaves and their errors, gathered as results.json is written (its one pass over the leaves). */
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

export interface Ending {
  /** Why the run stopped before every flow ran (the run's stop reason), or undefined. */
  readonly stopped: string | undefined;
  /** The signal that interrupted it, when one did. */
  readonly signal?: string;
  readonly limits: { readonly tokenBudget?: number; readonly maxCost?: number };
  /** What this process spent (what the limits count). */
  readonly spent: Usage;
  readonly cancelled: number;
  /** How to run the rest: `--resume --run-id ID`. */
  readonly resume: string;
  readonly failed: FailedLeaves;
}

const number = formatCount;

/**
 * What the end of a run says beyond the counts: why it stopped early (which limit, with its figure;
 * a signal) and the first failed leaves with their errors.
 */
export function endingLines(ending: Ending): string[] {
  const lines: string[] = [];
  const why = stopText(ending);
  if (why !== undefined) {
    const rest =
      ending.cancelled > 0
        ? `; ${number(ending.cancelled)} cancelled: run the same command again with ${ending.resume} to finish them`
        : '';
    lines.push(`stopped early: ${why}${rest}`);
  }
  const { failed } = ending;
  if (failed.count > 0) {
    const leaves = failed.count === 1 ? 'leaf' : 'leaves';
    lines.push(
      `failed: ${number(failed.count)} ${leaves}${failed.count > failed.first.length ? `, the first ${failed.first.length}` : ''}:`,
    );
    for (const { leaf, error } of failed.first) lines.push(`  ${leaf}: ${oneLine(error)}`);
    const more = failed.count - failed.first.length;
    if (more > 0) lines.push(`  and ${number(more)} more (results.json lists each with its error)`);
  }
  if (failed.failedChecks > 0) {
    const leaves = failed.failedChecks === 1 ? 'leaf' : 'leaves';
    lines.push(
      `checks: ${number(failed.failedChecks)} ${leaves} failed a check, recorded without failing ("checks_fail": false); \`orchestrator report\` lists them`,
    );
  }
  return lines;
}

function stopText({ stopped, signal, limits, spent }: Ending): string | undefined {
  if (stopped === undefined) return undefined;
  if (stopped === 'cost limit reached' && limits.maxCost !== undefined)
    return `--max-cost ${formatUsd(limits.maxCost)} reached (this run's model calls cost ${formatUsd(spent.cost_usd)})`;
  if (stopped === 'token budget reached' && limits.tokenBudget !== undefined)
    return `--token-budget ${number(limits.tokenBudget)} reached (${number(spent.input_tokens + spent.output_tokens)} tokens used)`;
  if (stopped === 'interrupted') return `interrupted${signal === undefined ? '' : ` by ${signal}`}`;
  return stopped;
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
