/**
 * From patches to pull requests (issue 25): `apply --commit` (a commit per leaf on HEAD, the
 * config's commit_message, a trailer naming the run and leaf), `apply --branch PREFIX` (a branch
 * per leaf, the checkout untouched), `--pr-body FILE`, applying twice ("already applied") and
 * `--redo DIR` (the conflicting leaves as key lists for a new run). Real git repositories; the
 * patches come from cmd steps in `--isolate worktree` worktrees.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit, type CliResult } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import { git, GIT_ENV, repo } from './helpers/git.js';
import { scratch } from './helpers/project.js';

const IDENTITY = {
  GIT_AUTHOR_NAME: GIT_ENV.GIT_AUTHOR_NAME,
  GIT_AUTHOR_EMAIL: GIT_ENV.GIT_AUTHOR_EMAIL,
  GIT_COMMITTER_NAME: GIT_ENV.GIT_COMMITTER_NAME,
  GIT_COMMITTER_EMAIL: GIT_ENV.GIT_COMMITTER_EMAIL,
  GIT_CONFIG_NOSYSTEM: '1',
};
const apply = (dir: string, args: string[]): Promise<CliResult> =>
  runCliInProcess(['apply', ...args], { cwd: dir, env: baseEnv(IDENTITY) });

const SHARED = Array.from({ length: 12 }, (_, i) => `line ${i + 1}\n`).join('');
const CODEX = { type: 'codex', name: 'codex', prompt: 'Work on {{{DOC}}}' };
/**
 * Each flow edits the line of shared.txt its doc names (1 or 9: far apart) and adds a file of its
 * own (file1.txt, file9.txt); its output names what it did.
 */
const EDIT = {
  type: 'edit',
  cmd:
    'case {{{DOC}}} in one*) n=1;; *) n=9;; esac; sed -i "s|^line $n\\$|line $n edited for {{{DOC:path}}}|" shared.txt; ' +
    'echo "$n" > "file$n.txt"; printf "Fixed <b>line %s</b> @octocat\\n\\nmore\\n" "$n"',
};
const EDITED = SHARED.replace('line 1\n', 'line 1 edited for docs/1.md\n').replace('line 9\n', 'line 9 edited for docs/2.md\n');
const DOCS = { 'docs/1.md': 'one\n', 'docs/2.md': 'two\n' };

/** The checkout and its run of each config, made once in this file: twoFlows gives each test a copy. */
const made = new Map<string, Promise<string>>();

async function madeOnce(config: unknown): Promise<string> {
  const key = JSON.stringify(config);
  let dir = made.get(key);
  if (dir === undefined) {
    dir = (async () => {
      const checkout = repo(config, DOCS, { 'shared.txt': SHARED });
      const run = await orchestrateInProcess(checkout, ['--key', 'DOC:docs.list', '--offline', '--isolate', 'worktree']);
      expectExit(run, 0);
      return checkout;
    })();
    made.set(key, dir);
  }
  return dir;
}

/**
 * A committed checkout whose run (generated/run_t) made two flows' patches, each flow editing its line
 * of shared.txt and adding a file: a copy of the one made for `config`, its git repository and run
 * directory with it, so that each test applies to a checkout of its own.
 */
async function twoFlows(config: unknown = { commit_message: '{{{ORCHESTRATOR_LEAF}}} {{{DOC:path}}}: {{{DOC}}}', steps: [CODEX, EDIT] }) {
  const dir = scratch();
  cpSync(await madeOnce(config), dir, { recursive: true });
  return { dir, runDir: join(dir, 'generated', 'run_t') };
}

const log = (dir: string, range: string): string[] => git(dir, 'log', '--format=%H', range).split('\n').filter(Boolean);
const filesOf = (dir: string, commit: string): string[] =>
  git(dir, 'show', '--name-only', '--format=', commit).split('\n').filter(Boolean).sort();

describe('apply --commit', () => {
  test('one commit per leaf on HEAD, in leaf order, touching its files only, with the template and the trailer; the tree is clean; a second apply adds nothing', async () => {
    const { dir, runDir } = await twoFlows();
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    // the user's unrelated change stays as it was
    writeFileSync(join(dir, 'unrelated.txt'), 'mine\n');

    const first = await apply(dir, [runDir, '--commit']);
    expectExit(first, 0);
    expect(first.stdout).toMatch(/flow_0001\s+2\s+\+2 −1\s+applied: commit [0-9a-f]{12}/);
    const commits = log(dir, `${head}..HEAD`).reverse();
    expect(commits).toHaveLength(2);
    expect(filesOf(dir, commits[0]!)).toEqual(['file1.txt', 'shared.txt']);
    expect(filesOf(dir, commits[1]!)).toEqual(['file9.txt', 'shared.txt']);
    expect(git(dir, 'log', '-1', '--format=%B', commits[0]!)).toBe('flow_0001 docs/1.md: one\n\nOrchestrator-Run: run_t/flow_0001\n\n');
    expect(git(dir, 'log', '-1', '--format=%s', commits[1]!).trim()).toBe('flow_0002 docs/2.md: two');
    expect(git(dir, 'rev-parse', `${commits[0]!}^`).trim()).toBe(head);
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(EDITED);
    // clean, but for the user's own file; still on main
    expect(git(dir, 'status', '--porcelain')).toBe('?? unrelated.txt\n');
    expect(git(dir, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');

    const again = await apply(dir, [runDir, '--commit']);
    expectExit(again, 0);
    expect(again.stdout).toMatch(/flow_0001\s.*already applied \(a commit of HEAD names it\)/);
    expect(again.stdout).toMatch(/flow_0002\s.*already applied/);
    expect(again.stderr).toContain('0 applied, 2 already applied, 0 conflicting');
    expect(log(dir, `${head}..HEAD`)).toHaveLength(2);
    // the working-tree form knows too: its changes are there
    const plain = await apply(dir, [runDir]);
    expectExit(plain, 0);
    expect(plain.stdout).toMatch(/flow_0001\s.*already applied/);
    expect(git(dir, 'status', '--porcelain')).toBe('?? unrelated.txt\n');
  });

  test('the default message is the leaf and the first line of its output; refused (exit 2, nothing committed) when a file a leaf changes has uncommitted changes', async () => {
    const { dir, runDir } = await twoFlows([CODEX, EDIT]);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, 'shared.txt'), SHARED + 'my own line\n');
    const refused = await apply(dir, [runDir, '--commit']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /uncommitted changes in shared\.txt, which the patches of flow_0001, flow_0002 change.*Commit or stash them/,
    );
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(SHARED + 'my own line\n');

    git(dir, 'checkout', '--', 'shared.txt');
    expectExit(await apply(dir, [runDir, '--commit']), 0);
    expect(git(dir, 'log', '-1', '--format=%B', 'HEAD~1')).toBe(
      'flow_0001: Fixed <b>line 1</b> @octocat\n\nOrchestrator-Run: run_t/flow_0001\n\n',
    );
  });

  test('a conflicting leaf is skipped (exit 1), the others committed; --redo writes its key list, and a new run of it applies on the new HEAD', async () => {
    const { dir, runDir } = await twoFlows();
    writeFileSync(join(dir, 'shared.txt'), SHARED.replace('line 9\n', 'line 9 changed upstream\n'));
    git(dir, 'commit', '-qam', 'upstream');
    const redo = join(scratch(), 'redo');
    const applied = await apply(dir, [runDir, '--commit', '--redo', redo]);
    expectExit(applied, 1);
    expect(applied.stdout).toMatch(/flow_0002\s.*conflict, skipped: file9\.txt, shared\.txt \(merge conflict in shared\.txt\)/);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('flow_0001 docs/1.md: one');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(redo, 'DOC.txt'), 'utf8')).toBe('docs/2.md\n');
    expect(applied.stderr).toContain(`--key "DOC:${join(redo, 'DOC.txt')}"`);

    // the conflict is a step: run the listed leaf again, on the new HEAD, and apply it
    const out = scratch();
    const rerun = await runCliInProcess(
      ['config.json', '--key', `DOC:${join(redo, 'DOC.txt')}`, '--offline', '--isolate', 'worktree', '--run-id', 'redo', '--output', out],
      { cwd: dir, env: baseEnv() },
    );
    expectExit(rerun, 0);
    const results = JSON.parse(readFileSync(join(out, 'run_redo', 'results.json'), 'utf8'));
    expect(results.flows.map((f: any) => f.keys.DOC)).toEqual(['docs/2.md']);
    const second = await apply(dir, [join(out, 'run_redo'), '--commit']);
    expectExit(second, 0);
    expect(git(dir, 'log', '-1', '--format=%B')).toContain('Orchestrator-Run: run_redo/flow_0001');
    expect(readFileSync(join(dir, 'file9.txt'), 'utf8')).toBe('9\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});

describe('apply --branch', () => {
  test('a branch per leaf, one commit on HEAD each; HEAD, its branch, the index and the working tree stay exactly as they were; a second apply says already applied', async () => {
    const { dir, runDir } = await twoFlows();
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    // the user's work in progress: a staged file and an edit
    writeFileSync(join(dir, 'staged.txt'), 'staged\n');
    git(dir, 'add', 'staged.txt');
    writeFileSync(join(dir, 'shared.txt'), SHARED + 'mine\n');
    const status = git(dir, 'status', '--porcelain');
    const index = readFileSync(join(dir, '.git', 'index'));
    const body = join(scratch(), 'body.md');

    const made = await apply(dir, [runDir, '--branch', 'codex/', '--pr-body', body]);
    expectExit(made, 0);
    expect(made.stdout).toMatch(/flow_0001\s.*applied: branch codex\/flow_0001/);
    expect(git(dir, 'branch', '--list', 'codex/*', '--format=%(refname:short)').split('\n').filter(Boolean)).toEqual([
      'codex/flow_0001',
      'codex/flow_0002',
    ]);
    for (const id of ['flow_0001', 'flow_0002']) {
      expect(git(dir, 'rev-parse', `codex/${id}^`).trim()).toBe(head);
      expect(filesOf(dir, `codex/${id}`)).toEqual([id === 'flow_0001' ? 'file1.txt' : 'file9.txt', 'shared.txt']);
      expect(git(dir, 'log', '-1', '--format=%B', `codex/${id}`)).toContain(`Orchestrator-Run: run_t/${id}`);
    }
    expect(git(dir, 'show', 'codex/flow_0002:shared.txt')).toBe(SHARED.replace('line 9\n', 'line 9 edited for docs/2.md\n'));
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(dir, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(git(dir, 'status', '--porcelain')).toBe(status);
    expect(readFileSync(join(dir, '.git', 'index')).equals(index)).toBe(true);
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(SHARED + 'mine\n');
    expect(existsSync(join(dir, 'file1.txt'))).toBe(false);

    const text = readFileSync(body, 'utf8');
    expect(text).toContain('2 leaves applied, 0 skipped.');
    expect(text).toContain('#### flow_0001: applied on branch `codex/flow_0001`');
    expect(text).toContain('Keys: `DOC`: docs/1.md');
    expect(text).toMatch(/\| shared\.txt \| \+1 −1 \|/);
    expect(text).toContain('Fixed &lt;b&gt;line 1&lt;/b&gt; &#64;&#8203;octocat');
    expect(text).not.toContain('<b>');

    const again = await apply(dir, [runDir, '--branch', 'codex/']);
    expectExit(again, 0);
    expect(again.stdout).toMatch(/flow_0001\s.*already applied \(on branch codex\/flow_0001\)/);
    expect(git(dir, 'rev-parse', 'codex/flow_0001^').trim()).toBe(head);

    // a branch of that name that is not the leaf's is not moved
    git(dir, 'branch', '-f', 'other/flow_0001', head);
    const clash = await apply(dir, [runDir, '--branch', 'other/']);
    expectExit(clash, 1);
    expect(clash.stdout).toMatch(/flow_0001\s.*the branch other\/flow_0001 exists and its last commit is not this leaf's/);
    expect(git(dir, 'rev-parse', 'other/flow_0001').trim()).toBe(head);
    const bad = await apply(dir, [runDir, '--branch', 'a b/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--branch.*branch name prefix/);
    expect((await apply(dir, [runDir, '--branch', 'x/', '--commit'])).code).toBe(2);
  });
});

describe('apply (to the working tree)', () => {
  test('run twice: the second says already applied, changes nothing and exits 0 (issue 24.5)', async () => {
    const { dir, runDir } = await twoFlows([CODEX, EDIT]);
    const first = await apply(dir, [runDir]);
    expectExit(first, 0);
    expect(first.stderr).toContain('2 applied');
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(EDITED);
    const status = git(dir, 'status', '--porcelain');

    const again = await apply(dir, [runDir]);
    expectExit(again, 0);
    expect(again.stdout).toMatch(/flow_0001\s.*already applied/);
    expect(again.stdout).toMatch(/flow_0002\s.*already applied/);
    expect(again.stderr).toContain('0 applied, 2 already applied, 0 conflicting');
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(EDITED);
    expect(git(dir, 'status', '--porcelain')).toBe(status);
  });
});
