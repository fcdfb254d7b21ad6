/**
 * A whole sharded workflow on this machine, with the Action bundle of the current source as every job's
 * step (README: "Sharding across a matrix"): one loopback artifact service shared by the jobs of one workflow run and one
 * loopback GitHub REST API for pull request comments.
 *
 *   plan (shards: 3) -> 3 matrix legs (shard: I/3, run-id from plan; each a fresh machine and job)
 *   -> report (comment: true, on pull request #7)
 *
 * Each leg uploads its tree and its records; the report job downloads only the records.
 * then: the report job re-run (the comment is edited, not duplicated), a second workflow (its own
 * comment), a fork's read-only token (a warning, not a failure), a shard whose tree is gone (its
 * records still merge), and a shard that left nothing.
 * The tests run in order and build on each other.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACTION_BUNDLE,
  FAKE_GITHUB_TOKEN,
  annotations,
  runAction,
  stdoutWithoutMasks,
  summaryRows,
  type ActionResult,
} from './helpers/action.js';
import { startArtifactService, writeZip, type ArtifactService, type StoredArtifact } from './helpers/artifact-service.js';
import { readJson } from './helpers/cli.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';
import { closeAfterAll, keyFiles, project, scratch, tree } from './helpers/project.js';

let service: ArtifactService;
let api: GitHubApi;
let eventPath: string;

const RUN_NUMBER = '4242';
const PR = 7;
const MARKER_START = '<!-- orchestrator-report';

/**
 * An offline model step, a cmd step that refuses one document (exit 3), and a final offline model
 * step: the final output holds the document, so untrusted text reaches the summary and the comment.
 */
const CONFIG = {
  steps: [
    { type: 'openai', name: 'draft', prompt: 'Summarise this document:\n{{{doc}}}' },
    {
      type: 'check',
      name: 'check',
      cmd: 'input=$(cat); case "$input" in *REFUSE*) echo "check: document refused" >&2; exit 3;; esac; printf "%s\\n" "$input"',
    },
    { type: 'openai', name: 'final', prompt: 'Final answer:' },
  ],
};

const DOCS: Record<string, string> = {
  'docs/1-plain.md': 'A plain first document.',
  'docs/2-evil.md': 'Evil: <img src=x onerror=alert(1)> </details></pre> cc @octocat | pipe',
  'docs/3-refused.md': 'Please REFUSE this one.',
  'docs/4.md': 'Fourth.',
  'docs/5.md': 'Fifth.',
  'docs/6.md': 'Sixth.',
  'docs/7.md': 'Seventh.',
};

/** A fresh machine's checkout: config.json, the documents and docs.txt listing them. */
function workspace(): string {
  return realpathSync(project(CONFIG, keyFiles('docs.txt', DOCS)));
}

/** The environment of one job of the workflow run: its own job token for the shared artifact service. */
function job(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...service.env({ jobBackendId: randomUUID() }), GITHUB_RUN_ID: RUN_NUMBER, ...extra };
}

/** A report job on pull request #7 of o/r, talking to the loopback GitHub API. */
function prJob(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return job({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_REPOSITORY_OWNER: 'o',
    GITHUB_API_URL: api.url,
    GITHUB_WORKFLOW: 'orchestrate',
    GITHUB_JOB: 'report',
    ...extra,
  });
}

const count = (text: string, needle: string): number => text.split(needle).length - 1;
const ours = (): { id: number; body: string }[] => (api.comments.get(PR) ?? []).filter((c) => c.body.includes(MARKER_START));
const FLOW_IDS = Array.from({ length: 7 }, (_, i) => `flow_000${i + 1}`);

beforeAll(async () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(existsSync(ACTION_BUNDLE)).toBe(true);
  service = closeAfterAll(await startArtifactService());
  api = closeAfterAll(await startGitHubApi());
  const events = realpathSync(scratch({ 'event.json': JSON.stringify({ pull_request: { number: PR } }) }));
  eventPath = join(events, 'event.json');
});

let runId: string;
let include: { shard: string; flows: number }[];
let legs: ActionResult[];
let report: ActionResult;

test('plan: a matrix of 3 legs over 7 flows and the run id', async () => {
  const plan = await runAction(
    { mode: 'plan', config: 'config.json', keys: 'doc:docs.txt', shards: '3' },
    { workspace: workspace(), env: job() },
  );
  expect(annotations(plan, 'error')).toEqual([]);
  expect(plan.code).toBe(0);
  runId = plan.outputs['run-id']!;
  expect(runId).toBe(`run_gh${RUN_NUMBER}`);
  const matrix = JSON.parse(plan.outputs.matrix!);
  expect(matrix).toEqual({
    include: [
      { shard: '1/3', flows: 3 },
      { shard: '2/3', flows: 2 },
      { shard: '3/3', flows: 2 },
    ],
  });
  include = matrix.include;
  expect(service.live()).toEqual([]); // plan uploads nothing
});

test('run: the 3 legs, each on a fresh machine with its own job token, upload one artifact each; the leg with the refused document fails', async () => {
  legs = await Promise.all(
    include.map(({ shard }) =>
      runAction(
        { config: 'config.json', keys: 'doc:docs.txt', offline: 'true', shard, 'run-id': runId },
        { workspace: workspace(), env: job(), timeoutMs: 40_000 },
      ),
    ),
  );
  expect(legs.map((l) => l.code)).toEqual([1, 0, 0]); // flow_0003 is in shard 1
  expect(legs.map((l) => l.outputs['run-id'])).toEqual([runId, runId, runId]);
  expect(legs.map((l) => l.outputs.failed)).toEqual(['1', '0', '0']);
  expect(legs.map((l) => l.outputs.succeeded)).toEqual(['2', '2', '2']);
  expect(annotations(legs[0]!, 'error').join('\n')).toMatch(/1 failed/);
  // each leg: its tree, and beside it its records for the report job
  expect(
    service
      .live()
      .map((a) => a.name)
      .sort(),
  ).toEqual([1, 2, 3].flatMap((i) => [`orchestrator-${runId}-shard-${i}-of-3`, `orchestrator-${runId}-shard-${i}-of-3-records`]));
});

/** Bytes the stand-in would serve for each of these artifacts (what a download of them costs). */
const served = (artifacts: StoredArtifact[]): number => artifacts.reduce((sum, a) => sum + writeZip(a.files, a.createdAt).length, 0);

test('report: downloads only the shards records, merges them, writes one summary, uploads the merged results, comments on the PR, and fails for the failed flow', async () => {
  const ws = workspace();
  const shardArtifacts = service.live();
  const downloadsBefore = service.downloads.length;
  report = await runAction({ mode: 'report', 'run-id': runId, comment: 'true' }, { workspace: ws, env: prJob(), timeoutMs: 40_000 });

  // what it fetched: the three records artifacts, no tree; a small share of every shard artifact's bytes
  const fetched = service.downloads.slice(downloadsBefore);
  const records = shardArtifacts.filter((a) => a.name.endsWith('-records'));
  expect(fetched.map((d) => d.name).sort()).toEqual(records.map((a) => a.name).sort());
  const fetchedBytes = fetched.reduce((sum, d) => sum + d.bytes, 0);
  expect(fetchedBytes).toBe(served(records));
  expect(fetchedBytes / served(shardArtifacts)).toBeLessThan(0.3);
  expect(report.stdout).toMatch(/Downloaded [\d.]+ kB \([\d.]+ %\) of the [\d.]+ kB this run's shard artifacts hold/);

  // exit 1: a flow failed and fail-on-error is on by default
  expect(report.code).toBe(1);
  const errors = annotations(report, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/1 failed and 0 cancelled of 7 results/);
  expect(annotations(report, 'warning')).toEqual([]);

  // the merged results.json: every flow, the refused one failed
  const resultsPath = report.outputs.results!;
  expect(resultsPath).toBe(join(ws, 'generated', runId, 'results.json'));
  const results = readJson(resultsPath);
  expect(results).toMatchObject({ run_id: runId, flows_total: 7, total: 7, succeeded: 6, failed: 1, cancelled: 0 });
  expect(results.flows.map((f: { id: string }) => f.id)).toEqual(FLOW_IDS);
  const refused = results.flows.find((f: { id: string }) => f.id === 'flow_0003');
  expect(refused).toMatchObject({ status: 'failed', keys: { doc: 'docs/3-refused.md' } });
  expect(refused.error).toMatch(/exit|3|refused/);
  expect(results.flows.find((f: { id: string }) => f.id === 'flow_0002').output).toContain('cc @octocat | pipe');
  // each leaf names the folder of its shard, named for the shard's tree artifact
  expect(results.flows.map((f: { tree: string }) => f.tree)).toEqual(
    [1, 1, 1, 2, 2, 3, 3].map((i) => `../${runId}-shards/orchestrator-${runId}-shard-${i}-of-3/${runId}`),
  );
  expect(report.outputs).toMatchObject({ 'run-id': runId, succeeded: '6', failed: '1', 'run-dir': join(ws, 'generated', runId) });
  // the merged output repeats no shard's tree: no flow directory
  expect(readdirSync(join(ws, 'generated', runId)).filter((n) => n.startsWith('flow_'))).toEqual([]);

  // one summary: title, totals, a row per flow, escaped
  expect(count(report.summary, `## orchestrator: ${runId}`)).toBe(1);
  expect(report.summary).toContain('(3 shards)');
  expect(report.summary).toMatch(/7 flows.*7 results.*6 succeeded.*1 failed.*0 cancelled/);
  const table = summaryRows(report.summary);
  expect([...table.keys()]).toEqual(FLOW_IDS);
  expect(table.get('flow_0003')).toMatch(/failed/);
  for (const id of FLOW_IDS.filter((id) => id !== 'flow_0003')) expect(table.get(id)).toMatch(/succeeded/);
  expect(report.summary).not.toMatch(/<img|@octocat|<\/details>/);
  // and it says where each leaf's files are
  expect(report.summary).toContain(
    `in its shard's artifact: orchestrator-${runId}-shard-1-of-3, orchestrator-${runId}-shard-2-of-3, orchestrator-${runId}-shard-3-of-3`,
  );

  // the merged artifact: <prefix>-<run_id>-merged, holding the merged output and no flow directory
  const merged = service.live().filter((a) => a.name === `orchestrator-${runId}-merged`);
  expect(merged).toHaveLength(1);
  const uploaded = [...merged[0]!.files.keys()].sort();
  expect(uploaded).toEqual(tree(join(ws, 'generated', runId)).map((p) => `${runId}/${p}`));
  expect(uploaded).toContain(`${runId}/report.html`);
  expect(uploaded.filter((p) => p.includes('/flow_'))).toEqual([]);
  expect(merged[0]!.size).toBeLessThan(served(shardArtifacts.filter((a) => !a.name.endsWith('-records'))));
  expect(JSON.parse(merged[0]!.files.get(`${runId}/results.json`)!.toString('utf8'))).toMatchObject({ total: 7, failed: 1 });

  // the comment on issue 7: marker, totals, one <details> per result, escaped
  const comments = api.comments.get(PR) ?? [];
  expect(comments).toHaveLength(1);
  const body = comments[0]!.body;
  const marker = body.split('\n')[0]!;
  expect(marker.startsWith(MARKER_START)).toBe(true);
  expect(marker).toMatch(/-->$/);
  expect(marker).toContain('orchestrate');
  expect(marker).toContain('report');
  expect(marker).toContain('config.json');
  expect(body).toMatch(/\*\*7 flows\*\* \(7 results\) · 6 succeeded · 1 failed · 0 cancelled/);
  expect(count(body, '<details>')).toBe(7);
  expect(count(body, '</details>')).toBe(7);
  for (const id of FLOW_IDS) expect(body).toContain(id);
  expect(body).toMatch(/❌[^\n]*flow_0003/);
  expect(body).not.toMatch(/<img|<\/pre><\/details>|@octocat/);
  expect(body).toMatch(/&lt;img src=x/);
  expect(body.length).toBeLessThanOrEqual(65_536);
  // created with the job's token
  const posts = api.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql');
  expect(posts).toHaveLength(1);
  expect(posts[0]!.path).toBe(`/repos/o/r/issues/${PR}/comments`);
  expect(posts[0]!.auth).toBe(`token ${FAKE_GITHUB_TOKEN}`);
  expect(stdoutWithoutMasks(report) + report.stderr + body).not.toContain(FAKE_GITHUB_TOKEN);
  // what a reader sees (entities decoded, as GitHub does before it links mentions) mentions nobody
  const seen = body
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  expect(seen).toContain('<img src=x onerror=alert(1)>');
  expect(seen).toMatch(/octocat/);
  expect(seen).not.toMatch(/(^|[^\w`])@octocat/);
});

test('report re-run: the comment is updated, not duplicated; the merged artifact is replaced', async () => {
  const before = api.comments.get(PR)![0]!;
  const again = await runAction(
    { mode: 'report', 'run-id': runId, comment: 'true' },
    { workspace: workspace(), env: prJob(), timeoutMs: 40_000 },
  );
  expect(again.code).toBe(1);
  expect(annotations(again, 'warning')).toEqual([]);
  const comments = api.comments.get(PR)!;
  expect(comments).toHaveLength(1);
  expect(ours()).toHaveLength(1);
  expect(comments[0]!.id).toBe(before.id);
  expect(api.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql')).toHaveLength(1);
  expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/repos/o/r/issues/comments/${before.id}`]);
  expect(service.live().filter((a) => a.name === `orchestrator-${runId}-merged`)).toHaveLength(1);
});

test('among 130 comments of others (two pages), ours is found and edited; a comment that only quotes the marker is left alone', async () => {
  const list = api.comments.get(PR)!;
  const mine = list[0]!;
  const marker = mine.body.split('\n')[0]!;
  const someone = { login: 'someone', type: 'User' };
  const now = new Date().toISOString();
  const others = Array.from({ length: 130 }, (_, i) => ({
    id: i + 1, // older than ours: ours is on the second page of 100
    body: i === 4 ? `Why does the bot write this?\n\n${marker}\n\nlooks odd` : `comment ${i + 1}`,
    user: someone,
    created_at: now,
    updated_at: now,
  }));
  list.unshift(...others);
  const quoted = others[4]!.body;
  const patches = api.requests.filter((r) => r.method === 'PATCH').length;
  try {
    const again = await runAction(
      { mode: 'report', 'run-id': runId, comment: 'true' },
      { workspace: workspace(), env: prJob(), timeoutMs: 40_000 },
    );
    expect(again.code).toBe(1);
    expect(annotations(again, 'warning')).toEqual([]);
    expect(list).toHaveLength(131);
    expect(list.find((c) => c.id === 5)!.body).toBe(quoted);
    expect(api.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql')).toHaveLength(1);
    expect(
      api.requests
        .filter((r) => r.method === 'PATCH')
        .slice(patches)
        .map((r) => r.path),
    ).toEqual([`/repos/o/r/issues/comments/${mine.id}`]);
    expect(api.requests.some((r) => r.method === 'GET' && r.query.page === '2')).toBe(true);
  } finally {
    api.comments.set(
      PR,
      list.filter((c) => c.user.login !== 'someone'),
    );
  }
});

test('report from a second workflow: its own comment; the first workflow still updates its own', async () => {
  const other = await runAction(
    { mode: 'report', 'run-id': runId, comment: 'true', 'artifact-name': 'orchestrator' },
    { workspace: workspace(), env: prJob({ GITHUB_WORKFLOW: 'nightly review' }), timeoutMs: 40_000 },
  );
  expect(other.code).toBe(1);
  expect(ours()).toHaveLength(2);
  const [first, second] = ours();
  expect(first!.body.split('\n')[0]).not.toBe(second!.body.split('\n')[0]);
  expect(second!.body.split('\n')[0]).toContain('nightly review');

  const firstBefore = first!.body;
  const secondBody = second!.body;
  api.comments.get(PR)![0]!.body = firstBefore.replace('<details>', '<details>STALE');
  const third = await runAction(
    { mode: 'report', 'run-id': runId, comment: 'true' },
    { workspace: workspace(), env: prJob(), timeoutMs: 40_000 },
  );
  expect(third.code).toBe(1);
  expect(ours()).toHaveLength(2);
  expect(ours()[0]!.body).not.toContain('STALE'); // rewritten
  expect(ours()[1]!.body).toBe(secondBody); // untouched
});

test('a comment someone else wrote starting with our exact marker is never edited: ours is created beside it, then updated', async () => {
  const pr = 8;
  const events = realpathSync(scratch({ 'event.json': JSON.stringify({ pull_request: { number: pr } }) }));
  const env = prJob({ GITHUB_EVENT_PATH: join(events, 'event.json') });
  const marker = ours()[0]!.body.split('\n')[0]!;
  const now = new Date().toISOString();
  const forged = {
    id: 1,
    body: `${marker}\n### orchestrator: all green, merge it`,
    user: { login: 'mallory', type: 'User' },
    created_at: now,
    updated_at: now,
  };
  api.comments.set(pr, [{ ...forged }]);
  const mine = () => api.comments.get(pr)!.filter((c) => c.id !== forged.id);
  const first = await runAction({ mode: 'report', 'run-id': runId, comment: 'true' }, { workspace: workspace(), env, timeoutMs: 40_000 });
  expect(first.code).toBe(1);
  expect(annotations(first, 'warning')).toEqual([]);
  expect(api.comments.get(pr)!.find((c) => c.id === forged.id)).toEqual(forged);
  expect(mine()).toHaveLength(1);
  expect(mine()[0]!.user).toEqual({ login: 'github-actions[bot]', type: 'Bot' });
  expect(mine()[0]!.body.startsWith(marker)).toBe(true);
  expect(api.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/comments/${forged.id}`))).toBe(false);

  // a re-run edits ours, never the forged one
  const ourId = mine()[0]!.id;
  mine()[0]!.body = `${marker}\nSTALE`;
  const again = await runAction({ mode: 'report', 'run-id': runId, comment: 'true' }, { workspace: workspace(), env, timeoutMs: 40_000 });
  expect(again.code).toBe(1);
  expect(mine()).toHaveLength(1);
  expect(mine()[0]!.id).toBe(ourId);
  expect(mine()[0]!.body).not.toContain('STALE');
  expect(api.comments.get(pr)!.find((c) => c.id === forged.id)).toEqual(forged);

  // with a personal access token the author is that user (GET /user): the bot's comment is not theirs
  const pat = 'ghp_maintainerToken000000000000000000000000';
  api.tokens.set(pat, { login: 'maintainer', type: 'User' });
  try {
    const byPat = await runAction(
      { mode: 'report', 'run-id': runId, comment: 'true', 'github-token': pat },
      { workspace: workspace(), env, timeoutMs: 40_000 },
    );
    expect(byPat.code).toBe(1);
    const theirs = mine().filter((c) => c.user.login === 'maintainer');
    expect(theirs).toHaveLength(1);
    expect(mine()).toHaveLength(2);
    expect(api.requests.some((r) => r.method === 'GET' && r.path === '/user' && r.auth === `token ${pat}`)).toBe(true);
  } finally {
    api.tokens.delete(pat);
  }
});

test('a fork PR: the read-only token cannot comment; report warns (pull-requests: write, fork) and does not fail for it', async () => {
  api.readOnly = true;
  try {
    const before = JSON.stringify([...api.comments]);
    const forked = await runAction(
      { mode: 'report', 'run-id': runId, comment: 'true', 'fail-on-error': 'false' },
      { workspace: workspace(), env: prJob({ GITHUB_WORKFLOW: 'from a fork' }), timeoutMs: 40_000 },
    );
    expect(annotations(forked, 'error')).toEqual([]);
    expect(forked.code).toBe(0);
    const warnings = annotations(forked, 'warning');
    expect(warnings.some((w) => /pull-requests: write/.test(w) && /fork/i.test(w))).toBe(true);
    expect(JSON.stringify([...api.comments])).toBe(before);
    // the rest of the report still happened
    expect(forked.summary).toMatch(/7 flows/);
    expect(forked.outputs.failed).toBe('1');

    // with fail-on-error on, the step fails for the failed flow only, not for the comment
    const failing = await runAction(
      { mode: 'report', 'run-id': runId, comment: 'true' },
      { workspace: workspace(), env: prJob({ GITHUB_WORKFLOW: 'from a fork' }), timeoutMs: 40_000 },
    );
    expect(failing.code).toBe(1);
    const errors = annotations(failing, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/1 failed/);
    expect(errors[0]).not.toMatch(/comment|403|forbidden|not accessible/i);
  } finally {
    api.readOnly = false;
  }
});

test('a shard whose tree artifact is gone but whose records are here: merged in full, with a warning that its files cannot be downloaded', async () => {
  const gone = service.live().find((a) => a.name === `orchestrator-${runId}-shard-2-of-3`)!;
  gone.deleted = true;
  const result = await runAction(
    { mode: 'report', 'run-id': runId, comment: 'true', 'fail-on-error': 'false' },
    { workspace: workspace(), env: prJob(), timeoutMs: 40_000 },
  );
  expect(result.code).toBe(0);
  expect(annotations(result, 'warning')).toEqual([
    expect.stringMatching(/shard 2\/3: its records .* are here but its tree .*-shard-2-of-3 is gone/),
  ]);
  expect(readJson(result.outputs.results!)).toMatchObject({ total: 7, succeeded: 6, failed: 1, cancelled: 0 });
});

test('a shard that left no artifact at all: the summary, a warning and the comment name it; its flows are cancelled; exit 1', async () => {
  // the tree went in the test before; now its records go too
  const gone = service.live().find((a) => a.name === `orchestrator-${runId}-shard-2-of-3-records`)!;
  gone.deleted = true;
  const ws = workspace();
  const result = await runAction(
    { mode: 'report', 'run-id': runId, comment: 'true', 'fail-on-error': 'true' },
    { workspace: ws, env: prJob(), timeoutMs: 40_000 },
  );
  expect(result.code).toBe(1);
  const warnings = annotations(result, 'warning');
  expect(warnings.some((w) => w.includes('2/3'))).toBe(true);
  expect(result.summary).toMatch(/2\/3/);
  expect(result.summary).toMatch(/shards? left no results/);
  const table = summaryRows(result.summary);
  expect([...table.keys()]).toEqual(FLOW_IDS);
  for (const id of ['flow_0004', 'flow_0005']) expect(table.get(id)).toMatch(/cancelled.*shard 2\/3 is missing/);
  const errors = annotations(result, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/shards? missing/);
  const results = readJson(result.outputs.results!);
  expect(results).toMatchObject({ flows_total: 7, total: 7, succeeded: 4, failed: 1, cancelled: 2 });
  // the comment of this workflow, updated in place, says so too
  expect(ours()).toHaveLength(2);
  expect(ours()[0]!.body).toMatch(/2\/3/);
  expect(ours()[0]!.body).toMatch(/\*\*7 flows\*\* \(7 results\) · 4 succeeded · 1 failed · 2 cancelled/);
});
