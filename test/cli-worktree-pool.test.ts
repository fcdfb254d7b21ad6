/**
 * `--isolate worktree` reuses worktrees (README: "Codex in CI"): a pool of up to --parallel worktrees,
 * each reset to HEAD between leaves, instead of one `git worktree add` and one remove per leaf; only
 * git's bookkeeping is done under the repository's lock, checkouts run in parallel. A stand-in `codex`
 * (a sh script) records what each flow sees in its worktree and changes it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orchestrate as run, expectExit, readJson, type OrchestrateOptions, type Outcome } from './helpers/cli.js';
import { git, gitRepo as committedRepo } from './helpers/git.js';
import { waitFor } from './helpers/processes.js';
import { scratch } from './helpers/project.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

const KEY = 'sk-test-worktree-pool-0123456789abcdef';

/** A committed repository with a README, a tracked file to delete, a script whose mode changes, ignore rules and `files`. */
const gitRepo = (files: Record<string, string>): string =>
  committedRepo({
    'README.md': '# the project\n',
    'old.txt': 'to be removed\n',
    'run.sh': 'echo run\n',
    '.gitignore': 'generated/\n*.log\nbuild/\n',
    ...files,
  });

/** Paths of the worktrees git knows of for `repo` (the main one first). */
function worktrees(repo: string): string[] {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

/** The files a patch touches, sorted. */
const patchFiles = (patch: string): string[] => [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]!).sort();

/** Asserts that a run left the checkout clean (its index too), no worktree git knows of, and nothing under the cache directory. */
function expectNothingLeft(repo: string, cache: string): void {
  expect(git(repo, 'status', '--porcelain', '--untracked-files=no')).toBe('');
  expect(worktrees(repo).map((p) => realpathSync(p))).toEqual([realpathSync(repo)]);
  const root = join(cache, 'orchestrator', 'worktrees');
  expect(existsSync(root) ? readdirSync(root) : []).toEqual([]);
}

const orchestrate = (
  cwd: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: OrchestrateOptions = {},
): Promise<Outcome> => run(cwd, args, env, { timeoutMs: 45_000, ...options });

const flowId = (n: number): string => `flow_${String(n).padStart(4, '0')}`;

/**
 * A stand-in `codex`. `codex exec` writes its cwd to $STANDIN_DIR/cwd-<flow>.txt, then by STANDIN_MODE:
 * - `view`: writes what the worktree holds (every path but .git's, the contents of README.md and
 *   old.txt, run.sh's mode, its temp directory) to view-<flow>.txt, then edits a tracked file, makes
 *   a new file, an ignored file and an ignored directory, an empty directory and a file in its temp
 *   directory, deletes a tracked file and changes a tracked file's mode: all named after the flow;
 * - `busy`: takes the marker directory $STANDIN_DIR/busy/<its cwd> (a failed mkdir: another leaf is
 *   in this worktree now) and notes any other flow's file it sees in shared.txt, then writes mine-<flow>.txt;
 *   a cmd step after it checks and gives the marker back;
 * - `hang`: flow_0001 ends at once, the others write hanging-<flow> and sleep;
 * - `gitfile`: flow_0001 points its worktree's .git file at the checkout's .git and writes x.txt; the
 *   others write y-<flow>.txt.
 */
function standInCodex(): { path: string; dir: string } {
  const dir = scratch();
  const path = writeStandInCodex(
    dir,
    `#!/bin/sh
if [ "$1" = "sandbox" ]; then exit 0; fi
${CODEX_OPTIONS}
cat > /dev/null
id="$ORCHESTRATOR_FLOW_ID"
pwd > "$STANDIN_DIR/cwd-$id.txt"
${TURN_STARTED}
case "$STANDIN_MODE" in
  view)
    {
      echo '--- paths'; find . -path ./.git -prune -o -print | LC_ALL=C sort
      echo '--- README.md'; cat README.md
      echo '--- old.txt'; cat old.txt 2>&1
      echo '--- run.sh'; ls -l run.sh | cut -c1-10
      echo '--- tmp'; ls -A "$TMPDIR"
    } > "$STANDIN_DIR/view-$id.txt"
    printf '%s\\n' "$id" >> README.md
    printf 'new of %s\\n' "$id" > "new-$id.txt"
    printf 'ignored of %s\\n' "$id" > debug.log
    mkdir -p build && printf 'built by %s\\n' "$id" > build/out.txt
    mkdir "empty-$id"
    rm old.txt
    chmod +x run.sh
    printf 'tmp of %s\\n' "$id" > "$TMPDIR/tmp-$id";;
  busy)
    mark="$STANDIN_DIR/busy/$(pwd | tr / _)"
    if mkdir "$mark" 2>/dev/null; then echo "$id" > "$mark/owner"
    else echo "$id found $(cat "$mark/owner" 2>/dev/null) in $(pwd)" >> "$STANDIN_DIR/shared.txt"; fi
    for f in mine-*; do if [ -e "$f" ]; then echo "$id saw $f" >> "$STANDIN_DIR/shared.txt"; fi; done
    printf '%s\\n' "$id" > "mine-$id.txt";;
  hang)
    if [ "$id" != flow_0001 ]; then pwd > "$STANDIN_DIR/hanging-$id"; sleep 30; fi;;
  gitfile)
    if [ "$id" = flow_0001 ]; then printf 'gitdir: %s\\n' "$STANDIN_MAIN_GIT" > .git; echo x > x.txt
    else printf '%s\\n' "$id" > "y-$id.txt"; fi;;
esac
printf 'done %s' "$id" > "$final"
${turnCompleted(0)}
`,
  );
  return { path, dir };
}

/** n flows over the key N (n.list), one codex step, then `steps`. */
function flowsRepo(n: number, steps: unknown[] = [], files: Record<string, string> = {}): string {
  return gitRepo({
    'config.json': JSON.stringify([{ type: 'codex', prompt: 'task {{{N}}}' }, ...steps]),
    'n.list': Array.from({ length: n }, (_, i) => `n/${i + 1}\n`).join(''),
    ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`n/${i + 1}`, String(i + 1)])),
    ...files,
  });
}

function env(codex: { dir: string }, mode: string, extra: Record<string, string> = {}): { env: Record<string, string>; cache: string } {
  const cache = scratch();
  return {
    env: { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, STANDIN_MODE: mode, TMPDIR: scratch(), XDG_CACHE_HOME: cache, ...extra },
    cache,
  };
}

describe('a pool of worktrees, reset between leaves', () => {
  test('3 flows in sequence (--parallel 1) run in one worktree; each sees HEAD only (none of the tracked edits, new, ignored, deleted files, empty directories, mode changes or temp files before it); each patch holds exactly its own changes', async () => {
    const codex = standInCodex();
    const { env: runEnv, cache } = env(codex, 'view');
    const repo = flowsRepo(3);
    const o = await orchestrate(
      repo,
      ['--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '1'],
      runEnv,
    );
    expectExit(o, 0);
    expect(o.results).toMatchObject({ total: 3, succeeded: 3 });

    const ids = [1, 2, 3].map(flowId);
    // one worktree served all three: reused, not made again
    const cwds = ids.map((id) => readFileSync(join(codex.dir, `cwd-${id}.txt`), 'utf8'));
    expect(new Set(cwds).size).toBe(1);
    // the first flow's view is a fresh checkout of HEAD; the others saw exactly the same
    const views = ids.map((id) => readFileSync(join(codex.dir, `view-${id}.txt`), 'utf8'));
    expect(views[0]).toContain('./old.txt\n');
    expect(views[0]).toMatch(/--- README.md\n# the project\n--- old.txt\nto be removed\n--- run.sh\n-rw-/);
    expect(views[0]).toMatch(/--- tmp\n$/);
    expect(views[0]).not.toMatch(/new-|debug\.log|build|empty-|tmp-flow/);
    expect(views[1]).toBe(views[0]);
    expect(views[2]).toBe(views[0]);

    for (const id of ids) {
      const patch = readFileSync(join(o.runDir, id, 'codex_exec_1', 'changes.patch'), 'utf8');
      expect(patchFiles(patch)).toEqual(['README.md', `new-${id}.txt`, 'old.txt', 'run.sh']);
      expect(patch).toContain(`+${id}\n`);
      for (const other of ids.filter((x) => x !== id)) expect(patch).not.toContain(other);
      expect(patch).toMatch(/^old mode 100644\nnew mode 100755$/m);
    }
    expectNothingLeft(repo, cache);
  }, 60_000);

  test('16 flows, --parallel 4, codex then a cmd step: a worktree serves one leaf at a time (a marker each leaf takes and gives back), at most 4 worktrees, each patch its own', async () => {
    const codex = standInCodex();
    const { env: runEnv, cache } = env(codex, 'busy');
    const flows = 16;
    const check =
      'mark="$STANDIN_DIR/busy/$(pwd | tr / _)"; ' +
      'if [ "$(cat "$mark/owner")" != "$ORCHESTRATOR_FLOW_ID" ]; then echo "$ORCHESTRATOR_FLOW_ID lost $mark" >> "$STANDIN_DIR/shared.txt"; fi; ' +
      'rm -r "$mark" && echo checked';
    const repo = flowsRepo(flows, [{ type: 'check', cmd: check }]);
    mkdirSync(join(codex.dir, 'busy'));
    const o = await orchestrate(
      repo,
      ['--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '4'],
      runEnv,
    );
    expectExit(o, 0);
    expect(o.results).toMatchObject({ total: flows, succeeded: flows });
    expect(readJson(join(o.runDir, 'run.json')).peak_concurrency).toBeGreaterThanOrEqual(2);

    // no leaf found another in its worktree, or another's file
    expect(existsSync(join(codex.dir, 'shared.txt')) ? readFileSync(join(codex.dir, 'shared.txt'), 'utf8') : '').toBe('');
    expect(readdirSync(join(codex.dir, 'busy'))).toEqual([]);
    const cwds = new Set(Array.from({ length: flows }, (_, i) => readFileSync(join(codex.dir, `cwd-${flowId(i + 1)}.txt`), 'utf8')));
    expect(cwds.size).toBeLessThanOrEqual(4);
    for (let i = 1; i <= flows; i++) {
      const patch = readFileSync(join(o.runDir, flowId(i), '02_check', 'changes.patch'), 'utf8');
      expect(patchFiles(patch)).toEqual([`mine-${flowId(i)}.txt`]);
    }
    expectNothingLeft(repo, cache);
  }, 60_000);
});

describe('git bookkeeping under the lock, checkouts in parallel', () => {
  test("2 flows, --parallel 2: the two worktrees' files are checked out at the same time, and not under the repository's lock", async () => {
    const codex = standInCodex();
    const { env: runEnv, cache } = env(codex, 'view');
    const probe = scratch();
    const repo = flowsRepo(2, [], { '.gitattributes': 'probe.slow filter=probe\n', 'probe.slow': 'checked out\n' });
    // a smudge filter runs as git writes probe.slow into a worktree: it waits (up to 10 s) until both
    // worktrees are being checked out, then looks whether the lock file is there
    const smudge = join(probe, 'smudge.sh');
    writeFileSync(
      smudge,
      `#!/bin/sh
touch "$PROBE_DIR/in-$$"
i=0
while [ "$(ls "$PROBE_DIR" | grep -c '^in-')" -lt 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ $i -lt 100 ]; then together=together; else together=alone; fi
if [ -e "$PROBE_LOCK" ]; then lock=held; else lock=free; fi
echo "$together $lock" >> "$PROBE_DIR/log.txt"
cat
`,
    );
    chmodSync(smudge, 0o755);
    git(repo, 'config', 'filter.probe.smudge', smudge);
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '2'], {
      ...runEnv,
      PROBE_DIR: probe,
      PROBE_LOCK: join(repo, '.git', 'orchestrator-worktrees.lock'),
    });
    expectExit(o, 0);
    expect(readFileSync(join(probe, 'log.txt'), 'utf8')).toBe('together free\ntogether free\n');
    expectNothingLeft(repo, cache);
  }, 60_000);

  test("a step that points its worktree's .git file at the checkout: git still works on the worktree's own records (the checkout's index untouched, the patch exact); that worktree is not handed on", async () => {
    const codex = standInCodex();
    const repo = flowsRepo(2);
    const { env: runEnv, cache } = env(codex, 'gitfile', { STANDIN_MAIN_GIT: join(repo, '.git') });
    const index = readFileSync(join(repo, '.git', 'index'));
    const o = await orchestrate(
      repo,
      ['--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '1'],
      runEnv,
    );
    expectExit(o, 0);
    expect(patchFiles(readFileSync(join(o.runDir, flowId(1), 'codex_exec_1', 'changes.patch'), 'utf8'))).toEqual(['x.txt']);
    expect(patchFiles(readFileSync(join(o.runDir, flowId(2), 'codex_exec_1', 'changes.patch'), 'utf8'))).toEqual([`y-${flowId(2)}.txt`]);
    expect(readFileSync(join(codex.dir, `cwd-${flowId(2)}.txt`), 'utf8')).not.toBe(
      readFileSync(join(codex.dir, `cwd-${flowId(1)}.txt`), 'utf8'),
    );
    expect(readFileSync(join(repo, '.git', 'index'))).toEqual(index);
    expectNothingLeft(repo, cache);
  }, 60_000);
});

describe('nothing left', () => {
  test('SIGINT with an idle worktree in the pool and two in use: exit 130, no worktree left', async () => {
    const codex = standInCodex();
    const { env: runEnv, cache } = env(codex, 'hang');
    const repo = flowsRepo(3);
    let pid = 0;
    const running = orchestrate(
      repo,
      ['--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '3'],
      runEnv,
      {
        onStart: (p) => (pid = p),
      },
    );
    await waitFor(
      'flow_0001 to end and the other two to hang',
      () =>
        [2, 3].every((n) => existsSync(join(codex.dir, `hanging-${flowId(n)}`))) &&
        existsSync(join(repo, 'generated', 'run_t', flowId(1), 'result.json')),
      20_000,
      50,
    );
    // flow_0001's worktree stays in the pool for the next leaf, beside the two in use
    expect(worktrees(repo)).toHaveLength(4);
    process.kill(pid, 'SIGINT');
    const o = await running;
    expectExit(o, 130);
    expect(o.results.flows.map((f: any) => f.status)).toEqual(['succeeded', 'cancelled', 'cancelled']);
    expectNothingLeft(repo, cache);
  }, 60_000);
});
