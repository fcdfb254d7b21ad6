import { Command, CommanderError } from 'commander';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { withCache } from '../cache/runner.js';
import { ResponseCache } from '../cache/store.js';
import { OutputError, UsageError, errorMessage } from '../errors.js';
import { dryRun } from '../engine/dry-run.js';
import { prepare } from '../engine/prepare.js';
import { Run } from '../engine/run.js';
import { signalExitCode, stopOnSignals } from '../engine/signals.js';
import { makeRunners } from '../steps/factory.js';
import { endingLines, FailedLeaves } from '../progress/ending.js';
import { ProgressPrinter } from '../progress/printer.js';
import { killAllProcessTrees } from '../steps/process.js';
import { refuseUnsupportedPlatform } from '../util/platform.js';
import { informational, shelterPrivateEnv } from '../util/shelter.js';
import { redactorFor } from '../util/redact.js';
import { addOptions, attachOptionalValues, cliValues, type CliValues } from '../options/commander.js';
import { batchSettings, runOptions } from '../options/run-options.js';
import { applyCommand } from './apply.js';
import type { Io } from './io.js';
import { planCommand } from './plan.js';
import { reportCommand, type ReportFlags } from './report.js';
import { packageVersion } from './version.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, sigint: 130, sigterm: 143 } as const;

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Runs the flows; resolves to the exit code. */
async function runCommand(config: string, { values: flags, given }: CliValues, io: Io): Promise<number> {
  if (flags.batchCancelOnExit && !flags.batch)
    throw new UsageError('--batch-cancel-on-exit applies to batches: pass --batch as well, or leave it out');
  const prepared = prepare(
    runOptions(
      { ...flags, batch: batchSettings(flags, given) },
      { configFile: config, baseDir: io.cwd, outputDir: flags.outputDir, codexPath: flags.codexPath, env: io.env },
    ),
  );
  const redactor = redactorFor(io.env, { apiKey: prepared.apiKey, baseUrl: { value: flags.baseUrl, name: '--base-url' } });
  const say = (text: string): void => void io.stderr.write(redactor.redact(text) + '\n');
  for (const warning of prepared.warnings) say(`orchestrator: warning: ${warning}`);
  if (flags.dryRun !== undefined) {
    const shown = dryRun(prepared, flags.dryRun, redactor);
    io.stdout.write(shown.text);
    return shown.failing > 0 ? EXIT.failed : EXIT.ok;
  }
  const cache =
    flags.cacheDir === undefined
      ? undefined
      : new ResponseCache(resolve(io.cwd, flags.cacheDir), `--cache ${JSON.stringify(flags.cacheDir)}`);

  const interval = Number(io.env.ORCHESTRATOR_PROGRESS_INTERVAL_MS);
  const tty = io.stderr.isTTY === true;
  const printer = new ProgressPrinter(io.stderr, {
    tty,
    intervalMs: Number.isFinite(interval) && io.env.ORCHESTRATOR_PROGRESS_INTERVAL_MS ? interval : 5000,
    columns: () => io.stderr.columns,
  });
  // SIGWINCH: the terminal's width changed
  if (tty) io.stderr.on('resize', printer.resize);
  const stop = stopOnSignals((signal) =>
    printer.message(
      `orchestrator: ${signal}: stopping — running steps are ended, results are written (${signal === 'SIGINT' ? 'Ctrl-C' : 'signal'} again to exit at once)`,
    ),
  );
  try {
    let runners = makeRunners(prepared, (text) => printer.message(redactor.redact(text)));
    if (cache !== undefined)
      runners = withCache(runners, prepared, cache, (warning) => printer.message(redactor.redact(`orchestrator: warning: ${warning}`)));
    const failed = new FailedLeaves();
    const run = new Run(prepared, { signal: stop.signal, onProgress: printer.update, onResult: failed.add, onlyFailures: true }, runners);
    const outcome = await run.execute();
    printer.finish();
    const { tokenBudget, maxCost } = prepared.options;
    const output = given.has('outputDir') ? ` --output ${JSON.stringify(flags.outputDir)}` : '';
    const ending = endingLines({
      stopped: outcome.stopped,
      signal: stop.received(),
      limits: { tokenBudget, maxCost },
      spent: outcome.spent,
      cancelled: outcome.totals.cancelled,
      resume: `--resume --run-id ${outcome.runId}${output}`,
      failed,
    });
    for (const line of ending) say(line);
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
    io.stderr.off('resize', printer.resize);
  }
}

export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('orchestrator')
    .description('Run chains of OpenAI, Codex CLI and shell steps over every combination of key files.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run orchestrator --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const run = program
    .command('run', { isDefault: true })
    .description('run the flows of CONFIG (the default command: `orchestrator CONFIG` is `orchestrator run CONFIG`)')
    .argument('<config>', 'the config file (JSON): an array of steps, or {"steps": [...], defaults}');
  addOptions(run, 'run').action(async (config: string, _flags: unknown, command: Command) =>
    done(await runCommand(config, cliValues(command, 'run'), io)),
  );

  const plan = program
    .command('plan')
    .description('print the shard plan as JSON, for a GitHub matrix')
    .argument('<config>', 'the config file');
  addOptions(plan, 'plan').action((config: string, _flags: unknown, command: Command) => {
    const { values } = cliValues(command, 'plan');
    done(planCommand(config, { shards: values.shards!, key: values.keys, runId: values.runId }, io));
  });

  const report = program
    .command('report')
    .description(
      'merge the results of the shards under DIR(s) and print them: a text table on a terminal, the Markdown summary elsewhere (--format)',
    )
    .argument('<dir...>', 'directories holding run directories (generated/, or one folder per shard)');
  addOptions(report, 'report').action(async (dirs: string[], _flags: unknown, command: Command) =>
    done(await reportCommand(dirs, reportFlags(cliValues(command, 'report')), io)),
  );

  const apply = program
    .command('apply')
    .description(
      "apply the patches of a run's succeeded leaves (flows and branches) to the checkout, in leaf order; a leaf whose patch conflicts is skipped whole (exit 1)",
    )
    .argument('<run-dir>', 'the run directory (generated/run_...)');
  addOptions(apply, 'apply').action(async (runDir: string, _flags: unknown, command: Command) => {
    const { values, given } = cliValues(command, 'apply');
    done(
      await applyCommand(
        runDir,
        {
          workdir: values.checkout,
          status: values.statuses,
          check: values.check,
          commit: values.commit,
          // the option's default is the Action's prefix; the CLI makes branches only when asked
          branch: given.has('branchPrefix') ? values.branchPrefix : undefined,
          prBody: values.prBody,
          redo: values.redo,
        },
        io,
      ),
    );
  });

  return program;
}

/** `report`'s flags: the after steps' settings only when given (else a run's defaults). */
function reportFlags({ values, set }: CliValues): ReportFlags {
  return {
    output: set.mergedOutput,
    format: set.reportFormat,
    copyTrees: values.copyTrees,
    open: values.open,
    baseline: set.baseline,
    config: set.config,
    offline: set.offline,
    timeout: set.timeoutS,
    retries: set.retries,
    model: set.model,
    api: set.api,
    baseUrl: set.baseUrl,
    workdir: set.workdir,
    tokenBudget: set.tokenBudget,
    maxCost: set.maxCost,
    sandbox: set.sandbox,
    isolate: set.isolate,
    codexPath: set.codexPath,
  };
}

/** The CLI: parses arguments, runs, and exits with the documented code. */
export async function main(argv: readonly string[], given?: Io): Promise<void> {
  // a real run (not a test's Io): keys and tokens leave this process's /proc/<pid>/environ first
  // (bin/orchestrator.js has done it already, before loading the CLI; not for --help or --version)
  if (given === undefined && !informational(argv)) shelterPrivateEnv();
  const io = given ?? defaultIo();
  let code: number = EXIT.ok;
  try {
    refuseUnsupportedPlatform();
    const program = buildProgram(io, (c) => (code = c));
    await program.parseAsync(attachOptionalValues(argv), { from: 'user' });
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
