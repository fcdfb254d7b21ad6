import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCommand } from '../../src/prompt/command.js';

/** Contents that would run commands, split words or glob if the shell ever parsed them. */
const HOSTILE = [
  '$(touch pwned)',
  '`touch pwned2`',
  "'; touch pwned3; '",
  '"; touch pwned4; "',
  '* ?',
  '$HOME ${PATH} ~',
  '\\ \\n \\\\',
  'two  spaces\tand a tab',
  '{{{other}}}',
  'line one\nline two\n',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'orchestrator-cmd-'));
  // files a glob in the contents would expand to
  writeFileSync(join(dir, 'file-a'), '');
  writeFileSync(join(dir, 'file-b'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `sh` as the cmd runner uses it (dash on Debian), and bash, which is `sh` elsewhere (macOS). */
const SHELLS = ['sh', 'bash'];

/** Compiles `cmd`, runs it with `sh -c` (and `bash -c`) as the cmd runner does, the contents in the environment. */
function run(cmd: string, contents: Record<string, string>): string {
  const { script, variables } = compileCommand(cmd);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-home' };
  for (const [name, variable] of variables) env[variable] = contents[name]!;
  const outputs = SHELLS.map((shell) => {
    const result = spawnSync(shell, ['-c', script], { cwd: dir, env, encoding: 'utf8' });
    expect({ shell, stderr: result.stderr, status: result.status }).toEqual({ shell, stderr: '', status: 0 });
    return result.stdout;
  });
  expect(outputs[1]).toBe(outputs[0]);
  return outputs[0]!;
}

afterEach(() => {
  expect(readdirSync(dir).sort()).toEqual(['file-a', 'file-b']);
});

describe('compileCommand: placeholder contents are data, never shell syntax', () => {
  test('unquoted: one word, verbatim', () => {
    expect(run("printf '%s' {{{x}}}", { x: HOSTILE })).toBe(HOSTILE);
  });

  test('unquoted: exactly one argument, even when empty or full of spaces', () => {
    expect(run("printf '[%s]' {{{x}}}", { x: 'a b  c' })).toBe('[a b  c]');
    expect(run("printf '[%s]' {{{x}}}", { x: '' })).toBe('[]');
    expect(run('set -- {{{x}}}; echo $#', { x: '* a b c' })).toBe('1\n');
  });

  test('inside double quotes: that text', () => {
    expect(run('printf \'%s\' "{{{x}}}"', { x: HOSTILE })).toBe(HOSTILE);
    expect(run('printf \'%s\' "before {{{x}}} after"', { x: HOSTILE })).toBe(`before ${HOSTILE} after`);
  });

  test('inside single quotes: that text', () => {
    expect(run("printf '%s' '{{{x}}}'", { x: HOSTILE })).toBe(HOSTILE);
    expect(run("printf '%s' 'before {{{x}}} after'", { x: HOSTILE })).toBe(`before ${HOSTILE} after`);
  });

  test('glued to other text in every context', () => {
    expect(run("printf '%s' pre{{{x}}}post\"d{{{x}}}\"'s{{{x}}}'", { x: '*' })).toBe('pre*postd*s*');
  });

  test('the quoting context is tracked across escaped quotes', () => {
    expect(run('printf \'%s\' "say \\"{{{x}}}\\""', { x: HOSTILE })).toBe(`say "${HOSTILE}"`);
    expect(run("printf '%s' 'it'\\''s {{{x}}}'", { x: HOSTILE })).toBe(`it's ${HOSTILE}`);
    expect(run('printf \'%s\' \\"{{{x}}}\\"', { x: 'a b' })).toBe('"a b"');
    expect(run('printf \'%s\' "\\\\" {{{x}}}', { x: 'a b' })).toBe('\\a b');
  });

  test('a single quote inside double quotes does not start a single-quoted string', () => {
    expect(run("printf '%s' \"it's {{{x}}}\"", { x: HOSTILE })).toBe(`it's ${HOSTILE}`);
  });

  test('a double quote inside single quotes does not start a double-quoted string', () => {
    expect(run("printf '%s' 'say \"{{{x}}}\"'", { x: HOSTILE })).toBe(`say "${HOSTILE}"`);
  });

  test('several placeholders, and one used twice', () => {
    const { variables } = compileCommand('echo {{{a}}} {{{b}}} {{{a}}}');
    expect([...variables.keys()]).toEqual(['a', 'b']);
    expect(run("printf '%s|' {{{a}}} \"{{{b}}}\" '{{{a}}}'", { a: '$(touch pwned)', b: '`touch pwned2`' })).toBe(
      '$(touch pwned)|`touch pwned2`|$(touch pwned)|',
    );
  });

  test('contents are not scanned for placeholders or variables (one pass)', () => {
    const { variables } = compileCommand("printf '%s' {{{a}}}");
    const variable = [...variables.values()][0]!;
    expect(run("printf '%s' {{{a}}} {{{b}}}", { a: '{{{b}}}', b: `\${${variable}}` })).toBe(`{{{b}}}\${${variable}}`);
  });

  test('in shell constructs: case, test, assignment, command substitution', () => {
    expect(run('case {{{x}}} in *pwned*) echo match;; *) echo no;; esac', { x: '$(touch pwned)' })).toBe('match\n');
    expect(run('[ {{{x}}} = "a b" ] && echo same', { x: 'a b' })).toBe('same\n');
    expect(run('v={{{x}}}; printf \'%s\' "$v"', { x: HOSTILE })).toBe(HOSTILE);
    expect(run("printf '%s' $(printf '%s' {{{x}}})", { x: 'ab' })).toBe('ab');
  });

  test('unquoted inside a command substitution that is itself inside double quotes', () => {
    expect(run("printf '%s' \"$(printf '%s' {{{x}}})\"", { x: 'a  *' })).toBe('a  *');
    expect(run('printf \'%s\' "$(printf \'%s\' "{{{x}}}")"', { x: 'a  *' })).toBe('a  *');
  });

  // BUG (reported): in a here-document the unquoted form `"${VAR}"` keeps its quote characters,
  // so the text gains a pair of `"` that are not in the file.
  test('in a here-document the contents come through as they are', () => {
    expect(run('cat <<EOF\n{{{x}}}\nEOF', { x: 'a  *' })).toBe('a  *\n');
  });

  test('comments, nested parentheses and <<- here-documents do not confuse the quoting', () => {
    expect(run("# it's a comment\nprintf '%s' {{{x}}}", { x: 'a  *' })).toBe('a  *');
    expect(run("printf '%s' \"$( (printf '%s' {{{x}}}) )\"", { x: 'a  *' })).toBe('a  *');
    expect(run('cat <<-EOF\n\t{{{x}}}\n\tEOF\nprintf %s {{{x}}}', { x: 'a  *' })).toBe('a  *\na  *');
    expect(run('cat <<EOF\n"{{{x}}}" \'{{{x}}}\'\nEOF', { x: 'q' })).toBe('"q" \'q\'\n');
  });

  test('a placeholder in a quoted here-document, where nothing expands, is refused', () => {
    expect(() => compileCommand("cat <<'EOF'\n{{{x}}}\nEOF")).toThrow(/quoted here-document/);
  });

  test('the script holds variable references, never the contents', () => {
    const { script, variables } = compileCommand('cat {{{doc}}} "{{{doc}}}" \'{{{doc}}}\' | wc -l');
    expect(variables.get('doc')).toMatch(/^[A-Z_][A-Z0-9_]*$/);
    expect(script).not.toContain('{{{');
    expect(script).toContain(variables.get('doc')!);
  });

  test('a command without placeholders is unchanged', () => {
    expect(compileCommand("tr a-z A-Z | sed 's/x/y/'")).toEqual({ script: "tr a-z A-Z | sed 's/x/y/'", variables: new Map() });
  });
});
