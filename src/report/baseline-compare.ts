import { createHash } from 'node:crypto';
import { leafLabel } from '../results/results.js';
import { leafChecks } from './checks.js';
import { isNotStarted, type LeafEntry, type ResultItem } from '../model/results.js';

/**
 * How a leaf compares with the baseline run's leaf of the same keys (and branch path):
 * - `new`: the baseline has no such leaf;
 * - `changed`: both succeeded, the outputs differ;
 * - `unchanged`: both succeeded with the same output, or neither succeeded;
 * - `newly failing`: the baseline's succeeded, this one did not (failed or cancelled);
 * - `fixed`: this one succeeded, the baseline's did not.
 */
export const MARKS = ['new', 'changed', 'unchanged', 'newly failing', 'fixed'] as const;
export type Mark = (typeof MARKS)[number];

/** A never-started range of leaves: no keys to match by, so not compared. */
export const NOT_COMPARED = 255;

interface BaselineLeaf {
  readonly succeeded: boolean;
  /** Its checks' verdicts by key (absent when it recorded none): ungraded ones left out. */
  readonly checks?: ReadonlyMap<string, boolean>;
  readonly output: string;
  /** Its position among the baseline's leaves, to find its text again for a changed leaf. */
  readonly ordinal: number;
}

/** Most characters of one baseline output kept for a changed leaf, and of all of them together. */
const TEXT_LIMIT = 20_000;
const TEXTS_LIMIT = 8 * 1024 * 1024;

/** What identifies a leaf across runs: its keys (the listed paths, by name) and its branch path. */
function matchKey(leaf: Pick<LeafEntry, 'keys' | 'branch'>): string {
  const keys = Object.entries(leaf.keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([keys, leaf.branch]);
}

const digest = (text: string | null): string => (text === null ? '' : createHash('sha256').update(text).digest('base64'));

/**
 * A run compared with a baseline run, leaf by leaf, in results order: `marks[i]` is the index in
 * MARKS of the i-th result item (NOT_COMPARED for a never-started range). Leaves with the same keys
 * and branch are matched in order. Built in one pass over this run and two over the baseline: the
 * first keeps a digest of each output, the second the text (cut) of the baseline outputs that
 * changed, so memory grows with what changed, not with all the outputs.
 */
export class BaselineComparison {
  readonly counts: Record<Mark, number> = { new: 0, changed: 0, unchanged: 0, 'newly failing': 0, fixed: 0 };
  /** Baseline leaves no leaf of this run matched (their keys are gone from the key lists). */
  readonly gone: number;
  /** Leaves of this run never started: not compared. */
  readonly notCompared: number;
  private readonly marks: Uint8Array;
  /** Checks that failed in the baseline and pass now, or the other way round, leaf by leaf. */
  readonly checks = new CheckChanges();
  /** Result item index -> the baseline's output of a changed leaf (cut: [text, full length]). */
  private readonly before = new Map<number, string | [string, number]>();

  constructor(
    /** The baseline's run id, as shown (untrusted: escape it). */
    readonly baselineRunId: string,
    /** The baseline's leaves, read twice (e.g. `() => mergedLeaves(run)`). */
    baseline: () => Iterable<ResultItem>,
    current: Iterable<ResultItem>,
    /** A leaf's whole output (results.json cuts long ones: `wholeOutput` reads their file); default its `output`. */
    outputOf: { readonly baseline?: OutputOf; readonly current?: OutputOf } = {},
  ) {
    const before = outputOf.baseline ?? ((leaf: LeafEntry) => leaf.output);
    const now = outputOf.current ?? ((leaf: LeafEntry) => leaf.output);
    const index = new Map<string, BaselineLeaf[]>();
    let baselineLeaves = 0;
    for (const item of baseline()) {
      if (isNotStarted(item)) continue;
      const key = matchKey(item);
      const list = index.get(key) ?? [];
      list.push({ succeeded: item.status === 'succeeded', output: digest(before(item)), ordinal: baselineLeaves, ...verdicts(item) });
      index.set(key, list);
      baselineLeaves++;
    }
    let marks = new Uint8Array(1024);
    let n = 0;
    let matched = 0;
    let notCompared = 0;
    const changed = new Map<number, number>(); // baseline ordinal -> result item index
    for (const item of current) {
      if (n === marks.length) {
        const grown = new Uint8Array(marks.length * 2);
        grown.set(marks);
        marks = grown;
      }
      if (isNotStarted(item)) {
        marks[n++] = NOT_COMPARED;
        notCompared += item.count;
        continue;
      }
      const match = index.get(matchKey(item))?.shift();
      if (match !== undefined) matched++;
      const mark = markOf(item, match, now);
      if (match?.checks !== undefined) this.checks.compare(item, match.checks);
      if (mark === 'changed') changed.set(match!.ordinal, n);
      this.counts[mark]++;
      marks[n++] = MARKS.indexOf(mark);
    }
    this.marks = marks.subarray(0, n);
    this.gone = baselineLeaves - matched;
    this.notCompared = notCompared;
    if (changed.size > 0) this.keepTexts(baseline(), changed, before);
  }

  private keepTexts(baseline: Iterable<ResultItem>, changed: ReadonlyMap<number, number>, outputOf: OutputOf): void {
    let budget = TEXTS_LIMIT;
    let ordinal = 0;
    for (const item of baseline) {
      if (isNotStarted(item)) continue;
      const at = changed.get(ordinal++);
      if (at === undefined || budget <= 0) continue;
      const output = outputOf(item);
      if (output === null) continue;
      const max = Math.min(TEXT_LIMIT, budget);
      budget -= Math.min(max, output.length);
      this.before.set(at, output.length > max ? [output.slice(0, max), output.length] : output);
    }
  }

  /** The baseline's output of the i-th result item when it changed (cut: [text, full length]). */
  beforeAt(i: number): string | [string, number] | undefined {
    return this.before.get(i);
  }

  /** The mark of the i-th result item (in results order); undefined for a never-started range. */
  markAt(i: number): Mark | undefined {
    const code = this.marks[i];
    return code === undefined || code === NOT_COMPARED ? undefined : MARKS[code];
  }

  /** The index in MARKS of the i-th result item, or -1: for the HTML report. */
  codeAt(i: number): number {
    const code = this.marks[i];
    return code === undefined || code === NOT_COMPARED ? -1 : code;
  }
}

type OutputOf = (leaf: LeafEntry) => string | null;

/** A baseline leaf's check verdicts, kept only when it has checks. */
function verdicts(leaf: LeafEntry): Pick<BaselineLeaf, 'checks'> {
  const checks = new Map<string, boolean>();
  for (const { key, check } of leafChecks(leaf)) if (!check.skipped) checks.set(key, check.passed);
  return checks.size === 0 ? {} : { checks };
}

/** A check whose verdict differs from the baseline's for the same leaf. */
export interface CheckChange {
  /** `flow_0003` or `flow_0003 [2.1]` (untrusted: escape it). */
  readonly leaf: string;
  readonly key: string;
  /** Why it fails now (newly failing), or why it failed before is not kept: its reason now (newly passing). */
  readonly reason: string;
}

/** Most check changes listed of each kind (the counts go on). */
const CHANGES_KEPT = 200;

/** Checks newly failing and newly passing against the baseline (same leaf, same step and check names). */
export class CheckChanges {
  readonly newlyFailing: CheckChange[] = [];
  readonly newlyPassing: CheckChange[] = [];
  failing = 0;
  passing = 0;

  compare(leaf: LeafEntry, before: ReadonlyMap<string, boolean>): void {
    for (const { key, check } of leafChecks(leaf)) {
      const was = before.get(key);
      if (was === undefined || check.skipped || was === check.passed) continue;
      const change = { leaf: leafLabel(leaf, (s) => s), key, reason: check.reason };
      if (check.passed) {
        this.passing++;
        if (this.newlyPassing.length < CHANGES_KEPT) this.newlyPassing.push(change);
      } else {
        this.failing++;
        if (this.newlyFailing.length < CHANGES_KEPT) this.newlyFailing.push(change);
      }
    }
  }
}

function markOf(leaf: LeafEntry, before: BaselineLeaf | undefined, outputOf: OutputOf): Mark {
  if (before === undefined) return 'new';
  const succeeded = leaf.status === 'succeeded';
  if (succeeded && before.succeeded) return digest(outputOf(leaf)) === before.output ? 'unchanged' : 'changed';
  if (succeeded) return 'fixed';
  return before.succeeded ? 'newly failing' : 'unchanged';
}
