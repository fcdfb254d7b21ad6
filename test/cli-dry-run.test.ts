/**
 * `--dry-run` with the CLI (in the jest process): the config and keys are checked as a run checks them (same
 * errors, exit 2), then the flows, their filled-in prompts and commands and the cost estimate are
 * printed; the fake OpenAI server gets no request, no cmd runs, no run directory is made.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, expectExit } from './helpers/cli.js';
import { runCliInProcess } from './helpers/cli-inprocess.js';
import { docProject, fakeOpenAI } from './helpers/project.js';

const KEY = 'sk-test-dry-run-0123456789abcdef';

const CONFIG = {
  steps: [
    { type: 'openai', name: 'draft', prompt: 'Summarise {{{DOC}}} from {{{DOC:path}}}', model: 'gpt-5.4' },
    { type: 'shout', cmd: 'touch "$PWD/touched"; tr a-z A-Z; cat {{{DOC:path}}}' },
    { type: 'openai', name: 'polish', prompt: 'Polish' },
  ],
};

describe('--dry-run', () => {
  test('prints the flows with filled-in prompts and commands and an estimate; calls, runs and writes nothing', async () => {
    const server = await fakeOpenAI();
    const dir = docProject(CONFIG, 5);
    const env = baseEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    // a bare --dry-run before the config: the config is not taken as its value
    const o = await runCliInProcess(['--dry-run', 'config.json', '--key', 'DOC:docs.list', '--run-id', 't'], { cwd: dir, env });
    expectExit(o, 0);
    expect(o.stdout).toContain('flows: 5');
    expect(o.stdout).toContain('showing the first 3 of 5 flows');
    expect(o.stdout).toContain('Summarise doc-1 from docs/1.txt');
    expect(o.stdout).toContain('from docs/1.txt');
    expect(o.stdout).toContain('{{{DOC:path}}} = "docs/3.txt"');
    expect(o.stdout).not.toContain('flow_0004');
    expect(o.stdout).toContain('then a blank line and the output of step 2 (shout)');
    // gpt-5.4 is priced: a dollar estimate with its assumptions stated
    expect(o.stdout).toMatch(/step 1 "draft" \(openai, gpt-5\.4, \$2\.5 in \/ \$15 out per 1M tokens\): 5 calls; .*≈ \$\d/);
    expect(o.stdout).toContain('assuming every reply');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'touched'))).toBe(false);
    expect(existsSync(join(dir, 'generated'))).toBe(false);

    const all = await runCliInProcess(['config.json', '--dry-run=all', '--key', 'DOC:docs.list'], { cwd: dir, env });
    expectExit(all, 0);
    expect(all.stdout).toContain('showing all 5 flows');
    expect(all.stdout).toContain('flow_0005');
    const two = await runCliInProcess(['config.json', '--key', 'DOC:docs.list', '--dry-run', '2'], { cwd: dir, env });
    expectExit(two, 0);
    expect(two.stdout).toContain('showing the first 2 of 5 flows');
    expect(two.stdout).not.toContain('flow_0003');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  test('bad input fails as a run would (exit 2, the same message) and nothing is written', async () => {
    const dir = docProject({ steps: [{ type: 'openai', prompt: 'Summarise {{{DOC}}} and {{{OTHER}}}' }] }, 2);
    const env = baseEnv({});
    const dry = await runCliInProcess(['config.json', '--dry-run', '--key', 'DOC:docs.list'], { cwd: dir, env });
    const real = await runCliInProcess(['config.json', '--key', 'DOC:docs.list'], { cwd: dir, env });
    expectExit(dry, 2);
    expect(dry.stderr).toContain('{{{OTHER}}} in "prompt" has no key');
    // the key is what a run needs to call, not input: the dry run does not stop on it (the test below)
    expect(real.stderr).toContain('OPENAI_API_KEY is not set');
    expect(dry.stderr).toBe(real.stderr.replace(/^.*OPENAI_API_KEY is not set.*\n/m, ''));
    expect(dry.stdout).toBe('');
    expect(existsSync(join(dir, 'generated'))).toBe(false);
    const bad = await runCliInProcess(['config.json', '--dry-run=some', '--key', 'DOC:docs.list'], { cwd: dir, env });
    expectExit(bad, 2);
    expect(bad.stderr).toContain('expected all, or the number of flows to show');
  });

  test('without OPENAI_API_KEY or codex: the flows are shown (exit 0), with a warning that a run would stop on each', async () => {
    const codex = { steps: [...CONFIG.steps, { type: 'codex', name: 'edit', prompt: 'Edit {{{DOC:path}}}' }] };
    const dir = docProject(codex, 2);
    const env = baseEnv({});
    const dry = await runCliInProcess(['config.json', '--dry-run', '--key', 'DOC:docs.list', '--codex-path', 'no-such-codex'], {
      cwd: dir,
      env,
    });
    expectExit(dry, 0);
    expect(dry.stdout).toContain('Summarise doc-1 from docs/1.txt');
    expect(dry.stderr).toMatch(/warning: OPENAI_API_KEY is not set, and the config has openai steps/);
    expect(dry.stderr).toMatch(/warning: --codex-path "no-such-codex": no executable file there/);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
    const real = await runCliInProcess(['config.json', '--key', 'DOC:docs.list', '--codex-path', 'no-such-codex'], { cwd: dir, env });
    expectExit(real, 2);
    expect(real.stderr).toContain('OPENAI_API_KEY is not set');
  });

  test('--offline: the cost is nothing', async () => {
    const dir = docProject(CONFIG, 1);
    const o = await runCliInProcess(['config.json', '--dry-run', '--offline', '--key', 'DOC:docs.list'], { cwd: dir, env: baseEnv({}) });
    expectExit(o, 0);
    expect(o.stdout).toContain('showing the flow');
    expect(o.stdout).toContain('cost: $0 (--offline');
    expect(existsSync(join(dir, 'touched'))).toBe(false);
  });
});
