import * as core from '@actions/core';
import { resolve } from 'node:path';
import { applyLeaves, applyRun, type RunLeaves } from '../apply/apply.js';
import { Outputs, type OutputName } from './constants.js';
import type { Settings } from './settings.js';

/**
 * `apply: true`: applies the run's patches (its succeeded leaves') to the workspace after the flows,
 * sets the outputs `applied` and `conflicts`; resolves to the problem to fail the step with when a
 * patch conflicted or could not be applied. The run is its directory (mode `run`), or the leaves
 * mode `report` merged and reported: they are not read again.
 */
export async function applyToWorkspace(
  settings: Settings,
  run: string | RunLeaves,
  outputs: Record<OutputName, string>,
): Promise<string | undefined> {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const options = { checkout: resolve(workspace, settings.workdir), statuses: ['succeeded' as const], check: false };
  const rows = typeof run === 'string' ? await applyRun({ runDir: run, ...options }) : await applyLeaves(run, options);
  const applied = rows.filter((r) => r.outcome === 'applied' || r.outcome === 'shared').map((r) => r.leaf);
  const conflicts = rows.filter((r) => r.outcome === 'conflict');
  outputs[Outputs.Applied] = JSON.stringify(applied);
  outputs[Outputs.Conflicts] = JSON.stringify(conflicts.map((r) => r.leaf));
  core.info(`apply: ${applied.length} leaves applied to the workspace, ${conflicts.length} conflicting.`);
  if (rows.length > 0 && rows.every((r) => r.outcome === 'no patch')) {
    core.warning("apply: true, but no leaf left a changes.patch: patches are saved only with 'isolate: worktree'.");
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
