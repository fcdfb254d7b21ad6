/**
 * The Action (the bundle, as the runner runs it) with after steps: run mode runs them and sets
 * `after-output`; in a sharded workflow the legs do not, and the report job runs them once over
 * the merged leaves, from the input 'config' only (never the shards' copies).
 */
import { randomUUID } from 'node:crypto';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotations, runAction } from './helpers/action.js';
import { startArtifactService, type ArtifactService } from './helpers/artifact-service.js';
import { readJson } from './helpers/cli.js';
import { closeAfterAll, keyFiles, project } from './helpers/project.js';

let service: ArtifactService;

beforeAll(async () => {
  service = closeAfterAll(await startArtifactService());
});

const CONFIG = {
  steps: [{ name: 'shout', cmd: 'tr a-z A-Z < {{{doc:path}}}' }],
  after: [
    { type: 'openai', name: 'overview', prompt: 'Overview:' },
    { name: 'count', cmd: 'printf "%s leaves" "$(grep -c "^###")"' },
  ],
};
const DOCS = keyFiles('docs.txt', { 'a.md': 'alpha', 'b.md': 'beta', 'c.md': 'gamma' });

const workspace = (): string => realpathSync(project(CONFIG, DOCS));

test('run mode: the after steps run over all leaves, and their output is the output after-output', async () => {
  const ws = workspace();
  const o = await runAction(
    { config: 'config.json', keys: 'doc:docs.txt', offline: 'true', upload: 'false' },
    { workspace: ws, env: { GITHUB_RUN_ID: '77' }, timeoutMs: 40_000 },
  );
  expect(annotations(o, 'error')).toEqual([]);
  expect(o.code).toBe(0);
  expect(o.outputs['after-output']).toBe('3 leaves');
  expect(readJson(join(ws, 'generated', 'run_gh77', 'results.json')).after).toMatchObject({ status: 'succeeded', output: '3 leaves' });
});

test('a sharded workflow: the legs leave the after steps to the report job, which runs them once over every leaf', async () => {
  const runNumber = String(5000 + Math.floor(Math.random() * 1000));
  const job = (): Record<string, string | undefined> => ({ ...service.env({ jobBackendId: randomUUID() }), GITHUB_RUN_ID: runNumber });
  for (const shard of ['1/2', '2/2']) {
    const leg = await runAction(
      { config: 'config.json', keys: 'doc:docs.txt', offline: 'true', shard },
      { workspace: workspace(), env: job(), timeoutMs: 40_000 },
    );
    expect(annotations(leg, 'error')).toEqual([]);
    expect(leg.outputs['after-output']).toBe('');
  }
  // the report job's checkout has the config (input 'config'): the after steps come from it
  const ws = workspace();
  const report = await runAction(
    { mode: 'report', config: 'config.json', offline: 'true' },
    { workspace: ws, env: job(), timeoutMs: 40_000 },
  );
  expect(annotations(report, 'error')).toEqual([]);
  expect(report.code).toBe(0);
  expect(report.outputs['after-output']).toBe('3 leaves');
  const after = readJson(join(ws, 'generated', `run_gh${runNumber}`, 'results.json')).after;
  expect(after).toMatchObject({ status: 'succeeded', output: '3 leaves' });
  expect(after.steps.map((s: { dir: string }) => s.dir)).toEqual(['after/01_overview', 'after/02_count']);
  // the summary leads with the after output
  expect(report.summary).toContain('3 leaves');

  // no input 'config': the copies the shards' records carry are never run; the step says what to pass
  const bare = realpathSync(project('{}', {}));
  const fromCopies = await runAction({ mode: 'report', offline: 'true' }, { workspace: bare, env: job(), timeoutMs: 40_000 });
  expect(fromCopies.code).toBe(1);
  expect(fromCopies.outputs['after-output']).toBe('');
  expect(annotations(fromCopies, 'error').join('\n')).toContain(
    "lists after steps, and report runs after steps only from a config it is given: pass the input 'config'",
  );

  // a checkout whose config ran other steps: the after steps are refused, and the job fails saying why
  const other = workspace();
  writeFileSync(join(other, 'config.json'), JSON.stringify({ ...CONFIG, steps: [{ cmd: 'cat' }] }));
  const refused = await runAction(
    { mode: 'report', config: 'config.json', offline: 'true' },
    { workspace: other, env: job(), timeoutMs: 40_000 },
  );
  expect(refused.code).toBe(1);
  expect(refused.outputs['after-output']).toBe('');
  expect(annotations(refused, 'error').join('\n')).toContain(
    'the after steps failed: after steps not run: config.json is not the config the shards ran',
  );
});
