import { resolve } from 'node:path';
import { stepWhere, type StepList } from '../config/parse.js';
import type { Config, Step } from '../config/types.js';
import { UsageError } from '../errors.js';
import { compileCommand, type CompiledCommand } from '../prompt/command.js';
import { findPlaceholders, placeholderNames, unknownPlaceholderFields } from '../prompt/placeholders.js';
import { inputFileMessage, tryReadInputFile, type InputRules } from '../util/input-file.js';

/** Prompt templates read once (steps whose prompt file path has no placeholder) and compiled commands, by step index. */
export interface StepSources {
  readonly templates: ReadonlyMap<number, string>;
  readonly commands: ReadonlyMap<number, CompiledCommand>;
}

/** Checks the placeholders of one text of a step (`what`: `"prompt"`, `"cmd"`, a prompt file), adding problems. */
export type PlaceholderCheck = (text: string, where: string, what: string) => void;

/**
 * Reads the prompt files and compiles the commands of one list of steps, checking every text they
 * hold with `check`; problems (a prompt file that cannot be read, a refused command) are added.
 */
export function loadStepSources(
  config: Pick<Config, 'file'>,
  steps: readonly Step[],
  list: StepList,
  at: { base: string; rules: Pick<InputRules, 'confineTo'> },
  check: PlaceholderCheck,
  problems: string[],
): StepSources {
  const templates = new Map<number, string>();
  const commands = new Map<number, CompiledCommand>();
  for (const step of steps) {
    const where = stepWhere(config.file, step.index, step.label, list);
    if (step.cmd !== undefined) {
      check(step.cmd, where, '"cmd"');
      try {
        commands.set(step.index, compileCommand(step.cmd));
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        problems.push(...error.problems.map((problem) => `${where}: field "cmd": ${problem}`));
      }
    } else if (step.prompt?.kind === 'inline') {
      check(step.prompt.text, where, '"prompt"');
    } else if (step.prompt?.kind === 'file') {
      check(step.prompt.path, where, 'the prompt file path');
      if (placeholderNames(step.prompt.path).length === 0) {
        const file = tryReadInputFile(resolve(at.base, step.prompt.path), at.rules);
        if ('problem' in file) problems.push(`${where}: ${inputFileMessage('prompt file', step.prompt.path, file.problem)}`);
        else {
          const text = file.bytes.toString('utf8');
          templates.set(step.index, text);
          check(text, where, `prompt file ${JSON.stringify(step.prompt.path)}`);
        }
      }
    }
  }
  return { templates, commands };
}

/** After steps run once over all leaves: no flow, so no key file, fills a placeholder there. */
export const noPlaceholders =
  (problems: string[]): PlaceholderCheck =>
  (text, where, what) => {
    const written = [...new Set([...findPlaceholders(text).map((p) => p.text), ...unknownPlaceholderFields(text)])];
    for (const placeholder of written) {
      problems.push(
        `${where}: ${placeholder} in ${what}: after steps run once over all leaves, not per flow, so no key file fills it ` +
          '(remove it: the leaves, with their keys and outputs, come as the previous output)',
      );
    }
  };

/** The after steps' prompt templates and commands, and the problems found reading them. */
export function loadAfterSources(
  config: Config,
  at: { base: string; rules: Pick<InputRules, 'confineTo'> },
): { sources: StepSources; problems: string[] } {
  const problems: string[] = [];
  const sources = loadStepSources(config, config.after, 'after', at, noPlaceholders(problems), problems);
  return { sources, problems };
}
