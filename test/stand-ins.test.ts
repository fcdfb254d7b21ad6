/**
 * Proves the loopback stand-ins (test/helpers/artifact-service.ts, test/helpers/github-api.ts) with
 * the real clients, `@actions/artifact` 6 and `@actions/github` 9, each run in a child Node process
 * (both read their configuration from the environment, @actions/github at import time).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { crc32, readZip, readZipEntries, startArtifactService, writeZip, type ArtifactService } from './helpers/artifact-service.js';
import { startGitHubApi, type GitHubApi } from './helpers/github-api.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MARK = '@@RESULT@@';

/** env without the runner's own ACTIONS_/GITHUB_ variables */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(ACTIONS_|GITHUB_|INPUT_|RUNNER_)/.test(k)) continue;
    env[k] = v;
  }
  // jest sets NODE_OPTIONS=--experimental-vm-modules; the child does not need it
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

/**
 * Runs an ESM snippet with cwd = the project (so bare imports resolve from its node_modules). The
 * snippet calls `done(value)`; the value comes back parsed.
 */
function runNode(code: string, env: Record<string, string>, timeoutMs = 45_000): Promise<any> {
  const script = `const done = (v) => { process.stdout.write('\\n${MARK}' + JSON.stringify(v) + '\\n'); };\n${code}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) {
        reject(new Error(`child exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        return;
      }
      resolvePromise(JSON.parse(line.slice(MARK.length)));
    });
  });
}

/**
 * A tiny interpreter run in the child: a list of artifact operations, each result captured
 * (`{ok, value}` or `{ok: false, error}`), so one process can walk a whole scenario.
 */
const ARTIFACT_OPS = `
import { DefaultArtifactClient } from '@actions/artifact';
const client = new DefaultArtifactClient();
const ops = JSON.parse(process.env.OPS);
const results = [];
let lastId;
for (const op of ops) {
  try {
    let value;
    if (op.op === 'upload') value = await client.uploadArtifact(op.name, op.files, op.root, op.options ?? {});
    else if (op.op === 'delete') value = await client.deleteArtifact(op.name);
    else if (op.op === 'list') value = await client.listArtifacts({ latest: op.latest });
    else if (op.op === 'get') { value = await client.getArtifact(op.name); lastId = value.artifact.id; }
    else if (op.op === 'download') value = await client.downloadArtifact(op.id ?? lastId, { path: op.path });
    results.push({ ok: true, value });
  } catch (e) {
    results.push({ ok: false, error: String(e && e.message ? e.message : e) });
  }
}
done(results);
`;

function runArtifactOps(service: ArtifactService, ops: unknown[], extraEnv: Record<string, string> = {}) {
  return runNode(ARTIFACT_OPS, { ...service.env(), OPS: JSON.stringify(ops), ...extraEnv });
}

const FILES: Record<string, string | Buffer> = {
  'results.json': JSON.stringify({ flows: [{ id: 'a', status: 'succeeded' }] }, null, 2),
  'run.json': '{"run_id":"run_x"}\n',
  'flows/a/final.txt': 'final message ünïcødé ✓\n',
  'flows/a/steps/01-model/output.txt': 'x'.repeat(200_000), // compresses well
  'flows/b/empty.txt': '',
  'flows/b/binary.bin': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
};

function writeTree(root: string, files: Record<string, string | Buffer>): string[] {
  const paths: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    paths.push(abs);
  }
  return paths;
}

const asBuf = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v) : v);

describe('zip reader / writer', () => {
  it('crc32 matches zlib.crc32', () => {
    for (const s of ['', 'a', 'hello world', 'x'.repeat(10_000)]) {
      expect(crc32(Buffer.from(s))).toBe(zlib.crc32(Buffer.from(s)));
    }
  });

  it('round-trips files, including empty and binary ones', () => {
    const zip = writeZip(FILES);
    const back = readZip(zip);
    expect([...back.keys()].sort()).toEqual(Object.keys(FILES).sort());
    for (const [k, v] of Object.entries(FILES)) expect(back.get(k)!.equals(asBuf(v))).toBe(true);
  });

  it('rejects garbage and detects corruption', () => {
    expect(() => readZip(Buffer.from('not a zip at all, not even close'))).toThrow(/end of central directory/);
    const zip = writeZip({ 'a.txt': 'some text that will be deflated' });
    const bad = Buffer.from(zip);
    bad[40] = bad[40]! ^ 0xff; // inside the deflated data of the only entry
    expect(() => readZip(bad)).toThrow();
  });
});

describe('artifact service stand-in with @actions/artifact 6', () => {
  let service: ArtifactService;
  let tmp: string;

  beforeAll(async () => {
    service = await startArtifactService();
    tmp = mkdtempSync(join(tmpdir(), 'stand-ins-'));
  });
  afterAll(async () => {
    await service.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has a token whose scp names the run and job, and a results URL with a trailing slash', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const payload = JSON.parse(Buffer.from(service.token.split('.')[1]!, 'base64url').toString());
    expect(payload.scp).toContain(`Actions.Results:${service.runBackendId}:${service.jobBackendId}`);
    expect(service.env()).toMatchObject({ ACTIONS_RESULTS_URL: service.url, ACTIONS_RUNTIME_TOKEN: service.token });
  });

  it('upload, 409 on the same name, delete, re-upload, list, get, download', async () => {
    const src = join(tmp, 'src');
    const paths = writeTree(src, FILES);
    const name = 'orchestrator-run_x-all';
    const dl = join(tmp, 'download');
    const results = await runArtifactOps(service, [
      { op: 'upload', name, files: paths, root: src },
      { op: 'upload', name, files: paths, root: src },
      { op: 'delete', name },
      { op: 'upload', name, files: paths, root: src },
      { op: 'list', latest: true },
      { op: 'get', name },
      { op: 'download', path: dl },
      { op: 'delete', name: 'no-such-artifact' },
    ]);
    const [up1, up2, del, up3, list, get, down, delMissing] = results;

    expect(up1).toMatchObject({ ok: true });
    expect(up1.value.id).toBe(1);
    expect(up1.value.size).toBeGreaterThan(0);
    expect(up2.ok).toBe(false);
    expect(up2.error).toMatch(/409/);
    expect(up2.error).toMatch(/already exists/);
    expect(del).toEqual({ ok: true, value: { id: 1 } });
    expect(up3).toMatchObject({ ok: true, value: { id: 2 } });

    expect(list.ok).toBe(true);
    expect(list.value.artifacts).toHaveLength(1);
    expect(list.value.artifacts[0]).toMatchObject({ name, id: 2 });
    expect(new Date(list.value.artifacts[0].createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(get).toMatchObject({ ok: true, value: { artifact: { name, id: 2 } } });
    expect(down).toMatchObject({ ok: true, value: { downloadPath: dl } });
    expect(delMissing.ok).toBe(false);
    expect(delMissing.error).toMatch(/not found/i);

    // what the service holds
    expect(service.artifacts.map((a) => [a.id, a.name, a.deleted])).toEqual([
      [1, name, true],
      [2, name, false],
    ]);
    expect(service.live().map((a) => a.id)).toEqual([2]);
    const stored = service.live()[0]!;
    expect([...stored.files.keys()].sort()).toEqual(Object.keys(FILES).sort());
    for (const [k, v] of Object.entries(FILES)) expect(stored.files.get(k)!.equals(asBuf(v))).toBe(true);
    expect(stored.size).toBe(up3.value.size);
    expect(stored.workflowRunBackendId).toBe(service.runBackendId);
    expect(stored.workflowJobRunBackendId).toBe(service.jobBackendId);

    // the zip as archiver wrote it: deflated entries with data descriptors (flag bit 3)
    expect(readZipEntries(stored.zip!).every((e) => e.method === 8 && (e.flags & 8) === 8)).toBe(true);
    // the blob protocol: per upload one Put Block and one Put Block List, no Authorization (SAS only)
    expect(service.blobRequests.map((b) => [b.method, b.query.comp, b.status])).toEqual([
      ['PUT', 'block', 201],
      ['PUT', 'blocklist', 201],
      ['PUT', 'block', 201],
      ['PUT', 'blocklist', 201],
    ]);
    expect(service.blobRequests[1]!.headers['x-ms-blob-content-type']).toBe('application/zip');
    expect(service.blobRequests.every((b) => b.headers.authorization === undefined)).toBe(true);

    // what came back to disk
    for (const [k, v] of Object.entries(FILES)) expect(readFileSync(join(dl, k)).equals(asBuf(v))).toBe(true);

    // the Twirp calls, in the client's order
    expect(service.calls.map((c) => c.method)).toEqual([
      'CreateArtifact',
      'FinalizeArtifact',
      'CreateArtifact', // 409
      'ListArtifacts',
      'DeleteArtifact',
      'CreateArtifact',
      'FinalizeArtifact',
      'ListArtifacts',
      'ListArtifacts',
      'ListArtifacts',
      'GetSignedArtifactURL',
      'ListArtifacts', // delete of a missing name stops after the list
    ]);
    const create = service.calls[0]!.body;
    expect(create).toMatchObject({
      workflow_run_backend_id: service.runBackendId,
      workflow_job_run_backend_id: service.jobBackendId,
      name,
      version: 7,
      mime_type: 'application/zip',
    });
    const finalize = service.calls[1]!.body;
    expect(finalize.size).toBe(String(up1.value.size));
    expect(finalize.hash).toBe(`sha256:${up1.value.digest}`);
  });

  // Quirk of @actions/artifact 6: a directory listed in `files` is appended to the zip as an empty
  // FILE named after it (no trailing slash), so the service (like GitHub) stores a 0-byte file.
  it('reads stored (level 0, data-descriptor) uploads; a listed directory becomes an empty file', async () => {
    const src = join(tmp, 'src0');
    const big = randomBytes(9 * 1024 * 1024); // > the client's 8 MiB block size: two blocks
    const paths = writeTree(src, { 'a.txt': 'alpha', 'deep/er/b.txt': 'beta', 'big.bin': big });
    const before = service.blobRequests.length;
    mkdirSync(join(src, 'emptydir'));
    const results = await runArtifactOps(service, [
      { op: 'upload', name: 'stored', files: [...paths, join(src, 'emptydir')], root: src, options: { compressionLevel: 0 } },
    ]);
    expect(results[0]).toMatchObject({ ok: true });
    const a = service.live().find((x) => x.name === 'stored')!;
    expect(a.files.get('big.bin')!.equals(big)).toBe(true);
    a.files.delete('big.bin');
    expect(Object.fromEntries([...a.files].map(([k, v]) => [k, v.toString()]))).toEqual({
      'a.txt': 'alpha',
      'deep/er/b.txt': 'beta',
      emptydir: '',
    });
    // level 0 makes archiver STORE; entries streamed from files carry data descriptors (flag bit 3),
    // the appended '' of the directory does not. (Entry order varies: archiver stats files
    // concurrently, so sort.)
    const entries = readZipEntries(a.zip!).map((e) => [e.name, e.method, e.flags & 8] as const);
    expect(entries.sort((x, y) => x[0].localeCompare(y[0]))).toEqual([
      ['a.txt', 0, 8],
      ['big.bin', 0, 8],
      ['deep/er/b.txt', 0, 8],
      ['emptydir', 0, 0],
    ]);
    const blocks = service.blobRequests.slice(before);
    // blocks go up concurrently and may arrive in any order; the list comes last
    expect(blocks.map((b) => b.query.comp)).toEqual(['block', 'block', 'blocklist']);
    expect(blocks.slice(0, 2).some((b) => b.size === 8 * 1024 * 1024)).toBe(true);
  });

  it('serves a seeded artifact from an earlier job to get + download, and lists by name and id', async () => {
    const seeded = service.seed(
      'orchestrator-run_x-shard-1-of-2',
      { 'flows/a/final.txt': 'from shard 1', 'x/y/z.bin': Buffer.from([0, 1, 2, 255]) },
      {
        jobBackendId: 'job-shard-1',
        createdAt: new Date('2024-05-06T07:08:09.000Z'),
      },
    );
    expect(seeded.workflowJobRunBackendId).toBe('job-shard-1');
    expect(seeded.size).toBe(writeZip(seeded.files, seeded.createdAt).length);
    const dl = join(tmp, 'seed-download');
    // a different job of the same run (as a report job would be) sees it
    const results = await runArtifactOps(
      service,
      [
        { op: 'get', name: seeded.name },
        { op: 'download', path: dl },
        { op: 'list', latest: false },
      ],
      { ACTIONS_RUNTIME_TOKEN: service.tokenFor('job-report') },
    );
    expect(results[0]).toMatchObject({ ok: true, value: { artifact: { id: seeded.id, name: seeded.name } } });
    expect(new Date(results[0].value.artifact.createdAt).toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect(results[1]).toMatchObject({ ok: true });
    expect(readFileSync(join(dl, 'flows/a/final.txt'), 'utf8')).toBe('from shard 1');
    expect([...readFileSync(join(dl, 'x/y/z.bin'))]).toEqual([0, 1, 2, 255]);
    expect(results[2].value.artifacts.map((x: any) => x.name).sort()).toEqual(
      ['orchestrator-run_x-all', 'orchestrator-run_x-shard-1-of-2', 'stored'].sort(),
    );
  });

  it('answers the Twirp methods directly: filters, 404s, 401 and the blob protocol', async () => {
    const twirp = (method: string, body: unknown, auth = `Bearer ${service.token}`): Promise<Response> =>
      fetch(`${service.url}twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(body),
      });
    const twirpJson = async (method: string, body: unknown): Promise<any> => (await twirp(method, body)).json();
    const ids = { workflow_run_backend_id: service.runBackendId, workflow_job_run_backend_id: service.jobBackendId };

    const byName = await twirpJson('ListArtifacts', { ...ids, name_filter: 'stored' });
    expect(byName.artifacts).toHaveLength(1);
    expect(byName.artifacts[0]).toMatchObject({ name: 'stored', database_id: expect.any(String) });
    expect(byName.artifacts[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const byId = await twirpJson('ListArtifacts', { ...ids, id_filter: '2' });
    expect(byId.artifacts.map((a: any) => a.database_id)).toEqual(['2']);
    const otherRun = await twirpJson('ListArtifacts', { ...ids, workflow_run_backend_id: 'other' });
    expect(otherRun.artifacts).toEqual([]);

    const del = await twirp('DeleteArtifact', { ...ids, name: 'nope' });
    expect(del.status).toBe(404);
    expect(await del.json()).toMatchObject({ code: 'not_found' });
    expect((await twirp('ListArtifacts', ids, '')).status).toBe(401);

    // Put Blob (single PUT) instead of blocks
    const created = await twirpJson('CreateArtifact', { ...ids, name: 'put-blob', version: 7 });
    expect(created.ok).toBe(true);
    const put = await fetch(created.signed_upload_url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: writeZip({ 'one.txt': '1' }),
    });
    expect(put.status).toBe(201);
    const fin = await twirpJson('FinalizeArtifact', { ...ids, name: 'put-blob', size: '1' });
    expect(fin).toMatchObject({ ok: true, artifact_id: expect.any(String) });
    const stored = service.live().find((a) => a.name === 'put-blob')!;
    expect(stored.files.get('one.txt')!.toString()).toBe('1');
    expect(String(stored.id)).toBe(fin.artifact_id);

    const signed = await twirpJson('GetSignedArtifactURL', { ...ids, name: 'put-blob' });
    const got = await fetch(signed.signed_url);
    expect(got.headers.get('content-type')).toBe('application/zip');
    const entries = readZipEntries(Buffer.from(await got.arrayBuffer()));
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual([['one.txt', '1']]);
    expect((await fetch(signed.signed_url.replace(/sig=[^&]+/, 'sig=wrong'))).status).toBe(403);
  });
});

describe('GitHub REST stand-in with @actions/github 9', () => {
  let gh: GitHubApi;
  beforeAll(async () => {
    gh = await startGitHubApi();
  });
  afterAll(async () => {
    await gh.close();
  });

  const run = (code: string, extra: Record<string, string> = {}) =>
    runNode(
      `import { getOctokit } from '@actions/github';
const octokit = getOctokit('ghs_faketoken');
const cap = async (f) => { try { return { ok: true, value: await f() }; } catch (e) { return { ok: false, status: e.status, message: e.message }; } };
const repo = { owner: 'acme', repo: 'widgets' };
${code}`,
      { GITHUB_API_URL: gh.url, ...extra },
    );

  it('creates, lists (paginated) and updates comments; 422 over 65,536 characters', async () => {
    const r = await run(`
const created = await cap(() => octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'hello <!-- marker -->' }));
for (let i = 0; i < 34; i++) await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'filler ' + i });
const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: 7, per_page: 10 });
const firstPage = await octokit.rest.issues.listComments({ ...repo, issue_number: 7, per_page: 10 });
const updated = await cap(() => octokit.rest.issues.updateComment({ ...repo, comment_id: created.value.data.id, body: 'updated' }));
const exact = await cap(() => octokit.rest.issues.createComment({ ...repo, issue_number: 8, body: 'y'.repeat(65536) }));
const tooLong = await cap(() => octokit.rest.issues.createComment({ ...repo, issue_number: 8, body: 'y'.repeat(65537) }));
const tooLongPatch = await cap(() => octokit.rest.issues.updateComment({ ...repo, comment_id: created.value.data.id, body: 'y'.repeat(65537) }));
const missing = await cap(() => octokit.rest.issues.updateComment({ ...repo, comment_id: 999999, body: 'x' }));
const artifacts = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { ...repo, run_id: 42 });
done({ created: created.value.data, status: created.value.status, n: all.length, bodies: all.map(c => c.body),
  link: firstPage.headers.link, pageLen: firstPage.data.length, updated: updated.value.data, exact: exact.ok,
  tooLong, tooLongPatch, missing, artifacts: artifacts.data });
`);
    expect(r.status).toBe(201);
    expect(r.created).toMatchObject({ body: 'hello <!-- marker -->', user: { login: 'github-actions[bot]', type: 'Bot' } });
    expect(r.n).toBe(35);
    expect(r.bodies[0]).toBe('hello <!-- marker -->');
    expect(r.pageLen).toBe(10);
    expect(r.link).toMatch(/page=2>; rel="next"/);
    expect(r.link).toMatch(/page=4>; rel="last"/);
    expect(r.updated).toMatchObject({ id: r.created.id, body: 'updated' });
    expect(r.exact).toBe(true);
    expect(r.tooLong).toMatchObject({ ok: false, status: 422 });
    expect(r.tooLong.message).toMatch(/too long/);
    expect(r.tooLongPatch).toMatchObject({ ok: false, status: 422 });
    expect(r.missing).toMatchObject({ ok: false, status: 404 });
    expect(r.artifacts).toEqual({ total_count: 0, artifacts: [] });

    expect(gh.comments.get(7)!.map((c) => c.body)[0]).toBe('updated');
    expect(gh.comments.get(7)).toHaveLength(35);
    expect(gh.comments.get(8)!.map((c) => c.body.length)).toEqual([65536]);
    const post = gh.requests.find((q) => q.method === 'POST')!;
    expect(post).toMatchObject({ path: '/repos/acme/widgets/issues/7/comments', body: { body: 'hello <!-- marker -->' } });
    expect(post.auth).toBe('token ghs_faketoken');
  });

  it('refuses writes with 403 when readOnly, still allows reads', async () => {
    gh.readOnly = true;
    try {
      const r = await run(`
const post = await cap(() => octokit.rest.issues.createComment({ ...repo, issue_number: 9, body: 'x' }));
const patch = await cap(() => octokit.rest.issues.updateComment({ ...repo, comment_id: 1001, body: 'x' }));
const list = await cap(() => octokit.rest.issues.listComments({ ...repo, issue_number: 7 }));
done({ post, patch, listOk: list.ok, listLen: list.value?.data.length });
`);
      expect(r.post).toMatchObject({ ok: false, status: 403 });
      expect(r.post.message).toMatch(/Resource not accessible by integration/);
      expect(r.patch).toMatchObject({ ok: false, status: 403 });
      expect(r.listOk).toBe(true);
      expect(r.listLen).toBe(30);
      expect(gh.comments.get(9)).toBeUndefined();
    } finally {
      gh.readOnly = false;
    }
  });

  it('answers unknown routes with a 404 JSON body', async () => {
    const res = await fetch(`${gh.url}/repos/acme/widgets/pulls/1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
  });
});
