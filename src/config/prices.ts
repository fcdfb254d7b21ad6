import type { Price, Prices } from '../model/cost.js';
import { isObject } from '../util/is-object.js';

const PRICE_FIELDS = ['input', 'cached_input', 'output'] as const;
const EXAMPLE = '{"input": 1.25, "cached_input": 0.125, "output": 10}';

/** Most a price may be (USD per 1M tokens): far above any model's, low enough that a typo in the thousands is caught. */
export const MAX_PRICE = 10_000;

/**
 * The config's `"prices"`: `{"<model>": {"input": 1.25, "cached_input": 0.125, "output": 10}}`, US
 * dollars per 1M tokens, each entry replacing the built-in price of that model. `cached_input` is
 * optional (cached tokens are then billed as input). Problems are added to `problems`.
 */
export function parsePrices(value: unknown, file: string, problems: string[]): Prices | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.push(`${file}: field "prices" must be an object of model names to prices, like {"gpt-5-mini": ${EXAMPLE}}`);
    return undefined;
  }
  const prices: Record<string, Price> = {};
  for (const [model, raw] of Object.entries(value)) {
    if (model.startsWith('_')) continue; // a comment, as elsewhere in the config
    const where = `${file}: prices[${JSON.stringify(model)}]`;
    if (model.trim() === '') {
      problems.push(`${file}: field "prices" has an empty model name: name the model as steps do ("gpt-5-mini")`);
      continue;
    }
    if (!isObject(raw)) {
      problems.push(`${where} must be an object like ${EXAMPLE} (US dollars per 1M tokens)`);
      continue;
    }
    let ok = true;
    for (const key of Object.keys(raw)) {
      if (!(PRICE_FIELDS as readonly string[]).includes(key)) {
        problems.push(`${where}: unknown field "${key}" (a price has "input", "cached_input" and "output", in US dollars per 1M tokens)`);
        ok = false;
      }
    }
    for (const field of PRICE_FIELDS) {
      const price = raw[field];
      if (price === undefined && field === 'cached_input') continue;
      if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > MAX_PRICE) {
        const got = price === undefined ? 'it is missing' : `got ${JSON.stringify(price)}`;
        problems.push(`${where}: field "${field}" must be a number of US dollars per 1M tokens, from 0 to ${MAX_PRICE}; ${got}`);
        ok = false;
      }
    }
    if (!ok) continue;
    const { input, cached_input, output } = raw as { input: number; cached_input?: number; output: number };
    prices[model] = cached_input === undefined ? { input, output } : { input, cached_input, output };
  }
  return prices;
}
