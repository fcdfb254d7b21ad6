/**
 * A run that writes by path (openai steps only) writes its tree on a thread of its own
 * (util/tree-queue.ts): a write that fails there fails its flow as a write here did, with the path
 * named, and no other; a leaf counts (results.jsonl, the index of finished flows, results.json)
 * only once its result.json is written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectExit, orchestrate, ROOT } from './helpers/cli.js';
import { keyFiles, project } from './helpers/project.js';

// the writer thread even for these few flows (a run starts it from 64 flows: engine/output.ts)
const THREAD = { ORCHESTRATOR_WRITER_THREAD_FLOWS: '1' };
const statuses = (results: any): Record<string, string> => Object.fromEntries(results.flows.map((f: any) => [f.id, f.status]));
const errorOf = (results: any, id: string): string => results.flows.find((f: any) => f.id === id).error;
const ids = (text: string): string[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line).id)
    .sort();

test('by path: a flow whose files cannot be written fails, named by path; the others succeed; nothing lists a leaf whose result.json is not there', async () => {
  const docs = { 'd1.md': 'no', 'd2.md': 'no', 'd3.md': 'no', 'd4.md': 'no' };
  // every flow fails its check in the first attempt ("no" lacks "ok"); the resume runs them again
  const dir = project([{ type: 'openai', name: 'one', prompt: 'say {{{doc}}}', checks: [{ type: 'contains', value: 'ok' }] }], {
    ...keyFiles('docs.txt', docs),
  });
  const args = ['--key', 'doc:docs.txt', '--offline', '--parallel', '2'];
  const first = await orchestrate(dir, args, THREAD);
  expectExit(first, 1);
  const flow = (n: number): string => join(first.runDir, `flow_000${n}`);
  // flow 1: a directory where its result.json goes (a resume clears the files an earlier attempt
  // left, and a step's directory before it runs again: this is what the writer thread meets)
  rmSync(join(flow(1), 'result.json'));
  mkdirSync(join(flow(1), 'result.json'));
  for (const name of Object.keys(docs)) writeFileSync(join(dir, name), 'ok');

  const resumed = await orchestrate(dir, [...args, '--resume'], THREAD);
  expectExit(resumed, 1);
  expect(statuses(resumed.results)).toEqual({
    flow_0001: 'failed',
    flow_0002: 'succeeded',
    flow_0003: 'succeeded',
    flow_0004: 'succeeded',
  });
  expect(errorOf(resumed.results, 'flow_0001')).toBe(
    `cannot write the flow's files: ${join(flow(1), 'result.json')} is a directory where orchestrator writes a file`,
  );
  // the leaves that count are those whose result.json is on disk, in results.jsonl and in the index alike
  const written = ['flow_0002', 'flow_0003', 'flow_0004'];
  for (const id of written) expect(existsSync(join(first.runDir, id, 'result.json'))).toBe(true);
  expect(ids(readFileSync(join(first.runDir, 'leaves-1-of-1.jsonl'), 'utf8'))).toEqual(written);
  const lines = readFileSync(join(first.runDir, 'results.jsonl'), 'utf8');
  expect(
    ids(
      lines
        .split('\n')
        .filter((line) => line.includes('"status":"succeeded"'))
        .join('\n'),
    ),
  ).toEqual(written);
  expect(resumed.stderr).not.toContain('internal error');
});

test('by path: --fail-fast stops the run at the first failed flow, as when the files are written at once: the next flows are cancelled, not run', async () => {
  // the writer thread gives a step's slot back while its files are written: the failure must stop
  // the run before that slot goes to the next flow, not once the failed flow's result.json is written
  const docs: Record<string, string> = {};
  for (let i = 1; i <= 30; i++) docs[`d${String(i).padStart(2, '0')}.md`] = i === 1 ? 'no' : 'ok';
  const dir = project([{ type: 'openai', name: 'one', prompt: 'say {{{doc}}}', checks: [{ type: 'contains', value: 'ok' }] }], {
    ...keyFiles('docs.txt', docs),
  });
  const o = await orchestrate(dir, ['--key', 'doc:docs.txt', '--offline', '--parallel', '1', '--fail-fast', '1'], THREAD);
  expectExit(o, 1);
  const counts: Record<string, number> = {};
  for (const flow of o.results.flows) counts[flow.status] = (counts[flow.status] ?? 0) + 1;
  expect(counts).toEqual({ failed: 1, cancelled: 29 });
  expect(statuses(o.results).flow_0001).toBe('failed');
  expect(o.stderr).not.toContain('internal error');
});

test('by path: the writes queued for the thread are bounded in bytes, not only in number: large prompts keep the peak memory near a run without the thread', async () => {
  // 200 flows of 400 KB prompts: with only the number of writes bounded, most of the run's files
  // were queued at once (with their copies in the message and on the thread): 900 MB at 300 flows
  const docs: Record<string, string> = {};
  for (let i = 1; i <= 200; i++) docs[`d${String(i).padStart(3, '0')}.md`] = `ok ${i} `.repeat(50_000);
  const dir = project([{ type: 'openai', name: 'one', prompt: 'say {{{doc}}}' }], keyFiles('docs.txt', docs));
  const peakFile = join(dir, 'peak-rss');
  const hook = pathToFileURL(join(ROOT, 'test', 'fixtures', 'peak-rss.mjs')).href;
  const o = await orchestrate(
    dir,
    ['--key', 'doc:docs.txt', '--offline'],
    { ...THREAD, NODE_OPTIONS: `--import=${hook}`, PEAK_RSS_FILE: peakFile },
    { timeoutMs: 60_000 },
  );
  expectExit(o, 0);
  expect(o.results.flows.filter((f: any) => f.status === 'succeeded')).toHaveLength(200);
  const peakMb = Number(readFileSync(peakFile, 'utf8')) / 1024;
  // a run without the thread peaks at ~250 MB here; the bound leaves room for a busy machine's GC
  expect(peakMb).toBeLessThan(400);
});

test('by path: a writer thread that dies ends the run with an error that says so (not an internal error), leaves no temporary index behind, and --resume finishes the run', async () => {
  const docs: Record<string, string> = {};
  for (let i = 1; i <= 20; i++) docs[`d${String(i).padStart(2, '0')}.md`] = 'ok';
  const dir = project([{ type: 'openai', name: 'one', prompt: 'say {{{doc}}}' }], keyFiles('docs.txt', docs));
  const args = ['--key', 'doc:docs.txt', '--offline'];
  // the thread exits at its first batch (the hook runs in worker threads too, before the thread's module)
  const hook = pathToFileURL(join(ROOT, 'test', 'fixtures', 'tree-thread-exits.mjs')).href;
  const dead = await orchestrate(dir, args, { ...THREAD, NODE_OPTIONS: `--import=${hook}` });
  expectExit(dead, 1);
  expect(dead.stderr).toContain(
    "orchestrator: error: the thread writing the run's files stopped (it exited with code 3): the files of the flows still running are not written; run again with --resume",
  );
  expect(dead.stderr).not.toContain('internal error');
  expect(readdirSync(dead.runDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

  const resumed = await orchestrate(dir, [...args, '--resume'], THREAD);
  expectExit(resumed, 0);
  expect(resumed.results.flows.filter((f: any) => f.status === 'succeeded')).toHaveLength(20);
});
