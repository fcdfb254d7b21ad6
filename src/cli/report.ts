import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';
import { runAfterForReport, type AfterSettings } from '../engine/after-report.js';
import { stopOnSignals } from '../engine/signals.js';
import { loadBaseline, loadMergedRun, mergedLeaves, slowShards, type MergedRun } from '../report/merge.js';
import { copyMergedRecords, copyMergedTree } from '../report/merge-copy.js';
import type { AfterResult } from '../model/results.js';
import { reportMerged, type MergedReport, type MergeTarget } from '../report/merged.js';
import { renderText } from '../report/text.js';
import { writeResults } from '../results/write.js';
import type { Io } from './io.js';

/**
 * `orchestrator report DIR...`: merges the shards found under the directories, rewrites the merged
 * results.json and report.html (in place when they form one tree, or under --output), prints the
 * Markdown summary; --open prints the report.html path after it. --baseline compares each leaf
 * with another run's leaf of the same keys. Each shard's leaves come from its results.json, or from
 * its leaves' files when it has none it can use (said on stderr).
 */
export async function reportCommand(dirs: readonly string[], flags: ReportFlags, io: Io): Promise<number> {
  const run = loadMergedRun(dirs.map((d) => resolve(io.cwd, d)));
  const baseline = flags.baseline === undefined ? undefined : loadBaseline(resolve(io.cwd, flags.baseline));
  let target: MergeTarget | undefined;
  if (flags.copyTrees === true && flags.output === undefined)
    throw new UsageError('--copy-trees copies into the --output directory: give --output DIR too');
  if (flags.output !== undefined) {
    const dir = join(resolve(io.cwd, flags.output), run.runId);
    if (flags.copyTrees === true) {
      const skipped = copyMergedTree(run, dir);
      if (skipped.length > 0)
        io.stderr.write(
          `orchestrator: left out of the copy (not a directory or regular file, e.g. a symbolic link): ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ` and ${skipped.length - 10} more` : ''}\n`,
        );
    } else copyMergedRecords(run, dir);
    target = { dir, holdsTrees: flags.copyTrees === true };
  } else if (run.runDirs.length === 1) {
    // in place: the leaves of a merged output keep naming their shard folders
    target = { dir: run.runDirs[0]!, holdsTrees: false };
  }
  for (const source of slowShards(run))
    io.stderr.write(
      `orchestrator: shard ${source.record.shard.index}/${source.record.shard.count}: reading its leaves one by one from ${source.dir}: ${source.fallback}\n`,
    );
  const after = target === undefined ? notRunHere(run, io) : await afterSteps(run, target.dir, flags, io);
  const report = await reportMerged(run, target, { baseline, after });
  const { totals, resultsPath, htmlPath } = report;
  await print(report, run, formatOf(flags, io), io);
  if (target === undefined)
    io.stderr.write(
      'orchestrator: no merged results.json or report.html was written: the directories hold several run trees; pass --output DIR to write the merged run there\n',
    );
  if (after !== null) io.stderr.write(`${afterLine(after, target!.dir)}\n`);
  if (resultsPath !== undefined) io.stderr.write(`results: ${resultsPath}\nreport: ${htmlPath}\n`);
  if (flags.open === true) {
    // the path only: opening a browser is the user's call (and there is none in CI)
    if (htmlPath !== undefined) io.stdout.write(`${htmlPath}\n`);
    else
      io.stderr.write(
        '--open: no report.html was written: the directories hold several run trees; pass --output DIR to merge them into one\n',
      );
  }
  const afterFailed = after !== null && after.status !== 'succeeded';
  return totals.failed + totals.cancelled > 0 || run.missingShards.length > 0 || afterFailed ? 1 : 0;
}

/**
 * `report`'s flags; those after `config` set how the after steps run, with a run's defaults when
 * unset (never the run's run.json: records supply data, not settings).
 */
export interface ReportFlags extends Omit<AfterSettings, 'timeoutS'> {
  output?: string;
  /** `--format`; unset: text when stdout is a terminal, else markdown (what scripts reading a pipe always got). */
  format?: ReportFormat;
  open?: boolean;
  baseline?: string;
  copyTrees?: boolean;
  /** The config the after steps come from: without it none run. */
  config?: string;
  /** `--timeout S` */
  timeout?: number;
}

/** Runs the config's after steps once over the merged leaves, into the merged tree `target`. */
async function afterSteps(run: MergedRun, target: string, flags: ReportFlags, io: Io): Promise<AfterResult | null> {
  const { output: _output, format: _format, open: _open, baseline: _baseline, copyTrees: _copyTrees, config, timeout, ...settings } = flags;
  const stop = stopOnSignals((signal) => io.stderr.write(`orchestrator: ${signal}: stopping the after steps\n`));
  try {
    return await runAfterForReport(
      {
        runId: run.runId,
        runDir: target,
        shards: run,
        configFile: config,
        configOption: '--config FILE (the config the shards ran)',
        baseDir: io.cwd,
        settings: { ...settings, timeoutS: timeout },
        env: io.env,
        signal: stop.signal,
      },
      mergedLeaves(run, { treesFrom: target }),
    );
  } finally {
    stop.dispose();
  }
}

/** Several run trees and no --output: there is no one tree to write the after steps into. */
function notRunHere(run: MergedRun, io: Io): null {
  if (run.runDirs.length > 1) {
    io.stderr.write(
      'orchestrator: warning: after steps (if the config has any) are not run: the directories hold several run trees; pass --output DIR to merge them into one\n',
    );
  }
  return null;
}

/** What the after steps gave, in one line: where their output is, or why there is none. */
function afterLine(after: AfterResult, runDir: string): string {
  const last = after.steps.at(-1);
  return after.status === 'succeeded' && last !== undefined
    ? `after: ${join(runDir, last.dir)}`
    : `after: ${after.status}: ${after.error ?? ''}`;
}

export type ReportFormat = 'text' | 'markdown' | 'json';

function formatOf(flags: ReportFlags, io: Io): ReportFormat {
  return flags.format ?? (io.stdout.isTTY === true ? 'text' : 'markdown');
}

/** The merged run on stdout, as `format` says. */
async function print(report: MergedReport, run: MergedRun, format: ReportFormat, io: Io): Promise<void> {
  if (format === 'markdown') io.stdout.write(report.summary);
  else if (format === 'text') {
    const { title, totals, notes, after, baseline } = report;
    const columns = io.stdout.isTTY === true ? io.stdout.columns : undefined;
    io.stdout.write(renderText({ title, totals, durationMs: run.durationMs, leaves: report.leaves(), notes, after, baseline, columns }));
  } else await printResults(report, run, io);
}

/** results.json as written; without a target, written to a temporary directory first (the same streaming writer). */
async function printResults(report: MergedReport, run: MergedRun, io: Io): Promise<void> {
  const copy = (path: string): Promise<void> => pipeline(createReadStream(path), io.stdout, { end: false });
  if (report.resultsPath !== undefined) return copy(report.resultsPath);
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-report-'));
  try {
    const path = join(dir, 'results.json');
    const header = { run_id: run.runId, shard: { index: 1, count: 1 }, flows_total: run.total, after: report.after };
    await writeResults(path, header, report.leaves());
    await copy(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
