import type { ArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { runAfterForReport } from '../engine/after-report.js';
import { stopOnSignals } from '../engine/signals.js';
import { loadMergedRun, mergedLeaves as mergedRunLeaves, type MergedRun } from '../report/merge.js';
import { copyMergedRecords } from '../report/merge-copy.js';
import { usdDecimal } from '../model/cost.js';
import { isNotStarted, type AfterResult, type LeafEntry } from '../model/results.js';
import { CheckTally } from '../report/checks.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { escapeName } from '../report/markdown.js';
import { reportHtmlLine } from '../report/summary.js';
import { reportMerged, type MergedReport } from '../report/merged.js';
import { wholeOutput } from '../report/html-file.js';
import { applyToWorkspace } from './apply.js';
import { artifactClient, bytes, uploadMerged } from './artifacts.js';
import { downloadBaseline } from './baseline.js';
import { chooseReportDownloads, mergedName, runPrefix, type ReportDownloads } from './records.js';
import { upsertComment } from './comment.js';
import { outputDirectory } from './output.js';
import { excludeFromGit } from '../apply/git.js';
import { Outputs, type OutputName } from './constants.js';
import type { ReportSettings } from './settings.js';

/** Most results passed to the comment renderer; more could not fit in 65,536 characters anyway. */
const COMMENT_LEAVES = 2000;

/**
 * Mode `report`: downloads the latest records artifact of every shard of this run (not their run directories),
 * merges them, names missing shards, writes one job summary, uploads the merged results and, with
 * `comment: true`, creates or updates the pull request comment.
 */
export async function reportMode(settings: ReportSettings, runId: string, outputs: Record<OutputName, string>): Promise<void> {
  const env = process.env;
  if (!env.ACTIONS_RUNTIME_TOKEN)
    throw new UsageError(
      "mode 'report' downloads the shards' artifacts, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set).",
    );
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const client = await artifactClient();
  const merged = mergedName(settings.artifactName, runId);
  const { chosen, merging } = await downloadShards(client, settings, runId, workspace);
  const { run, runDir } = merging;
  const { notes, summary } = merging.report;
  for (const note of notes) core.warning(note);
  setReportOutputs(merging, outputs);

  if (settings.summary) {
    await core.summary
      .addRaw(summary + reportHtmlLine(run.runId, settings.upload ? merged : undefined, runDir) + runDirsLine(chosen.runDirArtifacts))
      .write();
  }
  if (settings.upload) {
    const uploaded = await uploadMerged(client, merged, merging.outputDir, runDir);
    core.info(`Uploaded the merged results (${uploaded.files} files, ${bytes(uploaded.size)}) as ${merged}.`);
  }
  if (settings.comment) {
    if (!settings.githubToken) core.warning("comment: true, but the input 'github-token' is empty: no comment was written.");
    else await commentOnPullRequest(settings.githubToken, settings.config, merging, merged);
  }
  // the leaves the summary reported, not the downloads read again (an unzip still under way would
  // make the two differ); their patches came with the records, where they were unpacked
  const conflicts =
    settings.apply !== 'off'
      ? await applyToWorkspace(
          settings,
          { runId: run.runId, leaves: merging.report.leaves(), treesFrom: runDir, runDirs: run.runDirs },
          outputs,
        )
      : undefined;
  if (settings.failOnError) failOnProblems(merging, conflicts);
}

/**
 * Finds the shards' artifacts of this run, downloads them into the output directory and merges
 * them; on failure nothing is left behind in the workspace.
 */
async function downloadShards(
  client: ArtifactClient,
  settings: ReportSettings,
  runId: string,
  workspace: string,
): Promise<{ chosen: ReportDownloads; merging: Merging }> {
  const { artifacts } = await client.listArtifacts({ latest: true });
  const chosen = chooseReportDownloads(settings.artifactName, runId, artifacts);
  if (chosen.downloads.length === 0) {
    throw new UsageError(
      `No artifact named ${runPrefix(settings.artifactName, runId)}* in this workflow run: the run jobs uploaded nothing, or used another 'artifact-name' or 'run-id' (this job looked for run id ${runId}).`,
    );
  }
  const outputDir = outputDirectory(workspace);
  // never committed by a later step (create-pull-request adds everything)
  if (await excludeFromGit(outputDir)) core.info(`${outputDir} is kept out of git by the repository's info/exclude.`);
  const madeOutput = !existsSync(outputDir);
  // each shard unpacked into a folder named for its run-directory artifact: the merged leaves name it as where their files are
  const downloads = join(outputDir, `${runId}-shards`);
  const temp = join(process.env.RUNNER_TEMP ?? join(workspace, '.orchestrator'), 'orchestrator-report');
  try {
    const merging = await downloadAndMerge(client, settings, chosen, downloads, outputDir, join(temp, `${runId}-baseline`), workspace);
    return { chosen, merging };
  } catch (error) {
    // records refused (or a download failed): nothing is left behind in the workspace
    rmSync(madeOutput ? outputDir : downloads, { recursive: true, force: true });
    throw error;
  }
}

/** The outputs of mode `report`: the merged run's directory, results and totals. */
function setReportOutputs({ run, runDir, report }: Merging, outputs: Record<OutputName, string>): void {
  const { totals, after } = report;
  outputs[Outputs.RunId] = run.runId;
  outputs[Outputs.RunDir] = runDir;
  outputs[Outputs.Results] = join(runDir, 'results.json');
  outputs[Outputs.Succeeded] = String(totals.succeeded);
  outputs[Outputs.Failed] = String(totals.failed);
  outputs[Outputs.InputTokens] = String(totals.usage.input_tokens);
  outputs[Outputs.OutputTokens] = String(totals.usage.output_tokens);
  outputs[Outputs.CostUsd] = usdDecimal(totals.usage.cost_usd === undefined ? 0 : totals.usage.cost_usd);
  outputs[Outputs.AfterOutput] = after?.output ?? '';
  // results.json cuts a long output: the output is the whole one, read from its file
  if (totals.total === 1)
    for (const leaf of report.leaves()) if (!isNotStarted(leaf)) outputs[Outputs.FinalMessage] = wholeOutput(leaf, runDir) ?? '';
}

/** Creates or updates this workflow's comment on the pull request (a warning when the token cannot write). */
async function commentOnPullRequest(token: string, configInput: string | undefined, merging: Merging, merged: string): Promise<void> {
  const env = process.env;
  const { run } = merging;
  const { title, totals, notes, after, baseline } = merging.report;
  const leaves: LeafEntry[] = [];
  let unlisted = 0;
  // the checks' pass rates count every leaf, listed or not
  const checks = new CheckTally();
  // never-started ranges are counted in the totals line; the comment lists leaves that ran
  for (const leaf of merging.report.leaves()) {
    checks.add(leaf);
    if (isNotStarted(leaf)) unlisted += leaf.count;
    else if (leaves.length < COMMENT_LEAVES) leaves.push(leaf);
    else unlisted++;
  }
  const config = configInput ?? run.shardRecords[0]?.config.file ?? 'config';
  const marker = commentMarker(env.GITHUB_WORKFLOW ?? 'workflow', env.GITHUB_JOB ?? 'job', config);
  const link =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `[Workflow run](${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}) · artifact \`${merged}\``
      : undefined;
  const body = renderComment({
    marker,
    title,
    totals,
    durationMs: run.durationMs,
    leaves,
    unlisted,
    checks,
    notes,
    footer: link,
    after,
    baseline,
  });
  const outcome = await upsertComment(token, marker, body);
  if (outcome.kind === 'forbidden') core.warning(outcome.reason);
  else if (outcome.kind === 'skipped') core.info(`No comment: ${outcome.reason}.`);
  else core.info(`Comment ${outcome.kind}: ${outcome.url}`);
}

/** fail-on-error: the step fails when a leaf failed or was cancelled, a shard is missing, the after steps or a patch did not succeed. */
function failOnProblems({ run, report }: Merging, conflicts: string | undefined): void {
  const { totals, after } = report;
  const problems = totals.failed + totals.cancelled + run.missingShards.length;
  const afterFailed = after !== null && after !== undefined && after.status !== 'succeeded' ? afterProblem(after) : '';
  if (problems === 0 && conflicts === undefined && afterFailed === '') return;
  const missing = run.missingShards.length > 0 ? `; ${run.missingShards.length} shards missing` : '';
  const results =
    problems > 0
      ? `${totals.failed} failed and ${totals.cancelled} cancelled of ${totals.total} results${missing}: see the job summary`
      : '';
  core.setFailed([results, afterFailed, conflicts ?? ''].filter(Boolean).join('; '));
}

/** Why the run is not done when its after steps did not succeed, for `setFailed`. */
export const afterProblem = (after: AfterResult): string =>
  `the after steps ${after.status === 'failed' ? 'failed' : 'were cancelled'}: ${after.error ?? ''}`;

/**
 * The config's after steps, once over the merged leaves (the shards do not run them): from the
 * input 'config' (a file of this job's checkout) only, with this step's inputs as their settings;
 * the downloaded records supply neither.
 */
async function afterSteps(settings: ReportSettings, run: MergedRun, runDir: string, workspace: string): Promise<AfterResult | null> {
  const stop = stopOnSignals((signal) => core.warning(`${signal}: stopping the after steps.`));
  try {
    return await runAfterForReport(
      {
        runId: run.runId,
        runDir,
        shards: run,
        configFile: settings.config,
        configOption: "the input 'config' (the config file the shards ran, in this job's checkout)",
        baseDir: workspace,
        confineTo: workspace,
        settings: {
          offline: settings.offline,
          timeoutS: settings.timeoutS,
          retries: settings.retries,
          model: settings.model,
          api: settings.api,
          baseUrl: settings.baseUrl,
          workdir: settings.workdir,
          tokenBudget: settings.tokenBudget,
          maxCost: settings.maxCost,
          sandbox: settings.sandbox,
          isolate: settings.isolate,
        },
        env: { ...process.env, OPENAI_API_KEY: settings.apiKey },
        signal: stop.signal,
      },
      mergedRunLeaves(run, { treesFrom: runDir }),
    );
  } finally {
    stop.dispose();
  }
}

/** Where the leaves' files are: the shards' run-directory artifacts, the first and last when there are many. */
function runDirsLine(runDirArtifacts: ReadonlyMap<string, string>): string {
  const names = [...runDirArtifacts.values()];
  if (names.length === 0) return '';
  const shown = names.length <= 3 ? names.map((n) => escapeName(n)).join(', ') : `${escapeName(names[0]!)} … ${escapeName(names.at(-1)!)}`;
  return `\nEach leaf's files (prompts, outputs, patches) are in its shard's artifact: ${shown}.\n`;
}

interface Merging {
  readonly run: MergedRun;
  /** Where the merged run directory was written (generated/ of the workspace). */
  readonly outputDir: string;
  readonly runDir: string;
  readonly report: MergedReport;
}

/**
 * Downloads the chosen artifacts into `downloads`, the baseline run when asked, and merges them:
 * the merged output (results, records and report.html, no flow directory) goes to
 * `<outputDir>/<run id>`, written through SafeTree, so a link planted there is refused.
 */
async function downloadAndMerge(
  client: ArtifactClient,
  settings: ReportSettings,
  chosen: ReportDownloads,
  downloads: string,
  outputDir: string,
  baselineDir: string,
  workspace: string,
): Promise<Merging> {
  rmSync(downloads, { recursive: true, force: true });
  for (const { artifact, folder } of chosen.downloads) {
    const path = join(downloads, folder);
    mkdirSync(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path });
    core.info(`Downloaded ${artifact.name} (${bytes(artifact.size)})`);
  }
  const share = chosen.allBytes > 0 ? ` (${((100 * chosen.downloadedBytes) / chosen.allBytes).toFixed(1)} %)` : '';
  core.info(
    `Downloaded ${bytes(chosen.downloadedBytes)}${share} of the ${bytes(chosen.allBytes)} this run's shard artifacts hold: the records, not the trees.`,
  );
  for (const note of chosen.notes) core.warning(note);

  const baselineRunId = settings.baselineRunId;
  const baselineRun =
    baselineRunId === undefined ? undefined : await downloadBaseline(client, { ...settings, baselineRunId }, process.env, baselineDir);
  const run = loadMergedRun([downloads]);
  const runDir = join(outputDir, run.runId);
  copyMergedRecords(run, runDir);
  const after = await afterSteps(settings, run, runDir, workspace);
  const report = await reportMerged(run, { dir: runDir, holdsTrees: false }, { baseline: baselineRun, after });
  return { run, outputDir, runDir, report };
}
