/**
 * What every part of the scan (shell-scan.ts) stands on: the command's text, the position read up to,
 * the placeholder spans and what each became. A placeholder stays refused ("where this check does
 * not reach") until the scan classifies it, and after a doubt every later one is refused.
 */

import type { PlaceholderIndex } from './command-words.js';
import { DOUBT, METACHAR, REFUSE, VARIABLE_FIRST, type Refusal } from './shell-rules.js';

/** What a placeholder becomes, or why it cannot stand where it is. */
export type Placement =
  { readonly kind: 'plain' | 'double' | 'single' } | { readonly kind: 'refused'; readonly why: string; readonly fix: string };

export interface Span {
  readonly start: number;
  readonly end: number;
}

export abstract class ScanCursor implements PlaceholderIndex {
  /** The position read up to. */
  protected i = 0;
  /** Where reading stops: the text's end, or a here-document body's. */
  protected end: number;
  private readonly byStart = new Map<number, number>();
  readonly placements: Placement[];
  private doubt: string | undefined;

  constructor(
    protected readonly text: string,
    private readonly spans: readonly Span[],
  ) {
    this.end = text.length;
    spans.forEach((span, n) => this.byStart.set(span.start, n));
    this.placements = spans.map(() => ({ kind: 'refused', why: 'where this check does not reach', fix: VARIABLE_FIRST }));
  }

  protected at(pos: number): boolean {
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
  protected refuseLater(placeholders: readonly number[], refusal: Refusal): void {
    for (const n of placeholders) if (this.placements[n]!.kind !== 'refused') this.placements[n] = { kind: 'refused', ...refusal };
  }

  protected unsure(why: string): void {
    this.doubt ??= why;
  }

  /** Classifies the placeholder at `this.i` and moves past it. */
  protected placeholder(kind: 'plain' | 'double' | 'single', refusal: Refusal | undefined): void {
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
  protected backslash(kind: 'plain' | 'double'): void {
    if (this.at(this.i + 1)) {
      this.i++;
      this.placeholder(kind, REFUSE.backslash);
    } else this.i += 2;
  }

  protected wordIs(word: string): boolean {
    const after = this.i + word.length;
    return this.text.startsWith(word, this.i) && (after >= this.end || (METACHAR.test(this.text[after]!) && !this.at(after)));
  }
}
