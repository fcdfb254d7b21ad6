import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { closest, didYouMean } from '../util/suggest.js';
import { parseJson } from './json.js';
import { parsePrices } from './prices.js';
import {
  APIS,
  DEFAULT_MAX_ITEMS,
  MAX_TIMEOUT_S,
  SANDBOXES,
  type Api,
  type Config,
  type PromptSource,
  type Sandbox,
  type Step,
  type StepKind,
} from './types.js';
import { isObject } from '../util/is-object.js';

const STEP_FIELDS = [
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
] as const;
const DEFAULT_FIELDS = ['model', 'api', 'timeout', 'sandbox'] as const;
const TOP_FIELDS = ['steps', 'after', 'setup', 'prices', 'commit_message', ...DEFAULT_FIELDS] as const;
const MODEL_TYPES = ['openai', 'codex'] as const;

type Json = Record<string, unknown>;

interface Defaults {
  model?: string;
  api?: Api;
  timeout?: number;
  sandbox?: Sandbox;
}

/** C0 and C1 control characters (newline, tab, ESC...), DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** `$schema` and `_comment`-style keys are allowed anywhere and ignored. */
const isIgnoredKey = (key: string): boolean => key === '$schema' || key.startsWith('_');

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  // not JSON.stringify: an object may be nested deeper than the stack, or megabytes long
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Field checks shared by steps and the top-level defaults; each returns a problem or undefined. */
const fieldChecks = {
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

const FIELD_CHECK: Record<(typeof STEP_FIELDS)[number] | 'setup' | 'after' | 'commit_message', (value: unknown) => string | undefined> = {
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
  setup: fieldChecks.string,
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

const rawLabel = (raw: Json): string | undefined =>
  typeof raw.name === 'string' ? raw.name : typeof raw.type === 'string' ? raw.type : undefined;

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

function checkFields(raw: Json, allowed: readonly string[], where: string, problems: string[], hints: ConfigHints = {}): boolean {
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

function parseStep(raw: unknown, index: number, file: string, defaults: Defaults, problems: string[], list: StepList): Step | undefined {
  if (!isObject(raw)) {
    problems.push(
      `${stepWhere(file, index, undefined, list)}: must be an object like {"type": "openai", "prompt": "..."}, got ${describe(raw)}`,
    );
    return undefined;
  }
  const where = stepWhere(file, index, rawLabel(raw), list);
  if (!checkFields(raw, STEP_FIELDS, where, problems)) return undefined;
  if (list === 'after') {
    const perLeaf = (['array', 'max_items'] as const).filter((f) => raw[f] !== undefined);
    if (perLeaf.length > 0) {
      problems.push(
        `${where}: field "${perLeaf[0]}" does not apply to after steps: they run once over all leaves, and cannot split into branches (remove it)`,
      );
      return undefined;
    }
  }

  if (raw.max_items !== undefined && raw.array !== true) {
    problems.push(
      `${where}: field "max_items" caps the elements of an "array": true step; this step has no "array": true (add it, or remove "max_items")`,
    );
    return undefined;
  }
  const promptFields = (['prompt', 'prmpt_file', 'prompt_file'] as const).filter((f) => raw[f] !== undefined);
  const cmd = raw.cmd as string | undefined;
  const type = (raw.type as string | undefined) ?? (cmd !== undefined ? 'cmd' : undefined);
  let kind: StepKind;
  if (cmd !== undefined) {
    kind = 'cmd';
    if (promptFields.length > 0) {
      problems.push(`${where}: a cmd step takes no prompt, but it sets "${promptFields.join('" and "')}" (remove it, or remove "cmd")`);
      return undefined;
    }
    for (const field of ['model', 'api', 'sandbox'] as const) {
      if (raw[field] !== undefined) {
        problems.push(`${where}: field "${field}" does not apply to a cmd step (remove it)`);
        return undefined;
      }
    }
  } else if (type === undefined) {
    problems.push(`${where}: missing field "type" (one of "openai", "codex"), or a "cmd" to run`);
    return undefined;
  } else if (type === 'openai' || type === 'codex') {
    kind = type;
    if (promptFields.length === 0) {
      problems.push(`${where}: missing prompt: set one of "prompt", "prompt_file" or "prmpt_file"`);
      return undefined;
    }
    if (promptFields.length > 1) {
      problems.push(`${where}: set only one of "prompt", "prompt_file" and "prmpt_file", not "${promptFields.join('" and "')}"`);
      return undefined;
    }
    if (kind === 'openai' && raw.sandbox !== undefined) {
      problems.push(`${where}: field "sandbox" applies to codex steps only (remove it)`);
      return undefined;
    }
    if (kind === 'codex' && raw.api !== undefined) {
      problems.push(`${where}: field "api" applies to openai steps only (remove it)`);
      return undefined;
    }
  } else {
    problems.push(
      `${where}: unknown type ${JSON.stringify(type)}${didYouMean(type, MODEL_TYPES)}: use "openai" or "codex", or add a "cmd" to run a shell command`,
    );
    return undefined;
  }

  const name = raw.name as string | undefined;
  const head = { type: type!, name, label: name ?? type! };
  const rest = {
    array: raw.array === true,
    maxItems: raw.array === true ? ((raw.max_items as number | undefined) ?? DEFAULT_MAX_ITEMS) : undefined,
    model: kind === 'cmd' ? undefined : ((raw.model as string | undefined) ?? defaults.model),
    api: kind === 'openai' ? ((raw.api as Api | undefined) ?? defaults.api) : undefined,
    timeout: (raw.timeout as number | undefined) ?? defaults.timeout,
    sandbox: kind === 'codex' ? ((raw.sandbox as Sandbox | undefined) ?? defaults.sandbox) : undefined,
  };
  // the keys in this order: the config hash (JSON of the steps) stays what earlier versions wrote, for --resume
  if (kind === 'cmd' && cmd !== undefined) return { index, kind, ...head, cmd, ...rest };
  // a model step has exactly one prompt field (checked above)
  const promptField = promptFields[0];
  if (kind === 'cmd' || promptField === undefined) return undefined;
  const prompt: PromptSource =
    promptField === 'prompt' ? { kind: 'inline', text: raw.prompt as string } : { kind: 'file', path: raw[promptField] as string };
  return { index, kind, ...head, prompt, ...rest };
}

/** The steps, and `setup` when set (what a worktree holds before its first step); configs without one keep their hash. */
function hashSteps(steps: readonly Step[], setup: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify(setup === undefined ? steps : { steps, setup }))
    .digest('hex');
}

/** Everything the config runs or gates: the steps, `setup`, the after steps and the prices `--max-cost` counts with. */
function hashWhole(config: Pick<Config, 'steps' | 'setup' | 'after' | 'prices'>): string {
  const { steps, setup, after, prices } = config;
  return createHash('sha256')
    .update(JSON.stringify({ steps, setup: setup ?? null, after, prices: prices ?? null }))
    .digest('hex');
}

/**
 * Parses and validates a config file's text: the valid steps, and a problem for each invalid one.
 * Pure: prompt files are checked later, against the file system. Throws a UsageError when the file
 * as a whole is unusable (bad JSON, no steps).
 */
export function parseConfigLenient(
  text: string,
  file: string,
  hints: ConfigHints = {},
): { config: Config; problems: string[]; json: unknown } {
  const json = parseJson(text, file);
  const problems: string[] = [];
  let rawSteps: unknown;
  let defaults: Defaults = {};
  let setup: string | undefined;
  let rawAfter: unknown[] = [];
  let prices: Config['prices'];
  let commitMessage: string | undefined;
  if (Array.isArray(json)) {
    rawSteps = json;
  } else if (isObject(json)) {
    // a top-level mistake does not hide the steps' problems: the valid fields are used, every problem reported
    checkFields(json, TOP_FIELDS, file, problems, hints);
    const valid = (field: (typeof DEFAULT_FIELDS)[number] | 'setup' | 'after' | 'commit_message'): boolean =>
      json[field] !== undefined && FIELD_CHECK[field](json[field]) === undefined;
    rawSteps = json.steps;
    defaults = Object.fromEntries(DEFAULT_FIELDS.filter(valid).map((field) => [field, json[field]]));
    setup = valid('setup') ? (json.setup as string) : undefined;
    rawAfter = valid('after') ? (json.after as unknown[]) : [];
    prices = parsePrices(json.prices, file, problems);
    commitMessage = valid('commit_message') ? (json.commit_message as string) : undefined;
    if (rawSteps === undefined) {
      // "stepz" was already reported, with its hint
      const misspelt = Object.keys(json).some((key) => !TOP_FIELDS.some((field) => field === key) && closest(key, ['steps']) !== undefined);
      throw new UsageError(misspelt ? problems : [...problems, `${file}: missing field "steps" (the list of steps to run)`]);
    }
    if (!Array.isArray(rawSteps))
      throw new UsageError([...problems, `${file}: field "steps" must be an array of steps, got ${describe(rawSteps)}`]);
  } else {
    throw new UsageError(`${file}: the config must be a JSON array of steps or an object with "steps", got ${describe(json)}`);
  }
  if ((rawSteps as unknown[]).length === 0) throw new UsageError([...problems, `${file}: the config has no steps; add at least one`]);
  const parseList = (list: unknown[], name: StepList): Step[] =>
    list.map((raw, i) => parseStep(raw, i + 1, file, defaults, problems, name)).filter((step): step is Step => step !== undefined);
  const steps = parseList(rawSteps as unknown[], 'steps');
  const after = parseList(rawAfter, 'after');
  // `hash` leaves out the after steps and prices: what a flow's step is asked does not depend on
  // them, so --resume reuses the flows; `fullHash` covers them, for report to check what it runs
  const parts = { steps, after, setup, prices };
  // the commit message is in neither hash: it changes no flow and runs nothing
  return { config: { file, ...parts, commitMessage, hash: hashSteps(steps, setup), fullHash: hashWhole(parts) }, problems, json };
}

/** Parses and validates a config file's text; throws a UsageError listing every problem. */
export function parseConfig(text: string, file: string): Config {
  const { config, problems } = parseConfigLenient(text, file);
  if (problems.length > 0) throw new UsageError(problems);
  return config;
}
