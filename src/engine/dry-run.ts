/**
 * `--dry-run`: what a prepared run would do, as text: the flow count, the first flows' steps with
 * their prompts and commands filled in, and what the model calls may cost. Reads the key files and
 * prompt files a run would read; calls no model, runs no command, writes nothing.
 */
import { endEarlyChecks } from './early-checks.js';
import { rubricStep } from '../config/checks.js';
import type { Step } from '../config/types.js';
import { StepError, errorMessage } from '../errors.js';
import type { Flow } from '../flows/flows.js';
import { costOf, formatUsd, priceOf } from '../model/cost.js';
import type { Redactor } from '../util/redact.js';
import { modelOf } from './options.js';
import type { PreparedRun } from './prepare.js';
import { StepInputs, type FlowState } from './step-input.js';

/** The estimate's assumptions, stated in what it prints. */
export const CHARS_PER_TOKEN = 4;
export const ASSUMED_REPLY_TOKENS = 1000;
/** Flows whose prompts are measured for the estimate; beyond, the measure is scaled. */
const MEASURED_FLOWS = 1000;
/** Characters of one prompt shown; the rest is counted. */
const SHOWN_CHARS = 2000;

export interface DryRun {
  readonly text: string;
  /** A shown flow's step could not be filled in (a prompt file missing): the run would fail that flow. */
  readonly failing: number;
}

/** The dry run of a prepared run, showing `shown` flows of its range (all with 'all'). */
export function dryRun(prepared: PreparedRun, shown: number | 'all', redactor: Redactor): DryRun {
  endEarlyChecks(); // nothing runs: the index the command line started checking (--resume) is not needed
  const inputs = new StepInputs(prepared, redactor);
  const { from, to } = prepared.range;
  const count = to - from;
  const showing = shown === 'all' ? count : Math.min(shown, count);
  const lines: string[] = [
    'dry run: no model is called, no command runs, nothing is written',
    `flows: ${count}${prepared.shard.count > 1 ? ` (shard ${prepared.shard.index}/${prepared.shard.count}: flows ${from + 1}-${to} of ${prepared.space.total})` : ''}`,
    `steps: ${prepared.config.steps.map(stepName).join(' -> ')}`,
  ];
  if (prepared.config.after.length > 0)
    lines.push(`after steps (once, over all leaves): ${prepared.config.after.map(stepName).join(' -> ')}`);
  lines.push(
    showing === count
      ? `showing ${count === 1 ? 'the flow' : `all ${count} flows`}`
      : `showing the first ${showing} of ${count} flows (--dry-run=all shows every one, --dry-run=N the first N)`,
  );
  let failing = 0;
  for (let index = from; index < from + showing; index++) {
    const flow = prepared.space.at(index);
    const state: FlowState = { flow, dir: '', started: 0, contents: new Map() };
    lines.push('', `${flow.id}  ${keysText(flow)}`);
    for (const step of prepared.config.steps) {
      const shownStep = describeStep(prepared, inputs, state, step);
      if (shownStep.failed) failing++;
      lines.push(...shownStep.lines);
      if (shownStep.failed) break;
    }
  }
  lines.push('', ...costLines(prepared, inputs));
  return { text: redactor.redact(lines.join('\n')) + '\n', failing };
}

const stepName = (step: Step): string => `${step.index} ${step.label} (${step.kind}${step.array ? ', array' : ''})`;

const keysText = (flow: Flow): string =>
  Object.entries(flow.keys)
    .map(([name, path]) => `${name}=${path}`)
    .join('  ');

/** What came before a step, as its prompt's or stdin's tail says it. */
function previousText(prepared: PreparedRun, step: Step): string | undefined {
  const before = prepared.config.steps[step.index - 2];
  if (before === undefined) return undefined;
  return before.array
    ? `one element of step ${before.index}'s array (a branch per element)`
    : `the output of step ${before.index} (${before.label})`;
}

function describeStep(prepared: PreparedRun, inputs: StepInputs, flow: FlowState, step: Step): { lines: string[]; failed: boolean } {
  const model = step.kind === 'cmd' ? undefined : modelOf(step, prepared.options);
  const settings =
    step.kind === 'openai'
      ? `, model ${model ?? '?'}, api ${step.api ?? prepared.options.api ?? 'responses'}`
      : step.kind === 'codex'
        ? `${model === undefined ? '' : `, model ${model}`}`
        : '';
  const lines = [`  step ${step.index} "${step.label}" (${step.kind}${settings}${step.array ? ', array' : ''})`];
  const previous = previousText(prepared, step);
  let input;
  try {
    input = inputs.stepInput(flow, step, undefined, undefined);
  } catch (error) {
    const why = error instanceof StepError ? error.message : errorMessage(error);
    lines.push(`    would fail: ${why}`);
    return { lines, failed: true };
  }
  if (step.kind === 'cmd') {
    lines.push(`    cmd: ${step.cmd}`);
    for (const variable of input.command?.variables ?? []) {
      lines.push(`    {{{${variable.key}}}} = ${JSON.stringify(clip(variable.value, 200))} (one word of data)`);
    }
    lines.push(`    stdin: ${previous ?? 'empty'}`);
  } else {
    lines.push('    prompt:', ...indent(clip(input.prompt, SHOWN_CHARS)));
    if (previous !== undefined) lines.push(`    then a blank line and ${previous}`);
  }
  lines.push(...checkLines(prepared, step));
  return { lines, failed: false };
}

/** A step's checks as the dry run lists them: each one's name, and which model grades a rubric. */
function checkLines(prepared: PreparedRun, step: Step): string[] {
  const checks = step.checks ?? [];
  const lines = checks.map((check, i) => {
    if (check.type !== 'rubric') return `    check ${i + 1}: ${check.name}`;
    const grader = prepared.options.offline
      ? 'not graded: --offline'
      : `graded by ${modelOf(rubricStep(step, check, ''), prepared.options) ?? '?'}`;
    return `    check ${i + 1}: ${check.name} (${grader})`;
  });
  if (checks.length > 0 && prepared.config.checksFail === false)
    lines.push('    ("checks_fail": false: a failed check is recorded, the leaf does not fail)');
  return lines;
}

const clip = (text: string, most: number): string =>
  text.length <= most ? text : `${text.slice(0, most)}… (${text.length - most} more characters)`;

const indent = (text: string): string[] => text.split('\n').map((line) => `      ${line}`);

/**
 * What the model calls may cost. No config field caps a reply's length, so no true upper bound
 * exists: the lines give the number of calls, each model's prices, the prompt tokens known before
 * the run, and a total under a stated assumption (replies of at most ASSUMED_REPLY_TOKENS tokens).
 */
function costLines(prepared: PreparedRun, inputs: StepInputs): string[] {
  const { options } = prepared;
  if (options.offline) return ['cost: $0 (--offline: model and codex steps answer with their own prompt)'];
  const flows = prepared.range.to - prepared.range.from;
  const measured = Math.min(flows, MEASURED_FLOWS);
  const scale = measured === 0 ? 0 : flows / measured;
  const lines = ['cost (no config field caps a reply, so this is an estimate, not a bound):'];
  let total = 0;
  let unknown = false;
  let fanned = false;
  let branches = 1;
  for (const step of prepared.config.steps) {
    const calls = flows * branches;
    const callsText = branches === 1 ? `${calls} calls` : `${flows} flows × up to ${branches} branches = up to ${calls} calls`;
    if (step.kind === 'codex') {
      unknown = true;
      lines.push(`  step ${step.index} "${step.label}" (codex): ${callsText}; a codex run makes any number of model turns: not estimated`);
    } else if (step.kind === 'openai') {
      const model = modelOf(step, options);
      const price = priceOf(model, prepared.prices);
      if (price === undefined) {
        unknown = true;
        lines.push(
          `  step ${step.index} "${step.label}" (openai, ${model ?? 'no model'}): ${callsText}; no price for this model: not estimated`,
        );
      } else {
        const known = Math.ceil((promptChars(prepared, inputs, step, measured) * scale) / CHARS_PER_TOKEN);
        const carried = step.index > 1 ? calls * ASSUMED_REPLY_TOKENS : 0;
        const usage = { input_tokens: known * branches + carried, output_tokens: calls * ASSUMED_REPLY_TOKENS };
        const usd = costOf(model, usage, prepared.prices, { batch: options.batch !== undefined }) ?? 0;
        total += usd;
        lines.push(
          `  step ${step.index} "${step.label}" (openai, ${model}, $${price.input} in / $${price.output} out per 1M tokens${options.batch !== undefined ? ', half price in a batch' : ''}): ` +
            `${callsText}; prompts ≈ ${known * branches} tokens${step.index > 1 ? ` + the previous output` : ''}; ≈ ${formatUsd(usd)}`,
        );
      }
    }
    const rubrics = (step.checks ?? []).filter((c) => c.type === 'rubric').length;
    if (rubrics > 0) {
      unknown = true;
      lines.push(
        `  step ${step.index} "${step.label}": ${rubrics} rubric check${rubrics === 1 ? '' : 's'} on each of its ${callsText}, graded by a model: not estimated`,
      );
    }
    if (step.array) {
      fanned = true;
      branches *= step.maxItems ?? 1;
    }
  }
  lines.push(
    `  ≈ ${formatUsd(total)}${unknown ? ' for the steps estimated' : ''}, assuming every reply (and so every previous output a prompt carries) is at most ${ASSUMED_REPLY_TOKENS} tokens, ` +
      `${CHARS_PER_TOKEN} characters a token${measured < flows ? `, prompts measured on the first ${measured} flows and scaled` : ''}` +
      `${fanned ? ', and every array step giving its most elements (max_items)' : ''}; retries of failed calls, and the after steps, are not counted`,
  );
  if (options.maxCost !== undefined)
    lines.push(`  --max-cost ${formatUsd(options.maxCost)} stops new steps once the calls made cost that much`);
  return lines;
}

/** Characters of a step's filled template (its previous output left out) over the first `measured` flows of the range. */
function promptChars(prepared: PreparedRun, inputs: StepInputs, step: Step, measured: number): number {
  let chars = 0;
  for (let index = prepared.range.from; index < prepared.range.from + measured; index++) {
    const flow: FlowState = { flow: prepared.space.at(index), dir: '', started: 0, contents: new Map() };
    try {
      chars += inputs.stepInput(flow, step, undefined, undefined).prompt.length;
    } catch {
      // shown above for the flows listed; such a flow fails before the call
    }
  }
  return chars;
}
