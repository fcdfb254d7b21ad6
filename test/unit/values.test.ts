/**
 * `--values NAME:FILE`: each line of FILE is a value. Parsing, the order of the product when it is
 * mixed with `--key` (the order of the flags), the Action's `values` input, and the errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../src/errors.js';
import { FlowSpace } from '../../src/flows/flows.js';
import { hashKeyLists, parseKeySpec, readKeyLists, type KeySpec } from '../../src/flows/keys.js';
import { addOptions, cliValues } from '../../src/options/commander.js';
import { readInputs } from '../../src/options/inputs.js';
import type { CommandName } from '../../src/options/spec.js';

function parsed(argv: string[], name: CommandName = 'run'): readonly KeySpec[] {
  const command = addOptions(
    new Command(name)
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .argument('<config>'),
    name,
  ).action(() => undefined);
  command.parse(['config.json', ...argv], { from: 'user' });
  return cliValues(command, name).values.keys;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'values-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

describe('the command line keeps --key and --values in the order given', () => {
  test('--key a --values b --key c: a, b, c', () => {
    expect(parsed(['--key', 'a:a.txt', '--values', 'b:b.txt', '--key', 'c:c.txt'])).toEqual([
      { name: 'a', file: 'a.txt' },
      { name: 'b', file: 'b.txt', kind: 'values' },
      { name: 'c', file: 'c.txt' },
    ]);
  });

  test('--values first, --key=… forms, and plan takes them too', () => {
    expect(parsed(['--values=b:b.txt', '--shards', '2', '--key=a:a.txt'], 'plan').map((k) => k.name)).toEqual(['b', 'a']);
    expect(parsed(['--shards', '2', '--values', 'v:v.txt'], 'plan')).toEqual([{ name: 'v', file: 'v.txt', kind: 'values' }]);
  });

  test('only --key, or neither, as before', () => {
    expect(parsed(['--key', 'a:a.txt', '--key', 'c:c.txt'])).toEqual([
      { name: 'a', file: 'a.txt' },
      { name: 'c', file: 'c.txt' },
    ]);
    expect(parsed([])).toEqual([]);
  });

  test('the product of the mixed lists follows that order, the first varying slowest', () => {
    write('a.txt', 'a1.md\na2.md\n');
    write('b.txt', 'red\n\nblue\n');
    write('c.txt', 'c1.md\n');
    for (const f of ['a1.md', 'a2.md', 'c1.md']) write(f, f);
    const specs = parsed(['--key', 'a:a.txt', '--values', 'b:b.txt', '--key', 'c:c.txt']);
    const space = new FlowSpace(readKeyLists(specs, dir));
    expect([...space.flows()].map((f) => f.keys)).toEqual([
      { a: 'a1.md', b: 'red', c: 'c1.md' },
      { a: 'a1.md', b: 'blue', c: 'c1.md' },
      { a: 'a2.md', b: 'red', c: 'c1.md' },
      { a: 'a2.md', b: 'blue', c: 'c1.md' },
    ]);
    expect(Object.keys(space.at(0).keys)).toEqual(['a', 'b', 'c']);
  });
});

describe('a values file', () => {
  test('each non-empty line is a value, kept as a key file line is (CRLF, BOM, surrounding spaces removed); no file is looked for', () => {
    write('ids.txt', '\uFEFF 4711 \r\n\r\nhttps://example.com/a?b=1\nno such file.md\n');
    const [list] = readKeyLists([{ name: 'id', file: 'ids.txt', kind: 'values' }], dir);
    expect(list).toEqual({ name: 'id', file: 'ids.txt', kind: 'values', paths: ['4711', 'https://example.com/a?b=1', 'no such file.md'] });
  });

  test('turning a --key into --values changes the key-list hash (resume refuses); key lists hash as before', () => {
    const paths = { name: 'a', file: 'a.txt', paths: ['x'] };
    expect(hashKeyLists([{ ...paths, kind: 'values' }])).not.toBe(hashKeyLists([paths]));
    expect(hashKeyLists([{ ...paths, kind: 'paths' }])).toBe(hashKeyLists([paths]));
  });
});

describe('errors name the flag and the value', () => {
  const problems = (specs: KeySpec[]): string => {
    try {
      readKeyLists(specs, dir);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as UsageError).problems.join('\n');
    }
    throw new Error('no error');
  };

  test('a missing file', () => {
    expect(problems([{ name: 'id', file: 'ids.txt', kind: 'values' }])).toBe('--values id:ids.txt: values file "ids.txt" does not exist');
  });

  test('an empty file (blank lines only)', () => {
    write('ids.txt', '\n  \r\n');
    expect(problems([{ name: 'id', file: 'ids.txt', kind: 'values' }])).toBe(
      '--values id:ids.txt: values file "ids.txt" is empty; it should list one value per line',
    );
  });

  test('a binary file', () => {
    write('ids.txt', 'a\0b\n');
    expect(problems([{ name: 'id', file: 'ids.txt', kind: 'values' }])).toContain(
      '--values id:ids.txt: values file "ids.txt" is not a text file',
    );
  });

  test('a name also given by --key, either way round', () => {
    write('ids.txt', '1\n');
    write('docs.txt', 'ids.txt\n');
    expect(
      problems([
        { name: 'id', file: 'docs.txt' },
        { name: 'id', file: 'ids.txt', kind: 'values' },
      ]),
    ).toBe('--values id:ids.txt: key "id" is also given by --key id:docs.txt; each key name may be used once: rename one');
    expect(
      problems([
        { name: 'id', file: 'ids.txt', kind: 'values' },
        { name: 'id', file: 'docs.txt' },
      ]),
    ).toBe('--key id:docs.txt: key "id" is also given by --values id:ids.txt; each key name may be used once: rename one');
  });

  test.each(['ids.txt', 'my id:ids.txt', 'id:', ':ids.txt'])('a bad argument %j', (argument) => {
    expect(() => parseKeySpec(argument, '--values', 'values')).toThrow(UsageError);
    expect(() => parseKeySpec(argument, '--values', 'values')).toThrow(`--values ${JSON.stringify(argument)}`);
    expect(() => parsed(['--values', argument])).toThrow(`'--values <name:file>' argument '${argument}' is invalid`);
  });
});

describe("the Action's values input", () => {
  const inputs = (given: Record<string, string>) => readInputs((name) => given[name] ?? '').values;

  test('NAME:FILE per line, after the keys lines', () => {
    expect(inputs({ keys: 'doc:docs.txt\n', values: 'id:ids.txt\n# a comment\n\nurl: urls.txt\n' }).keys).toEqual([
      { name: 'doc', file: 'docs.txt' },
      { name: 'id', file: 'ids.txt', kind: 'values' },
      { name: 'url', file: 'urls.txt', kind: 'values' },
    ]);
    expect(inputs({ values: 'id:ids.txt' }).keys).toEqual([{ name: 'id', file: 'ids.txt', kind: 'values' }]);
  });

  test('a bad line names the input and quotes it', () => {
    expect(() => inputs({ values: 'ids.txt' })).toThrow(`The input 'values' has a line "ids.txt", but it must be NAME:FILE`);
  });
});
