/**
 * The Action's `values` input through the bundle of the current source: one `NAME:FILE` per line,
 * each line of FILE a value; its lists multiply the flows after those of `keys`; `plan` counts the
 * same flows; the job summary shows the values as the leaves' keys; a bad line fails the step
 * naming the input.
 */
import { realpathSync } from 'node:fs';
import { annotations, runAction, summaryRows } from './helpers/action.js';
import { readJson } from './helpers/cli.js';
import { keyFiles, scratch } from './helpers/project.js';

const CONFIG = JSON.stringify([{ type: 'tag', cmd: 'printf "%s on %s" {{{id}}} "$(cat {{{doc:path}}})"' }]);
const workspace = (): string =>
  realpathSync(scratch({ 'config.json': CONFIG, 'ids.txt': 'A-1\nB 2\n', ...keyFiles('docs.txt', { 'docs/x.md': 'doc X' }) }));

test('values: each line a value, after the keys lists; plan counts the same flows', async () => {
  const ws = workspace();
  const inputs = { config: 'config.json', keys: 'doc:docs.txt', values: 'id:ids.txt', offline: 'true', upload: 'false' };
  const result = await runAction(inputs, { workspace: ws, env: { GITHUB_RUN_ID: '31' } });
  expect(result.code).toBe(0);
  const results = readJson(result.outputs.results!);
  expect(results.flows.map((f: { keys: unknown; output: string }) => [f.keys, f.output])).toEqual([
    [{ doc: 'docs/x.md', id: 'A-1' }, 'A-1 on doc X'],
    [{ doc: 'docs/x.md', id: 'B 2' }, 'B 2 on doc X'],
  ]);
  expect(summaryRows(result.summary).get('flow_0002')).toContain('id: B 2');

  const plan = await runAction({ ...inputs, mode: 'plan', shards: '5' }, { workspace: ws, env: { GITHUB_RUN_ID: '32' } });
  expect(plan.code).toBe(0);
  expect(plan.outputs.matrix).toBe('{"include":[{"shard":"1/2","flows":1},{"shard":"2/2","flows":1}]}');
});

test('a bad values line fails the step, naming the input and the line', async () => {
  const result = await runAction(
    { config: 'config.json', values: 'ids.txt', offline: 'true', upload: 'false' },
    { workspace: workspace(), env: { GITHUB_RUN_ID: '33' } },
  );
  expect(result.code).not.toBe(0);
  expect(annotations(result, 'error').join('\n')).toContain(`The input 'values' has a line "ids.txt", but it must be NAME:FILE`);
});
