/**
 * The one table of options. Each entry is declared once: its parser and default, its CLI flag (which
 * commands take it, help text, README text) and its Action input (action.yml's description and
 * default, which modes read it). The CLI's commander options (options/commander.ts), the Action's
 * inputs (options/inputs.ts), action.yml's `inputs:` and the README's CLI table (`npm run docs`) are
 * derived from it; test/unit/options.test.ts checks that they agree.
 *
 * The entries live in entries/ by concept (run, models, action, commands), each name once.
 * Adding an option: one entry, the code that uses the value, and its test (CONTRIBUTING.md).
 */
import type { AnySpec } from './spec.js';
import { ACTION } from './entries/action.js';
import { COMMANDS } from './entries/commands.js';
import { MODELS } from './entries/models.js';
import { RUN } from './entries/run.js';

/** Every option, in the order of action.yml's inputs and of the CLI's help. */
export const OPTIONS = { ...RUN, ...MODELS, ...ACTION, ...COMMANDS };

/** The groups the table is made of (a name in two of them would hide one: the test checks). */
export const OPTION_GROUPS = { RUN, MODELS, ACTION, COMMANDS };

export type OptionName = keyof typeof OPTIONS;
type ValueOf<S> = S extends { readonly default: infer T } ? T : never;
/** Every option's value, as the CLI or the Action gives it (the default when not given). */
export type OptionValues = { -readonly [K in OptionName]: ValueOf<(typeof OPTIONS)[K]> };

/** The table's entries, in its order. */
export const optionEntries = (): [OptionName, AnySpec][] => Object.entries(OPTIONS) as [OptionName, AnySpec][];

/** Every option's default: what a command or mode that does not take an option gets. */
export function defaultValues(): OptionValues {
  return Object.fromEntries(optionEntries().map(([name, spec]) => [name, spec.default])) as OptionValues;
}
