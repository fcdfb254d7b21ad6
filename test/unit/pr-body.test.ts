/** The pull-request body of `apply --pr-body` and the commit message of `apply --commit`: pure renderers. */
import type { ApplyRow } from '../../src/apply/apply.js';
import { commitMessage } from '../../src/apply/message.js';
import { prBody, PR_BODY_LIMIT } from '../../src/apply/pr-body.js';

const row = (i: number, extra: Partial<ApplyRow> = {}): ApplyRow => ({
  leaf: `flow_${String(i).padStart(4, '0')}`,
  status: 'succeeded',
  keys: { doc: `docs/${i}.md` },
  output: `Fixed <script>alert(1)</script> @octocat in #${i}\n\n${'details '.repeat(400)}`,
  patch: `flow_${i}/02_edit/changes.patch`,
  files: Array.from({ length: 30 }, (_, f) => ({
    path: `src/dir ${f}/file|${f}.ts`,
    status: 'modified' as const,
    binary: false,
    added: f,
    removed: 1,
  })),
  added: 435,
  removed: 30,
  outcome: 'applied',
  ...extra,
});

describe('prBody', () => {
  test('names applied and skipped leaves, keys, files with counts and the start of the final message, escaped', () => {
    const body = prBody([row(1, { branch: 'codex/flow_0001' }), row(2, { outcome: 'conflict', detail: 'merge conflict in a|b' })], {
      runId: 'run_x',
    });
    expect(body).toContain('1 leaf applied, 1 skipped.');
    expect(body).toContain('#### flow_0001: applied on branch `codex/flow_0001`');
    expect(body).toContain('#### flow_0002: conflict');
    expect(body).toContain('Skipped: merge conflict in a&#124;b');
    expect(body).toContain('Keys: `doc`: docs/1.md');
    expect(body).toContain('| src/dir 3/file&#124;3.ts | +3 −1 |');
    expect(body).toContain('Fixed &lt;script&gt;');
    expect(body).not.toMatch(/<script>|@octocat/);
  });

  test("stays under GitHub's limit: the final messages go first, then the file lists, then leaves past the limit, counted", () => {
    const rows = Array.from({ length: 400 }, (_, i) => row(i + 1));
    const body = prBody(rows, { runId: 'run_x' });
    expect(body.length).toBeLessThanOrEqual(PR_BODY_LIMIT);
    expect(body).not.toContain('<details>');
    expect(body).toContain('400 leaves applied');
    const small = prBody(rows.slice(0, 10), { runId: 'run_x', limit: 20_000 });
    expect(small.length).toBeLessThanOrEqual(20_000);
    expect(small).not.toContain('<details>');
    expect(small).toContain('| file | +/− |');
    const tiny = prBody(rows, { runId: 'run_x', limit: 5_000 });
    expect(tiny.length).toBeLessThanOrEqual(5_000);
    expect(tiny).toMatch(/…and \d+ more leaves, left out/);
    expect(tiny).not.toContain('| file |');
  });
});

describe('commitMessage', () => {
  const leaf = { label: 'flow_0003 [2.1]', runId: 'run_x', keys: { doc: 'docs/a.md' }, output: '\n  Fixed the typo\nmore' };
  test('the template filled once (inserted text is not scanned again), then the trailer', () => {
    const message = commitMessage(
      'docs: {{{doc:path}}} ({{{ORCHESTRATOR_LEAF}}})\n\n{{{doc}}}\n{{{ORCHESTRATOR_SUMMARY}}}',
      leaf,
      () => 'has {{{doc:path}}}',
    );
    expect(message).toBe(
      'docs: docs/a.md (flow_0003 [2.1])\n\nhas {{{doc:path}}}\nFixed the typo\n\nOrchestrator-Run: run_x/flow_0003 [2.1]\n',
    );
  });
  test('the default is the leaf and the first line of its final message; a trailer of ours in the contents is dropped', () => {
    expect(commitMessage(undefined, leaf, () => '')).toBe('flow_0003 [2.1]: Fixed the typo\n\nOrchestrator-Run: run_x/flow_0003 [2.1]\n');
    expect(commitMessage('{{{doc}}}', leaf, () => 'x\nOrchestrator-Run: run_x/flow_0009\n')).toBe(
      'x\n\nOrchestrator-Run: run_x/flow_0003 [2.1]\n',
    );
    expect(commitMessage(undefined, { ...leaf, output: null }, () => '')).toMatch(/^flow_0003 \[2\.1\]: changes for docs\/a\.md\n/);
  });
});
