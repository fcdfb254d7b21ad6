import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyRun, type ApplyRow, type ApplyTarget } from '../apply/apply.js';
import { prBody } from '../apply/pr-body.js';
import { writeRedo } from '../apply/redo.js';
import { UsageError } from '../errors.js';
import { loadMergedRun } from '../report/merge.js';
import type { Status } from '../model/results.js';
import type { Io } from './io.js';

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - [...text].length));

/** The table `apply` prints: leaf, files, +/−, and what happened. */
export function applyTable(rows: readonly ApplyRow[], check: boolean): string {
  const lines = rows.map((row) => {
    const files = row.files.map((f) => f.path);
    const outcome =
      row.outcome === 'applied' && check
        ? 'applies'
        : row.outcome === 'conflict'
          ? `conflict, skipped${files.length > 0 ? `: ${files.join(', ')}` : ''}${row.detail ? ` (${row.detail})` : ''}`
          : row.outcome === 'applied' && (row.branch !== undefined || row.commit !== undefined)
            ? `applied: ${row.branch !== undefined ? `branch ${row.branch}` : `commit ${row.commit!.slice(0, 12)}`}`
            : row.detail && row.outcome !== 'no patch'
              ? `${row.outcome} (${row.detail})`
              : row.outcome;
    return [row.leaf, String(row.files.length), `+${row.added} −${row.removed}`, outcome];
  });
  const head = ['leaf', 'files', '+/−', check ? 'check' : 'result'];
  const widths = head.map((h, i) => Math.max([...h].length, ...lines.map((l) => [...l[i]!].length)));
  const format = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [format(head), ...lines.map(format)].join('\n') + '\n';
}

/**
 * `orchestrator apply RUN_DIR`: applies the patches of the run's succeeded leaves (or those of
 * `--status`) to the checkout; 1 when a patch conflicted or cannot be applied (that leaf is skipped
 * whole, the others are applied), else 0.
 */
export interface ApplyFlags {
  readonly workdir?: string;
  readonly status: Status[];
  readonly check: boolean;
  readonly commit: boolean;
  /** `--branch PREFIX`. */
  readonly branch?: string;
  readonly prBody?: string;
  readonly redo?: string;
}

function target(flags: ApplyFlags): ApplyTarget {
  if (flags.commit && flags.branch !== undefined)
    throw new UsageError(
      '--commit and --branch both given: --commit stacks the leaves on HEAD, --branch puts each on its own branch; choose one',
    );
  if (flags.branch !== undefined) return { kind: 'branch', prefix: flags.branch };
  return flags.commit ? { kind: 'commit' } : { kind: 'worktree' };
}

export async function applyCommand(runDir: string, flags: ApplyFlags, io: Io): Promise<number> {
  const dir = resolve(io.cwd, runDir);
  const rows = await applyRun({
    runDir: dir,
    checkout: resolve(io.cwd, flags.workdir ?? '.'),
    statuses: flags.status,
    check: flags.check,
    target: target(flags),
  });
  io.stdout.write(applyTable(rows, flags.check));
  if (flags.prBody !== undefined) writeFileSync(resolve(io.cwd, flags.prBody), prBody(rows, { runId: loadMergedRun([dir]).runId }));
  if (flags.redo !== undefined) {
    const keys = writeRedo(resolve(io.cwd, flags.redo), rows);
    if (keys.length > 0)
      io.stderr.write(
        `orchestrator: to run the conflicting leaves again on the new HEAD: orchestrator run CONFIG --isolate worktree ${keys.map((k) => `--key ${JSON.stringify(k)}`).join(' ')} (and your other options)\n`,
      );
  }
  const count = (outcome: ApplyRow['outcome']): number => rows.filter((r) => r.outcome === outcome).length;
  const conflicts = rows.filter((r) => r.outcome === 'conflict');
  io.stderr.write(
    `${flags.check ? 'check (nothing changed): ' : ''}${count('applied')} ${flags.check ? 'would apply' : 'applied'}${count('already applied') ? `, ${count('already applied')} already applied` : ''}, ${conflicts.length} conflicting, ${count('empty')} empty` +
      (count('shared') ? `, ${count('shared')} sharing an earlier leaf's patch` : '') +
      (count('no patch') ? `, ${count('no patch')} without a patch` : '') +
      '\n',
  );
  for (const row of conflicts)
    io.stderr.write(
      `orchestrator: conflict: ${row.leaf} was not applied (${row.files.length > 0 ? row.files.map((f) => f.path).join(', ') : row.detail})\n`,
    );
  return conflicts.length > 0 ? 1 : 0;
}
