/**
 * Mistakes a new user makes, each said with its fix (issue 24.4): a --base-url without /v1 that
 * the server answers with 404, and a key list whose paths are relative to its own folder. The
 * CLI (in the jest process) against the fake OpenAI server; the config's own mistakes are in test/corpus/reject/.
 */
import { describe, expect, test } from '@jest/globals';
import { expectExit } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { fakeOpenAI, keyFiles, project } from './helpers/project.js';

const KEY = 'sk-test-mistakes-0123456789abcdef';
const CHAT_HINT = 'if it speaks only Chat Completions, set "api": "chat" on the step or pass --api chat';

describe('a 404 from the model server', () => {
  test('a --base-url without /v1: the /v1 hint comes first, then the Chat Completions one', async () => {
    const server = await fakeOpenAI();
    const root = server.url.replace(/\/v1$/, '');
    const dir = project([{ type: 'openai', prompt: 'Hi {{{DOC}}}' }], keyFiles('docs.list', { 'a.txt': 'a' }));
    const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--base-url', root, '--retries', '0'], { OPENAI_API_KEY: KEY });
    expectExit(o, 1);
    const error: string = o.results.flows[0].error;
    expect(error).toContain('HTTP 404');
    const v1 = error.indexOf(
      `the base URL ${root} has no /v1 in its path, where OpenAI-compatible servers answer: try --base-url ${root}/v1`,
    );
    expect(v1).toBeGreaterThan(0);
    expect(error.indexOf(CHAT_HINT)).toBeGreaterThan(v1);
    // the end of the run shows it too
    expect(o.stderr).toContain('no /v1 in its path');
  }, 30_000);

  test('with /v1 in the URL and on Chat Completions: only the hint that can be true', async () => {
    const server = await fakeOpenAI(() => ({ status: 404 }));
    const dir = project([{ type: 'openai', prompt: 'Hi {{{DOC}}}' }], keyFiles('docs.list', { 'a.txt': 'a' }));
    const responses = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--retries', '0'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
    });
    expectExit(responses, 1);
    expect(responses.results.flows[0].error).toContain(CHAT_HINT);
    expect(responses.results.flows[0].error).not.toContain('/v1 in its path');

    const chat = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--retries', '0', '--api', 'chat', '--run-id', 'chat'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
    });
    expect(chat.code).toBe(1);
    expect(chat.stderr).toContain('HTTP 404');
    expect(chat.stderr).not.toContain('--api chat');
  }, 30_000);
});

describe('a placeholder written the promptfoo or Mustache way', () => {
  test('{{DOC}} or {{{ DOC }}} for a key is refused before anything runs (it would reach every call as text), naming step, field and the fix', async () => {
    const dir = project(
      [
        { type: 'openai', name: 'ask', prompt: 'Summarise {{DOC}}, then {{{ DOC:path }}}; leave ${{ github.sha }} and {{other}} alone' },
        { name: 'count', cmd: 'wc -c < {{{ DOC }}}' },
      ],
      keyFiles('docs.list', { 'docs/1.txt': 'one' }),
    );
    const result = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--offline'], {});
    expectExit(result, 2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('orchestrator: error:'));
    expect(errors).toEqual([
      'orchestrator: error: config.json: step 1 ("ask"): {{DOC}} in "prompt" is not a placeholder (they take three braces, no spaces): write {{{DOC}}}',
      'orchestrator: error: config.json: step 1 ("ask"): {{{ DOC:path }}} in "prompt" is not a placeholder (they take three braces, no spaces): write {{{DOC:path}}}',
      'orchestrator: error: config.json: step 2 ("count"): {{{ DOC }}} in "cmd" is not a placeholder (they take three braces, no spaces): write {{{DOC}}}',
    ]);
  });
});
