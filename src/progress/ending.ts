import { formatUsd } from '../model/cost.js';
import type { Usage } from '../model/usage.js';
import { formatCount } from '../model/numbers.js';
import { failedLines, type FailedLeaves } from '../report/failed.js';

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
  lines.push(...failedLines(failed, ' (results.json lists each with its error)'));
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
