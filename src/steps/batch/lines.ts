/**
 * The lines of a batch's output and error files (JSONL), read as untrusted data: one
 * `{custom_id, response: {status_code, body} | null, error: {code, message} | null}` per request.
 */
import { isObject } from '../../util/is-object.js';

/** One request's answer from a batch: the HTTP status and body a direct call would have got, or an error code. */
export type ResultLine =
  | { readonly customId: string; readonly status: number; readonly body: Record<string, unknown> }
  | { readonly customId: string; readonly error: { readonly code: string; readonly message: string } };

type Json = Record<string, unknown>;
const text = (value: unknown, max = 500): string => (typeof value === 'string' ? value.slice(0, max) : '');

/** One line of an output or error file, or undefined when it is not a line of that shape (it is then skipped). */
export function readResultLine(line: string): ResultLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || typeof parsed.custom_id !== 'string') return undefined;
  const customId = parsed.custom_id;
  const { response, error } = parsed;
  if (isObject(response) && Number.isSafeInteger(response.status_code) && isObject(response.body)) {
    return { customId, status: response.status_code as number, body: response.body };
  }
  if (isObject(error)) return { customId, error: { code: text(error.code, 100) || 'unknown', message: text(error.message) } };
  return undefined;
}

/**
 * Error codes of a line that say the request was never answered but may be next time: the batch
 * expired before reaching it, or the server failed or was busy. `batch_cancelled` is not among
 * them: someone cancelled the batch on purpose.
 */
const TRANSIENT_LINE_CODES = new Set(['batch_expired', 'server_error', 'rate_limit_exceeded', 'internal_error']);

/** A line that holds no usable answer: what to tell the user, and whether another batch may do better. */
export interface LineFailure {
  readonly message: string;
  readonly retryable: boolean;
  /** The request was never run (its batch was cancelled or expired first): nothing was paid for it. */
  readonly unanswered?: true;
}

/** Error codes of a line whose request was never run. */
const UNANSWERED_CODES = new Set(['batch_expired', 'batch_cancelled']);

/** The body of a line answered with HTTP 200, or why the line holds no answer. */
export function lineAnswer(line: ResultLine): { body: Json } | LineFailure {
  if ('error' in line) {
    const retryable = TRANSIENT_LINE_CODES.has(line.error.code);
    const message = `error ${line.error.code}${line.error.message ? `: ${line.error.message}` : ''}`;
    return UNANSWERED_CODES.has(line.error.code) ? { message, retryable, unanswered: true } : { message, retryable };
  }
  if (line.status === 200) return { body: line.body };
  const error = isObject(line.body.error) ? line.body.error : {};
  const detail = text(error.message);
  return {
    message: `HTTP ${line.status}${detail ? `: ${detail}` : ''}`,
    // the usual rules of a direct call: 429 and 5xx are worth another attempt
    retryable: line.status === 429 || line.status >= 500,
  };
}

/**
 * Splits a stream of bytes into lines, each at most `maxLine` characters (a longer one is dropped, and
 * the request it answers is then reported as missing): an output file of 50,000 answers is read
 * without holding it whole.
 */
export async function* streamLines(body: AsyncIterable<Uint8Array>, maxLine: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  let dropping = false;
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
      const line = pending.slice(start, end);
      start = end + 1;
      if (!dropping && line.trim() !== '') yield line;
      dropping = false;
    }
    pending = pending.slice(start);
    if (pending.length > maxLine) {
      pending = '';
      dropping = true;
    }
  }
  pending += decoder.decode();
  if (!dropping && pending.trim() !== '') yield pending;
}
