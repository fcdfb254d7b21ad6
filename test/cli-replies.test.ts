/**
 * A reply cut short, failed, refused, empty or not JSON at all is a failed step (README "Running a
 * flow"), through the CLI (in the jest process) and the official SDK against the loopback fake: each flow of one run
 * meets one kind of answer, chosen by its key file. Such a step is not retried unless the server
 * says the cause is passing, and nothing it returned is passed on to the next step.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, type Outcome } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import type { FakeOpenAI, RecordedRequest, Reply } from './helpers/fake-openai.js';
import { fakeOpenAI, keyFiles, project } from './helpers/project.js';

const KEY = 'sk-test-replies-0123456789abcdef';

/** One flow per case: docs/<case>.txt holding the case's name, so the fake knows what to answer. */
function cases(names: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) files[`docs/${name}.txt`] = name;
  return keyFiles('docs.list', files);
}

const caseOf = (req: RecordedRequest): string => /CASE (\S+)/.exec(req.prompt)?.[1] ?? '';

/** A run of `ask` (openai, api as given) then `shout` (a cmd fed its output), one flow per case. */
async function run(server: FakeOpenAI, names: readonly string[], api: 'responses' | 'chat', env: Record<string, string> = {}) {
  const dir = project(
    [
      { type: 'openai', name: 'ask', prompt: 'CASE {{{DOC}}}', api },
      { name: 'shout', cmd: 'tr a-z A-Z' },
    ],
    cases(names),
  );
  const o = await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--retries', '2'], {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: server.url,
    ...env,
  });
  const leaf = (name: string) => o.results.flows[names.indexOf(name)];
  const calls = (name: string) => server.requests.filter((r) => caseOf(r) === name).length;
  const stepDir = (name: string, step = '01_ask') => join(o.runDir, `flow_${String(names.indexOf(name) + 1).padStart(4, '0')}`, step);
  return { o, leaf, calls, stepDir };
}

function expectFailedAtAsk(o: Outcome, leaf: any, error: RegExp): void {
  expect(leaf.status).toBe('failed');
  expect(leaf.error).toMatch(/^step 1 \("ask"\): /);
  expect(leaf.error).toMatch(error);
  // the next step never ran: nothing cut short was passed on
  expect(leaf.steps.map((s: any) => [s.name, s.status])).toEqual([['ask', 'failed']]);
  expect(leaf.output).toBeNull();
  expect(o.code).toBe(1);
}

describe('Responses API: status inside a 200', () => {
  const NAMES = ['ok', 'maxtokens', 'filtered', 'failed', 'flaky', 'empty', 'blank', 'refused', 'cancelled'];
  const answers: Record<string, (n: number) => Reply> = {
    ok: () => ({ text: 'fine' }),
    maxtokens: () => ({ text: 'The first half of an ans', incomplete: 'max_output_tokens' }),
    filtered: () => ({ text: 'partial', incomplete: 'content_filter' }),
    failed: () => ({ failed: { code: 'invalid_prompt', message: 'the prompt was refused' } }),
    // a failure the server calls passing: retried, and the second attempt answers
    flaky: (n) => (n === 1 ? { failed: { code: 'server_error', message: 'try again' } } : { text: 'recovered' }),
    empty: () => ({ nullOutput: true }),
    blank: () => ({ text: '' }),
    refused: () => ({ refusal: "I can't help with that." }),
    cancelled: () => ({ json: { object: 'response', status: 'cancelled', output: [] } }),
  };

  test('incomplete, failed, cancelled, empty and refused replies fail their step, saying which; only a transient failure is retried', async () => {
    const seen: Record<string, number> = {};
    const server = await fakeOpenAI((req) => {
      const name = caseOf(req);
      seen[name] = (seen[name] ?? 0) + 1;
      return answers[name]!(seen[name]);
    });
    const { o, leaf, calls, stepDir } = await run(server, NAMES, 'responses');
    expectExit(o, 1);
    expect(o.results).toMatchObject({ total: 9, succeeded: 2, failed: 7 });
    expect(leaf('ok')).toMatchObject({ status: 'succeeded', output: 'FINE' });
    expect(leaf('flaky')).toMatchObject({ status: 'succeeded', output: 'RECOVERED' });
    expect(calls('flaky')).toBe(2);

    expectFailedAtAsk(
      o,
      leaf('maxtokens'),
      /cut short \(status "incomplete", reason "max_output_tokens"\): the model reached its output token limit/,
    );
    expectFailedAtAsk(
      o,
      leaf('filtered'),
      /cut short \(status "incomplete", reason "content_filter"\): the provider's content filter stopped it/,
    );
    expectFailedAtAsk(
      o,
      leaf('failed'),
      /reported the response as failed \(status "failed", error invalid_prompt: the prompt was refused\)/,
    );
    expectFailedAtAsk(o, leaf('cancelled'), /status "cancelled", expected "completed"/);
    expectFailedAtAsk(o, leaf('empty'), /holds no text \(an empty output\)/);
    expectFailedAtAsk(o, leaf('blank'), /holds no text \(an empty output\)/);
    expectFailedAtAsk(o, leaf('refused'), /the model refused: "I can't help with that\."/);
    // none of these is asked again: the same request would pay for the same answer
    for (const name of ['maxtokens', 'filtered', 'failed', 'cancelled', 'empty', 'blank', 'refused'])
      expect([name, calls(name)]).toEqual([name, 1]);

    // a reply cut short was still paid for: its tokens are counted (and count against --token-budget)
    // (gpt-5-mini, the default model: $0.25 per 1M input tokens, $2 per 1M output tokens)
    const paid = { input_tokens: 10, output_tokens: 5, cached_input_tokens: 0, cost_usd: (10 * 0.25 + 5 * 2) / 1e6 };
    expect(leaf('maxtokens').steps[0].usage).toEqual(paid);
    expect(leaf('maxtokens').usage).toEqual(paid);
    // the partial text and the whole response are kept in the step directory, for a look
    expect(readFileSync(join(stepDir('maxtokens'), 'output.txt'), 'utf8')).toBe('The first half of an ans');
    expect(JSON.parse(readFileSync(join(stepDir('maxtokens'), 'response.json'), 'utf8')).incomplete_details).toEqual({
      reason: 'max_output_tokens',
    });
    expect(readFileSync(join(stepDir('maxtokens'), 'error.txt'), 'utf8')).toMatch(/max_output_tokens/);
    expect(existsSync(stepDir('maxtokens', '02_shout'))).toBe(false);
    expect(existsSync(join(stepDir('empty'), 'output.txt'))).toBe(false);
  }, 30_000);
});

describe('Chat Completions: finish_reason and content', () => {
  const NAMES = ['ok', 'length', 'filter', 'null', 'refused', 'tools'];
  const answers: Record<string, Reply> = {
    ok: { text: 'fine' },
    length: { text: 'cut mid-sen', incomplete: 'max_output_tokens' },
    filter: { text: '', incomplete: 'content_filter' },
    null: { nullOutput: true },
    refused: { refusal: 'No.' },
    tools: { toolCommand: 'ls' },
  };

  test('finish_reason length or content_filter, null content, a refusal or a tool call fail the step, saying which', async () => {
    const server = await fakeOpenAI((req) => answers[caseOf(req)]!);
    const { o, leaf, calls, stepDir } = await run(server, NAMES, 'chat');
    expectExit(o, 1);
    expect(o.results).toMatchObject({ total: 6, succeeded: 1, failed: 5 });
    expect(leaf('ok')).toMatchObject({ status: 'succeeded', output: 'FINE' });
    expectFailedAtAsk(o, leaf('length'), /cut short \(finish_reason "length"\): the model reached its output token limit/);
    expectFailedAtAsk(o, leaf('filter'), /cut short \(finish_reason "content_filter"\)/);
    expectFailedAtAsk(o, leaf('null'), /holds no text \(message content null\)/);
    expectFailedAtAsk(o, leaf('refused'), /the model refused: "No\."/);
    expectFailedAtAsk(o, leaf('tools'), /asked to call a tool instead of answering/);
    for (const name of NAMES) expect([name, calls(name)]).toEqual([name, 1]);
    expect(readFileSync(join(stepDir('length'), 'output.txt'), 'utf8')).toBe('cut mid-sen');
  }, 30_000);
});

describe('bodies that are not a reply', () => {
  const NAMES = ['ok', 'html', 'garbage', 'nothing', 'huge'];
  const answers: Record<string, Reply> = {
    ok: { text: 'fine' },
    html: { rawBody: '<html><body>Welcome to nginx!</body></html>', contentType: 'text/html' },
    garbage: { rawBody: 'not json {', contentType: 'application/json' },
    nothing: { rawBody: '', contentType: 'application/json' },
    huge: { text: 'x'.repeat(5000) },
  };

  test('a 200 whose body is not JSON, and a reply over the output cap, fail the step with a clear message, not retried', async () => {
    const server = await fakeOpenAI((req) => answers[caseOf(req)]!);
    // the cap lowered for the test: a 5,000-character reply is over it, "fine" is not
    const { o, leaf, calls } = await run(server, NAMES, 'responses', { ORCHESTRATOR_MAX_OUTPUT_BYTES: '2000' });
    expectExit(o, 1);
    expect(leaf('ok')).toMatchObject({ status: 'succeeded', output: 'FINE' });
    const server200 = /the model server at http:\/\/127\.0\.0\.1:\d+\/v1 answered HTTP 200/;
    expectFailedAtAsk(o, leaf('html'), server200);
    expect(leaf('html').error).toContain('(content-type text/html) with a body that is not a JSON object: "<html><body>Welcome to nginx!');
    expect(leaf('html').error).toContain('check that --base-url or OPENAI_BASE_URL points at an OpenAI-compatible API');
    expectFailedAtAsk(o, leaf('garbage'), /a body that is not a JSON object: "not json \{"/);
    expectFailedAtAsk(o, leaf('nothing'), /with an empty body/);
    expectFailedAtAsk(o, leaf('huge'), /the reply is larger than the 2000 bytes a step's output may be/);
    for (const name of NAMES) expect([name, calls(name)]).toEqual([name, 1]);
    expect(o.stderr).not.toMatch(/internal error|SyntaxError|TypeError/);
  }, 30_000);
});
