import { formatCount } from '../model/numbers.js';

/**
 * Escapes untrusted text (model output, file names) for GitHub Markdown, where HTML is allowed:
 * every character that could open a tag, an entity, a link, an image, emphasis, code, a table cell
 * or a mention becomes an HTML entity, so the text shows as written and injects nothing (an `@` is
 * also followed by a zero-width space: an entity alone does not stop a mention).
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '!': '&#33;',
  '#': '&#35;&#8203;', // the zero-width space keeps #123 from becoming a link, as for @mentions
  // GitHub decodes entities before it looks for @mentions, so `&#64;` alone still notifies:
  // a zero-width space after the `@` keeps the text as written and links nobody
  '@': '&#64;&#8203;',
  ':': '&#58;',
};
const SPECIAL = /[&<>"'|\\`*_~[\]()!#@:]/g;

/**
 * Control characters made visible: C0 controls become their Unicode control pictures (ESC shows as
 * ␛), DEL ␡, C1 controls and bidirectional overrides U+FFFD, so text printed to a terminal (a report
 * in either format, an error line) can neither move the cursor nor recolour the screen, and nothing
 * reorders what is read. `keep` lists the controls left as they are (a newline, a tab).
 */
export function visibleControls(text: string, keep = ''): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    if (keep.includes(c)) return c;
    const code = c.codePointAt(0)!;
    if (code < 0x20) return String.fromCodePoint(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}

/** Untrusted text escaped for Markdown (see ENTITIES), its control characters but newlines and tabs made visible. */
export function escapeMarkdown(text: string): string {
  return visibleControls(text.replace(/\r\n/g, '\n'), '\n\t').replace(SPECIAL, (c) => ENTITIES[c]!);
}

/**
 * A name (a leaf id, a run id, a title) kept readable: letters, digits, space and `. _ - : / ( )`
 * stay as they are (none of them can open a tag, a link, a mention or a cell), every other
 * character is escaped.
 */
export function escapeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._:/() -]/gu, (c) => ENTITIES[c] ?? `&#${c.codePointAt(0)};`);
}

/** One line of untrusted text for a table cell: the first non-blank line, cut to `max` characters, escaped. */
export function cell(text: string | null | undefined, max = 120): string {
  // a lone CR ends a line in CommonMark too: one left inside a row would end the table
  const line = (text ?? '').split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  const cut = trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
  return escapeMarkdown(cut);
}

/** Multi-line untrusted text inside <details>/<pre>: escaped, newlines kept. */
export function block(text: string): string {
  return escapeMarkdown(text);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const formatNumber = formatCount;

/**
 * Multi-line untrusted text shown as running text (the after output in a summary or a comment):
 * escaped like a cell, lines kept with `<br>`, blank lines between paragraphs, leading spaces kept,
 * and what only means something at the start of a line (a list marker `-` `+` `1.`, a setext `=`)
 * turned into an entity, which Markdown never reads as structure. It wraps like prose, unlike <pre>.
 */
export function prose(text: string): string {
  const paragraphs: string[][] = [[]];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '') {
      if (paragraphs[paragraphs.length - 1]!.length > 0) paragraphs.push([]);
      continue;
    }
    const indent = /^[ \t]*/.exec(line)![0];
    const body = escapeMarkdown(line.slice(indent.length))
      .replace(/^[-+=]/, (c) => `&#${c.charCodeAt(0)};`)
      .replace(/^(\d{1,9})\./, '$1&#46;');
    paragraphs[paragraphs.length - 1]!.push('&#160;'.repeat(indent.replace(/\t/g, '    ').length) + body);
  }
  return paragraphs
    .filter((p) => p.length > 0)
    .map((p) => p.join('<br>\n'))
    .join('\n\n');
}
