/**
 * The Action with `batch: true` (README: "Batch API"): the openai steps go through the fake
 * server's Batch API; a job whose batch outlives its `timeout` fails and uploads the batch record
 * with its tree, and a re-run of the job (a new attempt, a fresh workspace) downloads it and
 * collects the same batch instead of sending the requests again — the submit-then-collect pattern.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { ACTION_BUNDLE, annotations, runAction } from './helpers/action.js';
import { startArtifactService } from './helpers/artifact-service.js';
import { closeAfterAll, fakeOpenAI, keyFiles, scratch } from './helpers/project.js';

beforeAll(() => {
  expect(existsSync(ACTION_BUNDLE)).toBe(true);
});

const KEY = 'sk-test-ActionBatch-0123456789abcdef';

test('batch: a job whose batch is not done within its timeout fails; the re-run collects the same batch', async () => {
  const fake = await fakeOpenAI();
  fake.batches.options.delayMs = 60_000;
  const service = closeAfterAll(await startArtifactService());
  const files = {
    'config.json': JSON.stringify([{ type: 'openai', name: 'x', prompt: 'Summarise {{{doc}}}' }]),
    ...keyFiles('docs.txt', { 'docs/a.md': 'alpha', 'docs/b.md': 'beta', 'docs/c.md': 'gamma' }),
  };
  const inputs = { config: 'config.json', keys: 'doc:docs.txt', 'base-url': fake.url, 'openai-api-key': KEY, batch: 'true', timeout: '2' };
  const env = { GITHUB_RUN_ID: '900', ORCHESTRATOR_BATCH_GATHER_MS: '200', ORCHESTRATOR_BATCH_POLL_MS: '50' };

  const first = await runAction(inputs, { workspace: realpathSync(scratch(files)), env: { ...service.env(), ...env } });
  expect(first.code).toBe(1);
  expect(first.outputs.failed).toBe('3');
  const id = fake.batches.batches[0]!.id;
  expect(annotations(first, 'warning').join('\n')).toContain(`left running at the server with 3 requests: ${id}`);
  const artifact = service.live().find((a) => a.name === 'orchestrator-run_gh900-all');
  expect([...artifact!.files.keys()]).toContain(`run_gh900/batches/${id}.json`);

  fake.batches.options.delayMs = 0;
  const second = await runAction(inputs, {
    workspace: realpathSync(scratch(files)),
    env: { ...service.env({ jobBackendId: randomUUID() }), ...env, GITHUB_RUN_ATTEMPT: '2' },
  });
  expect(annotations(second, 'error')).toEqual([]);
  expect(second.code).toBe(0);
  expect(second.outputs.succeeded).toBe('3');
  // one batch, each line answered once, no direct call
  expect(fake.batches.created).toBe(1);
  expect(fake.batchLines).toHaveLength(3);
  expect(fake.requests.filter((r) => r.path === '/v1/responses')).toHaveLength(0);
}, 90_000);
