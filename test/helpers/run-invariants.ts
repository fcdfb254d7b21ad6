/**
 * The invariant every finished run must keep, whatever went wrong in it (README, "Output tree"):
 * results.json parses, holds one entry per leaf sorted by id then branch, its counts and usage add
 * up, every flow has an entry, and each leaf's result.json on disk equals its entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Leaf {
  id: string;
  branch: number[];
  keys: Record<string, string>;
  status: 'succeeded' | 'failed' | 'cancelled';
  output: string | null;
  /** A long output is cut in results.json: how long it is, and the file (relative to the run dir) holding it whole. */
  output_cut?: { chars: number; file: string };
  final_message: string | null;
  error: string | null;
  duration_ms: number;
  usage: { input_tokens: number; output_tokens: number };
  steps: { name: string; type: string; status: string; duration_ms: number; usage: any; dir: string }[];
}

export interface Results {
  schema: 1;
  run_id: string;
  shard: { index: number; count: number };
  flows_total: number;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  usage: { input_tokens: number; output_tokens: number };
  flows: Leaf[];
}

export const flowId = (n: number): string => `flow_${String(n).padStart(4, '0')}`;

function compare(a: Leaf, b: Leaf): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  for (let i = 0; i < Math.min(a.branch.length, b.branch.length); i++) if (a.branch[i] !== b.branch[i]) return a.branch[i]! - b.branch[i]!;
  return a.branch.length - b.branch.length;
}

/** Reads results.json of runDir and checks the invariant; returns the parsed document. */
export function checkResults(runDir: string, flowsTotal: number): Results {
  const path = join(runDir, 'results.json');
  if (!existsSync(path)) throw new Error(`${path} was not written`);
  const text = readFileSync(path, 'utf8');
  let results: Results;
  try {
    results = JSON.parse(text) as Results;
  } catch (error) {
    throw new Error(`results.json does not parse: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (results.schema !== 1) problems.push(`schema is ${JSON.stringify(results.schema)}`);
  if (results.flows_total !== flowsTotal) problems.push(`flows_total is ${results.flows_total}, expected ${flowsTotal}`);
  if (results.total !== results.flows.length) problems.push(`total ${results.total} but ${results.flows.length} entries`);
  if (results.succeeded + results.failed + results.cancelled !== results.total) {
    problems.push(`total ${results.total} != ${results.succeeded} + ${results.failed} + ${results.cancelled}`);
  }
  for (const status of ['succeeded', 'failed', 'cancelled'] as const) {
    const n = results.flows.filter((f) => f.status === status).length;
    if (results[status] !== n) problems.push(`${status} is ${results[status]} but ${n} entries say so`);
  }
  for (let i = 1; i < results.flows.length; i++) {
    if (compare(results.flows[i - 1]!, results.flows[i]!) >= 0) {
      const show = (f: Leaf): string => `${f.id}[${f.branch.join(',')}]`;
      problems.push(`entries out of order: ${show(results.flows[i - 1]!)} before ${show(results.flows[i]!)}`);
    }
  }
  const ids = [...new Set(results.flows.map((f) => f.id))];
  const expected = Array.from({ length: flowsTotal }, (_, i) => flowId(i + 1));
  if (JSON.stringify(ids) !== JSON.stringify(expected)) problems.push(`flow ids ${ids.join(' ')}, expected ${expected.join(' ')}`);
  // usage: each step directory counted once (a step before an array step is in every branch's entry)
  const seen = new Set<string>();
  let input = 0;
  let output = 0;
  for (const leaf of results.flows) {
    for (const step of leaf.steps) {
      if (seen.has(step.dir)) continue;
      seen.add(step.dir);
      input += step.usage?.input_tokens ?? 0;
      output += step.usage?.output_tokens ?? 0;
    }
  }
  if (results.usage.input_tokens !== input || results.usage.output_tokens !== output) {
    problems.push(`usage ${JSON.stringify(results.usage)} but the steps add up to ${input} in / ${output} out`);
  }
  for (const leaf of results.flows) {
    if (!['succeeded', 'failed', 'cancelled'].includes(leaf.status)) problems.push(`${leaf.id}: status ${leaf.status}`);
    if (leaf.status === 'succeeded' ? leaf.error !== null : typeof leaf.error !== 'string' || leaf.error === '') {
      problems.push(`${leaf.id}[${leaf.branch.join('.')}]: ${leaf.status} with error ${JSON.stringify(leaf.error)}`);
    }
    const file = join(runDir, leaf.id, ...leaf.branch.map((b) => `branch_${b}`), 'result.json');
    if (!existsSync(file)) {
      // only a flow that never started has no result.json: a cancelled entry with no steps
      if (leaf.status !== 'cancelled' || leaf.steps.length !== 0 || leaf.branch.length !== 0) {
        problems.push(`${leaf.id}[${leaf.branch.join('.')}]: no result.json, yet ${leaf.status} with ${leaf.steps.length} steps`);
      }
      continue;
    }
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    let expected = leaf;
    if (leaf.output_cut !== undefined) {
      // results.json cuts a long output: the entry keeps its start, and output_cut names the file holding it whole
      const whole = readFileSync(join(runDir, leaf.output_cut.file), 'utf8');
      if (whole !== onDisk.output) problems.push(`${leaf.output_cut.file} is not the whole output of ${file}`);
      if (leaf.output_cut.chars !== whole.length)
        problems.push(`${file}: output_cut.chars ${leaf.output_cut.chars}, output ${whole.length}`);
      if (!whole.startsWith(leaf.output ?? '')) problems.push(`${file}: the cut output is not the start of the whole one`);
      const { output_cut: _cut, ...rest } = leaf;
      expected = { ...rest, output: whole };
    }
    if (JSON.stringify(onDisk) !== JSON.stringify(expected)) problems.push(`${file} differs from its results.json entry`);
  }
  if (problems.length > 0) throw new Error(`results.json of ${runDir} breaks the invariant:\n  ${problems.join('\n  ')}`);
  return results;
}
