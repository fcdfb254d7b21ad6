import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CancelledError, StepError } from '../errors.js';
import type { RateLimiter } from './ratelimit.js';
import { directFetch } from './http-fetch.js';
import { modelRequest } from './model-request.js';
import { backoffMs, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import { timedOutMessage } from './cmd.js';
import { formatBytes, maxOutputBytes } from './limits.js';
import { acceptReply } from './accept-reply.js';
import { parseReplyBody, ReplyError } from './reply.js';
import type { StepRequest, StepResult, StepRunner } from './runner.js';

export interface OpenAIOptions {
  readonly apiKey: string;
  /** `--base-url`; when undefined the SDK reads OPENAI_BASE_URL, then uses api.openai.com. */
  readonly baseUrl: string | undefined;
  readonly retry: RetryPolicy;
  /** Shared by every model call of the run: a 429 slows them all down. */
  readonly limiter: RateLimiter;
}

interface Answer {
  /** The body of a 200 answer, parsed: not yet checked to be a whole reply. */
  readonly data: Record<string, unknown>;
  readonly headers: Headers;
}

/**
 * The body of an answer as text, refused past `max` bytes (a reply over the output cap, or a
 * runaway server). The SDK's timeout ends at the headers: a server that stalls mid-body is timed
 * out here, at the same deadline, as a retryable timeout.
 */
async function readBody(response: Response, max: number, deadline: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  let timer: NodeJS.Timeout | undefined;
  let late: NodeJS.Immediate | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    // decided after the next poll for I/O: behind a stalled loop, a body that came in time is read, not paid for twice
    timer = setTimeout(() => (late = setImmediate(() => reject(new APIConnectionTimeoutError()))), Math.max(0, deadline - Date.now()));
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = (await Promise.race([reader.read(), timedOut])) as { done: boolean; value?: Uint8Array };
      if (done || value === undefined) break;
      size += value.byteLength;
      if (size > max) {
        throw new ReplyError(
          `the reply is larger than the ${formatBytes(max)} a step's output may be: ask for a shorter answer, or split the task`,
          false,
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
    if (late !== undefined) clearImmediate(late);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** 429, 5xx, connection errors and timeouts are worth another attempt; other errors are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ReplyError) return error.retryable;
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  // the connection dropped after the headers: undici's TypeError("terminated"), which the SDK passes on unwrapped
  if (error instanceof TypeError && error.message === 'terminated') return true;
  if (error instanceof APIError && error.status !== undefined) return error.status === 429 || error.status >= 500;
  return false;
}

/** The messages of an error and its causes, "fetch failed: other side closed" (undici hides the useful one in a cause). */
export function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 5; e = e.cause) if (e.message) messages.push(e.message);
  return messages.join(': ');
}

/** Model calls through the official SDK, with its own retries off: retrying is ours. */
export class OpenAIRunner implements StepRunner {
  private readonly client: OpenAI;
  /** Read once: the environment is a C++ look-up a read, and this was one a call. */
  private readonly maxBytes = maxOutputBytes();

  constructor(private readonly options: OpenAIOptions) {
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0, fetch: directFetch() });
  }

  async run(request: StepRequest): Promise<StepResult> {
    const { retry, limiter } = this.options;
    for (let attempt = 0; ; attempt++) {
      let startedAt: number;
      try {
        startedAt = await limiter.acquire(request.signal);
      } catch {
        throw new CancelledError('interrupted');
      }
      try {
        const answer = await this.call(request);
        limiter.succeeded(answer.headers);
        return acceptReply(request, answer.data);
      } catch (error) {
        if (request.signal.aborted) throw new CancelledError('interrupted');
        const serverAsked = error instanceof APIError ? retryAfterMs(error.headers as Headers | undefined) : undefined;
        if (error instanceof APIError && error.status === 429) limiter.rateLimited(serverAsked, startedAt);
        if (!isRetryable(error) || attempt >= retry.retries) throw this.describe(error, request, attempt + 1);
        const wait = backoffMs(attempt + 1, retry, serverAsked);
        await sleep(wait, request.signal).catch(() => {
          throw new CancelledError('interrupted');
        });
      }
    }
  }

  /**
   * One request. The body is read and parsed here rather than by the SDK, which turns a 200 whose
   * body is not JSON into a bare SyntaxError or TypeError, and holds a reply of any size.
   */
  private async call(request: StepRequest): Promise<Answer> {
    const { timeoutMs, signal } = request;
    const deadline = Date.now() + timeoutMs;
    const options = { signal, timeout: timeoutMs, maxRetries: 0 };
    const call = modelRequest(request.step, request.model!, request.api, request.prompt);
    const response =
      call.api === 'chat'
        ? await this.client.chat.completions.create(call.body, options).asResponse()
        : await this.client.responses.create(call.body, options).asResponse();
    const body = await readBody(response, this.maxBytes, deadline);
    return { data: parseReplyBody(body, response.headers.get('content-type'), this.client.baseURL), headers: response.headers };
  }

  private describe(error: unknown, { api, timeoutMs }: StepRequest, attempts: number): StepError {
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
    if (error instanceof ReplyError) return new StepError(`${error.message}${tries}`, { cause: error, usage: error.usage });
    if (error instanceof APIConnectionTimeoutError)
      return new StepError(`the model call ${timedOutMessage(timeoutMs)}${tries}`, { cause: error });
    if (error instanceof APIConnectionError) {
      const cause = causes(error.cause);
      return new StepError(`could not reach the model server at ${this.client.baseURL}${cause ? `: ${cause}` : ''}${tries}`, {
        cause: error,
      });
    }
    if (error instanceof TypeError && error.message === 'terminated') {
      // undici's word for a body cut short: say what happened, and what undici saw
      return new StepError(
        `the model server at ${this.client.baseURL} closed the connection before the response was complete (${causes(error)})${tries}`,
        { cause: error },
      );
    }
    if (error instanceof APIError) {
      const status = error.status as number | undefined;
      let hint = '';
      if (status === 404) {
        hint = notFoundHint(this.client.baseURL, api);
      } else if (status === 401) {
        hint = ' — check OPENAI_API_KEY';
      }
      return new StepError(`the model call failed with HTTP ${status ?? '?'}: ${error.message}${tries}${hint}`, { cause: error });
    }
    return new StepError(`the model call failed: ${error instanceof Error ? error.message : String(error)}${tries}`, { cause: error });
  }
}

/**
 * Why a model server may answer 404, most likely first: a base URL without `/v1` (where
 * OpenAI-compatible servers answer), then a server without the Responses API.
 */
export function notFoundHint(baseUrl: string, api: string): string {
  const hints: string[] = [];
  const url = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (url !== undefined && !/(^|\/)v1(\/|$)/.test(url.pathname)) {
    const withV1 = `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1`;
    hints.push(`the base URL ${baseUrl} has no /v1 in its path, where OpenAI-compatible servers answer: try --base-url ${withV1}`);
  }
  if (api === 'responses')
    hints.push(
      `the server may not offer the Responses API at ${baseUrl}/responses; if it speaks only Chat Completions, set "api": "chat" on the step or pass --api chat`,
    );
  return hints.length === 0 ? '' : ` — ${hints.join('; or ')}`;
}
