/**
 * The Action's report mode (the bundle, as the runner runs it) holds the model key and write tokens
 * while it reads artifacts that shard jobs uploaded after running a PR's code: what it runs and how
 * come from its own inputs and checkout, never from those records.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { annotations, runAction } from './helpers/action.js';
import { startArtifactService, type ArtifactService } from './helpers/artifact-service.js';
import { readJson } from './helpers/cli.js';
import { closeAfterAll, fakeOpenAI, keyFiles, project, scratch } from './helpers/project.js';

const KEY = 'sk-test-action-report-trust-0123456789';
const DOCS = keyFiles('docs.txt', { 'a.md': 'alpha', 'b.md': 'beta', 'c.md': 'gamma' });
const STEPS = [{ name: 'shout', cmd: 'tr a-z A-Z < {{{doc:path}}}' }];

let service: ArtifactService;

beforeAll(async () => {
  service = closeAfterAll(await startArtifactService());
});

/** The env of one job of workflow run `runNumber` (each job its own backend id). */
const job = (runNumber: string): Record<string, string | undefined> => ({
  ...service.env({ jobBackendId: randomUUID() }),
  GITHUB_RUN_ID: runNumber,
});

const newRunNumber = (): string => String(7000 + Math.floor(Math.random() * 100_000));

/**
 * Runs the two legs of a sharded workflow over `config` in their own workspaces (offline), at once
 * as a workflow's matrix jobs run: each is a start of the Action bundle (two, with the re-exec that
 * hides its secrets), most of what this file costs.
 */
async function legs(config: unknown, runNumber: string, files: Record<string, string> = {}): Promise<void> {
  const runs = ['1/2', '2/2'].map((shard) =>
    runAction(
      { config: 'config.json', keys: 'doc:docs.txt', offline: 'true', shard },
      { workspace: realpathSync(project(config, { ...DOCS, ...files })), env: job(runNumber), timeoutMs: 40_000 },
    ),
  );
  for (const leg of await Promise.all(runs)) {
    expect(annotations(leg, 'error')).toEqual([]);
    expect(leg.code).toBe(0);
  }
}

test("report mode: run.json options rewritten in the shards' artifacts (base_url, offline, workdir, sandbox, isolate) route nothing: the other server receives nothing", async () => {
  const server = await fakeOpenAI(() => ({ text: 'overview', usage: { input_tokens: 2, output_tokens: 1 } }));
  const attacker = await fakeOpenAI(() => ({ text: 'stolen', usage: { input_tokens: 2, output_tokens: 1 } }));
  const config = {
    steps: STEPS,
    after: [
      { type: 'openai', name: 'overview', prompt: 'Overview:' },
      { name: 'where', cmd: 'pwd' },
    ],
  };
  const runNumber = newRunNumber();
  await legs(config, runNumber);
  // what a shard job running a PR's code can upload: its records, rewritten
  const elsewhere = scratch();
  let tampered = 0;
  for (const artifact of service.live()) {
    if (!artifact.name.includes(`run_gh${runNumber}`)) continue;
    for (const [path, bytes] of artifact.files) {
      if (!/(^|\/)(run\.json|shards\/\d+-of-\d+\.json)$/.test(path)) continue;
      const record = JSON.parse(bytes.toString('utf8'));
      record.options = {
        ...record.options,
        base_url: attacker.url,
        offline: false,
        workdir: elsewhere,
        sandbox: 'danger-full-access',
        isolate: 'worktree',
      };
      artifact.files.set(path, Buffer.from(JSON.stringify(record)));
      tampered++;
    }
  }
  expect(tampered).toBeGreaterThanOrEqual(4);

  const ws = realpathSync(project(config, DOCS));
  const report = await runAction(
    { mode: 'report', config: 'config.json', 'openai-api-key': KEY },
    { workspace: ws, env: { ...job(runNumber), OPENAI_BASE_URL: server.url }, timeoutMs: 40_000 },
  );
  expect(attacker.requests).toEqual([]);
  expect(annotations(report, 'error')).toEqual([]);
  expect(report.code).toBe(0);
  expect(server.requests.filter((r) => r.prompt.startsWith('Overview'))).toHaveLength(1);
  // the cmd after step ran in this job's workspace, not where the records said
  expect(report.outputs['after-output']).toBe(`${ws}\n`);
});

describe("report mode: after steps injected into the shards' config.json copies never run", () => {
  /** A config whose one step rewrites the run's config.json to add an after step that writes `marker`. */
  function injecting(marker: string): { config: unknown; files: Record<string, string> } {
    const inject = [
      "const fs = require('node:fs');",
      "const file = process.env.ORCHESTRATOR_RUN_DIR + '/config.json';",
      "const config = JSON.parse(fs.readFileSync(file, 'utf8'));",
      `config.after = [{ name: 'pwn', cmd: ${JSON.stringify(`touch ${marker}`)} }];`,
      'fs.writeFileSync(file, JSON.stringify(config));',
    ].join('\n');
    return { config: { steps: [{ name: 'tests', cmd: 'node inject.cjs && cat {{{doc:path}}}' }] }, files: { 'inject.cjs': inject } };
  }

  // one workflow run whose shard jobs rewrote their config.json copies, and its report job run twice
  // (without and with the input 'config', as a re-run of it would be)
  const marker = join(scratch(), 'pwned');
  const { config, files } = injecting(marker);
  const runNumber = newRunNumber();
  beforeAll(() => legs(config, runNumber, files));

  test("without the input 'config': the copies (all rewritten alike) are not run; the step fails naming the copy and the input", async () => {
    const ws = realpathSync(project('{}', {}));
    const report = await runAction({ mode: 'report', offline: 'true' }, { workspace: ws, env: job(runNumber), timeoutMs: 40_000 });
    expect(existsSync(marker)).toBe(false);
    expect(report.code).toBe(1);
    const errors = annotations(report, 'error').join('\n');
    expect(errors).toContain('after steps not run:');
    expect(errors).toContain(`run_gh${runNumber}/config.json lists after steps`);
    expect(errors).toContain("the input 'config'");
    const after = readJson(join(ws, 'generated', `run_gh${runNumber}`, 'results.json')).after;
    expect(after).toMatchObject({ status: 'failed', steps: [] });
  });

  test("with the input 'config': the rewritten copy disagrees with it and is refused, naming the file", async () => {
    const ws = realpathSync(project(config, { ...DOCS, ...files }));
    const report = await runAction(
      { mode: 'report', config: 'config.json', offline: 'true' },
      { workspace: ws, env: job(runNumber), timeoutMs: 40_000 },
    );
    expect(existsSync(marker)).toBe(false);
    expect(report.code).toBe(1);
    expect(annotations(report, 'error').join('\n')).toMatch(
      new RegExp(`after steps not run: \\S+/run_gh${runNumber}/config\\.json is not the config you passed \\(config\\.json\\)`),
    );
  });
});
