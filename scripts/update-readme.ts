/**
 * Writes what is generated from the table of options (src/options/table.ts) and from action.yml:
 * - action.yml's `inputs:` block, from the table;
 * - docs/cli.md's CLI options tables, from the table, between <!-- cli-options:start --> and <!-- cli-options:end -->;
 * - docs/action.md's inputs and outputs tables, from action.yml, between <!-- action-docs:start --> and <!-- action-docs:end -->.
 * With --check, changes nothing and exits 1 when any of them is stale (CI runs it so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { parse } from 'yaml';

// the sources import each other as `./x.js` (for tsc): run them from their .ts files here
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
const docs = (await import(new URL('../src/options/docs.ts', import.meta.url).href)) as typeof import('../src/options/docs.js');

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

export function render(action: ActionYml): string {
  const inputs = Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.default === undefined || input.default === '' ? '' : `\`${cell(input.default)}\``} | ${cell(input.description)} |`,
  );
  const outputs = Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(output.description)} |`);
  return [
    '<!-- generated from action.yml by `npm run docs`; do not edit by hand -->',
    '',
    '### Inputs',
    '',
    '| input | default | description |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

/** `text` with what lies between the markers `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced. */
function between(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) {
    console.error(`docs/: the markers ${start} and ${end} are missing`);
    process.exit(1);
  }
  return `${text.slice(0, from)}${start}\n${body}\n${text.slice(to)}`;
}

const files: [string, string, string][] = [];
const actionText = readFileSync('action.yml', 'utf8');
const actionUpdated = docs.withInputs(actionText);
files.push(['action.yml', actionText, actionUpdated]);
const actionPage = readFileSync('docs/action.md', 'utf8');
files.push(['docs/action.md', actionPage, between(actionPage, 'action-docs', render(parse(actionUpdated) as ActionYml))]);
const cliPage = readFileSync('docs/cli.md', 'utf8');
files.push(['docs/cli.md', cliPage, between(cliPage, 'cli-options', docs.renderCliTables())]);

const stale = files.filter(([, before, after]) => before !== after).map(([file]) => file);
if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    console.error(`${stale.join(' and ')}: stale (the table of options is src/options/table.ts): run \`npm run docs\` and commit them`);
    process.exit(1);
  }
  console.log('action.yml, docs/action.md and docs/cli.md match the table of options and action.yml');
} else {
  for (const [file, , after] of files.filter(([, before, after]) => before !== after)) writeFileSync(file, after);
  console.log(stale.length > 0 ? `updated: ${stale.join(', ')}` : 'up to date');
}
