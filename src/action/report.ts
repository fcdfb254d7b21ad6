import { DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { copyMergedTree, loadMergedRun, mergedLeaves } from '../results/merge.js';
import { usdDecimal } from '../results/cost.js';
import { isNotStarted, type LeafEntry } from '../results/types.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { reportHtmlLine } from '../report/summary.js';
import { reportMerged } from '../report/merged.js';
import { wholeOutput } from '../results/report-html.js';
import { applyToWorkspace } from './apply.js';
import { uploadMerged } from './artifacts.js';
import { downloadBaseline } from './baseline.js';
import { RECORDS_SUFFIX } from './records.js';
import { upsertComment } from './comment.js';
import { outputDirectory } from './output.js';
import { Outputs, type OutputName } from './constants.js';
import type { ReportSettings } from './settings.js';

/** Most results passed to the comment renderer; more could not fit in 65,536 characters anyway. */
const COMMENT_LEAVES = 2000;

/**
 * Mode `report`: downloads the latest artifact of every shard of this run, merges them into one
 * tree, names missing shards, writes one job summary, uploads the merged tree and, with
 * `comment: true`, creates or updates the pull request comment.
 */
export async function reportMode(settings: ReportSettings, runId: string, outputs: Record<OutputName, string>): Promise<void> {
  const env = process.env;
  if (!env.ACTIONS_RUNTIME_TOKEN)
    throw new UsageError(
      "mode 'report' downloads the shards' artifacts, but there is no artifact service here (ACTIONS_RUNTIME_TOKEN is not set).",
    );
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const client = new DefaultArtifactClient();
  const prefix = `${settings.artifactName}-${runId}-`;
  const merged = `${prefix}merged`;
  const { artifacts } = await client.listArtifacts({ latest: true });
  // the trees; the shards' records artifacts (beside them) are not read yet
  const shards = artifacts.filter((a) => a.name.startsWith(prefix) && a.name !== merged && !a.name.endsWith(RECORDS_SUFFIX));
  if (shards.length === 0) {
    throw new UsageError(
      `No artifact named ${prefix}* in this workflow run: the run jobs uploaded nothing, or used another 'artifact-name' or 'run-id' (this job looked for run id ${runId}).`,
    );
  }
  const downloads = join(env.RUNNER_TEMP ?? join(workspace, '.orchestrator'), 'orchestrator-report', runId);
  rmSync(downloads, { recursive: true, force: true });
  for (const artifact of shards) {
    const path = join(downloads, artifact.name);
    mkdirSync(path, { recursive: true });
    await client.downloadArtifact(artifact.id, { path });
    core.info(`Downloaded ${artifact.name}`);
  }

  const baselineRunId = settings.baselineRunId;
  const baselineRun =
    baselineRunId === undefined
      ? undefined
      : await downloadBaseline(client, { ...settings, baselineRunId }, env, join(downloads, '..', `${runId}-baseline`));

  const run = loadMergedRun([downloads]);
  const outputDir = outputDirectory(workspace);
  const runDir = join(outputDir, run.runId);
  copyMergedTree(run, runDir);
  const { title, totals, notes, summary, after, baseline } = await reportMerged(
    run,
    { dir: runDir, holdsTrees: true },
    { baseline: baselineRun },
  );
  const resultsPath = join(runDir, 'results.json');
  for (const note of notes) core.warning(note);

  outputs[Outputs.RunId] = run.runId;
  outputs[Outputs.RunDir] = runDir;
  outputs[Outputs.Results] = resultsPath;
  outputs[Outputs.Succeeded] = String(totals.succeeded);
  outputs[Outputs.Failed] = String(totals.failed);
  outputs[Outputs.InputTokens] = String(totals.usage.input_tokens);
  outputs[Outputs.OutputTokens] = String(totals.usage.output_tokens);
  outputs[Outputs.CostUsd] = usdDecimal(totals.usage.cost_usd === undefined ? 0 : totals.usage.cost_usd);
  // results.json cuts a long output: the output is the whole one, read from its file
  if (totals.total === 1)
    for (const leaf of mergedLeaves(run)) if (!isNotStarted(leaf)) outputs[Outputs.FinalMessage] = wholeOutput(leaf, runDir) ?? '';

  if (settings.summary) {
    await core.summary.addRaw(summary + reportHtmlLine(run.runId, settings.upload ? merged : undefined, runDir)).write();
  }
  if (settings.upload) {
    const uploaded = await uploadMerged(client, merged, outputDir, runDir);
    core.info(`Uploaded the merged tree (${uploaded.files} files) as ${merged}.`);
  }
  if (settings.comment) {
    if (!settings.githubToken) {
      core.warning("comment: true, but the input 'github-token' is empty: no comment was written.");
    } else {
      const leaves: LeafEntry[] = [];
      let unlisted = 0;
      // never-started ranges are counted in the totals line; the comment lists leaves that ran
      for (const leaf of mergedLeaves(run))
        if (isNotStarted(leaf)) unlisted += leaf.count;
        else if (leaves.length < COMMENT_LEAVES) leaves.push(leaf);
        else unlisted++;
      const config = settings.config ?? run.records[0]?.config.file ?? 'config';
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
        notes,
        footer: link,
        after,
        baseline,
      });
      const outcome = await upsertComment(settings.githubToken, marker, body);
      if (outcome.kind === 'forbidden') core.warning(outcome.reason);
      else if (outcome.kind === 'skipped') core.info(`No comment: ${outcome.reason}.`);
      else core.info(`Comment ${outcome.kind}: ${outcome.url}`);
    }
  }
  const conflicts = settings.apply ? await applyToWorkspace(settings, runDir, outputs) : undefined;
  const problems = totals.failed + totals.cancelled + run.missingShards.length;
  if ((problems > 0 || conflicts !== undefined) && settings.failOnError) {
    const missing = run.missingShards.length > 0 ? `; ${run.missingShards.length} shards missing` : '';
    const results =
      problems > 0
        ? `${totals.failed} failed and ${totals.cancelled} cancelled of ${totals.total} results${missing}: see the job summary`
        : '';
    core.setFailed([results, conflicts ?? ''].filter(Boolean).join('; '));
  }
}
