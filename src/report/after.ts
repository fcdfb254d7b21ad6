import type { AfterResult, Status } from '../model/results.js';
import { escapeName, formatNumber, prose } from './markdown.js';

const STATUS: Record<Status, string> = { succeeded: '✅ succeeded', failed: '❌ failed', cancelled: '⏹️ cancelled' };

/** `summarise → polish`, the after steps' names, escaped (they are read back from results.json). */
const chain = (after: AfterResult): string => after.steps.map((s) => escapeName(s.name)).join(' → ') || 'after';

/** The text cut to `max` characters, with a note of how much more the artifact holds. */
function cut(text: string, max: number, where: string): string {
  if (text.length <= max) return prose(text);
  return `${prose(text.slice(0, max))}\n\n_…${formatNumber(text.length - max)} more characters: see ${escapeName(where)} in the artifact._`;
}

/**
 * What the job summary and the PR comment lead with: the after steps' output over all results,
 * escaped like any model output (as running text, lines kept), or their error when they failed.
 * At most `limit` bytes: a long output is cut shorter until it fits, with a note.
 */
export function afterSection(after: AfterResult, limit: number, heading = '###'): string {
  const last = after.steps[after.steps.length - 1];
  const where = last ? `${last.dir}/output.txt` : 'after/';
  const tokens = after.usage.input_tokens + after.usage.output_tokens;
  const head = `${heading} ${chain(after)} (over all results)\n\n_${STATUS[after.status]}${tokens > 0 ? ` · ${formatNumber(tokens)} tokens` : ''}_\n\n`;
  for (let max = 60_000; ; max = Math.floor(max / 2)) {
    const parts: string[] = [];
    if (after.status !== 'succeeded') parts.push(`**Error:** ${cut(after.error ?? after.status, Math.min(max, 2000), where)}`);
    if (after.output !== null && after.output.trim() !== '') parts.push(cut(after.output, max, where));
    const section = `${head}${parts.join('\n\n')}\n\n---\n\n`;
    if (Buffer.byteLength(section) <= limit || max < 200) return section;
  }
}
