/**
 * The pure parts of --batch (src/steps/batch/): gathering requests into batch files within the
 * API's limits, reading output and error lines as untrusted data and sorting their failures by the
 * retry rules, and batch records read back from a run directory.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { progressLine } from '../../src/progress/render.js';
import { Gatherer } from '../../src/steps/batch/gather.js';
import { lineAnswer, readResultLine, streamLines } from '../../src/steps/batch/lines.js';
import { parseBatchRecord, readBatchRecords } from '../../src/steps/batch/record.js';
import { waitFor } from '../helpers/processes.js';
import { scratch } from '../helpers/project.js';

describe('Gatherer', () => {
  const sent: [string, number[]][] = [];
  const gatherer = (limits: { maxRequests?: number; maxBytes?: number; quietMs?: number; maxWaitMs?: number } = {}) =>
    new Gatherer<{ bytes: number; n: number }>({ quietMs: 50, maxWaitMs: 10_000, maxRequests: 3, maxBytes: 100, ...limits }, (key, items) =>
      sent.push([key, items.map((i) => i.n)]),
    );
  beforeEach(() => (sent.length = 0));

  test('a full file (requests) is sent at once, the rest after the quiet window; one group per model and endpoint', async () => {
    const g = gatherer();
    for (let n = 1; n <= 4; n++) g.add('responses gpt-a', { bytes: 1, n });
    g.add('chat gpt-a', { bytes: 1, n: 5 });
    expect(sent).toEqual([['responses gpt-a', [1, 2, 3]]]);
    expect(g.pending).toBe(2);
    await waitFor('the quiet window to send the rest', () => g.pending === 0, 10_000);
    expect(sent).toEqual([
      ['responses gpt-a', [1, 2, 3]],
      ['responses gpt-a', [4]],
      ['chat gpt-a', [5]],
    ]);
  });

  test('a request that would take the file past its bytes starts the next file', () => {
    const g = gatherer({ maxRequests: 50 });
    g.add('k', { bytes: 60, n: 1 });
    g.add('k', { bytes: 60, n: 2 });
    expect(sent).toEqual([['k', [1]]]);
    expect(g.clear().map((i) => i.n)).toEqual([2]);
    expect(g.pending).toBe(0);
  });

  test('requests that keep coming are sent once the first has waited maxWaitMs', async () => {
    const g = gatherer({ maxRequests: 1000, quietMs: 40, maxWaitMs: 120 });
    for (let n = 1; n <= 10; n++) {
      g.add('k', { bytes: 1, n });
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    g.clear();
    // never 40 ms without a request, yet the first batch did not wait for all ten
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]![1].length).toBeLessThan(10);
  });
});

describe('batch result lines', () => {
  test('an answered line, an error line, and lines that are not one (skipped)', () => {
    const ok = readResultLine(JSON.stringify({ custom_id: 'r1', response: { status_code: 200, body: { id: 'resp' } }, error: null }));
    expect(ok).toEqual({ customId: 'r1', status: 200, body: { id: 'resp' } });
    expect(lineAnswer(ok!)).toEqual({ body: { id: 'resp' } });
    const expired = readResultLine(JSON.stringify({ custom_id: 'r2', response: null, error: { code: 'batch_expired', message: 'late' } }));
    expect(lineAnswer(expired!)).toEqual({ message: 'error batch_expired: late', retryable: true, unanswered: true });
    for (const bad of ['not json', '[]', '{"custom_id": 3}', '{"custom_id": "r", "response": {"status_code": "200", "body": {}}}']) {
      expect(readResultLine(bad)).toBeUndefined();
    }
  });

  test('the retry rules of a direct call: 429 and 5xx again, other statuses and a cancelled batch not', () => {
    const status = (code: number) =>
      lineAnswer({ customId: 'r', status: code, body: { error: { message: `status ${code}` } } }) as {
        retryable: boolean;
        message: string;
      };
    expect(status(429)).toEqual({ message: 'HTTP 429: status 429', retryable: true });
    expect(status(503).retryable).toBe(true);
    expect(status(400).retryable).toBe(false);
    expect(status(401).retryable).toBe(false);
    expect(lineAnswer({ customId: 'r', error: { code: 'batch_cancelled', message: '' } })).toEqual({
      message: 'error batch_cancelled',
      retryable: false,
      unanswered: true,
    });
    expect(lineAnswer({ customId: 'r', error: { code: 'server_error', message: '' } })).toEqual({
      message: 'error server_error',
      retryable: true,
    });
  });

  test('streamLines splits chunks into lines, across chunk ends and multi-byte characters, and drops an over-long line', async () => {
    const bytes = Buffer.from('{"a":"é"}\n\n{"b":1}\n' + 'x'.repeat(50) + '\n{"c":2}');
    const chunks = async function* () {
      for (let i = 0; i < bytes.length; i += 7) yield await Promise.resolve(bytes.subarray(i, i + 7));
    };
    const lines: string[] = [];
    for await (const line of streamLines(chunks(), 20)) lines.push(line);
    expect(lines).toEqual(['{"a":"é"}', '{"b":1}', '{"c":2}']);
  });
});

describe('batch records read back', () => {
  const record = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      schema: 1,
      id: 'batch_1',
      endpoint: '/v1/responses',
      model: 'gpt-a',
      input_file_id: 'file_1',
      created_at: '2026-01-01T00:00:00Z',
      requests: [{ custom_id: 'r1', dir: 'flow_0001/01_draft', hash: 'a'.repeat(64) }],
      ...over,
    });

  test('a record we wrote is read as it is', () => {
    expect(parseBatchRecord(record(), 'batch_1')).toMatchObject({
      id: 'batch_1',
      requests: [{ custom_id: 'r1', dir: 'flow_0001/01_draft' }],
    });
  });

  test.each([
    ['an id that is not the file name', { id: 'batch_2' }, '"id" is not the file\'s name'],
    ['an endpoint of another kind', { endpoint: '/v1/embeddings' }, '"endpoint"'],
    ['a step directory outside the run', { requests: [{ custom_id: 'r1', dir: '../../etc', hash: 'a'.repeat(64) }] }, '.dir is not'],
    ['an absolute step directory', { requests: [{ custom_id: 'r1', dir: '/etc/passwd', hash: 'a'.repeat(64) }] }, '.dir is not'],
    [
      'a repeated custom_id',
      {
        requests: [
          { custom_id: 'r1', dir: 'a/b', hash: 'a'.repeat(64) },
          { custom_id: 'r1', dir: 'a/c', hash: 'a'.repeat(64) },
        ],
      },
      'repeated',
    ],
    ['a hash that is not one', { requests: [{ custom_id: 'r1', dir: 'a/b', hash: 'x' }] }, 'sha256'],
  ])('refused: %s', (_, over, problem) => {
    expect(parseBatchRecord(record(over), 'batch_1')).toContain(problem);
  });

  test('readBatchRecords skips, and names, a file that is not a record of ours or is a planted link', () => {
    const runDir = scratch();
    mkdirSync(join(runDir, 'batches'));
    writeFileSync(join(runDir, 'batches', 'batch_1.json'), record());
    writeFileSync(join(runDir, 'batches', 'batch_2.json'), record());
    writeFileSync(join(runDir, 'elsewhere.json'), record({ id: 'batch_3' }));
    symlinkSync(join(runDir, 'elsewhere.json'), join(runDir, 'batches', 'batch_3.json'));
    const { records, problems } = readBatchRecords(runDir);
    expect(records.map((r) => r.id)).toEqual(['batch_1']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('batch_2.json');
    expect(problems[1]).toContain('batch_3.json');
  });
});

test('the progress line shows pending batches and their requests, nothing when none is pending', () => {
  const base = { labels: ['draft'], atStep: [3], finished: 0, total: 3 };
  expect(progressLine({ ...base, batches: { pending: 2, requests: 3000, done: 1200 } })).toBe(
    'draft: 3   0/3   batches: 2 pending, 1,200/3,000 requests done',
  );
  expect(progressLine({ ...base, batches: { pending: 0, requests: 0, done: 0 } })).toBe('draft: 3   0/3');
});
