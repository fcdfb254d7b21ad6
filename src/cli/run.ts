import { isAbsolute, join, relative, resolve } from 'node:path';
import { withCache } from '../cache/runner.js';
import { ResponseCache } from '../cache/store.js';
import { UsageError } from '../errors.js';
import { dryRun } from '../engine/dry-run.js';
import { prepare } from '../engine/prepare.js';
import { Run } from '../engine/run.js';
import { signalExitCode, stopOnSignals } from '../engine/signals.js';
import { makeRunners } from '../steps/factory.js';
import { endingLines } from '../progress/ending.js';
import { FailedLeaves } from '../report/failed.js';
import { ProgressPrinter } from '../progress/printer.js';
import { redactorFor } from '../util/redact.js';
import type { CliValues } from '../options/commander.js';
import { batchSettings, runOptions } from '../options/run-options.js';
import { EXIT } from './exit.js';
import type { Io } from './io.js';

/** Runs the flows; resolves to the exit code. */
export async function runCommand(config: string, { values: flags, given }: CliValues, io: Io): Promise<number> {
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
    const warn = (warning: string): void => printer.message(redactor.redact(`orchestrator: warning: ${warning}`));
    if (cache !== undefined) runners = withCache(runners, prepared, cache, warn);
    const failed = new FailedLeaves();
    const control = { signal: stop.signal, onProgress: printer.update, onResult: failed.add, onlyFailures: true, onWarning: warn };
    const outcome = await new Run(prepared, control, runners).execute();
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
