/**
 * Where each placeholder of a cmd stands, for the shell (dash or bash) that will run it. This is a
 * conservative check, not a shell parser: it classifies a placeholder only in contexts it reads
 * with certainty (unquoted, inside "...", inside '...', in an unquoted here-document) and refuses
 * everything else, so the compiled command never falls back to an unquoted expansion.
 */

import { findHereDocEnd, readHereDocWord, type HereDoc } from './here-doc.js';
import { CommandWords } from './command-words.js';
import { ScanCursor, type Placement, type Span } from './scan-cursor.js';
import { DOUBT, METACHAR, REFUSE, type Refusal } from './shell-rules.js';

export type { Placement, Span } from './scan-cursor.js';

/** What plain() knows of where it is: may a command word start here, is it inside `[`, where the last redirection operator ended. */
interface PlainState {
  wordStart: boolean;
  bracket: boolean;
  /** A `&` or `|` right where a redirection operator ended belongs to it (`>&2`, `>|`). */
  redirectEnd: number;
}

class Scanner extends ScanCursor {
  private pending: HereDoc[] = [];
  /** Counts plain() calls, naming the one a here-document operator is read in. */
  private calls = 0;
  private current = 0;

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
    const state: PlainState = { wordStart: true, bracket: false, redirectEnd: -1 };
    /** What a placeholder, or a quote or substitution that may hold one, at this.i is refused for (the words of the command are judged as each ends). */
    const here = (): Refusal | undefined => taint ?? (state.bracket ? REFUSE.subscript : undefined);
    while (this.i < this.end) {
      const c = t[this.i]!;
      if (c === '\n' || c === ' ' || c === '\t') {
        if (c === '\n') words.reset(this.i);
        else words.end(this.i);
        this.i++;
        if (c === '\n') this.hereDocs(taint);
        state.wordStart = true;
        state.bracket = false;
        continue;
      }
      if (state.wordStart && !this.at(this.i)) {
        const read = this.commandStart(closer, taint, words);
        if (read === 'closed') return;
        if (read === 'compound') state.wordStart = false;
        if (read !== undefined) continue;
      }
      if (!METACHAR.test(c)) words.start(this.i);
      state.wordStart = false;
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
        state.wordStart = true;
      } else if (c === ')') {
        words.reset(this.i);
        this.i++;
        if (closer === ')') return;
        state.wordStart = true; // a case pattern at top level
      } else this.operator(c, closer, words, state);
    }
    words.reset(this.i);
    if (closer !== 'top') this.unsure(DOUBT.unterminated(closer === ')' ? 'a "("' : 'a "[["'));
  }

  /**
   * Where a command word may start: a comment, `]]` closing a `[[`, a `[[` or `((` compound read
   * whole; undefined when none of those is at `this.i` (nothing is read then).
   */
  private commandStart(
    closer: 'top' | ')' | ']]',
    taint: Refusal | undefined,
    words: CommandWords,
  ): 'comment' | 'closed' | 'compound' | undefined {
    const t = this.text;
    if (t[this.i] === '#') {
      // a comment: a placeholder in it is never expanded, whatever it becomes
      while (this.i < this.end && t[this.i] !== '\n') {
        if (this.at(this.i)) this.placeholder('plain', undefined);
        else this.i++;
      }
      return 'comment';
    }
    if (closer !== 'top' && this.wordIs('case')) this.unsure(DOUBT.caseInParens);
    if (closer === ']]' && this.wordIs(']]')) {
      words.reset(this.i);
      this.i += 2;
      return 'closed';
    }
    if (this.wordIs('[[')) {
      this.i += 2;
      this.plain(']]', taint ?? REFUSE.doubleBracket);
      return 'compound';
    }
    if (t.startsWith('((', this.i)) {
      // bash reads an arithmetic command, dash two subshells: after it, the two may differ
      this.i += 2;
      this.arithmetic('))');
      this.unsure(DOUBT.ambiguousArithmetic);
      return 'compound';
    }
    return undefined;
  }

  /** An operator or any other character of unquoted text: redirections, here-documents, `;`, `&`, `|`, `[`. */
  private operator(c: string, closer: 'top' | ')' | ']]', words: CommandWords, state: PlainState): void {
    const t = this.text;
    if (c === '<' && t.startsWith('<<<', this.i)) {
      // bash's here-string: a redirection whose target is the next word
      words.redirect(this.i);
      this.i += 3;
      state.wordStart = true;
      state.bracket = false;
      return;
    }
    if (c === '<' && t.startsWith('<<', this.i) && closer !== ']]') {
      words.redirect(this.i, false);
      this.i += 2;
      this.hereDocOperator();
      state.wordStart = true;
      return;
    }
    if (c === '[') state.bracket = true;
    if (c === '<' || c === '>' || ((c === '&' || c === '|') && state.redirectEnd === this.i)) {
      words.redirect(this.i);
      state.redirectEnd = this.i + 1;
    } else if (c === '&' && t[this.i + 1] === '>') words.ampersandRedirect(this.i);
    else if (c === ';' || c === '&' || c === '|') words.reset(this.i);
    else if (METACHAR.test(c)) words.end(this.i);
    this.i++;
    if (METACHAR.test(c)) {
      state.wordStart = true;
      state.bracket = false;
    }
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
