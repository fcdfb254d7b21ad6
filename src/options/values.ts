import { APIS, MAX_TIMEOUT_S, SANDBOXES } from '../config/types.js';
import { baseUrlProblem } from '../engine/options.js';
import type { KeyKind } from '../flows/flows.js';
import { parseKeySpec, type KeySpec } from '../flows/keys.js';
import { MAX_SHARDS, parseShard } from '../flows/shards.js';
import { parseUsd } from '../model/cost.js';
import { STATUSES, type Shard, type Status } from '../model/results.js';

/**
 * Why a flag's or an input's value is refused: `expected` completes "it must be ...", `problem` is a
 * sentence of its own. The CLI and the Action each add the flag or input and the quoted value.
 */
export class BadValue extends Error {
  readonly why: { readonly expected: string } | { readonly problem: string };
  constructor(why: BadValue['why']) {
    super('expected' in why ? `expected ${why.expected}` : why.problem);
    this.name = 'BadValue';
    this.why = why;
  }
}

/** Turns the text of one flag or input (trimmed, not empty) into its value; throws BadValue. */
export type Parser<T> = (text: string) => T;

const expected = (what: string): BadValue => new BadValue({ expected: what });

/** A switch: a CLI flag without argument, an Action input `true`/`false` (also yes/no, on/off, 1/0). */
export const boolean: Parser<boolean> = (text) => {
  if (/^(true|yes|on|1)$/i.test(text.trim())) return true;
  if (/^(false|no|off|0)$/i.test(text.trim())) return false;
  throw expected('true or false');
};

export const text: Parser<string> = (value) => value;

export const positiveInt: Parser<number> = (value) => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw expected('a whole number of 1 or more');
  return n;
};

export const nonNegativeInt: Parser<number> = (value) => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw expected('a whole number of 0 or more');
  return n;
};

/** US dollars, more than 0, with or without a `$`. */
export const dollars: Parser<number> = (value) => {
  const usd = parseUsd(value);
  if (usd === undefined) throw expected('an amount of US dollars above 0, like 5 or 0.50');
  return usd;
};

/** A step timeout: more than 0 seconds, at most MAX_TIMEOUT_S (a longer timer would fire at once). */
export const timeoutSeconds: Parser<number> = (value) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_S)
    throw expected(`a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days)`);
  return n;
};

export const baseUrl: Parser<string> = (value) => {
  const problem = baseUrlProblem(value);
  if (problem !== undefined) throw new BadValue({ problem });
  return value;
};

/** One of a fixed list; the list is kept on the parser for help texts and the README. */
export type Choice<T extends string> = Parser<T> & { readonly choices: readonly T[] };

export function oneOf<T extends string>(choices: readonly T[]): Choice<T> {
  const parse = (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw expected(`one of: ${choices.join(', ')}`);
    return value as T;
  };
  return Object.assign(parse, { choices });
}

export const api = oneOf(APIS);
export const sandbox = oneOf(SANDBOXES);
export const isolate = oneOf(['none', 'worktree'] as const);
/** `report --format`: how the merged run is printed. */
export const reportFormat = oneOf(['text', 'markdown', 'json'] as const);

export const shard: Parser<Shard> = (value) => {
  const parsed = parseShard(value);
  if (typeof parsed !== 'string') return parsed;
  const why = parsed.replace(/, got [\s\S]*$/, '');
  throw why.startsWith('expected ') ? expected(why.slice('expected '.length)) : new BadValue({ problem: why });
};

/** The Action's `shards`: GitHub refuses a matrix of more jobs (the CLI's `plan --shards` caps instead). */
export const matrixShards: Parser<number> = (value) => {
  const n = positiveInt(value);
  if (n > MAX_SHARDS) throw new BadValue({ problem: `GitHub runs at most ${MAX_SHARDS} jobs per matrix` });
  return n;
};

/** One key list, `NAME:FILE` (`--key`), or one list of values (`--values`, `kind` "values"). */
const keySpecOf =
  (kind: KeyKind): Parser<KeySpec> =>
  (value) => {
    try {
      return parseKeySpec(value, '', kind);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const prefix = ` ${JSON.stringify(value)}: `;
      const why = message.startsWith(prefix) ? message.slice(prefix.length) : message;
      throw why.startsWith('expected ') ? expected(why.slice('expected '.length)) : new BadValue({ problem: why });
    }
  };
export const keySpec = keySpecOf('paths');
export const valuesSpec = keySpecOf('values');

/** Artifact names may not hold the characters the artifact service refuses. */
export const artifactName: Parser<string> = (value) => {
  if (/[/\\"<>:|*?\r\n]/.test(value)) throw new BadValue({ problem: 'artifact names may not contain / \\ " < > : | * ? or newlines' });
  return value;
};

/** `--status succeeded,failed`: the leaf statuses whose patches `apply` applies. */
export const statuses: Parser<Status[]> = (value) => {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (list.length === 0 || bad.length > 0) throw expected(`a comma-separated list of ${STATUSES.join(', ')}`);
  return list as Status[];
};

/** The Action's `apply`: off, the working tree (`true`), a commit per leaf on HEAD, or a branch per leaf. */
export type ApplyMode = 'off' | 'worktree' | 'commit' | 'branch';

export const applyMode: Parser<ApplyMode> = (value) => {
  const word = value.trim().toLowerCase();
  if (word === 'commit' || word === 'branch') return word;
  try {
    return boolean(word) ? 'worktree' : 'off';
  } catch {
    throw expected('true (the working tree), commit (a commit per leaf), branch (a branch per leaf) or false');
  }
};

/** A branch name prefix (`codex/`): git checks the names it makes; this refuses what can never be one. */
export const branchPrefix: Parser<string> = (value) => {
  if (/[\s~^:?*[\\]|\.\.|@\{/.test(value) || value.startsWith('-') || value.startsWith('/'))
    throw new BadValue({ problem: 'a branch name prefix may not start with - or /, nor hold spaces, ~ ^ : ? * [ \\ .. or @{' });
  return value;
};

/** How many flows `--dry-run` shows when no number is given. */
export const DRY_RUN_SHOWN = 3;

/** `--dry-run`'s value: how many flows to show (`all`, or a number); empty (a bare `--dry-run`): DRY_RUN_SHOWN. */
export const dryRun: Parser<number | 'all'> = (value) => {
  if (value.trim() === '') return DRY_RUN_SHOWN;
  if (value.trim() === 'all') return 'all';
  try {
    return nonNegativeInt(value);
  } catch {
    throw expected('all, or the number of flows to show (e.g. --dry-run=10)');
  }
};

/** `--fail-fast`'s value: how many failed leaves stop the run; empty (a bare `--fail-fast`): 1. */
export const failFast: Parser<number> = (value) => {
  if (value.trim() === '') return 1;
  try {
    return positiveInt(value);
  } catch {
    throw expected('the number of failed leaves that stops the run, 1 or more (e.g. --fail-fast 3)');
  }
};

/** The Action's `fail-fast`: `true` (the first failed leaf), `false` (off), or a number of failed leaves. */
export const failFastInput: Parser<number | undefined> = (value) => {
  if (/^(true|yes|on)$/i.test(value.trim())) return 1;
  if (/^(false|no|off|0)$/i.test(value.trim())) return undefined;
  try {
    return positiveInt(value);
  } catch {
    throw expected('true, false, or the number of failed leaves that stops the run (e.g. 3)');
  }
};
