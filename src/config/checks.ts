import { describeCheck } from '../checks/evaluate.js';
import { schemaProblems } from '../checks/schema.js';
import { isObject } from '../util/is-object.js';
import { didYouMean } from '../util/suggest.js';
import { describe, fieldChecks, isIgnoredKey, type Json } from './fields.js';
import { CHECK_TYPES, type Api, type Check, type CheckType, type CmdStep, type ModelStep, type Step } from './types.js';

const COMMON = ['type', 'value', 'name'];
/** The fields each type of check takes besides `type`, `value` and `name`. */
const EXTRA: Record<CheckType, readonly string[]> = {
  contains: [],
  not_contains: [],
  regex: ['flags'],
  json_schema: [],
  equals: [],
  cmd: [],
  rubric: ['model', 'api'],
};
const EXAMPLE = '{"type": "contains", "value": "LGTM"}';
/** Flags a `regex` check may set: `g` and `y` would make a test depend on the last one. */
const REGEX_FLAGS = /^[imsu]*$/;

/** What a check's `value` must be, as a problem, or undefined. */
function valueProblem(type: CheckType, value: unknown): string | undefined {
  if (value === undefined) return 'missing field "value"';
  if (type === 'json_schema') {
    const problems = schemaProblems(value);
    return problems.length === 0 ? undefined : `field "value" is not a JSON Schema this check takes: ${problems.join('; ')}`;
  }
  if (type === 'equals') return typeof value === 'string' || value !== null ? undefined : 'field "value" must not be null';
  const problem = fieldChecks.string(value);
  if (problem !== undefined) return `field "value" ${problem}`;
  if ((type === 'cmd' || type === 'rubric') && (value as string).includes('{{{'))
    return 'field "value" holds a placeholder ({{{...}}}): checks get the step\'s output only (on stdin for cmd, after the rubric for rubric), placeholders are not filled in';
  if (type === 'regex') {
    try {
      new RegExp(value as string);
    } catch (error) {
      return `field "value" is not a regular expression: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The problems of the fields a check's type takes besides its value. */
function extraProblems(type: CheckType, raw: Json): string[] {
  const problems: string[] = [];
  if (raw.name !== undefined && fieldChecks.label(raw.name) !== undefined) problems.push(`field "name" ${fieldChecks.label(raw.name)}`);
  if (raw.flags !== undefined && !(typeof raw.flags === 'string' && REGEX_FLAGS.test(raw.flags)))
    problems.push(`field "flags" must be some of the regular expression flags "imsu", got ${describe(raw.flags)}`);
  if (raw.model !== undefined && fieldChecks.string(raw.model) !== undefined)
    problems.push(`field "model" ${fieldChecks.string(raw.model)}`);
  if (raw.api !== undefined && fieldChecks.api(raw.api) !== undefined) problems.push(`field "api" ${fieldChecks.api(raw.api)}`);
  for (const key of Object.keys(raw)) {
    if (isIgnoredKey(key) || COMMON.includes(key) || EXTRA[type].includes(key)) continue;
    const owners = CHECK_TYPES.filter((t) => EXTRA[t].includes(key));
    problems.push(
      owners.length > 0
        ? `field "${key}" applies to ${owners.join(', ')} checks only (remove it)`
        : `unknown field "${key}"${didYouMean(key, [...COMMON, ...new Set(Object.values(EXTRA).flat())])}`,
    );
  }
  return problems;
}

/** One check, or the problems that make it unusable. */
function parseCheck(raw: unknown, defaults: { model?: string; api?: Api }): Check | string[] {
  if (!isObject(raw)) return [`must be an object like ${EXAMPLE}, got ${describe(raw)}`];
  const type = raw.type;
  if (typeof type !== 'string' || !(CHECK_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === 'string' ? didYouMean(type, CHECK_TYPES) : '';
    return [
      type === undefined
        ? `missing field "type" (one of ${CHECK_TYPES.join(', ')})`
        : `field "type" must be one of ${CHECK_TYPES.join(', ')}, got ${describe(type)}${near}`,
    ];
  }
  const kind = type as CheckType;
  const value = valueProblem(kind, raw.value);
  const problems = [...(value === undefined ? [] : [value]), ...extraProblems(kind, raw)];
  if (problems.length > 0) return problems;
  const body = {
    type: kind,
    value: raw.value,
    ...(kind === 'regex' ? { flags: (raw.flags as string | undefined) ?? '' } : {}),
    ...(kind === 'rubric'
      ? { model: (raw.model as string | undefined) ?? defaults.model, api: (raw.api as Api | undefined) ?? defaults.api }
      : {}),
  } as Omit<Check, 'name'>;
  return { name: (raw.name as string | undefined) ?? describeCheck(body), ...body } as Check;
}

/**
 * A step's `"checks"` (an array, checked by fieldChecks): the checks, or undefined with a problem
 * per mistake added to `problems`, each naming the check (`check 2 ("regex")`) and the field.
 */
export function parseChecks(
  raw: unknown[],
  where: string,
  defaults: { model?: string; api?: Api },
  problems: string[],
): Check[] | undefined {
  const checks: Check[] = [];
  let ok = true;
  for (const [i, item] of raw.entries()) {
    const parsed = parseCheck(item, defaults);
    if (Array.isArray(parsed)) {
      const type = isObject(item) && typeof item.type === 'string' ? ` (${JSON.stringify(item.type)})` : '';
      for (const problem of parsed) problems.push(`${where}: check ${i + 1}${type}: ${problem}`);
      ok = false;
    } else checks.push(parsed);
  }
  return ok ? checks : undefined;
}

/** Whether a step calls a model: an openai step, or a step with a rubric check (graded by an openai call). */
export const callsModel = (step: Pick<Step, 'kind' | 'checks'>): boolean =>
  step.kind === 'openai' || (step.checks ?? []).some((c) => c.type === 'rubric');

/** The openai call that grades a rubric check of `step`: its model and API, labelled after the check. */
export function rubricStep(step: Step, check: Extract<Check, { type: 'rubric' }>, prompt: string): ModelStep {
  return {
    index: step.index,
    kind: 'openai',
    type: 'openai',
    name: check.name,
    label: check.name,
    prompt: { kind: 'inline', text: prompt },
    array: false,
    maxItems: undefined,
    model: check.model,
    api: check.api,
    timeout: step.timeout,
    sandbox: undefined,
  };
}

/** The shell command of a cmd check of `step`, as a cmd step of its own (same runner, same containment). */
export function checkCmdStep(step: Step, check: Extract<Check, { type: 'cmd' }>): CmdStep {
  return {
    index: step.index,
    kind: 'cmd',
    type: 'check',
    name: check.name,
    label: check.name,
    cmd: check.value,
    array: false,
    maxItems: undefined,
    model: undefined,
    api: undefined,
    timeout: step.timeout,
    sandbox: undefined,
  };
}
