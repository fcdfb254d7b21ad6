import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseConfigLenient, type ConfigHints } from '../config/parse.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import { FlowSpace, type KeyList } from '../flows/flows.js';
import { hashKeyLists, readKeyLists, type KeySpec } from '../flows/keys.js';
import { shardRange } from '../flows/shards.js';
import type { CompiledCommand } from '../prompt/command.js';
import { findPlaceholders, unknownPlaceholderFields } from '../prompt/placeholders.js';
import { normalizeRunId, newRunId, runIdProblem } from '../results/paths.js';
import type { Shard } from '../model/results.js';
import { uncommittedFiles } from '../steps/worktree.js';
import { inputFileMessage, tryReadInputFile, type InputRules } from '../util/input-file.js';
import { publicEnv } from '../util/private-env.js';
import { existingRun } from './lock.js';
import { sandboxOf, type RunOptions } from './options.js';
import { spendChecks } from './spend.js';
import { withOverrides, type Prices } from '../model/cost.js';
import { loadStepSources, noPlaceholders, type StepSources } from './step-sources.js';
import { readRegular } from '../util/safe-read.js';

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

/**
 * Why the output directory cannot hold a run, or undefined: it, or the nearest part of it that
 * exists, must be a writable directory; a dangling link and the kernel's /proc and /sys are not.
 */
function outputDirProblem(output: string): string | undefined {
  let existing = output;
  for (;;) {
    let stats;
    try {
      stats = lstatSync(existing);
    } catch {
      // missing, or below a file (ENOTDIR): the part above tells
    }
    if (stats?.isSymbolicLink() && !existsSync(existing)) {
      return `${JSON.stringify(existing)} is a symbolic link to ${JSON.stringify(readlinkSync(existing))}, which does not exist: create that directory, or point --output elsewhere`;
    }
    if (stats !== undefined) break;
    if (dirname(existing) === existing) return 'no part of the path exists';
    existing = dirname(existing);
  }
  let real: string;
  try {
    if (!statSync(existing).isDirectory()) return `${JSON.stringify(existing)} is a file, not a directory`;
    real = realpathSync.native(existing);
    accessSync(existing, constants.W_OK);
  } catch (error) {
    return `${JSON.stringify(existing)} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (/^\/(proc|sys)(\/|$)/.test(real))
    return `${JSON.stringify(real)} is in the kernel's ${real.split('/')[1]} file system, where no run can be written`;
  return undefined;
}

/** Whether `dir` is in a git repository that has a HEAD commit. */
function hasCommit(dir: string): boolean {
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir, stdio: 'ignore', env: publicEnv(process.env) });
    return true;
  } catch {
    return false;
  }
}

/** `name` on PATH, or an explicit path; undefined when there is no executable file. */
export function findExecutable(name: string, env: Readonly<Record<string, string | undefined>>, cwd: string): string | undefined {
  const candidates = name.includes('/')
    ? [resolve(cwd, name)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
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

  const used = new Set<string>();
  const requireKeys = (text: string, where: string, what: string): void => {
    const reported = new Set<string>();
    for (const { name, text: written } of findPlaceholders(text)) {
      used.add(name);
      if (!keyNames.has(name) && !reported.has(written)) {
        reported.add(written);
        problems.push(`${where}: ${written} in ${what} has no key: add --key ${name}:FILE`);
      }
    }
    for (const written of unknownPlaceholderFields(text)) {
      problems.push(
        `${where}: ${written} in ${what} is not a placeholder: write {{{NAME}}} for the contents or {{{NAME:path}}} for the path`,
      );
    }
  };
  const where = { base, rules };
  const main = loadStepSources(config, config.steps, 'steps', where, requireKeys, problems);
  const after = loadStepSources(config, config.after, 'after', where, noPlaceholders(problems), problems);
  for (const name of keyNames) {
    if (!used.has(name)) {
      warnings.push(`--key ${name}: neither {{{${name}}}} nor {{{${name}:path}}} is used by any step (it still multiplies the flows)`);
    }
  }
  if (early.length > 0) throw new UsageError(problems);
  const { templates, commands } = main;
  return { config, keyLists, templates, commands, after, copy: configText, problems, warnings };
}

/** Loads and checks everything a run needs. Throws one UsageError listing every problem. */
export function prepare(options: RunOptions, now = new Date()): PreparedRun {
  const base = options.baseDir;
  const { config, keyLists, templates, commands, after, copy, problems, warnings } = loadDefinition(
    options.configFile,
    options.keys,
    base,
    {
      confineTo: options.confineTo,
    },
    { options: options.optionNames },
  );

  const workdir = resolve(base, options.workdir);
  const workdirOk = existsSync(workdir) && statSync(workdir).isDirectory();
  if (!workdirOk) problems.push(`--workdir ${JSON.stringify(options.workdir)}: not a directory`);
  // one shard of several leaves the after steps to `report`
  const runsAfter = (options.shard?.count ?? 1) === 1;
  const ranSteps = runsAfter ? [...config.steps, ...config.after] : config.steps;
  const codexSteps = ranSteps.filter((s) => s.kind === 'codex');
  if (options.isolate === 'worktree' && workdirOk && codexSteps.length > 0) {
    if (!hasCommit(workdir)) {
      problems.push(
        `--isolate worktree: the workdir ${JSON.stringify(options.workdir)} is not a git repository with a commit, so there is no HEAD to give each flow a worktree of: ` +
          'run in a checkout, or use --isolate none',
      );
    } else {
      const changed = uncommittedFiles(workdir);
      if (changed.length > 0) {
        const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
        warnings.push(
          `--isolate worktree: the checkout has uncommitted changes (${shown}); worktrees start from HEAD, so codex sees and edits HEAD's version of those files, ` +
            'while prompts read the edited ones: commit or stash them first',
        );
      }
    }
  }
  if (config.setup !== undefined && options.isolate !== 'worktree') {
    warnings.push(
      `${config.file}: "setup" runs in each new worktree, and without --isolate worktree there is none: it is not run (prepare the workdir yourself)`,
    );
  }
  const writable = codexSteps.some((s) => sandboxOf(s, options) !== 'read-only');
  if (options.isolate !== 'worktree' && writable && options.parallel > 1 && !options.offline) {
    warnings.push(
      `codex steps that may write run up to ${options.parallel} at a time in one shared workdir (${options.workdir}): parallel flows can edit the same files. ` +
        'Use --isolate worktree to give each flow a git worktree of its own, with its changes saved as changes.patch',
    );
  }
  const outputProblem = outputDirProblem(resolve(base, options.outputDir));
  if (outputProblem !== undefined) problems.push(`--output ${JSON.stringify(options.outputDir)}: ${outputProblem}`);

  const prices = withOverrides(config.prices);
  const spend = spendChecks(options.configFile, { steps: config.steps, after: runsAfter ? config.after : [] }, options, prices);
  problems.push(...spend.problems);
  warnings.push(...spend.warnings);

  const needsModel = !options.offline && ranSteps.some((s) => s.kind === 'openai');
  const needsCodex = !options.offline && codexSteps.length > 0;
  const apiKey = options.env.OPENAI_API_KEY || options.env.CODEX_API_KEY || undefined;
  const keyUsers = needsModel ? 'openai' : needsCodex && options.codexNeedsKey ? 'codex' : undefined;
  if (keyUsers !== undefined && apiKey === undefined) {
    problems.push(
      options.missingKeyHint ??
        `OPENAI_API_KEY is not set, and the config has ${keyUsers} steps: set it, or pass --offline to try the config without calling a model`,
    );
  }
  let codexPath: string | undefined;
  if (needsCodex) {
    codexPath = findExecutable(options.codexPath ?? 'codex', options.env, base);
    if (codexPath === undefined) {
      problems.push(
        options.codexPath !== undefined
          ? `--codex-path ${JSON.stringify(options.codexPath)}: no executable file there`
          : 'the config has codex steps but no `codex` is on PATH: install it (npm install -g @openai/codex), pass --codex-path, or use --offline',
      );
    }
  }

  const space = new FlowSpace(keyLists);
  if (space.total > Number.MAX_SAFE_INTEGER) problems.push(`the key files make ${space.total} flows, too many to number`);
  const shard = options.shard ?? { index: 1, count: 1 };
  if (shard.count > space.total) {
    problems.push(`--shard ${shard.index}/${shard.count}: there are only ${space.total} flows, so at most ${space.total} shards`);
  }

  if (options.runId === undefined && shard.count > 1) {
    problems.push(
      `--shard ${shard.index}/${shard.count} needs --run-id, so that the shards write one run: use the run_id \`orchestrator plan\` printed`,
    );
  }
  const runId = options.runId === undefined ? newRunId(now) : normalizeRunId(options.runId);
  if (runId === undefined && options.runId !== undefined) problems.push(runIdProblem('--run-id', options.runId));
  const runDir = resolve(base, options.outputDir, runId ?? 'run_');
  const runDirKind = outputProblem === undefined ? lstatSync(runDir, { throwIfNoEntry: false }) : undefined;
  if (runId !== undefined && runDirKind !== undefined && !runDirKind.isDirectory()) {
    problems.push(
      `${join(options.outputDir, runId)} is ${runDirKind.isSymbolicLink() ? `a symbolic link (to ${JSON.stringify(readlinkSync(runDir))})` : 'a file'}, not a run directory: ` +
        'orchestrator does not write through it; remove it, or use another --run-id',
    );
  }
  // checked again under the run's lock (lock.ts): two runs may start at once
  const existing =
    runId === undefined || options.resume || runDirKind?.isDirectory() === false
      ? undefined
      : existingRun(runDir, shard, join(options.outputDir, runId));
  if (existing !== undefined) problems.push(existing);
  if (problems.length > 0) throw new UsageError(problems);
  const keysHash = hashKeyLists(keyLists);
  // a shard joins the tree its sibling shards write: they must run the same flows
  if (options.resume || shard.count > 1) {
    const what = options.resume ? '--resume' : `--shard ${shard.index}/${shard.count}`;
    checkSameRun(join(runDir, 'run.json'), config.hash, keysHash, join(options.outputDir, runId!), what);
  }

  return {
    options,
    config,
    space,
    keysHash,
    runId: runId!,
    runDir,
    workdir,
    shard,
    range: shardRange(space.total, shard),
    templates,
    commands,
    after,
    configCopy: copy,
    apiKey,
    codexPath,
    prices,
    warnings,
  };
}

/**
 * `--resume` continues a run, and a shard joins one, only with the config and key lists it started
 * with: flow ids are positions.
 */
function checkSameRun(runJson: string, configHash: string, keysHash: string, shown: string, what: string): void {
  if (!existsSync(runJson)) return;
  let previous: { config?: { hash?: string }; keys_hash?: string };
  try {
    previous = JSON.parse(readRegular(runJson).bytes.toString('utf8')) as typeof previous;
  } catch {
    throw new UsageError(`${shown}/run.json cannot be read, so ${what} cannot continue that run: start a new run with another --run-id`);
  }
  const changed = [
    previous.config?.hash !== configHash ? 'the config' : undefined,
    previous.keys_hash !== keysHash ? 'the key lists' : undefined,
  ].filter(Boolean);
  if (changed.length > 0) {
    throw new UsageError(
      `${what}: ${changed.join(' and ')} changed since ${shown} started; flow ids are positions, so its results would not match. ` +
        'Restore them, or start a new run with another --run-id',
    );
  }
}
