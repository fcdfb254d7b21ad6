import { parseConfig } from '../../src/config/parse.js';
import { BUILT_IN_PRICES, costOf, formatUsd, priceOf, withOverrides, type Prices } from '../../src/model/cost.js';
import { PRICE_TABLE } from '../../src/model/price-table.js';
import { addUsage, NO_USAGE, usageFrom, type Usage } from '../../src/model/usage.js';
import { parseLeafEntry } from '../../src/results/validate.js';
import { totalsLine } from '../../src/report/summary.js';
import { renderHtml } from '../../src/report/html.js';
import { spendChecks } from '../../src/engine/spend.js';
import { readChatReply, readResponsesReply } from '../../src/steps/reply.js';
import { CodexEvents } from '../../src/steps/codex.js';

const PRICES: Prices = { m: { input: 2, cached_input: 0.5, output: 8 }, plain: { input: 3, output: 6 } };

describe('costOf', () => {
  test('is uncached input, cached input and output tokens times their prices per 1M', () => {
    const usage = { input_tokens: 1_000_000, cached_input_tokens: 400_000, output_tokens: 250_000 };
    // 600k uncached × $2 + 400k cached × $0.5 + 250k × $8
    expect(costOf('m', usage, PRICES)).toBe(1.2 + 0.2 + 2);
  });

  test('a batch call costs half', () => {
    const usage = { input_tokens: 1_000_000, cached_input_tokens: 400_000, output_tokens: 250_000 };
    expect(costOf('m', usage, PRICES, { batch: true })).toBe(1.7);
    expect(PRICE_TABLE.batch_discount).toBe(0.5);
  });

  test('cached tokens of a model without a cached price are billed as input', () => {
    expect(costOf('plain', { input_tokens: 1000, cached_input_tokens: 1000, output_tokens: 0 }, PRICES)).toBe(0.003);
  });

  test('cached tokens beyond the input tokens (a server miscounting) never make a cost below the cached price', () => {
    expect(costOf('m', { input_tokens: 100, cached_input_tokens: 500, output_tokens: 0 }, PRICES)).toBe(0.00005);
  });

  test('a model without a price costs null, unless it used nothing', () => {
    expect(costOf('unknown-model', { input_tokens: 1, output_tokens: 0 }, PRICES)).toBeNull();
    expect(costOf(undefined, { input_tokens: 0, output_tokens: 1 }, PRICES)).toBeNull();
    expect(costOf('unknown-model', { input_tokens: 0, output_tokens: 0 }, PRICES)).toBe(0);
  });

  test('a dated snapshot is priced as its model, unless it has a price of its own', () => {
    expect(priceOf('m-2026-01-31', PRICES)).toBe(PRICES.m);
    expect(priceOf('m-2026-01-31', { ...PRICES, 'm-2026-01-31': { input: 9, output: 9 } })).toEqual({ input: 9, output: 9 });
    expect(priceOf('m-mini', PRICES)).toBeUndefined();
    expect(priceOf('toString', PRICES)).toBeUndefined();
  });

  test('the built-in table prices the default model, and has a date and a source', () => {
    expect(PRICE_TABLE.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICE_TABLE.source).toContain('https://developers.openai.com/api/docs/pricing');
    // gpt-5-mini (the default model): $0.25 in, $0.025 cached, $2 out
    expect(
      costOf('gpt-5-mini', { input_tokens: 2_000_000, cached_input_tokens: 1_000_000, output_tokens: 1_000_000 }, BUILT_IN_PRICES),
    ).toBe(0.25 + 0.025 + 2);
    for (const price of Object.values(BUILT_IN_PRICES)) {
      expect(price.output).toBeGreaterThanOrEqual(price.input);
      expect(price.cached_input ?? price.input).toBeLessThanOrEqual(price.input);
    }
  });

  test("a config's prices replace a built-in entry whole and add new models", () => {
    const prices = withOverrides({ 'gpt-5-mini': { input: 1, output: 1 }, mine: { input: 5, output: 5 } });
    expect(prices['gpt-5-mini']).toEqual({ input: 1, output: 1 });
    expect(prices.mine).toEqual({ input: 5, output: 5 });
    expect(prices['gpt-5']).toBe(BUILT_IN_PRICES['gpt-5']);
  });
});

describe('usage sums', () => {
  test('add tokens and dollars; an unknown cost makes the sum unknown', () => {
    const a = { input_tokens: 1, cached_input_tokens: 1, output_tokens: 2, cost_usd: 0.1 };
    const b = { input_tokens: 3, cached_input_tokens: 0, output_tokens: 4, cost_usd: 0.2 };
    expect(addUsage(a, b)).toEqual({ input_tokens: 4, cached_input_tokens: 1, output_tokens: 6, cost_usd: 0.3 });
    expect(addUsage(addUsage(NO_USAGE, a), { ...b, cost_usd: null }).cost_usd).toBeNull();
    expect(addUsage(NO_USAGE, null)).toBe(NO_USAGE);
  });

  test('formatUsd keeps small sums readable', () => {
    expect(formatUsd(0.001234)).toBe('$0.0012');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(null)).toBe('unknown');
  });
});

describe('cached input tokens as each API reports them', () => {
  const text = [{ type: 'message', content: [{ type: 'output_text', text: 'hi' }] }];

  test('Responses: input_tokens_details.cached_tokens', () => {
    const reply = readResponsesReply({
      status: 'completed',
      output: text,
      usage: { input_tokens: 100, output_tokens: 7, input_tokens_details: { cached_tokens: 60 } },
    });
    expect(reply.usage).toEqual({ input_tokens: 100, output_tokens: 7, cached_input_tokens: 60 });
  });

  test('Chat Completions: prompt_tokens_details.cached_tokens', () => {
    const reply = readChatReply({
      choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 50, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 20 } },
    });
    expect(reply.usage).toEqual({ input_tokens: 50, output_tokens: 5, cached_input_tokens: 20 });
  });

  test('odd counts from a server are 0, not NaN', () => {
    const reply = readChatReply({
      choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: -3, completion_tokens: 'many', prompt_tokens_details: { cached_tokens: 1.5 } },
    });
    expect(reply.usage).toEqual({ input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 });
  });

  test('codex: cached_input_tokens of every turn.completed', () => {
    const events = new CodexEvents();
    events.line(JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 1000, cached_input_tokens: 800, output_tokens: 10 } }));
    events.line(JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 500, cached_input_tokens: 100, output_tokens: 5 } }));
    expect(events.usage).toMatchObject({ input_tokens: 1500, cached_input_tokens: 900, output_tokens: 15 });
  });
});

describe('config "prices"', () => {
  const config = (prices: unknown) => JSON.stringify({ prices, steps: [{ type: 'openai', prompt: 'x' }] });

  test('are parsed, cached_input optional', () => {
    const parsed = parseConfig(config({ m: { input: 1.25, cached_input: 0.125, output: 10 }, n: { input: 1, output: 2 } }), 'c.json');
    expect(parsed.prices).toEqual({ m: { input: 1.25, cached_input: 0.125, output: 10 }, n: { input: 1, output: 2 } });
  });

  test('do not change the config hash (--resume reuses steps when only prices change)', () => {
    const a = parseConfig(config({ m: { input: 1, output: 2 } }), 'c.json');
    const b = parseConfig(config({ m: { input: 3, output: 4 } }), 'c.json');
    expect(a.hash).toBe(b.hash);
  });

  test('bad prices are refused naming the model, the field and the fix', () => {
    expect(() => parseConfig(config({ m: { input: -1, output: 2 } }), 'c.json')).toThrow(
      'c.json: prices["m"]: field "input" must be a number of US dollars per 1M tokens, from 0 to 10000; got -1',
    );
    expect(() => parseConfig(config({ m: { input: 1 } }), 'c.json')).toThrow('field "output" must be a number');
    expect(() => parseConfig(config({ m: { input: 1, output: 2, cache_input: 1 } }), 'c.json')).toThrow('unknown field "cache_input"');
  });
});

describe('dollars in the job summary, the PR comment and report (their totals line)', () => {
  const totals = (usage: Usage) => ({ flows_total: 2, total: 2, succeeded: 2, failed: 0, cancelled: 0, usage });

  test('the run cost, "unknown" when a model had no price, nothing for results written before costs', () => {
    expect(totalsLine(totals({ input_tokens: 10, output_tokens: 5, cost_usd: 1.5 }), undefined)).toContain(
      'tokens 10 in / 5 out · cost $1.50',
    );
    expect(totalsLine(totals({ input_tokens: 10, output_tokens: 5, cost_usd: null }), undefined)).toContain('cost unknown');
    expect(totalsLine(totals({ input_tokens: 10, output_tokens: 5 }), undefined)).not.toContain('cost');
  });
});

describe('costs read back from results are data', () => {
  const entry = (usage: unknown): unknown => ({
    id: 'flow_0001',
    branch: [],
    keys: {},
    status: 'succeeded',
    output: 'out',
    final_message: null,
    error: null,
    duration_ms: 5,
    usage,
    steps: [{ name: 'a', type: 'openai', status: 'succeeded', duration_ms: 1, usage, dir: 'flow_0001/01_a' }],
  });
  const where = { id: 'flow_0001', branch: [] };

  test('cached tokens and a cost (or null) are kept; results written before costs still read', () => {
    const priced = { input_tokens: 10, cached_input_tokens: 4, output_tokens: 2, cost_usd: 0.5 };
    expect(parseLeafEntry(entry(priced), 'r.json', where).usage).toEqual(priced);
    expect(parseLeafEntry(entry({ ...priced, cost_usd: null }), 'r.json', where).usage.cost_usd).toBeNull();
    expect(parseLeafEntry(entry({ input_tokens: 1, output_tokens: 2 }), 'r.json', where).usage).toEqual({
      input_tokens: 1,
      output_tokens: 2,
    });
  });

  test.each([
    ['a negative cost', { input_tokens: 1, output_tokens: 2, cost_usd: -1 }, /usage.cost_usd/],
    ['a cost as text', { input_tokens: 1, output_tokens: 2, cost_usd: '$1' }, /usage.cost_usd/],
    ['cached tokens as text', { input_tokens: 1, output_tokens: 2, cached_input_tokens: 'all' }, /usage.cached_input_tokens/],
  ])('%s is refused naming the field', (_what, usage, field) => {
    expect(() => parseLeafEntry(entry(usage), 'r.json', where)).toThrow(field);
  });

  test('step.json usage read back for --resume: odd values are 0 or dropped (priced again), never NaN', () => {
    expect(usageFrom({ input_tokens: 5, output_tokens: 'x', cached_input_tokens: -2, cost_usd: 'free' })).toEqual({
      input_tokens: 5,
      output_tokens: 0,
      cached_input_tokens: 0,
    });
    expect(usageFrom({ input_tokens: 5, output_tokens: 1, cost_usd: null })?.cost_usd).toBeNull();
    expect(usageFrom('nothing')).toBeNull();
  });
});

test("report.html shows the run's cost: the totals', not the leaves' summed (a step shared by branches is paid once)", () => {
  const shared = { name: 'list', type: 'openai', status: 'succeeded' as const, duration_ms: 1, dir: 'flow_0001/01_list' };
  const usage = { input_tokens: 10, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0.5 };
  const leaf = (b: number) => ({
    id: 'flow_0001',
    branch: [b],
    keys: {},
    status: 'succeeded' as const,
    output: 'o',
    final_message: null,
    error: null,
    duration_ms: 1,
    usage,
    steps: [{ ...shared, usage }],
  });
  const totals = { flows_total: 1, total: 2, succeeded: 2, failed: 0, cancelled: 0, usage };
  const html = renderHtml({ title: 't', totals, durationMs: 1, leaves: [leaf(1), leaf(2)], load: () => undefined });
  const summary = JSON.parse(/id="summary">(.*?)<\/script>/.exec(html)![1]!);
  expect(summary.cost_usd).toBe(0.5);
  const unknown = renderHtml({
    title: 't',
    totals: { ...totals, usage: { ...usage, cost_usd: null } },
    durationMs: 1,
    leaves: [],
    load: () => undefined,
  });
  expect(JSON.parse(/id="summary">(.*?)<\/script>/.exec(unknown)![1]!).cost_usd).toBeNull();
});

describe('spendChecks: which steps cannot be priced', () => {
  const config = parseConfig(
    JSON.stringify({
      steps: [
        { type: 'openai', name: 'a', prompt: 'x', model: 'mystery' },
        { type: 'codex', name: 'b', prompt: 'x' },
        { type: 'openai', name: 'c', prompt: 'x' },
      ],
      after: [{ type: 'openai', name: 'sum', prompt: 'x', model: 'mystery' }],
    }),
    'c.json',
  );
  const lists = { steps: config.steps, after: config.after };
  const options = { model: undefined, env: {}, offline: false };

  test('one warning per unpriced model naming its steps (after steps as such); codex without a model is not warned about', () => {
    expect(spendChecks('c.json', lists, options, BUILT_IN_PRICES)).toEqual({
      warnings: [
        'c.json: step 1 ("a"), c.json: after step 1 ("sum"): model "mystery" has no price, so its cost is unknown: add ' +
          '"prices": {"mystery": {"input": …, "cached_input": …, "output": …}} (US dollars per 1M tokens) to the config',
      ],
      problems: [],
    });
    expect(spendChecks('c.json', lists, options, withOverrides({ mystery: { input: 1, output: 1 } })).warnings).toEqual([]);
    expect(spendChecks('c.json', lists, { ...options, offline: true }, BUILT_IN_PRICES).warnings).toEqual([]);
  });

  test('with --max-cost they are problems, the codex step too', () => {
    const { warnings, problems } = spendChecks('c.json', lists, { ...options, maxCost: 2 }, BUILT_IN_PRICES);
    expect(warnings).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toBe(
      '--max-cost $2.00 cannot count every call: c.json: step 2 ("b"): a codex step without "model" runs the model ' +
        'codex\'s own configuration picks, so its cost is unknown: set "model" on the step (or pass --model)',
    );
    // --model names it: priced
    expect(
      spendChecks('c.json', { steps: [config.steps[1]!], after: [] }, { ...options, model: 'gpt-5.4', maxCost: 2 }, BUILT_IN_PRICES)
        .problems,
    ).toEqual([]);
  });
});
