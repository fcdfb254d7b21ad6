/**
 * engine/run-results.ts: results.json and report.html fed a leaf at a time in flow order. Leaves
 * that end in order go in at once; one that ends early waits in the spool and follows as soon as
 * the ones before it are in; the rest is given at the end. The files are those of the same leaves
 * given all at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeafSpool } from '../../src/engine/leaf-spool.js';
import { RunResults } from '../../src/engine/run-results.js';
import { flowId } from '../../src/flows/flows.js';
import { isNotStarted, type LeafEntry, type ResultItem } from '../../src/model/results.js';
import { unstartedEntry } from '../../src/results/results.js';
import { writeResults } from '../../src/results/write.js';
import { TreeWriter } from '../../src/util/files.js';
import { Redactor } from '../../src/util/redact.js';
import { scratch } from '../helpers/project.js';

const usage = { input_tokens: 3, output_tokens: 4, cached_input_tokens: 0, cost_usd: 0 };

function leaf(index: number): { entry: LeafEntry; written: string; texts: Array<[string, Record<string, [string]>]> } {
  const id = flowId(index, 4);
  const dir = `${id}/01_one`;
  const entry: LeafEntry = {
    id,
    branch: [],
    keys: { doc: `docs/${index}.txt` },
    status: 'succeeded',
    output: `out ${index}`,
    final_message: null,
    error: null,
    duration_ms: 1,
    usage,
    steps: [{ name: 'one', type: 'openai', status: 'succeeded', duration_ms: 1, usage, dir }],
    changes: null,
  };
  const texts: Array<[string, Record<string, [string]>]> = [[dir, { 'prompt.txt': [`in ${index}`], 'output.txt': [`out ${index}`] }]];
  return { entry, written: JSON.stringify(entry, null, 2) + '\n', texts };
}

test('a leaf that ends before the one ahead of it waits in the spool, then follows it; the files are those of all the leaves given in order', async () => {
  const runDir = scratch({});
  const files = new TreeWriter(new Redactor([]), runDir, { byPath: true });
  const spool = new LeafSpool(0);
  spool.open(files.tree, runDir);
  const results = new RunResults(runDir, files, spool, { from: 0, idOf: (i) => flowId(i, 4) }, true);
  results.open();
  const seen: string[] = [];
  results.onItem = (item: ResultItem) => seen.push(isNotStarted(item) ? 'range' : item.id);
  const [a, b, c] = [leaf(0), leaf(1), leaf(2)];
  try {
    // flow 2 ends first: not next, so the caller spools it
    expect(results.ended(1, b.entry, b.written, b.texts)).toBe(false);
    spool.add(1, b.written, b.texts);
    expect(seen).toEqual([]);
    // flow 1 ends: it goes in, and flow 2 after it, out of the spool
    expect(results.ended(0, a.entry, a.written, a.texts)).toBe(true);
    expect(seen).toEqual(['flow_0001', 'flow_0002']);
    expect(spool.count).toBe(0);
    expect(results.from).toBe(2);
    expect(results.ended(2, c.entry, c.written, c.texts)).toBe(true);
    // flow 4 never ran: the end gives it
    const never = unstartedEntry(flowId(3, 4), { doc: 'docs/3.txt' }, 'interrupted');
    await results.rest([never], null);
    const header = { run_id: 'run_t', shard: { index: 1, count: 1 }, flows_total: 4, after: null };
    const totals = await results.writeResults(join(runDir, 'results.json'), header);
    expect(totals).toMatchObject({ total: 4, succeeded: 3, cancelled: 1 });
    expect(seen).toEqual(['flow_0001', 'flow_0002', 'flow_0003', 'flow_0004']);
    const other = scratch({});
    await writeResults(join(other, 'results.json'), header, [a.entry, b.entry, c.entry, never]);
    expect(readFileSync(join(runDir, 'results.json'), 'utf8')).toBe(readFileSync(join(other, 'results.json'), 'utf8'));
    results.writeReport('run_t', header.shard, totals, 5);
    const page = readFileSync(join(runDir, 'report.html'), 'utf8');
    const rows = JSON.parse(/<script type="application\/json" id="leaves">(.*?)<\/script>/s.exec(page)![1]!);
    expect(rows.map((row: unknown[]) => [row[0], row[6]])).toEqual([
      ['flow_0001', 'out 0'],
      ['flow_0002', 'out 1'],
      ['flow_0003', 'out 2'],
      ['flow_0004', 'interrupted'],
    ]);
    // each step's texts as kept, in its own block, numbered in order
    expect(rows[1][8][0][5]).toBe(1);
    expect(page).toContain('<script type="application/json" id="s1">[null,"in 1","out 1"]</script>');
  } finally {
    results.close();
    spool.close();
  }
});
