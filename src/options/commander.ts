import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AnySpec, CommandName } from './spec.js';
import { defaultValues, optionEntries, type OptionName, type OptionValues } from './table.js';
import { BadValue, type Parser } from './values.js';

/** The commander options of `command`, made from the table (flag, help, parser, default). */
export function cliOptions(command: CommandName): Option[] {
  const used = usedBy(command);
  // commander keeps each flag's values apart: lists that join into one share this accumulator, so
  // `--key a --values b --key c` stays in that order
  const joined = new Map<string, unknown[]>();
  const targets = new Set(used.flatMap(([, spec]) => (spec.list && spec.joins !== undefined ? [spec.joins] : [])));
  return used.map(([name, spec]) => {
    const cli = spec.cli!;
    const option = new Option(cli.flag, cli.commands[command]!.help ?? cli.help);
    const parse = spec.parse as Parser<unknown>;
    const into = spec.list ? (spec.joins ?? (targets.has(name) ? name : undefined)) : undefined;
    if (into !== undefined) {
      option.argParser((value: string): unknown[] => {
        const items = joined.get(into) ?? [];
        joined.set(into, items);
        items.push(cliParse(parse, value));
        return items;
      });
    } else if (spec.list) option.argParser((value: string, previous: unknown[] = []): unknown[] => [...previous, cliParse(parse, value)]);
    else if (!spec.switch) option.argParser((value: string): unknown => cliParse(parse, value));
    const fallback = cliDefault(spec, command);
    // a list's default reads as it is typed (`succeeded`), not as JSON (`["succeeded"]`)
    if (fallback !== undefined) option.default(fallback, Array.isArray(fallback) ? fallback.join(',') : undefined);
    return option;
  });
}

/**
 * Adds the table's options of `name` to a commander command. A required option missing is told
 * just before the action, after commander's check of unknown options: its own check of mandatory
 * options comes first, and `plan c.json --shard 4` would say `--shards` is missing, not that
 * `--shard` is unknown.
 */
export function addOptions(command: Command, name: CommandName): Command {
  for (const option of cliOptions(name)) command.addOption(option);
  const required = usedBy(name).flatMap(([, spec]) => (spec.cli!.required === true ? [new Option(spec.cli!.flag)] : []));
  if (required.length === 0) return command;
  return command.hook('preAction', () => {
    for (const option of required) {
      if (command.getOptionValue(option.attributeName()) === undefined)
        command.error(`error: required option '${option.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
    }
  });
}

/** What the command line gave, after commander parsed it. */
export interface CliValues {
  /** Every option: as given, else this command's default, else the table's. */
  readonly values: OptionValues;
  /** Only the options that have a value on this command (given, or a default of its own). */
  readonly set: Partial<OptionValues>;
  /** The options given on the command line. */
  readonly given: ReadonlySet<OptionName>;
}

/** The values of a parsed command's options, by the table's names (`--timeout` is `timeoutS`). */
export function cliValues(command: Command, name: CommandName): CliValues {
  const opts = command.opts<Record<string, unknown>>();
  const values: Record<string, unknown> = defaultValues();
  const set: Record<string, unknown> = {};
  const given = new Set<OptionName>();
  for (const [key, spec] of usedBy(name)) {
    const attribute = new Option(spec.cli!.flag).attributeName();
    const value = opts[attribute];
    if (command.getOptionValueSource(attribute) === 'cli') given.add(key);
    if (value === undefined) continue;
    // a joining list's items (those of the list it joins, too, in order) are the other option's
    const into = spec.list && spec.joins !== undefined && command.getOptionValueSource(attribute) === 'cli' ? spec.joins : key;
    if (into !== key) {
      values[into] = value;
      set[into] = value;
      continue;
    }
    // the joining list came first in the table and already set it
    if (key in set) continue;
    values[key] = value;
    set[key] = value;
  }
  return { values: values as OptionValues, set, given };
}

/** The default commander gives the flag on `command` (undefined: none). */
export function cliDefault(spec: AnySpec, command: CommandName): unknown {
  const use = spec.cli?.commands[command];
  if (use !== undefined && 'default' in use) return use.default;
  if (spec.cli !== undefined && 'default' in spec.cli) return spec.cli.default;
  return spec.default;
}

const usedBy = (command: CommandName): [OptionName, AnySpec][] =>
  optionEntries().filter(([, spec]) => spec.cli?.commands[command] !== undefined);

/** A parser's refusal, as commander prints it after "option '--flag <x>' argument 'v' is invalid.". */
function cliParse<T>(parse: Parser<T>, value: string): T {
  try {
    return parse(value);
  } catch (error) {
    if (!(error instanceof BadValue)) throw error;
    const quoted = JSON.stringify(value);
    throw new InvalidArgumentError(
      'expected' in error.why ? `expected ${error.why.expected}, got ${quoted}` : `${quoted}: ${error.why.problem}`,
    );
  }
}

/**
 * Flags whose value is optional (`--dry-run [n]`) take it attached (`--dry-run=5`) or, bare, as
 * the next argument only when that parses as their value (`--fail-fast 3`); commander alone would
 * take any next word (`--dry-run config.json`), so a bare flag followed by anything else is given
 * an empty value, its parser's "none given". Words after `--` are left alone.
 */
export function attachOptionalValues(argv: readonly string[]): string[] {
  const optional = new Map<string, Parser<unknown>>();
  for (const [, spec] of optionEntries()) {
    const [name, argument] = spec.cli?.flag.split(' ') ?? [];
    if (name !== undefined && argument?.startsWith('[')) optional.set(name, spec.parse as Parser<unknown>);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return [...out, ...argv.slice(i)];
    const parse = optional.get(word);
    if (parse === undefined) {
      out.push(word);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && next !== '' && takes(parse, next)) {
      out.push(word, next);
      i++;
    } else out.push(`${word}=`);
  }
  return out;
}

function takes(parse: Parser<unknown>, word: string): boolean {
  try {
    parse(word);
    return true;
  } catch {
    return false;
  }
}
