import type { ArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { mkdirSync, rmSync } from 'node:fs';
import { UsageError, errorMessage } from '../errors.js';
import { loadBaseline, type MergedRun } from '../report/merge.js';
import { Inputs } from './constants.js';
import type { ReportSettings } from './settings.js';

/**
 * `baseline-run-id`: downloads the merged artifact of that workflow run (`<artifact-name>-<run id>-merged`,
 * or `-all` when it ran unsharded) into `into` and reads it as the baseline run. Another run's
 * artifacts go through the REST API, so this needs the token (`actions: read`) and the repository.
 * What it downloads is data like any artifact: loadBaseline validates every record it reads. A run
 * whose code came from a fork is refused before anything is downloaded (see `sameRepository`).
 */
export async function downloadBaseline(
  client: ArtifactClient,
  settings: ReportSettings & { baselineRunId: number },
  env: NodeJS.ProcessEnv,
  into: string,
): Promise<MergedRun> {
  const id = settings.baselineRunId;
  if (!settings.githubToken)
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is set (${id}), but '${Inputs.GithubToken}' is empty: another workflow run's artifacts are read through the GitHub API with a token that has 'actions: read'.`,
    );
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo)
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is set, but GITHUB_REPOSITORY (owner/name) is not: run this on GitHub Actions.`,
    );
  await refuseForks(settings.githubToken, owner, repo, id);
  const findBy = { token: settings.githubToken, workflowRunId: id, repositoryOwner: owner, repositoryName: repo };
  let names: { id: number; name: string }[];
  try {
    names = (await client.listArtifacts({ latest: true, findBy })).artifacts;
  } catch (error) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but the artifacts of workflow run ${id} in ${owner}/${repo} could not be listed (${errorMessage(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`,
    );
  }
  const prefix = `${settings.artifactName}-`;
  const ofKind = (suffix: string): { id: number; name: string }[] =>
    names.filter((a) => a.name.startsWith(prefix) && a.name.endsWith(suffix));
  const merged = ofKind('-merged');
  const candidates = merged.length > 0 ? merged : ofKind('-all');
  // a workflow that reported twice with other run ids: the default run id of that run decides
  const chosen = candidates.length === 1 ? candidates[0] : candidates.find((a) => a.name === `${prefix}run_gh${id}-merged`);
  if (chosen === undefined) {
    const found = names.map((a) => JSON.stringify(a.name)).join(', ') || 'none';
    throw new UsageError(
      candidates.length === 0
        ? `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has no artifact named ${prefix}<run id>-merged (or -all): it found ${found}. Pick a run whose report (or unsharded run) job uploaded its results, with the same 'artifact-name'.`
        : `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} has several merged artifacts (${found}) and none is ${prefix}run_gh${id}-merged: give each report its own 'artifact-name'.`,
    );
  }
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  await client.downloadArtifact(chosen.id, { path: into, findBy });
  core.info(`Downloaded the baseline ${chosen.name} from workflow run ${id}`);
  return loadBaseline(into);
}

/**
 * A run of a pull request from a fork ran the fork's code, which wrote that run's artifacts: a
 * baseline from it would put an outsider's results (and whatever its records claim) beside this
 * repository's. Only a run whose head repository is this repository is read; the run's record says
 * which (`head_repository`, null when the fork was deleted).
 */
async function refuseForks(token: string, owner: string, repo: string, id: number): Promise<void> {
  let head: string | undefined;
  try {
    // loaded here, when a baseline is asked for: octokit is not part of the Action's start
    const github = await import('@actions/github');
    const { data } = await github.getOctokit(token).rest.actions.getWorkflowRun({ owner, repo, run_id: id });
    head = data.head_repository?.full_name;
  } catch (error) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} of ${owner}/${repo} could not be read (${errorMessage(error)}): check the run id and that '${Inputs.GithubToken}' has 'actions: read'.`,
    );
  }
  if (head?.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
    throw new UsageError(
      `The input '${Inputs.BaselineRunId}' is ${id}, but workflow run ${id} ran the code of ${head === undefined ? 'a deleted repository' : `'${head}'`}, not of ${owner}/${repo} (a pull request from a fork): its artifacts were written by that code and are not trusted as a baseline. Pick a run of a branch of ${owner}/${repo}, e.g. the latest run on the default branch.`,
    );
  }
}
