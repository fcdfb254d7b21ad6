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
  commandName: {
    why: 'in the name of the command, so the contents would choose what runs (`read`, for one, evaluates a[$(cmd)] in a variable name)',
    fix: 'name the command as a plain word and pass the contents as its argument or on stdin',
  },
  unknownCommand: {
    why: 'in a command whose name (or a word before it, after `command`, `builtin`, `exec` or `env`) this check cannot read: a variable, a substitution or a glob may name a builtin such as `read`, which evaluates a[$(cmd)] in a variable name',
    fix: 'write the command name as a plain word (not "$cmd", $(...) or a glob) or a quoted path ("$HOME"/bin/tool), or pass the contents on stdin',
  },
  ampersandRedirect: {
    why: 'after "&>", which bash reads as a redirection but dash as "&" (run in the background) followed by a new command holding this placeholder',
    fix: 'write >FILE 2>&1 instead of &>FILE',
  },
  testOperand: {
    why: 'in a `test` or `[` command next to a word this check cannot read: bash reads `[ -v NAME ]` as a test of the variable NAME and evaluates a[$(cmd)] in it, so one word may be the -v and the other the name',
    fix: 'put an operator between the two words ([ "$a" = {{{NAME}}} ]), or pass the contents on stdin',
  },
} satisfies Record<string, Refusal>;

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
  reshaping: (builtin: string): string =>
    `after a \`${builtin}\` command, which may change how bash reads the commands after it (aliases, shell options, builtins)`,
  unterminated: (what: string): string => `after ${what} that is never closed`,
  hereDocEnd: (delimiter: string): string => `after a here-document with no closing line ${JSON.stringify(delimiter)}`,
  hereDocNested: 'after a here-document whose body starts inside or outside the parentheses it was opened in',
};

/** Characters that end an unquoted word. */
export const METACHAR = /[ \t\n;&|<>()]/;
