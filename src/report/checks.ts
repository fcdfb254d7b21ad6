/**
 * Checks across leaves (pure): the pass rate of each check (a step's check, by step and check
 * name) and the leaves that failed one, for the summary, the comment, `report` and report.html.
 */
import { isNotStarted, type LeafEntry, type ResultItem } from '../model/results.js';
import { checkFailed, type CheckResult } from '../model/checks.js';
import { leafLabel } from '../results/results.js';

/**
 * A check as reports name it and count it: its step's name and its own, `draft › contains "LGTM"`.
 * Step names need not be unique (an unnamed step is named by its type): the second step of a name
 * is `draft #2`, the third `draft #3`, so two steps' checks are counted apart. Numbered among the
 * steps of that name rather than by position, a baseline whose config had another step inserted
 * still matches its checks. A name that could be read as part of another key (a step named
 * `draft #2`, a ` › ` in a name, a leading `"`) is quoted as a JSON string, so no two checks share a key.
 */
export const checkKey = (step: string, nth: number, check: Pick<CheckResult, 'name'>): string => {
  const name = quoted(step, /^"| › | #\d+$/);
  return `${nth === 1 ? name : `${name} #${nth}`} › ${quoted(check.name, /^"| › /)}`;
};

const quoted = (name: string, ambiguous: RegExp): string => (ambiguous.test(name) ? JSON.stringify(name) : name);

/** Each check a leaf's steps recorded, with its key. */
export function* leafChecks(leaf: Pick<LeafEntry, 'steps'>): Generator<{ key: string; check: CheckResult }> {
  const named = new Map<string, number>();
  for (const step of leaf.steps) {
    const nth = (named.get(step.name) ?? 0) + 1;
    named.set(step.name, nth);
    for (const check of step.checks ?? []) yield { key: checkKey(step.name, nth, check), check };
  }
}

/** One check's counts over the leaves that ran it. */
export interface CheckRate {
  readonly key: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** A leaf that failed a check, and why. */
export interface CheckFailure {
  /** `flow_0003` or `flow_0003 [2.1]` (untrusted: escape it). */
  readonly leaf: string;
  readonly id: string;
  readonly branch: readonly number[];
  readonly key: string;
  readonly reason: string;
}

/** Most failures kept to list (the counts go on). */
const FAILURES_KEPT = 200;

/** Pass rates per check and the first failures, added one leaf at a time (a run's leaves are read once). */
export class CheckTally {
  private readonly rates = new Map<string, CheckRate>();
  private readonly failures: CheckFailure[] = [];
  /** Leaves that failed at least one check. */
  failingLeaves = 0;

  add(item: ResultItem): void {
    if (isNotStarted(item)) return;
    let failing = false;
    for (const { key, check } of leafChecks(item)) {
      let rate = this.rates.get(key);
      if (rate === undefined) this.rates.set(key, (rate = { key, passed: 0, failed: 0, skipped: 0 }));
      if (checkFailed(check)) {
        rate.failed++;
        failing = true;
        if (this.failures.length < FAILURES_KEPT)
          this.failures.push({ leaf: leafLabel(item, (s) => s), id: item.id, branch: item.branch, key, reason: check.reason });
      } else if (check.skipped === true) rate.skipped++;
      else rate.passed++;
    }
    if (failing) this.failingLeaves++;
  }

  /** Whether any leaf recorded a check. */
  get any(): boolean {
    return this.rates.size > 0;
  }

  /** Each check's counts, in the order first seen (config order). */
  checks(): readonly CheckRate[] {
    return [...this.rates.values()];
  }

  /** The first failures (at most `max`), in results order. */
  failed(max = FAILURES_KEPT): readonly CheckFailure[] {
    return this.failures.slice(0, max);
  }

  /** All failures, also those not kept. */
  get failuresTotal(): number {
    return this.checks().reduce((sum, rate) => sum + rate.failed, 0);
  }
}

/** `3/4 (75 %)`; skipped checks (ungraded rubrics) are named, not counted. */
export function rateText(rate: CheckRate): string {
  const ran = rate.passed + rate.failed;
  const percent = ran === 0 ? '–' : `${Math.round((100 * rate.passed) / ran)} %`;
  return `${rate.passed}/${ran} (${percent})${rate.skipped > 0 ? `, ${rate.skipped} not graded` : ''}`;
}

/** A tally of `leaves`. */
export function tallyChecks(leaves: Iterable<ResultItem>): CheckTally {
  const tally = new CheckTally();
  for (const leaf of leaves) tally.add(leaf);
  return tally;
}
