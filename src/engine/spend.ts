import type { Step } from '../config/types.js';
import { rubricStep } from '../config/checks.js';
import { stepWhere } from '../config/parse.js';
import { formatUsd, priced, priceOf, type Prices } from '../model/cost.js';
import type { StepEntry } from '../model/results.js';
import type { Usage } from '../model/usage.js';
import type { StepResult } from '../steps/runner.js';
import { modelOf, type RunOptions } from './options.js';

/** What a step's call cost: its usage priced on its model (a batch call at half price). */
export function stepUsage(
  step: Step,
  usage: Usage | null,
  prices: Prices,
  options: Pick<RunOptions, 'model' | 'env'>,
  batch = false,
): Usage | null {
  return usage === null ? null : priced(stepModel(step, options), usage, prices, { batch });
}

/** Each step's model, found once per run's options: modelOf reads the environment, slow once a step. */
const models = new WeakMap<object, Map<Step, string | undefined>>();

function stepModel(step: Step, options: Pick<RunOptions, 'model' | 'env'>): string | undefined {
  let known = models.get(options);
  if (known === undefined) models.set(options, (known = new Map<Step, string | undefined>()));
  if (!known.has(step)) known.set(step, modelOf(step, options));
  return known.get(step);
}

/**
 * A step's result priced: a record reused from an earlier attempt is priced when it was written
 * before costs were; a fresh result is priced on its model (batch prices for a batch call), and a
 * reply from the response cache gets what a call would have cost as `cached` (at batch prices when
 * the runner batches: what this run would have paid).
 */
export function pricedResult(
  step: Step,
  result: StepResult,
  how: { reused: boolean; batching: boolean },
  prices: Prices,
  options: Pick<RunOptions, 'model' | 'env'>,
): StepResult {
  if (how.reused)
    return result.usage?.cost_usd === undefined ? { ...result, usage: stepUsage(step, result.usage, prices, options) } : result;
  const fresh = { ...result, usage: stepUsage(step, result.usage, prices, options, result.batch) };
  if (result.cached === undefined) return fresh;
  return { ...fresh, cached: stepUsage(step, result.cached, prices, options, how.batching)! };
}

/** What a step's entry in the results says of how it was answered: from the cache (and what that saved), in a batch. */
export function answerMarks(result: Pick<StepResult, 'cached' | 'batchId'> | undefined): Pick<StepEntry, 'cached' | 'saved' | 'batch'> {
  return {
    ...(result?.cached !== undefined ? { cached: true as const, saved: result.cached } : {}),
    ...(result?.batchId !== undefined ? { batch: result.batchId } : {}),
  };
}

/**
 * Steps whose calls cannot be priced: one warning per model (their cost is unknown, null in
 * results.json), or, with `--max-cost`, problems (a cap that cannot count them would not hold).
 */
export function spendChecks(
  file: string,
  lists: { readonly steps: readonly Step[]; readonly after: readonly Step[] },
  options: Pick<RunOptions, 'model' | 'env' | 'offline' | 'maxCost'>,
  prices: Prices,
): { warnings: string[]; problems: string[] } {
  const unpriced = new Map<string, string[]>();
  const unnamed: string[] = [];
  for (const list of ['steps', 'after'] as const) {
    if (options.offline) break;
    for (const step of lists[list]) {
      const at = stepWhere(file, step.index, step.label, list);
      // a rubric check is an openai call of its own, on its grader's model
      for (const check of step.checks ?? []) {
        if (check.type !== 'rubric') continue;
        const model = modelOf(rubricStep(step, check, ''), options)!;
        if (priceOf(model, prices) === undefined)
          unpriced.set(model, [...(unpriced.get(model) ?? []), `${at}: check ${JSON.stringify(check.name)}`]);
      }
      if (step.kind === 'cmd') continue;
      const model = modelOf(step, options);
      if (model === undefined) unnamed.push(at);
      else if (priceOf(model, prices) === undefined) unpriced.set(model, [...(unpriced.get(model) ?? []), at]);
    }
  }
  const where = (list: string[]): string => list.join(', ');
  const lines = [...unpriced].map(
    ([model, list]) =>
      `${where(list)}: model ${JSON.stringify(model)} has no price, so its cost is unknown: add ` +
      `"prices": {${JSON.stringify(model)}: {"input": …, "cached_input": …, "output": …}} (US dollars per 1M tokens) to the config`,
  );
  // a codex step without a model is common and its cost shows as unknown (README); a cap cannot count it
  const codexDefault =
    `${where(unnamed)}: a codex step without "model" runs the model codex's own configuration picks, so its cost is unknown: ` +
    'set "model" on the step (or pass --model)';
  if (options.maxCost === undefined) return { warnings: lines, problems: [] };
  return {
    warnings: [],
    problems: [...lines, ...(unnamed.length > 0 ? [codexDefault] : [])].map(
      (line) => `--max-cost ${formatUsd(options.maxCost)} cannot count every call: ${line}`,
    ),
  };
}

/** Why no new step may start once the run used `used` (token budget, cost cap), or undefined. */
export function spendLimit(options: Pick<RunOptions, 'tokenBudget' | 'maxCost'>, used: Usage): string | undefined {
  if (options.tokenBudget !== undefined && used.input_tokens + used.output_tokens >= options.tokenBudget) return 'token budget reached';
  if (options.maxCost !== undefined && (used.cost_usd ?? 0) >= options.maxCost) return 'cost limit reached';
  return undefined;
}
