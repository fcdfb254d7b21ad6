import { cell, escapeMarkdown, formatNumber } from './markdown.js';
import { rateText, type CheckTally } from './checks.js';

/** Failing leaves listed in the Markdown and text sections. */
const LISTED = 20;

/** The Markdown section of checks: a table of pass rates per check, then the first failing leaves. Empty without checks. */
export function checksMarkdown(tally: CheckTally | undefined, heading = '###', listed = LISTED): string {
  if (tally === undefined || !tally.any) return '';
  const rows = tally
    .checks()
    .map((rate) => `| ${cell(rate.key, 160)} | ${escapeMarkdown(rateText(rate))} | ${formatNumber(rate.failed)} |`);
  const lines = [`${heading} Checks`, '', '| check | passed | failed |', '| --- | --- | --- |', ...rows];
  const failed = tally.failed(listed);
  if (failed.length > 0) {
    lines.push(
      '',
      `**${formatNumber(tally.failingLeaves)} results failed a check**${tally.failuresTotal > failed.length ? ` (first ${failed.length} failures)` : ''}:`,
      '',
    );
    for (const f of failed) lines.push(`- ${cell(f.leaf, 60)} · ${cell(f.key, 100)}: ${cell(f.reason, 200)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The plain-text section of checks (report --format text); `plain` makes untrusted text safe for a terminal. */
export function checksText(tally: CheckTally | undefined, plain: (text: string) => string, listed = LISTED): string[] {
  if (tally === undefined || !tally.any) return [];
  const width = Math.min(60, Math.max(...tally.checks().map((rate) => plain(rate.key).length)));
  const lines = ['checks:'];
  for (const rate of tally.checks()) lines.push(`  ${plain(rate.key).padEnd(width)}  ${rateText(rate)}`);
  const failed = tally.failed(listed);
  if (failed.length > 0) {
    lines.push(
      `${formatNumber(tally.failingLeaves)} results failed a check${tally.failuresTotal > failed.length ? ` (first ${failed.length} failures)` : ''}:`,
    );
    for (const f of failed) lines.push(`  ${plain(f.leaf)}  ${plain(f.key)}: ${plain(f.reason.split(/\r\n|\r|\n/)[0] ?? '')}`);
  }
  return lines;
}
