/**
 * results.jsonl (engine/results-stream.ts): the lines of the leaves that end in one turn of the
 * event loop are written together when the turn is over, and those of a process that exits before
 * then on its way out (a process that exits first: test/cli-results-stream.test.ts). When it cannot
 * be written the run goes on without it and says so once, naming the file and the error. A full disk is /dev/full standing in for the
 * stream's file (the one thing a test here cannot make for real); a planted link is in
 * test/cli-results-stream.test.ts.
 */
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultsStream } from '../../src/engine/results-stream.js';
import type { LeafEntry } from '../../src/model/results.js';
import { TreeWriter } from '../../src/util/files.js';
import { Redactor } from '../../src/util/redact.js';
import { scratch } from '../helpers/project.js';

const leaf = (id: string): LeafEntry =>
  ({
    id,
    branch: [],
    keys: {},
    status: 'succeeded',
    output: 'x',
    final_message: null,
    error: null,
    duration_ms: 1,
    steps: [],
  }) as unknown as LeafEntry;

test('a write that fails (a full disk): one warning naming the file and the error, then the run goes on without the stream', () => {
  const runDir = scratch();
  const files = new TreeWriter(new Redactor([]), runDir);
  files.tree.append = () => openSync('/dev/full', 'a');
  const warnings: string[] = [];
  const stream = new ResultsStream(files);
  stream.open(runDir, { index: 1, count: 1 }, (warning) => warnings.push(warning));
  for (const id of ['flow_0001', 'flow_0002', 'flow_0003']) stream.add(leaf(id));
  stream.close();
  files.tree.close();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(join(runDir, 'results.jsonl'));
  expect(warnings[0]).toMatch(/could not be written \(.*ENOSPC: no space left on device.*\): the run goes on without it/);
});

const linesOf = (runDir: string): string[] =>
  readFileSync(join(runDir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);

test('the lines of one turn are written together once the turn is over (one write, not one a leaf), in the order the leaves ended', async () => {
  const runDir = scratch();
  const files = new TreeWriter(new Redactor([]), runDir);
  const stream = new ResultsStream(files);
  stream.open(runDir, { index: 1, count: 1 });
  try {
    for (const id of ['flow_0002', 'flow_0001', 'flow_0003']) stream.add(leaf(id));
    expect(linesOf(runDir)).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(linesOf(runDir)).toEqual(['flow_0002', 'flow_0001', 'flow_0003']);
    stream.add(leaf('flow_0004'));
  } finally {
    stream.close();
    files.tree.close();
  }
  expect(linesOf(runDir)).toEqual(['flow_0002', 'flow_0001', 'flow_0003', 'flow_0004']);
});
