import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { leafLabel } from '../results/results.js';
import { CONFIG_COPY } from '../results/paths.js';
import type { AfterResult, LeafEntry, Totals } from '../model/results.js';
import { addUsage, type Usage } from '../model/usage.js';
import { wholeOutput } from '../report/html-file.js';
import { codexVersion } from '../steps/codex-version.js';
import { probeSandbox } from '../steps/sandbox.js';
import { endRunCgroup } from '../steps/cgroup.js';
import { killTagged } from '../steps/sweep.js';
import { WorktreeSession } from '../steps/worktree-session.js';
import { TreeWriter } from '../util/files.js';
import { redactorFor } from '../util/redact.js';
import { runAfter } from './after.js';
import { feed } from './feed.js';
import { LeafRecords } from './leaf-records.js';
import type { CheckedLines } from './leaf-checks.js';
import { earlierLeafIndex, startLeafIndex, unchangedTotals } from './leaf-index.js';
import { hasEarlyChecks } from './early-checks.js';
import { releaseOldGeneration } from '../util/young-generation.js';
import { lockRun } from './lock.js';
import { batchMaxPending, sandboxOf, type RunControl } from './options.js';
import { finishRunDir, makeRunDir, startRunDir, startsNoProcess, unusableRunDir, withWriterThread } from './output.js';
import type { PreparedRun } from './prepare.js';
import { earlierAttempts, removeLeftovers, type Attempts } from './resume.js';
import { writeRunRecord } from './run-record.js';
import { RunProgress } from './run-progress.js';
import { Slots } from './slots.js';
import { StepInputs } from './step-input.js';
import { Walker, type Runners } from './walk.js';

export type { ProgressSnapshot } from './run-progress.js';
export type { Runners } from './walk.js';

export interface RunOutcome {
  readonly runId: string;
  readonly runDir: string;
  readonly resultsPath: string;
  readonly totals: Totals;
  /** Paths (relative to the run directory) of the final messages of succeeded leaves whose last step is codex. */
  readonly finalMessages: readonly string[];
  /** The only leaf's output when there is exactly one leaf. */
  readonly onlyOutput: string | undefined;
  /** How the after steps ended; null when the config has none or this process is one shard of several. */
  readonly after: AfterResult | null;
  /** Why no new step started before every flow ran (`interrupted`, `cost limit reached`...), or undefined. */
  readonly stopped: string | undefined;
  /** What this process's model calls used and cost (what --token-budget and --max-cost count). */
  readonly spent: Usage;
}

/**
 * One process's part of a run: its flows, started in order as slots free up, each walked depth
 * first (walk.ts); then results.json and run.json. The runners are given (makeRunners(prepared) in
 * the CLI and the Action; a stand-in in tests).
 */
export class Run {
  private readonly slots: Slots;
  /** Steps waiting in a batch hold one of these, not a slot: how many requests may wait in batches at once. */
  private readonly batchSeats: Slots;
  readonly files: TreeWriter;
  private readonly total: number;
  private readonly leafRecords: LeafRecords;
  private readonly progress: RunProgress;
  private readonly inputs: StepInputs;
  private readonly worktrees: WorktreeSession;
  private readonly walker: Walker;
  private stopReason: string | undefined;
  /** `codex --version`, when the run calls codex. */
  private codexVersion: string | null = null;
  /** With `--resume`: the flows the earlier attempt's index vouches for (leaf-index.ts), by id. */
  private vouched: CheckedLines | undefined;
  /** How many flows it vouched for that are current: when that is every flow, nothing ran. */
  private vouchedCount = 0;
  /** With `--resume`: the attempts run.json listed before this one. */
  private earlier: Attempts = { attempts: [] };
  /** Aborted to end every running step: on an interrupt, or when the output tree became unusable. */
  private readonly steps = new AbortController();

  constructor(
    readonly prepared: PreparedRun,
    private readonly control: RunControl,
    private readonly runners: Runners,
  ) {
    const o = prepared.options;
    // every running or waiting step listens on this one signal (a batch request twice, the SDK
    // once per call): --parallel 50 or 200 flows waiting in a batch are far more than the 10 past
    // which Node 20 and 22 print MaxListenersExceededWarning; each listener goes with its step
    setMaxListeners(0, this.steps.signal);
    this.slots = new Slots(o.parallel);
    this.batchSeats = new Slots(batchMaxPending(o.env));
    this.files = new TreeWriter(
      redactorFor(o.env, { apiKey: prepared.apiKey, baseUrl: { value: o.baseUrl, name: '--base-url' } }),
      prepared.runDir,
      { byPath: startsNoProcess(prepared) },
    );
    this.total = prepared.range.to - prepared.range.from;
    this.leafRecords = new LeafRecords(
      prepared,
      this.files,
      (error) => this.writeFailed(error),
      (leaf) => this.leafEnded(leaf),
    );
    const labels = prepared.config.steps.map((s) => s.label);
    const board = Object.values(runners).find((runner) => runner.batches !== undefined)?.batches;
    this.progress = new RunProgress(labels, this.total, this.leafRecords.counts, control.onProgress, board);
    this.inputs = new StepInputs(prepared, this.files.redactor);
    this.worktrees = new WorktreeSession({
      workdir: prepared.workdir,
      isolate: o.isolate,
      runId: prepared.runId,
      parallel: o.parallel,
      env: o.env,
      setup: prepared.config.setup,
      timeoutMs: o.timeoutS * 1000,
      signal: control.signal,
      files: this.files,
    });
    this.walker = new Walker({
      prepared,
      slots: this.slots,
      batchSeats: this.batchSeats,
      files: this.files,
      leafRecords: this.leafRecords,
      inputs: this.inputs,
      worktrees: this.worktrees,
      runners,
      progress: this.progress,
      signal: this.steps.signal,
      stopReason: () => this.stopReason,
      stop: (reason) => this.stop(reason),
    });
  }

  /** Largest number of steps that executed at once. */
  get peakConcurrency(): number {
    return this.slots.peak;
  }

  async execute(): Promise<RunOutcome> {
    const { prepared } = this;
    const ran = prepared.shard.count > 1 ? prepared.config.steps : [...prepared.config.steps, ...prepared.config.after];
    const sandboxed = ran.some((s) => s.kind === 'codex' && sandboxOf(s, prepared.options) !== 'danger-full-access');
    if (prepared.codexPath !== undefined && sandboxed) await probeSandbox(prepared.codexPath, prepared.workdir, prepared.options.env);
    if (prepared.codexPath !== undefined)
      this.codexVersion = await codexVersion(prepared.codexPath, prepared.workdir, prepared.options.env);
    makeRunDir(prepared);
    // one process per run (per shard of one): two started at once would write the same files
    const lock = lockRun(prepared.runDir, prepared.shard, join(prepared.options.outputDir, prepared.runId), prepared.options.resume);
    try {
      // the index of finished flows (leaf-index.ts): the earlier attempt's checked from now on (after the leftovers
      // when the command line's thread reads it); this attempt's begun once the leftovers (its temporary file's kind) are gone
      const early = hasEarlyChecks();
      if (!early) this.vouched = earlierLeafIndex(prepared, this.files.tree);
      if (prepared.options.resume) {
        this.earlier = earlierAttempts(prepared.runDir, prepared.shard);
        removeLeftovers(prepared.runDir);
      }
      if (early) this.vouched = earlierLeafIndex(prepared, this.files.tree);
      this.leafRecords.index = startLeafIndex(prepared, this.files.tree, this.inputs);
      const { index } = this.leafRecords;
      const indexOf = (id: string): number => Number(id.slice('flow_'.length)) - 1;
      // every leaf in results order, as it goes into results.json (during the run for those passed on as they end)
      this.leafRecords.results.onItem = (item) => {
        index?.saw(item, indexOf);
        this.control.onResult?.(item);
      };
      this.leafRecords.open(this.control.onWarning);
      return await this.executeLocked();
    } finally {
      this.vouched?.close();
      this.leafRecords.close();
      lock.release();
      this.files.tree.close();
      releaseOldGeneration(); // held by the feeder past 10,000 flows: what runs next in this process (the Action) is not a run's
    }
  }

  private async executeLocked(): Promise<RunOutcome> {
    const { prepared } = this;
    const started = new Date();
    startRunDir(prepared, () => {
      this.writeRunJson(started, undefined, undefined);
      this.files.write(join(prepared.runDir, CONFIG_COPY), prepared.configCopy); // what `report` runs the after steps from (sharded)
    });
    const stop = (error: Error): void => {
      this.stop(error.message);
      this.steps.abort(error);
    };
    const after = await withWriterThread(this.files, this.total, stop, () => this.runFlows()).catch((error: unknown) => {
      this.leafRecords.index?.abandon(); // its temporary file goes (the writes are made here again)
      throw error;
    });
    const resultsPath = join(prepared.runDir, 'results.json');
    const kept = this.keptResults(started, resultsPath, after);
    if (kept !== undefined) return kept;
    const { index, results } = this.leafRecords;
    const reason = this.stopReason ?? 'not run';
    const totals = await finishRunDir(prepared, async () => {
      // the leaves not passed on as they ended, then both files made of them all
      await results.rest(this.leafRecords.leaves(reason, results.from), after);
      const header = { run_id: prepared.runId, shard: prepared.shard, flows_total: this.total, after };
      const totals = await results.writeResults(resultsPath, header);
      this.writeRunJson(started, new Date(), totals);
      return totals;
    }).catch((error: unknown) => {
      index?.abandon();
      throw error;
    });
    index?.finish(); // it lists only flows found succeeded just now (spooled or on disk); else there is none
    const { finalMessages, onlyOutput } = results.seen;
    results.writeReport(prepared.runId, prepared.shard, totals, Date.now() - started.getTime());
    // the closing line counts every result of the run, those kept from an earlier attempt too
    Object.assign(this.leafRecords.counts, { succeeded: totals.succeeded, failed: totals.failed, cancelled: totals.cancelled });
    this.progress.report();
    const { stopReason: stopped, progress } = this;
    return {
      runId: prepared.runId,
      runDir: prepared.runDir,
      resultsPath,
      totals,
      finalMessages,
      onlyOutput,
      after,
      stopped,
      spent: progress.usage,
    };
  }

  /** Runs the flows, then the after steps; ends whatever they left running. */
  private async runFlows(): Promise<AfterResult | null> {
    const { signal } = this.control;
    const onAbort = (): void => {
      this.stop('interrupted');
      this.steps.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      this.vouchedCount = await feed({ ...this.walker.run, walker: this.walker, vouched: this.vouched });
      // the flows' files written (withWriterThread) before the after steps read them and write their own
      await this.files.settle();
      return await this.after();
    } finally {
      this.vouched?.close();
      signal.removeEventListener('abort', onAbort);
      await Promise.all([this.worktrees.removeAll(), ...Object.values(this.runners).map((runner) => runner.close?.())]);
      // a daemon some step left behind outside its process group ends with the run
      endRunCgroup();
      killTagged();
    }
  }

  /** A resume that ran nothing, every flow vouched for by the index: results.json and report.html stand (leaf-index.ts, unchangedTotals). */
  private keptResults(started: Date, resultsPath: string, after: AfterResult | null): RunOutcome | undefined {
    const { prepared, control } = this;
    const ranNothing = prepared.options.resume && this.vouchedCount === this.total;
    const needsLeaves = control.onResult !== undefined && control.onlyFailures !== true;
    const kept = ranNothing && !needsLeaves && after === null ? unchangedTotals(prepared, resultsPath, this.total) : undefined;
    if (kept === undefined) return undefined;
    this.writeRunJson(started, new Date(), kept);
    this.leafRecords.index?.finish(true);
    Object.assign(this.leafRecords.counts, { succeeded: kept.succeeded, failed: kept.failed, cancelled: kept.cancelled });
    this.progress.report();
    const { runId, runDir } = prepared;
    return {
      runId,
      runDir,
      resultsPath,
      totals: kept,
      finalMessages: [],
      onlyOutput: undefined,
      after,
      stopped: this.stopReason,
      spent: this.progress.usage,
    };
  }

  /**
   * The config's after steps, once every flow ended, over all the run's leaves; null when it has
   * none, and in one shard of several (`report` runs them over the merged leaves).
   */
  private async after(): Promise<AfterResult | null> {
    const { prepared } = this;
    if (prepared.config.after.length === 0 || prepared.shard.count > 1) return null;
    const { result, spent } = await runAfter(
      {
        steps: prepared.config.after,
        sources: prepared.after,
        runDir: prepared.runDir,
        options: prepared.options,
        prices: prepared.prices,
        runners: this.runners,
        files: this.files,
        worktrees: this.worktrees,
        signal: this.steps.signal,
        stopReason: () => this.stopReason,
        used: this.progress.usage,
        outputOf: (leaf) => wholeOutput(leaf, prepared.runDir),
      },
      this.leafRecords.leaves(this.stopReason ?? 'not run'),
    );
    this.progress.usage = addUsage(this.progress.usage, spent);
    return result;
  }

  private stop(reason: string): void {
    this.stopReason ??= reason;
  }

  /** Failed leaves so far, for --fail-fast. */
  private failedLeaves = 0;

  /**
   * A leaf ended. With `--fail-fast N`, the Nth failed one stops the run as an interrupt does: no
   * new step starts, running ones are ended (their leaves cancelled), the rest is cancelled.
   */
  private leafEnded(leaf: Pick<LeafEntry, 'id' | 'branch' | 'status'>): void {
    const { failFast } = this.prepared.options;
    if (failFast === undefined || leaf.status !== 'failed' || this.stopReason !== undefined) return;
    if (++this.failedLeaves < failFast) return;
    const reason = `fail-fast: ${leafLabel(leaf)} failed`;
    this.stop(reason);
    this.steps.abort(new Error(reason));
  }

  /** A file of a flow could not be written: the flow fails; when the run directory itself is unusable, the run stops. */
  private writeFailed(error: unknown): string {
    const broken = unusableRunDir(this.files.tree);
    if (broken !== undefined) {
      this.stop(broken);
      this.steps.abort(new Error(broken));
    }
    return `cannot write the flow's files: ${errorMessage(error)}`;
  }

  private writeRunJson(started: Date, ended: Date | undefined, totals: Totals | undefined): void {
    writeRunRecord(this.files, this.prepared, {
      started,
      ended,
      totals,
      codexVersion: this.codexVersion,
      earlier: this.earlier,
      stopped: this.stopReason,
      peakConcurrency: this.slots.peak,
    });
  }
}
