/**
 * The structured output asked of an `array: true` model or codex step. OpenAI's structured outputs
 * need an object at the root, so the array is wrapped as {"items": [...]}; the engine unwraps it.
 */
export const ARRAY_OUTPUT_SCHEMA = {
  type: 'object',
  properties: { items: { type: 'array', items: { type: 'string' } } },
  required: ['items'],
  additionalProperties: false,
} as const;

export const ARRAY_OUTPUT_NAME = 'array_output';
