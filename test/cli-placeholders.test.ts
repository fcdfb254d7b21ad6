/**
 * Placeholders through the CLI (in the jest process) and the real shells: cmd placeholders stay one word of data
 * under dash and bash (issue 11.7; refused forms are in test/corpus/reject/), `{{{NAME:path}}}` in
 * prompts, prompt file paths and cmd, and the ORCHESTRATOR_* variables of cmd and codex steps
 * (issue 13.5), and a NUL byte in a cmd placeholder's contents (issue 12.9).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { keyFiles, project, scratch, tree } from './helpers/project.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

/** PATH with `sh` as bash, as on systems where /bin/sh is bash (the CLI runs `sh -c`). */
function bashAsSh(): string {
  const bin = scratch();
  symlinkSync('/bin/bash', join(bin, 'sh'));
  return `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}

const pwned = (dir: string): string[] => tree(dir).filter((path) => path.includes('pwned'));

describe('cmd placeholders stay one word of data under dash and bash', () => {
  test.each([
    ['dash', undefined],
    ['bash', bashAsSh()],
  ])('forms the first check misread, with hostile contents: sh is %s', async (shell, path) => {
    const hostile = '$(touch pwned1) `touch pwned2` a[$(touch pwned3)] * ; touch pwned4\n\'"\nnomatch -o -exec touch pwned5 ;';
    const dir = project(
      [
        {
          name: 'forms',
          cmd: [
            'if [ -n "$BASH_VERSION" ]; then echo bash; else echo dash; fi',
            "printf '%s\\n' $((1<<2))",
            'set -- {{{x}}}; echo "args=$#"',
            'cat <<E"O"F',
            '$(touch pwned6) "',
            'EOF',
            'set -- {{{x}}}; echo "args=$#"',
            'find . -name {{{x}}} -print',
            "printf '[%s]' {{{x}}} \"{{{x}}}\" '{{{x}}}'",
          ].join('\n'),
        },
      ],
      { ...keyFiles('x.txt', { 'evil.txt': hostile }), 'wd/file-a': '' },
    );
    const out = await orchestrateInProcess(dir, ['--key', 'x:x.txt', '--workdir', 'wd'], path === undefined ? {} : { PATH: path });
    expectExit(out, 0);
    expect(out.results.flows[0].output).toBe(`${shell}\n4\nargs=1\n$(touch pwned6) "\nargs=1\n[${hostile}][${hostile}][${hostile}]`);
    expect(pwned(dir)).toEqual([]);
  });
});

describe("{{{NAME:path}}} is the listed path of this flow's file", () => {
  test('in an inline prompt and in a prompt file path (offline echoes the prompt); both forms count as using the key', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'ask', prompt: 'Review {{{doc:path}}}:\n{{{doc}}}' },
        { type: 'openai', name: 'by-file', prompt_file: 'prompts/{{{doc:path}}}.prompt' },
      ],
      {
        ...keyFiles('docs.txt', { 'docs/a.md': 'A text', 'docs/b.md': 'B text' }),
        'prompts/docs/a.md.prompt': 'prompt for a, path {{{doc:path}}}',
        'prompts/docs/b.md.prompt': 'prompt for b',
      },
    );
    const out = await orchestrateInProcess(dir, ['--offline', '--key', 'doc:docs.txt']);
    expectExit(out, 0);
    expect(out.stderr).not.toMatch(/warning/);
    expect(out.results.flows.map((f: any) => f.output)).toEqual([
      'prompt for a, path docs/a.md\n\nReview docs/a.md:\nA text',
      'prompt for b\n\nReview docs/b.md:\nB text',
    ]);
  });

  test('only {{{NAME:path}}} used: no unused-key warning', async () => {
    const dir = project([{ name: 'where', cmd: "printf '%s' {{{doc:path}}}" }], keyFiles('docs.txt', { 'a.md': 'A' }));
    const out = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt']);
    expectExit(out, 0);
    expect(out.stderr).not.toMatch(/warning/);
    expect(out.results.flows[0].output).toBe('a.md');
  });

  test.each([
    ['sh (dash)', undefined],
    ['sh as bash', bashAsSh()],
  ])('in cmd, a hostile path name is one word of data: %s', async (_shell, path) => {
    const name = 'my docs/$(touch pwned) `touch pwned2` *.md';
    const dir = project([{ name: 'read', cmd: "printf '[%s]' {{{doc:path}}} '{{{doc:path}}}'; cat \"{{{doc:path}}}\"" }], {
      ...keyFiles('docs.txt', { [name]: 'contents of the file' }),
    });
    const out = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt'], path === undefined ? {} : { PATH: path });
    expectExit(out, 0);
    expect(out.results.flows[0].output).toBe(`[${name}][${name}]contents of the file`);
    expect(pwned(dir).filter((p) => !p.startsWith('my docs/'))).toEqual([]);
    expect(readdirSync(join(dir, 'my docs'))).toEqual([name.slice('my docs/'.length)]);
  });
});

describe('ORCHESTRATOR_FLOW_ID, ORCHESTRATOR_BRANCH and ORCHESTRATOR_RUN_DIR', () => {
  const SHOW = 'printf \'%s|%s|%s\' "$ORCHESTRATOR_FLOW_ID" "$ORCHESTRATOR_BRANCH" "$ORCHESTRATOR_RUN_DIR"';

  test('a cmd step sees them in a flow and in nested array branches', async () => {
    const dir = project(
      [
        { name: 'top', cmd: `${SHOW} > "top-$ORCHESTRATOR_FLOW_ID"; printf '["a", "b"]'`, array: true },
        { name: 'inner', cmd: 'printf \'["x", "y"]\'', array: true },
        { name: 'show', cmd: SHOW },
      ],
      keyFiles('n.txt', { '1': '', '2': '' }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'n:n.txt']);
    expectExit(out, 0);
    const runDir = out.runDir;
    expect(out.results.flows.map((f: any) => f.output)).toEqual(
      ['flow_0001', 'flow_0002'].flatMap((id) => ['1.1', '1.2', '2.1', '2.2'].map((branch) => `${id}|${branch}|${runDir}`)),
    );
    for (const id of ['flow_0001', 'flow_0002']) {
      expect(tree(dir)).toContain(`top-${id}`);
    }
    expect(readFileSync(join(dir, 'top-flow_0002'), 'utf8')).toBe(`flow_0002||${runDir}`);
  });

  test('a codex step sees them (stand-in codex)', async () => {
    const bin = scratch();
    const codex = writeStandInCodex(
      bin,
      `#!/bin/sh
if [ "$1" = "sandbox" ]; then exit 0; fi
${CODEX_OPTIONS}
cat > /dev/null
${TURN_STARTED}
printf '%s|%s|%s' "$ORCHESTRATOR_FLOW_ID" "$ORCHESTRATOR_BRANCH" "$ORCHESTRATOR_RUN_DIR" > "$final"
${turnCompleted(0)}
`,
    );
    const dir = project([
      { name: 'list', cmd: 'printf \'["a", "b"]\'', array: true },
      { type: 'codex', name: 'fix', prompt: 'Fix it' },
    ]);
    mkdirSync(join(dir, 'wd'));
    const out = await orchestrateInProcess(dir, ['--codex-path', codex, '--workdir', 'wd'], { OPENAI_API_KEY: 'sk-test-placeholder-env' });
    expectExit(out, 0);
    expect(out.results.flows.map((f: any) => f.output)).toEqual([`flow_0001|1|${out.runDir}`, `flow_0001|2|${out.runDir}`]);
  });
});

describe("a NUL byte in a cmd placeholder's contents", () => {
  test('fails that flow, naming the key and the file and suggesting another way in; the other flows run', async () => {
    const dir = project(
      [{ name: 'count', cmd: "printf '%s' {{{doc}}} | wc -c" }],
      keyFiles('docs.txt', { 'a.bin': 'a\0b', 'b.txt': 'fine' }),
    );
    const out = await orchestrateInProcess(dir, ['--key', 'doc:docs.txt']);
    expectExit(out, 1);
    expect(out.results.flows.map((f: any) => f.status)).toEqual(['failed', 'succeeded']);
    expect(out.results.flows[0].error).toMatch(/\{\{\{doc\}\}\}.*"a\.bin".*NUL byte.*\{\{\{doc:path\}\}\}/);
    expect(out.results.flows[1].output.trim()).toBe('4');
    expect(existsSync(join(out.runDir, 'results.json'))).toBe(true);
  });
});
