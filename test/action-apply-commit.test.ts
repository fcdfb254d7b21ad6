/**
 * The Action's `apply: commit` and `apply: branch` end to end (issue 25): the bundle runs the flows
 * in a real git workspace, commits each leaf (signed by github-actions[bot] when the runner has no
 * git identity) or puts it on a branch of its own, keeps its run tree out of git (info/exclude),
 * and writes the outputs `applied`, `conflicts`, `branches` and `pr-body` to GITHUB_OUTPUT.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runAction } from './helpers/action.js';
import { git, gitRepo } from './helpers/git.js';
import { closeAfterAll, scratch } from './helpers/project.js';
import { startArtifactService } from './helpers/artifact-service.js';

const CONFIG = {
  commit_message: 'docs: {{{DOC:path}}}\n\n{{{ORCHESTRATOR_SUMMARY}}}',
  steps: [
    { type: 'codex', name: 'codex', prompt: 'Work on {{{DOC}}}' },
    { type: 'edit', cmd: 'echo "$ORCHESTRATOR_FLOW_ID" > "$ORCHESTRATOR_FLOW_ID.txt"; echo "Added $ORCHESTRATOR_FLOW_ID.txt"' },
  ],
};

/** A workspace whose .gitignore does not name generated/: only info/exclude keeps the run tree out. */
function workspace(): string {
  return realpathSync(
    gitRepo({
      '.gitignore': 'node_modules/\n',
      'config.json': JSON.stringify(CONFIG),
      'docs.list': 'docs/1.md\ndocs/2.md\n',
      'docs/1.md': 'one\n',
      'docs/2.md': 'two\n',
    }),
  );
}

/** A runner with no git identity of its own: no global or system git config. */
function bareRunner(): { env: Record<string, string | undefined>; temp: string } {
  const home = scratch();
  const temp = join(scratch(), 'runner-temp');
  mkdirSync(temp);
  return {
    temp,
    env: {
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: undefined,
      GIT_AUTHOR_EMAIL: undefined,
      GIT_COMMITTER_NAME: undefined,
      GIT_COMMITTER_EMAIL: undefined,
      EMAIL: undefined,
      RUNNER_TEMP: temp,
    },
  };
}

const INPUTS = { config: 'config.json', keys: 'DOC:docs.list', offline: 'true', isolate: 'worktree', upload: 'false' };

test('apply: commit makes a commit per leaf on the checked-out branch, signed by github-actions[bot]; the tree is clean and the run tree kept out of git', async () => {
  const ws = workspace();
  const head = git(ws, 'rev-parse', 'HEAD').trim();
  const runner = bareRunner();
  const service = closeAfterAll(await startArtifactService());
  const result = await runAction(
    { ...INPUTS, apply: 'commit', upload: 'true' },
    { workspace: ws, env: { ...runner.env, ...service.env(), GITHUB_RUN_ID: '61' } },
  );
  expect(result.code).toBe(0);
  const commits = git(ws, 'log', '--format=%H', `${head}..HEAD`).split('\n').filter(Boolean).reverse();
  expect(commits).toHaveLength(2);
  expect(git(ws, 'log', '-1', '--format=%an <%ae>%n%B', commits[0]!)).toBe(
    'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\ndocs: docs/1.md\n\nAdded flow_0001.txt\n\nOrchestrator-Run: run_gh61/flow_0001\n\n',
  );
  expect(git(ws, 'show', '--name-only', '--format=', commits[1]!).trim()).toBe('flow_0002.txt');
  expect(git(ws, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
  // nothing of ours is left to commit: generated/ is excluded by info/exclude
  expect(existsSync(join(ws, 'generated'))).toBe(true);
  expect(git(ws, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  expect(readFileSync(join(ws, '.git', 'info', 'exclude'), 'utf8')).toContain('/generated/\n');

  const applied = JSON.parse(result.outputs.applied!);
  expect(applied).toEqual([
    expect.objectContaining({
      leaf: 'flow_0001',
      outcome: 'applied',
      keys: { DOC: 'docs/1.md' },
      files: [{ path: 'flow_0001.txt', status: 'added', added: 1, removed: 0 }],
      commit: commits[0],
    }),
    expect.objectContaining({ leaf: 'flow_0002', commit: commits[1] }),
  ]);
  expect(JSON.parse(result.outputs.conflicts!)).toEqual([]);
  expect(JSON.parse(result.outputs.branches!)).toEqual([]);
  expect(result.outputs['pr-body']).toBe(join(runner.temp, 'orchestrator-pr-body-run_gh61.md'));
  const body = readFileSync(result.outputs['pr-body']!, 'utf8');
  expect(body).toContain('2 leaves applied, 0 skipped.');
  expect(body).toContain('Keys: `DOC`: docs/1.md');
  expect(body).toContain('| flow&#95;0001.txt | +1 −0 |');

  // a re-run of the job on a fresh runner: it resumes from its own artifact (every flow succeeded,
  // none runs again) and finds each leaf's commit in HEAD: already applied, nothing added
  rmSync(join(ws, 'generated'), { recursive: true, force: true });
  const again = await runAction(
    { ...INPUTS, apply: 'commit', upload: 'true' },
    { workspace: ws, env: { ...runner.env, ...service.env(), GITHUB_RUN_ID: '61', GITHUB_RUN_ATTEMPT: '2' } },
  );
  expect(again.stdout).not.toContain('::error');
  expect(again.stdout).toContain('Resuming');
  expect(again.code).toBe(0);
  expect(JSON.parse(again.outputs.applied!).map((r: { outcome: string }) => r.outcome)).toEqual(['already applied', 'already applied']);
  expect(git(ws, 'rev-parse', 'HEAD').trim()).toBe(commits[1]);
});

test('apply: branch puts each leaf on branch-prefix + leaf, one commit on HEAD; the checkout is untouched; outputs list the branches for a matrix', async () => {
  const ws = workspace();
  const head = git(ws, 'rev-parse', 'HEAD').trim();
  const runner = bareRunner();
  const result = await runAction(
    { ...INPUTS, apply: 'branch', 'branch-prefix': 'codex/' },
    { workspace: ws, env: { ...runner.env, GITHUB_RUN_ID: '62' } },
  );
  expect(result.code).toBe(0);
  expect(JSON.parse(result.outputs.branches!)).toEqual(['codex/flow_0001', 'codex/flow_0002']);
  for (const id of ['flow_0001', 'flow_0002']) {
    expect(git(ws, 'rev-parse', `codex/${id}^`).trim()).toBe(head);
    expect(git(ws, 'show', '--name-only', '--format=', `codex/${id}`).trim()).toBe(`${id}.txt`);
    expect(git(ws, 'show', `codex/${id}:${id}.txt`)).toBe(`${id}\n`);
  }
  expect(git(ws, 'rev-parse', 'HEAD').trim()).toBe(head);
  expect(git(ws, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
  expect(git(ws, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  expect(existsSync(join(ws, 'flow_0001.txt'))).toBe(false);
  expect(JSON.parse(result.outputs.applied!).map((r: { branch: string }) => r.branch)).toEqual(['codex/flow_0001', 'codex/flow_0002']);
  expect(result.outputFile).toMatch(/^branches<<(.+)\n\["codex\/flow_0001","codex\/flow_0002"\]\n\1$/m);
});
