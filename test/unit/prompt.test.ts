import { assemblePrompt, promptValue } from '../../src/prompt/assemble.js';
import {
  fillPlaceholders,
  findPlaceholders,
  nearPlaceholders,
  placeholderNames,
  unknownPlaceholderFields,
} from '../../src/prompt/placeholders.js';

describe('assemblePrompt', () => {
  test('template, a blank line, then the previous output', () => {
    expect(assemblePrompt('Summarise:', 'the text')).toBe('Summarise:\n\nthe text');
    expect(assemblePrompt('Summarise:\n', 'line 1\nline 2\n')).toBe('Summarise:\n\n\nline 1\nline 2\n');
  });

  test('the first step (no previous output) is the template alone', () => {
    expect(assemblePrompt('Hello {{{x}}}', undefined)).toBe('Hello {{{x}}}');
  });

  test('an empty template is followed by the previous output all the same', () => {
    expect(assemblePrompt('', 'out')).toBe('\n\nout');
  });
});

describe('promptValue', () => {
  test('the contents as they are, without --append-filepath', () => {
    expect(promptValue('body\n\n', 'docs/a.md', false)).toBe('body\n\n');
  });

  test('--append-filepath: contents, trailing newlines dropped, a newline, the path', () => {
    expect(promptValue('body\n\n\n', 'docs/a.md', true)).toBe('body\ndocs/a.md');
    expect(promptValue('body', 'docs/a.md', true)).toBe('body\ndocs/a.md');
    expect(promptValue('line 1\n\nline 2\n', 'b.md', true)).toBe('line 1\n\nline 2\nb.md');
    expect(promptValue('', 'empty.md', true)).toBe('\nempty.md');
  });
});

describe('placeholders', () => {
  test('names in order of first use, each once', () => {
    expect(placeholderNames('{{{b}}} and {{{a}}} and {{{b}}} and {{{c.d-e_1}}}')).toEqual(['b', 'a', 'c.d-e_1']);
    expect(placeholderNames('{{a}} {{{ a }}} {{{}}} {{{a b}}}')).toEqual([]);
  });

  test('one pass: inserted text is never scanned again', () => {
    const values: Record<string, string> = { a: '{{{b}}}', b: 'B' };
    expect(fillPlaceholders('[{{{a}}}] [{{{b}}}]', (name) => values[name])).toBe('[{{{b}}}] [B]');
  });

  test('special replacement patterns in contents are inserted literally', () => {
    expect(fillPlaceholders('x={{{a}}}', () => "$& $1 $$ $` $'")).toBe("x=$& $1 $$ $` $'");
  });

  test('a template filled again and again gives each call its own values, also past the texts kept compiled', () => {
    const texts = Array.from({ length: 150 }, (_, i) => `t${i}: {{{a}}}-{{{b:path}}}{{{a}}}.`);
    for (let round = 0; round < 3; round++)
      for (const [i, text] of texts.entries()) {
        const fill = (name: string, field: string) => `${name}${field === 'path' ? 'P' : ''}${round}`;
        expect(fillPlaceholders(text, fill)).toBe(`t${i}: a${round}-bP${round}a${round}.`);
      }
    expect(fillPlaceholders('no placeholder', () => 'x')).toBe('no placeholder');
    expect(fillPlaceholders('', () => 'x')).toBe('');
    expect(fillPlaceholders('{{{a}}}', () => 'x')).toBe('x');
    // a text too large to keep compiled (a prompt file named per flow) is compiled each time
    const large = `${'.'.repeat(70_000)}{{{a}}}`;
    for (const value of ['1', '2']) expect(fillPlaceholders(large, () => value)).toBe(`${'.'.repeat(70_000)}${value}`);
  });

  test('names without a value are left as they are', () => {
    expect(fillPlaceholders('{{{a}}} {{{zzz}}}', (name) => (name === 'a' ? 'A' : undefined))).toBe('A {{{zzz}}}');
  });

  test('a placeholder inside more braces', () => {
    expect(fillPlaceholders('{{{{a}}}}', () => 'A')).toBe('{A}');
  });

  test('nearPlaceholders: a key written with two braces or spaces, each once, with its fix; placeholders, other names and ${{ }} are not', () => {
    const keys = new Set(['doc', 'a.b']);
    expect(nearPlaceholders('{{doc}} {{ doc }} {{{ doc:path }}} {{{doc}} {{doc}} {{a.b}}', keys)).toEqual([
      { written: '{{doc}}', meant: '{{{doc}}}' },
      { written: '{{ doc }}', meant: '{{{doc}}}' },
      { written: '{{{ doc:path }}}', meant: '{{{doc:path}}}' },
      { written: '{{{doc}}', meant: '{{{doc}}}' },
      { written: '{{a.b}}', meant: '{{{a.b}}}' },
    ]);
    expect(nearPlaceholders('{{{doc}}} {{{doc:path}}} {{{{doc}}}} {{other}} ${{ github.sha }} {{doc:pth}}', keys)).toEqual([]);
  });

  test('findPlaceholders: name, field and position of each, in order', () => {
    expect(findPlaceholders('a {{{x}}} b {{{y:path}}}')).toEqual([
      { name: 'x', field: 'contents', text: '{{{x}}}', start: 2, end: 9 },
      { name: 'y', field: 'path', text: '{{{y:path}}}', start: 12, end: 24 },
    ]);
    expect(findPlaceholders('none {{{x:other}}}')).toEqual([]);
  });

  test('{{{NAME:path}}} is the listed path; both forms count as a use of the key', () => {
    const fill = (name: string, field: string) => `${field}(${name})`;
    expect(fillPlaceholders('{{{a}}} {{{a:path}}} {{{a:PATH}}}', fill)).toBe('contents(a) path(a) {{{a:PATH}}}');
    expect(placeholderNames('{{{b:path}}} {{{a}}} {{{b}}}')).toEqual(['b', 'a']);
    expect(unknownPlaceholderFields('{{{a:path}}} {{{a:pth}}} {{{a:}}}')).toEqual(['{{{a:pth}}}', '{{{a:}}}']);
  });
});
