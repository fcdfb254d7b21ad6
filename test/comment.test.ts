/**
 * The pull request comment of `mode: report` (README: "GitHub Action"), as a unit: `commentMarker` (the hidden marker
 * that finds our comment again) and `renderComment` (marker, totals, one collapsed <details> per result,
 * escaping of untrusted text, GitHub's 65,536-character limit, notes about missing shards).
 */
import { COMMENT_LIMIT, commentMarker, renderComment, type CommentInput } from '../src/report/comment.js';
import { mergeNotes } from '../src/report/summary.js';
import { unstartedEntry } from '../src/results/results.js';
import type { LeafEntry, Totals } from '../src/model/results.js';

/** GitHub refuses a comment body longer than this. */
const GITHUB_LIMIT = 65_536;

function leaf(n: number, overrides: Partial<LeafEntry> = {}): LeafEntry {
  const id = `flow_${String(n).padStart(4, '0')}`;
  return {
    id,
    branch: [],
    keys: { doc: `docs/d${n}.md` },
    status: 'succeeded',
    output: `answer ${n}`,
    final_message: null,
    error: null,
    duration_ms: 1200,
    usage: { input_tokens: 10, output_tokens: 20 },
    steps: [],
    ...overrides,
  };
}

function totalsOf(leaves: readonly LeafEntry[], unlisted = 0): Totals {
  const count = (status: LeafEntry['status']): number => leaves.filter((l) => l.status === status).length;
  return {
    flows_total: new Set(leaves.map((l) => l.id)).size + unlisted,
    total: leaves.length + unlisted,
    succeeded: count('succeeded') + unlisted,
    failed: count('failed'),
    cancelled: count('cancelled'),
    usage: { input_tokens: 10 * leaves.length, output_tokens: 20 * leaves.length },
  };
}

const MARKER = commentMarker('CI', 'report', 'orchestrator.json');

function render(leaves: LeafEntry[], extra: Partial<CommentInput> = {}): string {
  return renderComment({
    marker: MARKER,
    title: 'orchestrator: run_gh1 (3 shards)',
    totals: totalsOf(leaves, extra.unlisted),
    durationMs: 65_000,
    leaves,
    ...extra,
  });
}

const count = (text: string, needle: string | RegExp): number =>
  typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(new RegExp(needle, 'g')) ?? []).length;

/**
 * The text a reader of the rendered comment sees, roughly as GitHub turns Markdown/HTML into text before
 * it looks for @mentions: tags dropped, every character reference decoded (a numeric entity such as
 * `&#64;` is decoded too, so it does not stop a mention).
 */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&(lt|gt|quot|amp|commat|num);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', commat: '@', num: '#' })[e]!);
}

/** An @mention GitHub would link (and notify): `@` then a login, not preceded by a word character. */
const MENTION = /(^|[^\w`])@[A-Za-z0-9][A-Za-z0-9-]*/;

describe('commentMarker', () => {
  test('is a hidden HTML comment naming the workflow, the job and the config; the same inputs give the same marker', () => {
    const marker = commentMarker('pr-review', 'report', 'configs/review.json');
    expect(marker).toMatch(/^<!--[\s\S]*-->$/);
    expect(marker).toContain('pr-review');
    expect(marker).toContain('report');
    expect(marker).toContain('configs/review.json');
    expect(marker).not.toMatch(/\n/);
    expect(commentMarker('pr-review', 'report', 'configs/review.json')).toBe(marker);
    // it renders as nothing
    expect(visibleText(marker).trim()).toBe('');
  });

  test('differs whenever the workflow, the job or the config differs', () => {
    const markers = [
      commentMarker('CI', 'report', 'a.json'),
      commentMarker('CI nightly', 'report', 'a.json'),
      commentMarker('CI', 'report-2', 'a.json'),
      commentMarker('CI', 'report', 'b.json'),
      commentMarker('C', 'I', 'report'),
    ];
    expect(new Set(markers).size).toBe(markers.length);
    // no marker is found inside another (the comment is looked up with `includes`)
    for (const a of markers) for (const b of markers) if (a !== b) expect(b.includes(a)).toBe(false);
  });

  test('names that would read alike once cleaned still give different markers', () => {
    // a name may hold " job=" or "--": two workflows must still never share a comment
    expect(commentMarker('a job=b', 'c', 'x.json')).not.toBe(commentMarker('a', 'b job=c', 'x.json'));
    expect(commentMarker('ci', 'j config=x.json', 'y.json')).not.toBe(commentMarker('ci', 'j', 'x.json config=y.json'));
    expect(commentMarker('a--b', 'j', 'x.json')).not.toBe(commentMarker('a-b', 'j', 'x.json'));
    expect(commentMarker('a<b', 'j', 'x.json')).not.toBe(commentMarker('a>b', 'j', 'x.json'));
  });

  test.each([
    ['-->', 'job', 'c.json'],
    ['wf', 'x --> <img src=x onerror=alert(1)>', 'c.json'],
    ['wf', 'job', 'evil--!>.json'],
    ['<!-- nested', 'job', 'c.json'],
    ['wf', 'a\n-->\n<b>x</b>', 'c.json'],
    ['---', '-', '->'],
    ['wf-', 'job-', 'c.json-'],
  ])('cannot be broken by %j / %j / %j: one comment, closed only at its end', (workflow, job, config) => {
    const marker = commentMarker(workflow, job, config);
    expect(marker.startsWith('<!--')).toBe(true);
    expect(marker.endsWith('-->')).toBe(true);
    const inner = marker.slice('<!--'.length, -'-->'.length);
    // HTML ends a comment at "-->" or "--!>"; "<!--" inside is a parse error; nothing may end it early
    expect(inner).not.toMatch(/--|<|>|\n|\r/);
    expect(inner.startsWith('>') || inner.startsWith('->') || inner.endsWith('-')).toBe(false);
    expect(visibleText(`${marker}\n`).trim()).toBe('');
  });
});

describe('renderComment', () => {
  test('marker first, then the title and the totals, then one collapsed <details> per result', () => {
    const leaves = [
      leaf(1),
      leaf(2, { branch: [1], output: 'first branch' }),
      leaf(2, { branch: [2], status: 'failed', output: null, error: 'step 2 ("draft"): exit code 3' }),
      leaf(3, { status: 'cancelled', output: null, error: 'token budget reached' }),
    ];
    const body = render(leaves);
    const lines = body.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(count(body, MARKER)).toBe(1);
    const totals = lines.findIndex((l) => l.includes('**3 flows** (4 results)'));
    expect(totals).toBeGreaterThan(0);
    expect(lines[totals]).toContain('2 succeeded');
    expect(lines[totals]).toContain('1 failed');
    expect(lines[totals]).toContain('1 cancelled');
    expect(lines[totals]).toContain('tokens 40 in / 80 out');
    expect(lines[totals]).toContain('1 min 5 s');
    const title = lines.findIndex((l) => l.startsWith('### ') && l.includes('orchestrator'));
    expect(title).toBeGreaterThan(0);
    expect(title).toBeLessThan(totals);
    expect(totals).toBeLessThan(lines.findIndex((l) => l.includes('<details')));

    expect(count(body, /<details>/)).toBe(4);
    expect(count(body, '</details>')).toBe(4);
    expect(body).not.toMatch(/<details[^>]*\bopen\b/); // collapsed
    const details = body.split('<details>').slice(1);
    expect(details[0]).toMatch(/<summary>.*flow_0001.*docs\/d1\.md.*<\/summary>[\s\S]*answer 1/);
    expect(details[1]).toMatch(/<summary>.*flow_0002 \[1\].*<\/summary>[\s\S]*first branch/);
    expect(details[2]).toMatch(/<summary>.*❌.*flow_0002 \[2\].*<\/summary>[\s\S]*exit code 3/);
    expect(details[3]).toMatch(/<summary>.*flow_0003.*<\/summary>[\s\S]*token budget reached/);
    expect(details[0]).toContain('✅');
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMIT);
  });

  test('the footer (the workflow run link) comes last', () => {
    const body = render([leaf(1)], { footer: '[Workflow run](https://github.com/o/r/actions/runs/1)' });
    expect(body.trimEnd().endsWith('[Workflow run](https://github.com/o/r/actions/runs/1)')).toBe(true);
  });

  test('untrusted output is escaped: no HTML, no closing of <details>/<pre>, no mention, no table cell', () => {
    const evil = [
      '<img src=x onerror=alert(1)>',
      '</pre></details><details open><summary>fake</summary>',
      '<script>alert(1)</script>',
      'cc @octocat and @github/security-team',
      'a | b | c',
      '```',
      '<!-- hidden -->',
      '[click](javascript:alert(1)) ![x](http://evil/x.png)',
    ].join('\n');
    const body = render([
      leaf(1, { output: evil }),
      leaf(2, { status: 'failed', output: null, error: `failed: ${evil}` }),
      leaf(3, { keys: { doc: 'docs/<b>@octocat</b>|x.md' } }),
    ]);
    expect(body).not.toMatch(/<img|<script|<b>@|<details open|javascript:alert\(1\)\)/i);
    expect(body).toContain('docs/&lt;b&gt;');
    expect(count(body, /<details>/)).toBe(3);
    expect(count(body, '</details>')).toBe(3);
    expect(count(body, '</pre>')).toBe(3);
    expect(count(body, '<summary>')).toBe(3);
    expect(count(body, '<!--')).toBe(1); // the marker only
    expect(body).not.toContain('@octocat');
    expect(body).not.toContain('a | b');
    expect(body).toContain('a &#124; b &#124; c');
    expect(body).not.toContain('```');
    // what a reader sees still says what the model wrote, without linking anyone
    const seen = visibleText(body);
    expect(seen).toContain('<img src=x onerror=alert(1)>');
    expect(seen).toMatch(/octocat/);
    expect(seen).not.toMatch(MENTION);
  });

  test('a file path holding @someone in the summary line mentions nobody', () => {
    const body = render([leaf(1, { keys: { doc: 'docs/@octocat/notes.md' } })]);
    const summary = /<summary>(.*)<\/summary>/.exec(body)![1]!;
    expect(summary).toMatch(/octocat/);
    expect(visibleText(summary)).not.toMatch(MENTION);
  });

  test('a few results with 5 KB outputs are shown whole', () => {
    const leaves = [1, 2, 3].map((n) => leaf(n, { output: `start ${n} ` + 'x'.repeat(5000) + ` end ${n}` }));
    const body = render(leaves);
    for (const n of [1, 2, 3]) expect(body).toContain(`end ${n}`);
    expect(body).not.toMatch(/more characters/);
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMIT);
  });

  test('a moderate number of 5 KB outputs: every result keeps its <details>, each detail cut short and saying so', () => {
    const leaves = Array.from({ length: 50 }, (_, i) => leaf(i + 1, { output: `start ${i + 1} ` + 'y'.repeat(5000) }));
    const body = render(leaves);
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMIT);
    expect(count(body, /<details>/)).toBe(50);
    for (let n = 1; n <= 50; n++) expect(body).toContain(`start ${n} yyyy`);
    expect(count(body, /more characters in the artifact/)).toBe(50);
    expect(body).not.toMatch(/more results not shown/);
  });

  test('3,000 results with 5 KB outputs stay within 65,536 characters: details go first, then rows, with a count of the rest', () => {
    const leaves = Array.from({ length: 3000 }, (_, i) =>
      leaf(i + 1, {
        keys: { doc: `docs/section-${i + 1}/a-rather-long-file-name-${i + 1}.md` },
        // escapable characters grow several-fold when escaped
        output: '<@_*|>'.repeat(850) + 'z'.repeat(100),
        ...(i % 7 === 3 ? { status: 'failed' as const, output: null, error: 'E'.repeat(5000) } : {}),
      }),
    );
    const notes = mergeNotes({ missingShards: [4], shardCount: 5, notes: [] });
    const body = render(leaves, { notes });
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMIT);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toContain('**3,000 flows** (3,000 results)');
    expect(body).toContain('4/5'); // the note survives trimming
    const match = /…and ([\d,]+) more results not shown/.exec(body);
    expect(match).not.toBeNull();
    const omitted = Number(match![1]!.replace(/,/g, ''));
    const shown = count(body, /flow_\d{4}/);
    expect(shown).toBeGreaterThan(100);
    expect(shown + omitted).toBe(3000);
    // the rows shown are the first ones, in order
    expect(body).toContain('flow_0001');
    expect(body).toContain(`flow_${String(shown).padStart(4, '0')}`);
    expect(body).not.toContain(`flow_${String(shown + 1).padStart(4, '0')}`);
  });

  test('results cut before rendering (unlisted) are counted in the "…and N more"', () => {
    const leaves = Array.from({ length: 20 }, (_, i) => leaf(i + 1));
    const body = render(leaves, { unlisted: 2980 });
    expect(count(body, /<details>/)).toBe(20);
    expect(body).toMatch(/…and 2,?980 more results not shown/);
  });

  test('an explicit limit is respected; every result is shown or counted', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leaf(i + 1, { output: 'w'.repeat(2000) }));
    for (const limit of [20_000, 10_000, 2_000]) {
      const body = render(leaves, { limit });
      expect(body.length).toBeLessThanOrEqual(limit);
      const omitted = Number(/…and ([\d,]+) more results not shown/.exec(body)?.[1] ?? 0);
      expect(count(body, /flow_\d{4}/) + omitted).toBe(40);
    }
  });

  test('missing shards: the note is shown under the totals and their flows are listed as cancelled with the reason', () => {
    const run = { missingShards: [2], shardCount: 3, notes: ['the shards ran different configs or key lists'] };
    const leaves = [leaf(1), unstartedEntry('flow_0002', {}, 'shard 2/3 is missing: its job left no results'), leaf(3)];
    const body = render(leaves, { notes: mergeNotes(run) });
    const lines = body.split('\n');
    const totals = lines.findIndex((l) => l.includes('**'));
    const note = lines.findIndex((l) => l.includes('2/3') && /shards? left no results/.test(l));
    expect(note).toBeGreaterThan(totals);
    expect(note).toBeLessThan(lines.findIndex((l) => l.includes('<details')));
    expect(lines[note]).toMatch(/^> /);
    expect(body).toContain('different configs');
    const details = body.split('<details>').slice(1);
    expect(details[1]).toMatch(/⏹️.*flow_0002[\s\S]*shard 2\/3 is missing/);
  });
});

describe('what changed (diffstat per leaf)', () => {
  const changes = {
    patch: 'flow_0001/codex_exec_1/changes.patch',
    files: [
      { path: 'src/a.ts', status: 'modified' as const, binary: false, added: 8, removed: 1 },
      { path: 'docs/<img src=x onerror=alert(1)> @admin.md', status: 'added' as const, binary: false, added: 2, removed: 0 },
      { path: 'logo.png', status: 'added' as const, binary: true, added: 0, removed: 0 },
      { path: 'new/b.ts', old_path: 'old/b.ts', status: 'renamed' as const, binary: false, added: 1, removed: 1 },
    ],
    added: 11,
    removed: 2,
  };
  const empty = { patch: 'flow_0002/codex_exec_1/changes.patch', files: [], added: 0, removed: 0 };

  test('the comment says per leaf what changed, "no changes", or nothing when unknown; its details hold the diffstat, escaped', () => {
    const body = render([leaf(1, { changes }), leaf(2, { changes: empty }), leaf(3)]);
    const summaries = [...body.matchAll(/<summary>(.*)<\/summary>/g)].map((m) => m[1]!);
    expect(summaries[0]).toMatch(/4 files \+11 −2$/);
    expect(summaries[1]).toMatch(/no changes$/);
    expect(summaries[2]).not.toMatch(/changes|files/);
    const details = body.split('<details>')[1]!;
    expect(details).toContain('src/a.ts | +8 −1');
    expect(details).toContain('logo.png | binary');
    expect(details).toContain('old/b.ts → new/b.ts | +1 −1');
    expect(body).not.toMatch(/<img/);
    expect(visibleText(body)).not.toMatch(MENTION);
  });

  test('the job summary gains a changes column only when some leaf ran in a worktree', async () => {
    const { renderSummary } = await import('../src/report/summary.js');
    const leaves = [leaf(1, { changes }), leaf(2, { changes: empty }), leaf(3)];
    const text = renderSummary({ title: 't', totals: totalsOf(leaves), durationMs: 1, leaves });
    expect(text).toContain('| flow | keys | status | duration | tokens | output | changes |');
    const rows = text.split('\n').filter((l) => l.startsWith('| flow_'));
    for (const row of rows) expect(row.slice(1, -1).split('|')).toHaveLength(7);
    expect(rows[0]).toMatch(/4 files \+11 −2<br>src\/a\.ts \+8 −1<br>.*<br>logo\.png binary<br>…and 1 more \|$/);
    expect(rows[1]).toMatch(/\| no changes \|$/);
    expect(rows[2]).toMatch(/\| {2}\|$/);
    expect(text).not.toMatch(/<img/);
    const without = renderSummary({ title: 't', totals: totalsOf([leaf(3)]), durationMs: 1, leaves: [leaf(3)] });
    expect(without).toContain('| flow | keys | status | duration | tokens | output |\n');
  });

  test('rows gathered as a run writes its results give the same summary as the leaves read afterwards, and stop at the limit', async () => {
    const { renderSummary, SummaryRows } = await import('../src/report/summary.js');
    const leaves = [leaf(1, { changes }), leaf(2, { changes: empty }), leaf(3)];
    const rows = new SummaryRows();
    for (const l of leaves) rows.add(l);
    const input = { title: 't', totals: totalsOf(leaves), durationMs: 1 };
    expect(renderSummary({ ...input, rows })).toBe(renderSummary({ ...input, leaves }));
    // a limit no row fits under: every leaf is counted as left out
    const small = new SummaryRows(401);
    for (const l of leaves) small.add(l);
    const text = small.render();
    expect(text.split('\n').filter((l) => l.startsWith('| flow_'))).toHaveLength(0);
    expect(text).toMatch(/_3 more results not shown/);
  });
});
