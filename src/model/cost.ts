import { PRICE_TABLE } from './price-table.js';
import { roundUsd, type Usage } from './usage.js';

/** What a model costs, in US dollars per 1M tokens. */
export interface Price {
  readonly input: number;
  /** Cached input tokens; absent: they are billed as input. */
  readonly cached_input?: number;
  readonly output: number;
}

/** Prices by model name. */
export type Prices = Readonly<Record<string, Price>>;

export interface CostOptions {
  /** The call went through the Batch API: half price. */
  readonly batch?: boolean;
}

export const BUILT_IN_PRICES: Prices = PRICE_TABLE.models;

/** The built-in prices with a config's `"prices"` over them (an entry there replaces the built-in one whole). */
export const withOverrides = (overrides: Prices | undefined): Prices =>
  overrides === undefined ? BUILT_IN_PRICES : { ...BUILT_IN_PRICES, ...overrides };

/** A dated snapshot (`gpt-5-mini-2025-08-07`) is priced as its model when it has no price of its own. */
const SNAPSHOT = /^(.+)-\d{4}-\d{2}-\d{2}$/;

/** The price of `model`: its own entry, else that of the model a dated snapshot belongs to. */
export function priceOf(model: string | undefined, prices: Prices): Price | undefined {
  if (model === undefined) return undefined;
  if (Object.hasOwn(prices, model)) return prices[model];
  const base = SNAPSHOT.exec(model)?.[1];
  return base !== undefined && Object.hasOwn(prices, base) ? prices[base] : undefined;
}

/**
 * What `usage` cost on `model`, in US dollars: uncached input, cached input and output tokens times
 * their prices (halved for a batch call). Null when the model has no price, unless nothing was
 * used: no tokens cost nothing whatever the model.
 */
export function costOf(model: string | undefined, usage: Usage, prices: Prices, options: CostOptions = {}): number | null {
  const cached = Math.min(usage.cached_input_tokens ?? 0, usage.input_tokens);
  if (usage.input_tokens === 0 && usage.output_tokens === 0) return 0;
  const price = priceOf(model, prices);
  if (price === undefined) return null;
  const perMillion =
    (usage.input_tokens - cached) * price.input + cached * (price.cached_input ?? price.input) + usage.output_tokens * price.output;
  const discount = options.batch === true ? PRICE_TABLE.batch_discount : 1;
  return roundUsd((perMillion / 1_000_000) * discount);
}

/** `usage` with its cost filled in. */
export const priced = (model: string | undefined, usage: Usage, prices: Prices, options: CostOptions = {}): Usage => ({
  ...usage,
  cached_input_tokens: usage.cached_input_tokens ?? 0,
  cost_usd: costOf(model, usage, prices, options),
});

/**
 * A dollar amount as a user writes one (`5`, `0.50`, `$12`): a finite number above 0, else
 * undefined. `--max-cost` and the Action's `max-cost` read it so.
 */
export function parseUsd(text: string): number | undefined {
  const match = /^\s*\$?\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.exec(text);
  const usd = match === null ? NaN : Number(match[1]);
  return Number.isFinite(usd) && usd > 0 ? usd : undefined;
}

/** Dollars for machines (the Action's `cost-usd` output): plain decimals, never `7.5e-7`; '' when unknown. */
export function usdDecimal(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return '';
  return usd.toFixed(12).replace(/\.?0+$/, '');
}

/** Dollars for people: `$0.0123`, `$12.35`; small sums keep 4 decimals so a cheap run does not read $0.00. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'unknown';
  if (usd === 0) return '$0';
  if (usd < 1) return `$${usd.toFixed(4)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
