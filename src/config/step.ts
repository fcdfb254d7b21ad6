import { didYouMean } from '../util/suggest.js';
import { checkFields, describe, STEP_FIELDS, stepWhere, type Json, type StepList } from './fields.js';
import { parseChecks } from './checks.js';
import { DEFAULT_MAX_ITEMS, type Api, type Check, type PromptSource, type Sandbox, type Step, type StepKind } from './types.js';
import { isObject } from '../util/is-object.js';

const MODEL_TYPES = ['openai', 'codex'] as const;
const PROMPT_FIELDS = ['prompt', 'prmpt_file', 'prompt_file'] as const;
type PromptField = (typeof PROMPT_FIELDS)[number];

/** The config's defaults for every step that does not set its own. */
export interface Defaults {
  model?: string;
  api?: Api;
  timeout?: number;
  sandbox?: Sandbox;
}

const rawLabel = (raw: Json): string | undefined =>
  typeof raw.name === 'string' ? raw.name : typeof raw.type === 'string' ? raw.type : undefined;

/** Fields that do not fit the step's list or its `array` setting: the first such problem. */
function misplacedField(raw: Json, list: StepList): string | undefined {
  if (list === 'after') {
    const perLeaf = (['array', 'max_items'] as const).find((f) => raw[f] !== undefined);
    if (perLeaf !== undefined)
      return `field "${perLeaf}" does not apply to after steps: they run once over all leaves, and cannot split into branches (remove it)`;
  }
  if (list === 'after' && raw.checks !== undefined)
    return 'field "checks" does not apply to after steps: checks judge each leaf\'s output (put them on a step of "steps")';
  if (raw.max_items !== undefined && raw.array !== true)
    return 'field "max_items" caps the elements of an "array": true step; this step has no "array": true (add it, or remove "max_items")';
  return undefined;
}

/** A cmd step's fields: no prompt, no model settings. */
function cmdProblem(raw: Json, promptFields: readonly PromptField[]): string | undefined {
  if (promptFields.length > 0)
    return `a cmd step takes no prompt, but it sets "${promptFields.join('" and "')}" (remove it, or remove "cmd")`;
  const field = (['model', 'api', 'sandbox'] as const).find((f) => raw[f] !== undefined);
  return field === undefined ? undefined : `field "${field}" does not apply to a cmd step (remove it)`;
}

/** A model step's fields: exactly one prompt, and only its own kind's settings. */
function modelProblem(raw: Json, kind: 'openai' | 'codex', promptFields: readonly PromptField[]): string | undefined {
  if (promptFields.length === 0) return 'missing prompt: set one of "prompt", "prompt_file" or "prmpt_file"';
  if (promptFields.length > 1) return `set only one of "prompt", "prompt_file" and "prmpt_file", not "${promptFields.join('" and "')}"`;
  if (kind === 'openai' && raw.sandbox !== undefined) return 'field "sandbox" applies to codex steps only (remove it)';
  if (kind === 'codex' && raw.api !== undefined) return 'field "api" applies to openai steps only (remove it)';
  return undefined;
}

/** What the step does (a `cmd` decides, else its `type`), or the problem that says why it cannot be told. */
function stepKind(raw: Json, type: string | undefined, promptFields: readonly PromptField[]): { kind: StepKind } | { problem: string } {
  if (raw.cmd !== undefined) {
    const problem = cmdProblem(raw, promptFields);
    return problem === undefined ? { kind: 'cmd' } : { problem };
  }
  if (type === undefined) return { problem: 'missing field "type" (one of "openai", "codex"), or a "cmd" to run' };
  if (type === 'openai' || type === 'codex') {
    const problem = modelProblem(raw, type, promptFields);
    return problem === undefined ? { kind: type } : { problem };
  }
  return {
    problem: `unknown type ${JSON.stringify(type)}${didYouMean(type, MODEL_TYPES)}: use "openai" or "codex", or add a "cmd" to run a shell command`,
  };
}

/** The validated step, defaults applied; `raw` passed every check. */
function buildStep(
  raw: Json,
  index: number,
  kind: StepKind,
  type: string,
  promptFields: readonly PromptField[],
  defaults: Defaults,
  checks: readonly Check[] | undefined,
): Step {
  const name = raw.name as string | undefined;
  const head = { type, name, label: name ?? type };
  const rest = {
    array: raw.array === true,
    maxItems: raw.array === true ? ((raw.max_items as number | undefined) ?? DEFAULT_MAX_ITEMS) : undefined,
    model: kind === 'cmd' ? undefined : ((raw.model as string | undefined) ?? defaults.model),
    api: kind === 'openai' ? ((raw.api as Api | undefined) ?? defaults.api) : undefined,
    timeout: (raw.timeout as number | undefined) ?? defaults.timeout,
    sandbox: kind === 'codex' ? ((raw.sandbox as Sandbox | undefined) ?? defaults.sandbox) : undefined,
    // last, and only when set: a config without checks keeps the hash it had
    ...(checks === undefined ? {} : { checks }),
  };
  // the keys in this order: the config hash (JSON of the steps) stays what earlier versions wrote, for --resume
  if (kind === 'cmd') return { index, kind, ...head, cmd: raw.cmd as string, ...rest };
  // a model step has exactly one prompt field (checked before)
  const promptField = promptFields[0]!;
  const prompt: PromptSource =
    promptField === 'prompt' ? { kind: 'inline', text: raw.prompt as string } : { kind: 'file', path: raw[promptField] as string };
  return { index, kind, ...head, prompt, ...rest };
}

/** One step of `steps` or `after`: the validated step, or undefined with its problems added to `problems`. */
export function parseStep(
  raw: unknown,
  index: number,
  file: string,
  defaults: Defaults,
  problems: string[],
  list: StepList,
): Step | undefined {
  if (!isObject(raw)) {
    problems.push(
      `${stepWhere(file, index, undefined, list)}: must be an object like {"type": "openai", "prompt": "..."}, got ${describe(raw)}`,
    );
    return undefined;
  }
  const where = stepWhere(file, index, rawLabel(raw), list);
  if (!checkFields(raw, STEP_FIELDS, where, problems)) return undefined;
  const misplaced = misplacedField(raw, list);
  if (misplaced !== undefined) {
    problems.push(`${where}: ${misplaced}`);
    return undefined;
  }
  const promptFields = PROMPT_FIELDS.filter((f) => raw[f] !== undefined);
  const type = (raw.type as string | undefined) ?? (raw.cmd !== undefined ? 'cmd' : undefined);
  const decided = stepKind(raw, type, promptFields);
  if ('problem' in decided) problems.push(`${where}: ${decided.problem}`);
  // the checks' mistakes are reported with the step's own
  const checks = raw.checks === undefined ? undefined : parseChecks(raw.checks as unknown[], where, defaults, problems);
  if ('problem' in decided || (raw.checks !== undefined && checks === undefined)) return undefined;
  return buildStep(raw, index, decided.kind, type!, promptFields, defaults, checks);
}
