/**
 * Shell forms the first quote tracker misread (issue 11.7): each is now either read right, so the
 * placeholder stays one word of data under dash and bash, or refused with its position and a fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCommand } from '../../src/prompt/command.js';
import { UsageError } from '../../src/errors.js';

let dir: string;
let marker: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'orchestrator-cmd-attack-'));
  marker = join(dir, 'pwned');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => expect(existsSync(marker)).toBe(false));

/** Contents an attacker would put in a listed file: every way out of a bare ${V} at once. */
const hostile = (): string =>
  [
    `$(touch ${marker})`,
    `\`touch ${marker}\``,
    `a[$(touch ${marker})]`,
    '*',
    `x; touch ${marker}`,
    'two  words\tand',
    "it's",
    'say "hi"',
  ].join(' ') + '\na newline';

/** Runs the compiled command under dash (`sh` here) and bash; returns what each printed. */
function run(cmd: string, x: string): string[] {
  const { script, variables } = compileCommand(cmd);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const variable of variables.values()) env[variable] = x;
  return ['sh', 'bash'].map((shell) => {
    const result = spawnSync(shell, ['-c', script], { cwd: dir, env, encoding: 'utf8' });
    expect({ shell, script, stderr: result.stderr, status: result.status }).toMatchObject({ shell, status: 0 });
    return result.stdout;
  });
}

/** The problems compileCommand reports for `cmd`. */
function refusal(cmd: string): string[] {
  try {
    compileCommand(cmd);
  } catch (error) {
    if (error instanceof UsageError) return [...error.problems];
    throw error;
  }
  throw new Error(`accepted: ${cmd}`);
}

describe('misread forms that are now read right: the placeholder is one argument', () => {
  test.each([
    ['$((1<<N)) is a shift, not a here-document', "printf '[%s]' $((1<<2))\nprintf '[%s]' {{{x}}}", (x: string) => `[4][${x}]`],
    ['<<E"O"F is the quoted delimiter EOF', 'cat <<E"O"F\n$(x) "\nEOF\nprintf \'[%s]\' {{{x}}}', (x: string) => `$(x) "\n[${x}]`],
    ["<<'E'OF and <<\\EOF", "cat <<'E'OF\n\"\nEOF\ncat <<\\EOF\n'\nEOF\nprintf '[%s]' {{{x}}}", (x: string) => `"\n'\n[${x}]`],
    ['a here-document body', 'cat <<EOF\n[{{{x}}}] "{{{x}}}"\nEOF', (x: string) => `[${x}] "${x}"\n`],
    ['a here-document inside $(...) inside double quotes', 'printf \'[%s]\' "$(cat <<EOF\n{{{x}}}\nEOF\n)"', (x: string) => `[${x}]`],
    ['a top-level case with patterns', "case {{{x}}} in *) printf '[%s]' {{{x}}};; esac", (x: string) => `[${x}]`],
    ['a comment holding quotes', "# don't\nprintf '[%s]' {{{x}}} # it's", (x: string) => `[${x}]`],
    [
      'export and local with a literal name',
      'export A={{{x}}}; f() { local v={{{x}}}; printf \'[%s]\' "$v" "$A"; }; f',
      (x: string) => `[${x}][${x}]`,
    ],
    ['read elsewhere in the script', "while read -r l; do printf '[%s]' {{{x}}}; done <<EOF\nline\nEOF", (x: string) => `[${x}]`],
  ])('%s', (_what, cmd, expected) => {
    const x = hostile();
    for (const out of run(cmd, x)) expect(out).toBe(expected(x));
  });

  test('find -name gets one pattern: split contents would have been an -exec', () => {
    for (const out of run('find . -name {{{x}}} -print', `nomatch -o -exec touch ${marker} ;`)) expect(out).toBe('');
  });

  test('a here-string (bash) is not a here-document', () => {
    expect(compileCommand("cat <<<'\"'; printf '[%s]' {{{x}}}").script).toBe("cat <<<'\"'; printf '[%s]' \"${ORCHESTRATOR_KEY_1}\"");
  });
});

describe('forms the check cannot read with certainty are refused, naming the position and a fix', () => {
  test.each([
    ['case … in p) inside $(…)', 'printf \'%s\' "$(case a in a) echo;; esac) {{{x}}}"', /line 1, column 42 .*case/],
    ['case inside (…)', '(case a in a) echo;; esac; echo {{{x}}})', /case/],
    ['a CR before a here-document delimiter', "cat <<EOF\r\nhi\r\nEOF\r\nprintf '[%s]' {{{x}}}", /line 4, column 15 .*carriage return/],
    ['a CR anywhere before the placeholder', 'echo a\r; echo {{{x}}}', /carriage return/],
    ['\\{{{x}}} unquoted', 'echo \\{{{x}}}', /line 1, column 7 .*backslash.*: remove the backslash/],
    ['\\{{{x}}} in double quotes', 'echo "\\{{{x}}}"', /backslash/],
    ['\\{{{x}}} in a here-document', 'cat <<EOF\n\\{{{x}}}\nEOF', /line 2, column 2 .*backslash/],
    ['$(( {{{n}}} ))', 'echo $(( {{{x}}} + 1 ))', /arithmetic.*stdin/],
    ['$(( "{{{n}}}" ))', 'echo "$(( "{{{x}}}" ))"', /arithmetic/],
    ['(( {{{n}}} ))', '(( {{{x}}} > 1 )) && echo big', /arithmetic/],
    ['$[ {{{n}}} ]', 'echo $[ {{{x}}} + 1 ]', /arithmetic/],
    ['an array subscript', 'a[{{{x}}}]=1', /subscript/],
    ['[[ … ]]', '[[ {{{x}}} -eq 1 ]] && echo one', /\[\[ \.\.\. \]\].*use \[ \.\.\. \]/],
    ['[[ "…" ]]', '[[ "{{{x}}}" == a ]]', /\[\[/],
    ['${…} parameter expansion', 'echo "${v:-{{{x}}}}"', /parameter expansion.*v=\{\{\{x\}\}\}/],
    ['${…} unquoted', 'echo ${v#{{{x}}}}', /parameter expansion/],
    ['backticks', 'echo `echo {{{x}}}`', /backticks.*\$\(\.\.\.\)/],
    ['backticks nested in double quotes', 'echo "`echo {{{x}}}`"', /backticks/],
    ['$ right before', 'echo ${{{x}}}', /right after "\$"/],
    ['a quoted here-document', "cat <<'EOF'\n{{{x}}}\nEOF", /quoted here-document/],
    ['<<E"O"F body', 'cat <<E"O"F\n{{{x}}}\nEOF', /quoted here-document/],
    ["$'…' quoting before", "echo $'it\\'s' {{{x}}}", /\$'\.\.\.'/],
    ['a placeholder as the here-document delimiter', 'cat <<{{{x}}}\nhi\n', /here-document delimiter/],
    ['a here-document that never ends', 'cat <<EOF\n{{{x}}}\n', /no closing line "EOF"/],
    ['((1<<N)) as a command, a here-document in dash', "((1<<2)) || true\nprintf '[%s]' {{{x}}}", /"\(\(" that bash/],
    ['((…) …) that may be subshells', '((echo a) | cat); echo {{{x}}}', /"\(\("/],
    ['let', 'let n={{{x}}}', /in a `let` command.*stdin/],
    ['read into a named variable', 'read -r {{{x}}} <<EOF\nhi\nEOF', /`read`/],
    ['printf -v', "printf -v {{{x}}} '%s' a", /`printf -v`/],
    ['test -v', '[ -v "{{{x}}}" ] && echo set', /`\[ -v`/],
    ['declare -i', 'declare -i n={{{x}}}', /`declare -i`-like/],
    ['an assignment after declare -i', 'declare -i n; n={{{x}}}', /after a `declare -i`/],
    ['an assignment after local -i in a function', 'f() { local -i n; n={{{x}}}; }', /after a `declare -i`/],
    ['local -n', 'f() { local -n r={{{x}}}; }', /`declare -i`-like/],
    ['local of a name', 'f() { local {{{x}}}; }', /`local`/],
    ['export of a name', 'export {{{x}}}', /`export`/],
    ['eval', 'eval "echo {{{x}}}"', /`eval`/],
    ['read from a substitution', 'read -r "$(echo {{{x}}})"', /`read`/],
    ['a here-document opened inside (...)', '(cat <<EOF)\nhi\nEOF\necho {{{x}}}', /inside or outside the parentheses/],
    ['a single quote in "${…}"', 'echo "${v:-\'}\'}" {{{x}}}', /single quote inside/],
  ])('%s', (_what, cmd, message) => {
    const problems = refusal(cmd);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\{\{\{x\}\}\} at line \d+, column \d+ stands /);
    expect(problems[0]).toMatch(message);
  });

  test('a command nested too deeply to check is refused, not a crash', () => {
    expect(refusal('echo ' + '"$('.repeat(100_000) + '{{{x}}}')).toEqual([expect.stringMatching(/too deeply/)]);
    expect(compileCommand('$('.repeat(100_000)).variables.size).toBe(0);
  });

  test('every refused placeholder is listed, and those before the doubt still compile', () => {
    expect(refusal('echo {{{a}}} $(( {{{b}}} )) `{{{c}}}`')).toEqual([
      expect.stringMatching(/^\{\{\{b\}\}\} at line 1, column 18 .*arithmetic/),
      expect.stringMatching(/^\{\{\{c\}\}\} at line 1, column 30 .*backticks/),
    ]);
    expect(compileCommand("echo {{{a}}}; echo $'\\''").script).toBe("echo \"${ORCHESTRATOR_KEY_1}\"; echo $'\\''");
  });

  // the reason these are refused even where /bin/sh is dash: bash runs code from the contents
  test.each([
    '[[ "$V" -eq 0 ]]',
    'echo $(( V ))',
    'let n="$V"',
    'read -r "$V" <<< x',
    'printf -v "$V" x',
    'declare -i n="$V"',
    'declare -i n; n="$V"',
  ])('bash evaluates arithmetic in quoted contents (why this form is refused): %s', (script) => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', V: `a[$(touch ${marker})]` };
    spawnSync('bash', ['-c', script], { cwd: dir, env });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });
});

describe('random commands built from the tricky pieces', () => {
  const PIECES = [
    ...['{{{x}}}', '{{{x}}}', '"', "'", '$(', ')', '(', '`', '\\', ' ', '\n', '<<EOF\n', 'EOF\n', "<<'EOF'\n", '$((', '))'],
    ...['${', '}', 'case a in a) ', ';; esac', 'echo ', '#', ';', '|', '[[ ', ' ]]', 'a[', ']', '$', "$'", 'read ', '-v '],
    ...['=', '*', '<<-E"O"F\n', '\tEOF\n', 'declare -i n;', 'n=', 'let ', '<<<', '((', '\r', '-eq 1 '],
  ];

  // a fixed seed: the same commands every run; a wider search (seeds 1, 7, 42, 6,000 commands each) found nothing
  test('no command the check accepts runs code from the contents, under dash or bash', () => {
    let seed = 1;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const contents = `$(touch ${marker}) \`touch ${marker}\` a[$(touch ${marker})]`;
    let accepted = 0;
    for (let k = 0; k < 2000 && accepted < 40; k++) {
      let cmd = '';
      for (let j = 2 + random(10); j > 0; j--) cmd += PIECES[random(PIECES.length)];
      let compiled;
      try {
        compiled = compileCommand(cmd);
      } catch (error) {
        if (error instanceof UsageError) continue;
        throw error;
      }
      if (compiled.variables.size === 0) continue;
      accepted++;
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
      for (const variable of compiled.variables.values()) env[variable] = contents;
      for (const shell of ['sh', 'bash']) {
        spawnSync(shell, ['-c', compiled.script], { cwd: dir, env, timeout: 2000, stdio: 'ignore' });
        expect({ shell, cmd, ran: existsSync(marker) }).toEqual({ shell, cmd, ran: false });
      }
    }
    expect(accepted).toBe(40);
  });
});
