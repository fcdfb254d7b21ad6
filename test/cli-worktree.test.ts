/**
 * Codex in a real repository (README: "Codex in CI"): `--isolate worktree` (a git worktree per flow or branch,
 * changes saved as changes.patch, nothing left behind), the sandbox probe, refused-sandbox
 * detection, and structured output for `array: true` steps. The real codex binary runs against the
 * loopback fake server, which answers a prompt carrying a directive `RUN: <command>` with an
 * exec_command tool call, so codex really changes files; a stand-in `codex` script covers what the
 * real one cannot be made to do here (a broken sandbox, refused commands, hanging).
 */
import { existsSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  tempOnDisk,
  orchestrate as run,
  baseEnv,
  expectExit,
  readJson,
  runCli,
  type OrchestrateOptions,
  type Outcome,
} from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { CODEX_BIN, codexEnv, makeCodexHome } from './helpers/codex-home.js';
import { functionCallOutputs, type FakeOpenAI, type Handler, type RecordedRequest } from './helpers/fake-openai.js';
import { waitFor } from './helpers/processes.js';
import { git, gitRepo as committedRepo } from './helpers/git.js';
import { fakeOpenAI, scratch, track } from './helpers/project.js';
import { CODEX_OPTIONS, TURN_STARTED, turnCompleted, writeStandInCodex } from './helpers/stand-in-codex.js';

const KEY = 'sk-test-worktree-0123456789abcdef';

/** A committed repository holding a README and `files` (see helpers/git.ts). */
const gitRepo = (files: Record<string, string>): string => committedRepo({ 'README.md': '# the project\n', ...files });

/** Paths of the worktrees git knows of for `repo` (the main one first). */
function worktrees(repo: string): string[] {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

/** The files a patch touches, sorted. */
function patchFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]!).sort();
}

/** Applies a patch in a fresh clone of `repo` (`git apply --check`, then `git apply`); returns the clone. */
function applyInClone(repo: string, patch: string): string {
  const clone = join(scratch(), 'clone');
  git(repo, 'clone', '-q', repo, clone);
  git(clone, 'apply', '--check', patch);
  git(clone, 'apply', patch);
  return clone;
}

/** Leftover worktree roots of the orchestrator in a directory used as XDG_CACHE_HOME and TMPDIR (where they used to be). */
function worktreeRoots(dir: string): string[] {
  const cache = join(dir, 'orchestrator', 'worktrees');
  return [...readdirSync(dir).filter((n) => n.startsWith('orchestrator-worktrees-')), ...(existsSync(cache) ? readdirSync(cache) : [])];
}

/** Asserts that a run left the shared checkout clean and no worktree behind. */
function expectNothingLeft(repo: string, ...dirs: string[]): void {
  expect(git(repo, 'status', '--porcelain')).toBe('');
  expect(worktrees(repo).map((p) => realpathSync(p))).toEqual([realpathSync(repo)]);
  for (const dir of dirs) expect(worktreeRoots(dir)).toEqual([]);
}

/**
 * `orchestrator config.json --run-id t ...args` in cwd, given 45 s unless told otherwise: codex runs
 * take longer. In the jest process (helpers/cli-inprocess.ts: no node start, and none for the
 * shelter's re-exec a key costs), but for a test that signals the run (onStart): that one is a child.
 */
const orchestrate = (
  cwd: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: OrchestrateOptions = {},
): Promise<Outcome> =>
  options.onStart === undefined
    ? orchestrateInProcess(cwd, args, env, { timeoutMs: 45_000, ...options })
    : run(cwd, args, env, { timeoutMs: 45_000, ...options });

const events = (path: string): any[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l));

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1)!.trim();

/**
 * The fake model's behaviour: a prompt with a line `RUN: <command>` gets an exec_command tool call
 * (`@PREV@` in the command stands for the prompt's last line: the previous output); once the
 * command's output comes back, a final message: `{"items": [...]}` when the prompt has a line
 * `ARRAY: a,b`, else `ran: <output>`. A prompt with `FAIL` gets HTTP 500.
 */
const actor: Handler = (req: RecordedRequest) => {
  if (/^FAIL$/m.test(req.prompt)) return { status: 500, text: 'fake outage' };
  const outputs = functionCallOutputs(req);
  if (outputs.length > 0) {
    const array = /^ARRAY: (.*)$/m.exec(req.prompt);
    if (array) return { text: JSON.stringify({ items: array[1]!.split(',') }) };
    return { text: `ran: ${outputs.at(-1)!.output.trim()}` };
  }
  const run = /^RUN: (.*)$/m.exec(req.prompt);
  if (run) return { toolCommand: run[1]!.replaceAll('@PREV@', lastLine(req.prompt)) };
  return { text: `plain: ${req.prompt}` };
};

/** The environment of a real-codex run: the fake server's CODEX_HOME, a key, a TMPDIR and a cache directory (worktrees) of its own. */
function realCodexEnv(server: FakeOpenAI): { env: Record<string, string>; tmp: string; cache: string } {
  const home = track(makeCodexHome(server.url));
  const tmp = scratch();
  const cache = scratch();
  return { env: { ...codexEnv(home), OPENAI_API_KEY: KEY, TMPDIR: tmp, XDG_CACHE_HOME: cache }, tmp, cache };
}

/**
 * A stand-in `codex`: appends each invocation's arguments (one line, space-separated) and cwd to
 * $STANDIN_DIR/calls.txt; `codex sandbox ...` exits 0, or 1 with a bwrap error when
 * STANDIN_SANDBOX=broken. `codex exec` copies its --output-schema file to
 * $STANDIN_DIR/<step dir>.schema.json, prints events by STANDIN_MODE and writes the -o file.
 */
function standInCodex(): { path: string; dir: string; calls: () => { argv: string; cwd: string }[] } {
  const dir = scratch();
  const path = writeStandInCodex(
    dir,
    `#!/bin/sh
printf '%s\\t%s\\n' "$*" "$(pwd)" >> "$STANDIN_DIR/calls.txt"
if [ "$1" = "sandbox" ]; then
  if [ "$STANDIN_SANDBOX" = "broken" ]; then
    echo 'bwrap: setting up uid map: Permission denied' >&2
    exit 1
  fi
  exit 0
fi
${CODEX_OPTIONS}
cat > /dev/null
step="$(basename "$(dirname "$final")")"
if [ -n "$schema" ]; then cp "$schema" "$STANDIN_DIR/$step.schema.json"; fi
${TURN_STARTED}
case "$STANDIN_MODE" in
  refused)
    echo '{"type":"item.completed","item":{"type":"command_execution","command":"ls","aggregated_output":"bwrap: setting up uid map: Permission denied","exit_code":1,"status":"failed"}}'
    printf 'I could not run anything' > "$final";;
  partly)
    echo '{"type":"item.completed","item":{"type":"command_execution","command":"ls","aggregated_output":"bwrap: setting up uid map: Permission denied","exit_code":1,"status":"failed"}}'
    echo '{"type":"item.completed","item":{"type":"command_execution","command":"cat missing","aggregated_output":"cat: missing: No such file or directory","exit_code":1,"status":"failed"}}'
    printf 'one command failed on its own' > "$final";;
  array)
    printf '{"items": ["a","b"]}' > "$final";;
  hang)
    pwd > "$STANDIN_DIR/hanging"
    sleep 30;;
  secretfile)
    printf 'token=%s\n' "$MY_SERVICE_TOKEN" > service.env
    printf 'wrote service.env' > "$final";;
  edits)
    printf '\\000\\001\\002binary\\377' > blob.bin
    printf 'appended\n' >> README.md
    rm old.txt
    printf 'edited' > "$final";;
  stubborn)
    trap '' TERM INT
    pwd > "$STANDIN_DIR/hanging"
    sleep 30;;
  *)
    printf 'stand-in final' > "$final";;
esac
${turnCompleted(0)}
`,
  );
  const calls = () => {
    const file = join(dir, 'calls.txt');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => {
        const [argv, cwd] = l.split('\t');
        return { argv: argv!, cwd: cwd! };
      });
  };
  return { path, dir, calls };
}

describe('--isolate worktree with the real codex', () => {
  // the real codex's sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
  tempOnDisk();

  test('4 parallel flows each write a file in their own worktree: clean checkout, one patch per flow that applies, nothing left', async () => {
    const server = await fakeOpenAI(actor);
    const { env, tmp, cache } = realCodexEnv(server);
    const tasks: Record<string, { file: string; contents: string }> = {
      alpha: { file: 'alpha.txt', contents: 'alpha' },
      beta: { file: 'beta.txt', contents: 'beta' },
      gamma: { file: 'src/gamma.txt', contents: 'gamma' },
      delta: { file: 'deep/er/delta.txt', contents: 'delta' },
    };
    const files: Record<string, string> = {
      'config.json': JSON.stringify({ steps: [{ type: 'codex', prompt: '{{{TASK}}}' }] }),
      'tasks.list': Object.keys(tasks)
        .map((t) => `tasks/${t}.txt\n`)
        .join(''),
      'src/existing.txt': 'already here\n',
    };
    for (const [name, { file, contents }] of Object.entries(tasks)) {
      files[`tasks/${name}.txt`] = `Do the ${name} task.\nRUN: mkdir -p "$(dirname ${file})" && printf '${contents}\\n' > ${file} && pwd\n`;
    }
    const repo = gitRepo(files);

    const o = await orchestrate(
      repo,
      ['--codex-path', CODEX_BIN, '--key', 'TASK:tasks.list', '--isolate', 'worktree', '--parallel', '4'],
      env,
    );
    expectExit(o, 0);
    expect(o.results).toMatchObject({ total: 4, succeeded: 4 });
    // the codex runs overlapped
    expect(readJson(join(o.runDir, 'run.json')).peak_concurrency).toBeGreaterThanOrEqual(2);
    // each codex run asked once and came back once with its command's output
    expect(server.requests.filter((r) => functionCallOutputs(r).length > 0)).toHaveLength(4);
    // no isolation warning when isolated
    expect(o.stderr).not.toMatch(/share|--isolate worktree/);

    // the shared checkout stays clean: codex wrote only in the worktrees
    expectNothingLeft(repo, tmp, cache);
    for (const { file } of Object.values(tasks)) expect(existsSync(join(repo, file))).toBe(false);

    const names = Object.keys(tasks);
    const cwds = new Set<string>();
    for (const [i, name] of names.entries()) {
      const { file, contents } = tasks[name]!;
      const stepDir = join(o.runDir, `flow_000${i + 1}`, 'codex_exec_1');
      // the command ran in a worktree outside the workdir, under the cache directory: not under the temp directory
      const command = events(join(stepDir, 'stdout.txt')).find((e) => e.type === 'item.completed' && e.item?.type === 'command_execution');
      expect(command?.item.exit_code).toBe(0);
      const cwd = lastLine(command.item.aggregated_output);
      expect(cwd.startsWith(realpathSync(cache) + '/') || cwd.startsWith(cache + '/')).toBe(true);
      expect(cwd.startsWith(realpathSync(tmp) + '/') || cwd.startsWith(tmp + '/')).toBe(false);
      expect(cwd.startsWith(realpathSync(repo))).toBe(false);
      cwds.add(cwd);

      const patch = join(stepDir, 'changes.patch');
      expect(patchFiles(readFileSync(patch, 'utf8'))).toEqual([file]);
      const clone = applyInClone(repo, patch);
      expect(readFileSync(join(clone, file), 'utf8')).toBe(`${contents}\n`);
      expect(git(clone, 'status', '--porcelain', '--untracked-files=all')).toBe(`?? ${file}\n`);
    }
    expect(cwds.size).toBe(4);
  }, 60_000);

  test("a later step of a flow sees its changes; an array codex step (--output-schema) fans out and each branch starts from the parent's changes", async () => {
    const server = await fakeOpenAI(actor);
    const { env, tmp, cache } = realCodexEnv(server);
    const repo = gitRepo({
      'config.json': JSON.stringify({
        steps: [
          { type: 'codex', name: 'write', prompt: "RUN: printf 'parent\\n' > parent.txt" },
          { type: 'codex', name: 'split', array: true, prompt: 'RUN: cat parent.txt > copy.txt && cat copy.txt\nARRAY: a,b' },
          { type: 'codex', name: 'branch', prompt: 'RUN: cat copy.txt > from-@PREV@.txt' },
        ],
      }),
    });
    const o = await orchestrate(repo, ['--codex-path', CODEX_BIN, '--isolate', 'worktree'], env);
    expectExit(o, 0);
    expect(o.results.flows.map((f: any) => [f.branch, f.status])).toEqual([
      [[1], 'succeeded'],
      [[2], 'succeeded'],
    ]);

    // the array step held codex to the array schema: codex sent it as structured output
    const splitRequest = server.requests.find((r) => r.prompt.startsWith('RUN: cat parent.txt'));
    expect(splitRequest?.body.text?.format).toMatchObject({
      type: 'json_schema',
      schema: { type: 'object', properties: { items: { type: 'array' } } },
    });
    // while the first step's request had none
    expect(server.requests.find((r) => r.prompt.startsWith("RUN: printf 'parent"))?.body.text?.format?.type).not.toBe('json_schema');

    const flow = join(o.runDir, 'flow_0001');
    // step 2 ran in the same flow's worktree and saw step 1's file; patches are cumulative
    const first = readFileSync(join(flow, 'codex_exec_1', 'changes.patch'), 'utf8');
    const second = readFileSync(join(flow, 'codex_exec_2', 'changes.patch'), 'utf8');
    expect(patchFiles(first)).toEqual(['parent.txt']);
    expect(patchFiles(second)).toEqual(['copy.txt', 'parent.txt']);
    expect(second).toMatch(/\+\+\+ b\/copy.txt\n@@ [^\n]*\n\+parent\n/);

    for (const [b, element] of [
      [1, 'a'],
      [2, 'b'],
    ] as const) {
      const patch = join(flow, `branch_${b}`, 'codex_exec_3', 'changes.patch');
      expect(patchFiles(readFileSync(patch, 'utf8'))).toEqual(['copy.txt', `from-${element}.txt`, 'parent.txt']);
      const clone = applyInClone(repo, patch);
      expect(readFileSync(join(clone, `from-${element}.txt`), 'utf8')).toBe('parent\n');
      expect(readFileSync(join(clone, 'parent.txt'), 'utf8')).toBe('parent\n');
    }
    expectNothingLeft(repo, tmp, cache);
  }, 60_000);

  test('a codex step that fails (the server answers 500) leaves no worktree; the other flow succeeds', async () => {
    const server = await fakeOpenAI(actor);
    const { env, tmp, cache } = realCodexEnv(server);
    const repo = gitRepo({
      'config.json': JSON.stringify([{ type: 'codex', prompt: '{{{TASK}}}' }]),
      'tasks.list': 'bad.txt\ngood.txt\n',
      'bad.txt': 'RUN: touch never.txt\nFAIL\n',
      'good.txt': "RUN: printf 'good\\n' > good-out.txt\n",
    });
    const o = await orchestrate(
      repo,
      ['--codex-path', CODEX_BIN, '--key', 'TASK:tasks.list', '--isolate', 'worktree', '--parallel', '2'],
      env,
    );
    expectExit(o, 1);
    expect(o.results.flows.map((f: any) => f.status)).toEqual(['failed', 'succeeded']);
    expect(o.results.flows[0].error).toMatch(/codex/);
    expect(patchFiles(readFileSync(join(o.runDir, 'flow_0002', 'codex_exec_1', 'changes.patch'), 'utf8'))).toEqual(['good-out.txt']);
    expectNothingLeft(repo, tmp, cache);
  }, 60_000);
});

describe('flows cannot write into each other’s worktrees (real codex, its workspace-write sandbox)', () => {
  // the real codex's sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
  tempOnDisk();

  test("one flow's codex tries to write into every worktree git lists (their temp dirs too), /tmp and TMPDIR: only its own worktree changes; the other flow's patch is its own", async () => {
    // each side waits for the other, so both worktrees exist while the intruder's command runs
    const seen = { victimStarted: false, intruderRan: false };
    const until = async (what: keyof typeof seen): Promise<void> => {
      for (let waited = 0; !seen[what] && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    };
    const server = await fakeOpenAI(async (req) => {
      const intruder = req.prompt.includes('INTRUDER');
      if (functionCallOutputs(req).length > 0) {
        if (intruder) seen.intruderRan = true;
        else await until('intruderRan');
        return { text: 'done' };
      }
      if (!intruder) {
        seen.victimStarted = true;
        return { toolCommand: "printf 'mine\\n' > mine.txt" };
      }
      await until('victimStarted');
      return { toolCommand: lastLine(req.prompt) };
    });
    const { env, tmp, cache } = realCodexEnv(server);
    const slashTmp = `/tmp/orchestrator-intruder-${process.pid}-${Date.now()}`;
    const attempt = (path: string): string =>
      `if (echo intruder > "${path}") 2>/dev/null; then echo "WROTE ${path}"; else echo "DENIED ${path}"; fi`;
    const intrusion =
      'echo "CWD $(pwd)"; for p in $(git worktree list --porcelain | sed -n "s/^worktree //p"); do ' +
      `${attempt('$p/intruder.txt')}; ${attempt('$p.tmp/intruder.txt')}; done; ` +
      `${attempt(slashTmp)}; ${attempt(join(tmp, 'intruder.txt'))}`;
    const repo = gitRepo({
      'config.json': JSON.stringify([{ type: 'codex', prompt: '{{{TASK}}}' }]),
      'tasks.list': 'intruder.task\nvictim.task\n',
      'intruder.task': `INTRUDER\n${intrusion}\n`,
      'victim.task': 'Write mine.txt.\n',
    });
    try {
      const o = await orchestrate(
        repo,
        ['--codex-path', CODEX_BIN, '--key', 'TASK:tasks.list', '--isolate', 'worktree', '--parallel', '2'],
        env,
      );
      expectExit(o, 0);
      const command = events(join(o.runDir, 'flow_0001', 'codex_exec_1', 'stdout.txt')).find(
        (e) => e.type === 'item.completed' && e.item?.type === 'command_execution',
      );
      const lines: string[] = command.item.aggregated_output.trim().split('\n');
      const own = lines.find((l) => l.startsWith('CWD '))!.slice(4);
      const wrote = lines.filter((l) => l.startsWith('WROTE ')).map((l) => l.slice(6));
      const denied = lines.filter((l) => l.startsWith('DENIED ')).map((l) => l.slice(7));
      // it saw three worktrees (the checkout, its own, the victim's) and could write only into its own
      expect(wrote.sort()).toEqual([`${own}.tmp/intruder.txt`, `${own}/intruder.txt`]);
      expect(denied).toHaveLength(4 + 2);
      expect(denied).toEqual(expect.arrayContaining([`${realpathSync(repo)}/intruder.txt`, slashTmp, join(tmp, 'intruder.txt')]));
      expect(existsSync(slashTmp)).toBe(false);

      // the victim's patch holds its own change only; the intruder's its own
      const victim = readFileSync(join(o.runDir, 'flow_0002', 'codex_exec_1', 'changes.patch'), 'utf8');
      expect(patchFiles(victim)).toEqual(['mine.txt']);
      expect(patchFiles(readFileSync(join(o.runDir, 'flow_0001', 'codex_exec_1', 'changes.patch'), 'utf8'))).toEqual(['intruder.txt']);
      expectNothingLeft(repo, tmp, cache);
    } finally {
      rmSync(slashTmp, { force: true });
    }
  }, 60_000);
});

describe('concurrent runs on one repository', () => {
  test('3 runs with --isolate worktree at once (8 flows each, codex then cmd): every flow succeeds, each patch holds its cmd change, nothing left', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const flows = 8;
    const repo = gitRepo({
      'config.json': JSON.stringify([
        { type: 'codex', prompt: 'x {{{N}}}' },
        { type: 'mark', cmd: 'printf "%s\\n" "$(basename "$(pwd)")" > mark.txt && echo marked' },
      ]),
      'n.list': Array.from({ length: flows }, (_, i) => `n/${i}\n`).join(''),
      ...Object.fromEntries(Array.from({ length: flows }, (_, i) => [`n/${i}`, String(i)])),
    });
    const env = baseEnv({ OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, TMPDIR: tmp, XDG_CACHE_HOME: tmp });
    const runs = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        runCli(
          ['config.json', '--run-id', id, '--codex-path', codex.path, '--key', 'N:n.list', '--isolate', 'worktree', '--parallel', '8'],
          {
            cwd: repo,
            env,
            timeoutMs: 45_000,
          },
        ),
      ),
    );
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      expectExit(runs[i]!, 0);
      const results = readJson(join(repo, 'generated', `run_${id}`, 'results.json'));
      expect(results).toMatchObject({ total: flows, succeeded: flows });
      for (const flow of results.flows) {
        const patch = readFileSync(join(repo, 'generated', `run_${id}`, flow.id, '02_mark', 'changes.patch'), 'utf8');
        // the cmd step after codex ran in the flow's worktree, and its change is in the leaf's patch
        expect(patchFiles(patch)).toEqual(['mark.txt']);
        expect(patch).toMatch(new RegExp(`^\\+${flow.id}\\b`, 'm'));
      }
    }
    expectNothingLeft(repo, tmp);
  }, 60_000);
});

describe('--isolate worktree: failures before and during the run (stand-in codex)', () => {
  test.each([
    ['not a git repository', false],
    ['a git repository without a commit', true],
  ])(
    'a workdir that is %s: exit 2 naming --isolate and the workdir, nothing run',
    async (_what, init) => {
      const codex = standInCodex();
      const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]), 'plain/file.txt': 'x' });
      if (init) git(join(dir, 'plain'), 'init', '-q');
      const o = await orchestrate(dir, ['--codex-path', codex.path, '--isolate', 'worktree', '--workdir', 'plain'], {
        OPENAI_API_KEY: KEY,
        STANDIN_DIR: codex.dir,
      });
      expectExit(o, 2);
      expect(o.stderr).toContain('--isolate');
      expect(o.stderr).toContain('plain');
      expect(o.stderr).toMatch(/git/);
      expect(existsSync(join(dir, 'generated'))).toBe(false);
      expect(codex.calls()).toEqual([]);
    },
    30_000,
  );

  test('a cache directory where no worktree can be made: the flow fails naming the directory and XDG_CACHE_HOME', async () => {
    const codex = standInCodex();
    const tmp = scratch({ 'not-a-dir': 'a file' });
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      TMPDIR: tmp,
      XDG_CACHE_HOME: join(tmp, 'not-a-dir'),
    });
    expectExit(o, 1);
    expect(o.results.flows[0].error).toContain(
      `cannot create the worktree directory ${join(tmp, 'not-a-dir', 'orchestrator', 'worktrees')}`,
    );
    expect(o.results.flows[0].error).toContain('ENOTDIR');
    expect(o.results.flows[0].error).toContain('XDG_CACHE_HOME');
    expect(codex.calls().filter((c) => c.argv.startsWith('exec'))).toEqual([]);
  }, 30_000);

  test('a step that times out in its worktree: the worktree is removed', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x', timeout: 1 }]) });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_MODE: 'hang',
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 1);
    expect(o.results.flows[0].error).toContain('timed out after 1 s');
    // it did run in a worktree under the cache directory
    const hungIn = readFileSync(join(codex.dir, 'hanging'), 'utf8').trim();
    expect(hungIn.startsWith(tmp + '/') || hungIn.startsWith(realpathSync(tmp) + '/')).toBe(true);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('SIGINT while codex runs in a worktree: exit 130, the worktree is removed', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    let pid = 0;
    const running = orchestrate(
      repo,
      ['--codex-path', codex.path, '--isolate', 'worktree'],
      { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, STANDIN_MODE: 'hang', TMPDIR: tmp, XDG_CACHE_HOME: tmp },
      {
        onStart: (p) => (pid = p),
      },
    );
    await waitFor('codex to start hanging', () => existsSync(join(codex.dir, 'hanging')), 15_000, 50);
    // the worktree exists while codex runs
    expect(worktreeRoots(tmp)).toHaveLength(1);
    expect(worktrees(repo)).toHaveLength(2);
    process.kill(pid, 'SIGINT');
    const o = await running;
    expectExit(o, 130);
    expect(o.results.flows[0].status).toBe('cancelled');
    expectNothingLeft(repo, tmp);
  }, 30_000);
  test('a second SIGINT (exit at once) still leaves no worktree', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    let pid = 0;
    let stderr = (): string => '';
    const running = orchestrate(
      repo,
      ['--codex-path', codex.path, '--isolate', 'worktree'],
      // a codex that ignores TERM, so the run is still stopping when the second SIGINT comes
      {
        OPENAI_API_KEY: KEY,
        STANDIN_DIR: codex.dir,
        STANDIN_MODE: 'stubborn',
        TMPDIR: tmp,
        XDG_CACHE_HOME: tmp,
        ORCHESTRATOR_KILL_GRACE_MS: '10000',
      },
      {
        timeoutMs: 20_000,
        onStart: (p, output) => {
          pid = p;
          stderr = output.stderr;
        },
      },
    );
    await waitFor('codex to start hanging', () => existsSync(join(codex.dir, 'hanging')), 15_000, 50);
    expect(worktreeRoots(tmp)).toHaveLength(1);
    process.kill(pid, 'SIGINT');
    // signals do not queue: the second must come after the first was handled
    await waitFor('the stop message', () => stderr().includes('stopping'), 5_000, 50);
    process.kill(pid, 'SIGINT');
    const o = await running;
    expect(o.code).toBe(130);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('a workdir below the repository root: codex runs in the same subdirectory of its worktree', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]), 'packages/app/index.js': '1\n' });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree', '--workdir', 'packages/app'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 0);
    const exec = codex.calls().find((c) => c.argv.startsWith('exec'))!;
    expect(exec.cwd.startsWith(tmp + '/') || exec.cwd.startsWith(realpathSync(tmp) + '/')).toBe(true);
    expect(exec.cwd.endsWith('/packages/app')).toBe(true);
    expectNothingLeft(repo, tmp);
  }, 30_000);
  test('branches of a parent that changed nothing (an empty changes.patch) start from HEAD', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({
      'config.json': JSON.stringify([
        { type: 'codex', name: 'look', prompt: 'x', sandbox: 'read-only' },
        { type: 'split', cmd: `echo '["a","b"]'`, array: true },
        { type: 'codex', name: 'each', prompt: 'y' },
      ]),
    });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 0);
    expect(readFileSync(join(o.runDir, 'flow_0001', 'codex_exec_1', 'changes.patch'), 'utf8')).toBe('');
    expect(o.results.flows.map((f: any) => [f.branch, f.status])).toEqual([
      [[1], 'succeeded'],
      [[2], 'succeeded'],
    ]);
    // each branch's codex ran in a worktree of its own
    const cwds = codex
      .calls()
      .filter((c) => c.argv.startsWith('exec') && c.argv.includes('branch_'))
      .map((c) => c.cwd);
    expect(new Set(cwds).size).toBe(2);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('changes.patch holds new (binary) files, edits and deletions, and applies', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]), 'old.txt': 'to be removed\n' });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_MODE: 'edits',
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 0);
    const patch = join(o.runDir, 'flow_0001', 'codex_exec_1', 'changes.patch');
    const text = readFileSync(patch, 'utf8');
    expect(patchFiles(text)).toEqual(['README.md', 'blob.bin', 'old.txt']);
    expect(text).toContain('GIT binary patch');
    const clone = applyInClone(repo, patch);
    expect(readFileSync(join(clone, 'blob.bin'))).toEqual(Buffer.from([0, 1, 2, ...Buffer.from('binary'), 0xff]));
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('# the project\nappended\n');
    expect(existsSync(join(clone, 'old.txt'))).toBe(false);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('a patch that would need masking is not saved: the step fails naming the variable, never its value; branches never start', async () => {
    const token = 'svc-token-5e1b7a93c2d4';
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({
      'config.json': JSON.stringify([
        { type: 'codex', prompt: 'x' },
        { type: 'split', cmd: `echo '["one"]'`, array: true },
        { type: 'check', cmd: 'cat service.env' },
      ]),
    });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_MODE: 'secretfile',
      MY_SERVICE_TOKEN: token,
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 1);
    const stepDir = join(o.runDir, 'flow_0001', 'codex_exec_1');
    expect(existsSync(join(stepDir, 'changes.patch'))).toBe(false);
    expect(o.results.flows).toHaveLength(1);
    expect(o.results.flows[0]).toMatchObject({ branch: [], status: 'failed' });
    expect(o.results.flows[0].error).toMatch(/step 1 \("codex"\): the changes hold the value of MY_SERVICE_TOKEN, .*no patch was saved/);
    expect(readFileSync(join(o.runDir, 'flow_0001', 'result.json'), 'utf8')).not.toContain(token);
    expectNothingLeft(repo, tmp);
  }, 30_000);
});

describe('a patch is exact or absent, with the real codex', () => {
  // the real codex's sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
  tempOnDisk();

  // codex writes the word "production", which is also the value of a variable named like a secret
  const config = JSON.stringify([{ type: 'codex', prompt: 'RUN: echo "if (env === \'production\') deploy();" > deploy.js' }]);

  test('DEPLOY_ENV_KEY=production: no masked patch (it would apply and ship ***), the step fails naming DEPLOY_ENV_KEY', async () => {
    const server = await fakeOpenAI(actor);
    const { env, tmp, cache } = realCodexEnv(server);
    const repo = gitRepo({ 'config.json': config });
    const o = await orchestrate(repo, ['--isolate', 'worktree'], { ...env, DEPLOY_ENV_KEY: 'production' });
    expectExit(o, 1);
    const stepDir = join(o.runDir, 'flow_0001', 'codex_exec_1');
    expect(existsSync(join(stepDir, 'changes.patch'))).toBe(false);
    expect(o.results.flows[0].status).toBe('failed');
    expect(o.results.flows[0].error).toContain('the changes hold the value of DEPLOY_ENV_KEY');
    expect(readFileSync(join(stepDir, 'error.txt'), 'utf8')).toContain('DEPLOY_ENV_KEY');
    expectNothingLeft(repo, tmp, cache);
  }, 60_000);

  test('the same change with a variable not named like a secret: the patch is saved exactly and applies', async () => {
    const server = await fakeOpenAI(actor);
    const { env, tmp, cache } = realCodexEnv(server);
    const repo = gitRepo({ 'config.json': config });
    const o = await orchestrate(repo, ['--isolate', 'worktree'], { ...env, DEPLOY_ENV: 'production' });
    expectExit(o, 0);
    const patch = join(o.runDir, 'flow_0001', 'codex_exec_1', 'changes.patch');
    expect(readFileSync(patch, 'utf8')).toContain("+if (env === 'production') deploy();");
    const clone = applyInClone(repo, patch);
    expect(readFileSync(join(clone, 'deploy.js'), 'utf8')).toBe("if (env === 'production') deploy();\n");
    expectNothingLeft(repo, tmp, cache);
  }, 60_000);
});

describe('the config\'s "setup" command and the checkout\'s uncommitted changes', () => {
  /** A repository whose setup links deps/ as node_modules, edits a tracked file and builds an untracked one. */
  const SETUP =
    'printf "%s %s %s\\n" "$ORCHESTRATOR_FLOW_ID" "$ORCHESTRATOR_BRANCH" "$(pwd)" >> "$SETUP_LOG" && ' +
    'ln -s "$ORCHESTRATOR_WORKDIR/deps" node_modules && echo local >> settings.txt && mkdir -p build && echo built > build/out';

  test('setup runs once in each new worktree (flow and branches) before its first step; its changes are in no patch; a cmd step after codex sees the worktree and its change is in the patch', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const log = join(scratch(), 'setup.log');
    const repo = gitRepo({
      'config.json': JSON.stringify({
        setup: SETUP,
        steps: [
          { type: 'codex', prompt: 'edit' },
          { type: 'look', cmd: 'cat node_modules/dep.txt settings.txt && echo made > made-by-cmd.txt' },
          { type: 'split', cmd: `echo '["a","b"]'`, array: true },
          { type: 'codex', prompt: 'more' },
        ],
      }),
      'old.txt': 'to be removed\n',
      'settings.txt': 'shared\n',
      'deps/dep.txt': 'the dependency\n',
    });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_MODE: 'edits',
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
      SETUP_LOG: log,
    });
    expectExit(o, 0);
    // once per worktree: the flow's, then each branch's, each in a worktree of its own, never the checkout
    const runs = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(runs.map((l) => l.split(' ').slice(0, 2).join(' ')).sort()).toEqual(['flow_0001 ', 'flow_0001 1', 'flow_0001 2']);
    const dirs = runs.map((l) => l.split(' ')[2]!);
    expect(new Set(dirs).size).toBe(3);
    for (const dir of dirs) expect(dir.startsWith(realpathSync(tmp) + '/') || dir.startsWith(tmp + '/')).toBe(true);
    // the cmd step after codex ran in the flow's worktree, after setup
    expect(readFileSync(join(o.runDir, 'flow_0001', '02_look', 'output.txt'), 'utf8')).toBe('the dependency\nshared\nlocal\n');

    const flow = join(o.runDir, 'flow_0001');
    expect(patchFiles(readFileSync(join(flow, 'codex_exec_1', 'changes.patch'), 'utf8'))).toEqual(['README.md', 'blob.bin', 'old.txt']);
    expect(patchFiles(readFileSync(join(flow, '02_look', 'changes.patch'), 'utf8'))).toEqual([
      'README.md',
      'blob.bin',
      'made-by-cmd.txt',
      'old.txt',
    ]);
    for (const b of [1, 2]) {
      const patch = join(flow, `branch_${b}`, 'codex_exec_4', 'changes.patch');
      expect(patchFiles(readFileSync(patch, 'utf8'))).toEqual(['README.md', 'blob.bin', 'made-by-cmd.txt', 'old.txt']);
      // applies to HEAD: nothing of setup (settings.txt, node_modules, build/) in it
      const clone = applyInClone(repo, patch);
      expect(readFileSync(join(clone, 'settings.txt'), 'utf8')).toBe('shared\n');
      expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    }
    expect(o.stderr).not.toMatch(/warning/);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('a setup that fails fails that flow, naming "setup", its exit code and stderr; codex never runs; the worktree is removed', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({
      'config.json': JSON.stringify({ setup: 'echo "npm ERR! no lockfile" >&2; exit 3', steps: [{ type: 'codex', prompt: 'x' }] }),
    });
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 1);
    const flow = o.results.flows[0];
    expect(flow.status).toBe('failed');
    expect(flow.error).toContain('"setup"');
    expect(flow.error).toContain('exited with code 3');
    expect(flow.error).toContain('npm ERR! no lockfile');
    expect(readFileSync(join(o.runDir, 'flow_0001', 'codex_exec_1', 'setup_stderr.txt'), 'utf8')).toBe('npm ERR! no lockfile\n');
    expect(codex.calls().filter((c) => c.argv.startsWith('exec'))).toEqual([]);
    expectNothingLeft(repo, tmp);
  }, 30_000);

  test('setup without --isolate worktree: a warning that it is not run, and it is not', async () => {
    const codex = standInCodex();
    const log = join(scratch(), 'setup.log');
    const repo = gitRepo({ 'config.json': JSON.stringify({ setup: 'echo ran >> "$SETUP_LOG"', steps: [{ type: 'codex', prompt: 'x' }] }) });
    const o = await orchestrate(repo, ['--codex-path', codex.path], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, SETUP_LOG: log });
    expectExit(o, 0);
    expect(o.stderr).toMatch(/warning: config\.json: "setup" runs in each new worktree.*--isolate worktree.*not run/);
    expect(existsSync(log)).toBe(false);
  }, 30_000);

  test('--isolate worktree over a checkout with uncommitted changes: a warning naming the files (codex edits HEAD’s version)', async () => {
    const codex = standInCodex();
    const tmp = scratch();
    const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]), 'src/a.js': '1\n', 'src/b.js': '2\n' });
    writeFileSync(join(repo, 'src', 'a.js'), 'edited, not committed\n');
    git(repo, 'rm', '-q', 'src/b.js');
    writeFileSync(join(repo, 'untracked.txt'), 'not in git\n');
    const o = await orchestrate(repo, ['--codex-path', codex.path, '--isolate', 'worktree'], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    });
    expectExit(o, 0);
    const warning = o.stderr.split('\n').find((l) => l.includes('uncommitted'));
    expect(warning).toMatch(/warning: --isolate worktree: .*src\/a\.js, src\/b\.js.*HEAD/);
    expect(warning).not.toContain('untracked.txt');
  }, 30_000);
});

describe('the shared-tree warning without isolation', () => {
  test('--parallel 2 with a workspace-write codex step and no --isolate: a warning naming --isolate worktree', async () => {
    const codex = standInCodex();
    const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const o = await orchestrate(dir, ['--codex-path', codex.path, '--parallel', '2'], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir });
    expectExit(o, 0);
    expect(o.stderr).toMatch(/warning:.*--isolate worktree/);
  }, 30_000);

  test.each([
    ['--parallel 1', [], ['--parallel', '1']],
    ['a read-only sandbox', [{ sandbox: 'read-only' }], ['--parallel', '2']],
    ['--isolate worktree', [], ['--parallel', '2', '--isolate', 'worktree']],
  ])(
    'no warning with %s',
    async (_what, extra, args) => {
      const codex = standInCodex();
      const repo = gitRepo({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x', ...extra[0] }]) });
      const o = await orchestrate(repo, ['--codex-path', codex.path, ...args], {
        OPENAI_API_KEY: KEY,
        STANDIN_DIR: codex.dir,
        TMPDIR: scratch(),
        XDG_CACHE_HOME: scratch(),
      });
      expectExit(o, 0);
      expect(o.stderr).not.toMatch(/warning/);
    },
    30_000,
  );
});

describe('the sandbox probe and refused commands (stand-in codex)', () => {
  test('a broken sandbox stops the run before anything runs: exit 2, both fixes named, nothing under generated/', async () => {
    const codex = standInCodex();
    const dir = scratch({
      'config.json': JSON.stringify([
        { type: 'shout', cmd: 'echo hi' },
        { type: 'codex', prompt: 'x' },
      ]),
    });
    const o = await orchestrate(dir, ['--codex-path', codex.path], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_SANDBOX: 'broken',
    });
    expectExit(o, 2);
    expect(o.stderr).toContain('codex sandbox');
    expect(o.stderr).toContain('bwrap: setting up uid map: Permission denied');
    expect(o.stderr).toMatch(/user namespaces/);
    expect(o.stderr).toContain('danger-full-access');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
    expect(codex.calls().map((c) => c.argv)).toEqual(['sandbox -- true']);
  }, 30_000);

  test('the probe runs once, before the first sandboxed codex step, however many flows', async () => {
    const codex = standInCodex();
    const dir = scratch({
      'config.json': JSON.stringify([
        { type: 'codex', prompt: 'x {{{N}}}', sandbox: 'danger-full-access' },
        { type: 'codex', prompt: 'y', sandbox: 'read-only' },
      ]),
      'n.list': 'a\nb\nc\n',
      a: '1',
      b: '2',
      c: '3',
    });
    const o = await orchestrate(dir, ['--codex-path', codex.path, '--key', 'N:n.list'], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir });
    expectExit(o, 0);
    const argvs = codex.calls().map((c) => c.argv);
    expect(argvs[0]).toBe('sandbox -- true');
    expect(argvs.filter((a) => a.startsWith('sandbox'))).toHaveLength(1);
    expect(argvs.filter((a) => a.startsWith('exec'))).toHaveLength(6);
  }, 30_000);

  test.each([
    [
      'on every step',
      {
        steps: [
          { type: 'codex', prompt: 'x', sandbox: 'danger-full-access' },
          { type: 'codex', prompt: 'y', sandbox: 'danger-full-access' },
        ],
      },
    ],
    ['as the config default', { sandbox: 'danger-full-access', steps: [{ type: 'codex', prompt: 'x' }] }],
  ])(
    'with "sandbox": "danger-full-access" %s no probe is run, even with a broken sandbox',
    async (_where, config) => {
      const codex = standInCodex();
      const dir = scratch({ 'config.json': JSON.stringify(config) });
      const o = await orchestrate(dir, ['--codex-path', codex.path], {
        OPENAI_API_KEY: KEY,
        STANDIN_DIR: codex.dir,
        STANDIN_SANDBOX: 'broken',
      });
      expectExit(o, 0);
      const argvs = codex
        .calls()
        .map((c) => c.argv)
        .filter((a) => a !== '--version');
      expect(argvs.length).toBe(config.steps.length);
      for (const argv of argvs) expect(argv).toMatch(/^exec .*--sandbox danger-full-access/);
    },
    30_000,
  );

  test('a codex run whose every command the sandbox refused fails the step, naming the fixes', async () => {
    const codex = standInCodex();
    const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const o = await orchestrate(dir, ['--codex-path', codex.path], {
      OPENAI_API_KEY: KEY,
      STANDIN_DIR: codex.dir,
      STANDIN_MODE: 'refused',
    });
    expectExit(o, 1);
    const flow = o.results.flows[0];
    expect(flow.status).toBe('failed');
    expect(flow.final_message).toBeNull();
    expect(flow.error).toMatch(/sandbox/);
    expect(flow.error).toContain('bwrap');
    expect(flow.error).toContain('danger-full-access');
    expect(o.stdout).toBe('');
  }, 30_000);

  test('a run where only some commands were refused, or a command failed on its own, still succeeds', async () => {
    const codex = standInCodex();
    const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const o = await orchestrate(dir, ['--codex-path', codex.path], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, STANDIN_MODE: 'partly' });
    expectExit(o, 0);
    expect(o.results.flows[0]).toMatchObject({ status: 'succeeded', output: 'one command failed on its own' });
  }, 30_000);
});

describe('array: true asks for structured output', () => {
  test('a codex step passes --output-schema with the array schema; {"items": [...]} fans out', async () => {
    const codex = standInCodex();
    const dir = scratch({
      'config.json': JSON.stringify([
        { type: 'codex', name: 'list', prompt: 'list them', array: true },
        { type: 'echo', cmd: 'cat' },
      ]),
    });
    const o = await orchestrate(dir, ['--codex-path', codex.path], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir, STANDIN_MODE: 'array' });
    expectExit(o, 0);
    const exec = codex
      .calls()
      .find((c) => c.argv.startsWith('exec'))!
      .argv.split(' ');
    const schemaPath = exec[exec.indexOf('--output-schema') + 1]!;
    expect(schemaPath).toBe(join(o.runDir, 'flow_0001', 'codex_exec_1', 'output-schema.json'));
    expect(exec.at(-1)).toBe('-');
    // the file was there when codex ran, and holds an object schema wrapping the array
    const schema = readJson(join(codex.dir, 'codex_exec_1.schema.json'));
    expect(schema).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'string' } } },
      required: ['items'],
      additionalProperties: false,
    });
    expect(o.results.flows.map((f: any) => [f.branch, f.status, f.output])).toEqual([
      [[1], 'succeeded', 'a'],
      [[2], 'succeeded', 'b'],
    ]);
  }, 30_000);

  test('a codex step without array: true gets no --output-schema', async () => {
    const codex = standInCodex();
    const dir = scratch({ 'config.json': JSON.stringify([{ type: 'codex', prompt: 'x' }]) });
    const o = await orchestrate(dir, ['--codex-path', codex.path], { OPENAI_API_KEY: KEY, STANDIN_DIR: codex.dir });
    expectExit(o, 0);
    expect(codex.calls().find((c) => c.argv.startsWith('exec'))!.argv).not.toContain('--output-schema');
  }, 30_000);

  test.each(['responses', 'chat'] as const)(
    'an openai step (%s API) requests a JSON schema; {"items": ["a","b"]} makes 2 branches',
    async (api) => {
      const server = await fakeOpenAI((req) => ({ text: req.prompt.startsWith('List') ? '{"items": ["a","b"]}' : `got ${req.prompt}` }));
      const dir = scratch({
        'config.json': JSON.stringify({
          api,
          steps: [
            { type: 'openai', name: 'list', prompt: 'List two things', array: true },
            { type: 'openai', name: 'each', prompt: 'Expand' },
          ],
        }),
      });
      const o = await orchestrate(dir, ['--base-url', server.url], { OPENAI_API_KEY: KEY });
      expectExit(o, 0);
      const path = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';
      expect(server.requests.every((r) => r.path === path)).toBe(true);
      const [list, ...rest] = server.requests;
      const schemaOf = (r: RecordedRequest) => (api === 'chat' ? r.body.response_format : r.body.text?.format);
      const format = schemaOf(list!);
      expect(format?.type).toBe('json_schema');
      const schema = api === 'chat' ? format.json_schema.schema : format.schema;
      expect(schema).toMatchObject({ type: 'object', properties: { items: { type: 'array' } }, required: ['items'] });
      // the steps that are not array steps ask for plain text
      expect(rest).toHaveLength(2);
      for (const r of rest) expect(schemaOf(r)?.type).not.toBe('json_schema');
      expect(rest.map((r) => r.prompt).sort()).toEqual(['Expand\n\na', 'Expand\n\nb']);
      expect(o.results.flows.map((f: any) => [f.branch, f.output])).toEqual([
        [[1], 'got Expand\n\na'],
        [[2], 'got Expand\n\nb'],
      ]);
    },
    30_000,
  );
});
