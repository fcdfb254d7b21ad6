/**
 * The simple command the scanner is reading, word by word, and the bash builtins in it that read a
 * word as a variable name, an expression or code (`read NAME`, `printf -v NAME`, `wait -p NAME`,
 * `test -v NAME`, `unset`, `let`, `declare -i`...): bash evaluates `a[$(cmd)]` in such a name, so a
 * placeholder there would run the contents. Words are compared as the shell sees them, after quote
 * removal (`"read"`, `re\ad`, `r"ea"d` are `read`); a word this check cannot read (an expansion, a
 * glob) counts as any word at all.
 */

import { DOUBT, REFUSE, type Refusal } from './shell-rules.js';
import { readWord, type WordText } from './shell-word.js';

/** Builtins that read their arguments as variable names, expressions or code: no placeholder after them. */
const EVALUATING = new Set(['let', 'eval', 'trap', 'read', 'mapfile', 'readarray', 'unset', 'getopts', 'compgen', 'complete']);
/** Builtins that change how the shell reads what follows: no placeholder in them, and none after them. */
const RESHAPING = new Set(['alias', 'shopt', 'enable']);
/** Builtins with an option naming a variable, read by getopt (options end at the first operand or `--`). */
const NAME_OPTION = new Map([
  ['printf', 'v'],
  ['wait', 'p'],
]);
/** `test` and `[`, whose `-v NAME` and `-R NAME` test a variable by its name. */
const TESTS = new Set(['test', '[']);
/** Builtins whose arguments are `NAME=value` assignments (safe as values, not as names or with -i/-n/-a). */
const DECLARING = new Set(['declare', 'typeset', 'local', 'readonly', 'export']);
/** Options of those that make a variable an integer (arithmetic on every assignment), a reference, an array, or inherit those. */
const ATTRIBUTE = /^[-+][A-Za-z]*[aAinI]/;
/** Of those, the ones that take such options (`export` and `readonly` take none of -i, -n, -I). */
const ATTRIBUTING = new Set(['declare', 'typeset', 'local']);
/** Commands that run the word after their options as a command, with the options of theirs that take an argument. */
const PREFIXES = new Map([
  ['command', /^$/],
  ['builtin', /^$/],
  ['time', /^-[A-Za-z]*[fo]$/], // /usr/bin/time -f FORMAT -o FILE, where time is no keyword
  ['exec', /^-[cl]*a$/],
  ['env', /^(-[A-Za-z0-9]*[uCSaP]|--(unset|chdir|argv0))$/],
]);
/** `env -S` / `--split-string`: the command is inside that string. */
const ENV_SPLIT = /^(-[A-Za-z0-9]*S|--s)/;
/** Reserved words after which a command starts (only unquoted, as written). */
const RESERVED = new Set(['!', '{', 'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'coproc', 'function']);
/** An assignment word (`NAME=`, `NAME+=`, `NAME[...]=`) as written. */
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

function builtinRefusal(builtin: string): Refusal {
  return {
    why: `in a \`${builtin}\` command, which bash may read as a variable name, an expression or code (a[$(cmd)] runs cmd)`,
    fix: 'pass it as a plain value (v={{{NAME}}}) and check it before such a use, or pass the contents on stdin',
  };
}

function optionRefusal(builtin: string, letter: string): Refusal {
  return {
    why: `where \`${builtin}\` reads its options (contents starting with -${letter} would name a variable, and bash evaluates a[$(cmd)] in it)`,
    fix:
      builtin === 'printf'
        ? "give the format first (printf '%s' {{{NAME}}}), or end the options with --"
        : 'end the options with -- before it',
  };
}

/** Where the placeholders are: the scanner's spans, by index. */
export interface PlaceholderIndex {
  /** Indices of the placeholders starting in [start, end). */
  within(start: number, end: number): number[];
  /** Where the placeholder starting at `pos` ends, if one does. */
  endAt(pos: number): number | undefined;
}

/** What the command words tell the scanner. */
export interface CommandEvents {
  /** These placeholders stand where the shell may evaluate them (kept when already refused). */
  refuse(placeholders: readonly number[], refusal: Refusal): void;
  /** The rest of the script may be read differently from here on. */
  doubt(why: string): void;
}

interface Word extends WordText {
  /** As written. */
  readonly raw: string;
  /** The placeholders in it, nested ones included. */
  readonly holds: readonly number[];
}

/** How a builtin reads the words after it. */
type Rule = (word: Word) => void;

/** Where the next word stands in the command. */
type Stage = 'start' | 'prefix' | 'function' | 'args';

export class CommandWords {
  private begin = -1;
  private stage: Stage;
  private prefix = '';
  private skipNext = false;
  private target = false;
  /** Why every later placeholder of this command is refused. */
  private taint: Refusal | undefined;
  private rules: Rule[] = [];

  /** `list` words are values, not a command (the words of `a=(...)`). */
  constructor(
    private readonly text: string,
    private readonly placeholders: PlaceholderIndex,
    private readonly events: CommandEvents,
    private readonly list = false,
  ) {
    this.stage = list ? 'args' : 'start';
  }

  start(pos: number): void {
    if (this.begin < 0) this.begin = pos;
  }

  inWord(): boolean {
    return this.begin >= 0;
  }

  end(pos: number): void {
    if (this.begin < 0) return;
    const start = this.begin;
    this.begin = -1;
    const holds = this.placeholders.within(start, pos);
    if (this.target) {
      // a redirection's target: a file name, never a command or an argument
      this.target = false;
      if (this.taint !== undefined) this.refuse(holds, this.taint);
      return;
    }
    const raw = this.text.slice(start, pos);
    const text = readWord(raw, (offset) => {
      const end = this.placeholders.endAt(start + offset);
      return end === undefined ? undefined : end - start;
    });
    this.read({ ...text, raw, holds });
  }

  /** At a command separator: a new simple command starts. */
  reset(pos: number): void {
    this.end(pos);
    this.stage = this.list ? 'args' : 'start';
    this.prefix = '';
    this.skipNext = false;
    this.target = false;
    this.taint = undefined;
    this.rules = [];
  }

  /**
   * At a redirection operator's character (`<`, `>`, and the `&` or `|` of `>&`, `<&`, `>|`): a
   * file descriptor number just before it is no word, and the next word is its target (unless
   * `target` is false: a here-document's delimiter, which the scanner reads itself).
   */
  redirect(pos: number, target = true): void {
    if (this.begin >= 0 && /^([0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(this.text.slice(this.begin, pos))) this.begin = -1;
    else this.end(pos);
    this.target = target;
  }

  /** At `&>`: a redirection in bash, `&` and a new command in dash. */
  ampersandRedirect(pos: number): void {
    this.redirect(pos);
    this.taint ??= REFUSE.ampersandRedirect;
  }

  private refuse(placeholders: readonly number[], refusal: Refusal): void {
    if (placeholders.length > 0) this.events.refuse(placeholders, refusal);
  }

  private read(word: Word): void {
    if (this.taint !== undefined) this.refuse(word.holds, this.taint);
    for (const rule of this.rules) rule(word);
    if (!this.list) this.place(word);
    this.recognise(word);
  }

  /** Follows the words before the command's name: assignments, reserved words, `command`/`env`/... and their options. */
  private place(word: Word): void {
    const value = word.value;
    switch (this.stage) {
      case 'args':
        return;
      case 'function':
        this.stage = 'start'; // the function's name; its body follows
        return;
      case 'start':
        if (ASSIGNMENT.test(word.raw)) return;
        if (RESERVED.has(word.raw)) {
          if (word.raw === 'function') this.stage = 'function';
          return;
        }
        return this.commandName(word);
      case 'prefix':
        if (this.skipNext) {
          this.skipNext = false;
          return;
        }
        if (value !== undefined && value.startsWith('-') && (value.length > 1 || this.prefix === 'env')) {
          if (this.prefix === 'env' && ENV_SPLIT.test(value)) this.taint ??= REFUSE.unknownCommand;
          else if (PREFIXES.get(this.prefix)!.test(value)) this.skipNext = true;
          return;
        }
        if (this.prefix === 'env' && (value !== undefined ? value.includes('=') : ASSIGNMENT.test(word.raw) && word.single)) return;
        return this.commandName(word);
    }
  }

  private commandName(word: Word): void {
    this.stage = 'args';
    this.refuse(word.holds, REFUSE.commandName);
    if (word.value === undefined) {
      if (!word.slash) this.taint ??= REFUSE.unknownCommand;
    } else if (PREFIXES.has(word.value)) {
      this.stage = 'prefix';
      this.prefix = word.value;
    }
  }

  /** A word naming a builtin, wherever it stands (`timeout 5 read` reaches bash's read on macOS too): its rule for the words after it. */
  private recognise(word: Word): void {
    const name = word.value;
    if (name === undefined) return;
    if (EVALUATING.has(name) || RESHAPING.has(name)) this.taint ??= builtinRefusal(name);
    if (RESHAPING.has(name)) this.events.doubt(DOUBT.reshaping(name));
    const letter = NAME_OPTION.get(name);
    if (letter !== undefined) this.rules.push(this.getoptRule(name, letter));
    if (TESTS.has(name)) this.rules.push(this.testRule(name));
    if (DECLARING.has(name)) this.rules.push(this.declaringRule(name));
  }

  /** `printf -v NAME`, `wait -p NAME`: no placeholder after the option, nor where the contents could be it. */
  private getoptRule(builtin: string, letter: string): Rule {
    const option = new RegExp(`^-[A-Za-z]*${letter}`);
    const named = builtinRefusal(`${builtin} -${letter}`);
    let options = true;
    return (word) => {
      if (word.value !== undefined) {
        if (option.test(word.value)) this.taint ??= named;
        else if (word.value === '--' || word.value === '-' || !word.value.startsWith('-')) options = false;
      } else if (options) {
        if (word.lead !== '' && !word.lead.startsWith('-')) options = false;
        else {
          // the word may be -vNAME, or -v with the next word as the name
          this.refuse(word.holds, optionRefusal(builtin, letter));
          this.taint ??= named;
        }
      }
    };
  }

  /** `test -v NAME`, `[ -R NAME ]`: no placeholder after those, nor next to a word that may be one. */
  private testRule(builtin: string): Rule {
    const named = builtinRefusal(`${builtin} -v`);
    let previous: Word | undefined;
    return (word) => {
      if (word.value === '-v' || word.value === '-R') this.taint ??= named;
      if (previous !== undefined && previous.value === undefined) this.refuse(word.holds, REFUSE.testOperand);
      if (previous !== undefined && word.value === undefined) this.refuse(previous.holds, REFUSE.testOperand);
      previous = word;
    };
  }

  /** `declare`, `local`, `export`...: placeholders only as the value of a literal `NAME=`, and never with -i, -n, -a. */
  private declaringRule(builtin: string): Rule {
    const refusal = builtinRefusal(builtin);
    return (word) => {
      const assignment = ASSIGNMENT.test(word.raw);
      if (word.value !== undefined ? ATTRIBUTE.test(word.value) : !assignment && ATTRIBUTING.has(builtin)) {
        // -i and the like (or a word that may be one) change how later assignments are read
        this.events.doubt(DOUBT.attributes);
        this.taint ??= refusal;
      }
      if (!assignment) this.refuse(word.holds, refusal);
    };
  }
}
