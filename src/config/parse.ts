import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { closest } from '../util/suggest.js';
import { parseJson } from './json.js';
import { parsePrices } from './prices.js';
import type { Config, Step } from './types.js';
import { isObject } from '../util/is-object.js';
import { checkFields, DEFAULT_FIELDS, describe, FIELD_CHECK, TOP_FIELDS, type ConfigHints, type StepList } from './fields.js';
import { parseStep, type Defaults } from './step.js';

export { stepWhere, type ConfigHints, type StepList } from './fields.js';

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
  let checksFail = true;
  if (Array.isArray(json)) {
    rawSteps = json;
  } else if (isObject(json)) {
    // a top-level mistake does not hide the steps' problems: the valid fields are used, every problem reported
    checkFields(json, TOP_FIELDS, file, problems, hints);
    const valid = (field: (typeof DEFAULT_FIELDS)[number] | 'setup' | 'after' | 'commit_message' | 'checks_fail'): boolean =>
      json[field] !== undefined && FIELD_CHECK[field](json[field]) === undefined;
    rawSteps = json.steps;
    defaults = Object.fromEntries(DEFAULT_FIELDS.filter(valid).map((field) => [field, json[field]]));
    setup = valid('setup') ? (json.setup as string) : undefined;
    rawAfter = valid('after') ? (json.after as unknown[]) : [];
    prices = parsePrices(json.prices, file, problems);
    commitMessage = valid('commit_message') ? (json.commit_message as string) : undefined;
    checksFail = json.checks_fail !== false;
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
  // checks_fail is in neither hash either: a leaf's steps run the same, only what a failed check means changes
  return {
    config: { file, ...parts, commitMessage, checksFail, hash: hashSteps(steps, setup), fullHash: hashWhole(parts) },
    problems,
    json,
  };
}

/** Parses and validates a config file's text; throws a UsageError listing every problem. */
export function parseConfig(text: string, file: string): Config {
  const { config, problems } = parseConfigLenient(text, file);
  if (problems.length > 0) throw new UsageError(problems);
  return config;
}
