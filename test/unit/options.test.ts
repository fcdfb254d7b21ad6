/**
 * The table of options (src/options/table.ts) and what is derived from it agree: the CLI's commander
 * options, action.yml's inputs, the README's tables and the Action's input names. A flag or an input
 * edited by hand on one side only fails here (and `npm run docs:check`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command, CommanderError, Option } from 'commander';
import { parse } from 'yaml';
import { UsageError } from '../../src/errors.js';
import { Inputs } from '../../src/action/constants.js';
import { buildProgram } from '../../src/cli/main.js';
import { cliDefault } from '../../src/options/commander.js';
import { renderCliTables, withInputs, ymlDefault } from '../../src/options/docs.js';
import { readInputs } from '../../src/options/inputs.js';
import { COMMANDS, type CommandName } from '../../src/options/spec.js';
import { OPTION_GROUPS, OPTIONS, optionEntries } from '../../src/options/table.js';
import { ROOT } from '../helpers/cli.js';

const actionText = readFileSync(join(ROOT, 'action.yml'), 'utf8');
const action = parse(actionText) as { inputs: Record<string, { description: string; default?: string }> };
const readme = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');

function program(): Command {
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: ROOT };
  return buildProgram(io, () => undefined);
}

/** Each command's own options (not --help), by flag. */
function commanderOptions(): Map<CommandName, Map<string, Option>> {
  const found = new Map<CommandName, Map<string, Option>>();
  for (const command of program().commands) {
    const options = new Map(command.options.map((o) => [o.long!, o]));
    found.set(command.name() as CommandName, options);
  }
  return found;
}

test('each option is declared once: no name is in two groups of the table', () => {
  const names = Object.values(OPTION_GROUPS).flatMap((group) => Object.keys(group));
  expect(names.length).toBe(Object.keys(OPTIONS).length);
});

describe('the CLI is made from the table', () => {
  const commands = commanderOptions();

  test("the commands are the table's commands", () => {
    expect([...commands.keys()].sort()).toEqual([...COMMANDS].sort());
  });

  test.each(COMMANDS)('%s: every table entry for it is a commander option with its flag, help and default', (name) => {
    const options = commands.get(name)!;
    for (const [key, spec] of optionEntries()) {
      const use = spec.cli?.commands[name];
      if (use === undefined) continue;
      const long = spec.cli!.flag.split(' ')[0]!;
      const option = options.get(long);
      expect({ key, option: option?.flags }).toEqual({ key, option: spec.cli!.flag });
      expect({ key, help: option!.description }).toEqual({ key, help: use.help ?? spec.cli!.help });
      expect({ key, default: option!.defaultValue }).toEqual({ key, default: cliDefault(spec, name) });
    }
  });

  test.each(COMMANDS)(
    '%s: a required option missing is told, and after an unknown option (`plan c.json --shard 4` says --shard is unknown, not --shards missing)',
    async (name) => {
      const code = async (args: string[]): Promise<string> => {
        try {
          await program().parseAsync([name, 'c.json', ...args], { from: 'user' });
        } catch (error) {
          return (error as CommanderError).code;
        }
        return 'ran';
      };
      for (const [, spec] of optionEntries()) {
        if (spec.cli?.commands[name] === undefined || spec.cli.required !== true) continue;
        expect(await code([])).toBe('commander.missingMandatoryOptionValue');
        expect(await code(['--no-such-option'])).toBe('commander.unknownOption');
      }
    },
  );

  test.each(COMMANDS)('%s: no commander option exists outside the table', (name) => {
    const inTable = optionEntries()
      .filter(([, spec]) => spec.cli?.commands[name] !== undefined)
      .map(([, spec]) => spec.cli!.flag.split(' ')[0]);
    expect([...commands.get(name)!.keys()].sort()).toEqual([...inTable].sort());
  });
});

describe('action.yml is made from the table', () => {
  const withInput = optionEntries().filter(([, spec]) => spec.input !== undefined);

  test('every entry with an input is in action.yml with its default and description', () => {
    for (const [key, spec] of withInput) {
      const input = action.inputs[spec.input!.name];
      expect({ key, input: input !== undefined }).toEqual({ key, input: true });
      expect({ key, default: input!.default ?? '' }).toEqual({ key, default: ymlDefault(spec) });
      expect({ key, description: input!.description }).toEqual({ key, description: spec.input!.description });
    }
  });

  test('no input of action.yml exists outside the table, and the input names are the constants', () => {
    const names = withInput.map(([, spec]) => spec.input!.name);
    expect(Object.keys(action.inputs).sort()).toEqual([...names].sort());
    expect(Object.values(Inputs).sort()).toEqual([...names].sort());
  });

  test('action.yml holds exactly the generated inputs block (npm run docs writes it)', () => {
    expect(withInputs(actionText)).toBe(actionText);
  });

  test('an input edited by hand in action.yml is caught', () => {
    const edited = actionText.replace(/(\n {2}parallel:\n(?: {4}.*\n)*? {4}default: )'4'/, "$1'8'");
    expect(edited).not.toBe(actionText);
    expect(withInputs(edited)).not.toBe(edited);
  });
});

describe("the README's CLI tables are made from the table", () => {
  test('the README holds exactly the generated tables', () => {
    const start = readme.indexOf('<!-- cli-options:start -->\n') + '<!-- cli-options:start -->\n'.length;
    const end = readme.indexOf('\n<!-- cli-options:end -->');
    expect(readme.slice(start, end)).toBe(renderCliTables());
  });

  test('a row edited by hand in the README differs from the generated one', () => {
    expect(renderCliTables()).toContain('| `--parallel N` | 4 |');
  });
});

describe('a bad value is refused by the CLI and the Action alike, naming the flag or input and quoting the value', () => {
  // one bad value per parser of an option that is both a flag and an input
  const bad: Partial<Record<keyof typeof OPTIONS, string>> = {
    parallel: '0',
    timeoutS: 'soon',
    retries: '-1',
    tokenBudget: '1.5',
    maxCost: '5usd',
    api: 'completions',
    baseUrl: 'localhost:8080',
    shard: '3/2',
    sandbox: 'none',
    isolate: 'container',
    keys: 'no-colon-here',
    values: 'no-colon-here',
  };

  test.each(Object.entries(bad))('%s %j', async (key, value) => {
    const spec = OPTIONS[key as keyof typeof OPTIONS];
    const flag = spec.cli!.flag.split(' ')[0]!;
    const stderr: string[] = [];
    const io = {
      stdout: new PassThrough(),
      stderr: Object.assign(new PassThrough(), { write: (s: string) => stderr.push(s) > 0 }),
      env: {},
      cwd: ROOT,
    };
    await expect(buildProgram(io, () => undefined).parseAsync(['run', 'c.json', flag, value], { from: 'user' })).rejects.toThrow();
    expect(stderr.join('')).toContain(flag);
    expect(stderr.join('')).toContain(JSON.stringify(value));

    let message = '';
    try {
      readInputs((name) => (name === spec.input!.name ? value : ''));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).toContain(`input '${spec.input!.name}'`);
    expect(message).toContain(JSON.stringify(value));
  });
});
