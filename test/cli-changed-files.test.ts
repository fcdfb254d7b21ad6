/**
 * Steps after codex know what changed (issue 25.6): with `--isolate worktree`, a cmd step after a
 * codex step finds the leaf's changed files in $ORCHESTRATOR_CHANGED_FILES (one per line) and
 * $ORCHESTRATOR_CHANGED_FILES_NUL (NUL-separated), without what `setup` left. The real codex binary
 * edits the files (an exec_command tool call from the loopback fake server). The README's verify
 * step fails its leaf when the tests fail, with `sh` being dash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempOnDisk, expectExit, orchestrate } from './helpers/cli.js';
import { CODEX_BIN, codexEnv, makeCodexHome } from './helpers/codex-home.js';
import { functionCallOutputs, type Handler, type RecordedRequest } from './helpers/fake-openai.js';
import { gitRepo } from './helpers/git.js';
import { fakeOpenAI, scratch, track } from './helpers/project.js';

// the real codex runs here: its sandbox mounts a /dev of its own, which would hide a checkout on /dev/shm
tempOnDisk();

/** A prompt line `RUN: <command>` gets an exec_command tool call; its output back, a final message. */
const actor: Handler = (req: RecordedRequest) => {
  const outputs = functionCallOutputs(req);
  if (outputs.length > 0) return { text: 'Edited the files.' };
  const run = /^RUN: (.*)$/m.exec(req.prompt);
  return run ? { toolCommand: run[1]! } : { text: 'nothing to do' };
};

/** The README's verify step (Codex in CI), as written there: `set -e` and no pipe hiding the test run's status. */
const VERIFY =
  'set -e\n' +
  'echo "changed:"; cat "$ORCHESTRATOR_CHANGED_FILES"\n' +
  'xargs -0 -r ls -d -- < "$ORCHESTRATOR_CHANGED_FILES_NUL" > /dev/null 2>&1 || true\n' +
  'sh ./test.sh > test.log 2>&1 || { tail -n 20 test.log; exit 1; }\n' +
  'tail -n 5 test.log';

test("a cmd step after the real codex gets the leaf's changed files (names with spaces and a deletion), not what setup left; the verify step fails the leaf when the tests fail, under dash", async () => {
  const server = await fakeOpenAI(actor);
  const home = track(makeCodexHome(server.url));
  const tmp = scratch();
  const repo = gitRepo({
    'config.json': JSON.stringify({
      setup: 'echo local >> settings.txt && mkdir -p build && echo built > build/out',
      steps: [
        { type: 'codex', prompt: '{{{TASK}}}' },
        { type: 'list', cmd: 'cat "$ORCHESTRATOR_CHANGED_FILES"; tr "\\0" "|" < "$ORCHESTRATOR_CHANGED_FILES_NUL"' },
        { type: 'verify', cmd: VERIFY },
      ],
    }),
    'tasks.list': 'tasks/pass.txt\ntasks/fail.txt\n',
    'tasks/pass.txt': "RUN: printf 'new\\n' > 'new file.txt' && rm old.txt\n",
    'tasks/fail.txt': "RUN: printf 'x\\n' > other.txt && printf 'echo 1 test failed; exit 1' > test.sh\n",
    'old.txt': 'old\n',
    'settings.txt': 'shared\n',
    'test.sh': 'exit 0\n',
  });
  const run = await orchestrate(
    repo,
    ['--codex-path', CODEX_BIN, '--key', 'TASK:tasks.list', '--isolate', 'worktree'],
    {
      ...codexEnv(home),
      OPENAI_API_KEY: 'sk-test-changed-0123456789abcdef',
      TMPDIR: tmp,
      XDG_CACHE_HOME: tmp,
    },
    { timeoutMs: 60_000 },
  );
  expectExit(run, 1);
  const [pass, fail] = run.results.flows;
  const listed = readFileSync(join(run.runDir, 'flow_0001', '02_list', 'output.txt'), 'utf8');
  expect(listed).toBe('new file.txt\nold.txt\nnew file.txt|old.txt|');
  expect(readFileSync(join(run.runDir, 'flow_0001', '02_list', 'changed_files.txt'), 'utf8')).toBe('new file.txt\nold.txt\n');
  expect(pass.status).toBe('succeeded');
  expect(pass.output).toContain('changed:\nnew file.txt\nold.txt\n');
  // the verify step of the leaf whose tests fail fails it, with the test log's end in its error
  expect(fail.status).toBe('failed');
  expect(readFileSync(join(run.runDir, 'flow_0002', '03_verify', 'output.txt'), 'utf8')).toContain('1 test failed');
  expect(readFileSync(join(run.runDir, 'flow_0002', '02_list', 'output.txt'), 'utf8')).toBe('other.txt\ntest.sh\nother.txt|test.sh|');
}, 90_000);
