import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CancelledError, StepError } from '../errors.js';
import type { RateLimiter } from './ratelimit.js';
import { directFetch } from './http-fetch.js';
import { modelRequest } from './model-request.js';
import { backoffMs, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import { timedOutMessage } from './cmd.js';
import { maxOutputBytes } from './limits.js';
import { callModel } from './model-call.js';
import type { HeaderReader } from './ratelimit.js';
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
  readonly headers: HeaderReader;
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

/**
 * Model calls through the official SDK, with its own retries off: retrying is ours. The calls run
 * on the event loop that runs the flows: on a thread of their own each call crossed between two
 * threads twice and the flows moved between them in bursts, one thread waiting while the other
 * worked, which cost more wall time than the work it moved (docs/benchmarks.md, the engine row).
 */
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

  /** One request, its body parsed (model-call.ts reads it). */
  private async call(request: StepRequest): Promise<Answer> {
    const { timeoutMs, signal } = request;
    const call = modelRequest(request.step, request.model!, request.api, request.prompt);
    const { body, headers } = await callModel(this.client, call, { timeoutMs, maxBytes: this.maxBytes, signal });
    return { data: parseReplyBody(body, headers.get('content-type'), this.client.baseURL), headers };
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
