import { closest, didYouMean } from '../util/suggest.js';
import { APIS, MAX_TIMEOUT_S, SANDBOXES } from './types.js';

export type Json = Record<string, unknown>;

/** C0 and C1 control characters (newline, tab, ESC...), DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `$schema` and `_comment`-style keys are allowed anywhere and ignored. */
export const isIgnoredKey = (key: string): boolean => key === '$schema' || key.startsWith('_');

/** A value as a message shows it: its kind, and short values themselves. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  // not JSON.stringify: an object may be nested deeper than the stack, or megabytes long
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Field checks shared by steps and the top-level defaults; each returns a problem or undefined. */
export const fieldChecks = {
  string: (value: unknown): string | undefined => {
    return typeof value === 'string' && value.length > 0 ? undefined : `must be a non-empty string, got ${describe(value)}`;
  },
  /** A step's name or type: shown on the progress line, where a newline or an escape sequence would break or recolour the terminal. */
  label: (value: unknown): string | undefined => {
    const problem = fieldChecks.string(value);
    if (problem !== undefined) return problem;
    return CONTROL.test(value as string)
      ? `must not hold a newline, an escape sequence or another control character, got ${describe(value)}`
      : undefined;
  },
  text: (value: unknown): string | undefined => {
    return typeof value === 'string' ? undefined : `must be a string, got ${describe(value)}`;
  },
  boolean: (value: unknown): string | undefined => {
    return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
  },
  timeout: (value: unknown): string | undefined => {
    return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_S
      ? undefined
      : `must be a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days), got ${describe(value)}`;
  },
  count: (value: unknown): string | undefined => {
    return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
      ? undefined
      : `must be a positive whole number, got ${describe(value)}`;
  },
  api: (value: unknown): string | undefined => {
    return typeof value === 'string' && (APIS as readonly string[]).includes(value)
      ? undefined
      : `must be "responses" or "chat", got ${describe(value)}`;
  },
  sandbox: (value: unknown): string | undefined => {
    return typeof value === 'string' && (SANDBOXES as readonly string[]).includes(value)
      ? undefined
      : `must be one of ${SANDBOXES.map((s) => `"${s}"`).join(', ')}, got ${describe(value)}`;
  },
};

export const STEP_FIELDS = [
  'type',
  'name',
  'prompt',
  'prmpt_file',
  'prompt_file',
  'cmd',
  'array',
  'max_items',
  'model',
  'api',
  'timeout',
  'sandbox',
  'checks',
] as const;
export const DEFAULT_FIELDS = ['model', 'api', 'timeout', 'sandbox'] as const;
export const TOP_FIELDS = ['steps', 'after', 'setup', 'prices', 'commit_message', 'checks_fail', ...DEFAULT_FIELDS] as const;

export const FIELD_CHECK: Record<
  (typeof STEP_FIELDS)[number] | 'setup' | 'after' | 'commit_message' | 'checks_fail',
  (value: unknown) => string | undefined
> = {
  type: fieldChecks.label,
  name: fieldChecks.label,
  prompt: fieldChecks.text,
  prmpt_file: fieldChecks.string,
  prompt_file: fieldChecks.string,
  cmd: fieldChecks.string,
  array: fieldChecks.boolean,
  max_items: fieldChecks.count,
  model: fieldChecks.string,
  api: fieldChecks.api,
  timeout: fieldChecks.timeout,
  sandbox: fieldChecks.sandbox,
  checks: (value: unknown): string | undefined =>
    Array.isArray(value) ? undefined : `must be an array of checks like [{"type": "contains", "value": "LGTM"}], got ${describe(value)}`,
  setup: fieldChecks.string,
  checks_fail: fieldChecks.boolean,
  commit_message: fieldChecks.string,
  after: (value: unknown): string | undefined => (Array.isArray(value) ? undefined : `must be an array of steps, got ${describe(value)}`),
};

/** Which list a step is in: `steps` (run per flow) or `after` (run once over all leaves). */
export type StepList = 'steps' | 'after';

/**
 * Where a step is, for messages: `config.json: step 2 ("review")` (or `after step 1 ("summary")`),
 * with the step's label (its name, else its type) when known.
 */
export function stepWhere(file: string, index: number, label: string | undefined, list: StepList = 'steps'): string {
  return `${file}: ${list === 'after' ? 'after step' : 'step'} ${index}${label === undefined ? '' : ` (${JSON.stringify(label)})`}`;
}

/** What a config might name that belongs elsewhere: the options of the command line and the Action. */
export interface ConfigHints {
  /** Each option's flag (`--parallel`) and Action input (`parallel`), for "did you mean" hints. */
  readonly options?: readonly { readonly flag: string; readonly input?: string }[];
}

/** A top-level field that is no field of the config but close to an option: where that option goes instead. */
function optionHint(key: string, hints: ConfigHints): string {
  const spellings = (o: { flag: string; input?: string }): string[] => {
    const bare = o.flag.replace(/^--/, '');
    return [bare, bare.replaceAll('-', '_'), ...(o.input === undefined ? [] : [o.input])];
  };
  const options = hints.options ?? [];
  const word = closest(key, options.flatMap(spellings));
  const option = word === undefined ? undefined : options.find((o) => spellings(o).includes(word));
  if (option === undefined) return '';
  const where = option.input === undefined ? 'on the command line' : `on the command line, or as the Action's input "${option.input}"`;
  return ` (did you mean the option ${option.flag}? It is given ${where}, not in the config)`;
}

/** Checks each field of `raw` is allowed and well typed; adds a problem for each that is not. */
export function checkFields(raw: Json, allowed: readonly string[], where: string, problems: string[], hints: ConfigHints = {}): boolean {
  let ok = true;
  for (const [key, value] of Object.entries(raw)) {
    if (isIgnoredKey(key)) continue;
    if (!allowed.includes(key)) {
      const near = didYouMean(key, allowed);
      const hint =
        key === 'setup' || key === 'after'
          ? ` (${key} is a field of the config, next to "steps": {"${key}": ${key === 'setup' ? '"..."' : '[...]'}, "steps": [...]})`
          : near !== ''
            ? near
            : optionHint(key, hints);
      problems.push(`${where}: unknown field "${key}"${hint}`);
      ok = false;
      continue;
    }
    const problem = FIELD_CHECK[key as keyof typeof FIELD_CHECK]?.(value);
    if (problem !== undefined) {
      problems.push(`${where}: field "${key}" ${problem}`);
      ok = false;
    }
  }
  return ok;
}
