/**
 * `orchestrator report` reads records, not trees (issue #17): each shard's results.json when it is
 * whole and agrees with the shard's record, its leaves otherwise; `--output` writes the merged
 * results and records without copying flow directories (each leaf names its shard's folder, and
 * report.html reads its texts there); `--copy-trees` copies them, never a symbolic link.
 */
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, readJson, type CliResult } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { docProject, scratch, tree } from './helpers/project.js';

const RUN = 'run_rec';
const CONFIG = [{ type: 'openai', name: 'draft', prompt: 'Summarise {{{doc}}}' }];

let base: string;
const cli = (cwd: string, args: string[]): Promise<CliResult> => runCliInProcess(args, { cwd, env: baseEnv(), timeoutMs: 30_000 });

beforeAll(async () => {
  base = docProject(CONFIG, 5);
  const runs = await Promise.all(
    [1, 2].map((i) =>
      cli(base, ['config.json', '--key', 'doc:docs.list', '--offline', '--run-id', RUN, '--shard', `${i}/2`, '--output', `s${i}`]),
    ),
  );
  for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
});

/** A fresh copy of the two shard folders (tests change them). */
function shards(): string {
  const dir = scratch();
  for (const i of [1, 2]) cpSync(join(base, `s${i}`), join(dir, `s${i}`), { recursive: true });
  return dir;
}

const leafFile = (dir: string, shard: number, flow: string): string => join(dir, `s${shard}`, RUN, flow, 'result.json');

test('--output writes the merged results and records, no flow directory; each leaf names its shard folder; report.html reads the texts there', async () => {
  const dir = shards();
  const report = await cli(dir, ['report', 's1', 's2', '--output', 'merged']);
  expect(report.code).toBe(0);
  const merged = join(dir, 'merged', RUN);
  expect(readdirSync(merged).sort()).toEqual(['report.html', 'results.json', 'run.json', 'shards']);
  expect(readdirSync(join(merged, 'shards')).sort()).toEqual(['1-of-2.json', '2-of-2.json']);
  const results = readJson(join(merged, 'results.json'));
  expect(results).toMatchObject({ run_id: RUN, total: 5, succeeded: 5 });
  expect(results.flows.map((f: any) => [f.id, f.tree])).toEqual([
    ['flow_0001', '../../s1/run_rec'],
    ['flow_0002', '../../s1/run_rec'],
    ['flow_0003', '../../s1/run_rec'],
    ['flow_0004', '../../s2/run_rec'],
    ['flow_0005', '../../s2/run_rec'],
  ]);
  // the tree resolves, from the merged run directory, to the leaf's files
  for (const f of results.flows) expect(readFileSync(join(merged, f.tree, f.steps[0].dir, 'output.txt'), 'utf8')).toBe(f.output);
  const html = readFileSync(join(merged, 'report.html'), 'utf8');
  expect(html).toContain('Summarise doc-4');
  expect(html).toContain('../../s2/run_rec/flow_0004/01_draft');
});

test("a shard's whole results.json is read, not its leaves; one that did not end is read from its leaves, and stderr says why", async () => {
  const dir = shards();
  // a leaf changed after the shard wrote its results.json: the record is what counts
  const file = leafFile(dir, 1, 'flow_0002');
  writeFileSync(file, JSON.stringify({ ...readJson(file), output: 'changed on disk' }));
  let report = await cli(dir, ['report', 's1', 's2', '--output', 'merged']);
  expect(report.code).toBe(0);
  expect(report.stderr).not.toMatch(/one by one/);
  expect(readJson(join(dir, 'merged', RUN, 'results.json')).flows[1].output).toBe('Summarise doc-2');

  // shard 1 killed mid-run on a resume: its record has no end, its results.json is an earlier attempt's
  for (const record of ['run.json', 'shards/1-of-2.json']) {
    const path = join(dir, 's1', RUN, record);
    writeFileSync(path, JSON.stringify({ ...readJson(path), ended_at: null, totals: null }));
  }
  report = await cli(dir, ['report', 's1', 's2', '--output', 'merged']);
  expect(report.code).toBe(0);
  expect(report.stderr).toMatch(/shard 1\/2: reading its leaves one by one from .*s1\/run_rec: shard 1\/2 did not end/);
  expect(report.stderr).not.toMatch(/shard 2\/2: reading/);
  expect(readJson(join(dir, 'merged', RUN, 'results.json')).flows[1].output).toBe('changed on disk');
});

test('a shard killed before writing results.json is read from its leaves: the flows it never started are cancelled', async () => {
  const dir = shards();
  const runDir = join(dir, 's2', RUN);
  const { rmSync } = await import('node:fs');
  rmSync(join(runDir, 'results.json'));
  rmSync(join(runDir, 'flow_0005'), { recursive: true });
  // nor did it write flow_0005's line in its stream, results-2-of-2.jsonl (a line there is a leaf that ended)
  const lines = readFileSync(join(runDir, 'results-2-of-2.jsonl'), 'utf8').split('\n');
  writeFileSync(join(runDir, 'results-2-of-2.jsonl'), lines.filter((line) => !line.includes('"flow_0005"')).join('\n'));
  const report = await cli(dir, ['report', 's1', 's2']);
  expect(report.code).toBe(1);
  expect(report.stderr).toMatch(/shard 2\/2: reading its leaves one by one from .*s2\/run_rec: it has no results\.json/);
  expect(report.stdout).toMatch(/4 succeeded/);
});

test('a results.json whose entries do not add up to its totals is refused (exit 2), naming the file', async () => {
  const dir = shards();
  const path = join(dir, 's2', RUN, 'results.json');
  const json = readJson(path);
  json.flows[0].status = 'failed';
  writeFileSync(path, JSON.stringify(json));
  const report = await cli(dir, ['report', 's1', 's2', '--output', 'merged']);
  expect(report.code).toBe(2);
  expect(report.stderr).toMatch(/s2\/run_rec\/results\.json: the entries do not add up to the totals at its top \("succeeded", "failed"\)/);
});

test('--copy-trees copies the flow directories, but no symbolic link planted in a shard (nor what it points at)', async () => {
  const dir = shards();
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP SECRET');
  const stepDir = join(dir, 's1', RUN, 'flow_0001', '01_draft');
  symlinkSync(secret, join(stepDir, 'notes.txt'));
  symlinkSync(dir, join(dir, 's1', RUN, 'flow_0001', 'up'));
  const report = await cli(dir, ['report', 's1', 's2', '--output', 'merged', '--copy-trees']);
  expect(report.code).toBe(0);
  expect(report.stderr).toMatch(/left out of the copy .*flow_0001\/01_draft\/notes\.txt/);
  const merged = join(dir, 'merged', RUN);
  expect(readFileSync(join(merged, 'flow_0001', '01_draft', 'output.txt'), 'utf8')).toBe('Summarise doc-1');
  expect(existsSync(join(merged, 'flow_0005', 'result.json'))).toBe(true);
  for (const planted of ['flow_0001/01_draft/notes.txt', 'flow_0001/up']) expect(() => lstatSync(join(merged, planted))).toThrow(/ENOENT/);
  for (const file of tree(merged)) expect(readFileSync(join(merged, file), 'utf8')).not.toContain('TOP SECRET');
  // the copy holds the leaves: they name no other folder
  expect(readJson(join(merged, 'results.json')).flows.every((f: any) => f.tree === undefined)).toBe(true);
});

test("a long output is cut in results.json (the shard's and the merged one) with a pointer to the file holding it whole", async () => {
  const dir = docProject(CONFIG, 2);
  const env = { ...baseEnv(), ORCHESTRATOR_RESULTS_OUTPUT_CHARS: '12' };
  const run = await runCliInProcess(['config.json', '--key', 'doc:docs.list', '--offline', '--run-id', RUN, '--output', 's1'], {
    cwd: dir,
    env,
    timeoutMs: 30_000,
  });
  expect(run.code).toBe(0);
  const shard = readJson(join(dir, 's1', RUN, 'results.json'));
  expect(shard.flows[0]).toMatchObject({ output: 'Summarise do', output_cut: { chars: 15, file: 'flow_0001/01_draft/output.txt' } });
  const report = await cli(dir, ['report', 's1', '--output', 'merged']);
  expect(report.code).toBe(0);
  const merged = join(dir, 'merged', RUN);
  const entry = readJson(join(merged, 'results.json')).flows[1];
  expect(entry).toMatchObject({ output: 'Summarise do', output_cut: { chars: 15 }, tree: '../../s1/run_rec' });
  expect(readFileSync(join(merged, entry.tree, entry.output_cut.file), 'utf8')).toBe('Summarise doc-2');
});

test('a merged output reported again reads its merged results.json: same leaves, same shard folders; a tree leading elsewhere is refused', async () => {
  const dir = shards();
  const first = await cli(dir, ['report', 's1', 's2', '--output', 'merged']);
  expect(first.code).toBe(0);
  const merged = join(dir, 'merged', RUN);
  const before = readJson(join(merged, 'results.json'));
  const again = await cli(dir, ['report', 'merged']);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe(first.stdout);
  expect(again.stderr).not.toMatch(/one by one/);
  const after = readJson(join(merged, 'results.json'));
  expect(after.flows).toEqual(before.flows);
  expect(readFileSync(join(merged, 'report.html'), 'utf8')).toContain('Summarise doc-4');

  // a tree that is not a run directory of this run (here: the project folder) is refused, naming the field
  after.flows[0].tree = '../..';
  writeFileSync(join(merged, 'results.json'), JSON.stringify(after));
  const refused = await cli(dir, ['report', 'merged']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/results\.json: flows\[0\]: field "tree": "\.\.\/\.\." is not a run directory/);
});
