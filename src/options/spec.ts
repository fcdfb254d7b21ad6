import { boolean, type Parser } from './values.js';

/** The CLI's commands. */
export const COMMANDS = ['run', 'plan', 'report', 'apply'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The Action's modes. */
export const MODES = ['run', 'plan', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** How one command uses a flag, when it differs from the flag's own help and default. */
export interface CommandUse {
  readonly help?: string;
  /** Present (even undefined): this command's default instead of the flag's. */
  readonly default?: unknown;
  /** The README's "default" column for this command. */
  readonly shownDefault?: string;
}

/** `report`'s after steps: unset unless given, then a run's default (never the run's run.json: records are data, not settings). */
export const afterSteps = { default: undefined } as const;

/** The CLI side of an option. */
export interface CliSpec<T> {
  /** Commander's flag, with its argument unless the option is a switch: `--parallel <n>`. */
  readonly flag: string;
  /** The `--help` text. */
  readonly help: string;
  /** The README's "meaning" column; the help text when absent. */
  readonly readme?: string;
  /** The README's "default" column when the value alone does not say it (e.g. "`codex` on PATH"). */
  readonly shownDefault?: string;
  /** Present (even undefined): the CLI's default instead of the option's (undefined: commander has none). */
  readonly default?: T | undefined;
  /** The commands that take it. */
  readonly commands: Partial<Record<CommandName, CommandUse>>;
  readonly required?: true;
}

/** The Action side of an option: an input of action.yml. */
export interface InputSpec<T> {
  readonly name: string;
  /** action.yml's description (the README's inputs table is made from action.yml). */
  readonly description: string;
  /** The modes that read it. */
  readonly modes: readonly Mode[];
  /** Present: the Action's default instead of the option's. */
  readonly default?: T;
  /** action.yml's `default:` when it is not the default's text (e.g. `${{ github.token }}`, or '' to tell "not given"). */
  readonly yml?: string;
  /** The Action's parser, when it checks more than the CLI's. */
  readonly parse?: Parser<T>;
}

interface Base<T> {
  readonly default: T;
  /** A switch: the flag takes no argument. */
  readonly switch?: true;
  readonly cli?: CliSpec<T>;
  readonly input?: InputSpec<T>;
}

/** One option: declared once, the CLI's flags, the Action's inputs and the README's tables come from it. */
export interface OptionSpec<T> extends Base<T> {
  /** Parses the flag's argument, the input's text. */
  readonly parse: Parser<T>;
  readonly list?: undefined;
}

/** A list: the flag is repeatable, the input takes one value per line (blank lines and `#` comments skipped). */
export interface ListSpec<I> extends Base<I[]> {
  /** Parses one flag's argument, one line of the input. */
  readonly parse: Parser<I>;
  readonly list: true;
  /**
   * The name of another list option its items go into, in the order the flags were given
   * (`--values` joins `--key`: one cartesian product, in command-line order); its own value stays
   * empty. The Action's input has its lines put after the other input's.
   */
  readonly joins?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds options of every type
export type AnySpec = OptionSpec<any> | ListSpec<any>;

type Spec<T> = Omit<OptionSpec<T>, 'default' | 'list'>;

/** An option with a default. */
export const option = <T>(spec: Spec<T> & { readonly default: NoInfer<T> }): OptionSpec<T> => spec;
/** An option whose absence is undefined. */
export const optional = <T>(spec: Omit<Spec<T | undefined>, 'parse'> & { readonly parse: Parser<T> }): OptionSpec<T | undefined> => ({
  ...spec,
  default: undefined,
});
/** A switch, off unless given (the Action's input may default otherwise). */
export const flag = (spec: Omit<Spec<boolean>, 'parse' | 'switch'>): OptionSpec<boolean> => ({
  ...spec,
  parse: boolean,
  switch: true,
  default: false,
});
/** A repeatable flag / a one-per-line input. */
export const list = <I>(spec: Omit<Base<I[]>, 'default' | 'switch'> & Pick<ListSpec<I>, 'parse' | 'joins'>): ListSpec<I> => ({
  ...spec,
  list: true,
  default: [],
});
