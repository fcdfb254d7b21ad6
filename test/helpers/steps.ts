/**
 * Steps for tests that hand a runner one step directly (no config file on disk): made by the config
 * parser from one step as a config file would hold it, so they carry every field a parsed step
 * has, defaults applied, and change when the parser's steps change.
 */
import type { CmdStep, Step } from '../../src/config/types.js';
import { parseConfig } from '../../src/config/parse.js';

/** The step a config file holding only `raw` would give: `stepOf({ cmd: 'true' })`, `stepOf({ type: 'openai', name: 'model', prompt: 'hi' })`. */
export function stepOf(raw: Record<string, unknown>): Step {
  return parseConfig(JSON.stringify([raw]), 'test-step.json').steps[0]!;
}

/** The fields every step has whatever its kind, as a parsed step holds them: for a Step literal of any kind. */
export function stepBase(): Omit<CmdStep, 'kind' | 'cmd' | 'prompt'> {
  const { kind, cmd, prompt, ...base } = stepOf({ cmd: 'true' }) as CmdStep;
  void [kind, cmd, prompt];
  return base;
}
