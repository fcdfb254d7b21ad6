import type OpenAI from 'openai';
import { APIConnectionTimeoutError } from 'openai';
import { afterDeadline, DirectResponse } from './http-body.js';
import { formatBytes } from './limits.js';
import type { ModelRequest } from './model-request.js';
import { ReplyError } from './reply.js';

/**
 * One request through the SDK, its body read here rather than by the SDK, which turns a 200 whose
 * body is not JSON into a bare SyntaxError or TypeError, and holds a reply of any size. Throws
 * what the SDK throws (an APIError for an answer that is not 2xx, APIConnectionError, an abort) or
 * what reading the body does.
 */
export async function callModel(
  client: OpenAI,
  call: ModelRequest,
  limits: { readonly timeoutMs: number; readonly maxBytes: number; readonly signal: AbortSignal | undefined },
): Promise<{ readonly body: string; readonly headers: Headers }> {
  const { timeoutMs, signal } = limits;
  const deadline = Date.now() + timeoutMs;
  const options = { signal, timeout: timeoutMs, maxRetries: 0 };
  const response =
    call.api === 'chat'
      ? await client.chat.completions.create(call.body, options).asResponse()
      : await client.responses.create(call.body, options).asResponse();
  return { body: await readBody(response, limits.maxBytes, deadline), headers: response.headers };
}

/**
 * The body of an answer as text, refused past `max` bytes (a reply over the output cap, or a
 * runaway server). The SDK's timeout ends at the headers: a server that stalls mid-body is timed
 * out here, at the same deadline, as a retryable timeout.
 */
async function readBody(response: Response, max: number, deadline: number): Promise<string> {
  const tooLarge = (): Error =>
    new ReplyError(
      `the reply is larger than the ${formatBytes(max)} a step's output may be: ask for a shorter answer, or split the task`,
      false,
    );
  // directFetch's 2xx answers: read from the socket, no web stream (http-body.ts); one its `body` was read from, through it
  if (response instanceof DirectResponse && response.unread) return response.readText({ max, deadline, tooLarge, timedOut });
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  let stopTimer = (): void => undefined;
  const timedOutAt = new Promise<never>((_, reject) => {
    stopTimer = afterDeadline(deadline, () => reject(timedOut()));
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = (await Promise.race([reader.read(), timedOutAt])) as { done: boolean; value?: Uint8Array };
      if (done || value === undefined) break;
      size += value.byteLength;
      if (size > max) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    stopTimer();
  }
  return Buffer.concat(chunks).toString('utf8');
}

const timedOut = (): Error => new APIConnectionTimeoutError();
