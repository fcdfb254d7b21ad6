/**
 * The Action's `baseline-run-id` in report mode (issue 15.3): the merged artifact of another workflow
 * run is downloaded through the REST API (the loopback GitHub API redirects to the artifact service
 * stand-in's zip) and each leaf is compared with it by keys; the counts reach the job summary, the
 * PR comment and report.html. Also: run mode's job summary leading with the after output (15.1).
 * Runs the Action bundle of the current source (build/action/index.js).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_GITHUB_TOKEN, annotations, runAction } from './helpers/action.js';
import { startArtifactService, type ArtifactService } from './helpers/artifact-service.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';
import { closeAfterAll, project, scratch } from './helpers/project.js';
import { BASELINE_CHECK } from './helpers/baseline.js';

const BASELINE_RUN = 1111;
const PR = 9;

// BASELINE_CHECK over a version: a unchanged, b changed, c fixed, f newly failing; the baseline lists d where this run lists e
function checkout(mode: string, docs: string[]): string {
  const files: Record<string, string> = { 'mode.txt': mode, 'docs.list': docs.map((d) => `${d}.txt`).join('\n') };
  for (const d of 'abcdef') files[`${d}.txt`] = d;
  return realpathSync(project([{ type: 'check', cmd: BASELINE_CHECK }], files));
}

let service: ArtifactService;
let api: GitHubApi;
let eventPath: string;
let baselineId: number;
/** The baseline run's merged artifact: its name and files, to serve as another run's too. */
let baselineArtifact: { name: string; files: Record<string, string | Buffer> };

const job = (runNumber: string): Record<string, string | undefined> => ({
  ...service.env({ jobBackendId: randomUUID() }),
  GITHUB_RUN_ID: runNumber,
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_REPOSITORY: 'o/r',
  GITHUB_REPOSITORY_OWNER: 'o',
  GITHUB_API_URL: api.url,
  GITHUB_WORKFLOW: 'review',
  GITHUB_JOB: 'report',
});

beforeAll(async () => {
  service = closeAfterAll(await startArtifactService());
  api = closeAfterAll(await startGitHubApi());
  api.artifacts = service.restArtifacts();
  eventPath = join(realpathSync(scratch({ 'event.json': JSON.stringify({ pull_request: { number: PR } }) })), 'event.json');
  // the baseline: an earlier workflow run (run, then report), whose merged artifact is then served as
  // another run's, so the test follows whatever the report job uploads
  const earlier = checkout('v1', ['a', 'b', 'c', 'd', 'f']);
  const env = { ...job(String(BASELINE_RUN)), GITHUB_EVENT_NAME: 'push' };
  const run = await runAction({ config: 'config.json', keys: 'DOC:docs.list', offline: 'true' }, { workspace: earlier, env });
  expect(run.code).toBe(1);
  const report = await runAction({ mode: 'report' }, { workspace: checkout('v1', []), env, timeoutMs: 40_000 });
  expect(annotations(report, 'error')).toEqual(['1 failed and 0 cancelled of 5 results: see the job summary']);
  const merged = service.live().find((a) => a.name === `orchestrator-run_gh${BASELINE_RUN}-merged`)!;
  baselineArtifact = { name: merged.name, files: Object.fromEntries(merged.files) };
  baselineId = service.seedRun(BASELINE_RUN, merged.name, baselineArtifact.files).id;
  api.runs.set(BASELINE_RUN, { headRepository: 'o/r' });
  service.seedRun(BASELINE_RUN, 'something-else', { 'x.txt': 'x' });
});

test('report with baseline-run-id: counts in the summary and the comment, marks in report.html', async () => {
  const ws = checkout('v2', ['a', 'b', 'c', 'e', 'f']);
  const run = await runAction({ config: 'config.json', keys: 'DOC:docs.list', offline: 'true' }, { workspace: ws, env: job('2222') });
  expect(run.code).toBe(1);
  const report = await runAction(
    { mode: 'report', comment: 'true', 'baseline-run-id': String(BASELINE_RUN) },
    { workspace: checkout('v2', []), env: job('2222'), timeoutMs: 40_000 },
  );
  expect(annotations(report, 'warning')).toEqual([]);
  expect(report.code).toBe(1);
  const counts = '🆕 1 new · ✏️ 1 changed · ➖ 1 unchanged · 💥 1 newly failing · 🩹 1 fixed · 1 baseline results not in this run';
  expect(report.summary).toContain(`**Compared with run_gh${BASELINE_RUN}:** ${counts}`);
  expect(report.summary).toMatch(/\| flow_0005 \| DOC: f.txt \| ❌ failed<br>💥 newly failing \|/);
  const comment = api.comments.get(PR)?.[0]?.body ?? '';
  expect(comment).toContain(`**Compared with run_gh${BASELINE_RUN}:** ${counts}`);
  const html = readFileSync(join(report.outputs['run-dir']!, 'report.html'), 'utf8');
  expect(html).toContain(`"baseline":{"run_id":"run_gh${BASELINE_RUN}"`);
  // the other run's artifacts were read through the REST API with the token
  const rest = api.requests.filter((r) => r.path.includes('/actions/'));
  expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET /repos/o/r/actions/runs/${BASELINE_RUN}`,
    `GET /repos/o/r/actions/runs/${BASELINE_RUN}/artifacts`,
    `GET /repos/o/r/actions/artifacts/${baselineId}/zip`,
  ]);
  expect(rest.every((r) => r.auth === `token ${FAKE_GITHUB_TOKEN}`)).toBe(true);
}, 90_000);

test('a baseline run without a merged artifact fails the step, naming the input and what the run has', async () => {
  service.seedRun(3333, 'orchestrator-run_gh3333-shard-1-of-2', { 'x.txt': 'x' });
  api.runs.set(3333, { headRepository: 'o/r' });
  const ws = checkout('v2', ['a']);
  const run = await runAction({ config: 'config.json', keys: 'DOC:docs.list', offline: 'true' }, { workspace: ws, env: job('4444') });
  expect(run.code).toBe(0);
  const report = await runAction({ mode: 'report', 'baseline-run-id': '3333' }, { workspace: ws, env: job('4444'), timeoutMs: 40_000 });
  expect(report.code).toBe(1);
  expect(annotations(report, 'error').join('\n')).toContain(
    `The input 'baseline-run-id' is 3333, but workflow run 3333 has no artifact named orchestrator-<run id>-merged (or -all): it found "orchestrator-run_gh3333-shard-1-of-2".`,
  );
}, 60_000);

test.each([
  ['a fork', 6666, 'evil/r', "'evil/r'"],
  ['a deleted fork', 6667, null, 'a deleted repository'],
])(
  'a baseline run of %s (its head repository is not this one) is refused before anything is downloaded from it',
  async (_, id, headRepository, named) => {
    // the fork's run uploaded a merged artifact as valid as any: only where its code came from tells it apart
    service.seedRun(id, baselineArtifact.name, baselineArtifact.files);
    api.runs.set(id, { headRepository });
    const ws = checkout('v2', ['a']);
    const run = await runAction({ config: 'config.json', keys: 'DOC:docs.list', offline: 'true' }, { workspace: ws, env: job('7777') });
    expect(run.code).toBe(0);
    const from = api.requests.length;
    const report = await runAction(
      { mode: 'report', 'baseline-run-id': String(id) },
      { workspace: ws, env: job('7777'), timeoutMs: 40_000 },
    );
    expect(report.code).toBe(1);
    expect(annotations(report, 'error').join('\n')).toContain(
      `The input 'baseline-run-id' is ${id}, but workflow run ${id} ran the code of ${named}, not of o/r (a pull request from a fork): ` +
        `its artifacts were written by that code and are not trusted as a baseline. Pick a run of a branch of o/r, e.g. the latest run on the default branch.`,
    );
    expect(report.summary).not.toContain('Compared with');
    const rest = api.requests.slice(from).filter((r) => r.path.includes('/actions/'));
    expect(rest.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /repos/o/r/actions/runs/${id}`]);
  },
  60_000,
);

test('run mode: the job summary leads with the after output, escaped, then the totals and the table', async () => {
  const ws = realpathSync(
    project(
      {
        steps: [{ type: 'echo', cmd: 'cat' }],
        after: [{ type: 'overview', name: 'overview', cmd: `echo "All 2 fine."; echo; echo '- <img src=x onerror=alert(1)> @octocat'` }],
      },
      { 'a.txt': 'a', 'b.txt': 'b', 'l.txt': 'a.txt\nb.txt\n' },
    ),
  );
  const run = await runAction({ config: 'config.json', keys: 'X:l.txt', upload: 'false' }, { workspace: ws, env: job('5555') });
  expect(annotations(run, 'error')).toEqual([]);
  expect(run.code).toBe(0);
  const at = (s: string): number => run.summary.indexOf(s);
  expect(at('### overview (over all results)')).toBeGreaterThan(at('## orchestrator: run_gh5555'));
  expect(at('All 2 fine.\n\n&#45; &lt;img src=x onerror=alert&#40;1&#41;&gt; &#64;&#8203;octocat')).toBeGreaterThan(0);
  expect(at('All 2 fine.')).toBeLessThan(at('**2 flows**'));
  expect(at('**2 flows**')).toBeLessThan(at('| flow |'));
  expect(run.summary).not.toMatch(/<img|@octocat/);
}, 60_000);
