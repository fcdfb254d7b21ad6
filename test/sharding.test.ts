/**
 * Sharding end to end through the CLI in the jest process (README: "Sharding across a matrix"): for several N, the N shard runs of one run id,
 * copied into one folder, form the same tree as the unsharded run; their results agree leaf by leaf;
 * `orchestrator report` over the merged folder, or over the shard folders side by side, prints the
 * same table as over the unsharded run. Also `plan` (shape, caps, a million flows) and the shard
 * assignment as seen from outside: disjoint, covering, sizes within one, matching the plan.
 * (shardRange itself is unit-tested in test/unit/flows.test.ts.)
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, readJson, type CliResult } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { keyFiles, project, tree } from './helpers/project.js';

const RUN = 'run_inv';
const FLOWS = 7;

/**
 * Three steps over two keys: a cmd step reading both keys (and writing to stderr), an `array: true`
 * cmd step whose element count differs per flow (0 to 3: an empty array is one leaf `[]`), and an
 * offline openai step on each branch.
 */
const CONFIG = {
  steps: [
    { type: 'shout', name: 'read', cmd: 'echo "mode: {{{mode}}}" >&2; echo {{{mode}}}; echo {{{doc}}}' },
    { type: 'pick', name: 'split', cmd: 'grep "^\\["', array: true },
    { type: 'openai', name: 'final', prompt: 'Finish in {{{mode}}} mode:' },
  ],
};

/** The project: CONFIG, FLOWS documents of 0 to 3 array elements listed in docs.txt, one mode in modes.txt. */
function sevenFlows(): string {
  const docs: Record<string, string> = {};
  for (let i = 1; i <= FLOWS; i++) {
    const elements = Array.from({ length: i % 4 }, (_, j) => `doc ${i} part ${j + 1}`);
    docs[`docs/d${i}.json`] = JSON.stringify(elements) + '\n';
  }
  return realpathSync(project(CONFIG, { ...keyFiles('docs.txt', docs), ...keyFiles('modes.txt', { 'modes/loud.txt': 'loud' }) }));
}

const KEYS = ['--key', 'doc:docs.txt', '--key', 'mode:modes.txt'];

let dir: string;
let full: CliResult;
/** The unsharded run's results.json as the run wrote it (a later `report` over it rewrites it). */
let fullResults: any;

const cli = (args: string[], timeoutMs = 30_000): Promise<CliResult> => runCliInProcess(args, { cwd: dir, env: baseEnv(), timeoutMs });

beforeAll(async () => {
  dir = sevenFlows();
  full = await cli(['config.json', ...KEYS, '--offline', '--output', 'full', '--run-id', RUN]);
  fullResults = readJson(join(dir, 'full', RUN, 'results.json'));
});

/** A results stream's name: results.jsonl, or shard I of N's results-I-of-N.jsonl. */
const STREAM = /^results(?:-\d+-of-\d+)?\.jsonl$/;

/** The files that make up the flows: everything but run.json, results.json, report.html, shards/*.json and the results streams. */
const flowFiles = (runDir: string): string[] =>
  tree(runDir).filter(
    (p) => p !== 'run.json' && p !== 'results.json' && p !== 'report.html' && !p.startsWith('shards/') && !STREAM.test(p),
  );

/** Every line of a run directory's results streams, without timing, sorted (lines are written in the order leaves end). */
const streamLines = (runDir: string): string[] =>
  readdirSync(runDir)
    .filter((name) => STREAM.test(name))
    .flatMap((name) => readFileSync(join(runDir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.stringify(untimed(JSON.parse(line))))
    .sort();

const flowDirs = (runDir: string): string[] =>
  readdirSync(runDir)
    .filter((name) => /^flow_\d+$/.test(name))
    .sort();

/** A JSON value without timing: duration_ms, *_at timestamps, anything named like a duration or time. */
function untimed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untimed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !/duration|_ms$|_at$|timing|elapsed/i.test(key))
        .map(([key, v]) => [key, untimed(v)]),
    );
  }
  return value;
}

/** A file's contents for comparison: result.json and step.json without timing, everything else as it is. */
function contents(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('result.json') || path.endsWith('step.json') ? untimed(JSON.parse(text)) : text;
}

/** A report with durations replaced and the "(N shards)" of the title dropped. */
function normalise(report: string): string {
  return report
    .replace(/\d+(?:\.\d+)? (?:ms|s|min|h)\b/g, '<t>')
    .replace(/(<t> ?)+/g, '<t>')
    .replace(/ \(\d+ shards\)$/m, '');
}

test('the unsharded run succeeds: 7 flows, branches of 0 to 3 elements, 13 leaves', () => {
  expect(full.code).toBe(0);
  const results = fullResults;
  expect(results).toMatchObject({ run_id: RUN, shard: { index: 1, count: 1 }, flows_total: 7, total: 13, succeeded: 13, failed: 0 });
  expect(flowDirs(join(dir, 'full', RUN))).toHaveLength(FLOWS);
  // the empty array of flow 4 is one leaf with output []
  expect(results.flows.find((f: any) => f.id === 'flow_0004')).toMatchObject({ branch: [], status: 'succeeded', output: '[]' });
  expect(results.flows.find((f: any) => f.id === 'flow_0003' && f.branch[0] === 3).output).toMatch(
    /Finish in loud mode:[\s\S]*doc 3 part 3$/,
  );
});

describe.each([1, 2, 3, 7])('%i shards', (count) => {
  const base = (): string => join(dir, `shards-${count}`);
  const shardDir = (i: number): string => join(base(), `${i}`);
  const merged = (): string => join(dir, `merged-${count}`);
  let runs: CliResult[];
  let plan: any;

  beforeAll(async () => {
    runs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        cli(['config.json', ...KEYS, '--offline', '--output', shardDir(i + 1), '--run-id', RUN, '--shard', `${i + 1}/${count}`]),
      ),
    );
    for (let i = 1; i <= count; i++) cpSync(shardDir(i), merged(), { recursive: true });
    const planned = await cli(['plan', 'config.json', '--shards', String(count), ...KEYS, '--run-id', RUN]);
    expect(planned.code).toBe(0);
    plan = JSON.parse(planned.stdout);
  });

  test('every shard succeeds and runs a disjoint slice; together all flows; sizes within one; as planned', () => {
    for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    const slices = Array.from({ length: count }, (_, i) => flowDirs(join(shardDir(i + 1), RUN)));
    const all = slices.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(flowDirs(join(dir, 'full', RUN)));
    const sizes = slices.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(plan.matrix.include).toEqual(slices.map((s, i) => ({ shard: `${i + 1}/${count}`, flows: s.length })));
    // each shard's own results.json: its slice, flagged with its shard
    slices.forEach((slice, i) => {
      const results = readJson(join(shardDir(i + 1), RUN, 'results.json'));
      expect(results.shard).toEqual({ index: i + 1, count });
      expect(results.flows_total).toBe(slice.length);
      expect([...new Set(results.flows.map((f: any) => f.id))]).toEqual(slice);
    });
  });

  test('the shards copied into one folder form the same tree as the unsharded run, file by file', () => {
    const fullDir = join(dir, 'full', RUN);
    const mergedDir = join(merged(), RUN);
    expect(flowDirs(mergedDir)).toEqual(flowDirs(fullDir));
    expect(flowFiles(mergedDir)).toEqual(flowFiles(fullDir));
    for (const file of flowFiles(fullDir)) {
      expect({ file, contents: contents(join(mergedDir, file)) }).toEqual({ file, contents: contents(join(fullDir, file)) });
    }
    // each shard streamed its own leaves under its own name: copied together, no shard's lines are lost
    expect(
      readdirSync(mergedDir)
        .filter((name) => STREAM.test(name))
        .sort(),
    ).toEqual(count === 1 ? ['results.jsonl'] : Array.from({ length: count }, (_, i) => `results-${i + 1}-of-${count}.jsonl`).sort());
    expect(streamLines(mergedDir)).toEqual(streamLines(fullDir));
    expect(streamLines(fullDir)).toHaveLength(13);
    // every shard left its own record, so a merge knows how many shards there were
    expect(readdirSync(join(mergedDir, 'shards')).sort()).toEqual(
      Array.from({ length: count }, (_, i) => `${i + 1}-of-${count}.json`).sort(),
    );
  });

  test('the leaves of the shards are the leaves of the unsharded run: same statuses and outputs', () => {
    const expected = untimed(fullResults.flows);
    const fromShards = Array.from({ length: count }, (_, i) => readJson(join(shardDir(i + 1), RUN, 'results.json')).flows).flat();
    expect(untimed(fromShards)).toEqual(expected);
  });

  test('report over the merged folder and over the shard folders prints the unsharded table; exit 0', async () => {
    // one after the other: a report over one run directory rewrites its results.json in place
    const overFull = await cli(['report', join('full', RUN)]);
    const overMerged = await cli(['report', merged()]);
    const sideBySide = await cli(['report', ...Array.from({ length: count }, (_, i) => shardDir(i + 1))]);
    const overParent = await cli(['report', base()]);
    for (const r of [overFull, overMerged, sideBySide, overParent]) expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    expect(overFull.stdout).toMatch(/\| flow_0003 \[2\] \|/);
    expect(normalise(overMerged.stdout)).toBe(normalise(overFull.stdout));
    expect(normalise(sideBySide.stdout)).toBe(normalise(overFull.stdout));
    expect(normalise(overParent.stdout)).toBe(normalise(overFull.stdout));
    if (count > 1) expect(overMerged.stdout.split('\n')[0]).toBe(`## orchestrator: ${RUN} (${count} shards)`);

    // the report rewrote the merged folder's results.json: that of the unsharded run, timing aside
    const mergedResults = readJson(join(merged(), RUN, 'results.json'));
    expect(untimed(mergedResults)).toEqual(untimed(fullResults));
    // and report over the unsharded run rewrote its results.json to the same document
    expect(untimed(readJson(join(dir, 'full', RUN, 'results.json')))).toEqual(untimed(fullResults));
  });

  if (count > 1) {
    test('report with one shard folder left out exits 1 and names the missing shard', async () => {
      const left = Math.min(2, count);
      const others = Array.from({ length: count }, (_, i) => i + 1).filter((i) => i !== left);
      const result = await cli(['report', ...others.map(shardDir)]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`${left}/${count}`);
      expect(result.stdout).toMatch(new RegExp(`shards? left no results: ${left}/${count}\\b`));
      const missingFlows = flowDirs(join(shardDir(left), RUN));
      for (const id of missingFlows)
        expect(result.stdout).toMatch(new RegExp(`\\| ${id} \\|.*cancelled.*shard ${left}/${count} is missing`));
    });
  }
});

test('the assignment depends only on config, keys and N: another --parallel and run id give the same slice', async () => {
  const run = await cli([
    'config.json',
    ...KEYS,
    '--offline',
    '--output',
    'again',
    '--run-id',
    'other',
    '--shard',
    '2/3',
    '--parallel',
    '1',
  ]);
  expect(run.code).toBe(0);
  expect(flowDirs(join(dir, 'again', 'run_other'))).toEqual(flowDirs(join(dir, 'shards-3', '2', RUN)));
});

test('--shard with N above the number of flows is refused before anything runs; plan --shards 50 caps at 7', async () => {
  for (const shard of ['1/8', '8/8']) {
    const refused = await cli(['config.json', ...KEYS, '--offline', '--output', 'toomany', '--run-id', RUN, '--shard', shard]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/only 7 flows/);
    expect(refused.stderr).toMatch(/at most 7 shards/);
  }
  expect(existsSync(join(dir, 'toomany'))).toBe(false);

  const plan = await cli(['plan', 'config.json', '--shards', '50', ...KEYS, '--run-id', RUN]);
  expect(plan.code).toBe(0);
  expect(JSON.parse(plan.stdout)).toEqual({
    run_id: RUN,
    total: 7,
    matrix: { include: Array.from({ length: 7 }, (_, i) => ({ shard: `${i + 1}/7`, flows: 1 })) },
  });
});

test('plan prints exactly {run_id, total, matrix: {include}} on stdout; its run id can be passed back as it is', async () => {
  const plan = await cli(['plan', 'config.json', '--shards', '3', ...KEYS]);
  expect(plan.code).toBe(0);
  expect(plan.stdout.endsWith('\n')).toBe(true);
  expect(plan.stdout.trim().split('\n')).toHaveLength(1); // one JSON document, nothing else on stdout
  const parsed = JSON.parse(plan.stdout);
  expect(Object.keys(parsed).sort()).toEqual(['matrix', 'run_id', 'total']);
  expect(Object.keys(parsed.matrix)).toEqual(['include']);
  expect(parsed.run_id).toMatch(/^run_[A-Za-z0-9._-]+$/);
  expect(parsed.total).toBe(7);
  expect(parsed.matrix.include).toEqual([
    { shard: '1/3', flows: 3 },
    { shard: '2/3', flows: 2 },
    { shard: '3/3', flows: 2 },
  ]);

  // --run-id without the prefix gets it; the printed id, passed back, names the run directory
  const named = JSON.parse((await cli(['plan', 'config.json', '--shards', '3', ...KEYS, '--run-id', 'nightly-1'])).stdout);
  expect(named.run_id).toBe('run_nightly-1');
  const leg = await cli(['config.json', ...KEYS, '--offline', '--output', 'legs', '--run-id', named.run_id, '--shard', '3/3']);
  expect(leg.code).toBe(0);
  expect(flowDirs(join(dir, 'legs', 'run_nightly-1'))).toEqual(['flow_0006', 'flow_0007']);

  // no flows is an error (an empty matrix fails the workflow); N is required and at least 1
  writeFileSync(join(dir, 'none.txt'), '\n\n');
  const empty = await cli(['plan', 'config.json', '--shards', '3', '--key', 'doc:none.txt', '--key', 'mode:modes.txt']);
  expect(empty.code).toBe(2);
  expect(empty.stdout).toBe('');
  expect((await cli(['plan', 'config.json', ...KEYS])).code).toBe(2);
  expect((await cli(['plan', 'config.json', '--shards', '0', ...KEYS])).code).toBe(2);
});

test('plan over 1,000,000 flows (two key lists of 1,000 lines) finishes within 20 s and caps N at 256', async () => {
  const big = join(dir, 'big');
  mkdirSync(join(big, 'files'), { recursive: true });
  const list: string[] = [];
  for (let i = 1; i <= 1000; i++) {
    writeFileSync(join(big, 'files', `f${i}.txt`), `file ${i}\n`);
    list.push(`files/f${i}.txt`);
  }
  writeFileSync(join(big, 'list.txt'), list.join('\n') + '\n');
  writeFileSync(join(big, 'config.json'), JSON.stringify(CONFIG));
  const started = Date.now();
  const plan = await runCliInProcess(
    ['plan', 'config.json', '--shards', '300', '--key', 'doc:list.txt', '--key', 'mode:list.txt', '--run-id', 'big'],
    {
      cwd: big,
      env: baseEnv(),
      timeoutMs: 20_000,
    },
  );
  const elapsed = Date.now() - started;
  expect(plan.code).toBe(0);
  expect(elapsed).toBeLessThan(20_000);
  const parsed = JSON.parse(plan.stdout);
  expect(parsed.total).toBe(1_000_000);
  expect(parsed.matrix.include).toHaveLength(256);
  const sizes: number[] = parsed.matrix.include.map((e: { flows: number }) => e.flows);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000_000);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  expect(parsed.matrix.include.at(-1).shard).toBe('256/256');
});
