import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { CancelledError, errorMessage } from '../errors.js';
import type { Status, StepEntry } from '../model/results.js';
import type { Usage } from '../model/usage.js';
import { stepEnv } from '../steps/env.js';
import type { StepResult, StepRunner } from '../steps/runner.js';
import type { LeafWorktree, WorktreeSession } from '../steps/worktree-session.js';
import type { TreeWriter } from '../util/files.js';
import { under } from '../util/tree-paths.js';
import type { Previous, StepInput } from './fingerprint.js';
import type { LeafRecords } from './leaf-records.js';
import type { PreparedRun } from './prepare.js';
import { readStepRecord, writeStepRecord, type StepRecord } from './resume.js';
import type { RunProgress } from './run-progress.js';
import { pricedResult, stepUsage } from './spend.js';
import type { Priority, Slots } from './slots.js';
import type { FlowState, StepInputs } from './step-input.js';

/** The runner of each kind of step. */
export type Runners = Readonly<Record<Step['kind'], StepRunner>>;

/** What a walk shares with the run it is part of. */
export interface WalkContext {
  readonly prepared: PreparedRun;
  readonly slots: Slots;
  /** Steps waiting in a batch (--batch): they hold one of these instead of a slot of --parallel. */
  readonly batchSeats: Slots;
  readonly files: TreeWriter;
  readonly leafRecords: LeafRecords;
  readonly inputs: StepInputs;
  readonly worktrees: WorktreeSession;
  readonly runners: Runners;
  readonly progress: RunProgress;
  /** Aborted to end every running step. */
  readonly signal: AbortSignal;
  /** Why the run stops, once it does: no new step starts then. */
  stopReason(): string | undefined;
  stop(reason: string): void;
}

/** One flow, or one branch of it, to walk from step `from` on. */
export interface Leaf {
  readonly flow: FlowState;
  /** The branch's element numbers, one per array step above it; empty for a flow. */
  readonly branch: readonly number[];
  readonly dir: string;
  readonly from: number;
  /** What step `from` starts from: the previous step's output and fingerprint. */
  readonly previous: Previous | undefined;
  /** Entries of the steps before `from`, shared with the sibling branches. */
  readonly inherited: StepEntry[];
  readonly worktree: LeafWorktree;
  /** Whether a slot is already held for step `from` (a new flow is handed the slot the feeder acquired). */
  readonly holding: boolean;
}

/** Where one leaf's walk stands: what its steps produced so far, and whether it holds a slot. */
export interface Walking {
  readonly leaf: Leaf;
  readonly priority: Priority;
  /** Entries of the steps that ran (or were reused) so far, the inherited ones first. */
  readonly done: StepEntry[];
  output: string | undefined;
  /** A cmd step's output byte for byte, for a following cmd step's stdin (`output` is its text view). */
  bytes: Buffer | undefined;
  /** The fingerprint of the last step: each step's covers the one before it. */
  chain: string | undefined;
  finalMessage: string | null;
  held: boolean;
  /**
   * With --resume, steps that succeeded in an earlier attempt are not paid for again, as long as
   * they were made under the same inputs (fingerprint.ts) and every step before them in this
   * walk was reused too.
   */
  reusing: boolean;
  /** Each step's fingerprint, for the index of finished flows (leaf-index.ts). */
  readonly prints: string[];
}

/** How one step went: its result (also when a later write failed), or why it did not succeed. */
export interface Attempt {
  readonly result: StepResult | undefined;
  readonly failure: { readonly status: Status; readonly message: string } | undefined;
  readonly error: unknown;
  /** The earlier attempt's record of this step, when it was reused instead of run. */
  readonly earlier: StepRecord | undefined;
}

/**
 * Runs step `step` of a walk, or reuses its earlier record (--resume, same fingerprint), and
 * records it (step.json); moves the walk's fingerprint chain on when it succeeds.
 */
export async function attemptStep(run: WalkContext, w: Walking, step: Step, stepDir: string, started: number): Promise<Attempt> {
  let result: StepResult | undefined;
  let earlier: StepRecord | undefined;
  try {
    const input = run.inputs.stepInput(w.leaf.flow, step, w.output, w.bytes);
    const fingerprint = run.inputs.fingerprintOf(step, input, w.chain);
    earlier = w.reusing ? readStepRecord(stepDir) : undefined;
    if (earlier?.fingerprint !== fingerprint) earlier = undefined;
    if (earlier !== undefined) {
      result = priceResult(run, step, earlier, true);
      if (earlier.patch !== undefined) w.leaf.worktree.inherited = earlier.patch;
    } else {
      // the directories down to this step's are real ones, not links planted by an earlier step
      // (in a fresh flow, checked by its first write: there is nothing of ours to clear)
      if (w.leaf.flow.fresh !== true || w.leaf.branch.length > 0) run.files.tree.removeDir(stepDir);
      run.leafRecords.texts?.begin(stepDir);
      result = priceResult(run, step, await executeStep(run, w, step, input, stepDir), false);
      writeStepRecord(run.files, stepDir, step, result, Date.now() - started, fingerprint);
    }
    w.chain = fingerprint;
    w.prints.push(fingerprint);
    return { result, failure: undefined, error: undefined, earlier };
  } catch (caught) {
    const failure =
      caught instanceof CancelledError
        ? { status: 'cancelled' as const, message: run.stopReason() ?? caught.message }
        : { status: 'failed' as const, message: `step ${step.index} (${JSON.stringify(step.label)}): ${errorMessage(caught)}` };
    return { result, failure, error: caught, earlier };
  }
}

/** Runs the step; one waiting for its batch gives its slot to other flows' steps meanwhile. */
async function executeStep(run: WalkContext, w: Walking, step: Step, input: StepInput, stepDir: string): Promise<StepResult> {
  if (run.runners[step.kind].batches === undefined) return runStep(run, w.leaf, step, input, stepDir);
  // that is how many requests become ready together and share a batch
  await run.batchSeats.acquire(w.priority);
  run.slots.release();
  w.held = false;
  try {
    // the wait for a seat may be long: the run may have stopped meanwhile
    const stopping = run.stopReason();
    if (stopping !== undefined) throw new CancelledError(stopping);
    return await runStep(run, w.leaf, step, input, stepDir);
  } finally {
    run.batchSeats.release();
  }
}

/** Runs one step; `input.input`: a cmd step's stdin byte for byte (the previous cmd step's output), recorded so in prompt.txt. */
function runStep(run: WalkContext, leaf: Leaf, step: Step, input: StepInput, stepDir: string): Promise<StepResult> {
  const { flow, branch } = leaf;
  run.files.tree.dir(stepDir);
  if (input.input !== undefined) run.files.writeBytes(join(stepDir, 'prompt.txt'), input.input);
  else run.files.write(under(stepDir, 'prompt.txt'), input.prompt);
  const env = stepEnv(flow.flow.id, branch, run.prepared.runDir);
  const name = [flow.flow.id, ...branch].join('-');
  return run.worktrees.runIn(step, leaf.worktree, { name, stepDir, stepEnv: env }, (cwd, tmpdir, changed) =>
    run.runners[step.kind].run({
      ...input,
      step,
      cwd,
      dir: stepDir,
      tmpdir,
      timeoutMs: (step.timeout ?? run.prepared.options.timeoutS) * 1000,
      signal: run.signal,
      files: run.files,
      env: { ...env, ...changed },
    }),
  );
}

/** `usage` with what it cost on the step's model. */
function priceResult(run: WalkContext, step: Step, result: StepResult, reused: boolean): StepResult {
  const batching = run.runners[step.kind].batches !== undefined;
  return pricedResult(step, result, { reused, batching }, run.prepared.prices, run.prepared.options);
}

/** What a step used, priced on its model. */
export function pricedUsage(run: WalkContext, step: Step, usage: Usage | null): Usage | null {
  return stepUsage(step, usage, run.prepared.prices, run.prepared.options);
}
