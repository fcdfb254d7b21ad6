import { join, resolve } from 'node:path';
import { parseConfigLenient, type ConfigHints } from '../config/parse.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import { FlowSpace, type KeyList } from '../flows/flows.js';
import { hashKeyLists, readKeyLists, type KeySpec } from '../flows/keys.js';
import { shardRange } from '../flows/shards.js';
import type { CompiledCommand } from '../prompt/command.js';
import { findPlaceholders, nearPlaceholders, unknownPlaceholderFields } from '../prompt/placeholders.js';
import type { Shard } from '../model/results.js';
import { inputFileMessage, tryReadInputFile, type InputRules } from '../util/input-file.js';
import type { RunOptions } from './options.js';
import { spendChecks } from './spend.js';
import { checkRunDir, checkSameRun, checkShard, checkWorkdir, findCredentials, outputDirProblem, type Found } from './run-checks.js';
import { withOverrides, type Prices } from '../model/cost.js';
import { loadStepSources, noPlaceholders, type StepSources } from './step-sources.js';

export type { StepSources } from './step-sources.js';

/** A validated run, ready to execute: nothing has been written yet. */
export interface PreparedRun {
  readonly options: RunOptions;
  readonly config: Config;
  readonly space: FlowSpace;
  readonly keysHash: string;
  readonly runId: string;
  readonly runDir: string;
  readonly workdir: string;
  readonly shard: Shard;
  /** Flow indexes [from, to) this process runs. */
  readonly range: { readonly from: number; readonly to: number };
  /** Prompt templates of steps whose prompt file path has no placeholder, read once. */
  readonly templates: ReadonlyMap<number, string>;
  readonly commands: ReadonlyMap<number, CompiledCommand>;
  /** The after steps' templates and commands; they run in this process unless it is one shard of several. */
  readonly after: StepSources;
  /** The text the run directory keeps as config.json. */
  readonly configCopy: string;
  readonly apiKey: string | undefined;
  /** The codex binary, when the run has codex steps and calls out. */
  readonly codexPath: string | undefined;
  /** The built-in prices with the config's `"prices"` over them. */
  readonly prices: Prices;
  readonly warnings: readonly string[];
}

/** The config and key lists, checked against each other and the file system. */
export interface Definition {
  readonly config: Config;
  readonly keyLists: readonly KeyList[];
  readonly templates: ReadonlyMap<number, string>;
  readonly commands: ReadonlyMap<number, CompiledCommand>;
  /** The same for the config's after steps (numbered in their own list). */
  readonly after: StepSources;
  /**
   * What the run directory keeps as config.json: the config file's text as it is, a record of what
   * ran (report never runs it: it compares it with the config it is given).
   */
  readonly copy: string;
  /** Problems found that do not stop the other checks; the caller throws them with its own. */
  readonly problems: string[];
  readonly warnings: string[];
}

/**
 * Reads the config and the key files and checks that they fit: every placeholder has a key, every
 * prompt file can be read. Throws at once only when the config or key files themselves are broken.
 */
export function loadDefinition(
  configFile: string,
  keys: readonly KeySpec[],
  base: string,
  rules: Pick<InputRules, 'confineTo'> = {},
  hints: ConfigHints = {},
): Definition {
  const configRead = tryReadInputFile(resolve(base, configFile), { ...rules, pipes: true });
  if ('problem' in configRead) throw new UsageError(inputFileMessage('the config file', configFile, configRead.problem));
  const configText = configRead.bytes.toString('utf8');
  let config: Config | undefined;
  let keyLists: KeyList[] = [];
  const early: string[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const load of [
    () => {
      const parsed = parseConfigLenient(configText, configFile, hints);
      config = parsed.config;
      problems.push(...parsed.problems);
    },
    () => (keyLists = readKeyLists(keys, base, { ...rules, warnings })),
  ]) {
    try {
      load();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      early.push(...error.problems);
    }
  }
  if (config === undefined) throw new UsageError([...problems, ...early]);
  // a broken key file must not hide the other problems: placeholders are checked against the names given
  problems.push(...early);
  const keyNames = new Set(keys.map((k) => k.name));
  const valueNames = new Set(keys.filter((k) => k.kind === 'values').map((k) => k.name));

  const used = new Set<string>();
  const requireKeys = (text: string, where: string, what: string): void => {
    const reported = new Set<string>();
    for (const { name, field, text: written } of findPlaceholders(text)) {
      used.add(name);
      if (reported.has(written)) continue;
      if (!keyNames.has(name)) {
        reported.add(written);
        problems.push(`${where}: ${written} in ${what} has no key: add --key ${name}:FILE (or --values ${name}:FILE)`);
      } else if (field === 'path' && valueNames.has(name)) {
        reported.add(written);
        problems.push(
          `${where}: ${written} in ${what}: --values ${name} lists values, not files, so there is no path: write {{{${name}}}}`,
        );
      }
    }
    for (const written of unknownPlaceholderFields(text)) {
      problems.push(
        `${where}: ${written} in ${what} is not a placeholder: write {{{NAME}}} for the contents or {{{NAME:path}}} for the path`,
      );
    }
    // a key's placeholder written another way would reach every step as it is, the key unused
    for (const { written, meant } of nearPlaceholders(text, keyNames)) {
      problems.push(`${where}: ${written} in ${what} is not a placeholder (they take three braces, no spaces): write ${meant}`);
    }
  };
  const where = { base, rules };
  const main = loadStepSources(config, config.steps, 'steps', where, requireKeys, problems);
  const after = loadStepSources(config, config.after, 'after', where, noPlaceholders(problems), problems);
  for (const name of keyNames) {
    if (!used.has(name)) {
      const flag = valueNames.has(name) ? '--values' : '--key';
      warnings.push(`${flag} ${name}: neither {{{${name}}}} nor {{{${name}:path}}} is used by any step (it still multiplies the flows)`);
    }
  }
  if (early.length > 0) throw new UsageError(problems);
  const { templates, commands } = main;
  return { config, keyLists, templates, commands, after, copy: configText, problems, warnings };
}

/** Loads and checks everything a run needs. Throws one UsageError listing every problem. */
export function prepare(options: RunOptions, now = new Date()): PreparedRun {
  const base = options.baseDir;
  const definition = loadDefinition(
    options.configFile,
    options.keys,
    base,
    { confineTo: options.confineTo },
    { options: options.optionNames },
  );
  const { config, keyLists, problems, warnings } = definition;
  const found: Found = { problems, warnings };
  // one shard of several leaves the after steps to `report`
  const runsAfter = (options.shard?.count ?? 1) === 1;
  const ranSteps = runsAfter ? [...config.steps, ...config.after] : config.steps;
  const workdir = checkWorkdir(options, config, ranSteps, found);
  const outputProblem = outputDirProblem(resolve(base, options.outputDir));
  if (outputProblem !== undefined) problems.push(`--output ${JSON.stringify(options.outputDir)}: ${outputProblem}`);

  const prices = withOverrides(config.prices);
  const spend = spendChecks(options.configFile, { steps: config.steps, after: runsAfter ? config.after : [] }, options, prices);
  problems.push(...spend.problems);
  warnings.push(...spend.warnings);
  const { apiKey, codexPath } = findCredentials(options, ranSteps, found);

  const space = new FlowSpace(keyLists);
  const shard = checkShard(options, space, problems);
  const { runId, runDir } = checkRunDir(options, shard, outputProblem === undefined, now, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const keysHash = hashKeyLists(keyLists);
  // a shard joins the tree its sibling shards write: they must run the same flows
  if (options.resume || shard.count > 1) {
    const what = options.resume ? '--resume' : `--shard ${shard.index}/${shard.count}`;
    checkSameRun(join(runDir, 'run.json'), config.hash, { hash: keysHash, lists: keyLists }, join(options.outputDir, runId!), what);
  }
  const { templates, commands, after, copy: configCopy } = definition;
  const range = shardRange(space.total, shard);
  return {
    options,
    config,
    space,
    keysHash,
    runId: runId!,
    runDir,
    workdir,
    shard,
    range,
    templates,
    commands,
    after,
    configCopy,
    apiKey,
    codexPath,
    prices,
    warnings,
  };
}
