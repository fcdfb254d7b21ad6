import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import type { Api, Step } from '../config/types.js';
import { ARRAY_OUTPUT_NAME, ARRAY_OUTPUT_SCHEMA } from './schema.js';

/**
 * The body of one model call, exactly as it is sent. The response cache keys on it (cache/key.ts),
 * so whatever is added to a request later (a temperature, reasoning effort, instructions) changes
 * the key without anyone having to remember to add it there too.
 */
export type ModelRequest =
  | { readonly api: 'responses'; readonly body: ResponseCreateParamsNonStreaming }
  | { readonly api: 'chat'; readonly body: ChatCompletionCreateParamsNonStreaming };

/** The request an openai step makes: an array step holds the model to an array with structured output. */
export function modelRequest(step: Pick<Step, 'array'>, model: string, api: Api, prompt: string): ModelRequest {
  const schema = { name: ARRAY_OUTPUT_NAME, schema: ARRAY_OUTPUT_SCHEMA as unknown as Record<string, unknown>, strict: true };
  if (api === 'chat') {
    return {
      api,
      body: {
        model,
        messages: [{ role: 'user', content: prompt }],
        ...(step.array ? { response_format: { type: 'json_schema' as const, json_schema: schema } } : {}),
      },
    };
  }
  return { api, body: { model, input: prompt, ...(step.array ? { text: { format: { type: 'json_schema' as const, ...schema } } } : {}) } };
}
