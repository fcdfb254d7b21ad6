import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../config/types.js';
import type { LeafEntry, StepEntry } from '../results/types.js';
import type { Usage } from '../steps/runner.js';
import { parseArrayOutput } from './array.js';

/** The file in a step directory holding the step's output. */
export const outputFile = (step: Pick<Step, 'kind'>): 'final_message.txt' | 'output.txt' =>
  step.kind === 'codex' ? 'final_message.txt' : 'output.txt';

/** The elements an array step gave, read back from its directory; undefined when they cannot be. */
function readElements(runDir: string, stepDir: string, step: Step): string[] | undefined {
  try {
    const parsed = parseArrayOutput(readFileSync(join(runDir, stepDir, outputFile(step)), 'utf8'));
    return 'error' in parsed ? undefined : parsed.elements;
  } catch {
    return undefined;
  }
}

/** What a succeeded step leaves in its directory, so `--resume` can use its output instead of paying again. */
export const STEP_RECORD = 'step.json';

export interface StepRecord {
  readonly output: string;
  readonly usage: Usage | null;
  readonly finalMessage?: string;
  readonly duration_ms: number;
  /** changes.patch, when the step ran in a worktree. */
  readonly patch?: string;
}

export function writeStepRecord(
  stepDir: string,
  step: Step,
  result: { usage: Usage | null; finalMessage?: string },
  durationMs: number,
): void {
  const record = {
    schema: 1,
    status: 'succeeded',
    output: outputFile(step),
    usage: result.usage,
    duration_ms: durationMs,
  };
  writeFileSync(join(stepDir, STEP_RECORD), JSON.stringify(record, null, 2) + '\n');
}

export function readStepRecord(stepDir: string): StepRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(stepDir, STEP_RECORD), 'utf8')) as {
      status?: string;
      output?: string;
      usage?: Usage | null;
      duration_ms?: number;
    };
    if (record.status !== 'succeeded' || (record.output !== 'output.txt' && record.output !== 'final_message.txt')) return undefined;
    const output = readFileSync(join(stepDir, record.output), 'utf8');
    const patch = join(stepDir, 'changes.patch');
    return {
      output,
      usage: record.usage ?? null,
      finalMessage: record.output === 'final_message.txt' ? join(stepDir, record.output) : undefined,
      duration_ms: record.duration_ms ?? 0,
      patch: existsSync(patch) ? patch : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Removes the leaves' result.json files below a directory, keeping the step directories for reuse. */
export function removeLeafResults(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeLeafResults(path);
    else if (entry.name === 'result.json') rmSync(path, { force: true });
  }
}

/**
 * With `--resume`, the branches of a flow to run again: those of its first array step without a
 * succeeded leaf. Undefined when the flow must run again from its start (it failed before or at
 * its array step, or that step's output is gone).
 */
export function unfinishedBranches(
  steps: readonly Step[],
  runDir: string,
  earlier: readonly LeafEntry[],
): Array<{ element: string; index: number; from: number; steps: StepEntry[]; patch: string | undefined }> | undefined {
  const array = steps.findIndex((s) => s.array);
  if (array < 0 || array === steps.length - 1 || earlier.some((e) => e.branch.length === 0)) return undefined;
  const shared = earlier[0]!.steps.slice(0, array + 1);
  if (shared.length !== array + 1 || shared.some((s) => s.status !== 'succeeded')) return undefined;
  const elements = readElements(runDir, shared[array]!.dir, steps[array]!);
  if (elements === undefined) return undefined;
  const patches = shared.map((s) => join(runDir, s.dir, 'changes.patch')).filter((p) => existsSync(p));
  const unfinished = elements
    .map((element, i) => ({ element, index: i + 1, from: array + 1, steps: shared, patch: patches[patches.length - 1] }))
    .filter(({ index }) => {
      const leaves = earlier.filter((e) => e.branch[0] === index);
      return leaves.length === 0 || leaves.some((e) => e.status !== 'succeeded') || !allLeavesPresent(steps, runDir, leaves, 1);
    });
  return unfinished;
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
