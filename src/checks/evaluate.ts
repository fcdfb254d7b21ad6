/**
 * The checks decided by the output alone (`contains`, `not_contains`, `regex`, `json_schema`,
 * `equals`): pure functions of the check and the output. `cmd` and `rubric` checks run a process or
 * call a model (steps/check-cmd.ts, steps/check-rubric.ts).
 */
import type { Check } from '../model/checks.js';
import { jsonEqual, schemaViolation } from './schema.js';

/** A check's verdict and why. */
export interface Verdict {
  readonly passed: boolean;
  readonly reason: string;
}

/** Checks that need no process and no model. */
export type PureCheck = Extract<Check, { type: 'contains' | 'not_contains' | 'regex' | 'json_schema' | 'equals' }>;

export const isPureCheck = (check: Check): check is PureCheck => check.type !== 'cmd' && check.type !== 'rubric';

/** The output read as JSON: the whole text, or the one ```json block it is made of. */
export function parseJsonOutput(output: string): { value: unknown } | undefined {
  const text = output.trim();
  const fenced = /^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/i.exec(text);
  try {
    return { value: JSON.parse(fenced ? fenced[1]! : text) as unknown };
  } catch {
    return undefined;
  }
}

const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** The short description a check is reported under when it has no `name`: `contains "LGTM"`. */
export function describeCheck(check: Omit<Check, 'name'>): string {
  switch (check.type) {
    case 'contains':
    case 'not_contains':
    case 'cmd':
    case 'rubric':
      return `${check.type} ${quote(check.value as string)}`;
    case 'regex':
      return `regex ${quote(check.value as string)}`;
    case 'json_schema':
      return 'json_schema';
    case 'equals':
      return `equals ${quote(typeof check.value === 'string' ? check.value : JSON.stringify(check.value))}`;
  }
}

/** The verdict of a check decided by the output alone. */
export function evaluateCheck(check: PureCheck, output: string): Verdict {
  switch (check.type) {
    case 'contains':
      return output.includes(check.value)
        ? { passed: true, reason: `the output contains ${quote(check.value)}` }
        : { passed: false, reason: `the output does not contain ${quote(check.value)}` };
    case 'not_contains':
      return output.includes(check.value)
        ? { passed: false, reason: `the output contains ${quote(check.value)}` }
        : { passed: true, reason: `the output does not contain ${quote(check.value)}` };
    case 'regex': {
      const match = new RegExp(check.value, check.flags).exec(output);
      return match
        ? { passed: true, reason: `matched ${quote(match[0])}` }
        : { passed: false, reason: `no match for /${check.value}/${check.flags}` };
    }
    case 'json_schema': {
      const parsed = parseJsonOutput(output);
      if (parsed === undefined) return { passed: false, reason: 'the output is not JSON (nor one ```json block holding JSON)' };
      const problem = schemaViolation(check.value, parsed.value);
      return problem === undefined ? { passed: true, reason: 'the output conforms to the schema' } : { passed: false, reason: problem };
    }
    case 'equals':
      return equals(check.value, output);
  }
}

function equals(expected: unknown, output: string): Verdict {
  if (typeof expected === 'string') {
    return output.trim() === expected.trim()
      ? { passed: true, reason: 'the output equals the expected text' }
      : { passed: false, reason: `the output ${quote(output.trim())} is not ${quote(expected.trim())}` };
  }
  const parsed = parseJsonOutput(output);
  if (parsed === undefined) return { passed: false, reason: 'the output is not JSON, so it cannot equal the expected JSON value' };
  return jsonEqual(parsed.value, expected)
    ? { passed: true, reason: 'the output equals the expected JSON value' }
    : { passed: false, reason: `the output ${quote(JSON.stringify(parsed.value))} is not ${quote(JSON.stringify(expected))}` };
}
