import { join } from 'node:path';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { CancelledError, StepError } from '../errors.js';
import type { RateLimiter } from '../engine/ratelimit.js';
import { ARRAY_OUTPUT_NAME, ARRAY_OUTPUT_SCHEMA } from './schema.js';
import { backoffMs, retryAfterMs, sleep, type RetryPolicy } from '../engine/retry.js';
import { timedOutMessage } from './cmd.js';
import type { StepRequest, StepResult, StepRunner, Usage } from './runner.js';

export interface OpenAIOptions {
  readonly apiKey: string;
  /** `--base-url`; when undefined the SDK reads OPENAI_BASE_URL, then uses api.openai.com. */
  readonly baseUrl: string | undefined;
  readonly retry: RetryPolicy;
  /** Shared by every model call of the run: a 429 slows them all down. */
  readonly limiter: RateLimiter;
}

interface Answer {
  readonly output: string;
  readonly usage: Usage | null;
  readonly raw: unknown;
  readonly headers: Headers;
}

/** 429, 5xx, connection errors and timeouts are worth another attempt; other errors are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  // the connection dropped after the headers: undici's TypeError("terminated"), which the SDK passes on unwrapped
  if (error instanceof TypeError && error.message === 'terminated') return true;
  if (error instanceof APIError && error.status !== undefined) return error.status === 429 || error.status >= 500;
  return false;
}

/** The messages of an error and its causes, "fetch failed: other side closed" (undici hides the useful one in a cause). */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 5; e = e.cause) if (e.message) messages.push(e.message);
  return messages.join(': ');
}

/** Model calls through the official SDK, with its own retries off: retrying is ours. */
export class OpenAIRunner implements StepRunner {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIOptions) {
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0 });
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
        request.files.write(join(request.dir, 'output.txt'), answer.output);
        request.files.write(join(request.dir, 'response.json'), JSON.stringify(answer.raw, null, 2) + '\n');
        return { output: request.files.redactor.redact(answer.output), usage: answer.usage };
      } catch (error) {
        if (request.signal.aborted) throw new CancelledError('interrupted');
        const serverAsked = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
        if (error instanceof APIError && error.status === 429) limiter.rateLimited(serverAsked, startedAt);
        if (!isRetryable(error) || attempt >= retry.retries) throw this.describe(error, request, attempt + 1);
        const wait = backoffMs(attempt + 1, retry, serverAsked);
        await sleep(wait, request.signal).catch(() => {
          throw new CancelledError('interrupted');
        });
      }
    }
  }

  private async call({ step, prompt, model, api, timeoutMs, signal }: StepRequest): Promise<Answer> {
    const options = { signal, timeout: timeoutMs, maxRetries: 0 };
    // an array step holds the model to an array with structured output
    const schema = { name: ARRAY_OUTPUT_NAME, schema: ARRAY_OUTPUT_SCHEMA as unknown as Record<string, unknown>, strict: true };
    if (api === 'chat') {
      const { data, response } = await this.client.chat.completions
        .create(
          {
            model: model!,
            messages: [{ role: 'user', content: prompt }],
            ...(step.array ? { response_format: { type: 'json_schema' as const, json_schema: schema } } : {}),
          },
          options,
        )
        .withResponse();
      return {
        output: data.choices[0]?.message?.content ?? '',
        usage: data.usage ? { input_tokens: data.usage.prompt_tokens, output_tokens: data.usage.completion_tokens } : null,
        raw: data,
        headers: response.headers,
      };
    }
    const { data, response } = await this.client.responses
      .create(
        { model: model!, input: prompt, ...(step.array ? { text: { format: { type: 'json_schema' as const, ...schema } } } : {}) },
        options,
      )
      .withResponse();
    return {
      output: data.output_text ?? '',
      usage: data.usage ? { input_tokens: data.usage.input_tokens, output_tokens: data.usage.output_tokens } : null,
      raw: data,
      headers: response.headers,
    };
  }

  private describe(error: unknown, { api, timeoutMs }: StepRequest, attempts: number): StepError {
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
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
      const status = error.status;
      let hint = '';
      if (status === 404 && api === 'responses') {
        hint = ` — the server may not offer the Responses API at ${this.client.baseURL}/responses; if it speaks only Chat Completions, set "api": "chat" on the step or pass --api chat`;
      } else if (status === 401) {
        hint = ' — check OPENAI_API_KEY';
      }
      return new StepError(`the model call failed with HTTP ${status ?? '?'}: ${error.message}${tries}${hint}`, { cause: error });
    }
    return new StepError(`the model call failed: ${error instanceof Error ? error.message : String(error)}${tries}`, { cause: error });
  }
}
