import { join } from 'node:path';
import { evaluateCheck, isPureCheck, type Verdict } from '../checks/evaluate.js';
import type { Step } from '../config/types.js';
import { checkFailed, type CheckResult } from '../model/checks.js';
import type { Status } from '../model/results.js';
import { CancelledError, errorMessage } from '../errors.js';
import { addUsage, type Usage } from '../model/usage.js';
import { runCmdCheck } from '../steps/check-cmd.js';
import { runRubricCheck } from '../steps/check-rubric.js';
import { stepEnv } from '../steps/env.js';
import type { StepResult, StepRunner } from '../steps/runner.js';
import type { LeafWorktree, WorktreeSession } from '../steps/worktree-session.js';
import type { TreeWriter } from '../util/files.js';
import { modelOf } from './options.js';
import type { PreparedRun } from './prepare.js';
import { pricedResult } from './spend.js';

/** What running a step's checks needs of the run. */
export interface ChecksContext {
  readonly prepared: PreparedRun;
  readonly runners: Readonly<Record<Step['kind'], StepRunner>>;
  readonly worktrees: WorktreeSession;
  readonly files: TreeWriter;
  readonly signal: AbortSignal;
}

/** Where the checks run: the leaf (its flow, branch and worktree) and the step's directory. */
export interface CheckedLeaf {
  readonly flowId: string;
  readonly branch: readonly number[];
  readonly worktree: LeafWorktree;
  readonly stepDir: string;
}

/** A step's checks as they came out, and what grading them cost (rubric calls; null when none were made). */
export interface StepChecks {
  readonly results: readonly CheckResult[];
  readonly usage: Usage | null;
}

/** The directory of a step's check number `n` (1-based) that runs something: cmd and rubric checks keep their files there. */
export const checkDirName = (n: number): string => `check_${n}`;

/**
 * Runs the checks of `step` on its output, in order: the pure ones in process, cmd checks through
 * the cmd runner in the leaf's working directory, rubric checks through the openai runner (skipped
 * under --offline: nothing grades them). Undefined for a step without checks.
 */
export async function runStepChecks(
  run: ChecksContext,
  leaf: CheckedLeaf,
  step: Step,
  output: { text: string; bytes: Buffer | undefined },
): Promise<StepChecks | undefined> {
  if (step.checks === undefined || step.checks.length === 0) return undefined;
  const results: CheckResult[] = [];
  let usage: Usage | null = null;
  for (const [i, check] of step.checks.entries()) {
    const record = (verdict: Verdict, skipped = false): void => {
      results.push({ name: check.name, type: check.type, passed: verdict.passed, reason: verdict.reason, ...(skipped ? { skipped } : {}) });
    };
    if (isPureCheck(check)) {
      record(evaluateCheck(check, output.text));
      continue;
    }
    const dir = join(leaf.stepDir, checkDirName(i + 1));
    run.files.tree.dir(dir);
    const env = stepEnv(leaf.flowId, leaf.branch, run.prepared.runDir);
    const timeoutMs = (step.timeout ?? run.prepared.options.timeoutS) * 1000;
    const base = { dir, timeoutMs, signal: run.signal, files: run.files };
    if (check.type === 'cmd') {
      if (output.bytes !== undefined) run.files.writeBytes(join(dir, 'prompt.txt'), output.bytes);
      else run.files.write(join(dir, 'prompt.txt'), output.text);
      const name = [leaf.flowId, ...leaf.branch].join('-');
      const verdict = await run.worktrees.runIn(step, leaf.worktree, { name, stepDir: dir, stepEnv: env }, (cwd, tmpdir, changed) =>
        runCmdCheck(run.runners.cmd, step, check, output, { ...base, cwd, tmpdir, env: { ...env, ...changed } }),
      );
      record(verdict);
    } else if (run.prepared.options.offline) {
      record({ passed: true, reason: 'not graded: --offline calls no model' }, true);
    } else {
      const { options } = run.prepared;
      const graded = await runRubricCheck(run.runners.openai, step, check, output.text, {
        ...base,
        cwd: options.workdir,
        env,
        api: check.api ?? options.api ?? 'responses',
        modelOf: (grader) => modelOf(grader, options),
      });
      const priced = pricedResult(
        graded.grader,
        graded.result,
        { reused: false, batching: run.runners.openai.batches !== undefined },
        run.prepared.prices,
        options,
      );
      usage = usage === null ? priced.usage : addUsage(usage, priced.usage);
      record(graded.verdict);
    }
  }
  return { results, usage };
}

/** A step's checks as the walk records them, and the failure they make of the leaf, if any. */
export interface Checked {
  readonly checks: StepChecks | undefined;
  readonly failure: { readonly status: Status; readonly message: string } | undefined;
}

const NOTHING: Checked = { checks: undefined, failure: undefined };

/** Why a leaf fails its checks: each failed check and its reason. */
export function checksFailure(step: Step, results: readonly CheckResult[]): string | undefined {
  const failed = results.filter(checkFailed);
  if (failed.length === 0) return undefined;
  const what = failed.length === 1 ? 'a check failed' : `${failed.length} of ${results.length} checks failed`;
  return `step ${step.index} (${JSON.stringify(step.label)}): ${what}: ${failed.map((r) => `${r.name}: ${r.reason}`).join('; ')}`;
}

/**
 * Runs the checks of a step that succeeded (run now or reused: checks are judged again, so a
 * resumed run re-checks the leaves it runs), adding what grading cost to the run's spend. A check
 * that could not run (a rubric call that failed) fails the leaf; failed checks fail it unless the
 * config says `"checks_fail": false`.
 */
export async function checkStep(
  run: ChecksContext & { readonly progress: { usage: Usage }; stopReason(): string | undefined },
  leaf: CheckedLeaf,
  step: Step,
  tried: { readonly result: StepResult | undefined; readonly failure: unknown },
): Promise<Checked> {
  if (tried.failure !== undefined || tried.result === undefined || step.checks === undefined) return NOTHING;
  let checks: StepChecks | undefined;
  try {
    checks = await runStepChecks(run, leaf, step, { text: tried.result.output, bytes: tried.result.bytes });
  } catch (caught) {
    const failure =
      caught instanceof CancelledError
        ? { status: 'cancelled' as const, message: run.stopReason() ?? caught.message }
        : {
            status: 'failed' as const,
            message: `step ${step.index} (${JSON.stringify(step.label)}): a check could not run: ${errorMessage(caught)}`,
          };
    return { checks: undefined, failure };
  }
  if (checks === undefined) return NOTHING;
  run.progress.usage = addUsage(run.progress.usage, checks.usage);
  const message = run.prepared.config.checksFail === false ? undefined : checksFailure(step, checks.results);
  return { checks, failure: message === undefined ? undefined : { status: 'failed', message } };
}

/** A step's usage with what grading its checks cost. */
export const withChecksUsage = (usage: Usage | null, checked: Checked): Usage | null =>
  checked.checks?.usage == null ? usage : addUsage(usage ?? { input_tokens: 0, output_tokens: 0 }, checked.checks.usage);
