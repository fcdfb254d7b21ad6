import { checkCmdStep } from '../config/checks.js';
import type { Step } from '../config/types.js';
import type { Check } from '../model/checks.js';
import { CancelledError, errorMessage } from '../errors.js';
import type { Verdict } from '../checks/evaluate.js';
import type { StepRequest, StepRunner } from './runner.js';

/** What a cmd check is run with: the step's request as a cmd step would get it, minus what the check decides. */
export type CheckRequest = Omit<StepRequest, 'step' | 'prompt' | 'input' | 'command' | 'model' | 'api' | 'sandbox'>;

/**
 * A `cmd` check: its command run by the cmd runner (the same process handling, environment and
 * limits as a cmd step), the output on stdin; exit status 0 passes, any other fails with the
 * command's own words (the last lines of its stderr) as the reason.
 */
export async function runCmdCheck(
  runner: StepRunner,
  step: Step,
  check: Extract<Check, { type: 'cmd' }>,
  output: { text: string; bytes: Buffer | undefined },
  request: CheckRequest,
): Promise<Verdict> {
  try {
    const result = await runner.run({
      ...request,
      step: checkCmdStep(step, check),
      prompt: output.text,
      input: output.bytes,
      command: { script: check.value, variables: [] },
      model: undefined,
      api: 'responses',
      sandbox: 'read-only',
    });
    const said = result.output.trim().split('\n')[0] ?? '';
    return { passed: true, reason: said === '' ? 'the command exited with code 0' : said.slice(0, 200) };
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return { passed: false, reason: errorMessage(error) };
  }
}
