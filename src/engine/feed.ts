import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { range } from '../flows/flows.js';
import type { Flow } from '../flows/flows.js';
import { branchDirName } from '../results/paths.js';
import { unstartedEntry } from '../results/results.js';
import { BREATHE_EVERY, breathe, type BranchStart } from './fanout.js';
import type { Previous } from './fingerprint.js';
import type { CheckedLines } from './leaf-checks.js';
import type { LeafRecords } from './leaf-records.js';
import type { PreparedRun } from './prepare.js';
import { resumeAt } from './resume.js';
import { removeLeafResults, removeNotStarted } from './resume-clear.js';
import type { RunProgress } from './run-progress.js';
import type { Slots } from './slots.js';
import type { FlowState, StepInputs } from './step-input.js';
import { holdOldGeneration, holdYoungGeneration } from '../util/young-generation.js';
import type { TreeWriter } from '../util/files.js';
import type { Walker } from './walk.js';
import { VouchAhead } from './vouch-ahead.js';

/**
 * Flows after which V8's young and old generations stop growing (util/young-generation.ts): a long
 * run's memory is then flat. Not from the start: a run of model calls at --parallel 50 that was held from
 * the start spent 5-10 % more CPU on scavenges (the 2,000-flow engine row of npm run bench).
 */
const HOLD_YOUNG_AFTER = 10_000;

/** Past HOLD_YOUNG_AFTER flows: neither of V8's generations grows further (util/young-generation.ts). */
function holdGenerations(): void {
  holdYoungGeneration();
  holdOldGeneration();
}

/** What the feeder shares with its run. */
export interface FeedContext {
  readonly prepared: PreparedRun;
  readonly slots: Slots;
  readonly leafRecords: LeafRecords;
  readonly inputs: StepInputs;
  readonly progress: RunProgress;
  readonly walker: Walker;
  /** The run's tree: with its writes on a thread (util/tree-queue.ts), no flow starts while that thread is far behind. */
  readonly files: TreeWriter;
  /** With `--resume`: the earlier attempt's index (leaf-index.ts), its lines whose flows' stamps held. */
  readonly vouched: CheckedLines | undefined;
  /** Why the run stops, once it does: no new flow starts then. */
  stopReason(): string | undefined;
}

/** What a flow resumes from: `done` (nothing to run), its unfinished branches, or undefined (from its first step). */
type Resumed = ReturnType<typeof resumeAt>;

/**
 * Starts flows lazily, in order, each when a slot is free and no started flow has a step waiting;
 * resolves with how many flows the earlier attempt's index vouched for, once every started flow ended.
 */
export async function feed(run: FeedContext): Promise<number> {
  const { prepared, progress } = run;
  const running = new Set<Promise<void>>();
  let vouched = 0;
  const checked = run.vouched;
  const ahead =
    checked === undefined
      ? undefined
      : new VouchAhead({
          steps: prepared.config.steps,
          runDir: prepared.runDir,
          range: prepared.range,
          flowAt: (index) => prepared.space.at(index),
          inputs: run.inputs,
          checked,
          firstHolds: checked.inputs !== undefined && checked.inputs === run.leafRecords.index?.inputs?.digest,
        });
  for (const index of range(prepared.range.from, prepared.range.to)) {
    // steps that finish without I/O (offline ones) never give the event loop a turn: make room
    // now and then for signals and the progress line
    if ((index - prepared.range.from) % BREATHE_EVERY === BREATHE_EVERY - 1) {
      if (index - prepared.range.from >= HOLD_YOUNG_AFTER) holdGenerations();
      await breathe();
    }
    if (checked !== undefined && ahead !== undefined) {
      if (!checked.has(index)) await checked.ready(index, ahead.spare);
      if (vouchedNow(run, ahead, index)) {
        vouched++;
        progress.finished++;
        progress.kept++;
        // a progress line a flow is a cost next to a flow that costs a fingerprint
        if (vouched % BREATHE_EVERY === 0 || index + 1 === prepared.range.to) progress.report();
        continue;
      }
    }
    const flow = prepared.space.at(index);
    const contents = new Map<string, string>();
    const dir = join(prepared.runDir, flow.id);
    const resumed = prepared.options.resume
      ? resumeAt(prepared.config.steps, prepared.runDir, dir, fingerprinter(run, flow, dir, contents))
      : undefined;
    if (resumed === 'done') {
      progress.finished++;
      progress.kept++;
      progress.report();
      continue;
    }
    const room = run.files.room();
    if (room !== undefined) await room;
    await run.slots.acquire([Infinity]);
    if (run.stopReason() !== undefined) {
      run.slots.release();
      break;
    }
    // it may change what the flows after it are made from
    ahead?.forget(index);
    const fresh = !prepared.options.resume;
    const done = start(run, { flow, dir, started: Date.now(), contents, fresh }, resumed).finally(() => {
      running.delete(done);
      progress.finished++;
      progress.report();
    });
    running.add(done);
  }
  await Promise.all(running);
  // and for results.json and report.html, which read every leaf back
  if (prepared.range.to - prepared.range.from >= HOLD_YOUNG_AFTER) holdGenerations();
  return vouched;
}

/**
 * With --resume, whether the earlier attempt's index vouches for a flow: its line's stamp held
 * (CheckedLines) and its steps' fingerprints are still current (VouchAhead). No file of it is
 * read, and this attempt's index lists it again.
 */
function vouchedNow(run: FeedContext, ahead: VouchAhead, index: number): boolean {
  const line = run.vouched?.line(index);
  if (line === undefined || !ahead.holds(index)) return false;
  run.leafRecords.index?.keep(index, line);
  return true;
}

/** The fingerprint a step of this flow would be made under now (resume.ts, leaf-index.ts ask). */
const fingerprinter =
  (run: FeedContext, flow: Flow, dir: string, contents: Map<string, string>) =>
  (step: Step, previous: Previous | undefined): string =>
    run.inputs.fingerprint({ flow, dir, started: 0, contents }, step, previous);

/** Walks a flow holding the slot the feeder acquired; its own trouble (an I/O error the walk did not expect) fails that flow, not the run. */
function start(run: FeedContext, state: FlowState, resumed: Exclude<Resumed, 'done'>): Promise<void> {
  const { flow, dir } = state;
  let work: Promise<void>;
  if (resumed !== undefined) {
    // resume inside the flow: its array step succeeded, so only its unfinished branches run again
    removeNotStarted(run.prepared.runDir, dir);
    for (const { index: e } of resumed) removeLeafResults(run.prepared.runDir, join(dir, branchDirName(e)));
    run.slots.release();
    const { from, steps, patch } = resumed[0] ?? { from: 0, steps: [], patch: undefined };
    const branches: readonly BranchStart[] = resumed;
    work = run.walker.runBranches({ flow: state, parent: [], dir, branches, from, shared: steps, start: patch });
  } else {
    if (state.fresh !== true) removeLeafResults(run.prepared.runDir, dir);
    work = run.walker.walk({ flow: state, branch: [], dir, from: 0, previous: undefined, inherited: [], worktree: {}, holding: true });
  }
  return work.catch((error: unknown) =>
    run.leafRecords.keepUnwritten({
      ...unstartedEntry(flow.id, { ...flow.keys }, `this flow stopped: ${errorMessage(error)}`),
      status: 'failed',
    }),
  );
}
