import { InvalidArgumentError } from 'commander';
import { APIS, MAX_TIMEOUT_S, SANDBOXES, type Api, type Sandbox } from '../config/types.js';
import { baseUrlProblem } from '../engine/options.js';
import { parseKeySpec, type KeySpec } from '../flows/keys.js';
import { parseShard } from '../flows/shards.js';
import { parseUsd } from '../results/cost.js';
import { STATUSES, type Shard, type Status } from '../results/types.js';

/** Commander argument parsers: each throws InvalidArgumentError with what was expected. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of 1 or more, got ${JSON.stringify(value)}`);
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected a whole number of 0 or more, got ${JSON.stringify(value)}`);
  return n;
}

/** `--max-cost`: US dollars, more than 0. */
export function dollars(value: string): number {
  const usd = parseUsd(value);
  if (usd === undefined)
    throw new InvalidArgumentError(`expected an amount of US dollars above 0, like 5 or 0.50, got ${JSON.stringify(value)}`);
  return usd;
}

/** A step timeout: more than 0 seconds, at most MAX_TIMEOUT_S (a longer timer would fire at once). */
export function timeoutSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_S)
    throw new InvalidArgumentError(
      `expected a positive number of seconds, at most ${MAX_TIMEOUT_S} (7 days), got ${JSON.stringify(value)}`,
    );
  return n;
}

export function baseUrl(value: string): string {
  const problem = baseUrlProblem(value);
  if (problem !== undefined) throw new InvalidArgumentError(`${JSON.stringify(value)}: ${problem}`);
  return value;
}

export function api(value: string): Api {
  if (!(APIS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected "responses" or "chat", got ${JSON.stringify(value)}`);
  return value as Api;
}

export function shard(value: string): Shard {
  const parsed = parseShard(value);
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed);
  return parsed;
}

export function key(value: string, previous: KeySpec[] = []): KeySpec[] {
  try {
    return [...previous, parseKeySpec(value)];
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message.replace(/^--key /, '') : String(error));
  }
}

export function isolate(value: string): 'none' | 'worktree' {
  if (value !== 'none' && value !== 'worktree')
    throw new InvalidArgumentError(`expected "none" or "worktree", got ${JSON.stringify(value)}`);
  return value;
}

export function sandbox(value: string): Sandbox {
  if (!(SANDBOXES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected ${SANDBOXES.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(value)}`);
  return value as Sandbox;
}

/** `--status succeeded,failed`: the leaf statuses whose patches `apply` applies. */
export function statuses(value: string): Status[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (list.length === 0 || bad.length > 0)
    throw new InvalidArgumentError(`expected a comma-separated list of ${STATUSES.join(', ')}, got ${JSON.stringify(value)}`);
  return list as Status[];
}
