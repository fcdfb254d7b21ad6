/**
 * What codex changed, brought home (issue 13): each leaf's entry, the summary and `report` carry the
 * diffstat of its last patch (13.6), and `orchestrator apply RUN_DIR` applies the patches of the
 * succeeded leaves to the checkout, skipping whole any that conflicts (13.4). The patches are made
 * by cmd steps in `--isolate worktree` worktrees (after an offline codex step, which gives each flow
 * and branch its worktree), so they are real git patches of a real repository.
 */
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { annotations, runAction, summaryRows } from './helpers/action.js';
import { basename, dirname, join, relative } from 'node:path';
import { recordFiles } from '../src/action/records.js';
import { expectExit, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess as orchestrate, runCliInProcess as runCli } from './helpers/cli-inprocess.js';
import { startArtifactService } from './helpers/artifact-service.js';
import { git, repo } from './helpers/git.js';
import { closeAfterAll, scratch, tree } from './helpers/project.js';

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

/** Every file of the checkout (generated/ and .git aside) with its contents. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of tree(dir))
    if (!path.startsWith('generated/') && !path.startsWith('.git/')) out[path] = readFileSync(join(dir, path), 'latin1');
  return out;
}

describe('orchestrator apply', () => {
  /**
   * Two flows; step 2 (an array step, in the flow's worktree) edits shared.txt and lists 2
   * elements; step 3 runs per branch and writes a file of its own: every branch's patch holds the
   * flow's edit too, so applying one branch after another needs the 3-way merge.
   */
  const BRANCHES = [
    CODEX,
    {
      type: 'split',
      array: true,
      cmd: 'n=$(( ${ORCHESTRATOR_FLOW_ID#flow_000} * 8 - 7 )); sed -i "s/^line $n\\$/line $n edited by $ORCHESTRATOR_FLOW_ID/" shared.txt; echo \'["a","b"]\'',
    },
    {
      type: 'branch',
      cmd: 'e=$(cat); mkdir -p "out dir"; printf "%s\\n" "$ORCHESTRATOR_FLOW_ID $e" > "out dir/$ORCHESTRATOR_FLOW_ID-$e.txt"; echo done',
    },
  ];
  /** Lines far apart, so the two flows' edits merge without touching each other's context. */
  const SHARED = Array.from({ length: 12 }, (_, i) => `line ${i + 1}\n`).join('');
  const edited = (text: string): string =>
    text.replace('line 1\n', 'line 1 edited by flow_0001\n').replace('line 9\n', 'line 9 edited by flow_0002\n');

  test('applies every branch of every flow, in leaf order, once; the tree then holds all their changes', async () => {
    const dir = repo(BRANCHES, { 'docs/1.md': 'one', 'docs/2.md': 'two' }, { 'shared.txt': SHARED });
    const run = await isolated(dir);
    expectExit(run, 0);
    expect(run.results.flows.map((f: any) => `${f.id}.${f.branch.join('.')}`)).toEqual([
      'flow_0001.1',
      'flow_0001.2',
      'flow_0002.1',
      'flow_0002.2',
    ]);

    const applied = await runCli(['apply', run.runDir], { cwd: dir });
    expectExit(applied, 0);
    const lines = applied.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^leaf\s+files\s+\+\/−\s+result$/);
    expect(lines.slice(1).map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'flow_0001 [1] 2 +2 −1 applied',
      'flow_0001 [2] 2 +2 −1 applied',
      'flow_0002 [1] 2 +2 −1 applied',
      'flow_0002 [2] 2 +2 −1 applied',
    ]);
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(edited(SHARED));
    for (const leaf of ['flow_0001-a', 'flow_0001-b', 'flow_0002-a', 'flow_0002-b'])
      expect(readFileSync(join(dir, 'out dir', `${leaf}.txt`), 'utf8')).toBe(`${leaf.replace('-', ' ')}\n`);
    // the repository's own index is untouched: the changes are in the working tree only
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe('');
    expect(git(dir, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M shared.txt', '?? "out dir/"']);
  });

  test('a real conflict: that leaf is skipped whole (no markers, no half-applied file) and listed; the others apply; exit 1. --check touches nothing', async () => {
    const dir = repo(BRANCHES, { 'docs/1.md': 'one', 'docs/2.md': 'two' }, { 'shared.txt': SHARED });
    const run = await isolated(dir);
    expectExit(run, 0);
    // the checkout moves on under flow_0002's patch: its line 2 is changed differently
    writeFileSync(join(dir, 'shared.txt'), SHARED.replace('line 9\n', 'line 9 changed upstream\n'));
    git(dir, 'commit', '-qam', 'upstream');

    const before = snapshot(dir);
    const status = git(dir, 'status', '--porcelain');
    const check = await runCli(['apply', run.runDir, '--check'], { cwd: dir });
    expectExit(check, 1);
    expect(snapshot(dir)).toEqual(before);
    expect(git(dir, 'status', '--porcelain')).toBe(status);
    expect(check.stdout).toMatch(/flow_0001 \[1\]\s+2\s+\+2 −1\s+applies/);
    expect(check.stdout).toMatch(
      /flow_0002 \[1\]\s+2\s+\+2 −1\s+conflict, skipped: out dir\/flow_0002-a\.txt, shared\.txt \(merge conflict in shared\.txt\)/,
    );

    const applied = await runCli(['apply', run.runDir], { cwd: dir });
    expectExit(applied, 1);
    expect(applied.stderr).toContain('conflict: flow_0002 [1] was not applied (out dir/flow_0002-a.txt, shared.txt)');
    expect(applied.stderr).toContain('conflict: flow_0002 [2] was not applied');
    expect(readFileSync(join(dir, 'shared.txt'), 'utf8')).toBe(
      edited(SHARED).replace('line 9 edited by flow_0002', 'line 9 changed upstream'),
    );
    const after = snapshot(dir);
    expect(
      Object.keys(after)
        .filter((p) => p.startsWith('out dir/'))
        .sort(),
    ).toEqual(['out dir/flow_0001-a.txt', 'out dir/flow_0001-b.txt']);
    for (const text of Object.values(after)) expect(text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(git(dir, 'ls-files', '--unmerged')).toBe('');
  });

  test('a patch that turns a directory into a file, and a changes.patch that is no patch: each leaf is skipped and named with why; the others (a file turned into a directory too) apply; exit 1', async () => {
    // flow_0002 replaces the directory d (d/f committed, d/notes.txt only in the checkout) with a
    // file; flow_0003's changes.patch is overwritten with text that is no patch
    const dir = repo(UNAPPLIABLE, DOCS5, { 'd/f': 'tracked\n', e: 'a file\n' });
    const run = await isolated(dir);
    expectExit(run, 0);
    const third = run.results.flows.find((f: any) => f.id === 'flow_0003');
    writeFileSync(join(run.runDir, third.changes.patch), 'this is not a patch\n');
    writeFileSync(join(dir, 'd', 'notes.txt'), 'not committed\n');

    const check = await runCli(['apply', run.runDir, '--check'], { cwd: dir });
    expectExit(check, 1);
    expect(check.stdout).toMatch(/flow_0002\s+2\s+\+1 −1\s+conflict, skipped: d, d\/f \(it turns the directory d into a file/);

    const applied = await runCli(['apply', run.runDir], { cwd: dir });
    expectExit(applied, 1);
    expect(applied.stderr).not.toContain('internal error');
    expect(applied.stdout).toMatch(/flow_0001\s.*\sapplied$/m);
    expect(applied.stdout).toMatch(/flow_0004\s.*\sapplied$/m);
    expect(applied.stdout).toMatch(/flow_0005\s.*\sapplied$/m);
    expect(applied.stdout).toMatch(
      /flow_0002\s.*conflict, skipped: d, d\/f \(it turns the directory d into a file, which would delete everything in it: apply it by hand\)/,
    );
    expect(applied.stdout).toMatch(
      /flow_0003\s.*conflict, skipped \(flow_0003\/.*changes\.patch is not a patch git can read \(git apply: .*No valid patches/,
    );
    expect(applied.stderr).toContain('conflict: flow_0002 was not applied (d, d/f)');
    expect(applied.stderr).toMatch(/conflict: flow_0003 was not applied \(flow_0003\/.*changes\.patch is not a patch git can read/);
    expect(applied.stderr).toContain('3 applied, 2 conflicting');
    for (const id of ['flow_0001', 'flow_0004']) expect(readFileSync(join(dir, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
    expect(existsSync(join(dir, 'flow_0003.txt'))).toBe(false);
    expect(readFileSync(join(dir, 'e', 'g'), 'utf8')).toBe('in\n');
    // the directory and everything in it, committed or not, is as it was
    expect(readFileSync(join(dir, 'd', 'f'), 'utf8')).toBe('tracked\n');
    expect(readFileSync(join(dir, 'd', 'notes.txt'), 'utf8')).toBe('not committed\n');
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe('');
  });

  test('--status widens the leaves applied; a bad --status or a --workdir that is no git checkout is bad usage (exit 2)', async () => {
    const config = [
      CODEX,
      { type: 'edit', cmd: 'echo "$ORCHESTRATOR_FLOW_ID" > "$ORCHESTRATOR_FLOW_ID.txt"; [ "$ORCHESTRATOR_FLOW_ID" != flow_0002 ]' },
    ];
    const dir = repo(config, { 'docs/1.md': 'one', 'docs/2.md': 'two' });
    const run = await isolated(dir);
    expectExit(run, 1);
    const only = await runCli(['apply', run.runDir, '--check'], { cwd: dir });
    expectExit(only, 0);
    expect(only.stdout).not.toContain('flow_0002');
    const both = await runCli(['apply', run.runDir, '--status', 'succeeded,failed'], { cwd: dir });
    expectExit(both, 0);
    expect(readFileSync(join(dir, 'flow_0002.txt'), 'utf8')).toBe('flow_0002\n');
    const bad = await runCli(['apply', run.runDir, '--status', 'done'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/succeeded, failed, cancelled/);
    const outside = await runCli(['apply', run.runDir, '--workdir', scratch()], { cwd: dir });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/not a git checkout/);
  });
});

describe('the Action: apply: true', () => {
  test("run mode applies every leaf's patch to the workspace and lists them; a conflicting leaf is skipped whole, listed, and fails the step", async () => {
    // flow_0002's branches also change the shared checkout itself (through ORCHESTRATOR_RUN_DIR),
    // under their own patches: those conflict
    const config = [
      CODEX,
      {
        type: 'split',
        array: true,
        cmd:
          'n=$(( ${ORCHESTRATOR_FLOW_ID#flow_000} * 8 - 7 )); sed -i "s/^line $n\\$/line $n edited by $ORCHESTRATOR_FLOW_ID/" shared.txt; ' +
          'if [ "$ORCHESTRATOR_FLOW_ID" = flow_0002 ]; then sed -i "s/^line 9\\$/line 9 changed under the run/" "$ORCHESTRATOR_RUN_DIR/../../shared.txt"; fi; echo \'["a","b"]\'',
      },
      { type: 'branch', cmd: 'e=$(cat); printf "%s\\n" "$e" > "$ORCHESTRATOR_FLOW_ID-$e.txt"; echo done' },
    ];
    const SHARED = Array.from({ length: 12 }, (_, i) => `line ${i + 1}\n`).join('');
    const ws = realpathSync(repo(config, { 'docs/1.md': 'one', 'docs/2.md': 'two' }, { 'shared.txt': SHARED }));
    const result = await runAction(
      { config: 'config.json', keys: 'DOC:docs.list', offline: 'true', isolate: 'worktree', apply: 'true', upload: 'false' },
      { workspace: ws, env: { GITHUB_RUN_ID: '55' } },
    );
    expect(result.code).toBe(1);
    expect(result.outputs.succeeded).toBe('4');
    expect(leavesOf(result.outputs.applied)).toEqual(['flow_0001 [1]', 'flow_0001 [2]']);
    expect(leavesOf(result.outputs.conflicts)).toEqual(['flow_0002 [1]', 'flow_0002 [2]']);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/2 leaves' patches conflicted .*flow_0002 \[1\], flow_0002 \[2\]/),
    ]);
    expect(annotations(result, 'warning').filter((w) => /flow_0002 \[1\].*conflicts.*shared\.txt/.test(w))).toHaveLength(1);
    expect(readFileSync(join(ws, 'shared.txt'), 'utf8')).toBe(
      SHARED.replace('line 1\n', 'line 1 edited by flow_0001\n').replace('line 9\n', 'line 9 changed under the run\n'),
    );
    expect(existsSync(join(ws, 'flow_0001-a.txt')) && existsSync(join(ws, 'flow_0001-b.txt'))).toBe(true);
    expect(existsSync(join(ws, 'flow_0002-a.txt')) || existsSync(join(ws, 'flow_0002-b.txt'))).toBe(false);

    // without apply, the workspace is left alone and the outputs are empty
    const plain = realpathSync(repo(CONFIG_ONE, { 'docs/1.md': 'one' }));
    const quiet = await runAction(
      { config: 'config.json', keys: 'DOC:docs.list', offline: 'true', isolate: 'worktree', upload: 'false' },
      { workspace: plain, env: { GITHUB_RUN_ID: '56' } },
    );
    expect(quiet.code).toBe(0);
    expect([quiet.outputs.applied, quiet.outputs.conflicts]).toEqual(['', '']);
    expect(git(plain, 'status', '--porcelain')).toBe('');
  });
});

/** The leaves of the output `applied` or `conflicts` (a JSON list of objects naming each leaf, its keys and files). */
const leavesOf = (output: string | undefined): string[] => (JSON.parse(output!) as { leaf: string }[]).map((row) => row.leaf);

const DOCS5 = { 'docs/1.md': 'one', 'docs/2.md': 'two', 'docs/3.md': 'three', 'docs/4.md': 'four', 'docs/5.md': 'five' };
/**
 * flow_0002 turns the committed directory d into a file, flow_0005 the committed file e into a
 * directory (git can apply that); the others each add a file of their own.
 */
const UNAPPLIABLE = [
  CODEX,
  {
    type: 'edit',
    cmd:
      'case $ORCHESTRATOR_FLOW_ID in flow_0002) rm -rf d; echo file > d;; flow_0005) rm e; mkdir e; echo in > e/g;; ' +
      '*) echo "$ORCHESTRATOR_FLOW_ID" > "$ORCHESTRATOR_FLOW_ID.txt";; esac; echo ok',
  },
];

const CONFIG_ONE = [CODEX, { type: 'edit', cmd: 'echo new > new.txt; echo ok' }];

test('the Action: report mode with apply: true applies the merged run of the shards to a fresh checkout, from the records artifacts', async () => {
  const config = [CODEX, { type: 'edit', cmd: 'echo "$ORCHESTRATOR_FLOW_ID" > "$ORCHESTRATOR_FLOW_ID.txt"; echo ok' }];
  const dir = repo(config, { 'docs/1.md': 'one', 'docs/2.md': 'two', 'docs/3.md': 'three' });
  // two shards of run_gh91, as two matrix legs would upload them
  const service = closeAfterAll(await startArtifactService());
  for (const shard of ['1/2', '2/2']) {
    const leg = await orchestrate(dir, [
      '--key',
      'DOC:docs.list',
      '--offline',
      '--isolate',
      'worktree',
      '--shard',
      shard,
      '--run-id',
      'gh91',
    ]);
    expectExit(leg, 0);
    const runDir = join(dir, 'generated', 'run_gh91');
    const files: Record<string, Buffer> = {};
    for (const path of tree(runDir)) files[`run_gh91/${path}`] = readFileSync(join(runDir, path));
    const name = `orchestrator-run_gh91-shard-${shard.replace('/', '-of-')}`;
    service.seed(name, files);
    // shard 1 also left its records (as the Action uploads them); shard 2 only its tree, as an older orchestrator did
    if (shard === '1/2') {
      const records = recordFiles(
        runDir,
        tree(runDir).map((path) => join(runDir, path)),
      );
      expect(records.some((path) => path.endsWith('changes.patch'))).toBe(true);
      service.seed(
        `${name}-records`,
        Object.fromEntries(records.map((path) => [`run_gh91/${relative(runDir, path)}`, readFileSync(path)])),
      );
    }
    rmSync(join(dir, 'generated'), { recursive: true, force: true });
  }
  const ws = join(realpathSync(scratch()), 'checkout');
  git(dirname(ws), 'clone', '-q', dir, ws);
  const report = await runAction(
    { mode: 'report', apply: 'true', upload: 'false' },
    { workspace: ws, env: { ...service.env(), GITHUB_RUN_ID: '91' } },
  );
  expect(annotations(report, 'error')).toEqual([]);
  expect(report.code).toBe(0);
  expect(leavesOf(report.outputs.applied)).toEqual(['flow_0001', 'flow_0002', 'flow_0003']);
  expect(leavesOf(report.outputs.conflicts)).toEqual([]);
  for (const id of ['flow_0001', 'flow_0002', 'flow_0003']) expect(readFileSync(join(ws, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
  // shard 1's patches came from its records; shard 2's from its tree, with a warning
  expect(service.downloads.map((d) => d.name)).toEqual([
    'orchestrator-run_gh91-shard-1-of-2-records',
    'orchestrator-run_gh91-shard-2-of-2',
  ]);
  expect(annotations(report, 'warning')).toEqual([
    expect.stringMatching(/^shard 2\/2 uploaded no orchestrator-run_gh91-shard-2-of-2-records/),
  ]);
});

/** The records artifact of a run directory, as the Action uploads it (paths under `run_<id>/`). */
function recordsArtifact(runDir: string): Record<string, Buffer> {
  const records = recordFiles(
    runDir,
    tree(runDir).map((path) => join(runDir, path)),
  );
  const prefix = basename(runDir);
  return Object.fromEntries(records.map((path) => [`${prefix}/${relative(runDir, path)}`, readFileSync(path)]));
}

/** Directories at or below `dir` holding run.json. */
const runDirsBelow = (dir: string): string[] =>
  tree(dir)
    .filter((path) => basename(path) === 'run.json')
    .map((path) => join(dir, dirname(path)));

test('the Action: report mode applies the leaves it merged and reported: records that change after they were read (an unzip still under way) are not read again', async () => {
  const marker = join(scratch(), 'fail-flow_0002');
  writeFileSync(marker, '');
  // flow_0002 fails while the marker exists
  const config = [
    CODEX,
    {
      type: 'edit',
      cmd: `echo "$ORCHESTRATOR_FLOW_ID" > "$ORCHESTRATOR_FLOW_ID.txt"; [ "$ORCHESTRATOR_FLOW_ID" != flow_0002 ] || [ ! -e '${marker}' ]`,
    },
  ];
  const dir = repo(config, { 'docs/1.md': 'one', 'docs/2.md': 'two', 'docs/3.md': 'three' });
  // the same run twice: first with flow_0002 failed, then with every flow succeeded
  const snapshots: Record<string, Buffer>[] = [];
  for (const fails of [true, false]) {
    if (!fails) rmSync(marker);
    const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--isolate', 'worktree', '--run-id', 'gh92']);
    expectExit(run, fails ? 1 : 0);
    snapshots.push(recordsArtifact(join(dir, 'generated', 'run_gh92')));
    rmSync(join(dir, 'generated'), { recursive: true, force: true });
  }
  const [failed, succeeded] = snapshots as [Record<string, Buffer>, Record<string, Buffer>];
  const service = closeAfterAll(await startArtifactService());
  service.seed('orchestrator-run_gh92-all-records', failed);
  const ws = join(realpathSync(scratch()), 'checkout');
  git(dirname(ws), 'clone', '-q', dir, ws);
  // once the report is written (its merged artifact being uploaded), the downloaded records change
  let rewritten = 0;
  service.onCall = (method, body) => {
    if (method !== 'CreateArtifact' || body.name !== 'orchestrator-run_gh92-merged') return;
    for (const runDir of runDirsBelow(join(ws, 'generated', 'run_gh92-shards'))) {
      for (const [path, data] of Object.entries(succeeded)) writeFileSync(join(dirname(runDir), path), data);
      rewritten++;
    }
  };
  const report = await runAction({ mode: 'report', apply: 'true' }, { workspace: ws, env: { ...service.env(), GITHUB_RUN_ID: '92' } });
  expect(rewritten).toBe(1);
  expect(report.code).toBe(1);
  expect(summaryRows(report.summary).get('flow_0002')).toMatch(/failed/);
  expect(report.outputs.failed).toBe('1');
  // what the summary says is what was applied: flow_0002 failed, so its patch is not applied
  expect(leavesOf(report.outputs.applied)).toEqual(['flow_0001', 'flow_0003']);
  expect(existsSync(join(ws, 'flow_0002.txt'))).toBe(false);
  for (const id of ['flow_0001', 'flow_0003']) expect(readFileSync(join(ws, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
});

describe('the Action: apply: true skips what it cannot apply', () => {
  test('run mode: a patch that turns a directory into a file is skipped and named; the others are applied; the step fails', async () => {
    const ws = realpathSync(repo(UNAPPLIABLE, DOCS5, { 'd/f': 'tracked\n', e: 'a file\n' }));
    const result = await runAction(
      { config: 'config.json', keys: 'DOC:docs.list', offline: 'true', isolate: 'worktree', apply: 'true', upload: 'false' },
      { workspace: ws, env: { GITHUB_RUN_ID: '57' } },
    );
    expect(result.stdout).not.toContain('internal error');
    expect(result.code).toBe(1);
    expect(leavesOf(result.outputs.applied)).toEqual(['flow_0001', 'flow_0003', 'flow_0004', 'flow_0005']);
    expect(leavesOf(result.outputs.conflicts)).toEqual(['flow_0002']);
    expect(annotations(result, 'warning')).toContainEqual(
      expect.stringMatching(/^flow_0002: .*\(d, d\/f\): it turns the directory d into a file/),
    );
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/1 leaves' patches conflicted .*could not be applied.*: flow_0002$/),
    ]);
    expect(readFileSync(join(ws, 'd', 'f'), 'utf8')).toBe('tracked\n');
    for (const id of ['flow_0001', 'flow_0003', 'flow_0004']) expect(readFileSync(join(ws, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
  });

  test("report mode: a shard's changes.patch that is no patch, and a directory turned into a file, are skipped and named; the others are applied", async () => {
    const dir = repo(UNAPPLIABLE, DOCS5, { 'd/f': 'tracked\n', e: 'a file\n' });
    const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--isolate', 'worktree', '--run-id', 'gh93']);
    expectExit(run, 0);
    const runDir = join(dir, 'generated', 'run_gh93');
    const third = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')).flows.find((f: any) => f.id === 'flow_0003');
    writeFileSync(join(runDir, third.changes.patch), 'this is not a patch\n');
    const service = closeAfterAll(await startArtifactService());
    service.seed('orchestrator-run_gh93-all-records', recordsArtifact(runDir));
    const ws = join(realpathSync(scratch()), 'checkout');
    git(dirname(ws), 'clone', '-q', dir, ws);
    const report = await runAction(
      { mode: 'report', apply: 'true', upload: 'false' },
      { workspace: ws, env: { ...service.env(), GITHUB_RUN_ID: '93' } },
    );
    expect(report.stdout).not.toContain('internal error');
    expect(report.code).toBe(1);
    expect(leavesOf(report.outputs.applied)).toEqual(['flow_0001', 'flow_0004', 'flow_0005']);
    expect(leavesOf(report.outputs.conflicts)).toEqual(['flow_0002', 'flow_0003']);
    const warnings = annotations(report, 'warning');
    expect(warnings).toContainEqual(expect.stringMatching(/^flow_0002: .*it turns the directory d into a file/));
    expect(warnings).toContainEqual(
      expect.stringMatching(/^flow_0003: its patch was not applied: .*flow_0003\/.*changes\.patch is not a patch git can read/),
    );
    for (const id of ['flow_0001', 'flow_0004']) expect(readFileSync(join(ws, `${id}.txt`), 'utf8')).toBe(`${id}\n`);
    expect(readFileSync(join(ws, 'e', 'g'), 'utf8')).toBe('in\n');
    expect(existsSync(join(ws, 'flow_0003.txt'))).toBe(false);
    expect(readFileSync(join(ws, 'd', 'f'), 'utf8')).toBe('tracked\n');
  });
});
