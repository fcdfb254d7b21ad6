/** Checks in what people read (pure): pass rates per check, failing leaves, escaping, and changes against a baseline. */
import { BaselineComparison } from '../../src/report/baseline-compare.js';
import { tallyChecks } from '../../src/report/checks.js';
import { checksFailure } from '../../src/engine/step-checks.js';
import { FailedLeaves } from '../../src/report/failed.js';
import type { Step } from '../../src/config/types.js';
import { renderComment } from '../../src/report/comment.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import type { CheckResult } from '../../src/model/checks.js';
import type { LeafEntry, Totals } from '../../src/model/results.js';

const check = (name: string, passed: boolean, reason = passed ? 'ok' : 'no'): CheckResult => ({ name, type: 'contains', passed, reason });

function leaf(n: number, checks: CheckResult[], branch: number[] = []): LeafEntry {
  const failed = checks.some((c) => !c.passed);
  return {
    id: `flow_${String(n).padStart(4, '0')}`,
    branch,
    keys: { doc: `docs/${n}.md` },
    status: failed ? 'failed' : 'succeeded',
    output: `out ${n}`,
    final_message: null,
    error: failed ? 'a check failed' : null,
    duration_ms: 10,
    usage: { input_tokens: 1, output_tokens: 1 },
    steps: [
      { name: 'review', type: 'openai', status: failed ? 'failed' : 'succeeded', duration_ms: 10, usage: null, dir: 'x/01_review', checks },
    ],
  };
}

const totals: Totals = { flows_total: 3, total: 3, succeeded: 1, failed: 2, cancelled: 0, usage: { input_tokens: 3, output_tokens: 3 } };

const LEAVES = [
  leaf(1, [check('has LGTM', true), check('polite', true)]),
  leaf(2, [check('has LGTM', false, 'the output does not contain "LGTM"'), check('polite', true)]),
  leaf(3, [check('has LGTM', true), { ...check('polite', false, 'rude <script>@team</script>'), type: 'rubric' }], [2]),
];

describe('checks across leaves', () => {
  test('the tally: pass rates per check in config order, the failures in results order, skipped ones apart', () => {
    const tally = tallyChecks([...LEAVES, leaf(4, [{ ...check('polite', true), skipped: true }])]);
    expect(tally.checks()).toEqual([
      { key: 'review › has LGTM', passed: 2, failed: 1, skipped: 0 },
      { key: 'review › polite', passed: 2, failed: 1, skipped: 1 },
    ]);
    expect(tally.failingLeaves).toBe(2);
    expect(tally.failed().map((f) => [f.leaf, f.key])).toEqual([
      ['flow_0002', 'review › has LGTM'],
      ['flow_0003 [2]', 'review › polite'],
    ]);
    expect(tallyChecks([leaf(1, [])]).any).toBe(false);
  });

  test('one rule for a failed check (model/checks.ts checkFailed): a skipped one is never failed, in the tally, at the end of a run or in the leaf’s error', () => {
    // an ungraded rubric (--offline) is recorded passed; one recorded otherwise (an older or edited results file) is still not failed
    const ungraded: CheckResult = { ...check('polite', false, 'not graded'), type: 'rubric', skipped: true };
    const tally = tallyChecks([leaf(1, [ungraded])]);
    expect(tally.checks()).toEqual([{ key: 'review › polite', passed: 0, failed: 0, skipped: 1 }]);
    const ending = new FailedLeaves();
    ending.add({ ...leaf(1, [ungraded]), status: 'succeeded' });
    expect(ending.failedChecks).toBe(0);
    expect(checksFailure({ index: 1, label: 'review' } as Step, [ungraded, check('has LGTM', true)])).toBeUndefined();
    expect(checksFailure({ index: 1, label: 'review' } as Step, [ungraded, check('has LGTM', false)])).toBe(
      'step 1 ("review"): a check failed: has LGTM: no',
    );
  });

  test('two steps of the same name (two unnamed cmd steps are both "cmd") are counted apart: the second is `name #2`', () => {
    const twice = (n: number, first: boolean, second: boolean): LeafEntry => {
      const one = leaf(n, [check('ok', first)]);
      return { ...one, steps: [one.steps[0]!, { ...one.steps[0]!, dir: 'x/02_review', checks: [check('ok', second)] }] };
    };
    const tally = tallyChecks([twice(1, true, false), twice(2, true, false)]);
    expect(tally.checks()).toEqual([
      { key: 'review › ok', passed: 2, failed: 0, skipped: 0 },
      { key: 'review #2 › ok', passed: 0, failed: 2, skipped: 0 },
    ]);
    expect(tally.failed().map((f) => f.key)).toEqual(['review #2 › ok', 'review #2 › ok']);
  });

  test('check keys are never shared by two checks: a step named `review #2` before a second `review`, a ` › ` inside a step or check name', () => {
    const withSteps = (n: number, steps: Array<[step: string, check: string, passed: boolean]>): LeafEntry => {
      const one = leaf(n, []);
      const steps_ = steps.map(([name, c, passed], i) => ({ ...one.steps[0]!, name, dir: `x/0${i + 1}_s`, checks: [check(c, passed)] }));
      return { ...one, steps: steps_ };
    };
    const tally = tallyChecks([
      withSteps(1, [
        ['review #2', 'ok', true],
        ['review', 'ok', true],
        ['review', 'ok', false],
      ]),
      withSteps(2, [
        ['a › b', 'c', true],
        ['a', 'b › c', false],
      ]),
    ]);
    const keys = tally.checks().map((rate) => rate.key);
    expect(new Set(keys).size).toBe(5);
    expect(tally.checks().map((rate) => [rate.passed, rate.failed])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    // a name that could be mistaken for another key is quoted; the others read as before
    expect(keys).toEqual(['"review #2" › ok', 'review › ok', 'review #2 › ok', '"a › b" › c', 'a › "b › c"']);
  });

  test('summary: a table of pass rates and the failing leaves under the results, untrusted reasons escaped', () => {
    const md = renderSummary({ title: 't', totals, durationMs: 1, leaves: LEAVES });
    expect(md).toContain('### Checks\n\n| check | passed | failed |\n| --- | --- | --- |\n| review › has LGTM | 2/3 &#40;67 %&#41; | 1 |');
    expect(md).toContain('**2 results failed a check**');
    expect(md).toContain('- flow&#95;0003 &#91;2&#93; · review › polite: rude &lt;script&gt;&#64;&#8203;team&lt;/script&gt;');
    expect(md).not.toContain('<script>');
    // a run without checks has no section
    expect(renderSummary({ title: 't', totals, durationMs: 1, leaves: [leaf(1, [])] })).not.toContain('Checks');
  });

  test('comment: the checks lead, before the results; text: a checks block after the table', () => {
    const comment = renderComment({ marker: '<!-- m -->', title: 't', totals, durationMs: 1, leaves: LEAVES });
    expect(comment.indexOf('#### Checks')).toBeGreaterThan(0);
    expect(comment.indexOf('#### Checks')).toBeLessThan(comment.indexOf('<details>'));
    const text = renderText({ title: 't', totals, durationMs: 1, leaves: LEAVES });
    expect(text).toContain('checks:\n  review › has LGTM  2/3 (67 %)\n  review › polite    2/3 (67 %)\n2 results failed a check:\n');
    expect(text).toContain('  flow_0002  review › has LGTM: the output does not contain "LGTM"');
  });

  test('text: a table longer than a screenful (40 rows) repeats the totals line under it; a short one does not', () => {
    const lines = (leaves: number): string[] =>
      renderText({ title: 't', totals, durationMs: 1, leaves: Array.from({ length: leaves }, (_, i) => leaf(i + 1, [])) }).split('\n');
    const short = lines(40);
    const long = lines(41);
    const totalsLine = short[2]!;
    expect(short.filter((line) => line === totalsLine)).toHaveLength(1);
    expect(long.filter((line) => line === totalsLine)).toHaveLength(2);
    expect(long.at(-2)).toBe(totalsLine);
    // and the failed leaves are listed again above it, the first ten
    const failing = renderText({
      title: 't',
      totals,
      durationMs: 1,
      leaves: Array.from({ length: 50 }, (_, i) => leaf(i + 1, i % 4 === 0 ? [check('has LGTM', false)] : [])),
    }).split('\n');
    const at = failing.indexOf('failed: 13 leaves, the first 10:');
    expect(at).toBeGreaterThan(50);
    expect(failing.slice(at + 1, at + 3)).toEqual(['  flow_0001: a check failed', '  flow_0005: a check failed']);
    expect(failing[at + 11]).toBe('  and 3 more');
    expect(lines(40).some((line) => line.startsWith('failed:'))).toBe(false);
  });

  test('baseline: checks newly failing and newly passing, leaf by leaf (same keys, same check)', () => {
    const before = [
      leaf(1, [check('has LGTM', true), check('polite', false)]),
      leaf(2, [check('has LGTM', true)]),
      leaf(3, [check('polite', false)], [2]),
    ];
    const comparison = new BaselineComparison('run_base', () => before, LEAVES);
    expect(comparison.checks.failing).toBe(1);
    expect(comparison.checks.passing).toBe(1);
    expect(comparison.checks.newlyFailing).toEqual([
      { leaf: 'flow_0002', key: 'review › has LGTM', reason: 'the output does not contain "LGTM"' },
    ]);
    expect(comparison.checks.newlyPassing).toEqual([{ leaf: 'flow_0001', key: 'review › polite', reason: 'ok' }]);
    const md = renderSummary({ title: 't', totals, durationMs: 1, leaves: LEAVES, baseline: comparison });
    expect(md).toContain('**Checks compared with the baseline:** 💥 1 newly failing · 🩹 1 newly passing');
    expect(md).toContain('- 💥 flow&#95;0002 · review › has LGTM: the output does not contain &quot;LGTM&quot;');
  });
});
