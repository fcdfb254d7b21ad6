/** What one word of a command stands for, as far as dash and bash both certainly read it. */
export interface WordText {
  /** The text after quote removal (`"re"a\d` is `read`); undefined when an expansion, a glob or a brace may change it. */
  readonly value: string | undefined;
  /** The certain text before the first part that may change (`-v` of `-v"$x"`); all of it when `value` is known. */
  readonly lead: string;
  /** Every field the word expands to certainly holds a "/", so it never names a builtin (`"$HOME"/bin/x`, `~/x`). */
  readonly slash: boolean;
  /** The word certainly stays one field: no unquoted expansion, brace or `"$@"` may split it. */
  readonly single: boolean;
}

/**
 * Reads a word as the shell will see it after quote removal: single quotes, double quotes (where
 * a backslash escapes only `$`, a backquote, `"`, `\` and a newline) and unquoted backslashes.
 * Anything the shell expands (a placeholder, `$`, a backquote, `$'...'`, a glob, a brace, a leading
 * `~`) makes the value uncertain. `placeholderEnd(offset)` is where a placeholder starting at that
 * offset of `raw` ends.
 */
export function readWord(raw: string, placeholderEnd: (offset: number) => number | undefined): WordText {
  let text = '';
  let lead: string | undefined;
  /** An unquoted expansion or brace: the word may become several fields, some without the "/". */
  let split = false;
  let slash = false;
  let quote: '' | '"' | "'" = '';
  const lastBracket = raw.lastIndexOf(']');
  const lastBrace = raw.lastIndexOf('}');
  const unsure = (splits: boolean): void => {
    lead ??= text;
    split ||= splits;
  };
  const add = (c: string): void => {
    text += c;
    if (c === '/') slash = true;
  };
  /** The word stops being readable here: its value is uncertain and nothing is known of its fields. */
  const giveUp = (): WordText => ({ value: undefined, lead: lead ?? text, slash: false, single: false });
  for (let i = 0; i < raw.length;) {
    const end = placeholderEnd(i);
    if (end !== undefined) {
      unsure(false); // the compiled placeholder is always quoted: one field
      i = end;
      continue;
    }
    const c = raw[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else add(c);
      i++;
    } else if (c === '\\') {
      const next = raw[i + 1];
      if (next === undefined) return giveUp();
      if (quote === '"' && !'$`"\\\n'.includes(next)) {
        add(c); // inside double quotes, a backslash before another character is itself
        i++;
      } else {
        if (next !== '\n') add(next); // backslash-newline joins the lines
        i += 2;
      }
    } else if (c === '"') {
      quote = quote === '"' ? '' : '"';
      i++;
    } else if (c === "'" && quote === '') {
      quote = "'";
      i++;
    } else if (c === '$') {
      const skip = parameterLength(raw, i);
      if (skip === undefined) return giveUp();
      unsure(quote === '' || raw[i + 1] === '@');
      i += skip;
    } else if (c === '`') {
      return giveUp();
    } else if (quote === '' && (c === '*' || c === '?' || (c === '[' && lastBracket > i))) {
      unsure(false); // a glob: the names of files, which may be anything
      add(c);
      i++;
    } else if (quote === '' && c === '{' && lastBrace > i) {
      unsure(true); // bash's brace expansion: several words
      add(c);
      i++;
    } else if (quote === '' && c === '~' && i === 0) {
      unsure(false);
      i++;
    } else {
      add(c);
      i++;
    }
  }
  if (quote !== '') return giveUp();
  return { value: lead === undefined ? text : undefined, lead: lead ?? text, slash: slash && !split, single: !split };
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Length of a `$name`, `$1`, `$@` or `${...}` (with no quote or substitution inside) at `i`; undefined for anything else. */
function parameterLength(raw: string, i: number): number | undefined {
  const next = raw[i + 1];
  if (next === undefined) return undefined;
  if (/[0-9@*#?$!-]/.test(next)) return 2;
  NAME.lastIndex = i + 1;
  const name = NAME.exec(raw);
  if (name) return 1 + name[0].length;
  if (next !== '{') return undefined;
  let depth = 0;
  for (let j = i + 1; j < raw.length; j++) {
    const c = raw[j]!;
    if ('\'"`$\\'.includes(c)) return undefined;
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j + 1 - i;
  }
  return undefined;
}
