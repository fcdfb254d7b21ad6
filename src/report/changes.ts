import type { Changes, FileChange } from '../model/results.js';
import { cell, escapeMarkdown, formatNumber } from './markdown.js';

/** `+12 −3`, or `binary` for a file without line counts. */
export function counts(change: Pick<FileChange, 'added' | 'removed'> & { binary?: boolean }): string {
  return change.binary ? 'binary' : `+${formatNumber(change.added)} −${formatNumber(change.removed)}`;
}

/** `3 files +12 −3`, `no changes`, or '' when nothing is known (no step ran in a worktree). */
export function changesTotal(changes: Changes | null | undefined): string {
  if (!changes) return '';
  if (changes.files.length === 0) return 'no changes';
  const files = changes.files.length === 1 ? '1 file' : `${formatNumber(changes.files.length)} files`;
  return `${files} ${counts(changes)}`;
}

const pathOf = (file: FileChange): string => (file.old_path !== undefined ? `${file.old_path} → ${file.path}` : file.path);

/** The summary table's cell: totals, then the first files with their counts; escaped. */
export function changesCell(changes: Changes | null | undefined, shown = 3): string {
  if (!changes || changes.files.length === 0) return changesTotal(changes);
  const files = changes.files.slice(0, shown).map((f) => `${cell(pathOf(f), 60)} ${counts(f)}`);
  const more = changes.files.length > shown ? `<br>…and ${formatNumber(changes.files.length - shown)} more` : '';
  return `${changesTotal(changes)}<br>${files.join('<br>')}${more}`;
}

/** The diffstat as lines (`path | +12 −3`, escaped) for the PR comment's details; at most `max` files. */
export function diffstatBlock(changes: Changes, max: number): string {
  const lines = changes.files.slice(0, max).map((f) => `${escapeMarkdown(pathOf(f).replace(/[\r\n]/g, ' '))} | ${counts(f)}`);
  if (changes.files.length > max) lines.push(`…and ${formatNumber(changes.files.length - max)} more files`);
  return lines.join('\n');
}
