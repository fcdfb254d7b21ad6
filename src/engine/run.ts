import { rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Api, Step } from '../config/types.js';
import { CancelledError, StepError, errorMessage } from '../errors.js';
import type { Flow } from '../flows/flows.js';
import { readListedFile } from '../flows/keys.js';
import { range } from '../flows/flows.js';
import { assemblePrompt, promptValue } from '../prompt/assemble.js';
import { fillPlaceholders, parseRef, type PlaceholderField } from '../prompt/placeholders.js';
import { leafChanges } from '../patches/changes.js';
import { compareLeaves, leafUsage, unstartedEntry } from '../results/results.js';
import { branchDirName, shardRecordPath, stepDirName } from '../results/paths.js';
import { NOT_STARTED, readLeaves, withUnwritten, writeResults } from '../results/store.js';
import { isNotStarted, type LeafEntry, type ResultItem, type Status, type StepEntry, type Totals } from '../results/types.js';
import { writeRunReportHtml } from '../results/report-html.js';
import { stepEnv } from '../steps/env.js';
import { makeRunners } from '../steps/factory.js';
import { codexVersion } from '../steps/codex-version.js';
import { runSetup } from '../steps/setup.js';
import { probeSandbox } from '../steps/sandbox.js';
import { killTagged } from '../steps/sweep.js';
import { Worktrees, worktreesRoot } from '../steps/worktree.js';
import { addUsage, NO_USAGE, type CommandRequest, type StepRunner, type Usage } from '../steps/runner.js';
import { TreeWriter } from '../util/files.js';
import { InputFileError, readInputFile } from '../util/input-file.js';
import { Redactor, secretsFromEnv, secretsFromUrl, urlWithoutCredentials } from '../util/redact.js';
import { parseArrayOutput } from './array.js';
import { BREATHE_EVERY, breathe, fanOut, splitNotStarted, type BranchStart } from './fanout.js';
import { unsafePatchMessage } from './patch.js';
import { DEFAULT_MODEL, DEFAULT_SANDBOX, sandboxOf } from './options.js';
import { finishRunDir, makeRunDir, startRunDir, unusableRunDir } from './output.js';
import type { Plan } from './prepare.js';
import { stepFingerprint, type FingerprintSettings, type Previous, type StepInput } from './fingerprint.js';
import { lockRun } from './lock.js';
import {
  earlierAttempts,
  readStepRecord,
  removeLeafResults,
  resumeAt,
  STEP_RECORD,
  writeStepRecord,
  type Attempt,
  type Attempts,
} from './resume.js';
import { Slots, type Priority } from './slots.js';

/** What the progress display is told. */
export interface ProgressSnapshot {
  readonly labels: readonly string[];
  /** Flows and branches at each step: running it or waiting for a slot to. */
  readonly atStep: readonly number[];
  readonly finished: number;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly usage: Usage;
}

export interface RunControl {
  /** Aborting it stops the run: no new step starts, running ones are ended. */
  readonly signal: AbortSignal;
  readonly onProgress?: (snapshot: ProgressSnapshot) => void;
}

export interface RunOutcome {
  readonly runId: string;
  readonly runDir: string;
  readonly resultsPath: string;
  readonly totals: Totals;
  /** Paths (relative to the run directory) of the final messages of succeeded leaves whose last step is codex. */
  readonly finalMessages: readonly string[];
  /** The only leaf's output when there is exactly one leaf. */
  readonly onlyOutput: string | undefined;
}

interface FlowState {
  readonly flow: Flow;
  readonly dir: string;
  readonly started: number;
  readonly contents: Map<string, string>;
}

/** The working tree of one flow or branch with `--isolate worktree`. */
interface Tree {
  /** Its git worktree, once a step needed one. */
  path?: string;
  /** The patch of the last step that ran in the parent's worktree (an unmasked copy of its changes.patch): a branch starts from it. */
  inherited?: string;
  /** The same for the last step that ran in this one. */
  patch?: string;
}

export class Run {
  private readonly slots: Slots;
  private readonly runners: Record<Step['kind'], StepRunner>;
  readonly files: TreeWriter;
  private readonly labels: string[];
  private readonly atStep: number[];
  private finished = 0;
  private readonly counts: Record<Status, number> = { succeeded: 0, failed: 0, cancelled: 0 };
  private usage: Usage = NO_USAGE;
  private stopReason: string | undefined;
  private readonly total: number;
  private readonly worktrees: Worktrees | undefined;
  /** `codex --version`, when the run calls codex. */
  private codexVersion: string | null = null;
  private readonly fingerprints: FingerprintSettings;
  /** With `--resume`: the attempts run.json listed before this one. */
  private earlier: Attempts = { attempts: [] };
  /** Aborted to end every running step: on an interrupt, or when the output tree became unusable. */
  private readonly steps = new AbortController();
  /** Leaves whose result.json could not be written (a full disk, a planted link), by flow id: results.json still lists them. */
  private readonly unwritten = new Map<string, LeafEntry[]>();

  constructor(
    readonly plan: Plan,
    private readonly control: RunControl,
  ) {
    this.slots = new Slots(plan.options.parallel);
    this.runners = makeRunners(plan);
    this.files = new TreeWriter(
      new Redactor([...secretsFromEnv(plan.options.env), plan.apiKey, ...secretsFromUrl(plan.options.baseUrl, '--base-url')]),
      plan.runDir,
    );
    this.labels = plan.config.steps.map((s) => s.label);
    this.atStep = plan.config.steps.map(() => 0);
    this.total = plan.range.to - plan.range.from;
    this.worktrees =
      plan.options.isolate === 'worktree' ? new Worktrees(plan.workdir, worktreesRoot(plan.options.env, plan.runId)) : undefined;
    const o = plan.options;
    this.fingerprints = {
      offline: o.offline,
      openaiBaseUrl: o.baseUrl ?? (o.env.OPENAI_BASE_URL || undefined),
      codexBaseUrl: o.baseUrl,
      workdir: o.workdir,
      isolate: o.isolate ?? 'none',
    };
  }

  /** Largest number of steps that executed at once. */
  get peakConcurrency(): number {
    return this.slots.peak;
  }

  async execute(): Promise<RunOutcome> {
    const { plan } = this;
    const sandboxed = plan.config.steps.some((s) => s.kind === 'codex' && sandboxOf(s, plan.options) !== 'danger-full-access');
    if (plan.codexPath !== undefined && sandboxed) await probeSandbox(plan.codexPath, plan.workdir, plan.options.env);
    if (plan.codexPath !== undefined) this.codexVersion = await codexVersion(plan.codexPath, plan.workdir, plan.options.env);
    makeRunDir(plan);
    // one process per run (per shard of one): two started at once would write the same files
    const lock = lockRun(plan.runDir, plan.shard, join(plan.options.outputDir, plan.runId), plan.options.resume);
    try {
      if (plan.options.resume) this.earlier = earlierAttempts(plan.runDir, plan.shard);
      return await this.executeLocked();
    } finally {
      lock.release();
    }
  }

  private async executeLocked(): Promise<RunOutcome> {
    const { plan } = this;
    const started = new Date();
    startRunDir(plan, () => this.writeRunJson(started, undefined, undefined));
    const onAbort = (): void => {
      this.stop('interrupted');
      this.steps.abort(this.control.signal.reason);
    };
    this.control.signal.addEventListener('abort', onAbort, { once: true });
    if (this.control.signal.aborted) onAbort();
    try {
      await this.feed();
    } finally {
      this.control.signal.removeEventListener('abort', onAbort);
      await Promise.all([this.worktrees?.removeAll(), ...Object.values(this.runners).map((runner) => runner.close?.())]);
      // a daemon some step left behind outside its process group ends with the run
      killTagged();
    }
    const resultsPath = join(plan.runDir, 'results.json');
    // one pass over the leaves on disk: results.json is written while the final messages are gathered
    const seen = { finalMessages: [] as string[], onlyOutput: undefined as string | undefined };
    const totals = await finishRunDir(plan, async () => {
      const totals = await writeResults(
        resultsPath,
        { run_id: plan.runId, shard: plan.shard, flows_total: this.total },
        this.collect(this.leaves(), seen),
      );
      this.writeRunJson(started, new Date(), totals);
      return totals;
    });
    const { finalMessages, onlyOutput } = seen;
    writeRunReportHtml(plan.runDir, Date.now() - started.getTime());
    // the closing line counts every result of the run, those kept from an earlier attempt too
    Object.assign(this.counts, { succeeded: totals.succeeded, failed: totals.failed, cancelled: totals.cancelled });
    this.report();
    return { runId: plan.runId, runDir: plan.runDir, resultsPath, totals, finalMessages, onlyOutput };
  }

  private stop(reason: string): void {
    this.stopReason ??= reason;
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

  /** Removes a step's step.json, once the directories down to it are checked: a failed write leaves it to the fingerprint. */
  private forget(stepDir: string): void {
    try {
      this.files.tree.dir(stepDir);
      rmSync(join(stepDir, STEP_RECORD), { force: true });
    } catch {
      // a step directory that is not ours any more holds no record we would reuse
    }
  }

  /** Keeps in memory a leaf whose result.json could not be written; results.json lists it. */
  private keepUnwritten(entry: LeafEntry): void {
    this.counts.failed++;
    const kept = this.unwritten.get(entry.id) ?? [];
    this.unwritten.set(entry.id, [...kept.filter((e) => compareLeaves(e, entry) !== 0), entry]);
  }

  /** A note for the reader (error.txt) that the results do not depend on: its own write failing changes nothing. */
  private note(path: string, text: string): void {
    try {
      this.files.write(path, text);
    } catch {
      // the error is in result.json and results.json already
    }
  }

  /** Starts flows lazily, in order, each when a slot is free and no started flow has a step waiting. */
  private async feed(): Promise<void> {
    const running = new Set<Promise<void>>();
    for (const index of range(this.plan.range.from, this.plan.range.to)) {
      // steps that finish without I/O (offline ones) never give the event loop a turn: make room
      // now and then for signals and the progress line
      if ((index - this.plan.range.from) % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
      const flow = this.plan.space.at(index);
      const dir = join(this.plan.runDir, flow.id);
      const contents = new Map<string, string>();
      const resumed = this.plan.options.resume
        ? resumeAt(this.plan.config.steps, this.plan.runDir, dir, (step, previous) =>
            this.fingerprint({ flow, dir, started: 0, contents }, step, previous),
          )
        : undefined;
      if (resumed === 'done') {
        this.finished++;
        this.report();
        continue;
      }
      await this.slots.acquire([Infinity]);
      if (this.stopReason !== undefined) {
        this.slots.release();
        break;
      }
      const state: FlowState = { flow, dir, started: Date.now(), contents };
      const branches = resumed;
      let work: Promise<void>;
      if (branches !== undefined) {
        // resume inside the flow: its array step succeeded, so only its unfinished branches run again
        rmSync(join(dir, NOT_STARTED), { force: true });
        for (const { index: e } of branches) removeLeafResults(join(dir, branchDirName(e)));
        this.slots.release();
        const { from, steps, patch } = branches[0] ?? { from: 0, steps: [], patch: undefined };
        work = this.runBranches(state, [], dir, branches, from, steps, patch);
      } else {
        removeLeafResults(dir);
        work = this.walk(state, 0, undefined, [], dir, [], true, {});
      }
      // a flow's own trouble (an I/O error the walk did not expect) fails that flow, not the run
      work = work.catch((error: unknown) =>
        this.keepUnwritten({ ...unstartedEntry(flow.id, { ...flow.keys }, `this flow stopped: ${errorMessage(error)}`), status: 'failed' }),
      );
      const done = work.finally(() => {
        running.delete(done);
        this.finished++;
        this.report();
      });
      running.add(done);
    }
    await Promise.all(running);
  }

  /**
   * Runs steps `from`.. of one flow or branch, `previous` being what step `from` starts from.
   * `holding` says whether a slot is already held for the first of them (a new flow is handed the
   * slot the feeder acquired).
   */
  private async walk(
    flow: FlowState,
    from: number,
    previous: Previous | undefined,
    branch: number[],
    dir: string,
    inherited: StepEntry[],
    holding: boolean,
    tree: Tree,
  ): Promise<void> {
    const priority: Priority = [flow.flow.index, ...branch];
    const steps = this.plan.config.steps;
    const done: StepEntry[] = [...inherited];
    let output = previous?.output;
    // a cmd step's output byte for byte, for a following cmd step's stdin (`output` is its text view)
    let bytes: Buffer | undefined;
    // the fingerprint of the last step: each step's covers the one before it
    let chain = previous?.fingerprint;
    let finalMessage: string | null = null;
    let held = holding;
    // with --resume, steps that succeeded in an earlier attempt are not paid for again, as long as
    // they were made under the same inputs (fingerprint.ts) and every step before them in this
    // walk was reused too
    let reusing = this.plan.options.resume;
    const leaf = async (status: Status, error: string | null): Promise<void> => {
      if (held) this.slots.release();
      held = false;
      this.writeLeaf(flow, branch, dir, {
        status,
        error,
        output: status === 'succeeded' ? (output ?? '') : (output ?? null),
        finalMessage,
        steps: done,
      });
      await this.closeTree(tree);
    };

    for (let i = from; i < steps.length; i++) {
      const step = steps[i]!;
      this.atStep[i]!++;
      this.report();
      if (!held) await this.slots.acquire(priority);
      else if (i > from) await this.slots.reacquire(priority);
      held = true;
      if (this.stopReason !== undefined) {
        this.atStep[i]!--;
        return leaf('cancelled', this.stopReason);
      }
      const stepDir = join(dir, stepDirName(step));
      const started = Date.now();
      let result: { output: string; bytes?: Buffer; usage: Usage | null; finalMessage?: string } | undefined;
      let failure: { status: Status; message: string } | undefined;
      let error: unknown;
      let earlier: ReturnType<typeof readStepRecord>;
      try {
        const input = this.stepInput(flow, step, output, bytes);
        const fingerprint = stepFingerprint(step, input, chain, this.fingerprints);
        earlier = reusing ? readStepRecord(stepDir) : undefined;
        if (earlier?.fingerprint !== fingerprint) earlier = undefined;
        if (earlier !== undefined) {
          result = earlier;
          if (earlier.patch !== undefined) tree.inherited = earlier.patch;
        } else {
          // the directories down to this step's are real ones, not links planted by an earlier step
          this.files.tree.dir(dir);
          this.files.tree.directoryOrNothing(stepDir);
          rmSync(stepDir, { recursive: true, force: true });
          result = await this.runStep(flow, step, input, stepDir, tree, branch);
          writeStepRecord(this.files, stepDir, step, result, Date.now() - started, fingerprint);
        }
        chain = fingerprint;
      } catch (caught) {
        error = caught;
        failure =
          caught instanceof CancelledError
            ? { status: 'cancelled', message: this.stopReason ?? caught.message }
            : { status: 'failed', message: `step ${step.index} (${JSON.stringify(step.label)}): ${errorMessage(caught)}` };
      }
      reusing = earlier !== undefined;
      this.atStep[i]!--;
      const usage = result?.usage ?? (error instanceof StepError ? error.usage : null);
      if (earlier === undefined) this.usage = addUsage(this.usage, usage);
      const budget = this.plan.options.tokenBudget;
      if (budget !== undefined && this.usage.input_tokens + this.usage.output_tokens >= budget) this.stop('token budget reached');
      done.push({
        name: step.label,
        type: step.type,
        status: failure?.status ?? 'succeeded',
        duration_ms: earlier?.duration_ms ?? Date.now() - started,
        usage,
        dir: relative(this.plan.runDir, stepDir).split('\\').join('/'),
      });
      if (failure) {
        if (failure.status === 'failed') this.note(join(stepDir, 'error.txt'), failure.message + '\n');
        return leaf(failure.status, failure.message);
      }
      output = result!.output;
      bytes = result!.bytes;
      finalMessage = result!.finalMessage ? relative(this.plan.runDir, result!.finalMessage).split('\\').join('/') : null;

      if (step.array) {
        const parsed = parseArrayOutput(output, step.maxItems);
        if ('error' in parsed) {
          const message = `step ${step.index} (${JSON.stringify(step.label)}): ${parsed.error}`;
          done[done.length - 1] = { ...done[done.length - 1]!, status: 'failed' };
          this.forget(stepDir); // a resumed run asks again
          this.note(join(stepDir, 'error.txt'), message + '\n');
          return leaf('failed', message);
        }
        if (parsed.elements.length === 0) {
          output = '[]';
          finalMessage = null;
          return leaf('succeeded', null);
        }
        if (i + 1 === steps.length) {
          // the last step fans out: each element is a leaf of its own
          if (held) this.slots.release();
          held = false;
          await this.closeTree(tree);
          for (const [e, element] of parsed.elements.entries()) {
            if (e % BREATHE_EVERY === BREATHE_EVERY - 1) await breathe();
            if (this.stopReason !== undefined) {
              const rest = parsed.elements
                .slice(e)
                .map((text, k) => ({ previous: { output: text, fingerprint: chain! }, index: e + k + 1 }));
              this.writeNotStarted(flow, branch, dir, rest, this.stopReason, done);
              break;
            }
            this.writeLeaf(flow, [...branch, e + 1], join(dir, branchDirName(e + 1)), {
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
        this.slots.release();
        held = false;
        await this.closeTree(tree);
        const elements = parsed.elements.map((element, e) => ({ previous: { output: element, fingerprint: chain! }, index: e + 1 }));
        return this.runBranches(flow, branch, dir, elements, i + 1, done, start);
      }
    }
    return leaf('succeeded', null);
  }

  /**
   * Runs the branches of an array step below `parent` from step `from`, sharing the steps before,
   * each from the patch `start`; started lazily, so a huge array costs one waiter (see fanOut).
   */
  private runBranches(
    flow: FlowState,
    parent: number[],
    dir: string,
    branches: readonly BranchStart[],
    from: number,
    shared: StepEntry[],
    start: string | undefined,
  ): Promise<void> {
    return fanOut([flow.flow.index, ...parent], branches, {
      acquire: (priority) => this.slots.acquire(priority),
      release: () => this.slots.release(),
      stopReason: () => this.stopReason,
      start: ({ previous, index }) =>
        this.walk(flow, from, previous, [...parent, index], join(dir, branchDirName(index)), shared, true, { inherited: start }),
      notStarted: (rest, reason) => this.writeNotStarted(flow, parent, dir, rest, reason, shared),
    });
  }

  /** Branches that never started: a few as cancelled leaves, long runs of them as `not_started` ranges. */
  private writeNotStarted(
    flow: FlowState,
    parent: number[],
    dir: string,
    branches: readonly BranchStart[],
    reason: string,
    shared: StepEntry[],
  ): void {
    const { ranges, single } = splitNotStarted(flow.flow.id, parent, branches, reason, shared);
    for (const { previous, index } of single) {
      this.writeLeaf(flow, [...parent, index], join(dir, branchDirName(index)), {
        status: 'cancelled',
        error: reason,
        output: previous.output,
        finalMessage: null,
        steps: shared,
      });
    }
    if (ranges.length === 0) return;
    this.files.writeJson(join(dir, NOT_STARTED), { schema: 1, ranges });
    for (const range of ranges) this.counts.cancelled += range.count;
  }

  /** The cwd of a codex or cmd step: the workdir, or with `--isolate worktree` this leaf's worktree. */
  private async cwdFor(step: Step, tree: Tree, name: string, setup: (dir: string) => Promise<void>): Promise<string> {
    if (this.worktrees === undefined || step.kind === 'openai') return this.plan.workdir;
    if (tree.path === undefined && (step.kind === 'codex' || tree.inherited !== undefined)) {
      tree.path = await this.worktrees.create(name, tree.inherited, this.plan.config.setup === undefined ? undefined : setup);
    }
    return tree.path === undefined ? this.plan.workdir : this.worktrees.workdirIn(tree.path);
  }

  /** Saves what the leaf's worktree holds changed since HEAD as the step's changes.patch. */
  private async savePatch(tree: Tree, stepDir: string): Promise<void> {
    if (this.worktrees === undefined || tree.path === undefined) return;
    const diff = await this.worktrees.diff(tree.path);
    // a patch is code to apply: a masked one would apply and ship `***`, so none is saved at all
    const secrets = this.files.redactor.namesIn(diff);
    if (secrets.length > 0) throw new StepError(unsafePatchMessage(secrets));
    this.files.write(join(stepDir, 'changes.patch'), diff);
    tree.patch = this.worktrees.keep(tree.path, diff);
  }

  private async closeTree(tree: Tree): Promise<void> {
    if (tree.path !== undefined) await this.worktrees?.remove(tree.path);
    tree.path = undefined;
  }

  /** The fingerprint a step of this flow would be made under now, after `previous` (resume.ts asks). */
  private fingerprint(flow: FlowState, step: Step, previous: Previous | undefined): string {
    return stepFingerprint(step, this.stepInput(flow, step, previous?.output, previous?.bytes), previous?.fingerprint, this.fingerprints);
  }

  /** What a step is given: its prompt or command filled in for this flow, and its model settings. */
  /**
   * What a step is given: its prompt or command filled in for this flow, and its model settings;
   * a cmd step gets the previous output's bytes on stdin when there are any.
   */
  private stepInput(flow: FlowState, step: Step, previous: string | undefined, bytes: Buffer | undefined): StepInput {
    const { options } = this.plan;
    let prompt: string;
    let command: CommandRequest | undefined;
    if (step.kind === 'cmd') {
      prompt = previous ?? '';
      const compiled = this.plan.commands.get(step.index)!;
      command = {
        script: compiled.script,
        variables: [...compiled.variables].map(([ref, variable]) => {
          const { name, field } = parseRef(ref);
          return { key: ref, variable, file: flow.flow.keys[name]!, value: this.value(flow, name, field) };
        }),
      };
    } else {
      const template = this.template(flow, step);
      const filled = fillPlaceholders(template, (name, field) =>
        flow.flow.keys[name] === undefined
          ? undefined
          : field === 'path'
            ? flow.flow.keys[name]
            : promptValue(this.contents(flow, name), flow.flow.keys[name], options.appendFilepath),
      );
      prompt = assemblePrompt(filled, previous);
    }
    const model =
      step.kind === 'openai'
        ? (step.model ?? options.model ?? (options.env.OPENAI_MODEL || undefined) ?? DEFAULT_MODEL)
        : (step.model ?? options.model);
    const api: Api = step.api ?? options.api ?? 'responses';
    return { prompt, input: step.kind === 'cmd' ? bytes : undefined, command, model, api, sandbox: sandboxOf(step, options) };
  }

  /** The config's `setup` command in a new worktree; `dir` stands for the workdir there. */
  private setup(dir: string, stepDir: string, env: Readonly<Record<string, string>>): Promise<void> {
    const { options } = this.plan;
    return runSetup({
      command: this.plan.config.setup!,
      cwd: dir,
      workdir: this.plan.workdir,
      env: options.env,
      stepEnv: env,
      dir: stepDir,
      timeoutMs: options.timeoutS * 1000,
      signal: this.control.signal,
      files: this.files,
    });
  }

  /** Runs one step; `input.input`: a cmd step's stdin byte for byte (the previous cmd step's output), recorded so in prompt.txt. */
  private async runStep(flow: FlowState, step: Step, input: StepInput, stepDir: string, tree: Tree, branch: readonly number[]) {
    this.files.tree.dir(stepDir);
    if (input.input !== undefined) this.files.writeBytes(join(stepDir, 'prompt.txt'), input.input);
    else this.files.write(join(stepDir, 'prompt.txt'), input.prompt);
    const env = stepEnv(flow.flow.id, branch, this.plan.runDir);
    const cwd = await this.cwdFor(step, tree, [flow.flow.id, ...branch].join('-'), (dir) => this.setup(dir, stepDir, env));
    const run = this.runners[step.kind].run({
      ...input,
      step,
      cwd,
      dir: stepDir,
      tmpdir: cwd !== this.plan.workdir && tree.path !== undefined ? this.worktrees?.tmpFor(tree.path) : undefined,
      timeoutMs: (step.timeout ?? this.plan.options.timeoutS) * 1000,
      signal: this.steps.signal,
      files: this.files,
      env,
    });
    let ran = false;
    try {
      const result = await run;
      ran = true;
      return result;
    } finally {
      // the step's own failure, when it failed, says more than a patch that could not be saved
      if (cwd !== this.plan.workdir)
        await this.savePatch(tree, stepDir).catch((error: unknown) => {
          if (ran) throw error;
        });
    }
  }

  /** A model step's template: inline, a prompt file read once, or a file whose path has placeholders. */
  private template(flow: FlowState, step: Step): string {
    const source = step.prompt!;
    if (source.kind === 'inline') return source.text;
    const fixed = this.plan.templates.get(step.index);
    if (fixed !== undefined) return fixed;
    const path = fillPlaceholders(source.path, (name, field) =>
      flow.flow.keys[name] === undefined ? undefined : this.value(flow, name, field).trim(),
    );
    try {
      return readInputFile(resolve(this.plan.options.baseDir, path), { confineTo: this.plan.options.confineTo }).toString('utf8');
    } catch (error) {
      const why = error instanceof InputFileError ? `it ${error.problem}` : errorMessage(error);
      throw new StepError(`cannot read prompt file ${JSON.stringify(path)}: ${why}`, { cause: error });
    }
  }

  /** What a placeholder stands for in this flow: its file's contents, or its listed path. */
  private value(flow: FlowState, name: string, field: PlaceholderField): string {
    return field === 'path' ? flow.flow.keys[name]! : this.contents(flow, name);
  }

  /** The contents of this flow's file for a key, read once per flow. */
  private contents(flow: FlowState, name: string): string {
    let text = flow.contents.get(name);
    if (text === undefined) {
      text = readListedFile(this.plan.options.baseDir, flow.flow.keys[name]!, name, { confineTo: this.plan.options.confineTo });
      flow.contents.set(name, text);
    }
    return text;
  }

  private writeLeaf(
    flow: FlowState,
    branch: number[],
    dir: string,
    leaf: { status: Status; error: string | null; output: string | null; finalMessage: string | null; steps: StepEntry[] },
  ): void {
    const entry: LeafEntry = {
      id: flow.flow.id,
      branch,
      keys: flow.flow.keys,
      status: leaf.status,
      output: leaf.output,
      final_message: leaf.status === 'succeeded' ? leaf.finalMessage : null,
      error: leaf.error,
      duration_ms: Date.now() - flow.started,
      usage: leafUsage(leaf.steps),
      steps: leaf.steps,
      changes: leafChanges(this.plan.runDir, leaf.steps),
    };
    try {
      this.files.writeJson(join(dir, 'result.json'), entry);
      this.counts[leaf.status]++;
    } catch (error) {
      this.keepUnwritten({ ...entry, status: 'failed', error: this.writeFailed(error) });
    }
  }

  /** Every leaf of this process's flows, in order, from disk; flows that never ran are cancelled. */
  private leaves(): Generator<ResultItem> {
    return withUnwritten(readLeaves(this.plan.runDir, this.plan.space, this.plan.range, this.stopReason ?? 'not run'), this.unwritten);
  }

  /** Passes the leaves on, noting the final messages of succeeded ones, and the output when there is one leaf only. */
  private *collect(leaves: Iterable<ResultItem>, seen: { finalMessages: string[]; onlyOutput: string | undefined }): Generator<ResultItem> {
    let count = 0;
    for (const leaf of leaves) {
      if (isNotStarted(leaf)) {
        count += leaf.count;
        seen.onlyOutput = undefined;
        yield leaf;
        continue;
      }
      count++;
      seen.onlyOutput = count === 1 ? (leaf.output ?? undefined) : undefined;
      if (leaf.status === 'succeeded' && leaf.final_message) seen.finalMessages.push(leaf.final_message);
      yield leaf;
    }
  }

  private report(): void {
    this.control.onProgress?.({
      labels: this.labels,
      atStep: this.atStep,
      finished: this.finished,
      total: this.total,
      ...this.counts,
      usage: this.usage,
    });
  }

  private writeRunJson(started: Date, ended: Date | undefined, totals: Totals | undefined): void {
    const { plan } = this;
    const o = plan.options;
    const record = {
      schema: 1,
      run_id: plan.runId,
      config: { file: o.configFile, hash: plan.config.hash },
      keys: plan.space.keys.map((k) => ({ name: k.name, file: k.file, lines: k.paths.length })),
      keys_hash: plan.keysHash,
      shard: plan.shard,
      flows: { total: plan.space.total, from: plan.range.from + 1, to: plan.range.to },
      options: {
        parallel: o.parallel,
        timeout: o.timeoutS,
        workdir: o.workdir,
        append_filepath: o.appendFilepath,
        model: o.model ?? null,
        api: o.api ?? null,
        base_url: o.baseUrl === undefined ? null : urlWithoutCredentials(o.baseUrl),
        offline: o.offline,
        retries: o.retries,
        token_budget: o.tokenBudget ?? null,
        resume: o.resume,
        isolate: o.isolate ?? 'none',
        sandbox: o.sandbox ?? DEFAULT_SANDBOX,
      },
      codex_version: this.codexVersion,
      // a resumed run keeps when the first attempt started; `attempts` lists each one's options
      started_at: this.earlier.startedAt ?? started.toISOString(),
      ended_at: ended?.toISOString() ?? null,
      attempts: [] as Attempt[],
      totals: totals ?? null,
      stopped: this.stopReason ?? null,
      peak_concurrency: this.slots.peak,
    };
    record.attempts = [...this.earlier.attempts, { started_at: started.toISOString(), ended_at: record.ended_at, options: record.options }];
    this.files.writeJson(join(plan.runDir, 'run.json'), record);
    // shards of one run share run.json when their trees are merged; each keeps its own record too,
    // so a report can tell which shards ran
    this.files.writeJson(join(plan.runDir, shardRecordPath(plan.shard)), record);
  }
}
