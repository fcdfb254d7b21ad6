/**
 * Shell forms the first quote tracker misread (issue 11.7): each is now either read right, so the
 * placeholder stays one word of data under dash and bash, or refused with its position and a fix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * The environment every shell here starts from. HOME names no directory: bash whose stdin is a
 * socket (Node's stdio pipes are) and whose SHLVL is unset reads ~/.bashrc as if sshd had started
 * it, and a machine's profile (pyenv's init starts some 40 processes) is not what these tests run.
 */
const SHELL_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent-home' };

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
  const env: Record<string, string> = { ...SHELL_ENV };
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
    // issue 22.3: forms that ran a[$(cmd)] under bash, found beside the quoted spellings
    ['read with >&2 before the name', 'read >&2 {{{x}}}', /`read`/],
    ['read with >| before the name', 'read >| out {{{x}}}', /`read`/],
    ['read with a process substitution before the name', 'read <(:) {{{x}}}', /`read`/],
    ['printf reading the contents as its options', 'printf {{{x}}}', /where `printf` reads its options.*printf '%s'/],
    ['printf -v glued to the placeholder', 'printf -v{{{x}}} x', /`printf`/],
    ['wait reading the contents as its options', 'wait {{{x}}}', /where `wait` reads its options/],
    ['declare with a quoted -i', 'declare "-i" n={{{x}}}', /`declare -i`-like/],
    ['declare with an option from a variable', 'declare $o n={{{x}}}', /`declare/],
    ['compgen -W, which expands its word list', 'compgen -W {{{x}}}', /`compgen`/],
    ['shopt, which changes how bash reads the rest', 'shopt -s {{{x}}}', /`shopt`/],
    ['a command after alias', 'alias r=read\nr {{{x}}}', /after a `alias` command/],
    ['the command name from a variable', '$cmd {{{x}}}', /command whose name .* cannot read/],
    ['the command name from a substitution', '"$(echo read)" {{{x}}}', /command whose name/],
    ['the command name as a glob', 're?d {{{x}}}', /command whose name/],
    ['the command name by brace expansion', '{read,x} {{{x}}}', /command whose name/],
    ['the placeholder as the command name', '{{{x}}} a', /in the name of the command/],
    ['the placeholder in the command name', 're{{{x}}} a', /in the name of the command/],
    ['the placeholder after an fd redirection', '3<<EOF {{{x}}}\nx\nEOF', /in the name of the command/],
    ['the placeholder after env', 'env -u X {{{x}}} a', /in the name of the command/],
    ['command with the command name from a variable', 'command "$c" {{{x}}}', /command whose name/],
    ['env -S, whose string holds the command', "env -S'read x' {{{x}}}", /command whose name/],
    ['&>, a new command in dash', 'cat &>/dev/null {{{x}}}', /after "&>".*>FILE 2>&1/],
    ['[ with a word that may be -v before it', '[ "$o" {{{x}}} ]', /next to a word this check cannot read/],
    ['[ with a word that may be the name after it', '[ {{{x}}} "$n" ]', /next to a word this check cannot read/],
    ['test -R', 'test -R {{{x}}}', /`test -v`/],
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
    'read >&2 "$V" <<< x',
    'sleep 0 & wait -n -p "$V"',
    'compgen -W "$V"',
    'W="-v$V"; printf "$W" x',
  ])('bash evaluates arithmetic in quoted contents (why this form is refused): %s', (script) => {
    const env = { ...SHELL_ENV, V: `a[$(touch ${marker})]` };
    spawnSync('bash', ['-c', script], { cwd: dir, env });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });
});

/** Contents that bash runs when it reads them as a variable name: `a[$(touch FILE)]`. */
const nameAttack = (file: string): string => `a[$(touch ${file})]`;

interface Run {
  readonly script: string;
  /** The placeholder's contents, given the file they create when run. */
  readonly contents: (file: string) => string;
}

/**
 * Runs each script with `shell -c`, its placeholder's variable holding its contents, all from one
 * driver process (a spawn per command from node would take seconds): whether each ran the
 * contents, and what it printed. `subshells` runs each in a subshell of one bash instead, with
 * eval: the same parser and builtins at a fork each, for the many commands run without the check.
 */
function runAll(shell: string, runs: readonly Run[], subshells = false): { ran: boolean[]; out: string[]; contents: string[] } {
  const batch = mkdtempSync(join(dir, 'batch-'));
  const env: Record<string, string> = { ...SHELL_ENV };
  const contents = runs.map((run, i) => run.contents(join(batch, `ran-${i}`)));
  runs.forEach((run, i) => {
    env[`S_${i}`] = run.script;
    env[`C_${i}`] = contents[i]!;
  });
  const run = subshells ? '(export ORCHESTRATOR_KEY_1=$c; eval "$s")' : `ORCHESTRATOR_KEY_1=$c ${shell} -c "$s"`;
  const driver = `i=0; while [ "$i" -lt ${runs.length} ]; do eval "s=\\$S_$i c=\\$C_$i"; ${run} </dev/null >"out-$i" 2>/dev/null; i=$((i + 1)); done`;
  const result = spawnSync(subshells ? shell : 'sh', ['-c', driver], { cwd: batch, env, timeout: 60_000, stdio: 'ignore' });
  expect({ shell, status: result.status }).toEqual({ shell, status: 0 });
  const found = {
    ran: runs.map((_, i) => existsSync(join(batch, `ran-${i}`))),
    out: runs.map((_, i) => readFileSync(join(batch, `out-${i}`), 'utf8')),
    contents,
  };
  rmSync(batch, { recursive: true, force: true });
  return found;
}

/** Spellings of a word that the shell reads as that word (the last two: bash only, and this check refuses them). */
const SPELLINGS: ReadonlyArray<readonly [string, (w: string) => string]> = [
  ['plain', (w) => w],
  ['double quotes', (w) => `"${w}"`],
  ['single quotes', (w) => `'${w}'`],
  ['a backslash first', (w) => `\\${w}`],
  ['a backslash inside', (w) => `${head(w)}\\${tail(w)}`],
  ['split double quotes', (w) => `${head(w)}"${tail(w)}"`],
  ['split single quotes', (w) => `'${head(w)}'${tail(w)}`],
  ['double then single', (w) => `"${w.slice(0, -1)}"'${w.slice(-1)}'`],
  ['empty quotes inside', (w) => `${head(w)}''${tail(w)}`],
  ['a backslash-newline inside', (w) => `${head(w)}\\\n${tail(w)}`],
  ["$'...'", (w) => `$'${w}'`],
  ['$"..."', (w) => `$"${w}"`],
];
/** Where a spelling cuts a word: after its first character (before it, for one character). */
const head = (w: string): string => w.slice(0, w.length > 1 ? 1 : 0);
const tail = (w: string): string => w.slice(w.length > 1 ? 1 : 0);

/** Prefixes that still run the builtin: `command`, `builtin` (both spelled like the builtin), assignments, reserved words. */
const PREFIXES = ['', 'command ', 'builtin ', 'X=1 ', 'command -p ', 'env X=1 ', '! ', 'time -p ', 'if true; then '];

/**
 * Every name-evaluating builtin with the option that makes it read a name: the builtin and its
 * options are spelled, `K` is the placeholder; `contents` come before the name attack.
 */
const ATTACKS: ReadonlyArray<{ readonly words: readonly string[]; readonly contents?: string; readonly before?: string }> = [
  { words: ['read', 'K'] },
  { words: ['read', '-r', 'K'] },
  { words: ['read', '-a', 'K'] },
  { words: ['mapfile', 'K'] },
  { words: ['readarray', 'K'] },
  { words: ['unset', 'K'], before: 'a=(1); ' },
  { words: ['unset', '-v', 'K'], before: 'a=(1); ' },
  { words: ['let', 'K'] },
  { words: ['getopts', 'a', 'K'] },
  { words: ['printf', '-v', 'K', 'x'] },
  { words: ['printf', 'K', 'x'], contents: '-v' },
  { words: ['test', '-v', 'K'] },
  { words: ['[', '-v', 'K', ']'] },
  { words: ['test', '-R', 'K'] },
  { words: ['wait', '-n', '-p', 'K'], before: ': & ' },
  { words: ['wait', '-p', 'K'], before: ': & ' },
  { words: ['wait', '-n', 'K'], contents: '-p', before: ': & ' },
  { words: ['declare', 'K'] },
  { words: ['declare', '-i', 'n=K'] },
  { words: ['declare', '-n', 'r=K'] },
  { words: ['local', 'K'], before: 'f() { ', contents: '' },
  { words: ['typeset', 'K'] },
  { words: ['export', 'K'] },
  { words: ['readonly', 'K'] },
  { words: ['compgen', '-W', 'K'] },
  { words: ['eval', 'K'] },
];

describe('quoting does not hide a name-evaluating builtin (issue 22.3)', () => {
  test.each([
    ['"read" {{{x}}}', /`read`/],
    ["'read' {{{x}}}", /`read`/],
    ['re\\ad {{{x}}}', /`read`/],
    ['"printf" -v {{{x}}} x', /`printf -v`/],
    ['printf "-v" {{{x}}} x', /`printf -v`/],
    ['test "-v" {{{x}}}', /`test -v`/],
    ['wait -n -p {{{x}}}', /`wait -p`/],
    ['command "read" {{{x}}}', /`read`/],
  ])('%s is refused, naming the builtin', (cmd, message) => {
    const problems = refusal(cmd);
    expect(problems).toEqual([expect.stringMatching(/^\{\{\{x\}\}\} at line 1, column \d+ stands /)]);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/on stdin/);
  });

  // each of them ran the contents under bash when accepted as before (the placeholder became "${V}")
  test.each([
    '"read" "$V" <<< x',
    `'read' "$V" <<< x`,
    're\\ad "$V" <<< x',
    '"printf" -v "$V" x',
    'printf "-v" "$V" x',
    'test "-v" "$V"',
    'sleep 0 & wait -n -p "$V"',
    'command "read" "$V" <<< x',
  ])('bash runs the contents for %s (why it is refused)', (script) => {
    const env = { ...SHELL_ENV, V: nameAttack(marker) };
    // the bound only ends a hang: a shell killed early on a loaded machine would decide the outcome
    spawnSync('bash', ['-c', script], { cwd: dir, env, timeout: 30_000 });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });

  /**
   * The fuzz: each builtin and option of ATTACKS in every spelling, behind a prefix, the
   * placeholder filled as the cmd runner fills it. Whatever ran the contents under bash without
   * the check (the placeholder as "${V}") must be refused; whatever the check accepts must run
   * nothing under dash, bash, and bash as sh (--posix).
   */
  test('no spelling of a builtin or option that the check accepts runs the contents under dash or bash', () => {
    const cases = ATTACKS.flatMap((attack, a) =>
      SPELLINGS.map(([, spell], s) => {
        const prefix = PREFIXES[(a + s) % PREFIXES.length]!.replace(/^(command|builtin|env)\b/, spell);
        const words = attack.words.map((w, i) =>
          w.includes('K') ? w.replace('K', '{{{k}}}') : i === 0 || w.startsWith('-') ? spell(w) : w,
        );
        const after = `${prefix.startsWith('if') ? '; fi' : ''}${attack.before?.startsWith('f()') ? '; }; f' : ''}`;
        const cmd = `${attack.before ?? ''}${prefix}${words.join(' ')}${after}`;
        const contents = (file: string): string => (attack.contents ?? '') + nameAttack(file);
        return { cmd, contents, unchecked: { script: cmd.replaceAll('{{{k}}}', '"${ORCHESTRATOR_KEY_1}"'), contents } };
      }),
    );
    const harmful = runAll(
      'bash',
      cases.map((c) => c.unchecked),
      true,
    ).ran;
    const accepted = cases.flatMap((c, n) => {
      try {
        return [{ cmd: c.cmd, harmful: harmful[n], script: compileCommand(c.cmd).script, contents: c.contents }];
      } catch (error) {
        if (error instanceof UsageError) return [];
        throw error;
      }
    });
    for (const { cmd, harmful } of accepted) expect({ cmd, harmful }).toEqual({ cmd, harmful: false });
    for (const shell of ['sh', 'bash', 'bash --posix']) {
      const { ran } = runAll(shell, accepted);
      accepted.forEach(({ cmd }, n) => expect({ shell, cmd, ran: ran[n] }).toEqual({ shell, cmd, ran: false }));
    }
    // the generator is worth something: a good part of its commands run the contents when unchecked
    expect(harmful.filter(Boolean).length).toBeGreaterThan(cases.length / 3);
  });

  test.each([
    ["printf '%s' K", (x: string) => x],
    ['printf -- K', (x: string) => x],
    ["[ K = x ] || printf '%s' K", (x: string) => x],
    ["test -n K && printf '%s' K", (x: string) => x],
    ['export X=K; printf \'%s\' "$X"', (x: string) => x],
    ["env X=1 printf '[%s]' K", (x: string) => `[${x}]`],
    ['env -i PATH="$PATH" printf \'[%s]\' K 2>/dev/null', (x: string) => `[${x}]`],
    ["printf 2>/dev/null '%s' K", (x: string) => x],
    ["command printf '%s' K", (x: string) => x],
    ["builtin printf '%s' K", (x: string) => x],
  ])('%s stays accepted however its first word is spelled (but $\'...\' and $"..."), and prints the contents', (template, expected) => {
    const first = template.split(' ')[0]!;
    const cmds = SPELLINGS.map(([name, spell]) => [name, spell(first) + template.slice(first.length).replaceAll('K', '{{{k}}}')] as const);
    for (const [name, cmd] of cmds.filter(([name]) => name.startsWith('$')))
      expect({ name, cmd, refused: refusal(cmd).length > 0 }).toEqual({ name, cmd, refused: true });
    const runs = cmds
      .filter(([name]) => !name.startsWith('$'))
      .map(([, cmd]) => ({ cmd, script: compileCommand(cmd).script, contents: nameAttack }));
    for (const shell of first === 'builtin' ? ['bash'] : ['sh', 'bash']) {
      const { ran, out, contents } = runAll(shell, runs);
      runs.forEach(({ cmd }, n) =>
        expect({ shell, cmd, ran: ran[n], out: out[n] }).toEqual({ shell, cmd, ran: false, out: expected(contents[n]!) }),
      );
    }
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
    for (let k = 0; k < 6000 && accepted < 40; k++) {
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
      const env: Record<string, string> = { ...SHELL_ENV };
      for (const variable of compiled.variables.values()) env[variable] = contents;
      for (const shell of ['sh', 'bash']) {
        // a bound, not a deadline: a shell killed before it got to run would pass for the wrong reason
        spawnSync(shell, ['-c', compiled.script], { cwd: dir, env, timeout: 30_000, stdio: 'ignore' });
        expect({ shell, cmd, ran: existsSync(marker) }).toEqual({ shell, cmd, ran: false });
      }
    }
    expect(accepted).toBe(40);
  });
});
