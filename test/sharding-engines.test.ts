/**
 * The shard plan on CI engines other than GitHub (README: docs/sharding.md): each engine gives a
 * job its index in a variable, and the documented command line turns it into `--shard I/N`.
 * GitLab CI `parallel: N` sets CI_NODE_INDEX (1-based) and CI_NODE_TOTAL; a Kubernetes Indexed
 * Job sets JOB_COMPLETION_INDEX (0-based). Each leg runs in its own folder, then `report` merges
 * them into what one unsharded run gives.
 */
import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { BIN, baseEnv } from './helpers/cli.js';
import { scratch } from './helpers/project.js';

const FLOWS = 7;
const LEGS = 3;
const files = Object.fromEntries(Array.from({ length: FLOWS }, (_, i) => [`in/${i + 1}.txt`, `doc ${i + 1}`]));

function project(): string {
  return scratch({
    'config.json': JSON.stringify([
      { name: 'upper', type: 'upper', cmd: 'tr a-z A-Z' },
      { type: 'openai', prompt: 'sum' },
    ]),
    ...files,
    'docs.txt': Object.keys(files).join('\n') + '\n',
  });
}

/** Runs `script` under sh, as a CI job would, with the engine's variables set. */
function sh(dir: string, script: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', script], {
    cwd: dir,
    env: baseEnv({ ...env, ORCHESTRATOR: `${process.execPath} ${BIN}` }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The merged results over the legs' folders, and over one unsharded run: the same leaves. */
function expectSameAsUnsharded(dir: string, legs: string[], runId: string): void {
  const merged = sh(dir, `$ORCHESTRATOR report ${legs.join(' ')} --output merged --format json`);
  expect(merged.stderr).not.toMatch(/shards? left no results/);
  expect(merged.code).toBe(0);
  const results = JSON.parse(merged.stdout) as {
    run_id: string;
    total: number;
    succeeded: number;
    flows: { id: string; output: string }[];
  };
  expect(results.run_id).toBe(runId);
  const whole = sh(
    dir,
    '$ORCHESTRATOR config.json --key doc:docs.txt --offline --output whole --run-id whole >/dev/null 2>&1 && $ORCHESTRATOR report whole/run_whole --format json',
  );
  const single = JSON.parse(whole.stdout) as typeof results;
  expect(results.total).toBe(FLOWS);
  expect(results.succeeded).toBe(FLOWS);
  expect(results.flows.map((f) => [f.id, f.output])).toEqual(single.flows.map((f) => [f.id, f.output]));
}

describe('sharding on other CI engines', () => {
  test('GitLab CI parallel: --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL", then report over the legs', () => {
    const dir = project();
    const plan = sh(dir, `$ORCHESTRATOR plan config.json --shards ${LEGS} --key doc:docs.txt`);
    expect(plan.code).toBe(0);
    const runId = (JSON.parse(plan.stdout) as { run_id: string }).run_id;
    const legs: string[] = [];
    for (let index = 1; index <= LEGS; index++) {
      const leg = sh(
        dir,
        `$ORCHESTRATOR config.json --key doc:docs.txt --offline --run-id "$RUN_ID" --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" --output "shards/$CI_NODE_INDEX"`,
        { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: String(LEGS), RUN_ID: runId },
      );
      expect(leg.code).toBe(0);
      legs.push(`shards/${index}`);
    }
    expectSameAsUnsharded(dir, legs, runId);
  });

  test('Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based, so --shard "$((JOB_COMPLETION_INDEX + 1))/N"', () => {
    const dir = project();
    const legs: string[] = [];
    for (let index = 0; index < LEGS; index++) {
      const leg = sh(
        dir,
        `$ORCHESTRATOR config.json --key doc:docs.txt --offline --run-id k8s --shard "$((JOB_COMPLETION_INDEX + 1))/${LEGS}" --output "shards/$JOB_COMPLETION_INDEX"`,
        { JOB_COMPLETION_INDEX: String(index) },
      );
      expect(leg.code).toBe(0);
      legs.push(`shards/${index}`);
    }
    expectSameAsUnsharded(dir, legs, 'run_k8s');
    // the index as given is refused: 0 is not a shard
    const raw = sh(dir, `$ORCHESTRATOR config.json --key doc:docs.txt --offline --run-id k8s --shard "$JOB_COMPLETION_INDEX/${LEGS}"`, {
      JOB_COMPLETION_INDEX: '0',
    });
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/--shard.*"0\/3"|I must be between 1 and N/);
  });
});
