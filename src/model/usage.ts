/**
 * Tokens a model call (or a step, a leaf, a run) used, as the APIs report them, and what they cost.
 * `cached_input_tokens` are part of `input_tokens` (all three APIs count them so): the share the
 * provider read from its prompt cache, billed at the cached-input price.
 */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  /** Of `input_tokens`, those read from the provider's prompt cache; absent in records older than cost. */
  cached_input_tokens?: number;
  /**
   * US dollars (cost.ts): null when a model call in it has no price; absent where it was not
   * priced (a runner's raw count, records older than cost).
   */
  cost_usd?: number | null;
}

/** A token count as a server reported it: a whole number of at least 0, else 0 (an odd value must not make a cost NaN). */
export const tokenCount = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0);

/** Sums of dollars kept to 12 decimals: 0.1 + 0.2 is 0.3 in results.json, not 0.30000000000000004. */
export const roundUsd = (usd: number): number => Math.round(usd * 1e12) / 1e12;

/** The cost of two parts together: unknown (null) when either part is; a part not priced counts as nothing. */
function addCost(a: number | null | undefined, b: number | null | undefined): number | null | undefined {
  if (a === null || b === null) return null;
  if (a === undefined) return b;
  if (b === undefined) return a;
  return roundUsd(a + b);
}

export const addUsage = (a: Usage, b: Usage | null | undefined): Usage => {
  if (!b) return a;
  const sum: Usage = {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cached_input_tokens: (a.cached_input_tokens ?? 0) + (b.cached_input_tokens ?? 0),
  };
  const cost = addCost(a.cost_usd, b.cost_usd);
  return cost === undefined ? sum : { ...sum, cost_usd: cost };
};

export const NO_USAGE: Usage = Object.freeze({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 });

/**
 * Usage read back from a file we wrote (step.json): counts that are not whole numbers of 0 or
 * more read as 0, a cost that is not a number of 0 or more as absent (priced again). Null when
 * there is no usage object.
 */
export function usageFrom(value: unknown): Usage | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const usage: Usage = {
    input_tokens: tokenCount(raw.input_tokens),
    output_tokens: tokenCount(raw.output_tokens),
    cached_input_tokens: tokenCount(raw.cached_input_tokens),
  };
  const cost = raw.cost_usd;
  if (cost === null) usage.cost_usd = null;
  else if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) usage.cost_usd = cost;
  return usage;
}
