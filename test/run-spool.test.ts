/**
 * The end of a run (issue 27.2): results.json and report.html are made from what each leaf wrote
 * as it ended (a spool, engine/leaf-spool.ts), not by reading every leaf's files back. They are the
 * same bytes the read-back makes (results/store.ts, report/html-file.ts: what `--resume` and a
 * merge still use), and files a step removes later do not change what the run reports.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRunReportHtml } from '../src/report/html-file.js';
import { leavesAcross } from '../src/results/store.js';
import { writeResults } from '../src/results/write.js';
import { expectExit, orchestrate } from './helpers/cli.js';
import { docProject, scratch } from './helpers/project.js';

/** The page's JSON block `id`, parsed. */
const block = (page: string, id: string): any =>
  JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(page)![1]!);

test('results.json and report.html are the bytes reading the leaves back from disk makes (failed, cut and long texts included)', async () => {
  const long = 'x'.repeat(30_000);
  const config = [
    { type: 'openai', name: 'draft', prompt: `Summarise {{{DOC}}} ${long}` },
    { type: 'openai', name: 'again', prompt: 'Again: ünïcödé 🎉' },
    { type: 'fail', name: 'fail', cmd: 'if [ "$ORCHESTRATOR_FLOW_ID" = flow_0005 ]; then echo boom >&2; exit 3; fi; cat' },
  ];
  const dir = docProject(config, 12);
  const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--parallel', '3'], {
    ORCHESTRATOR_RESULTS_OUTPUT_CHARS: '100',
  });
  expectExit(run, 1);
  const page = readFileSync(join(run.runDir, 'report.html'), 'utf8');
  const results = run.results;
  // the run cut outputs at 100 characters: so does the read-back
  const [resultsAgain, pageAgain] = await readBack(run, '100');
  expect(resultsAgain).toBe(readFileSync(join(run.runDir, 'results.json'), 'utf8'));
  expect(pageAgain).toBe(page);
  expect(results.flows[0].output_cut).toBeDefined();
  expect(results.flows[4].error).toMatch(/exit.*3|3/);
  expect(page).toContain('boom');
});

test("a step that removes an earlier flow's directory does not take its leaf out of results.json or report.html", async () => {
  const config = [
    { type: 'openai', name: 'draft', prompt: 'Summarise {{{DOC}}}' },
    {
      type: 'sweep',
      name: 'sweep',
      cmd: 'if [ "$ORCHESTRATOR_FLOW_ID" = flow_0003 ]; then rm -rf generated/run_t/flow_0001; fi; cat',
    },
  ];
  const dir = docProject(config, 3);
  const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--parallel', '1']);
  expectExit(run, 0);
  expect(run.results.flows.map((f: any) => [f.id, f.status, f.output])).toEqual([
    ['flow_0001', 'succeeded', 'Summarise doc-1'],
    ['flow_0002', 'succeeded', 'Summarise doc-2'],
    ['flow_0003', 'succeeded', 'Summarise doc-3'],
  ]);
  const page = readFileSync(join(run.runDir, 'report.html'), 'utf8');
  const rows = block(page, 'leaves');
  expect(rows.map((row: unknown[]) => [row[0], row[3], row[6]])).toEqual([
    ['flow_0001', 0, 'Summarise doc-1'],
    ['flow_0002', 0, 'Summarise doc-2'],
    ['flow_0003', 0, 'Summarise doc-3'],
  ]);
  // the draft step's texts were kept as written (the model step's files; a cmd step's are read from disk, gone here)
  const draft = rows[0][8][0];
  expect(block(page, `s${draft[5]}`)).toEqual([null, 'Summarise doc-1', 'Summarise doc-1']);
});

/** results.json and report.html written again from the run's tree on disk, as `--resume` and a merge read it: [results.json, report.html]. */
async function readBack(run: Awaited<ReturnType<typeof orchestrate>>, outputChars: string): Promise<[string, string]> {
  const page = readFileSync(join(run.runDir, 'report.html'), 'utf8');
  const again = scratch({});
  cpSync(run.runDir, again, { recursive: true });
  const results = run.results;
  const total = results.flows_total;
  const keysOf = (i: number): Record<string, string> => results.flows[i].keys;
  process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS = outputChars;
  try {
    await writeResults(
      join(again, 'results.json'),
      { run_id: results.run_id, shard: results.shard, flows_total: total, after: results.after },
      leavesAcross([again], total, { from: 0, to: total }, keysOf, () => ({ reason: 'not run', until: Infinity }), false),
    );
    writeRunReportHtml(again, block(page, 'summary').duration_ms);
  } finally {
    delete process.env.ORCHESTRATOR_RESULTS_OUTPUT_CHARS;
  }
  return [readFileSync(join(again, 'results.json'), 'utf8'), readFileSync(join(again, 'report.html'), 'utf8')];
}

// model steps only: no process of a step writes into the tree, so each leaf goes into results.json
// and report.html the moment it ends in order (engine/run-results.ts), from memory, not a spool record
test.each([
  ['without a secret', {}],
  ['with a secret masked in some leaves', { EXAMPLE_API_KEY: 'Summarise doc-7' }],
])('a run of model steps writes results.json and report.html as its leaves end, the bytes the read-back makes (%s)', async (_, env) => {
  const long = 'y'.repeat(30_000);
  const config = [
    { type: 'openai', name: 'draft', prompt: 'Summarise {{{DOC}}} ünïcödé 🎉' },
    { type: 'openai', name: 'long', prompt: `Long ${long}` },
  ];
  const dir = docProject(config, 40);
  const run = await orchestrate(dir, ['--key', 'DOC:docs.list', '--offline', '--parallel', '4'], {
    ORCHESTRATOR_RESULTS_OUTPUT_CHARS: '100',
    ...env,
  });
  expectExit(run, 0);
  const [results, page] = await readBack(run, '100');
  expect(readFileSync(join(run.runDir, 'results.json'), 'utf8')).toBe(results);
  expect(readFileSync(join(run.runDir, 'report.html'), 'utf8')).toBe(page);
  expect(run.results.flows).toHaveLength(40);
  expect(run.results.flows[0].output_cut).toBeDefined();
  if ('EXAMPLE_API_KEY' in env) expect(page).not.toContain('Summarise doc-7');
  expect(page).toContain('Summarise doc-8');
});
