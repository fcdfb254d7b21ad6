/**
 * What a shard job uploads for the report job, and what the report job downloads
 * (src/action/records.ts): pure functions over names and file lists.
 */
import { join } from 'node:path';
import { chooseReportDownloads, mergedName, recordFiles, runArtifactNames, type ListedArtifact } from '../../src/action/records.js';

const RUN = '/out/run_gh9';
const at = (...paths: string[]): string[] => paths.map((p) => join(RUN, p));

test('artifact names: the run directory, its records beside it, the merged one; no /, one pair per shard', () => {
  expect(runArtifactNames('orchestrator', 'run_gh9', { index: 2, count: 16 })).toEqual({
    runDir: 'orchestrator-run_gh9-shard-2-of-16',
    records: 'orchestrator-run_gh9-shard-2-of-16-records',
  });
  expect(runArtifactNames('x', 'run_a', undefined)).toEqual({ runDir: 'x-run_a-all', records: 'x-run_a-all-records' });
  expect(runArtifactNames('x', 'run_a', { index: 1, count: 1 }).runDir).toBe('x-run_a-all');
  expect(mergedName('x', 'run_a')).toBe('x-run_a-merged');
  const names = new Set<string>();
  for (let index = 1; index <= 256; index++) {
    const { runDir, records } = runArtifactNames('orchestrator', 'run_gh9', { index, count: 256 });
    names.add(runDir).add(records);
  }
  expect(names.size).toBe(512);
  expect([...names].some((n) => n.includes('/'))).toBe(false);
});

test('records: the run and shard records, results.json and every patch; not the leaves, their texts or report.html', () => {
  const files = at(
    'run.json',
    'results.json',
    'report.html',
    'shards/3-of-4.json',
    'flow_0001/result.json',
    'flow_0001/01_edit/output.txt',
    'flow_0001/01_edit/step.json',
    'flow_0001/01_edit/changes.patch',
    'flow_0002/not_started.json',
    'flow_0002/branch_1/result.json',
    'flow_0002/branch_1/02_b/changes.patch',
    'flow_0002/branch_1/02_b/results.json',
  );
  expect(recordFiles(RUN, files)).toEqual(
    at('run.json', 'results.json', 'shards/3-of-4.json', 'flow_0001/01_edit/changes.patch', 'flow_0002/branch_1/02_b/changes.patch'),
  );
});

test('records of a run that left no results.json: each leaf result.json and not_started.json too, for report to read one by one, and results.jsonl', () => {
  const files = at(
    'run.json',
    'results.jsonl',
    'shards/1-of-2.json',
    'flow_0001/result.json',
    'flow_0001/01_a/output.txt',
    'flow_0002/not_started.json',
  );
  expect(recordFiles(RUN, files)).toEqual(
    at('run.json', 'results.jsonl', 'shards/1-of-2.json', 'flow_0001/result.json', 'flow_0002/not_started.json'),
  );
  // with a results.json, the stream is left to the run-directory artifact
  expect(recordFiles(RUN, at('run.json', 'results.json', 'results.jsonl'))).toEqual(at('run.json', 'results.json'));
});

const listed = (entries: [string, number][]): ListedArtifact[] => entries.map(([name, size], i) => ({ id: i + 1, name, size }));

test('report downloads each shard records artifact, not its tree; the merged artifact and other names are left alone', () => {
  const artifacts = listed([
    ['orchestrator-run_gh9-shard-2-of-3', 9000],
    ['orchestrator-run_gh9-shard-1-of-3', 8000],
    ['orchestrator-run_gh9-shard-1-of-3-records', 300],
    ['orchestrator-run_gh9-shard-2-of-3-records', 200],
    ['orchestrator-run_gh9-shard-3-of-3', 7000],
    ['orchestrator-run_gh9-shard-3-of-3-records', 100],
    ['orchestrator-run_gh9-merged', 50_000],
    ['orchestrator-run_gh9-shard-3-of-3-records-old', 1],
    ['orchestrator-run_gh10-shard-1-of-3-records', 1],
    ['other-run_gh9-shard-1-of-3-records', 1],
  ]);
  const chosen = chooseReportDownloads('orchestrator', 'run_gh9', artifacts);
  expect(chosen.downloads.map((d) => d.artifact.name)).toEqual([1, 2, 3].map((i) => `orchestrator-run_gh9-shard-${i}-of-3-records`));
  // each unpacked into a folder named for the shard's run-directory artifact
  expect(chosen.downloads.map((d) => d.folder)).toEqual([1, 2, 3].map((i) => `orchestrator-run_gh9-shard-${i}-of-3`));
  expect(chosen.downloadedBytes).toBe(600);
  expect(chosen.allBytes).toBe(24_600);
  expect(chosen.notes).toEqual([]);
  expect([...chosen.runDirArtifacts]).toEqual([
    ['shard-1-of-3', 'orchestrator-run_gh9-shard-1-of-3'],
    ['shard-2-of-3', 'orchestrator-run_gh9-shard-2-of-3'],
    ['shard-3-of-3', 'orchestrator-run_gh9-shard-3-of-3'],
  ]);
});

test('a shard without records (an older orchestrator, a leg that died between its uploads): its tree is downloaded, and said so', () => {
  const chosen = chooseReportDownloads(
    'o',
    'run_a',
    listed([
      ['o-run_a-shard-1-of-2', 9000],
      ['o-run_a-shard-1-of-2-records', 100],
      ['o-run_a-shard-2-of-2', 8000],
    ]),
  );
  expect(chosen.downloads.map((d) => [d.artifact.name, d.folder])).toEqual([
    ['o-run_a-shard-1-of-2-records', 'o-run_a-shard-1-of-2'],
    ['o-run_a-shard-2-of-2', 'o-run_a-shard-2-of-2'],
  ]);
  expect(chosen.downloadedBytes).toBe(8100);
  expect(chosen.notes).toEqual([
    expect.stringMatching(/^shard 2\/2 uploaded no o-run_a-shard-2-of-2-records: its whole tree o-run_a-shard-2-of-2 was downloaded/),
  ]);
});

test('records whose tree is gone: merged all the same, with a note that its files cannot be downloaded; no artifact at all: nothing chosen', () => {
  const chosen = chooseReportDownloads('o', 'run_a', listed([['o-run_a-all-records', 100]]));
  expect(chosen.downloads.map((d) => [d.artifact.name, d.folder])).toEqual([['o-run_a-all-records', 'o-run_a-all']]);
  expect(chosen.runDirArtifacts.size).toBe(0);
  expect(chosen.notes).toEqual([
    expect.stringMatching(/^shard all: its records o-run_a-all-records are here but its tree o-run_a-all is gone/),
  ]);
  expect(chooseReportDownloads('o', 'run_a', listed([['o-run_a-merged', 5]])).downloads).toEqual([]);
});
