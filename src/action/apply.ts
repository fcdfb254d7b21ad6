import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyLeaves, applyRun, type ApplyRow, type ApplyTarget, type RunLeaves } from '../apply/apply.js';
import { prBody } from '../apply/pr-body.js';
import { Outputs, type OutputName } from './constants.js';
import type { Settings } from './settings.js';

/** Who signs the commits of `apply: commit`/`branch` when the workflow configured no git identity. */
const ACTIONS_BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** A row of the outputs `applied` and `conflicts`: what the leaf is and what it changed. */
function outputRow(row: ApplyRow): Record<string, unknown> {
  return {
    leaf: row.leaf,
    outcome: row.outcome,
    keys: row.keys,
    files: row.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed })),
    added: row.added,
    removed: row.removed,
    ...(row.commit !== undefined ? { commit: row.commit } : {}),
    ...(row.branch !== undefined ? { branch: row.branch } : {}),
    ...(row.detail !== undefined && row.outcome !== 'applied' ? { detail: row.detail } : {}),
  };
}

function target(settings: Settings): ApplyTarget {
  if (settings.apply === 'branch') return { kind: 'branch', prefix: settings.branchPrefix };
  return settings.apply === 'commit' ? { kind: 'commit' } : { kind: 'worktree' };
}

/**
 * `apply: true|commit|branch`: applies the run's patches (its succeeded leaves') after the flows, to
 * the workspace, as commits on HEAD or as a branch per leaf; sets the outputs `applied`,
 * `conflicts`, `branches` and `pr-body`; resolves to the problem to fail the step with when a
 * patch conflicted or could not be applied. The run is its directory (mode `run`), or the leaves
 * mode `report` merged and reported: they are not read again.
 */
export async function applyToWorkspace(
  settings: Settings,
  run: { runDir: string; commitMessage: string | undefined } | RunLeaves,
  outputs: Record<OutputName, string>,
): Promise<string | undefined> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const options = {
    checkout: resolve(workspace, settings.workdir),
    statuses: ['succeeded' as const],
    check: false,
    target: target(settings),
    identity: ACTIONS_BOT,
  };
  const rows =
    'runDir' in run
      ? await applyRun({ runDir: run.runDir, commitMessage: run.commitMessage, ...options })
      : await applyLeaves(run, options);
  const applied = rows.filter((r) => r.outcome === 'applied' || r.outcome === 'shared' || r.outcome === 'already applied');
  const conflicts = rows.filter((r) => r.outcome === 'conflict');
  outputs[Outputs.Applied] = JSON.stringify(applied.map(outputRow));
  outputs[Outputs.Conflicts] = JSON.stringify(conflicts.map(outputRow));
  outputs[Outputs.Branches] = JSON.stringify(rows.flatMap((r) => (r.branch !== undefined ? [r.branch] : [])));
  const runId = 'runDir' in run ? (outputs[Outputs.RunId] ?? 'run') : run.runId;
  // outside the workspace: a body file in it would be committed by create-pull-request
  const bodyFile = join(process.env.RUNNER_TEMP ?? tmpdir(), `orchestrator-pr-body-${runId}.md`);
  writeFileSync(bodyFile, prBody(rows, { runId }));
  outputs[Outputs.PrBody] = bodyFile;

  const already = rows.filter((r) => r.outcome === 'already applied').length;
  const where =
    settings.apply === 'branch' ? 'on branches of their own' : settings.apply === 'commit' ? 'as commits on HEAD' : 'to the workspace';
  core.info(`apply: ${applied.length - already} leaves applied ${where}, ${already} already applied, ${conflicts.length} conflicting.`);
  if (rows.length > 0 && rows.every((r) => r.outcome === 'no patch')) {
    core.warning("apply is on, but no leaf left a changes.patch: patches are saved only with 'isolate: worktree'.");
  }
  for (const row of conflicts) {
    core.warning(
      row.files.length > 0
        ? `${row.leaf}: its patch conflicts with the workspace and was not applied (${row.files.map((f) => f.path).join(', ')}): ${row.detail ?? ''}`
        : `${row.leaf}: its patch was not applied: ${row.detail ?? ''}`,
    );
  }
  return conflicts.length > 0
    ? `${conflicts.length} leaves' patches conflicted with the workspace or could not be applied, and were not applied: ${conflicts.map((r) => r.leaf).join(', ')}`
    : undefined;
}
