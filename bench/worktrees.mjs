// Codex flows with `--isolate worktree` against a hand-written `xargs -P` loop doing the same work
// (README "Benchmarks", issue 27 item 6):
//
//   node bench/worktrees.mjs [--files 3000] [--flows 48] [--parallel 8] [--reps 3] [--json FILE]
//
// A generated git repository of --files small files (60 per directory), committed. Each flow runs one
// codex step through a stand-in `codex` (a sh script: it reads the prompt `EDIT <path>`, appends a line
// to that file, writes its final message and prints codex's JSON events), so what is measured is the
// worktree work, not a model. The orchestrator side: `orchestrator run --isolate worktree --parallel P`.
// The hand-written side, per flow, P at a time under `xargs -P`: `git worktree add`, the same stand-in
// in the new worktree, `git add -A && git diff --cached --binary HEAD` into a patch, `git worktree remove`
// (an add or remove that lost a race on git's bookkeeping is tried again: the loop takes no lock).
// Both sides' patches are checked (each holds exactly its flow's edit). Each repetition runs both, back
// to back; the ratio is the median of the paired ratios. Work goes to a temporary directory under
// /dev/shm (BENCH_TMPDIR overrides), removed at the end. `npm run bench` runs it (bench/run.mjs, "worktrees").
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'orchestrator.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const FILES = Number(option('--files', '3000'));
const FLOWS = Number(option('--flows', '48'));
const PARALLEL = Number(option('--parallel', '8'));
const REPS = Math.max(1, Number(option('--reps', '3')));
const JSON_OUT = option('--json', undefined);
const PER_DIR = 60;

const base = process.env.BENCH_TMPDIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const TMP = mkdtempSync(join(base, 'orchestrator-worktrees-'));
const log = (text) => process.stderr.write(`worktrees: ${text}\n`);
const children = new Set();
const cleanup = () => {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(TMP, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    cleanup();
    process.exit(130);
  });

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd, ...argv) => {
  const r = spawnSync('git', argv, { cwd, env: GIT_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** Runs a program to its end (its own process group, killed after 10 minutes); wall ms from spawn to exit. */
async function timed(file, argv, { cwd, env, input }) {
  const started = performance.now();
  const child = spawn(file, argv, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.stdin.on('error', () => {});
  child.stdin.end(input ?? '');
  let err = '';
  child.stdout.resume();
  child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
  const killer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10 * 60_000);
  const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? s)));
  clearTimeout(killer);
  children.delete(child);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${file} ${argv.slice(0, 3).join(' ')}… exited with ${code}: ${err}`);
  return ms;
}

// ---------------------------------------------------------------- the repository and the stand-in

const repo = join(TMP, 'repo');
const paths = [];
for (let i = 0; i < FILES; i++) {
  const path = `src/d${Math.floor(i / PER_DIR)}/f${i % PER_DIR}.js`;
  mkdirSync(join(repo, dirname(path)), { recursive: true });
  writeFileSync(join(repo, path), `// file ${i}\nexport const value${i} = ${i};\n`);
  paths.push(path);
}
// the flows edit files spread over the tree
const targets = Array.from({ length: FLOWS }, (_, i) => paths[Math.floor((i * FILES) / FLOWS)]);
writeFileSync(join(repo, 'tasks.list'), targets.join('\n') + '\n');
writeFileSync(join(repo, 'config.json'), JSON.stringify({ steps: [{ type: 'codex', prompt: 'EDIT {{{T:path}}}' }] }));
writeFileSync(join(repo, '.gitignore'), 'generated/\n');
git(repo, 'init', '-q', '-b', 'main');
git(repo, 'add', '--all');
git(repo, 'commit', '-q', '-m', 'generated');

const bin = join(TMP, 'bin');
mkdirSync(bin);
const codex = join(bin, 'codex');
writeFileSync(
  codex,
  `#!/bin/sh
if [ "$1" = "--version" ]; then echo 'codex-cli 0.0.0-bench'; exit 0; fi
if [ "$1" = "sandbox" ]; then exit 0; fi
final=""
prev=""
for a in "$@"; do
  case "$prev" in --output-last-message|-o) final="$a";; esac
  prev="$a"
done
read -r verb path
echo '{"type":"thread.started","thread_id":"bench"}'
echo '{"type":"turn.started"}'
printf '// edited for %s\\n' "$path" >> "$path"
echo '{"type":"item.completed","item":{"type":"agent_message","text":"edited"}}'
printf 'edited %s' "$path" > "$final"
echo '{"type":"turn.completed","usage":{"input_tokens":7,"cached_input_tokens":0,"output_tokens":3}}'
`,
);
chmodSync(codex, 0o755);

// the hand-written loop: one flow per line of tasks.list, its number first
const hand = join(bin, 'flow.sh');
writeFileSync(
  hand,
  `#!/bin/sh
set -e
n="$1"; path="$2"
wt="$WT/flow_$n"
out="$OUT/flow_$n"
mkdir -p "$out"
# concurrent adds and removes race on .git/worktrees (no lock here): a failed one is tried again
again() { for try in 1 2 3 4 5 6 7 8; do "$@" 2>/dev/null && return 0; rm -rf "$wt"; sleep 0.0$try; done; "$@"; }
again git -C "$REPO" worktree add -f -q --detach "$wt" HEAD
(cd "$wt" && echo "EDIT $path" | codex exec --sandbox workspace-write --skip-git-repo-check --ephemeral --json --output-last-message "$out/final_message.txt" - > "$out/stdout.txt")
git -C "$wt" add -A
git -C "$wt" diff --cached --binary HEAD > "$out/changes.patch"
git -C "$REPO" worktree remove --force "$wt" 2>/dev/null || { rm -rf "$wt"; again git -C "$REPO" worktree prune; }
`,
);
chmodSync(hand, 0o755);
const handInput = targets.map((t, i) => `${i + 1} ${t}`).join('\n') + '\n';

/** Each flow's patch touches exactly its target, adding one line. */
function checkPatches(patchOf, side) {
  for (const [i, target] of targets.entries()) {
    const patch = readFileSync(patchOf(i + 1), 'utf8');
    const files = [...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]);
    if (files.length !== 1 || files[0] !== target || !patch.includes(`+// edited for ${target}\n`))
      throw new Error(`${side}: flow ${i + 1}'s patch is not exactly its edit of ${target}: ${patch.slice(0, 400)}`);
  }
}

function leftovers() {
  const listed = git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length ?? 0;
  if (listed !== 1) throw new Error(`${listed - 1} worktrees left in the repository`);
  if (git(repo, 'status', '--porcelain') !== '') throw new Error('the checkout is not clean');
}

// ---------------------------------------------------------------- the runs

const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, OPENAI_API_KEY: 'bench-key' };
const runs = { orchestrator: [], xargs: [] };
try {
  for (let rep = 0; rep < REPS; rep++) {
    const out = join(TMP, `out${rep}`);
    const cache = join(TMP, `cache${rep}`);
    const o = await timed(
      process.execPath,
      [CLI, 'run', 'config.json', '--key', 'T:tasks.list', '--isolate', 'worktree', '--parallel', String(PARALLEL)].concat([
        '--codex-path',
        codex,
        '--output',
        out,
        '--run-id',
        'bench',
      ]),
      { cwd: repo, env: { ...env, XDG_CACHE_HOME: cache } },
    );
    const runDir = join(out, 'run_bench');
    checkPatches((n) => join(runDir, `flow_${String(n).padStart(4, '0')}`, 'codex_exec_1', 'changes.patch'), 'orchestrator');
    leftovers();
    if (existsSync(join(cache, 'orchestrator', 'worktrees')) && readdirSync(join(cache, 'orchestrator', 'worktrees')).length > 0)
      throw new Error('the orchestrator left a worktree directory');

    const handOut = join(TMP, `hand${rep}`);
    const wt = join(TMP, `hand-wt${rep}`);
    mkdirSync(wt);
    const x = await timed('xargs', ['-P', String(PARALLEL), '-L', '1', hand], {
      cwd: repo,
      env: { ...env, REPO: repo, WT: wt, OUT: handOut },
      input: handInput,
    });
    checkPatches((n) => join(handOut, `flow_${n}`, 'changes.patch'), 'xargs loop');
    leftovers();

    runs.orchestrator.push(o);
    runs.xargs.push(x);
    log(`rep ${rep + 1}: orchestrator ${(o / 1000).toFixed(2)} s, xargs loop ${(x / 1000).toFixed(2)} s (${(o / x).toFixed(2)} ×)`);
    for (const dir of [out, cache, handOut, wt]) rmSync(dir, { recursive: true, force: true });
  }
} finally {
  cleanup();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ratios = runs.orchestrator.map((o, i) => o / runs.xargs[i]);
const result = {
  files: FILES,
  flows: FLOWS,
  parallel: PARALLEL,
  runs,
  ratios,
  orchestrator_ms: median(runs.orchestrator),
  xargs_ms: median(runs.xargs),
  orchestrator_vs_xargs: median(ratios),
};
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
else console.log(JSON.stringify(result, null, 2));
