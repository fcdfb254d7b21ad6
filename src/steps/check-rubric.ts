import { join } from 'node:path';
import { rubricStep } from '../config/checks.js';
import type { Step } from '../config/types.js';
import type { Check } from '../model/checks.js';
import { parseJsonOutput, type Verdict } from '../checks/evaluate.js';
import { isObject } from '../util/is-object.js';
import type { StepRequest, StepResult, StepRunner } from './runner.js';

/** What the grader is asked: the rubric, then the output to grade, and the one answer it may give. */
export function rubricPrompt(rubric: string, output: string): string {
  return (
    'You grade an output against a rubric. Answer with one JSON object and nothing else: ' +
    '{"pass": true or false, "reason": "one sentence saying why"}.\n\n' +
    `Rubric:\n${rubric}\n\nOutput to grade:\n${output}`
  );
}

/** The grader's answer as a verdict; an answer of another shape fails the check, saying what came back. */
export function readRubricAnswer(answer: string): Verdict {
  const parsed = parseJsonOutput(answer)?.value;
  if (isObject(parsed) && typeof parsed.pass === 'boolean') {
    const reason = typeof parsed.reason === 'string' && parsed.reason.trim() !== '' ? parsed.reason.trim() : '(the grader gave no reason)';
    return { passed: parsed.pass, reason: reason.length > 500 ? `${reason.slice(0, 500)}…` : reason };
  }
  const shown = answer.length > 200 ? `${answer.slice(0, 200)}…` : answer;
  return { passed: false, reason: `the grader's answer is not {"pass": true|false, "reason": "..."}: ${JSON.stringify(shown)}` };
}

/** What a rubric check is run with: the step's request, minus what the check decides. */
export type RubricRequest = Omit<StepRequest, 'step' | 'prompt' | 'input' | 'command' | 'model' | 'api' | 'sandbox'>;

/**
 * A `rubric` check: one call of the openai runner the run uses for openai steps (so retried, rate
 * limited, batched and cached as they are), its usage returned for the step's and the run's totals.
 */
export async function runRubricCheck(
  runner: StepRunner,
  step: Step,
  check: Extract<Check, { type: 'rubric' }>,
  output: string,
  request: RubricRequest & { api: 'responses' | 'chat'; modelOf: (grader: Step) => string | undefined },
): Promise<{ verdict: Verdict; result: StepResult; grader: Step }> {
  const { modelOf, ...rest } = request;
  const grader = rubricStep(step, check, check.value);
  const prompt = rubricPrompt(check.value, output);
  request.files.write(join(request.dir, 'prompt.txt'), prompt);
  const result = await runner.run({ ...rest, step: grader, prompt, model: modelOf(grader), command: undefined, sandbox: 'read-only' });
  return { verdict: readRubricAnswer(result.output), result, grader };
}
