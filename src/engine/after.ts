import { join } from 'node:path';
import type { Api, Step } from '../config/types.js';
import { CancelledError, StepError, errorMessage } from '../errors.js';
import { assemblePrompt } from '../prompt/assemble.js';
import { stepDirName } from '../results/paths.js';
import { leafLabel } from '../results/results.js';
import { isNotStarted, type AfterResult, type LeafEntry, type ResultItem, type Status, type StepEntry } from '../model/results.js';
import { BUILT_IN_PRICES, type Prices } from '../model/cost.js';
import { addUsage, NO_USAGE, type Usage } from '../model/usage.js';
import type { StepResult } from '../steps/runner.js';
import type { LeafWorktree, WorktreeSession } from '../steps/worktree-session.js';
import type { TreeWriter } from '../util/files.js';
import { fingerprintSettings, maskedInput, stepFingerprint, type StepInput } from './fingerprint.js';
import { modelOf, sandboxOf, type RunOptions } from './options.js';
import type { StepSources } from './prepare.js';
import { readStepRecord, writeStepRecord } from './resume.js';
import { answerMarks, pricedResult, spendLimit, stepUsage as pricedUsage } from './spend.js';
import type { Runners } from './walk.js';

/** The directory of a run that holds the after steps' directories. */
export const AFTER_DIR = 'after';

/** The run settings after steps use: those of the run (`run`), or of the run being reported (`report`). */
export type AfterOptions = Pick<
  RunOptions,
  'offline' | 'timeoutS' | 'tokenBudget' | 'maxCost' | 'model' | 'api' | 'sandbox' | 'env' | 'baseUrl' | 'workdir' | 'isolate'
>;

/** What running the after steps needs; `run` and `report` each make one. */
export interface AfterSetup {
  /** The config's after steps. */
  readonly steps: readonly Step[];
  readonly sources: StepSources;
  readonly runDir: string;
  readonly options: AfterOptions;
  readonly runners: Runners;
  readonly files: TreeWriter;
  /** Where codex and cmd steps run: the workdir, or with `--isolate worktree` a worktree of their own. */
  readonly worktrees: WorktreeSession;
  /** Aborted to end a running after step (an interrupt). */
  readonly signal: AbortSignal;
  /**
   * A leaf's whole output (results.json cuts a long one, naming the file that holds it); the output
   * the entry holds when absent.
   */
  readonly outputOf?: (leaf: LeafEntry) => string | null;
  /** Why no after step may start now (interrupted, token budget reached), or undefined. */
  stopReason(): string | undefined;
  /** Tokens this process used so far (the flows' steps), counted against `--token-budget` and `--max-cost`. */
  readonly used: Usage;
  /** What calls cost (the built-in prices and the config's); the built-in ones when absent. */
  readonly prices?: Prices;
}

/** The one line that heads a leaf in the listing: its id (and branch), keys and status. */
function header(label: string, keys: Readonly<Record<string, string>>, status: string): string {
  const listed = Object.entries(keys).map(([name, path]) => `${name}=${path}`);
  return `### ${[label, ...(listed.length > 0 ? [listed.join(', ')] : []), status].join(' · ')}`;
}

/**
 * The document the first after step starts from (its previous output): each leaf in results order,
 * a header line (id, keys, status) then its output; a failed leaf's error stands in for its output,
 * a cancelled leaf is listed by its header only, and a range of leaves that never started by one line.
 * Nothing in it varies between two runs with the same leaves (no durations), so `--resume` reuses
 * after steps whose leaves did not change.
 */
export function listLeaves(items: Iterable<ResultItem>, outputOf: (leaf: LeafEntry) => string | null = (leaf) => leaf.output): string {
  const parts: string[] = [];
  for (const item of items) {
    if (isNotStarted(item)) {
      const span = `${leafLabel(item.from)} … ${leafLabel(item.to)} (${item.count} ${item.from.branch.length === 0 ? 'flows' : 'branches'})`;
      parts.push(`${header(span, {}, `cancelled: never started (${item.reason})`)}\n`);
    } else if (item.status === 'succeeded') {
      parts.push(`${header(leafLabel(item), item.keys, 'succeeded')}\n${outputOf(item) ?? ''}\n`);
    } else if (item.status === 'failed') {
      parts.push(`${header(leafLabel(item), item.keys, 'failed')}\nerror: ${item.error ?? 'unknown'}\n`);
    } else {
      parts.push(`${header(leafLabel(item), item.keys, `cancelled (${item.error ?? 'not run'})`)}\n`);
    }
  }
  return parts.join('\n');
}

/** How the after steps ended, and the tokens this process spent on them (reused steps cost nothing). */
export interface AfterRun {
  readonly result: AfterResult;
  readonly spent: Usage;
}

/** An after result for after steps that did not run at all: cancelled (stopped), or failed (they could not run). */
export const afterNotRun = (reason: string, status: 'cancelled' | 'failed' = 'cancelled'): AfterResult => ({
  status,
  output: null,
  error: reason,
  usage: NO_USAGE,
  steps: [],
});

/**
 * Runs the after steps once, over `leaves`: the first starts from their listing (listLeaves), each
 * next one from the output before it, as in a flow. Each writes under `<run>/after/`, and is reused
 * (not run, not paid for) when its step.json holds the fingerprint it would be made under now.
 * Never throws for a step's failure: the result says how the after steps ended.
 */
export async function runAfter(setup: AfterSetup, leaves: Iterable<ResultItem>): Promise<AfterRun> {
  const { options } = setup;
  const stoppedBefore = setup.stopReason();
  if (stoppedBefore !== undefined) return { result: afterNotRun(stoppedBefore), spent: NO_USAGE };
  const settings = fingerprintSettings(options);
  const prices = setup.prices ?? BUILT_IN_PRICES;
  const entries: StepEntry[] = [];
  let usage: Usage = NO_USAGE;
  let spent: Usage = NO_USAGE;
  const ended = (status: Status, output: string | null, error: string | null): AfterRun => ({
    result: { status, output: status === 'succeeded' ? output : null, error, usage, steps: entries },
    spent,
  });
  // one working tree for the chain: a codex after step sees what the one before it changed
  const worktree: LeafWorktree = {};
  let previous: { output: string; bytes?: Buffer; fingerprint: string | undefined } = {
    output: listLeaves(leaves, setup.outputOf),
    fingerprint: undefined,
  };
  try {
    for (const step of setup.steps) {
      const where = `after step ${step.index} (${JSON.stringify(step.label)})`;
      const batching = setup.runners[step.kind].batches !== undefined;
      const stopped = setup.stopReason() ?? spendLimit(options, addUsage(setup.used, spent));
      if (stopped !== undefined) return ended('cancelled', null, stopped);
      const stepDir = join(setup.runDir, AFTER_DIR, stepDirName(step));
      const started = Date.now();
      const input = stepInput(setup, step, previous.output, previous.bytes);
      // of the input as saved (secrets masked), as the flows' steps (fingerprint.ts maskedInput)
      const fingerprint = stepFingerprint(step, maskedInput(input, setup.files.redactor), previous.fingerprint, settings);
      const earlier = readStepRecord(stepDir);
      let result: StepResult;
      let reused = false;
      let stepUsage: Usage | null = null;
      try {
        if (earlier !== undefined && earlier.fingerprint === fingerprint) {
          result = pricedResult(step, earlier, { reused: true, batching }, prices, options);
          reused = true;
          if (earlier.patch !== undefined) worktree.inherited = earlier.patch;
        } else {
          result = pricedResult(step, await runStep(setup, step, input, stepDir, worktree), { reused: false, batching }, prices, options);
          writeStepRecord(setup.files, stepDir, step, result, Date.now() - started, fingerprint);
        }
        stepUsage = result.usage;
      } catch (caught) {
        const cancelled = caught instanceof CancelledError;
        stepUsage = caught instanceof StepError ? pricedUsage(step, caught.usage, prices, options) : null;
        usage = addUsage(usage, stepUsage);
        spent = addUsage(spent, stepUsage);
        const message = cancelled ? (setup.stopReason() ?? caught.message) : `${where}: ${errorMessage(caught)}`;
        entries.push(entry(step, cancelled ? 'cancelled' : 'failed', Date.now() - started, stepUsage));
        if (!cancelled) note(setup, join(stepDir, 'error.txt'), message + '\n');
        return ended(cancelled ? 'cancelled' : 'failed', null, message);
      }
      // a reused step's tokens are still the after steps' tokens, but not spent by this process
      usage = addUsage(usage, stepUsage);
      if (!reused) spent = addUsage(spent, stepUsage);
      // answered from the response cache or in a batch: marked as the flows' steps are
      entries.push({
        ...entry(step, 'succeeded', reused ? earlier!.duration_ms : Date.now() - started, stepUsage),
        ...answerMarks(result),
      });
      previous = { output: result.output, bytes: result.bytes, fingerprint };
    }
    return ended('succeeded', previous.output, null);
  } catch (error) {
    // the after directory could not be written (or read): the flows' results stand, the after steps failed
    return ended('failed', null, `after steps: ${errorMessage(error)}`);
  } finally {
    await setup.worktrees.close(worktree);
  }
}

function entry(step: Step, status: Status, durationMs: number, usage: Usage | null): StepEntry {
  return {
    name: step.label,
    type: step.type,
    status,
    duration_ms: durationMs,
    usage,
    dir: `${AFTER_DIR}/${stepDirName(step)}`,
  };
}

/** What an after step is given: its template (no placeholders) and the previous output; a cmd step gets it on stdin. */
function stepInput(setup: AfterSetup, step: Step, previous: string, bytes: Buffer | undefined): StepInput {
  const { options } = setup;
  const model = modelOf(step, options);
  const api: Api = step.api ?? options.api ?? 'responses';
  const sandbox = sandboxOf(step, options);
  if (step.kind === 'cmd') {
    const script = setup.sources.commands.get(step.index)?.script ?? step.cmd;
    return { prompt: previous, input: bytes, command: { script, variables: [] }, model, api, sandbox };
  }
  const source = step.prompt;
  const template = source.kind === 'inline' ? source.text : setup.sources.templates.get(step.index);
  if (template === undefined)
    throw new StepError(`the prompt file ${JSON.stringify(source.kind === 'file' ? source.path : '')} was not read`);
  return { prompt: assemblePrompt(template, previous), input: undefined, command: undefined, model, api, sandbox };
}

async function runStep(setup: AfterSetup, step: Step, input: StepInput, stepDir: string, worktree: LeafWorktree): Promise<StepResult> {
  const { files } = setup;
  // the directories down to this step's are real ones, not links a flow's step planted
  files.tree.removeDir(stepDir);
  files.tree.dir(stepDir);
  if (input.input !== undefined) files.writeBytes(join(stepDir, 'prompt.txt'), input.input);
  else files.write(join(stepDir, 'prompt.txt'), input.prompt);
  // no flow: ORCHESTRATOR_FLOW_ID is "after"
  const env = { ORCHESTRATOR_FLOW_ID: AFTER_DIR, ORCHESTRATOR_BRANCH: '', ORCHESTRATOR_RUN_DIR: setup.runDir };
  return setup.worktrees.runIn(step, worktree, { name: AFTER_DIR, stepDir, stepEnv: env }, (cwd, tmpdir) =>
    setup.runners[step.kind].run({
      ...input,
      step,
      cwd,
      dir: stepDir,
      tmpdir,
      timeoutMs: (step.timeout ?? setup.options.timeoutS) * 1000,
      signal: setup.signal,
      files,
      env,
    }),
  );
}

/** error.txt, for the reader: the error is in results.json already, so its own write failing changes nothing. */
function note(setup: AfterSetup, path: string, text: string): void {
  try {
    setup.files.write(path, text);
  } catch {
    // see above
  }
}
