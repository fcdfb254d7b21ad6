import { UsageError } from '../errors.js';

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * JSON.parse with errors that name the file, line and column. A UTF-8 BOM is allowed, as editors
 * on Windows write one.
 */
export function parseJson(text: string, file: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new UsageError(`${file}: the JSON is nested too deeply to read`, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : (unexpectedTokenOffset(message, body) ?? body.length);
    const { line, column } = lineColumn(body, offset);
    const reason = message
      .replace(/\s*(in JSON )?at position \d+.*$/s, '')
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
      .replace(/^JSON\.parse: /, '');
    throw new UsageError(`${file}:${line}:${column}: invalid JSON: ${reason}`, { cause: error });
  }
}

/**
 * V8 words "Unexpected token" errors without a position, quoting the text around it instead: the
 * whole text when short, else up to 10 characters either side of the token (`"..."...`, `..."..."...`,
 * `..."..."`). Recovers the token's offset from that quote.
 */
function unexpectedTokenOffset(message: string, text: string): number | undefined {
  const match = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!match) return undefined;
  const [, token, before, quoted, after] = match as unknown as [string, string, string | undefined, string, string | undefined];
  if (!before && !after) return occurrence(text, token, 0) ?? 0;
  if (!before) return quoted.length - 10;
  if (!after) return text.length - quoted.length + 10;
  return occurrence(text, quoted, 10);
}

/**
 * The offset of the bad token, `shift` characters into one of the places where `needle` occurs:
 * the same text may also occur earlier, e.g. inside a string, so each is checked. Only at the real
 * one does the text cut just after it fail with "Unexpected token", and the text cut before not.
 */
function occurrence(text: string, needle: string, shift: number): number | undefined {
  const tokenError = (prefix: string): boolean => {
    try {
      JSON.parse(prefix);
      return false;
    } catch (error) {
      return /^Unexpected token/.test(error instanceof Error ? error.message : '');
    }
  };
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const offset = at + shift;
    if (tokenError(text.slice(0, offset + 1)) && !tokenError(text.slice(0, offset))) return offset;
  }
  return undefined;
}
