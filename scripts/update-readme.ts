/**
 * Writes the README's inputs and outputs tables from action.yml, between the markers
 * <!-- action-docs:start --> and <!-- action-docs:end -->. With --check, changes nothing and exits 1
 * when the README is stale (CI runs it so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
}

const START = '<!-- action-docs:start -->';
const END = '<!-- action-docs:end -->';

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
    START,
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
    END,
  ].join('\n');
}

const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml;
const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) {
  console.error(`README.md: the markers ${START} and ${END} are missing`);
  process.exit(1);
}
const updated = readme.slice(0, start) + render(action) + readme.slice(end + END.length);
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md: the inputs/outputs tables are stale: run `npm run docs` and commit README.md');
    process.exit(1);
  }
  console.log('README.md: inputs/outputs tables match action.yml');
} else if (updated !== readme) {
  writeFileSync('README.md', updated);
  console.log('README.md: inputs/outputs tables updated');
}
