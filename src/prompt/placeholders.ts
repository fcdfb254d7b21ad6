/** What a key name may contain; the same rule makes `{{{NAME}}}` a placeholder. */
export const KEY_NAME = /^[A-Za-z0-9_.-]+$/;
const PLACEHOLDER = /\{\{\{([A-Za-z0-9_.-]+)\}\}\}/g;

/** Names of the placeholders in a text, in order of first use. */
export function placeholderNames(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/**
 * Replaces each `{{{NAME}}}` in one pass: inserted text is never scanned again, so contents that
 * themselves hold placeholders stay as they are. Names without a value are left untouched.
 */
export function fillPlaceholders(text: string, value: (name: string) => string | undefined): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => value(name) ?? whole);
}

/** Splits a text at its placeholders: literal, name, literal, name, ..., literal. */
export function splitPlaceholders(text: string): { literals: string[]; names: string[] } {
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    literals.push(text.slice(last, match.index));
    names.push(match[1]!);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return { literals, names };
}
