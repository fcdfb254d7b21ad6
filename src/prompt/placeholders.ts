/** What a key name may contain; the same rule makes `{{{NAME}}}` a placeholder. */
export const KEY_NAME = /^[A-Za-z0-9_.-]+$/;
const PLACEHOLDER = /\{\{\{([A-Za-z0-9_.-]+)(:path)?\}\}\}/g;
/** Two or three braces around a name, with or without spaces: what a placeholder written another way looks like. */
const NEAR_PLACEHOLDER = /\{\{\{?\s*([A-Za-z0-9_.-]+)(:path)?\s*\}\}?\}/g;
const EXACT_PLACEHOLDER = /^\{\{\{[A-Za-z0-9_.-]+(:path)?\}\}\}$/;
/** `{{{NAME:something}}}` with something other than `path`: a mistake worth naming. */
const UNKNOWN_FIELD = /\{\{\{([A-Za-z0-9_.-]+):([^{}]*)\}\}\}/g;

/** What a placeholder stands for: the file's contents (`{{{NAME}}}`) or its listed path (`{{{NAME:path}}}`). */
export type PlaceholderField = 'contents' | 'path';

export interface Placeholder {
  readonly name: string;
  readonly field: PlaceholderField;
  /** The placeholder as written, e.g. `{{{doc:path}}}`. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Every placeholder of a text, in order. */
export function findPlaceholders(text: string): Placeholder[] {
  return Array.from(text.matchAll(PLACEHOLDER), (m) => ({
    name: m[1]!,
    field: m[2] === undefined ? 'contents' : 'path',
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Key names of the placeholders in a text (both forms), in order of first use. */
export function placeholderNames(text: string): string[] {
  return [...new Set(findPlaceholders(text).map((p) => p.name))];
}

/** `{{{NAME:field}}}` forms with an unknown field, as written. */
export function unknownPlaceholderFields(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(UNKNOWN_FIELD), (m) => m[0]).filter((whole) => !whole.endsWith(':path}}}')))];
}

/**
 * Placeholders of the given names written another way (`{{doc}}`, the promptfoo and Mustache habit,
 * or `{{{ doc }}}`): text that would reach the step as it is. Each as written and as it should be.
 */
export function nearPlaceholders(text: string, names: ReadonlySet<string>): { written: string; meant: string }[] {
  const found = new Map<string, string>();
  for (const m of text.matchAll(NEAR_PLACEHOLDER)) {
    if (EXACT_PLACEHOLDER.test(m[0]) || !names.has(m[1]!)) continue;
    found.set(m[0], `{{{${m[1]}${m[2] ?? ''}}}}`);
  }
  return [...found].map(([written, meant]) => ({ written, meant }));
}

/**
 * Replaces each placeholder in one pass: inserted text is never scanned again, so contents that
 * themselves hold placeholders stay as they are. Placeholders without a value are left untouched.
 * A text is scanned once (compiled): a run fills the same template for every flow.
 */
export function fillPlaceholders(text: string, value: (name: string, field: PlaceholderField) => string | undefined): string {
  const parts = compiled(text);
  let filled = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const placeholder = parts[i] as Placeholder;
    filled += (value(placeholder.name, placeholder.field) ?? placeholder.text) + (parts[i + 1] as string);
  }
  return filled;
}

/** A text split at its placeholders: text, placeholder, text, ..., text. */
type Compiled = readonly (string | Placeholder)[];
/** Texts compiled lately: the templates of a run's steps (a few), or of prompt files named per flow (up to 64 KB each: a larger one is compiled each time). */
const COMPILED = new Map<string, Compiled>();
const COMPILED_KEPT = 64;
const COMPILED_CHARS = 64 * 1024;

function compiled(text: string): Compiled {
  const parts = COMPILED.get(text);
  if (parts !== undefined) return parts;
  const split: (string | Placeholder)[] = [];
  let at = 0;
  for (const placeholder of findPlaceholders(text)) {
    split.push(text.slice(at, placeholder.start), placeholder);
    at = placeholder.end;
  }
  split.push(text.slice(at));
  if (text.length > COMPILED_CHARS) return split;
  if (COMPILED.size >= COMPILED_KEPT) COMPILED.clear();
  COMPILED.set(text, split);
  return split;
}

/** `doc` or `doc:path`, as compileCommand keys its variables: the key name and the field. */
export function parseRef(ref: string): { name: string; field: PlaceholderField } {
  return ref.endsWith(':path') ? { name: ref.slice(0, -':path'.length), field: 'path' } : { name: ref, field: 'contents' };
}
