import { DEFAULT_BATCH_TIMEOUT_S, type RunOptions } from '../engine/options.js';
import type { KeySpec } from '../flows/keys.js';
import type { BatchSettings } from '../steps/factory.js';
import { optionEntries, type OptionName, type OptionValues } from './table.js';

/** The options a run reads from the table's values (the CLI's flags or the Action's settings). */
export type RunValues = Pick<
  OptionValues,
  | 'parallel'
  | 'timeoutS'
  | 'workdir'
  | 'appendFilepath'
  | 'runId'
  | 'model'
  | 'api'
  | 'baseUrl'
  | 'offline'
  | 'retries'
  | 'tokenBudget'
  | 'maxCost'
  | 'failFast'
  | 'resume'
  | 'shard'
  | 'sandbox'
  | 'isolate'
> &
  Partial<Pick<OptionValues, 'dryRun'>> & { readonly keys: readonly KeySpec[]; readonly batch: BatchSettings | undefined };

/** Where and how this run happens: what the values do not say (each edge knows its own). */
export type RunPlace = Pick<RunOptions, 'configFile' | 'baseDir' | 'outputDir' | 'env'> & Partial<RunOptions>;

/** RunOptions from the table's values, for the CLI and the Action alike; `place` has the last word. */
export function runOptions(values: RunValues, place: RunPlace): RunOptions {
  return {
    workdir: values.workdir,
    keys: values.keys,
    parallel: values.parallel,
    timeoutS: values.timeoutS,
    appendFilepath: values.appendFilepath,
    runId: values.runId,
    model: values.model,
    api: values.api,
    baseUrl: values.baseUrl,
    offline: values.offline,
    retries: values.retries,
    codexPath: undefined,
    tokenBudget: values.tokenBudget,
    maxCost: values.maxCost,
    failFast: values.failFast,
    dryRun: values.dryRun !== undefined,
    resume: values.resume,
    shard: values.shard,
    isolate: values.isolate,
    sandbox: values.sandbox,
    batch: values.batch,
    optionNames: optionNames(),
    ...place,
  };
}

/** Every option's flag and Action input, for the config's "did you mean the option" hints. */
function optionNames(): { flag: string; input?: string }[] {
  return optionEntries().flatMap(([, spec]) =>
    spec.cli === undefined ? [] : [{ flag: spec.cli.flag.split(' ')[0]!, ...(spec.input === undefined ? {} : { input: spec.input.name }) }],
  );
}

/**
 * `batch`: openai steps go through the Batch API; the timeout, when given, bounds the wait for one
 * batch, else 24 h (the Batch API's completion window). Undefined without `batch`.
 */
export function batchSettings(
  values: Pick<OptionValues, 'batch' | 'batchCancelOnExit' | 'timeoutS'>,
  given: ReadonlySet<OptionName>,
): BatchSettings | undefined {
  if (!values.batch) return undefined;
  return { timeoutS: given.has('timeoutS') ? values.timeoutS : DEFAULT_BATCH_TIMEOUT_S, cancelOnExit: values.batchCancelOnExit };
}
