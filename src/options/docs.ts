/**
 * What `npm run docs` writes from the table of options (scripts/update-readme.ts does the files):
 * action.yml's `inputs:` block and the README's CLI options tables. Pure: text in, text out.
 */
import { cliDefault } from './commander.js';
import { COMMANDS, type AnySpec, type CommandName } from './spec.js';
import { optionEntries } from './table.js';

export const GENERATED_INPUTS = '# generated from src/options/table.ts by `npm run docs`; do not edit by hand';

/** action.yml's default for an input: its `yml`, else the text of the Action's default ('' for none). */
export function ymlDefault(spec: AnySpec): string {
  const input = spec.input!;
  if (input.yml !== undefined) return input.yml;
  const value: unknown = 'default' in input ? input.default : spec.default;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return '';
  throw new Error(`${input.name}: give action.yml's default as \`yml\` (${JSON.stringify(value)} has no one text)`);
}

/** The `inputs:` block of action.yml, ending with a newline. */
export function renderInputs(): string {
  const lines = ['inputs:', `  ${GENERATED_INPUTS}`];
  for (const [, spec] of optionEntries()) {
    if (spec.input === undefined) continue;
    lines.push(
      `  ${spec.input.name}:`,
      `    description: ${quoted(spec.input.description)}`,
      '    required: false',
      `    default: ${quoted(ymlDefault(spec))}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** A YAML scalar in quotes, as prettier writes it (single quotes unless the text holds more of them than of double ones). */
function quoted(text: string): string {
  const singles = text.split("'").length - 1;
  const doubles = text.split('"').length - 1;
  if (singles > doubles) return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `'${text.replace(/'/g, "''")}'`;
}

/** Replaces the `inputs:` block of action.yml's text (up to `outputs:`) with the generated one. */
export function withInputs(actionYml: string): string {
  const start = actionYml.search(/^inputs:/m);
  const end = actionYml.search(/^outputs:/m);
  if (start < 0 || end < start) throw new Error('action.yml: expected an `inputs:` block followed by `outputs:`');
  return actionYml.slice(0, start) + renderInputs() + '\n' + actionYml.slice(end);
}

const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** `--parallel <n>` as the README shows it: `--parallel N`, or the choices: `--api responses|chat`. */
function shownFlag(spec: AnySpec): string {
  const [name, argument] = spec.cli!.flag.split(' ');
  if (argument === undefined) return name!;
  // an optional value is given attached: `--dry-run=N`
  if (argument.startsWith('[')) return `${name}[=${argument.slice(1, -1).toUpperCase()}]`;
  const choices = (spec.parse as { choices?: readonly string[] }).choices;
  return `${name} ${choices !== undefined ? choices.join('|') : argument.replace(/[<>]/g, '').toUpperCase()}`;
}

function shownDefault(spec: AnySpec, command: CommandName): string {
  const use = spec.cli!.commands[command]!;
  if (use.shownDefault !== undefined) return use.shownDefault;
  if (spec.cli!.shownDefault !== undefined) return spec.cli!.shownDefault;
  if ('default' in use && use.default === undefined) return '';
  const value = cliDefault(spec, command);
  if (spec.switch) return value === false ? 'off' : '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `\`${value}\``;
  if (Array.isArray(value) && value.length > 0) return `\`${value.join(',')}\``;
  return '';
}

const used = (command: CommandName): AnySpec[] =>
  optionEntries()
    .map(([, spec]) => spec)
    .filter((spec) => spec.cli?.commands[command] !== undefined);

/** The README's CLI tables: `run`'s options, then those of the other commands. */
export function renderCliTables(): string {
  const run = used('run').map(
    (spec) => `| \`${cell(shownFlag(spec))}\` | ${shownDefault(spec, 'run')} | ${cell(spec.cli!.readme ?? spec.cli!.help)} |`,
  );
  const others = COMMANDS.filter((c) => c !== 'run').flatMap((command) =>
    used(command).map(
      (spec) =>
        `| \`${command}\` | \`${cell(shownFlag(spec))}\` | ${shownDefault(spec, command)} | ${cell(spec.cli!.commands[command]!.help ?? spec.cli!.help).replace(/</g, '&lt;')} |`,
    ),
  );
  return [
    '<!-- generated from src/options/table.ts by `npm run docs`; do not edit by hand -->',
    '',
    '| option | default | meaning |',
    '| --- | --- | --- |',
    ...run,
    '',
    'The other commands take these options:',
    '',
    '| command | option | default | meaning |',
    '| --- | --- | --- | --- |',
    ...others,
  ].join('\n');
}
