import { UsageError } from '../errors.js';
import { defaultValues, optionEntries, type OptionName, type OptionValues } from './table.js';
import type { AnySpec } from './spec.js';
import { BadValue } from './values.js';

/** Reads one input as the runner gives it (`core.getInput`): '' when unset. Injectable for tests. */
export type InputReader = (name: string) => string;

/** The Action's inputs, parsed by the table's parsers. */
export interface InputValues {
  /** Every option: the input's value, else the Action's default, else the table's. */
  readonly values: OptionValues;
  /** The options whose input was not empty. */
  readonly given: ReadonlySet<OptionName>;
}

/**
 * Reads every input of the table, in its order, and parses it; an empty input is its default.
 * Throws a UsageError naming the input, quoting the value and saying what it must be.
 */
export function readInputs(read: InputReader): InputValues {
  const values: Record<string, unknown> = defaultValues();
  const given = new Set<OptionName>();
  const joining: Array<{ into: string; items: unknown[] }> = [];
  for (const [key, spec] of optionEntries()) {
    const input = spec.input;
    if (input === undefined) continue;
    const raw = read(input.name);
    if (spec.list) {
      const lines = raw
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
      const items = lines.map((line) =>
        parseInput(spec, line, `The input '${input.name}' has a line ${JSON.stringify(line)}`, 'Write one per line.'),
      );
      if (spec.joins === undefined) values[key] = items;
      else joining.push({ into: spec.joins, items });
      if (lines.length > 0) given.add(key);
      continue;
    }
    const text = raw.trim();
    if (text === '') {
      values[key] = 'default' in input ? input.default : spec.default;
      continue;
    }
    values[key] = parseInput(spec, text, `The input '${input.name}' is ${JSON.stringify(text)}`);
    given.add(key);
  }
  // a joining input's lines come after those of the input it joins (`values` after `keys`)
  for (const { into, items } of joining) values[into] = [...(values[into] as unknown[]), ...items];
  return { values: values as OptionValues, given };
}

function parseInput(spec: AnySpec, text: string, where: string, after = ''): unknown {
  try {
    return (spec.input?.parse ?? spec.parse)(text);
  } catch (error) {
    if (!(error instanceof BadValue)) throw error;
    const why = 'expected' in error.why ? `it must be ${error.why.expected}` : error.why.problem;
    throw new UsageError(`${where}, but ${why}.${after === '' ? '' : ` ${after}`}`);
  }
}
