import { Command, CommanderError } from 'commander';
import { OutputError, UsageError, errorMessage } from '../errors.js';
import { refuseUnsupportedPlatform } from '../util/platform.js';
import { informational, shelterPrivateEnv } from '../util/shelter.js';
import { addOptions, attachOptionalValues, cliValues, type CliValues } from '../options/commander.js';
import { EXIT } from './exit.js';
import type { Io } from './io.js';
import type { ReportFlags } from './report.js';
import { packageVersion } from './version.js';
import { failIfUnsettled } from '../util/unsettled.js';

export { EXIT } from './exit.js';

// Each command's code is loaded when the command runs, not at start: `--help`, `--version` and
// `plan` do not pay for the engine, the steps or the report (most of the start-up time), and a
// run does not pay for report or apply. The npm package's bundle keeps them in chunks of their own.
const load = {
  run: () => import('./run.js'),
  plan: () => import('./plan.js'),
  report: () => import('./report.js'),
  apply: () => import('./apply.js'),
};

/**
 * With --resume --run-id: the earlier attempt's index of finished flows starts being checked on a
 * thread of its own now, while the engine loads and the run is prepared (engine/early-checks.ts
 * startEarlyChecks); the run takes it over when it is that run's index, unchanged.
 */
async function checkEarly(values: CliValues['values'], cwd: string): Promise<void> {
  if (values.resume !== true || values.runId === undefined) return;
  const { earlyIndexPath, startEarlyChecks } = await import('../engine/early-checks.js');
  const at = earlyIndexPath({ baseDir: cwd, outputDir: values.outputDir, runId: values.runId, shard: values.shard });
  if (at !== undefined) startEarlyChecks(at.path, at.runDir);
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('orchestrator')
    .description('Run chains of OpenAI, Codex CLI and shell steps over every combination of key files.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError('(run orchestrator --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // commander's own errors (an unknown option, a missing argument) look like the others
      outputError: (s, write) => write(s.replace(/^error:/, 'orchestrator: error:')),
    });

  const run = program
    .command('run', { isDefault: true })
    .description('run the flows of CONFIG (the default command: `orchestrator CONFIG` is `orchestrator run CONFIG`)')
    .argument('<config>', 'the config file (JSON): an array of steps, or {"steps": [...], defaults}');
  addOptions(run, 'run').action(async (config: string, _flags: unknown, command: Command) => {
    const values = cliValues(command, 'run');
    await checkEarly(values.values, io.cwd);
    done(await (await load.run()).runCommand(config, values, io));
  });

  const plan = program
    .command('plan')
    .description('print the shard plan as JSON, for a GitHub matrix')
    .argument('<config>', 'the config file');
  addOptions(plan, 'plan').action(async (config: string, _flags: unknown, command: Command) => {
    const { values } = cliValues(command, 'plan');
    const { planCommand } = await load.plan();
    done(planCommand(config, { shards: values.shards!, key: values.keys, runId: values.runId }, io));
  });

  const report = program
    .command('report')
    .description(
      'merge the results of the shards under DIR(s), write the merged results.json and report.html (into the run directory when the shards form one tree, else under --output), and print them: a text table on a terminal, the Markdown summary elsewhere (--format)',
    )
    .argument('<dir...>', 'directories holding run directories (generated/, or one folder per shard)');
  addOptions(report, 'report').action(async (dirs: string[], _flags: unknown, command: Command) =>
    done(await (await load.report()).reportCommand(dirs, reportFlags(cliValues(command, 'report')), io)),
  );

  const apply = program
    .command('apply')
    .description(
      "apply the patches of a run's succeeded leaves (flows and branches) to the checkout, in leaf order; a leaf whose patch conflicts is skipped whole (exit 1)",
    )
    .argument('<run-dir>', 'the run directory (generated/run_...)');
  addOptions(apply, 'apply').action(async (runDir: string, _flags: unknown, command: Command) => {
    const { values, given } = cliValues(command, 'apply');
    const { applyCommand } = await load.apply();
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
  const code = await failIfUnsettled(cli(argv, io), (message) => io.stderr.write(`${message}\n`));
  process.exitCode = code;
  // stdout may be a pipe: let it drain, then leave even if a stray handle is still open
  io.stdout.write('', () => process.exit(code));
}

/** Runs one command with `io` and returns its exit code; main's body (the tests call it in their own process). */
export async function cli(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  try {
    refuseUnsupportedPlatform();
    const program = buildProgram(io, (c) => (code = c));
    await program.parseAsync(attachOptionalValues(argv), { from: 'user' });
  } catch (error) {
    code = await reportError(error, io);
  }
  return code;
}

async function reportError(error: unknown, io: Io): Promise<number> {
  if (error instanceof CommanderError) {
    // help and version are "errors" with exit code 0; commander already printed its message
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    for (const problem of error.problems) io.stderr.write(`orchestrator: error: ${problem}\n`);
    return EXIT.usage;
  }
  // whatever stopped the run, no step's process outlives it (none was started unless a command
  // loaded the module that starts them: importing it then costs nothing)
  (await import('../steps/process.js')).killAllProcessTrees();
  if (error instanceof OutputError) {
    io.stderr.write(`orchestrator: error: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(`orchestrator: internal error: ${errorMessage(error)}\n`);
  if (io.env.ORCHESTRATOR_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}
