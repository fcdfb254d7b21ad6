/**
 * The end of a run says what happened (issue 24.3): why it stopped early (--max-cost or
 * --token-budget reached, with the figure; a signal) and the first failed leaves with their
 * errors, ten at most, then a count. The built CLI against the fake OpenAI server.
 */
import { describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { orchestrate, expectExit } from './helpers/cli.js';
import { waitFor } from './helpers/processes.js';
import { fakeOpenAI, keyFiles, project } from './helpers/project.js';

const KEY = 'sk-test-ending-0123456789abcdef';

function docs(n: number): Record<string, string> {
  return keyFiles('docs.list', Object.fromEntries(Array.from({ length: n }, (_, i) => [`doc${i + 1}.txt`, `doc ${i + 1}`])));
}

/** The lines after the closing `done:` line. */
const ending = (stderr: string): string[] =>
  stderr
    .slice(stderr.indexOf('\ndone: ') + 1)
    .split('\n')
    .slice(1);

describe('the end of a run', () => {
  test('cut by --max-cost: says the limit and what was spent, and how to run the rest', async () => {
    // each call: 1M input tokens of gpt-5-mini (the default model) = $0.25
    const server = await fakeOpenAI((req) => ({ text: `ok ${req.prompt}`, usage: { input_tokens: 1_000_000, output_tokens: 0 } }));
    const dir = project([{ type: 'openai', prompt: 'Do {{{DOC}}}' }], docs(6));
    const o = await orchestrate(dir, ['--key', 'DOC:docs.list', '--parallel', '1', '--max-cost', '0.6'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
    });
    expectExit(o, 1);
    expect(o.stderr).toMatch(/done: 3 succeeded, 0 failed, 3 cancelled; /);
    expect(ending(o.stderr)[0]).toBe(
      "stopped early: --max-cost $0.6000 reached (this run's model calls cost $0.7500); 3 cancelled: run the same command again with --resume --run-id run_t to finish them",
    );
    expect(o.stderr).not.toContain('failed:');
  }, 30_000);

  test('cut by --token-budget: says the budget and the tokens used', async () => {
    const server = await fakeOpenAI((req) => ({ text: `ok ${req.prompt}`, usage: { input_tokens: 400, output_tokens: 100 } }));
    const dir = project([{ type: 'openai', prompt: 'Do {{{DOC}}}' }], docs(5));
    const o = await orchestrate(dir, ['--key', 'DOC:docs.list', '--parallel', '1', '--token-budget', '1000'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
    });
    expectExit(o, 1);
    expect(ending(o.stderr)[0]).toBe(
      'stopped early: --token-budget 1,000 reached (1,000 tokens used); 3 cancelled: run the same command again with --resume --run-id run_t to finish them',
    );
  }, 30_000);

  test('failed leaves: the first ten with their errors, then how many more', async () => {
    const server = await fakeOpenAI((req) =>
      /doc (3|5)$/.test(req.prompt)
        ? { text: `ok ${req.prompt}` }
        : { status: 400, json: { error: { message: `no good: ${req.prompt}\nsecond line` } } },
    );
    const dir = project([{ type: 'openai', name: 'ask', prompt: 'Do {{{DOC}}}' }], docs(14));
    const o = await orchestrate(dir, ['--key', 'DOC:docs.list'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url });
    expectExit(o, 1);
    expect(o.stderr).toMatch(/done: 2 succeeded, 12 failed; /);
    const lines = ending(o.stderr);
    expect(lines[0]).toBe('failed: 12 leaves, the first 10:');
    const listed = lines.slice(1, 11);
    expect(listed.map((line) => line.split(':')[0])).toEqual(
      ['01', '02', '04', '06', '07', '08', '09', '10', '11', '12'].map((n) => `  flow_00${n}`),
    );
    expect(listed[0]).toMatch(/^ {2}flow_0001: step 1 \("ask"\): .*no good: Do doc 1/);
    // one line per leaf: the rest of a multi-line error is left to results.json
    expect(listed.join('\n')).not.toContain('second line');
    expect(lines[11]).toBe('  and 2 more (results.json lists each with its error)');
    expect(lines[12]).toMatch(/^results: /);
    expect(o.stderr).not.toContain('stopped early');
  }, 30_000);

  test('interrupted: names the signal and how to run the rest', async () => {
    const dir = project([{ name: 'slow', cmd: 'touch started; sleep 30' }], docs(4));
    const o = await orchestrate(
      dir,
      ['--key', 'DOC:docs.list', '--parallel', '1', '--output', 'out'],
      {},
      {
        onStart: (pid) =>
          void waitFor('the first step to start', () => existsSync(join(dir, 'started')), 20_000).then(() => process.kill(pid, 'SIGINT')),
      },
    );
    expect(o.code).toBe(130);
    expect(o.stderr).toContain(
      'stopped early: interrupted by SIGINT; 4 cancelled: run the same command again with --resume --run-id run_t --output "out" to finish them',
    );
  }, 30_000);
});
