import { join, relative } from 'node:path';
import type { Step } from '../config/types.js';
import { CancelledError, StepError, errorMessage } from '../errors.js';
import { branchDirName, stepDirName } from '../results/paths.js';
import type { Status, StepEntry } from '../model/results.js';
import { stepEnv } from '../steps/env.js';
import type { StepResult, StepRunner } from '../steps/runner.js';
import { addUsage, type Usage } from '../model/usage.js';
import type { LeafTree, WorktreeSession } from '../steps/worktree-session.js';
import type { TreeWriter } from '../util/files.js';
import { parseArrayOutput } from './array.js';
import { BREATHE_EVERY, breathe, fanOut, type BranchStart } from './fanout.js';
import type { Previous, StepInput } from './fingerprint.js';
import type { LeafRecords } from './leaf-records.js';
import type { PreparedRun } from './prepare.js';
import { readStepRecord, STEP_RECORD, writeStepRecord } from './resume.js';
import type { RunProgress } from './run-progress.js';
import { answerMarks, pricedResult, spendLimit, stepUsage } from './spend.js';
import type { Slots, Priority } from './slots.js';
import type { FlowState, StepInputs } from './step-input.js';

/** The runner of each kind of step. */
export type Runners = Readonly<Record<Step['kind'], StepRunner>>;

/** What a walk shares with the run it is part of. */
export interface WalkContext {
  readonly plan: PreparedRun;
  readonly slots: Slots;
  /** Steps waiting in a batch (--batch): they hold one of these instead of a slot of --parallel. */
  readonly batchSeats: Slots;
  readonly files: TreeWriter;
  readonly records: LeafRecords;
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
  readonly tree: LeafTree;
  /** Whether a slot is already held for step `from` (a new flow is handed the slot the feeder acquired). */
  readonly holding: boolean;
}

/** Runs the steps of flows and branches: each leaf's steps depth first, an array step's branches below it. */
export class Walker {
  constructor(private readonly run: WalkContext) {}

  /** Runs the steps of `leaf` from its step `from` on, and writes its result.json (or its branches'). */
  async walk(leaf: Leaf): Promise<void> {
    const { run } = this;
    const { flow, branch, dir, from, previous, tree } = leaf;
    const priority: Priority = [flow.flow.index, ...branch];
    const steps = run.plan.config.steps;
    const done: StepEntry[] = [...leaf.inherited];
    let output = previous?.output;
    // a cmd step's output byte for byte, for a following cmd step's stdin (`output` is its text view)
    let bytes: Buffer | undefined;
    // the fingerprint of the last step: each step's covers the one before it
    let chain = previous?.fingerprint;
    let finalMessage: string | null = null;
    let held = leaf.holding;
    // with --resume, steps that succeeded in an earlier attempt are not paid for again, as long as
    // they were made under the same inputs (fingerprint.ts) and every step before them in this
    // walk was reused too
    let reusing = run.plan.options.resume;
    // each step's fingerprint, for the index of finished flows (leaf-index.ts)
    const prints: string[] = [];
    const end = async (status: Status, error: string | null): Promise<void> => {
      if (held) run.slots.release();
      held = false;
      run.records.write(flow, branch, dir, {
        status,
        error,
        output: status === 'succeeded' ? (output ?? '') : (output ?? null),
        finalMessage,
        steps: done,
        fingerprints: prints,
      });
      await run.worktrees.close(tree);
    };

    for (let i = from; i < steps.length; i++) {
      const step = steps[i]!;
      run.progress.atStep[i]!++;
      run.progress.report();
      if (!held) await run.slots.acquire(priority);
      else if (i > from) await run.slots.reacquire(priority);
      held = true;
      const stopped = run.stopReason();
      if (stopped !== undefined) {
        run.progress.atStep[i]!--;
        return end('cancelled', stopped);
      }
      const stepDir = join(dir, stepDirName(step));
      const started = Date.now();
      let result: StepResult | undefined;
      let failure: { status: Status; message: string } | undefined;
      let error: unknown;
      let earlier: ReturnType<typeof readStepRecord>;
      try {
        const input = run.inputs.stepInput(flow, step, output, bytes);
        const fingerprint = run.inputs.fingerprintOf(step, input, chain);
        earlier = reusing ? readStepRecord(stepDir) : undefined;
        if (earlier?.fingerprint !== fingerprint) earlier = undefined;
        if (earlier !== undefined) {
          result = this.pricedResult(step, earlier, true);
          if (earlier.patch !== undefined) tree.inherited = earlier.patch;
        } else {
          // the directories down to this step's are real ones, not links planted by an earlier step
          run.files.tree.removeDir(stepDir);
          if (run.runners[step.kind].batches === undefined) result = await this.runStep(leaf, step, input, stepDir);
          else {
            // a step waiting for its batch gives its slot to other flows' steps: that is how many
            // requests become ready together and share a batch
            await run.batchSeats.acquire(priority);
            run.slots.release();
            held = false;
            try {
              // the wait for a seat may be long: the run may have stopped meanwhile
              const stopping = run.stopReason();
              if (stopping !== undefined) throw new CancelledError(stopping);
              result = await this.runStep(leaf, step, input, stepDir);
            } finally {
              run.batchSeats.release();
            }
          }
          result = this.pricedResult(step, result, false);
          writeStepRecord(run.files, stepDir, step, result, Date.now() - started, fingerprint);
        }
        chain = fingerprint;
        prints.push(fingerprint);
      } catch (caught) {
        error = caught;
        failure =
          caught instanceof CancelledError
            ? { status: 'cancelled', message: run.stopReason() ?? caught.message }
            : { status: 'failed', message: `step ${step.index} (${JSON.stringify(step.label)}): ${errorMessage(caught)}` };
      }
      reusing = earlier !== undefined;
      run.progress.atStep[i]!--;
      const usage = result?.usage ?? (error instanceof StepError ? this.priced(step, error.usage) : null);
      if (earlier === undefined) run.progress.usage = addUsage(run.progress.usage, usage);
      if (earlier === undefined && result?.cached !== undefined) run.progress.cacheHit(result.cached);
      const limit = spendLimit(run.plan.options, run.progress.usage);
      if (limit !== undefined) run.stop(limit);
      done.push({
        name: step.label,
        type: step.type,
        status: failure?.status ?? 'succeeded',
        duration_ms: earlier?.duration_ms ?? Date.now() - started,
        usage,
        dir: relative(run.plan.runDir, stepDir).split('\\').join('/'),
        ...answerMarks(result),
      });
      if (failure) {
        if (failure.status === 'failed') this.note(join(stepDir, 'error.txt'), failure.message + '\n');
        return end(failure.status, failure.message);
      }
      output = result!.output;
      bytes = result!.bytes;
      finalMessage = result!.finalMessage ? relative(run.plan.runDir, result!.finalMessage).split('\\').join('/') : null;

      if (step.array) {
        const parsed = parseArrayOutput(output, step.maxItems);
        if ('error' in parsed) {
          const message = `step ${step.index} (${JSON.stringify(step.label)}): ${parsed.error}`;
          done[done.length - 1] = { ...done[done.length - 1]!, status: 'failed' };
          this.forget(stepDir); // a resumed run asks again
          this.note(join(stepDir, 'error.txt'), message + '\n');
          return end('failed', message);
        }
        if (parsed.elements.length === 0) {
          output = '[]';
          finalMessage = null;
          return end('succeeded', null);
        }
        if (i + 1 === steps.length) {
          // the last step fans out: each element is a leaf of its own
          if (held) run.slots.release();
          held = false;
          await run.worktrees.close(tree);
          for (const [e, element] of parsed.elements.entries()) {
            if (e % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
            const reason = run.stopReason();
            if (reason !== undefined) {
              const rest = parsed.elements
                .slice(e)
                .map((text, k) => ({ previous: { output: text, fingerprint: chain! }, index: e + k + 1 }));
              run.records.writeNotStarted(flow, branch, dir, rest, reason, done);
              break;
            }
            run.records.write(flow, [...branch, e + 1], join(dir, branchDirName(e + 1)), {
              status: 'succeeded',
              error: null,
              output: element,
              finalMessage: null,
              steps: done,
            });
          }
          return;
        }
        // each branch starts from what this flow changed so far, in a worktree of its own
        const start = tree.patch ?? tree.inherited;
        run.slots.release();
        held = false;
        await run.worktrees.close(tree);
        const elements = parsed.elements.map((element, e) => ({ previous: { output: element, fingerprint: chain! }, index: e + 1 }));
        return this.runBranches({ flow, parent: branch, dir, branches: elements, from: i + 1, shared: done, start });
      }
    }
    return end('succeeded', null);
  }

  /**
   * Runs the branches of an array step below `parent` from step `from`, sharing the steps before,
   * each from the patch `start`; started lazily, so a huge array costs one waiter (see fanOut).
   */
  runBranches(at: {
    flow: FlowState;
    parent: readonly number[];
    dir: string;
    branches: readonly BranchStart[];
    from: number;
    shared: StepEntry[];
    start: string | undefined;
  }): Promise<void> {
    const { run } = this;
    const { flow, parent, dir, from, shared } = at;
    return fanOut([flow.flow.index, ...parent], at.branches, {
      acquire: (priority) => run.slots.acquire(priority),
      release: () => run.slots.release(),
      stopReason: () => run.stopReason(),
      start: ({ previous, index }) =>
        this.walk({
          flow,
          branch: [...parent, index],
          dir: join(dir, branchDirName(index)),
          from,
          previous,
          inherited: shared,
          tree: { inherited: at.start },
          holding: true,
        }),
      notStarted: (rest, reason) => run.records.writeNotStarted(flow, parent, dir, rest, reason, shared),
    });
  }

  /** `usage` with what it cost on the step's model. */
  private pricedResult(step: Step, result: StepResult, reused: boolean): StepResult {
    const batching = this.run.runners[step.kind].batches !== undefined;
    return pricedResult(step, result, { reused, batching }, this.run.plan.prices, this.run.plan.options);
  }

  private priced(step: Step, usage: Usage | null, batch?: boolean): Usage | null {
    return stepUsage(step, usage, this.run.plan.prices, this.run.plan.options, batch);
  }

  /** Runs one step; `input.input`: a cmd step's stdin byte for byte (the previous cmd step's output), recorded so in prompt.txt. */
  private async runStep(leaf: Leaf, step: Step, input: StepInput, stepDir: string): Promise<StepResult> {
    const { run } = this;
    const { flow, branch } = leaf;
    run.files.tree.dir(stepDir);
    if (input.input !== undefined) run.files.writeBytes(join(stepDir, 'prompt.txt'), input.input);
    else run.files.write(join(stepDir, 'prompt.txt'), input.prompt);
    const env = stepEnv(flow.flow.id, branch, run.plan.runDir);
    const name = [flow.flow.id, ...branch].join('-');
    return run.worktrees.runIn(step, leaf.tree, { name, stepDir, stepEnv: env }, (cwd, tmpdir, changed) =>
      run.runners[step.kind].run({
        ...input,
        step,
        cwd,
        dir: stepDir,
        tmpdir,
        timeoutMs: (step.timeout ?? run.plan.options.timeoutS) * 1000,
        signal: run.signal,
        files: run.files,
        env: { ...env, ...changed },
      }),
    );
  }

  /** Removes a step's step.json, once the directories down to it are checked: a failed write leaves it to the fingerprint. */
  private forget(stepDir: string): void {
    try {
      this.run.files.tree.removeFile(join(stepDir, STEP_RECORD));
    } catch {
      // a step directory that is not ours any more holds no record we would reuse
    }
  }

  /** A note for the reader (error.txt) that the results do not depend on: its own write failing changes nothing. */
  private note(path: string, text: string): void {
    try {
      this.run.files.write(path, text);
    } catch {
      // the error is in result.json and results.json already
    }
  }
}
