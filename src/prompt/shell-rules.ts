/**
 * What the cmd placeholder check refuses and why, with the fix it suggests: the rules of
 * shell-scan.ts, apart from the scanning itself.
 */

export type Refusal = { readonly why: string; readonly fix: string };

export const VARIABLE_FIRST = 'assign it to a variable at the start of the command (v={{{NAME}}}) and use "$v" there';

export const REFUSE = {
  arithmetic: {
    why: 'inside arithmetic ($((...)), ((...)) or $[...]), where bash evaluates the contents as an expression (a[$(cmd)] runs cmd)',
    fix: "assign it to a variable first (v={{{NAME}}}), check that it is a number (case $v in ''|*[!0-9]*) exit 1;; esac), then use $((v ...)); or pass the contents on stdin",
  },
  parameter: {
    why: 'inside a ${...} parameter expansion, whose patterns, offsets and subscripts are not data',
    fix: VARIABLE_FIRST,
  },
  backtick: {
    why: 'inside `...` backticks, whose quoting this check does not follow',
    fix: 'write $(...) instead of backticks',
  },
  doubleBracket: {
    why: 'inside [[ ... ]], where bash evaluates the operands of -eq, -lt, ... as arithmetic',
    fix: 'use [ ... ] (test) instead, or ' + VARIABLE_FIRST,
  },
  subscript: {
    why: 'after an unquoted "[" in the same word, where bash reads an array subscript (evaluated as arithmetic)',
    fix: 'quote the word, or ' + VARIABLE_FIRST,
  },
  backslash: { why: 'right after a backslash, which would escape the quoting around it', fix: 'remove the backslash' },
  dollar: { why: 'right after "$"', fix: 'remove the "$": the placeholder already stands for the contents' },
  quotedHereDoc: {
    why: 'in a quoted here-document, where the shell expands nothing',
    fix: "unquote its delimiter (<<EOF, not <<'EOF'), or pass the contents on stdin",
  },
} satisfies Record<string, Refusal>;

/** Builtins that read an argument as a variable name or an expression, which bash evaluates (`a[$(cmd)]`). */
const EVALUATING = new Set(['let', 'eval', 'trap', 'read', 'mapfile', 'readarray', 'unset', 'getopts']);
/** Builtins that read `-v NAME`. */
const NAME_OPTION = new Set(['printf', 'test', '[']);
/** Builtins whose arguments are `NAME=value` assignments (safe as values, not as names or with -i/-n/-a). */
const DECLARING = new Set(['declare', 'typeset', 'local', 'readonly', 'export']);
/** Options of those that make a variable an integer (arithmetic on every assignment), a reference or an array. */
const ATTRIBUTE = /^[-+][A-Za-z]*[aAin]/;

function builtinRefusal(builtin: string): Refusal {
  return {
    why: `in a \`${builtin}\` command, which bash may read as a variable name or an expression (a[$(cmd)] runs cmd)`,
    fix: 'pass it as a plain value (v={{{NAME}}}) and check it before such a use, or pass the contents on stdin',
  };
}

/** The words of the simple command being read, so far. */
export class CommandWords {
  private readonly words: string[] = [];
  private begin = -1;

  /** `onAttributes` is told of a `declare -i`-like command, which changes how later assignments are read. */
  constructor(
    private readonly text: string,
    private readonly onAttributes: () => void,
  ) {}

  start(pos: number): void {
    if (this.begin < 0) this.begin = pos;
  }

  end(pos: number): void {
    if (this.begin < 0) return;
    const word = this.text.slice(this.begin, pos);
    this.begin = -1;
    if (ATTRIBUTE.test(word) && this.words.some((w) => DECLARING.has(w))) this.onAttributes();
    this.words.push(word);
  }

  /** At a command separator: a new simple command starts. */
  reset(pos: number): void {
    this.end(pos);
    this.words.length = 0;
  }

  /** Why a placeholder (or a quote or substitution holding one) at `pos` cannot stand in this command. */
  refusal(pos: number): Refusal | undefined {
    const words = this.words;
    const evaluating = words.find((w) => EVALUATING.has(w));
    if (evaluating !== undefined) return builtinRefusal(evaluating);
    const named = words.find((w) => NAME_OPTION.has(w));
    if (named !== undefined && words.includes('-v')) return builtinRefusal(`${named} -v`);
    const declaring = words.find((w) => DECLARING.has(w));
    const prefix = this.begin >= 0 ? this.text.slice(this.begin, pos) : '';
    if (declaring !== undefined && (words.some((w) => ATTRIBUTE.test(w)) || !/^[A-Za-z_][A-Za-z0-9_]*=/.test(prefix))) {
      return builtinRefusal(declaring);
    }
    return undefined;
  }
}

/** Things after which this check is no longer sure how the shell reads the rest. */
export const DOUBT = {
  carriageReturn: 'after a carriage return (a CRLF line ending), which the shell reads as part of a word',
  ansiQuote: "after $'...' quoting, whose backslash escapes differ between shells",
  caseInParens: 'after a `case` inside $(...) or (...), whose `pattern)` this check would read as the closing parenthesis',
  hereDocWord: "after a here-document delimiter this check cannot read (write it as <<EOF, <<-EOF or <<'EOF')",
  ambiguousArithmetic:
    'after a "((" that bash reads as arithmetic and dash as two subshells (write "( (" for subshells, "$((...))" for arithmetic)',
  quoteInParameter: 'after a single quote inside "${...}", which dash and bash read differently',
  attributes: 'after a `declare -i`-like command (bash evaluates later assignments to an integer variable as arithmetic)',
  unterminated: (what: string): string => `after ${what} that is never closed`,
  hereDocEnd: (delimiter: string): string => `after a here-document with no closing line ${JSON.stringify(delimiter)}`,
  hereDocNested: 'after a here-document whose body starts inside or outside the parentheses it was opened in',
};

/** Characters that end an unquoted word. */
export const METACHAR = /[ \t\n;&|<>()]/;
