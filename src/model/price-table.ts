/**
 * The built-in prices: OpenAI's standard-tier list prices in US dollars per 1M tokens, the one
 * place they are kept. Update `date` and `source` with the numbers; a config's `"prices"` overrides
 * any entry (or adds a model) without waiting for a release.
 *
 * Not covered: the higher rates some models charge past 272K tokens of context (the standard rate
 * is used, so such prompts are priced low), the flex and priority tiers, and models OpenAI's page
 * no longer lists (gpt-4.x, o-series): price those in the config.
 */
export const PRICE_TABLE = {
  date: '2026-09-05',
  source:
    "https://developers.openai.com/api/docs/pricing (OpenAI's pricing page, standard tier), as transcribed on 2026-09-05 in " +
    'https://github.com/kannandreams/agent-top/blob/main/crates/agent-top-core/prices.toml; the gpt-5.4 and gpt-5.5 rows ' +
    'agree with https://benchlm.ai/blog/posts/openai-api-pricing (April 2026) and https://www.morphllm.com/openai-api-pricing (June 2026)',
  /** The Batch API bills input and output at half these prices (OpenAI's pricing page). */
  batch_discount: 0.5,
  /** `cached_input` is absent where the model offers no cached-input price: its cached tokens are billed as input. */
  models: {
    'gpt-5.6-sol': { input: 4.0, cached_input: 0.4, output: 20.0 },
    'gpt-5.6-terra': { input: 2.0, cached_input: 0.2, output: 12.0 },
    'gpt-5.6-luna': { input: 0.2, cached_input: 0.02, output: 1.2 },
    'gpt-5.5-pro': { input: 30.0, output: 180.0 },
    'gpt-5.5': { input: 5.0, cached_input: 0.5, output: 30.0 },
    'gpt-5.4-pro': { input: 30.0, output: 180.0 },
    'gpt-5.4': { input: 2.5, cached_input: 0.25, output: 15.0 },
    'gpt-5.4-mini': { input: 0.75, cached_input: 0.075, output: 4.5 },
    'gpt-5.4-nano': { input: 0.2, cached_input: 0.02, output: 1.25 },
    'gpt-5.2-pro': { input: 21.0, output: 168.0 },
    'gpt-5.2': { input: 1.75, cached_input: 0.175, output: 14.0 },
    'gpt-5.1': { input: 1.25, cached_input: 0.125, output: 10.0 },
    'gpt-5-pro': { input: 15.0, output: 120.0 },
    'gpt-5': { input: 1.25, cached_input: 0.125, output: 10.0 },
    'gpt-5-mini': { input: 0.25, cached_input: 0.025, output: 2.0 },
    'gpt-5-nano': { input: 0.05, cached_input: 0.005, output: 0.4 },
  },
} as const satisfies {
  date: string;
  source: string;
  batch_discount: number;
  models: Record<string, { input: number; cached_input?: number; output: number }>;
};
