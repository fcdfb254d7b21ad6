/**
 * The after output leading the job summary and the PR comment (issue 15.1), and a run compared with
 * a baseline run leaf by leaf (issue 15.3), as pure renderings of fixtures.
 */
import { BaselineComparison } from '../../src/report/baseline-compare.js';
import type { AfterResult, LeafEntry, NotStarted } from '../../src/model/results.js';
import { parseAfterResult } from '../../src/results/validate.js';
import { renderComment } from '../../src/report/comment.js';
import { prose } from '../../src/report/markdown.js';
import { renderSummary, SummaryRows } from '../../src/report/summary.js';

const HOSTILE = '</pre><img src=x onerror=alert(1)> @admin #12 [link](http://evil.example) | cell';

function leaf(id: string, doc: string, status: LeafEntry['status'], output: string | null, branch: number[] = []): LeafEntry {
  return {
    id,
    branch,
    keys: { DOC: doc },
    status,
    output: status === 'succeeded' ? output : null,
    final_message: null,
    error: status === 'succeeded' ? null : 'step 1 ("check"): the command exited with code 4',
    duration_ms: 5,
    usage: { input_tokens: 1, output_tokens: 2 },
    steps: [],
  };
}

const totals = { flows_total: 2, total: 2, succeeded: 2, failed: 0, cancelled: 0, usage: { input_tokens: 2, output_tokens: 4 } };

const after = (output: string | null, status: AfterResult['status'] = 'succeeded'): AfterResult => ({
  status,
  output,
  error: status === 'succeeded' ? null : 'step 1 ("summary"): the command exited with code 2',
  usage: { input_tokens: 10, output_tokens: 20 },
  steps: [{ name: 'summary', type: 'openai', status, duration_ms: 9, usage: null, dir: 'after/01_summary' }],
});

describe('the after output', () => {
  test('leads the job summary, before the totals and the table, escaped with its lines kept', () => {
    const text = `All good.\n\n- first point\n1. numbered\n${HOSTILE}\n    indented`;
    const md = renderSummary({
      title: 'orchestrator: run_t',
      totals,
      durationMs: 1,
      leaves: [leaf('flow_0001', 'a', 'succeeded', 'x')],
      after: after(text),
    });
    const at = (s: string): number => md.indexOf(s);
    expect(at('### summary (over all results)')).toBeGreaterThan(at('## orchestrator: run_t'));
    expect(at('All good.')).toBeLessThan(at('**2 flows**'));
    expect(at('**2 flows**')).toBeLessThan(at('| flow |'));
    // nothing of the output is markup: no tag, link, mention, list or code block comes from it
    expect(md).not.toContain('<img');
    expect(md).not.toContain('</pre>');
    expect(md).not.toContain('[link](');
    expect(md).not.toMatch(/@admin/);
    expect(md).toContain('&#45; first point<br>');
    expect(md).toContain('1&#46; numbered');
    expect(md).toContain('&#160;&#160;&#160;&#160;indented');
    expect(md).toContain('All good.\n\n&#45; first point');
  });

  test('a failed after step shows its error; a missing after changes nothing', () => {
    const md = renderSummary({ title: 't', totals, durationMs: 1, leaves: [], after: after(null, 'failed') });
    expect(md).toContain('❌ failed');
    expect(md).toContain('**Error:** step 1 &#40;&quot;summary&quot;&#41;&#58; the command exited with code 2');
    const plain = renderSummary({ title: 't', totals, durationMs: 1, leaves: [] });
    expect(renderSummary({ title: 't', totals, durationMs: 1, leaves: [], after: null })).toBe(plain);
    expect(plain).not.toContain('over all results');
  });

  test('a huge after output is cut with a note, and the summary stays under its limit with rows gathered earlier', () => {
    const rows = new SummaryRows();
    for (let i = 1; i <= 4000; i++)
      rows.add(leaf(`flow_${String(i).padStart(4, '0')}`, `docs/${'d'.repeat(150)}${i}.md`, 'succeeded', 'o'.repeat(200)));
    const md = renderSummary({
      title: 't',
      totals,
      durationMs: 1,
      rows,
      after: after('<&>'.repeat(300_000)),
      limit: 1024 * 1024 - 16 * 1024,
    });
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024 - 16 * 1024);
    expect(/more characters: see after\/01_summary\/output.txt in the artifact/.test(md)).toBe(true);
    expect(/_1,\d{3} more results not shown/.test(md)).toBe(true);
    expect(md.includes('| flow_0001 |')).toBe(true);
  });

  test('leads the PR comment; the comment stays under its limit with a long after output and many leaves', () => {
    const leaves = Array.from({ length: 500 }, (_, i) =>
      leaf(`flow_${String(i + 1).padStart(4, '0')}`, `d${i}`, 'succeeded', 'x'.repeat(3000)),
    );
    const body = renderComment({
      marker: '<!-- m -->',
      title: 't',
      totals,
      durationMs: 1,
      leaves,
      after: after(`${HOSTILE}\n`.repeat(5000)),
    });
    expect(body.length).toBeLessThanOrEqual(65_536 - 1_024);
    expect(body.indexOf('#### summary (over all results)')).toBeLessThan(body.indexOf('**2 flows**'));
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/@admin/);
    expect(body).toContain('&lt;&#47;pre&gt;'.replace('&#47;', '/'));
  });

  test('read back from results.json, a step directory outside after/ is refused', () => {
    const good = { ...after('o'), steps: [{ ...after('o').steps[0], usage: null }] };
    expect(parseAfterResult(good, 'results.json')).toEqual(good);
    expect(parseAfterResult(undefined, 'results.json')).toBeNull();
    for (const dir of ['flow_0001/01_x', 'after/../../etc', 'after/01_x/../..', '/etc/after/01_x']) {
      expect(() => parseAfterResult({ ...good, steps: [{ ...good.steps[0], dir }] }, 'results.json')).toThrow(
        /results.json: field "after.steps\[0\].dir" must be a step directory under after\//,
      );
    }
    expect(() => parseAfterResult({ ...good, status: 'great' }, 'results.json')).toThrow(/field "after.status" must be one of/);
    expect(() => parseAfterResult({ ...good, output: 3 }, 'results.json')).toThrow(/field "after.output"/);
  });

  test('prose keeps text as written: blank lines, CR LF, no trailing spaces', () => {
    expect(prose('a\r\nb\n\n\n  c  \n')).toBe('a<br>\nb\n\n&#160;&#160;c');
    expect(prose('+ x\n= y\n12. z\n1) w')).toBe('&#43; x<br>\n&#61; y<br>\n12&#46; z<br>\n1&#41; w');
  });
});

describe('comparing with a baseline', () => {
  const base = [
    leaf('flow_0001', 'a', 'succeeded', 'same'),
    leaf('flow_0002', 'b', 'succeeded', 'b in v1'),
    leaf('flow_0003', 'c', 'failed', null),
    leaf('flow_0004', 'd', 'succeeded', 'gone'),
    leaf('flow_0005', 'f', 'succeeded', 'was fine'),
    leaf('flow_0006', 'g', 'failed', null),
  ];
  const current = [
    leaf('flow_0001', 'a', 'succeeded', 'same'),
    leaf('flow_0002', 'b', 'succeeded', 'b in v2'),
    leaf('flow_0003', 'c', 'succeeded', 'fixed now'),
    leaf('flow_0004', 'e', 'succeeded', 'gone'),
    leaf('flow_0005', 'f', 'failed', null),
    leaf('flow_0006', 'g', 'failed', null),
  ];

  test('marks each leaf by its keys, not its position', () => {
    const c = new BaselineComparison('run_b', () => base, current);
    expect(current.map((_, i) => c.markAt(i))).toEqual(['unchanged', 'changed', 'fixed', 'new', 'newly failing', 'unchanged']);
    expect(c.counts).toEqual({ new: 1, changed: 1, unchanged: 2, 'newly failing': 1, fixed: 1 });
    expect(c.gone).toBe(1);
    // the baseline's text is kept for the changed leaf only
    expect(current.map((_, i) => c.beforeAt(i))).toEqual([undefined, 'b in v1', undefined, undefined, undefined, undefined]);
  });

  test('branches match by keys and branch path; leaves listed twice match in order; never-started ranges are not compared', () => {
    const range: NotStarted = {
      from: { id: 'flow_0003', branch: [] },
      to: { id: 'flow_0200', branch: [] },
      count: 198,
      reason: 'x',
      steps: [],
    };
    const c = new BaselineComparison(
      'run_b',
      () => [
        leaf('flow_0001', 'a', 'succeeded', 'one', [1]),
        leaf('flow_0001', 'a', 'succeeded', 'two', [2]),
        leaf('flow_0002', 'a', 'succeeded', 'p', [1]),
      ],
      [
        leaf('flow_0001', 'a', 'succeeded', 'one', [2]),
        leaf('flow_0001', 'a', 'succeeded', 'two', [1]),
        leaf('flow_0002', 'a', 'succeeded', 'p', [1]),
        range,
      ],
    );
    // flow_0001 [2] is compared with the baseline's first [2], "two": changed
    expect([0, 1, 2, 3].map((i) => c.markAt(i))).toEqual(['changed', 'changed', 'unchanged', undefined]);
    expect(c.codeAt(3)).toBe(-1);
    expect(c.notCompared).toBe(198);
    expect(c.gone).toBe(0);
  });

  test('the summary shows the counts under the totals and a mark beside each status; the baseline id is escaped', () => {
    const c = new BaselineComparison('run_b<x>', () => base, current);
    const md = renderSummary({ title: 't', totals, durationMs: 1, leaves: current, baseline: c });
    expect(md).toContain(
      '**Compared with run_b&lt;x&gt;:** 🆕 1 new · ✏️ 1 changed · ➖ 2 unchanged · 💥 1 newly failing · 🩹 1 fixed · 1 baseline results not in this run',
    );
    expect(md).toContain('| flow_0005 | DOC: f | ❌ failed<br>💥 newly failing |');
    expect(md.indexOf('Compared with')).toBeGreaterThan(md.indexOf('**2 flows**'));
    const body = renderComment({ marker: '<!-- m -->', title: 't', totals, durationMs: 1, leaves: current, baseline: c });
    expect(body).toContain('💥 1 newly failing');
  });
});
