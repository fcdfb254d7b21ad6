/**
 * Files read back are data (issue 11.5): `report` (CLI), the Action's report mode (a downloaded
 * artifact) and a run assembling results.json check every field of run.json, the shard records and
 * each result.json, and escape every field they render. A tampered tree is refused or its leaf
 * fails naming the file and field; nothing is written outside --output; no HTML or mention gets out.
 */
import { cpSync, existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { annotations, runAction, summaryRows } from './helpers/action.js';
import { startArtifactService } from './helpers/artifact-service.js';
import { expectExit, readJson } from './helpers/cli.js';
import { orchestrateInProcess, runCliInProcess } from './helpers/cli-inprocess.js';
import { closeAfterAll, docProject, scratch, tree } from './helpers/project.js';

const CONFIG = [{ type: 'openai', name: 'draft', prompt: 'Summarise {{{DOC}}}' }];
const HTML = '<img src=x onerror=alert(1)>';

/** A real offline run of 4 flows: generated/run_t in a fresh project. */
async function realRun(): Promise<string> {
  const dir = docProject(CONFIG, 4);
  const run = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline']);
  expectExit(run, 0);
  return run.runDir;
}

const edit = (path: string, change: (value: any) => void): void => {
  const value = JSON.parse(readFileSync(path, 'utf8'));
  change(value);
  writeFileSync(path, JSON.stringify(value));
};

/** Rewrites leaves as an attacker would: HTML and mentions in an error and a key, a non-number, a foreign id. */
function tamperLeaves(runDir: string): void {
  edit(join(runDir, 'flow_0001', 'result.json'), (r) => {
    r.status = 'failed';
    r.output = null;
    r.error = `${HTML} cc @admin`;
    r.keys = { [`DOC${HTML}`]: `docs/@admin${HTML}.txt` };
  });
  edit(join(runDir, 'flow_0002', 'result.json'), (r) => (r.usage.input_tokens = '1e309'));
  edit(join(runDir, 'flow_0003', 'result.json'), (r) => (r.id = `flow_0003${HTML}@admin`));
  writeFileSync(
    join(runDir, 'flow_0004', 'result.json'),
    readFileSync(join(runDir, 'flow_0004', 'result.json'), 'utf8').replace(/"duration_ms": ?\d+/, '"duration_ms": 1e309'),
  );
}

/** No raw tag, no live @mention in rendered Markdown. */
function expectInert(markdown: string): void {
  expect(markdown).not.toMatch(/<img/i);
  expect(markdown).not.toMatch(/(^|[^\w`;])@admin/);
  expect(markdown).toContain('admin'); // shown, escaped
}

describe('CLI report', () => {
  test('a run_id of "../../x" in run.json and the shard record is refused (exit 2, naming file and field); nothing is written outside --output', async () => {
    const runDir = await realRun();
    const shards = scratch();
    const copy = join(shards, 'a', 'b', 'run_t');
    cpSync(runDir, copy, { recursive: true });
    for (const file of ['run.json', 'shards/1-of-1.json']) edit(join(copy, file), (r) => (r.run_id = '../../x'));
    const out = join(shards, 'out', 'deeper');
    const before = tree(shards);
    const result = await runCliInProcess(['report', join(shards, 'a'), '--output', out], { cwd: shards });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/1-of-1\.json: field "run_id" must be a run id/);
    expect(result.stdout).toBe('');
    expect(tree(shards)).toEqual(before);
    expect(existsSync(join(shards, 'x'))).toBe(false);
    expect(existsSync(join(dirname(out), 'x'))).toBe(false);
  });

  test.each([
    ['shard.index', (r: any) => (r.shard.index = 0)],
    ['flows.total', (r: any) => (r.flows.total = '4')],
    ['config.hash', (r: any) => (r.config = { file: 'config.json', hash: 7 })],
  ])('a shard record with a bad %s is refused naming the field', async (field, change) => {
    const runDir = await realRun();
    edit(join(runDir, 'shards', '1-of-1.json'), change);
    const result = await runCliInProcess(['report', dirname(runDir)], { cwd: dirname(runDir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`field "${field}"`);
  });

  test('tampered result.json files: HTML and @mentions are escaped, a non-number or a foreign id fails that leaf naming file and field', async () => {
    const runDir = await realRun();
    tamperLeaves(runDir);
    // the leaves are read when the run left no results.json (killed mid-run): else its records are
    rmSync(join(runDir, 'results.json'));
    const result = await runCliInProcess(['report', dirname(runDir)], { cwd: dirname(runDir) });
    expect(result.code).toBe(1);
    expectInert(result.stdout);
    const rows = summaryRows(result.stdout);
    expect([...rows.keys()]).toEqual(['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004']);
    expect(rows.get('flow_0002')).toMatch(
      /failed.*flow&#95;0002\/result\.json&#58; field &quot;usage\.input&#95;tokens&quot; must be a finite number/,
    );
    expect(rows.get('flow_0003')).toMatch(/failed.*flow&#95;0003\/result\.json&#58; field &quot;id&quot;/);
    expect(rows.get('flow_0004')).toMatch(/failed.*field &quot;duration&#95;ms&quot;/);
    const results = readJson(join(runDir, 'results.json'));
    expect(results).toMatchObject({ total: 4, succeeded: 0, failed: 4 });
    expect(Number.isFinite(results.usage.input_tokens)).toBe(true);
    expect(results.flows.map((f: any) => f.id)).toEqual(['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004']);
  });

  test('a tampered results.json whose counts still add up: HTML and @mentions in its fields are escaped; a foreign step directory is refused', async () => {
    const runDir = await realRun();
    const path = join(runDir, 'results.json');
    edit(path, (r) => {
      r.flows[0].output = `${HTML} cc @admin`;
      r.flows[1].keys = { [`DOC${HTML}`]: `docs/@admin${HTML}.txt` };
    });
    const result = await runCliInProcess(['report', dirname(runDir)], { cwd: dirname(runDir) });
    expect(result.code).toBe(0);
    expectInert(result.stdout);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).not.toContain(HTML);
    edit(path, (r) => (r.flows[2].steps[0].dir = '../../etc'));
    const refused = await runCliInProcess(['report', dirname(runDir)], { cwd: dirname(runDir) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/results\.json: flows\[2\]: field "steps\[0\]\.dir" must be a step directory of this leaf/);
  });
});

test("run: a step that rewrites an earlier flow's result.json changes nothing the run reports (results.json, report.html, report)", async () => {
  const forged = JSON.stringify({
    id: 'flow_0002',
    branch: [],
    keys: {},
    status: 'succeeded',
    output: '@admin',
    final_message: null,
    error: null,
    duration_ms: 1,
    usage: { input_tokens: 1, output_tokens: 1 },
    steps: [],
  });
  const config = [
    { type: 'openai', name: 'draft', prompt: 'Summarise {{{DOC}}}' },
    {
      type: 'forge',
      name: 'forge',
      cmd: `if [ -e generated/run_t/flow_0001/result.json ]; then printf '%s' '${forged}' > generated/run_t/flow_0001/result.json; fi; cat`,
    },
  ];
  const dir = docProject(config, 2);
  const run = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline', '--parallel', '1']);
  // the run's results.json and report.html are made from what the run wrote as each leaf ended
  // (its spool), not from the leaves' files read back: the forgery does not reach them
  expectExit(run, 0);
  expect(run.results.flows.map((f: any) => [f.id, f.status, f.output])).toEqual([
    ['flow_0001', 'succeeded', expect.stringContaining('Summarise')],
    ['flow_0002', 'succeeded', expect.stringContaining('Summarise')],
  ]);
  const page = readFileSync(join(run.runDir, 'report.html'), 'utf8');
  const rows = JSON.parse(/<script type="application\/json" id="leaves">(.*?)<\/script>/s.exec(page)![1]!);
  expect(rows.map((row: unknown[]) => [row[0], row[3], row[6]])).toEqual([
    ['flow_0001', 0, 'Summarise doc-1'],
    ['flow_0002', 0, 'Summarise doc-2'],
  ]);
  // `report` merges the run's results.json: it agrees (a forged result.json read from disk fails its
  // leaf naming the file: the tests above, and --resume's)
  const report = await runCliInProcess(['report', 'generated', '--format', 'json'], { cwd: dir });
  expect(JSON.parse(report.stdout).flows.map((f: any) => [f.id, f.status])).toEqual([
    ['flow_0001', 'succeeded'],
    ['flow_0002', 'succeeded'],
  ]);
});

test('Action report mode: a tampered artifact is refused (run_id "../../x") or rendered inert (HTML, @mentions, non-numbers)', async () => {
  const runDir = await realRun();
  const service = closeAfterAll(await startArtifactService());
  const files = (root: string): Record<string, Buffer> => {
    const out: Record<string, Buffer> = {};
    for (const path of tree(root)) out[`run_gh77/${path}`] = readFileSync(join(root, path));
    return out;
  };
  const retag = (path: string): void => edit(path, (r) => (r.run_id = 'run_gh77'));
  retag(join(runDir, 'run.json'));
  retag(join(runDir, 'shards', '1-of-1.json'));
  tamperLeaves(runDir);
  service.seed('orchestrator-run_gh77-all', files(runDir));
  const ws = realpathSync(scratch({ 'README.md': 'checkout' }));
  const env = { ...service.env(), GITHUB_RUN_ID: '77' };

  const report = await runAction({ mode: 'report' }, { workspace: ws, env });
  expect(report.code).toBe(1);
  expectInert(report.summary);
  const rows = summaryRows(report.summary);
  expect(rows.get('flow_0002')).toMatch(/field &quot;usage\.input&#95;tokens&quot;/);
  expect(rows.get('flow_0003')).toMatch(/field &quot;id&quot;/);
  expect(report.outputs['input-tokens']).toMatch(/^\d+$/);
  expect(report.outputs.failed).toBe('4');

  // the same artifact, its run_id pointing out of the workspace: refused, nothing written there
  for (const file of ['run.json', 'shards/1-of-1.json']) edit(join(runDir, file), (r) => (r.run_id = '../../x'));
  for (const a of service.live()) a.deleted = true;
  service.seed('orchestrator-run_gh77-all', files(runDir));
  const fresh = realpathSync(scratch({ 'README.md': 'checkout' }));
  const parent = dirname(fresh);
  const before = existsSync(join(parent, 'x'));
  const refused = await runAction({ mode: 'report' }, { workspace: fresh, env });
  expect(refused.code).toBe(1);
  expect(annotations(refused, 'error').join('\n')).toMatch(/shards\/1-of-1\.json: field "run_id" must be a run id/);
  expect(existsSync(join(parent, 'x'))).toBe(before);
  expect(existsSync(join(fresh, 'generated'))).toBe(false);
});
