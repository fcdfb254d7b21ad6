import { METACHAR } from './shell-rules.js';

/** A here-document opened by `<<WORD` (or `<<-WORD`), its body still to come. */
export interface HereDoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  /** The scanner's plain() call that read the operator: its body must start at a newline of that same call. */
  readonly owner: number;
}

/**
 * Reads the delimiter word after `<<` at `i` (before `end`): the word, whether any part of it is
 * quoted (then the body is not expanded) and `-` (leading tabs stripped); no word when the check
 * cannot read it with certainty (a placeholder, `$` or a backquote in it, an open quote). `next` is
 * where reading stopped.
 */
export function readHereDocWord(
  t: string,
  i: number,
  end: number,
  isPlaceholder: (pos: number) => boolean,
): { word?: Omit<HereDoc, 'owner'>; next: number } {
  const stripTabs = t[i] === '-';
  if (stripTabs) i++;
  while (t[i] === ' ' || t[i] === '\t') i++;
  let delimiter = '';
  let quoted = false;
  while (i < end && !METACHAR.test(t[i]!)) {
    const c = t[i]!;
    if (isPlaceholder(i) || c === '$' || c === '`') return { next: i };
    if (c === '\\') {
      if (isPlaceholder(i + 1) || i + 1 >= end || t[i + 1] === '\n') return { next: i };
      quoted = true;
      delimiter += t[i + 1];
      i += 2;
    } else if (c === "'" || c === '"') {
      const close = t.indexOf(c, i + 1);
      const part = close < 0 || close >= end ? undefined : t.slice(i + 1, close);
      if (part === undefined || /[$`\\{]/.test(part)) return { next: i };
      quoted = true;
      delimiter += part;
      i = close + 1;
    } else {
      delimiter += c;
      i++;
    }
  }
  return delimiter === '' ? { next: i } : { word: { delimiter, quoted, stripTabs }, next: i };
}

/** The body of `doc` starting at `start`: it ends before the line that is the delimiter (`found`), else at `end`; `next` follows that line. */
export function findHereDocEnd(
  t: string,
  start: number,
  end: number,
  doc: Omit<HereDoc, 'owner'>,
): { bodyEnd: number; next: number; found: boolean } {
  for (let pos = start; pos < end;) {
    let lineEnd = t.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const line = t.slice(pos, lineEnd);
    if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter)
      return { bodyEnd: pos, next: Math.min(lineEnd + 1, end), found: true };
    pos = lineEnd + 1;
  }
  return { bodyEnd: end, next: end, found: false };
}
