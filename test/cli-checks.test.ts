/**
 * Step `"checks"` through the CLI (in the jest process, test/helpers/cli-inprocess.ts): each kind recorded per leaf (result.json and results.json)
 * with its reason; a failed check fails its leaf unless `"checks_fail": false`; cmd checks run as
 * cmd steps do (output on stdin, exit status decides); rubric checks are openai calls through the
 * real SDK against the loopback fake server, priced, counted and cached like any step.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import type { RecordedRequest } from './helpers/fake-openai.js';
import { docProject, fakeOpenAI } from './helpers/project.js';

const KEY = 'sk-test-checks-key-0123456789';
const CHECKS = [
  { type: 'contains', value: 'doc-' },
  { type: 'regex', value: '^doc-[12]$', flags: 'm', name: 'first two' },
  { type: 'not_contains', value: 'doc-2' },
  { type: 'cmd', value: 'read line; [ "$line" != doc-1 ] || { echo "doc-1 is refused" >&2; exit 4; }' },
  { type: 'json_schema', value: { type: 'string' } },
  { type: 'equals', value: 'doc-3' },
];
const byId = (results: any): Record<string, any> => Object.fromEntries(results.flows.map((f: any) => [f.id, f]));
const verdicts = (leaf: any): [string, boolean][] => leaf.steps[0].checks.map((c: any) => [c.name, c.passed]);

describe('checks on outputs', () => {
  test('each pure kind and cmd: recorded per leaf with its reason; a failed check fails the leaf; exit 1', async () => {
    const dir = docProject({ steps: [{ name: 'echo', cmd: 'cat {{{DOC:path}}}', checks: CHECKS }] }, 3);
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list']);
    expectExit(o, 1);
    expect(o.results).toMatchObject({ total: 3, succeeded: 0, failed: 3 });
    const leaves = byId(o.results);
    // doc-1: refused by the cmd check; doc-2: by not_contains; doc-3: by the regex
    expect(verdicts(leaves.flow_0001)).toEqual([
      ['contains "doc-"', true],
      ['first two', true],
      ['not_contains "doc-2"', true],
      [expect.stringMatching(/^cmd "read line/), false],
      ['json_schema', false],
      ['equals "doc-3"', false],
    ]);
    expect(verdicts(leaves.flow_0003).map(([, passed]) => passed)).toEqual([true, false, true, true, false, true]);
    const cmd = leaves.flow_0001.steps[0].checks[3];
    expect(cmd.reason).toContain('exited with code 4: doc-1 is refused');
    expect(leaves.flow_0003.steps[0].checks[1].reason).toBe('no match for /^doc-[12]$/m');
    expect(leaves.flow_0003.steps[0].checks[4].reason).toBe('the output is not JSON (nor one ```json block holding JSON)');
    // the leaf's error names the step and each failed check; its output is what was judged
    expect(leaves.flow_0002.error).toMatch(/^step 1 \("echo"\): 3 of 6 checks failed: not_contains "doc-2": the output contains "doc-2"; /);
    expect(leaves.flow_0002.output).toBe('doc-2');
    expect(leaves.flow_0002.steps[0].status).toBe('failed');
    // result.json of the leaf holds the same records
    const leaf = JSON.parse(readFileSync(join(o.runDir, 'flow_0001', 'result.json'), 'utf8'));
    expect(leaf.steps[0].checks).toEqual(leaves.flow_0001.steps[0].checks);
    // the cmd check ran as a cmd step: its stdin and stderr kept in the step's check directory
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_echo', 'check_4', 'prompt.txt'), 'utf8')).toBe('doc-1');
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_echo', 'check_4', 'stderr.txt'), 'utf8')).toBe('doc-1 is refused\n');
  });

  test('"checks_fail": false records the checks without failing the leaf', async () => {
    const dir = docProject({ checks_fail: false, steps: [{ name: 'echo', cmd: 'cat {{{DOC:path}}}', checks: CHECKS }] }, 3);
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list']);
    expectExit(o, 0);
    expect(o.results).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    expect(verdicts(byId(o.results).flow_0002).map(([, passed]) => passed)).toEqual([true, true, false, true, false, false]);
    // the end of the run says so: exit 0 is not "every check passed"
    expect(o.stderr).toMatch(/checks: 3 leaves failed a check, recorded without failing \("checks_fail": false\)/);
  });

  test('a failed check stops the leaf before its next step; the steps before are recorded', async () => {
    const dir = docProject(
      { steps: [{ cmd: 'cat {{{DOC:path}}}', checks: [{ type: 'equals', value: 'doc-1' }] }, { cmd: 'echo second >> ran' }] },
      2,
    );
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '1']);
    expectExit(o, 1);
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('second\n');
    const leaves = byId(o.results);
    expect(leaves.flow_0001.status).toBe('succeeded');
    expect(leaves.flow_0002).toMatchObject({ status: 'failed', output: 'doc-2' });
    expect(leaves.flow_0002.steps).toHaveLength(1);
  });

  test('rubric: an openai call through the SDK answering pass/fail and a reason; priced, in the totals, cached', async () => {
    const server = await fakeOpenAI((req: RecordedRequest) => {
      const pass = req.prompt.includes('Output to grade:\ndoc-1');
      return {
        text: JSON.stringify({ pass, reason: pass ? 'it is doc-1' : 'only doc-1 is polite' }),
        usage: { input_tokens: 100, output_tokens: 10 },
      };
    });
    const config = {
      prices: { grader: { input: 1, output: 10 } },
      steps: [{ name: 'echo', cmd: 'cat {{{DOC:path}}}', checks: [{ type: 'rubric', value: 'Is it polite?', model: 'grader' }] }],
    };
    const dir = docProject(config, 2);
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--cache', 'cache'], env);
    expectExit(o, 1);
    const calls = server.requests.filter((r) => r.path === '/v1/responses');
    expect(calls).toHaveLength(2);
    expect(calls.map((r) => r.body.model)).toEqual(['grader', 'grader']);
    expect(calls[0]!.prompt).toContain('Rubric:\nIs it polite?');
    const leaves = byId(o.results);
    expect(leaves.flow_0001.steps[0].checks).toEqual([
      { name: 'rubric "Is it polite?"', type: 'rubric', passed: true, reason: 'it is doc-1' },
    ]);
    expect(leaves.flow_0002.steps[0].checks[0]).toMatchObject({ passed: false, reason: 'only doc-1 is polite' });
    // 100 input tokens at $1/M and 10 output at $10/M, on the step and in the run's totals
    const cost = (100 * 1 + 10 * 10) / 1e6;
    expect(leaves.flow_0001.steps[0].usage).toMatchObject({ input_tokens: 100, output_tokens: 10, cost_usd: cost });
    expect(o.results.usage).toMatchObject({ input_tokens: 200, output_tokens: 20, cost_usd: 2 * cost });
    expect(readFileSync(join(o.runDir, 'flow_0001', '01_echo', 'check_1', 'prompt.txt'), 'utf8')).toContain('Output to grade:\ndoc-1');

    // a second run answers the grader from the cache: no call, the same verdicts
    const again = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--cache', 'cache', '--run-id', 'u'], env);
    expect(server.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(2);
    const second = JSON.parse(readFileSync(join(dir, 'generated', 'run_u', 'results.json'), 'utf8'));
    expect(again.code).toBe(1);
    expect(byId(second).flow_0001.steps[0].checks[0]).toMatchObject({ passed: true, reason: 'it is doc-1' });
  });

  test('--token-budget counts what grading used; --offline leaves rubrics ungraded (skipped)', async () => {
    const dir = docProject({ steps: [{ cmd: 'cat {{{DOC:path}}}', checks: [{ type: 'rubric', value: 'ok?' }] }] }, 2);
    const offline = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline']);
    expectExit(offline, 0);
    expect(byId(offline.results).flow_0001.steps[0].checks[0]).toMatchObject({ passed: true, skipped: true });

    const server = await fakeOpenAI(() => ({ text: '{"pass": true, "reason": "fine"}', usage: { input_tokens: 50, output_tokens: 5 } }));
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url };
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--parallel', '1', '--token-budget', '10', '--run-id', 'b'], env);
    const results = JSON.parse(readFileSync(join(dir, 'generated', 'run_b', 'results.json'), 'utf8'));
    expect(o.code).toBe(1);
    expect(results).toMatchObject({ succeeded: 1, cancelled: 1 });
    expect(server.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(1);
  });

  test('report (markdown and text) shows pass rates per check and the failing leaves; --baseline the checks newly failing and passing', async () => {
    const strict = { type: 'cmd', name: 'strict', value: 'test ! -e strict || grep -q doc-1' };
    const dir = docProject(
      { checks_fail: false, steps: [{ name: 'echo', cmd: 'cat {{{DOC:path}}}', checks: [{ type: 'contains', value: 'doc-' }, strict] }] },
      3,
    );
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list']), 0);
    writeFileSync(join(dir, 'strict'), '');
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--run-id', 'u']), 0);
    const report = (...args: string[]) => runCliInProcess(['report', join('generated', 'run_u'), ...args], { cwd: dir, env: baseEnv() });

    const markdown = await report();
    expectExit(markdown, 0);
    expect(markdown.stdout).toContain('### Checks');
    expect(markdown.stdout).toContain('| echo › contains &quot;doc-&quot; | 3/3 &#40;100 %&#41; | 0 |');
    expect(markdown.stdout).toContain('| echo › strict | 1/3 &#40;33 %&#41; | 2 |');
    expect(markdown.stdout).toContain('**2 results failed a check**');
    expect(markdown.stdout).toMatch(/- flow&#95;0002 · echo › strict: the command exited with code 1/);

    const text = await report('--format', 'text');
    expectExit(text, 0);
    expect(text.stdout).toMatch(/^checks:$/m);
    expect(text.stdout).toMatch(/^ {2}echo › strict +1\/3 \(33 %\)$/m);
    expect(text.stdout).toMatch(/^ {2}flow_0003 {2}echo › strict: the command exited with code 1$/m);

    const compared = await report('--format', 'text', '--baseline', join('generated', 'run_t'));
    expectExit(compared, 0);
    expect(compared.stdout).toContain('checks compared with the baseline: 2 newly failing · 0 newly passing');
    expect(compared.stdout).toMatch(/^ {2}newly failing: flow_0002 {2}echo › strict: /m);
    // report.html of the run: the checks in its summary block, read by the page's checks section
    const html = readFileSync(join(dir, 'generated', 'run_u', 'report.html'), 'utf8');
    const summary = JSON.parse(/<script type="application\/json" id="summary">(.*?)<\/script>/s.exec(html)![1]!);
    expect(summary.checks).toMatchObject({
      rates: [
        ['echo › contains "doc-"', 3, 0, 0],
        ['echo › strict', 1, 2, 0],
      ],
      failing_leaves: 2,
      failures: [
        ['flow_0002', 'flow_0002', 'echo › strict', expect.stringContaining('exited with code 1')],
        ['flow_0003', 'flow_0003', 'echo › strict', expect.stringContaining('exited with code 1')],
      ],
      // `report --baseline` above wrote the run's report.html again, with the comparison
      changes: {
        failing: 2,
        passing: 0,
        newly_failing: [
          ['flow_0002', 'echo › strict', 'the command exited with code 1'],
          ['flow_0003', 'echo › strict', 'the command exited with code 1'],
        ],
        newly_passing: [],
      },
    });
    expect(html).toContain('function checksBox(c)');
    const back = await runCliInProcess(['report', join('generated', 'run_t'), '--baseline', join('generated', 'run_u')], {
      cwd: dir,
      env: baseEnv(),
    });
    expect(back.stdout).toContain('**Checks compared with the baseline:** 💥 0 newly failing · 🩹 2 newly passing');
    expect(back.stdout).toMatch(/- 🩹 flow&#95;0003 · echo › strict: /);
  });

  test('--dry-run lists the checks of each step and which model grades a rubric; runs no check', async () => {
    const server = await fakeOpenAI();
    const config = {
      model: 'gpt-5.4',
      steps: [
        {
          name: 'echo',
          cmd: 'cat {{{DOC:path}}}',
          checks: [
            { type: 'contains', value: 'doc-' },
            { type: 'cmd', value: 'touch checked' },
            { type: 'rubric', value: 'Polite?', name: 'polite' },
          ],
        },
      ],
    };
    const dir = docProject(config, 2);
    const o = await runCliInProcess(['config.json', '--key', 'DOC:docs.list', '--dry-run'], {
      cwd: dir,
      env: baseEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url }),
    });
    expectExit(o, 0);
    expect(o.stdout).toContain('    check 1: contains "doc-"\n    check 2: cmd "touch checked"\n    check 3: polite (graded by gpt-5.4)');
    expect(o.stdout).toContain('step 1 "echo": 1 rubric check on each of its 2 calls, graded by a model: not estimated');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'checked'))).toBe(false);
  });

  test('--max-cost refuses a rubric whose grader has no price: the cap could not count its calls', async () => {
    const dir = docProject({ steps: [{ cmd: 'cat', checks: [{ type: 'rubric', value: 'ok?', model: 'house-grader', name: 'ok' }] }] }, 1);
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--max-cost', '1'], { OPENAI_API_KEY: KEY });
    expectExit(o, 2);
    expect(o.stderr).toContain(
      '--max-cost $1.00 cannot count every call: config.json: step 1 ("cmd"): check "ok": model "house-grader" has no price',
    );
  });
});
