import type { ArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseConfigLenient } from '../config/parse.js';
import { UsageError, errorMessage } from '../errors.js';
import { loadFlowSpace } from '../engine/flow-space.js';
import { prepare, type PreparedRun } from '../engine/prepare.js';
import { findExecutable } from '../engine/run-checks.js';
import { Run, type RunOutcome, type Runners } from '../engine/run.js';
import { stopOnSignals } from '../engine/signals.js';
import { makeRunners } from '../steps/factory.js';
import { shardPlan } from '../flows/plan.js';
import { ProgressPrinter } from '../progress/printer.js';
import { checkedRunId, newRunId } from '../results/paths.js';
import { usdDecimal } from '../model/cost.js';
import type { ResultItem } from '../model/results.js';
import { renderSummary, reportHtmlLine, SummaryRows } from '../report/summary.js';
import { refuseUnsupportedPlatform } from '../util/platform.js';
import { redactorFor } from '../util/redact.js';
import { shelterPrivateEnv } from '../util/shelter.js';
import { runOptions } from '../options/run-options.js';
import { withCache } from '../cache/runner.js';
import { ResponseCache } from '../cache/store.js';
import { applyToWorkspace } from './apply.js';
import { artifactClient, bytes, downloadOwn, uploadRun } from './artifacts.js';
import { installCodex } from './codex-install.js';
import { Inputs, Outputs, type OutputName } from './constants.js';
import { outputDirectory } from './output.js';
import { excludeFromGit } from '../apply/git.js';
import { runArtifactNames, type RunArtifactNames } from './records.js';
import { afterProblem, reportMode } from './report.js';
import { cacheKeys } from './cache-keys.js';
import { restoreResponses, saveResponses } from './response-cache.js';
import { parseSettings, type PlanSettings, type RunSettings, type Settings } from './settings.js';

type OutputValues = Record<OutputName, string>;

/** Every output, empty first: the Action sets them all in one place. */
const emptyOutputs = (): OutputValues => ({
  [Outputs.RunDir]: '',
  [Outputs.Results]: '',
  [Outputs.Succeeded]: '0',
  [Outputs.Failed]: '0',
  [Outputs.InputTokens]: '0',
  [Outputs.OutputTokens]: '0',
  [Outputs.CostUsd]: '0',
  [Outputs.Matrix]: '',
  [Outputs.RunId]: '',
  [Outputs.FinalMessage]: '',
  [Outputs.AfterOutput]: '',
  [Outputs.Applied]: '',
  [Outputs.Conflicts]: '',
  [Outputs.Branches]: '',
  [Outputs.PrBody]: '',
});

function defaultRunId(settings: Settings, env: NodeJS.ProcessEnv): string {
  if (settings.runId !== undefined) return checkedRunId(`the input '${Inputs.RunId}'`, settings.runId);
  return env.GITHUB_RUN_ID ? `run_gh${env.GITHUB_RUN_ID}` : newRunId(new Date());
}

const MISSING_KEY =
  `The input '${Inputs.OpenaiApiKey}' is empty and OPENAI_API_KEY is not set, but the config has model or codex steps. ` +
  'Pass it with `openai-api-key: ${{ secrets.OPENAI_API_KEY }}`. On a pull request from a fork, GitHub gives the workflow no secrets: ' +
  'skip such runs (e.g. `if: github.event.pull_request.head.repo.full_name == github.repository`), or set `offline: true` to try the config without a key.';

/** Installs codex from npm when the config has codex steps, none is on PATH, and `codex-version` is set. */
async function installCodexIfNeeded(settings: RunSettings, workspace: string): Promise<void> {
  const version = settings.codexVersion;
  if (settings.offline || version === undefined || findExecutable('codex', process.env, workspace) !== undefined) return;
  const path = resolve(workspace, settings.config);
  let hasCodex = false;
  try {
    hasCodex = parseConfigLenient(readFileSync(path, 'utf8'), settings.config).config.steps.some((s) => s.kind === 'codex');
  } catch {
    return; // prepare() reports the problem with the config
  }
  if (!hasCodex) return;
  const bin = await core.group(`Installing @openai/codex@${version}`, () =>
    Promise.resolve(installCodex(version, join(process.env.RUNNER_TEMP ?? workspace, 'orchestrator-codex'))),
  );
  core.addPath(bin);
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
}

/** The response cache of `cache: true`: outside the workspace, so it is not part of the run's artifact. */
function responseCache(env: NodeJS.ProcessEnv): ResponseCache {
  const dir = join(env.RUNNER_TEMP ?? tmpdir(), 'orchestrator-cache');
  return new ResponseCache(dir, `The input '${Inputs.Cache}' is true, but its directory ${JSON.stringify(dir)}`);
}

/** Downloads this job's run directory from an earlier attempt when `resume` is on: true when it was there. */
async function downloadEarlierAttempt(
  settings: RunSettings,
  artifacts: ArtifactClient | undefined,
  names: RunArtifactNames,
  outputDir: string,
): Promise<boolean> {
  if (!settings.resume || artifacts === undefined) return false;
  const found = await downloadOwn(artifacts, names.runDir, outputDir);
  if (found) core.info(`Resuming: downloaded ${names.runDir} from an earlier attempt; flows that succeeded there are not run again.`);
  return found;
}

/** The step runners, answering from the response cache when `cache` is on; `save` stores what the run added. */
async function runnersFor(
  settings: RunSettings,
  prepared: PreparedRun,
  env: NodeJS.ProcessEnv,
): Promise<{ runners: Runners; save: () => Promise<void> }> {
  const warn = (text: string): void => core.warning(text);
  if (!settings.cache || settings.offline) return { runners: makeRunners(prepared, warn), save: () => Promise.resolve() };
  const responses = responseCache(env);
  const keys = cacheKeys({
    prefix: settings.artifactName,
    configHash: prepared.config.hash,
    shard: prepared.shard,
    runId: env.GITHUB_RUN_ID ?? prepared.runId,
    attempt: env.GITHUB_RUN_ATTEMPT ?? '1',
  });
  await restoreResponses(responses.dir, keys);
  return {
    runners: withCache(makeRunners(prepared, warn), prepared, responses, warn),
    save: () => saveResponses(responses.dir, keys, responses.written),
  };
}

/** Runs the flows until done or a signal stops them, printing progress to the log. */
async function executeRun(prepared: PreparedRun, runners: Runners, rows: SummaryRows | undefined): Promise<RunOutcome> {
  const stop = stopOnSignals((signal) => core.warning(`${signal}: stopping; running steps are ended and results are written.`));
  const printer = new ProgressPrinter(process.stdout, { tty: false, intervalMs: 10_000 });
  const control = {
    signal: stop.signal,
    onProgress: printer.update,
    onResult: rows ? (result: ResultItem) => rows.add(result) : undefined,
    onWarning: (warning: string) => core.warning(warning),
  };
  const outcome = await new Run(prepared, control, runners).execute().finally(() => stop.dispose());
  printer.finish();
  return outcome;
}

function setRunOutputs(outcome: RunOutcome, outputs: OutputValues): void {
  const { totals } = outcome;
  outputs[Outputs.Results] = outcome.resultsPath;
  outputs[Outputs.Succeeded] = String(totals.succeeded);
  outputs[Outputs.Failed] = String(totals.failed);
  outputs[Outputs.InputTokens] = String(totals.usage.input_tokens);
  outputs[Outputs.OutputTokens] = String(totals.usage.output_tokens);
  outputs[Outputs.CostUsd] = usdDecimal(totals.usage.cost_usd === undefined ? 0 : totals.usage.cost_usd);
  outputs[Outputs.FinalMessage] = outcome.onlyOutput ?? '';
  outputs[Outputs.AfterOutput] = outcome.after?.output ?? '';
}

/** Uploads the run directory and its records when there is an artifact service. */
async function uploadRunDirectory(
  settings: RunSettings,
  artifacts: ArtifactClient | undefined,
  names: RunArtifactNames,
  outputDir: string,
  runDir: string,
): Promise<void> {
  if (artifacts !== undefined) {
    const { runDir: whole, records } = await uploadRun(artifacts, names, outputDir, runDir);
    core.info(`Uploaded ${whole.files} files as artifact ${whole.name} (${bytes(whole.size)}).`);
    core.info(`Uploaded its records for the report job, ${records.files} files, as ${records.name} (${bytes(records.size)}).`);
  } else if (settings.upload) {
    core.warning('No artifact service here (ACTIONS_RUNTIME_TOKEN is not set): the run directory was not uploaded.');
  }
}

/** The job summary of a run; `artifact` is the uploaded run directory's name, when it was uploaded. */
async function writeRunSummary(
  prepared: PreparedRun,
  outcome: RunOutcome,
  rows: SummaryRows,
  durationMs: number,
  artifact: string | undefined,
): Promise<void> {
  const shard = prepared.shard.count > 1 ? ` (shard ${prepared.shard.index}/${prepared.shard.count})` : '';
  const summary = renderSummary({
    title: `orchestrator: ${prepared.runId}${shard}`,
    totals: outcome.totals,
    durationMs,
    rows,
    after: outcome.after,
  });
  await core.summary.addRaw(summary + reportHtmlLine(prepared.runId, artifact, prepared.runDir)).write();
}

/** What makes the step fail under `fail-on-error`: unfinished leaves, failed after steps, apply conflicts. */
function runProblems(outcome: RunOutcome, conflicts: string | undefined): string[] {
  const { totals } = outcome;
  const problems: string[] = [];
  if (totals.failed + totals.cancelled > 0)
    problems.push(
      `${totals.failed} failed and ${totals.cancelled} cancelled of ${totals.total} results: see the job summary and ${outcome.resultsPath}`,
    );
  if (outcome.after !== null && outcome.after.status !== 'succeeded') problems.push(afterProblem(outcome.after));
  if (conflicts !== undefined) problems.push(conflicts);
  return problems;
}

/** Mode `run`: runs the flows in-process, uploads the run directory, writes the summary. */
async function runMode(settings: RunSettings, outputs: OutputValues): Promise<void> {
  const env = process.env;
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const runId = defaultRunId(settings, env);
  const outputDir = outputDirectory(workspace);
  // never committed by a later step (create-pull-request adds everything)
  if (await excludeFromGit(outputDir)) core.info(`${outputDir} is kept out of git by the repository's info/exclude.`);
  const names = runArtifactNames(settings.artifactName, runId, settings.shard);
  const artifacts = settings.upload && env.ACTIONS_RUNTIME_TOKEN ? await artifactClient() : undefined;

  await installCodexIfNeeded(settings, workspace);
  const resume = await downloadEarlierAttempt(settings, artifacts, names, outputDir);
  const prepared = prepare(
    runOptions(settings, {
      configFile: settings.config,
      baseDir: workspace,
      outputDir,
      runId,
      resume: resume && existsSync(join(outputDir, runId, 'run.json')),
      confineTo: workspace,
      missingKeyHint: MISSING_KEY,
      codexNeedsKey: true,
      env: { ...env, OPENAI_API_KEY: settings.apiKey },
    }),
  );
  for (const warning of prepared.warnings) core.warning(warning);
  outputs[Outputs.RunId] = prepared.runId;
  outputs[Outputs.RunDir] = prepared.runDir;

  const { runners, save } = await runnersFor(settings, prepared, env);
  const started = Date.now();
  // the summary's rows are gathered as the run writes results.json: the leaves are read once
  const rows = new SummaryRows();
  const outcome = await executeRun(prepared, runners, settings.summary ? rows : undefined);
  await save();
  setRunOutputs(outcome, outputs);

  await uploadRunDirectory(settings, artifacts, names, outputDir, prepared.runDir);
  if (settings.summary)
    await writeRunSummary(prepared, outcome, rows, Date.now() - started, artifacts !== undefined ? names.runDir : undefined);
  const conflicts =
    settings.apply !== 'off'
      ? await applyToWorkspace(settings, { runDir: prepared.runDir, commitMessage: prepared.config.commitMessage }, outputs)
      : undefined;
  const problems = runProblems(outcome, conflicts);
  if (problems.length > 0 && settings.failOnError) core.setFailed(problems.join('; '));
}

/** Mode `plan`: the shard matrix for a following job. */
function planMode(settings: PlanSettings, outputs: OutputValues): void {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const space = loadFlowSpace(settings.config, settings.keys, workspace, workspace);
  if (space.total === 0) throw new UsageError('The config and keys make no flows, and an empty matrix fails the workflow.');
  const plan = shardPlan(defaultRunId(settings, process.env), space.total, settings.shards);
  core.info(JSON.stringify(plan));
  outputs[Outputs.Matrix] = JSON.stringify(plan.matrix);
  outputs[Outputs.RunId] = plan.run_id;
}

/** The Action's entry: one boundary turns any error into one `setFailed`. */
export async function run(): Promise<void> {
  // before anything reads an input: the tokens leave this process's /proc/<pid>/environ
  shelterPrivateEnv();
  const outputs = emptyOutputs();
  let redactor = redactorFor(process.env);
  try {
    refuseUnsupportedPlatform();
    const settings = parseSettings((name) => core.getInput(name), process.env);
    redactor = redactorFor(process.env, {
      apiKey: settings.apiKey ? { name: Inputs.OpenaiApiKey, value: settings.apiKey } : undefined,
      baseUrl: { value: settings.baseUrl, name: Inputs.BaseUrl },
      others: [settings.githubToken ? { name: Inputs.GithubToken, value: settings.githubToken } : undefined],
    });
    // every form: the runner masks a log line by line, so each line of a multi-line secret too
    for (const form of redactor.forms) core.setSecret(form);
    if (settings.mode === 'run') await runMode(settings, outputs);
    else if (settings.mode === 'plan') planMode(settings, outputs);
    else await reportMode(settings, defaultRunId(settings, process.env), outputs);
  } catch (error) {
    core.setFailed(
      redactor.redact(error instanceof UsageError ? error.problems.join('\n') : `orchestrator failed: ${errorMessage(error)}`),
    );
  } finally {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  }
}
