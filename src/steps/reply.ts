import { StepError } from '../errors.js';
import { tokenCount, type Usage } from '../model/usage.js';
import { isObject } from '../util/is-object.js';

/**
 * A model server answered (HTTP 200) but not with a whole answer: a reply cut short, refused,
 * filtered, failed or empty, or a body that is not a reply at all. `retryable` is true only when
 * the server says the cause is on its side and passing (a failed response with `server_error` or
 * `rate_limit_exceeded`); asking again for a reply cut at its token limit or stopped by the
 * content filter would pay for the same result again.
 */
export class ReplyError extends StepError {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** What the text of the reply held, when any: kept in output.txt for a look. */
    readonly partial: string = '',
    usage: Usage | null = null,
  ) {
    super(message, { usage });
    this.name = 'ReplyError';
  }
}

export interface Reply {
  readonly output: string;
  readonly usage: Usage | null;
}

/** Error codes of a failed response that say the server may do better next time. */
const TRANSIENT_CODES = new Set(['server_error', 'rate_limit_exceeded']);

const quote = (text: string, max = 200): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

type Json = Record<string, unknown>;

/** The parsed JSON body of a 200 answer; a body that is not a JSON object is an error naming what came instead. */
export function parseReplyBody(body: string, contentType: string | null, server: string): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed)) return parsed;
  const what = body.trim() === '' ? 'an empty body' : `a body that is not a JSON object: ${quote(body.trim())}`;
  throw new ReplyError(
    `the model server at ${server} answered HTTP 200 (content-type ${contentType ?? 'none'}) with ${what} — ` +
      'check that --base-url or OPENAI_BASE_URL points at an OpenAI-compatible API (its URL usually ends in /v1)',
    false,
  );
}

function why(reason: unknown): string {
  if (reason === 'max_output_tokens' || reason === 'length')
    return 'the model reached its output token limit: ask for a shorter answer or split the task';
  if (reason === 'content_filter') return "the provider's content filter stopped it";
  return 'the server gave no more detail';
}

/**
 * Usage as the Responses API (`input_tokens`, `input_tokens_details.cached_tokens`) or Chat
 * Completions (`prompt_tokens`, `prompt_tokens_details.cached_tokens`) reports it; cached tokens
 * are part of the input tokens, and never more than them.
 */
function readUsage(usage: unknown, input: 'input_tokens' | 'prompt_tokens', output: 'output_tokens' | 'completion_tokens'): Usage | null {
  if (!isObject(usage)) return null;
  const details = usage[input === 'input_tokens' ? 'input_tokens_details' : 'prompt_tokens_details'];
  const inputTokens = tokenCount(usage[input]);
  return {
    input_tokens: inputTokens,
    output_tokens: tokenCount(usage[output]),
    cached_input_tokens: Math.min(inputTokens, isObject(details) ? tokenCount(details.cached_tokens) : 0),
  };
}

/** The text of a Responses API reply, or the error saying why there is none. */
export function readResponsesReply(data: Json): Reply {
  const usage = readUsage(data.usage, 'input_tokens', 'output_tokens');
  const texts: string[] = [];
  const refusals: string[] = [];
  for (const item of Array.isArray(data.output) ? data.output : []) {
    if (!isObject(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (isObject(part) && part.type === 'output_text' && typeof part.text === 'string') texts.push(part.text);
      if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') refusals.push(part.refusal);
    }
  }
  // servers that fill in the SDK's convenience field instead of `output`
  const output = texts.length > 0 ? texts.join('') : typeof data.output_text === 'string' ? data.output_text : '';
  const status = data.status;
  if (status === 'failed') {
    const error = isObject(data.error) ? data.error : {};
    const code = typeof error.code === 'string' ? error.code : undefined;
    const detail = [code, typeof error.message === 'string' ? error.message : undefined].filter(Boolean).join(': ');
    throw new ReplyError(
      `the model server reported the response as failed (status "failed"${detail ? `, error ${detail}` : ''})`,
      code !== undefined && TRANSIENT_CODES.has(code),
      output,
      usage,
    );
  }
  if (status === 'incomplete') {
    const reason = isObject(data.incomplete_details) ? data.incomplete_details.reason : undefined;
    const shown = typeof reason === 'string' ? `, reason "${reason}"` : '';
    throw new ReplyError(`the reply was cut short (status "incomplete"${shown}): ${why(reason)}`, false, output, usage);
  }
  if (status !== undefined && status !== 'completed') {
    throw new ReplyError(`the reply is not complete (status ${JSON.stringify(status)}, expected "completed")`, false, output, usage);
  }
  if (output === '' && refusals.length > 0) throw new ReplyError(`the model refused: ${quote(refusals.join(' '))}`, false, '', usage);
  if (output === '') throw new ReplyError('the reply holds no text (an empty output): nothing to pass on', false, '', usage);
  return { output, usage };
}

/** The text of a Chat Completions reply, or the error saying why there is none. */
export function readChatReply(data: Json): Reply {
  const usage = readUsage(data.usage, 'prompt_tokens', 'completion_tokens');
  const choice = Array.isArray(data.choices) && isObject(data.choices[0]) ? data.choices[0] : undefined;
  if (choice === undefined) throw new ReplyError('the reply holds no choices: nothing to pass on', false, '', usage);
  const message = isObject(choice.message) ? choice.message : {};
  const output = typeof message.content === 'string' ? message.content : '';
  const finish = choice.finish_reason;
  if (finish === 'length' || finish === 'content_filter') {
    throw new ReplyError(`the reply was cut short (finish_reason "${finish}"): ${why(finish)}`, false, output, usage);
  }
  if (output === '' && typeof message.refusal === 'string' && message.refusal !== '') {
    throw new ReplyError(`the model refused: ${quote(message.refusal)}`, false, '', usage);
  }
  if (output === '' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    throw new ReplyError(
      'the model asked to call a tool instead of answering (no tools were offered): nothing to pass on',
      false,
      '',
      usage,
    );
  }
  if (output === '') {
    const content = message.content === null ? 'null' : message.content === undefined ? 'missing' : 'empty';
    throw new ReplyError(`the reply holds no text (message content ${content}): nothing to pass on`, false, '', usage);
  }
  return { output, usage };
}
