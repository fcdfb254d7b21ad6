/**
 * Where each placeholder of a cmd stands, for the shell (dash or bash) that will run it. This is a
 * conservative check, not a shell parser: it classifies a placeholder only in contexts it reads
 * with certainty (unquoted, inside "...", inside '...', in an unquoted here-document) and refuses
 * everything else, so the compiled command never falls back to an unquoted expansion.
 */

import { findHereDocEnd, readHereDocWord, type HereDoc } from './here-doc.js';
import { CommandWords, type PlaceholderIndex } from './command-words.js';
import { DOUBT, METACHAR, REFUSE, VARIABLE_FIRST, type Refusal } from './shell-rules.js';

/** What a placeholder becomes, or why it cannot stand where it is. */
export type Placement =
  { readonly kind: 'plain' | 'double' | 'single' } | { readonly kind: 'refused'; readonly why: string; readonly fix: string };

export interface Span {
  readonly start: number;
  readonly end: number;
}

class Scanner implements PlaceholderIndex {
  private i = 0;
  private end: number;
  private readonly byStart = new Map<number, number>();
  readonly placements: Placement[];
  private doubt: string | undefined;
  private pending: HereDoc[] = [];
  /** Counts plain() calls, naming the one a here-document operator is read in. */
  private calls = 0;
  private current = 0;

  constructor(
    private readonly text: string,
    private readonly spans: readonly Span[],
  ) {
    this.end = text.length;
    spans.forEach((span, n) => this.byStart.set(span.start, n));
    this.placements = spans.map(() => ({ kind: 'refused', why: 'where this check does not reach', fix: VARIABLE_FIRST }));
  }

  private at(pos: number): boolean {
    return this.byStart.has(pos);
  }

  endAt(pos: number): number | undefined {
    const n = this.byStart.get(pos);
    return n === undefined ? undefined : this.spans[n]!.end;
  }

  within(start: number, end: number): number[] {
    // spans are in order: a binary search for the first one at or after start
    let low = 0;
    let high = this.spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.spans[middle]!.start < start) low = middle + 1;
      else high = middle;
    }
    const found: number[] = [];
    for (let n = low; n < this.spans.length && this.spans[n]!.start < end; n++) found.push(n);
    return found;
  }

  /** Refuses placeholders already classified, found later to stand where bash evaluates them; a first refusal stands. */
  private refuseLater(placeholders: readonly number[], refusal: Refusal): void {
    for (const n of placeholders) if (this.placements[n]!.kind !== 'refused') this.placements[n] = { kind: 'refused', ...refusal };
  }

  private unsure(why: string): void {
    this.doubt ??= why;
  }

  /** Classifies the placeholder at `this.i` and moves past it. */
  private placeholder(kind: 'plain' | 'double' | 'single', refusal: Refusal | undefined): void {
    const n = this.byStart.get(this.i)!;
    const firstCr = this.text.indexOf('\r');
    if (firstCr >= 0 && firstCr < this.i) this.unsure(DOUBT.carriageReturn);
    this.placements[n] =
      this.doubt !== undefined
        ? {
            kind: 'refused',
            why: this.doubt,
            fix: 'assign it to a variable before that point (v={{{NAME}}} at the start of the command) and use "$v"',
          }
        : refusal !== undefined
          ? { kind: 'refused', ...refusal }
          : { kind };
    this.i = this.spans[n]!.end;
  }

  /** A backslash at `this.i`: escapes the next character, and may not stand before a placeholder. */
  private backslash(kind: 'plain' | 'double'): void {
    if (this.at(this.i + 1)) {
      this.i++;
      this.placeholder(kind, REFUSE.backslash);
    } else this.i += 2;
  }

  private wordIs(word: string): boolean {
    const after = this.i + word.length;
    return this.text.startsWith(word, this.i) && (after >= this.end || (METACHAR.test(this.text[after]!) && !this.at(after)));
  }

  /** Unquoted text up to `closer`: commands, or the values of an array assignment (`list`). */
  plain(closer: 'top' | ')' | ']]', taint: Refusal | undefined, list = false): void {
    const outer = this.current;
    this.current = ++this.calls;
    this.plainBody(closer, taint, list);
    this.current = outer;
  }

  private plainBody(closer: 'top' | ')' | ']]', taint: Refusal | undefined, list: boolean): void {
    const t = this.text;
    const events = { refuse: this.refuseLater.bind(this), doubt: this.unsure.bind(this) };
    const words = new CommandWords(t, this, events, list);
    let wordStart = true;
    let bracket = false;
    /** Where the last redirection operator ended: a `&` or `|` right there belongs to it (`>&2`, `>|`). */
    let redirectEnd = -1;
    /** What a placeholder, or a quote or substitution that may hold one, at this.i is refused for (the words of the command are judged as each ends). */
    const here = (): Refusal | undefined => taint ?? (bracket ? REFUSE.subscript : undefined);
    while (this.i < this.end) {
      const c = t[this.i]!;
      if (c === '\n' || c === ' ' || c === '\t') {
        if (c === '\n') words.reset(this.i);
        else words.end(this.i);
        this.i++;
        if (c === '\n') this.hereDocs(taint);
        wordStart = true;
        bracket = false;
        continue;
      }
      if (wordStart && !this.at(this.i)) {
        if (c === '#') {
          // a comment: a placeholder in it is never expanded, whatever it becomes
          while (this.i < this.end && t[this.i] !== '\n') {
            if (this.at(this.i)) this.placeholder('plain', undefined);
            else this.i++;
          }
          continue;
        }
        if (closer !== 'top' && this.wordIs('case')) this.unsure(DOUBT.caseInParens);
        if (closer === ']]' && this.wordIs(']]')) {
          words.reset(this.i);
          this.i += 2;
          return;
        }
        if (this.wordIs('[[')) {
          this.i += 2;
          this.plain(']]', taint ?? REFUSE.doubleBracket);
          wordStart = false;
          continue;
        }
        if (t.startsWith('((', this.i)) {
          // bash reads an arithmetic command, dash two subshells: after it, the two may differ
          this.i += 2;
          this.arithmetic('))');
          this.unsure(DOUBT.ambiguousArithmetic);
          wordStart = false;
          continue;
        }
      }
      if (!METACHAR.test(c)) words.start(this.i);
      wordStart = false;
      if (this.at(this.i)) this.placeholder('plain', here());
      else if (c === '\\') this.backslash('plain');
      else if (c === "'") {
        const refusal = here();
        this.i++;
        this.single(refusal);
      } else if (c === '"') {
        const refusal = here();
        this.i++;
        this.double(refusal);
      } else if (c === '`') this.backtick();
      else if (c === '$') this.dollar(here(), 'plain');
      else if (c === '(' && words.inWord() && t[this.i - 1] === '=') {
        // an array assignment, a=(...): its words are values, and the word a=(...) goes on
        this.i++;
        this.plain(')', taint, true);
      } else if ((c === '<' || c === '>') && t[this.i + 1] === '(') {
        // bash's process substitution <(...), >(...): a word standing for a file name
        words.start(this.i);
        this.i += 2;
        this.plain(')', taint);
      } else if (c === '(') {
        words.reset(this.i);
        this.i++;
        this.plain(')', taint);
        wordStart = true;
      } else if (c === ')') {
        words.reset(this.i);
        this.i++;
        if (closer === ')') return;
        wordStart = true; // a case pattern at top level
      } else if (c === '<' && t.startsWith('<<<', this.i)) {
        // bash's here-string: a redirection whose target is the next word
        words.redirect(this.i);
        this.i += 3;
        wordStart = true;
        bracket = false;
      } else if (c === '<' && t.startsWith('<<', this.i) && closer !== ']]') {
        words.redirect(this.i, false);
        this.i += 2;
        this.hereDocOperator();
        wordStart = true;
      } else {
        if (c === '[') bracket = true;
        if (c === '<' || c === '>' || ((c === '&' || c === '|') && redirectEnd === this.i)) {
          words.redirect(this.i);
          redirectEnd = this.i + 1;
        } else if (c === '&' && t[this.i + 1] === '>') words.ampersandRedirect(this.i);
        else if (c === ';' || c === '&' || c === '|') words.reset(this.i);
        else if (METACHAR.test(c)) words.end(this.i);
        this.i++;
        if (METACHAR.test(c)) {
          wordStart = true;
          bracket = false;
        }
      }
    }
    words.reset(this.i);
    if (closer !== 'top') this.unsure(DOUBT.unterminated(closer === ')' ? 'a "("' : 'a "[["'));
  }

  private single(taint: Refusal | undefined): void {
    while (this.i < this.end) {
      if (this.at(this.i)) this.placeholder('single', taint);
      else if (this.text[this.i++] === "'") return;
    }
    this.unsure(DOUBT.unterminated('a single quote'));
  }

  private double(taint: Refusal | undefined): void {
    if (!this.doubleQuoted(taint, '"')) this.unsure(DOUBT.unterminated('a double quote'));
  }

  /**
   * Text read as inside double quotes, up to `closing` (consumed; true when found) or the end: in
   * a here-document's body there is no closing character, and `"` is an ordinary one.
   */
  private doubleQuoted(taint: Refusal | undefined, closing: '"' | undefined): boolean {
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder('double', taint);
        continue;
      }
      const c = this.text[this.i]!;
      if (c === '\\') this.backslash('double');
      else if (c === '`') this.backtick();
      else if (c === '$') this.dollar(taint, 'double');
      else {
        this.i++;
        if (c === closing) return true;
      }
    }
    return false;
  }

  /** A backtick substitution: read to its end, every placeholder in it refused. */
  private backtick(): void {
    this.i++;
    while (this.i < this.end) {
      if (this.at(this.i)) this.placeholder('plain', REFUSE.backtick);
      else if (this.text[this.i] === '\\') this.i += 2;
      else if (this.text[this.i++] === '`') return;
    }
    this.unsure(DOUBT.unterminated('a backtick'));
  }

  /** `$` at `this.i`, in unquoted text or in double quotes (here-document bodies count as those). */
  private dollar(taint: Refusal | undefined, mode: 'plain' | 'double'): void {
    const t = this.text;
    const next = this.i + 1;
    if (this.at(next)) {
      this.i = next;
      this.placeholder(mode, REFUSE.dollar);
    } else if (t.startsWith('((', next)) {
      this.i += 3;
      this.arithmetic('))');
    } else if (t[next] === '(') {
      this.i += 2;
      this.plain(')', taint);
    } else if (t[next] === '{') {
      this.i += 2;
      this.parameter(mode);
    } else if (t[next] === '[') {
      this.i += 2;
      this.arithmetic(']');
    } else {
      if (mode === 'plain' && t[next] === "'") this.unsure(DOUBT.ansiQuote);
      this.i++;
    }
  }

  /** `$((...))`, `((...))` or `$[...]`: read to the end, every placeholder in it refused. */
  private arithmetic(closer: '))' | ']'): void {
    const open = closer === ']' ? '[' : '(';
    let depth = 0;
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder('plain', REFUSE.arithmetic);
        continue;
      }
      const c = this.text[this.i]!;
      if (c === '\\') this.backslash('plain');
      else if (c === "'") {
        this.i++;
        this.single(REFUSE.arithmetic);
      } else if (c === '"') {
        this.i++;
        this.double(REFUSE.arithmetic);
      } else if (c === '`') this.backtick();
      else if (c === '$') this.dollar(REFUSE.arithmetic, 'plain');
      else {
        this.i++;
        if (c === open) depth++;
        else if (c === closer[0]) {
          if (depth > 0) depth--;
          else if (closer === ']') return;
          else if (this.text[this.i] === ')') {
            this.i++;
            return;
          } else {
            this.unsure(DOUBT.ambiguousArithmetic);
            return;
          }
        }
      }
    }
    this.unsure(DOUBT.unterminated('an arithmetic expression'));
  }

  /** `${...}`: read to its closing brace, every placeholder in it refused. */
  private parameter(mode: 'plain' | 'double'): void {
    while (this.i < this.end) {
      if (this.at(this.i)) {
        this.placeholder('plain', REFUSE.parameter);
        continue;
      }
      const c = this.text[this.i]!;
      if (c === '\\') this.backslash('plain');
      else if (c === "'") {
        if (mode === 'double') this.unsure(DOUBT.quoteInParameter);
        this.i++;
        this.single(REFUSE.parameter);
      } else if (c === '"') {
        this.i++;
        this.double(REFUSE.parameter);
      } else if (c === '`') this.backtick();
      else if (c === '$') this.dollar(REFUSE.parameter, 'plain');
      else if (this.text[this.i++] === '}') return;
    }
    this.unsure(DOUBT.unterminated('a "${"'));
  }

  /** After `<<`: the delimiter word, whose body starts after the next newline. */
  private hereDocOperator(): void {
    const read = readHereDocWord(this.text, this.i, this.end, (pos) => this.at(pos));
    this.i = read.next;
    if (read.word === undefined) return this.unsure(DOUBT.hereDocWord);
    this.pending.push({ ...read.word, owner: this.current });
  }

  /** At the start of a line: the bodies of the here-documents opened on the line before. */
  private hereDocs(taint: Refusal | undefined): void {
    const docs = this.pending;
    this.pending = [];
    if (docs.some((doc) => doc.owner !== this.current)) this.unsure(DOUBT.hereDocNested);
    for (const doc of docs) {
      const { bodyEnd, next, found } = findHereDocEnd(this.text, this.i, this.end, doc);
      if (!found) this.unsure(DOUBT.hereDocEnd(doc.delimiter));
      const outerEnd = this.end;
      this.end = bodyEnd;
      if (doc.quoted) {
        while (this.i < this.end) {
          if (this.at(this.i)) this.placeholder('double', REFUSE.quotedHereDoc);
          else this.i++;
        }
      } else this.doubleQuoted(taint, undefined); // an unquoted here-document's body
      this.end = outerEnd;
      this.i = next;
    }
  }
}

/** Classifies each placeholder span of `text` (in order, not overlapping). */
export function placePlaceholders(text: string, spans: readonly Span[]): Placement[] {
  const scanner = new Scanner(text, spans);
  scanner.plain('top', undefined);
  return scanner.placements;
}
