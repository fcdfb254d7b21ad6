// The floor of the run-tree benchmark: a plain synchronous Node loop writing the tree an offline
// run of one step writes, with nothing else (no checks, no inputs read, no results.json, no report):
// per flow two directories (the flow's and its step's) and five small files (prompt.txt,
// output.txt, response.json, step.json, result.json) of about the sizes the engine writes.
//
//   node bench/tree-loop.mjs OUT_DIR FLOWS
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, count] = [process.argv[2], Number(process.argv[3])];
const width = String(count).length;
mkdirSync(out, { recursive: true });
const usage = { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, cost_usd: 0 };
for (let i = 1; i <= count; i++) {
  const id = `flow_${String(i).padStart(width, '0')}`;
  const flow = join(out, id);
  const step = join(flow, '01_one');
  mkdirSync(flow);
  mkdirSync(step);
  const text = `Read a ${i}\n and b ${i}\n.`;
  writeFileSync(join(step, 'prompt.txt'), text);
  writeFileSync(join(step, 'output.txt'), text);
  writeFileSync(join(step, 'response.json'), JSON.stringify({ offline: true, output_text: text }, null, 2) + '\n');
  const record = { schema: 1, status: 'succeeded', output: 'output.txt', usage, duration_ms: 1, fingerprint: 'f'.repeat(64) };
  writeFileSync(join(step, 'step.json'), JSON.stringify(record, null, 2) + '\n');
  const result = {
    id,
    branch: [],
    keys: { a: `a/${i}.txt`, b: `b/${i}.txt` },
    status: 'succeeded',
    output: text,
    final_message: null,
    error: null,
    duration_ms: 1,
    usage,
    steps: [{ name: 'one', type: 'openai', status: 'succeeded', duration_ms: 1, usage, dir: `${id}/01_one` }],
    changes: null,
  };
  writeFileSync(join(flow, 'result.json'), JSON.stringify(result, null, 2) + '\n');
}
