/**
 * What codex changed, brought home (issue 13): each leaf's entry, the summary and `report` carry the
 * diffstat of its last patch (13.6), and `orchestrator apply RUN_DIR` applies the patches of the
 * succeeded leaves to the checkout, skipping whole any that conflicts (13.4). The patches are made
 * by cmd steps in `--isolate worktree` worktrees (after an offline codex step, which gives each flow
 * and branch its worktree), so they are real git patches of a real repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, orchestrate, runCli, type Outcome } from './helpers/cli.js';
import { scratch, tree } from './helpers/project.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A committed repository holding config.json, the listed docs and `files`; generated/ ignored. */
export function repo(config: unknown, docs: Record<string, string>, files: Record<string, string> = {}): string {
  const dir = scratch({
    '.gitignore': 'generated/\n',
    'config.json': JSON.stringify(config),
    'docs.list': Object.keys(docs).join('\n') + '\n',
    ...docs,
    ...files,
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** Runs the config offline with --isolate worktree over docs.list. */
export async function isolated(dir: string, extra: string[] = []): Promise<Outcome> {
  return orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--isolate', 'worktree', ...extra]);
}

const CODEX = { type: 'codex', name: 'codex', prompt: 'Work on {{{DOC}}}' };

describe('what changed, at a glance', () => {
  test('results.json, result.json and report carry each leaf\'s diffstat; "no changes" when nothing changed', async () => {
    const config = [
      CODEX,
      {
        type: 'edit',
        cmd: 'case "$ORCHESTRATOR_FLOW_ID" in flow_0001) printf "one\\ntwo\\n" >> "notes a.md"; rm old.txt; printf "\\0\\1" > bin.dat;; flow_0002) printf "x\\n" > "new \\"q\\".md";; esac; echo ok',
      },
    ];
    const dir = repo(
      config,
      { 'docs/1.md': 'one', 'docs/2.md': 'two', 'docs/3.md': 'three' },
      { 'notes a.md': 'a\n', 'old.txt': 'x\ny\n' },
    );
    const run = await isolated(dir);
    expectExit(run, 0);
    const [first, second, third] = run.results.flows;
    expect(first.changes.patch).toBe('flow_0001/02_edit/changes.patch');
    expect(first.changes.files).toEqual([
      { path: 'bin.dat', status: 'added', binary: true, added: 0, removed: 0 },
      { path: 'notes a.md', status: 'modified', binary: false, added: 2, removed: 0 },
      { path: 'old.txt', status: 'deleted', binary: false, added: 0, removed: 2 },
    ]);
    expect([first.changes.added, first.changes.removed]).toEqual([2, 2]);
    expect(second.changes.files).toEqual([{ path: 'new "q".md', status: 'added', binary: false, added: 1, removed: 0 }]);
    expect(third.changes).toEqual({ patch: 'flow_0003/02_edit/changes.patch', files: [], added: 0, removed: 0 });
    expect(JSON.parse(readFileSync(join(run.runDir, 'flow_0001', 'result.json'), 'utf8')).changes).toEqual(first.changes);

    const report = await runCli(['report', join(dir, 'generated')], { cwd: dir });
    expectExit(report, 0);
    expect(report.stdout).toContain('| changes |');
    const row = (id: string): string => report.stdout.split('\n').find((l) => l.startsWith(`| ${id} |`))!;
    expect(row('flow_0001')).toMatch(/3 files \+2 −2<br>bin\.dat binary<br>notes a\.md \+2 −0<br>old\.txt \+0 −2 \|$/);
    expect(row('flow_0002')).toMatch(/1 file \+1 −0<br>new &quot;q&quot;\.md \+1 −0 \|$/);
    expect(row('flow_0003')).toMatch(/\| no changes \|$/);
  });

  test('without --isolate worktree nothing is known: changes is null and the summary has no changes column', async () => {
    const dir = repo([CODEX], { 'docs/1.md': 'one' });
    const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline']);
    expectExit(run, 0);
    expect(run.results.flows[0].changes).toBeNull();
    const report = await runCli(['report', join(dir, 'generated')], { cwd: dir });
    expect(report.stdout).not.toContain('changes');
    expect(tree(dir).some((p) => p.endsWith('changes.patch'))).toBe(false);
  });
});
