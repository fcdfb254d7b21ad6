import { join, relative, sep } from 'node:path';
import type { Step } from '../config/types.js';
import { errorMessage, StepError } from '../errors.js';
import type { Status, StepEntry } from '../model/results.js';
import { addUsage, type Usage } from '../model/usage.js';
import { branchDirName, stepDirName } from '../results/paths.js';
import { parseArrayOutput } from './array.js';
import { BREATHE_EVERY, breathe, fanOut, type BranchStart } from './fanout.js';
import { STEP_RECORD } from './resume.js';
import { checkStep, withChecksUsage } from './step-checks.js';
import { answerMarks, spendLimit } from './spend.js';
import type { FlowState } from './step-input.js';
import { under } from '../util/tree-paths.js';
import { attemptStep, pricedUsage, type Attempt, type Leaf, type WalkContext, type Walking } from './walk-step.js';

export type { Leaf, Runners, WalkContext } from './walk-step.js';

/** Runs the steps of flows and branches: each leaf's steps depth first, an array step's branches below it. */
export class Walker {
  /** Each step's directory name (stepDirName), made once. */
  private readonly dirNames = new Map<Step, string>();

  constructor(readonly run: WalkContext) {}

  /** Runs the steps of `leaf` from its step `from` on, and writes its result.json (or its branches'). */
  async walk(leaf: Leaf): Promise<void> {
    const { previous } = leaf;
    const w: Walking = {
      leaf,
      priority: [leaf.flow.flow.index, ...leaf.branch],
      done: [...leaf.inherited],
      output: previous?.output,
      bytes: undefined,
      chain: previous?.fingerprint,
      finalMessage: null,
      held: leaf.holding,
      reusing: this.run.prepared.options.resume,
      prints: [],
    };
    const steps = this.run.prepared.config.steps;
    for (let i = leaf.from; i < steps.length; i++) {
      if ((await this.step(w, i)) === 'ended') return;
    }
    return this.end(w, 'succeeded', null);
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
          worktree: { inherited: at.start },
          holding: true,
        }),
      notStarted: (rest, reason) => run.leafRecords.writeNotStarted(flow, parent, dir, rest, reason, shared),
    });
  }

  /** Step `i` of the walk, once a slot is held: `ended` when the leaf ended with it (or fanned out below it). */
  private async step(w: Walking, i: number): Promise<'next' | 'ended'> {
    const { run } = this;
    const step = run.prepared.config.steps[i]!;
    run.progress.atStep[i]!++;
    run.progress.report();
    // the writer thread far behind (a run whose writes are deferred): no step starts until it catches up
    const room = w.held ? undefined : run.files.room();
    if (room !== undefined) await room;
    if (!w.held) await run.slots.acquire(w.priority);
    else if (i > w.leaf.from) await run.slots.reacquire(w.priority);
    w.held = true;
    const stopped = run.stopReason();
    if (stopped !== undefined) {
      run.progress.atStep[i]!--;
      await this.end(w, 'cancelled', stopped);
      return 'ended';
    }
    const stepDir = under(w.leaf.dir, this.dirName(step));
    const started = Date.now();
    const tried = await attemptStep(run, w, step, stepDir, started);
    const { flow, branch, worktree } = w.leaf;
    const checked = await checkStep(run, { flowId: flow.flow.id, branch, worktree, stepDir }, step, tried);
    const { result, earlier } = tried;
    // counted (and a spending limit stops the run) before the slot goes to another flow's step
    const usage = withChecksUsage(this.count(step, tried), checked);
    // and a failed leaf is told (--fail-fast) before its slot goes on, while its files are written
    if ((tried.failure ?? checked.failure)?.status === 'failed')
      run.leafRecords.failing({ id: w.leaf.flow.flow.id, branch: w.leaf.branch });
    const writing = this.written(w, step, stepDir);
    const lost = writing === undefined ? undefined : await writing;
    const failure = tried.failure ?? checked.failure ?? lost;
    w.reusing = earlier !== undefined;
    run.progress.atStep[i]!--;
    w.done.push({
      name: step.label,
      type: step.type,
      status: failure?.status ?? 'succeeded',
      duration_ms: earlier?.duration_ms ?? Date.now() - started,
      usage,
      dir: this.relative(stepDir),
      ...answerMarks(result),
      ...(checked.checks === undefined ? {} : { checks: checked.checks.results }),
    });
    // a leaf failed by its checks shows the output they judged
    if (checked.failure !== undefined) w.output = result!.output;
    // a step cancelled while it ran (Ctrl-C, --fail-fast, a budget) says so too: its output.txt is whatever it printed until then
    if (failure !== undefined)
      this.note(join(stepDir, 'error.txt'), `${failure.status === 'cancelled' ? 'cancelled: ' : ''}${failure.message}\n`);
    // the step's files are written: its directory's handle goes now, not when it is the oldest (dir-handles.ts)
    run.files.tree.close(stepDir);
    if (failure) {
      await this.end(w, failure.status, failure.message);
      return 'ended';
    }
    w.output = result!.output;
    w.bytes = result!.bytes;
    w.finalMessage = result!.finalMessage ? this.relative(result!.finalMessage) : null;
    if (!step.array) return 'next';
    await this.fanOutAt(w, i, stepDir);
    return 'ended';
  }

  /**
   * With the run's writes deferred (a writer thread: util/tree-queue.ts): a promise of this step's
   * files written, its slot given back meanwhile; a write that failed fails the step as it would
   * have failed it here (and its step.json goes: a resumed run runs it again). Undefined when the
   * writes are made at once.
   */
  private written(w: Walking, step: Step, stepDir: string): Promise<{ status: 'failed'; message: string } | undefined> | undefined {
    const { run } = this;
    const pending = run.files.written(stepDir);
    if (pending === undefined) return undefined;
    if (w.held) run.slots.release();
    w.held = false;
    return pending.then((error) => {
      if (error === undefined) return undefined;
      this.forget(stepDir);
      return { status: 'failed' as const, message: `step ${step.index} (${JSON.stringify(step.label)}): ${errorMessage(error)}` };
    });
  }

  private dirName(step: Step): string {
    let name = this.dirNames.get(step);
    if (name === undefined) this.dirNames.set(step, (name = stepDirName(step)));
    return name;
  }

  /** Adds what a step used (unless reused from an earlier attempt) to the run's spend; stops the run at a limit. */
  private count(step: Step, { result, error, earlier }: Attempt): Usage | null {
    const { run } = this;
    const usage = result?.usage ?? (error instanceof StepError ? pricedUsage(run, step, error.usage) : null);
    if (earlier === undefined) run.progress.usage = addUsage(run.progress.usage, usage);
    if (earlier === undefined && result?.cached !== undefined) run.progress.cacheHit(result.cached);
    const limit = spendLimit(run.prepared.options, run.progress.usage);
    if (limit !== undefined) run.stop(limit);
    return usage;
  }

  /** Step `i` is an array step that succeeded: its elements become branches (or, as the last step, leaves). */
  private async fanOutAt(w: Walking, i: number, stepDir: string): Promise<void> {
    const { run } = this;
    const step = run.prepared.config.steps[i]!;
    const parsed = parseArrayOutput(w.output!, step.maxItems);
    if ('error' in parsed) {
      const message = `step ${step.index} (${JSON.stringify(step.label)}): ${parsed.error}`;
      w.done[w.done.length - 1] = { ...w.done[w.done.length - 1]!, status: 'failed' };
      this.forget(stepDir); // a resumed run asks again
      this.note(join(stepDir, 'error.txt'), message + '\n');
      return this.end(w, 'failed', message);
    }
    if (parsed.elements.length === 0) {
      w.output = '[]';
      w.finalMessage = null;
      return this.end(w, 'succeeded', null);
    }
    if (w.held) run.slots.release();
    w.held = false;
    const { worktree } = w.leaf;
    // each branch starts from what this flow changed so far, in a worktree of its own
    const start = worktree.patch ?? worktree.inherited;
    await run.worktrees.close(worktree);
    const elements = parsed.elements.map((element, e) => ({ previous: { output: element, fingerprint: w.chain! }, index: e + 1 }));
    if (i + 1 === run.prepared.config.steps.length) return this.elementLeaves(w, elements);
    const { flow, branch, dir } = w.leaf;
    return this.runBranches({ flow, parent: branch, dir, branches: elements, from: i + 1, shared: w.done, start });
  }

  /** The last step fanned out: each element is a leaf of its own, succeeded with the element as its output. */
  private async elementLeaves(w: Walking, elements: readonly BranchStart[]): Promise<void> {
    const { run } = this;
    const { flow, branch, dir } = w.leaf;
    for (const [e, { previous, index }] of elements.entries()) {
      if (e % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
      const reason = run.stopReason();
      if (reason !== undefined) {
        run.leafRecords.writeNotStarted(flow, branch, dir, elements.slice(e), reason, w.done);
        return;
      }
      run.leafRecords.write(flow, [...branch, index], join(dir, branchDirName(index)), {
        status: 'succeeded',
        error: null,
        output: previous.output,
        finalMessage: null,
        steps: w.done,
      });
    }
  }

  /** The leaf ended: gives its slot back, writes its result.json, closes its worktree. */
  private async end(w: Walking, status: Status, error: string | null): Promise<void> {
    const { run } = this;
    if (w.held) run.slots.release();
    w.held = false;
    const { flow, branch, dir, worktree } = w.leaf;
    run.leafRecords.write(flow, branch, dir, {
      status,
      error,
      output: status === 'succeeded' ? (w.output ?? '') : (w.output ?? null),
      finalMessage: w.finalMessage,
      steps: w.done,
      fingerprints: w.prints,
    });
    await run.worktrees.close(worktree);
  }

  /** A path relative to the run directory, with forward slashes. */
  private relative(path: string): string {
    const { runDir } = this.run.prepared;
    // a path join() made below the run directory (a step's): its rest, without path.relative's resolves
    if (sep === '/' && path.startsWith(runDir) && path[runDir.length] === '/') return path.slice(runDir.length + 1);
    return relative(runDir, path).split('\\').join('/');
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
