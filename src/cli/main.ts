import { Command, CommanderError, Option } from 'commander';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { withCache } from '../cache/runner.js';
import { ResponseCache } from '../cache/store.js';
import type { Api, Sandbox } from '../config/types.js';
import { OutputError, UsageError, errorMessage } from '../errors.js';
import type { KeySpec } from '../flows/keys.js';
import {
  DEFAULT_BATCH_TIMEOUT_S,
  DEFAULT_OUTPUT,
  DEFAULT_PARALLEL,
  DEFAULT_RETRIES,
  DEFAULT_SANDBOX,
  DEFAULT_TIMEOUT_S,
  type RunOptions,
} from '../engine/options.js';
import { prepare } from '../engine/prepare.js';
import { Run } from '../engine/run.js';
import { signalExitCode, stopOnSignals } from '../engine/signals.js';
import { makeRunners } from '../steps/factory.js';
import { ProgressPrinter } from '../progress/printer.js';
import type { Shard, Status } from '../results/types.js';
import { killAllProcessTrees } from '../steps/process.js';
import { shelterPrivateEnv } from '../util/shelter.js';
import { Redactor, secretsFromEnv, secretsFromUrl } from '../util/redact.js';
import { api, baseUrl, dollars, isolate, key, nonNegativeInt, positiveInt, sandbox, shard, statuses, timeoutSeconds } from './args.js';
import { applyCommand } from './apply.js';
import { planCommand } from './plan.js';
import { reportCommand, type ReportFlags } from './report.js';
import { packageVersion } from './version.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: 130, sigterm: 143 } as const;

interface RunFlags {
  parallel: number;
  timeout: number;
  workdir?: string;
  key: KeySpec[];
  appendFilepath: boolean;
  output: string;
  runId?: string;
  model?: string;
  api?: Api;
  baseUrl?: string;
  shard?: Shard;
  offline: boolean;
  retries: number;
  codexPath?: string;
  tokenBudget?: number;
  maxCost?: number;
  resume: boolean;
  isolate: 'none' | 'worktree';
  sandbox?: Sandbox;
  cache?: string;
  batch: boolean;
  batchCancelOnExit: boolean;
  /** Whether --timeout was given (with --batch, its default is 24 h instead). */
  timeoutGiven?: boolean;
}

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

function runOptions(config: string, flags: RunFlags, io: Io): RunOptions {
  return {
    configFile: config,
    baseDir: io.cwd,
    workdir: flags.workdir ?? '.',
    keys: flags.key,
    parallel: flags.parallel,
    timeoutS: flags.timeout,
    appendFilepath: flags.appendFilepath,
    outputDir: flags.output,
    runId: flags.runId,
    model: flags.model,
    api: flags.api,
    baseUrl: flags.baseUrl,
    offline: flags.offline,
    retries: flags.retries,
    codexPath: flags.codexPath,
    tokenBudget: flags.tokenBudget,
    maxCost: flags.maxCost,
    resume: flags.resume,
    shard: flags.shard,
    isolate: flags.isolate,
    sandbox: flags.sandbox,
    batch: flags.batch
      ? { timeoutS: flags.timeoutGiven ? flags.timeout : DEFAULT_BATCH_TIMEOUT_S, cancelOnExit: flags.batchCancelOnExit }
      : undefined,
    env: io.env,
  };
}

/** Runs the flows; resolves to the exit code. */
async function runCommand(config: string, flags: RunFlags, io: Io): Promise<number> {
  if (flags.batchCancelOnExit && !flags.batch)
    throw new UsageError('--batch-cancel-on-exit applies to batches: pass --batch as well, or leave it out');
  const prepared = prepare(runOptions(config, flags, io));
  const redactor = new Redactor([...secretsFromEnv(io.env), prepared.apiKey, ...secretsFromUrl(flags.baseUrl, '--base-url')]);
  const say = (text: string): void => void io.stderr.write(redactor.redact(text) + '\n');
  for (const warning of prepared.warnings) say(`orchestrator: warning: ${warning}`);
  const cache =
    flags.cache === undefined ? undefined : new ResponseCache(resolve(io.cwd, flags.cache), `--cache ${JSON.stringify(flags.cache)}`);

  const interval = Number(io.env.ORCHESTRATOR_PROGRESS_INTERVAL_MS);
  const printer = new ProgressPrinter(io.stderr, {
    tty: io.stderr.isTTY === true,
    intervalMs: Number.isFinite(interval) && io.env.ORCHESTRATOR_PROGRESS_INTERVAL_MS ? interval : 5000,
  });
  const stop = stopOnSignals((signal) =>
    printer.message(
      `orchestrator: ${signal}: stopping — running steps are ended, results are written (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to exit at once)`,
    ),
  );
  try {
    let runners = makeRunners(prepared, (text) => printer.message(redactor.redact(text)));
    if (cache !== undefined)
      runners = withCache(runners, prepared, cache, (warning) => printer.message(redactor.redact(`orchestrator: warning: ${warning}`)));
    const run = new Run(prepared, { signal: stop.signal, onProgress: printer.update }, runners);
    const outcome = await run.execute();
    printer.finish();
    const shown = (path: string): string => {
      const near = relative(io.cwd, path);
      return near.startsWith('..') || isAbsolute(near) ? path : near;
    };
    for (const message of outcome.finalMessages) io.stdout.write(`${shown(join(outcome.runDir, message))}\n`);
    say(`results: ${shown(outcome.resultsPath)}`);
    const { after } = outcome;
    if (after !== null) {
      const last = after.steps.at(-1);
      say(
        after.status === 'succeeded' && last !== undefined
          ? `after: ${shown(join(outcome.runDir, last.dir))}`
          : `after: ${after.status}: ${after.error ?? ''}`,
      );
    }
    const signalled = stop.received();
    if (signalled !== undefined) return signalExitCode(signalled);
    const afterFailed = after !== null && after.status !== 'succeeded';
    return outcome.totals.failed + outcome.totals.cancelled > 0 || afterFailed ? EXIT.failed : EXIT.ok;
  } finally {
    stop.dispose();
  }
}

export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('orchestrator')
    .description('Run chains of OpenAI, Codex CLI and shell steps over every combination of key files.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run orchestrator --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  program
    .command('run', { isDefault: true })
    .description('run the flows of CONFIG (the default command: `orchestrator CONFIG` is `orchestrator run CONFIG`)')
    .argument('<config>', 'the config file (JSON): an array of steps, or {"steps": [...], defaults}')
    .option('--parallel <n>', 'most flows and branches in progress at once', positiveInt, DEFAULT_PARALLEL)
    .option('--timeout <s>', 'seconds for one attempt of any step (a step may set its own "timeout")', timeoutSeconds, DEFAULT_TIMEOUT_S)
    .option('--workdir <dir>', 'working directory of codex and cmd steps (default: the current directory)')
    .option('--key <name:file>', 'FILE lists one path per line; {{{NAME}}} stands for the contents of each (repeatable)', key, [])
    .option('--append-filepath', "in prompts, follow each file's contents with its path", false)
    .option('--output <dir>', 'where run directories go', DEFAULT_OUTPUT)
    .option('--run-id <id>', 'the run directory name (run_ is added when missing; default: unique, sortable by time)')
    .option('--model <model>', 'model for steps that name none (after the config defaults, before OPENAI_MODEL)')
    .option('--api <api>', 'API of openai steps that name none: responses (default) or chat', api)
    .option(
      '--base-url <url>',
      'an OpenAI-compatible server (http:// or https://), for openai and codex steps (default: OPENAI_BASE_URL)',
      baseUrl,
    )
    .option('--shard <i/n>', 'run only shard I of N of the flows', shard)
    .option('--offline', 'model and codex steps answer with their own prompt instead of calling out', false)
    .option('--retries <n>', 'retries of a model call after 429, 5xx, connection errors and timeouts', nonNegativeInt, DEFAULT_RETRIES)
    .option('--codex-path <path>', 'the codex binary (default: codex on PATH)')
    .option('--token-budget <n>', 'start no new step once input+output tokens reach N', positiveInt)
    .option('--max-cost <usd>', 'start no new step once this run\'s model calls cost USD dollars (prices: README "Spend")', dollars)
    .option('--resume', 'with the same --output and --run-id: run only flows that did not succeed', false)
    .option(
      '--cache <dir>',
      'answer openai calls already answered (same model, API, settings and prompt) from DIR, and keep new replies there; codex steps are never cached',
    )
    .addOption(
      new Option(
        '--isolate <mode>',
        'codex working tree: none (one shared workdir) or worktree (a git worktree per flow, changes saved as changes.patch)',
      )
        .argParser(isolate)
        .default('none'),
    )
    .option(
      '--sandbox <mode>',
      `sandbox of codex steps that set none (nor the config): read-only, workspace-write or danger-full-access (default: ${DEFAULT_SANDBOX})`,
      sandbox,
    )
    .option(
      '--batch',
      'send openai steps through the Batch API at half price: requests ready together go in one batch, polled until done (--timeout then bounds the wait for a batch, default 24 h)',
      false,
    )
    .option(
      '--batch-cancel-on-exit',
      'with --batch: cancel unfinished batches when the run stops (by default they are left running for --resume)',
      false,
    )
    .action(async (config: string, flags: RunFlags, command: Command) =>
      done(await runCommand(config, { ...flags, timeoutGiven: command.getOptionValueSource('timeout') !== 'default' }, io)),
    );

  program
    .command('plan')
    .description('print the shard plan as JSON, for a GitHub matrix')
    .argument('<config>', 'the config file')
    .requiredOption('--shards <n>', 'number of shards wanted (capped at 256 and at the number of flows)', positiveInt)
    .option('--key <name:file>', 'as for run (repeatable)', key, [])
    .option('--run-id <id>', 'the run id the shards share (default: unique, sortable by time)')
    .action((config: string, flags: { shards: number; key: KeySpec[]; runId?: string }) => done(planCommand(config, flags, io)));

  program
    .command('report')
    .description('merge the results of the shards under DIR(s) and print the summary table (Markdown)')
    .argument('<dir...>', 'directories holding run directories (generated/, or one folder per shard)')
    .option(
      '--output <dir>',
      "write the merged run there (<dir>/<run_id>/): merged results.json (each leaf names its shard's folder), run and shard records, report.html",
    )
    .option('--copy-trees', "with --output: also copy the shards' flow directories there (symbolic links are left out)", false)
    .option('--open', 'print the path of the merged report.html (open it in a browser: it needs nothing else)', false)
    .option(
      '--baseline <dir>',
      'another run (its directory, or a folder of its shards) to compare with: each leaf, matched by its keys, is new, changed, unchanged, newly failing or fixed',
    )
    .option(
      '--config <file>',
      "the config the shards ran: its after steps run (never the run directory's copy, which must agree with it); without it none run",
    )
    .option('--offline', 'after steps: model and codex steps answer with their own prompt')
    .option('--timeout <s>', `after steps: seconds for one attempt (default ${DEFAULT_TIMEOUT_S})`, timeoutSeconds)
    .option('--retries <n>', `after steps: retries of a model call (default ${DEFAULT_RETRIES})`, nonNegativeInt)
    .option('--model <model>', 'after steps: model for steps that name none')
    .option('--api <api>', 'after steps: API of openai steps that name none (default responses)', api)
    .option('--base-url <url>', 'after steps: an OpenAI-compatible server (default: OPENAI_BASE_URL, else OpenAI)', baseUrl)
    .option('--workdir <dir>', 'after steps: working directory of codex and cmd steps (default: the current directory)')
    .option('--token-budget <n>', 'after steps: start none once their input+output tokens reach N', positiveInt)
    .option('--max-cost <usd>', "after steps: start none once their model calls cost USD dollars (the config's prices)", dollars)
    .addOption(new Option('--isolate <mode>', 'after steps: codex working tree, none or worktree (default none)').argParser(isolate))
    .option('--sandbox <mode>', `after steps: sandbox of codex steps that set none (default ${DEFAULT_SANDBOX})`, sandbox)
    .option('--codex-path <path>', 'after steps: the codex binary (default: codex on PATH)')
    .action(async (dirs: string[], flags: ReportFlags) => done(await reportCommand(dirs, flags, io)));

  program
    .command('apply')
    .description(
      "apply the patches of a run's succeeded leaves (flows and branches) to the checkout, in leaf order; a leaf whose patch conflicts is skipped whole (exit 1)",
    )
    .argument('<run-dir>', 'the run directory (generated/run_...)')
    .option('--workdir <dir>', 'the git checkout to apply to (default: the current directory)')
    .option('--status <list>', 'apply leaves with these statuses (comma-separated: succeeded, failed, cancelled)', statuses, ['succeeded'])
    .option('--check', 'report what would apply and what would conflict, changing nothing', false)
    .action(async (runDir: string, flags: { workdir?: string; status: Status[]; check: boolean }) =>
      done(await applyCommand(runDir, flags, io)),
    );

  return program;
}

/** The CLI: parses arguments, runs, and exits with the documented code. */
export async function main(argv: readonly string[], given?: Io): Promise<void> {
  // a real run (not a test's Io): keys and tokens leave this process's /proc/<pid>/environ first
  if (given === undefined) shelterPrivateEnv();
  const io = given ?? defaultIo();
  let code: number = EXIT.ok;
  try {
    const program = buildProgram(io, (c) => (code = c));
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    code = reportError(error, io);
  }
  process.exitCode = code;
  // stdout may be a pipe: let it drain, then leave even if a stray handle is still open
  io.stdout.write('', () => process.exit(code));
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // help and version are "errors" with exit code 0; commander already printed its message
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    for (const problem of error.problems) io.stderr.write(`orchestrator: error: ${problem}\n`);
    return EXIT.usage;
  }
  // whatever stopped the run, no step's process outlives it
  killAllProcessTrees();
  if (error instanceof OutputError) {
    io.stderr.write(`orchestrator: error: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`orchestrator: internal error: ${errorMessage(error)}\n`);
  if (io.env.ORCHESTRATOR_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}
