/**
 * `--offline` runs the whole chain (README "Try it"): an `array: true` model or codex step answers
 * with a one-element array holding its prompt, so the steps after it run too, on one branch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { project } from './helpers/project.js';

test('offline, array model and codex steps yield one element each (their prompt) and the chain runs to the end', async () => {
  const dir = project([
    { type: 'openai', name: 'list', prompt: 'List topics', array: true },
    { type: 'codex', prompt: 'Plan', array: true },
    { type: 'openai', name: 'write', prompt: 'Write' },
  ]);
  const o = await orchestrateInProcess(dir, ['--offline']);
  expectExit(o, 0);
  expect(o.results).toMatchObject({ total: 1, succeeded: 1, failed: 0 });
  const leaf = o.results.flows[0];
  expect(leaf).toMatchObject({ id: 'flow_0001', branch: [1, 1], status: 'succeeded', output: 'Write\n\nPlan\n\nList topics' });
  expect(leaf.steps.map((s: any) => [s.name, s.status])).toEqual([
    ['list', 'succeeded'],
    ['codex', 'succeeded'],
    ['write', 'succeeded'],
  ]);
  // the array step's files hold the array it answered with
  expect(JSON.parse(readFileSync(join(o.runDir, 'flow_0001', '01_list', 'output.txt'), 'utf8'))).toEqual(['List topics']);
  expect(JSON.parse(readFileSync(join(o.runDir, 'flow_0001', 'branch_1', 'codex_exec_2', 'final_message.txt'), 'utf8'))).toEqual([
    'Plan\n\nList topics',
  ]);
}, 30_000);
