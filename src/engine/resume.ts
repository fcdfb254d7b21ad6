import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Step } from '../config/types.js';
import { shardRecordPath } from '../results/paths.js';
import { readLeafEntries } from '../results/store.js';
import type { LeafEntry, StepEntry } from '../model/results.js';
import { NO_USAGE, usageFrom, type Usage } from '../model/usage.js';
import type { TreeWriter } from '../util/files.js';
import { under } from '../util/tree-paths.js';
import { temporaryOwner } from '../util/safe-tree.js';
import { readTreeFile, readUnder } from '../util/safe-read.js';
import { OpenDir } from '../util/open-dir.js';
import { maxOutputBytes } from '../steps/limits.js';
import { isAlive } from '../util/alive.js';
import { BATCHES_DIR } from '../steps/batch/record.js';
import { parseArrayOutput } from './array.js';
import type { Previous } from './fingerprint.js';
import { isObject } from '../util/is-object.js';

/** The file in a step directory holding the step's output. */
export const outputFile = (step: Pick<Step, 'kind'>): 'final_message.txt' | 'output.txt' =>
  step.kind === 'codex' ? 'final_message.txt' : 'output.txt';

/**
 * The elements an array step gave, read back from its directory (no link followed on the way, no
 * more than a step's output may hold); undefined when they cannot be.
 */
function readElements(runDir: string, stepDir: string, step: Step): string[] | undefined {
  const cap = maxOutputBytes();
  const read = readUnder(runDir, `${stepDir}/${outputFile(step)}`, { maxBytes: cap + 1 });
  if (read === undefined || read.size > cap) return undefined;
  try {
    const parsed = parseArrayOutput(read.bytes.toString('utf8'));
    return 'error' in parsed ? undefined : parsed.elements;
  } catch {
    return undefined;
  }
}

/** What a succeeded step leaves in its directory, so `--resume` can use its output instead of paying again. */
export const STEP_RECORD = 'step.json';

export interface StepRecord {
  readonly output: string;
  /** The output file byte for byte: what a following cmd step gets on stdin. */
  readonly bytes: Buffer;
  readonly usage: Usage | null;
  readonly finalMessage?: string;
  readonly duration_ms: number;
  /** changes.patch, when the step ran in a worktree. */
  readonly patch?: string;
  /** What the step was made under (fingerprint.ts); undefined in records written before fingerprints. */
  readonly fingerprint: string | undefined;
  /** Answered from the response cache: what the answer first cost (`usage` is then zero). */
  readonly cached?: Usage;
  /** The batch that answered the step (--batch). */
  readonly batchId?: string;
}

export function writeStepRecord(
  files: TreeWriter,
  stepDir: string,
  step: Step,
  result: { usage: Usage | null; finalMessage?: string; cached?: Usage; batchId?: string },
  durationMs: number,
  fingerprint: string,
): void {
  const record = {
    schema: 1,
    status: 'succeeded',
    output: outputFile(step),
    usage: result.usage,
    duration_ms: durationMs,
    fingerprint,
    ...(result.cached !== undefined ? { cached: true, saved: result.cached } : {}),
    ...(result.batchId !== undefined ? { batch: result.batchId } : {}),
  };
  // not atomic: a step.json cut short by a crash does not parse, and the step runs again
  files.writeJson(under(stepDir, STEP_RECORD), record, { atomic: false });
}

export function readStepRecord(stepDir: string): StepRecord | undefined {
  try {
    // read without following a link a step may have planted (output.txt -> /proc/self/environ)
    const record = JSON.parse(readTreeFile(join(stepDir, STEP_RECORD)).toString('utf8')) as {
      status?: string;
      output?: string;
      usage?: unknown;
      duration_ms?: number;
      fingerprint?: unknown;
      cached?: unknown;
      saved?: unknown;
      batch?: unknown;
    };
    if (record.status !== 'succeeded' || (record.output !== 'output.txt' && record.output !== 'final_message.txt')) return undefined;
    const bytes = readTreeFile(join(stepDir, record.output));
    const patch = join(stepDir, 'changes.patch');
    return {
      output: bytes.toString('utf8'),
      bytes,
      usage: usageFrom(record.usage),
      finalMessage: record.output === 'final_message.txt' ? join(stepDir, record.output) : undefined,
      duration_ms: record.duration_ms ?? 0,
      patch: existsSync(patch) ? patch : undefined,
      fingerprint: typeof record.fingerprint === 'string' ? record.fingerprint : undefined,
      cached: record.cached === true ? (usageFrom(record.saved) ?? NO_USAGE) : undefined,
      batchId: typeof record.batch === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(record.batch) ? record.batch : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The directories of a run, beside its flows, that hold files written through a temporary file. */
const RECORD_DIRS = ['', dirname(shardRecordPath({ index: 1, count: 1 })), BATCHES_DIR];

/**
 * With `--resume`, removes the temporary files earlier attempts left beside the flows (run.json's,
 * results.json's, a shard record's, a batch record's): only regular files named as orchestrator
 * names them, and only those of a process that is gone (other shards of the run may be writing
 * theirs now). The flows' own leftovers go with removeLeafResults (resume-clear.ts), when the flow runs again.
 */
export function removeLeftovers(runDir: string): void {
  for (const name of RECORD_DIRS) {
    const dir = OpenDir.under(runDir, name);
    if (dir === undefined) continue;
    try {
      // names only: the run directory holds a directory a flow, and only temporary files matter
      for (const name of dir.names()) {
        const pid = name.endsWith('.tmp') ? temporaryOwner(name) : undefined;
        if (pid !== undefined && (pid === process.pid || !isAlive(pid)) && dir.isFile(name)) dir.remove(name);
      }
    } finally {
      dir.close();
    }
  }
}

/** The fingerprint a step would be made under now, from the step before it; throws when its inputs cannot be read. */
export type Fingerprinter = (step: Step, previous: Previous | undefined) => string;

/**
 * With `--resume`, which saved steps are current: a step is when its record's fingerprint is the
 * one it would be made under now, from the saved output of the step before it, itself current.
 * Answers are kept per step directory, so the steps a flow's leaves share are read once.
 */
export class CurrentSteps {
  private readonly known = new Map<string, Previous | null>();

  constructor(
    private readonly steps: readonly Step[],
    private readonly runDir: string,
    private readonly fingerprintOf: Fingerprinter,
  ) {}

  /** The saved output and fingerprint of a leaf's step `i` when it and every step before it are current. */
  step(leaf: LeafEntry, i: number): Previous | undefined {
    const entry = leaf.steps[i];
    if (entry === undefined || entry.status !== 'succeeded') return undefined;
    let known = this.known.get(entry.dir);
    if (known === undefined) {
      known = this.check(leaf, i, entry.dir);
      this.known.set(entry.dir, known);
    }
    return known ?? undefined;
  }

  /** Whether every step a leaf ran is current. */
  leaf(leaf: LeafEntry): boolean {
    return leaf.steps.length > 0 && this.step(leaf, leaf.steps.length - 1) !== undefined;
  }

  private check(leaf: LeafEntry, i: number, dir: string): Previous | null {
    let previous: Previous | undefined;
    if (i > 0) {
      previous = this.step(leaf, i - 1);
      if (previous === undefined) return null;
      if (this.steps[i - 1]!.array) {
        // the step after an array step starts from this leaf's element of it
        const depth = this.steps.slice(0, i - 1).filter((s) => s.array).length;
        const parsed = parseArrayOutput(previous.output);
        const element = 'error' in parsed ? undefined : parsed.elements[(leaf.branch[depth] ?? 0) - 1];
        if (element === undefined) return null;
        previous = { output: element, fingerprint: previous.fingerprint };
      }
    }
    const record = readStepRecord(join(this.runDir, dir));
    if (record?.fingerprint === undefined) return null;
    let fingerprint: string;
    try {
      fingerprint = this.fingerprintOf(this.steps[i]!, previous);
    } catch {
      return null; // its inputs cannot be read now: it runs again and fails with the reason
    }
    return record.fingerprint === fingerprint ? { output: record.output, bytes: record.bytes, fingerprint } : null;
  }
}

/**
 * With `--resume`, the branches of a flow to run again: those of its first array step without a
 * succeeded, current leaf. Undefined when the flow must run again from its start (it failed before
 * or at its array step, that step's output is gone, or a step up to it is not current).
 */
export function unfinishedBranches(
  steps: readonly Step[],
  runDir: string,
  earlier: readonly LeafEntry[],
  current: CurrentSteps,
): Array<{ previous: Previous; index: number; from: number; steps: StepEntry[]; patch: string | undefined }> | undefined {
  const array = steps.findIndex((s) => s.array);
  if (array < 0 || array === steps.length - 1 || earlier.some((e) => e.branch.length === 0)) return undefined;
  const shared = earlier[0]!.steps.slice(0, array + 1);
  if (shared.length !== array + 1 || shared.some((s) => s.status !== 'succeeded')) return undefined;
  // the array step's fingerprint gates its branches: when it is not current, neither are they
  const split = current.step(earlier[0]!, array);
  if (split === undefined) return undefined;
  const elements = readElements(runDir, shared[array]!.dir, steps[array]!);
  if (elements === undefined) return undefined;
  const patches = shared.map((s) => join(runDir, s.dir, 'changes.patch')).filter((p) => existsSync(p));
  const unfinished = elements
    .map((element, i) => ({
      previous: { output: element, fingerprint: split.fingerprint },
      index: i + 1,
      from: array + 1,
      steps: shared,
      patch: patches[patches.length - 1],
    }))
    .filter(({ index }) => {
      const leaves = earlier.filter((e) => e.branch[0] === index);
      return (
        leaves.length === 0 ||
        leaves.some((e) => e.status !== 'succeeded' || !current.leaf(e)) ||
        !allLeavesPresent(steps, runDir, leaves, 1)
      );
    });
  return unfinished;
}

/**
 * With `--resume`, where a flow stands: `done` when every leaf it had succeeded and is current
 * (made under the inputs it would get now), the branches to run again when only some of its first
 * array step's are not, undefined when it runs again from its first step (its saved steps are
 * still reused where current).
 */
export function resumeAt(
  steps: readonly Step[],
  runDir: string,
  flowDir: string,
  fingerprintOf: Fingerprinter,
): 'done' | ReturnType<typeof unfinishedBranches> {
  const earlier = readLeafEntries(flowDir);
  if (earlier.length === 0) return undefined;
  const current = new CurrentSteps(steps, runDir, fingerprintOf);
  // a run killed mid-way may have written only some of a flow's leaves: the missing ones run too
  if (
    earlier.every((e) => e.status === 'succeeded') &&
    allLeavesPresent(steps, runDir, earlier, 0) &&
    earlier.every((e) => current.leaf(e))
  ) {
    return 'done';
  }
  return unfinishedBranches(steps, runDir, earlier, current);
}

/**
 * Whether `group` (the leaves on disk below one flow or branch at array depth `depth`) is every
 * leaf there is: each element of the array step that split it has leaves of its own, all the
 * way down. False when an array step's output cannot be read back.
 */
export function allLeavesPresent(steps: readonly Step[], runDir: string, group: readonly LeafEntry[], depth: number): boolean {
  if (group.some((e) => e.branch.length === depth)) return group.length === 1;
  const k = steps.map((s, i) => (s.array ? i : -1)).filter((i) => i >= 0)[depth];
  const entry = k === undefined ? undefined : group[0]!.steps[k];
  if (entry === undefined) return false;
  const elements = readElements(runDir, entry.dir, steps[k!]!);
  if (elements === undefined) return false;
  return elements.every((_, e) => {
    const below = group.filter((l) => l.branch[depth] === e + 1);
    return below.length > 0 && allLeavesPresent(steps, runDir, below, depth + 1);
  });
}

/** One run of the orchestrator over a run directory (the first, or a `--resume`), as run.json lists it. */
export interface Attempt {
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly options: Readonly<Record<string, unknown>>;
}

/** What run.json said about the attempts before this one. */
export interface Attempts {
  /** When the first attempt started: run.json keeps it. */
  readonly startedAt?: string;
  readonly attempts: readonly Attempt[];
}

function asAttempt(value: unknown): Attempt | undefined {
  if (!isObject(value) || typeof value.started_at !== 'string') return undefined;
  return {
    started_at: value.started_at,
    ended_at: typeof value.ended_at === 'string' ? value.ended_at : null,
    options: isObject(value.options) ? value.options : {},
  };
}

/**
 * The attempts this shard's record (or, unsharded, run.json) lists; a record written before
 * attempts were listed counts as one attempt with its own options.
 */
export function earlierAttempts(runDir: string, shard: { index: number; count: number }): Attempts {
  const read = (path: string): unknown => {
    try {
      return JSON.parse(readTreeFile(path).toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const record = read(join(runDir, shardRecordPath(shard))) ?? (shard.count === 1 ? read(join(runDir, 'run.json')) : undefined);
  if (!isObject(record)) return { attempts: [] };
  const listed = Array.isArray(record.attempts) ? record.attempts.map(asAttempt) : [asAttempt(record)];
  const attempts = listed.filter((a): a is Attempt => a !== undefined);
  return { startedAt: typeof record.started_at === 'string' ? record.started_at : attempts[0]?.started_at, attempts };
}
