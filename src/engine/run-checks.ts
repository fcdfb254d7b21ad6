/**
 * The checks before a run that look outside the config: the workdir and its isolation, the output
 * and run directories, the credentials and programs the steps need, the shard. Each adds what it
 * finds to the problems (the run does not start) or the warnings (it starts, and says so).
 */
import { callsModel } from '../config/checks.js';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Config, Step } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { FlowSpace, KeyList } from '../flows/flows.js';
import type { Shard } from '../model/results.js';
import { normalizeRunId, newRunId, runIdProblem } from '../results/paths.js';
import { uncommittedFiles } from '../steps/worktree.js';
import { publicEnv } from '../util/private-env.js';
import { readRegular } from '../util/safe-read.js';
import { existingRun } from './lock.js';
import { sandboxOf, type RunOptions } from './options.js';

/** What the checks found: problems stop the run, warnings are printed before it. */
export interface Found {
  readonly problems: string[];
  readonly warnings: string[];
}

/** The workdir, resolved: it must be a directory, a git checkout with a commit for --isolate worktree. */
export function checkWorkdir(options: RunOptions, config: Config, ranSteps: readonly Step[], { problems, warnings }: Found): string {
  const workdir = resolve(options.baseDir, options.workdir);
  const workdirOk = existsSync(workdir) && statSync(workdir).isDirectory();
  if (!workdirOk) problems.push(`--workdir ${JSON.stringify(options.workdir)}: not a directory`);
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
  return workdir;
}

/**
 * The API key the model steps need and the codex program codex steps run (none offline). Either
 * missing is a problem, or a warning for a dry run, which calls nothing but says what a run would stop on.
 */
export function findCredentials(
  options: RunOptions,
  ranSteps: readonly Step[],
  found: Found,
): { apiKey: string | undefined; codexPath: string | undefined } {
  const problems = options.dryRun === true ? found.warnings : found.problems;
  const needsModel = !options.offline && ranSteps.some(callsModel);
  const needsCodex = !options.offline && ranSteps.some((s) => s.kind === 'codex');
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
    codexPath = findExecutable(options.codexPath ?? 'codex', options.env, options.baseDir);
    if (codexPath === undefined) {
      problems.push(
        options.codexPath !== undefined
          ? `--codex-path ${JSON.stringify(options.codexPath)}: no executable file there`
          : 'the config has codex steps but no `codex` is on PATH: install it (npm install -g @openai/codex), pass --codex-path, or use --offline',
      );
    }
  }
  return { apiKey, codexPath };
}

/** The shard this process runs (1/1 without --shard): there must be a flow for each shard, and a --run-id to share. */
export function checkShard(options: RunOptions, space: FlowSpace, problems: string[]): Shard {
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
  return shard;
}

/** The run id (given, or new) and its directory, which must be a directory or not exist, and not hold another run. */
export function checkRunDir(
  options: RunOptions,
  shard: Shard,
  outputOk: boolean,
  now: Date,
  problems: string[],
): { runId: string | undefined; runDir: string } {
  const runId = options.runId === undefined ? newRunId(now) : normalizeRunId(options.runId);
  if (runId === undefined && options.runId !== undefined) problems.push(runIdProblem('--run-id', options.runId));
  const runDir = resolve(options.baseDir, options.outputDir, runId ?? 'run_');
  const runDirKind = outputOk ? lstatSync(runDir, { throwIfNoEntry: false }) : undefined;
  if (runId !== undefined && runDirKind !== undefined && !runDirKind.isDirectory()) {
    problems.push(
      `${join(options.outputDir, runId)} is ${runDirKind.isSymbolicLink() ? `a symbolic link (to ${JSON.stringify(readlinkSync(runDir))})` : 'a file'}, not a run directory: ` +
        'orchestrator does not write through it; remove it, or use another --run-id',
    );
  }
  // --resume continues a run: one that is not there would be a whole new run, paid for again
  if (options.resume && outputOk && runId !== undefined && (options.runId === undefined || runDirKind === undefined))
    problems.push(noRunToResume(options, runId));
  // checked again under the run's lock (lock.ts): two runs may start at once
  const existing =
    runId === undefined || options.resume || runDirKind?.isDirectory() === false
      ? undefined
      : existingRun(runDir, shard, join(options.outputDir, runId));
  if (existing !== undefined) problems.push(existing);
  return { runId, runDir };
}

/** --resume without a run to continue: which runs the output directory holds, and what to pass instead. */
function noRunToResume(options: RunOptions, runId: string): string {
  const output = resolve(options.baseDir, options.outputDir);
  let runs: string[] = [];
  try {
    runs = readdirSync(output, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('run_'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    // no output directory yet: no runs
  }
  const there =
    runs.length === 0
      ? `${options.outputDir} holds no run`
      : `runs in ${options.outputDir}: ${runs.slice(-5).join(', ')}${runs.length > 5 ? ` (and ${runs.length - 5} more)` : ''}`;
  const which =
    options.runId === undefined ? 'without --run-id there is no run to resume' : `there is no run ${join(options.outputDir, runId)}`;
  return `--resume: ${which} (${there}); pass the --run-id (and --output) of the run to finish, or leave out --resume to start a new run`;
}

/**
 * Why the output directory cannot hold a run, or undefined: it, or the nearest part of it that
 * exists, must be a writable directory; a dangling link and the kernel's /proc and /sys are not.
 */
export function outputDirProblem(output: string): string | undefined {
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

/**
 * `--resume` continues a run, and a shard joins one, only with the config and key lists it started
 * with: flow ids are positions.
 */
export function checkSameRun(
  runJson: string,
  configHash: string,
  keys: { readonly hash: string; readonly lists: readonly KeyList[] },
  shown: string,
  what: string,
): void {
  if (!existsSync(runJson)) return;
  let previous: { config?: { hash?: string }; keys_hash?: string; keys?: RecordedKey[] };
  try {
    previous = JSON.parse(readRegular(runJson).bytes.toString('utf8')) as typeof previous;
  } catch {
    throw new UsageError(`${shown}/run.json cannot be read, so ${what} cannot continue that run: start a new run with another --run-id`);
  }
  const keysChanged = previous.keys_hash !== keys.hash;
  const changed = [previous.config?.hash !== configHash ? 'the config' : undefined, keysChanged ? 'the key lists' : undefined].filter(
    Boolean,
  );
  if (changed.length > 0) {
    throw new UsageError(
      `${what}: ${changed.join(' and ')} changed since ${shown} started${keysChanged ? keysChange(previous.keys, keys.lists) : ''}; flow ids are positions, so its results would not match. ` +
        'Restore them, or start a new run with another --run-id',
    );
  }
}

/** A key as run.json records it. */
interface RecordedKey {
  readonly name?: unknown;
  readonly file?: unknown;
  readonly lines?: unknown;
  readonly values?: unknown;
}

/** How the keys given now differ from those a run started with (run.json's `keys`): their order, their lines, or the keys themselves. */
function keysChange(recorded: RecordedKey[] | undefined, lists: readonly KeyList[]): string {
  if (!Array.isArray(recorded)) return '';
  const show = (values: unknown, name: unknown, file: unknown, lines: unknown): string =>
    `${values === true ? '--values' : '--key'} ${String(name)}:${String(file)} (${typeof lines === 'number' ? lines.toLocaleString('en-US') : '?'} lines)`;
  const before = recorded.map((k) => show(k.values, k.name, k.file, k.lines));
  const now = lists.map((k) => show(k.kind === 'values', k.name, k.file, k.paths.length));
  if (before.join('\n') === now.join('\n')) return ' (the same keys and files: lines in a key file changed)';
  if ([...before].sort().join('\n') === [...now].sort().join('\n'))
    return ` (the keys are given in another order: it started with ${before.join(', ')})`;
  return ` (it started with ${before.join(', ') || 'no key'}; this command gives ${now.join(', ') || 'no key'})`;
}
