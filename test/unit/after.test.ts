/** The after steps' pure parts: results.json's `after` read back as data. */
import { listLeaves } from '../../src/engine/after.js';
import { parseAfterResult } from '../../src/results/validate.js';

describe('parseAfterResult: results.json "after" is checked like any file read back', () => {
  const good = {
    status: 'succeeded',
    output: 'All reviews agree.',
    error: null,
    usage: { input_tokens: 10, output_tokens: 5 },
    steps: [{ name: 'overview', type: 'openai', status: 'succeeded', duration_ms: 3, usage: null, dir: 'after/01_overview' }],
  };

  test('null and absent mean no after steps', () => {
    expect(parseAfterResult(null, 'results.json')).toBeNull();
    expect(parseAfterResult(undefined, 'results.json')).toBeNull();
  });

  test('a result as orchestrator writes it is kept', () => {
    expect(parseAfterResult(good, 'results.json')).toEqual(good);
  });

  test('an after step answered from the cache, or in a batch, is kept with its marks', () => {
    const marked = { ...good, steps: [{ ...good.steps[0], cached: true, saved: good.usage, batch: 'batch_abc123' }] };
    expect(parseAfterResult(marked, 'results.json')).toEqual(marked);
  });

  test.each([
    ['a step directory outside after/', { steps: [{ ...good.steps[0], dir: '../../etc' }] }, 'field "after.steps[0].dir"'],
    ['a flow step directory', { steps: [{ ...good.steps[0], dir: 'flow_0001/01_x' }] }, 'under after/'],
    ['an unknown status', { status: 'done' }, 'field "after.status" must be one of succeeded, failed, cancelled'],
    ['an output that is not text', { output: 5 }, 'field "after.output" must be a string or null'],
    ['negative tokens', { usage: { input_tokens: -1, output_tokens: 0 } }, 'field "after.usage.input_tokens"'],
    ['a cached mark that is not true', { steps: [{ ...good.steps[0], cached: 'yes', saved: good.usage }] }, 'after.steps[0].cached'],
    ['saved dollars that are not a count', { steps: [{ ...good.steps[0], cached: true, saved: { input_tokens: 'x' } }] }, 'saved'],
    ['a batch id with a path in it', { steps: [{ ...good.steps[0], batch: '../batches/x' }] }, 'after.steps[0].batch'],
  ])('refused: %s', (_what, change, message) => {
    expect(() => parseAfterResult({ ...good, ...change }, 'results.json')).toThrow(message);
  });
});

describe('listLeaves: the document the first after step starts from', () => {
  const leaf = (id: string, status: 'succeeded' | 'failed' | 'cancelled', extra: object = {}) => ({
    id,
    branch: [] as number[],
    keys: { doc: `docs/${id}.md`, lang: 'en' },
    status,
    output: status === 'succeeded' ? `out of ${id}` : null,
    final_message: null,
    error: status === 'succeeded' ? null : `why ${id}`,
    duration_ms: 5,
    usage: { input_tokens: 0, output_tokens: 0 },
    steps: [],
    ...extra,
  });

  test('each leaf in order: a header (id, branch, keys, status), then its output, its error, or nothing', () => {
    const text = listLeaves([
      leaf('flow_0001', 'succeeded', { branch: [2, 1] }),
      leaf('flow_0002', 'failed'),
      leaf('flow_0003', 'cancelled'),
      { from: { id: 'flow_0004', branch: [] }, to: { id: 'flow_0103', branch: [] }, count: 100, reason: 'interrupted', steps: [] },
    ]);
    expect(text).toBe(
      [
        '### flow_0001 [2.1] · doc=docs/flow_0001.md, lang=en · succeeded',
        'out of flow_0001',
        '',
        '### flow_0002 · doc=docs/flow_0002.md, lang=en · failed',
        'error: why flow_0002',
        '',
        '### flow_0003 · doc=docs/flow_0003.md, lang=en · cancelled (why flow_0003)',
        '',
        '### flow_0004 … flow_0103 (100 flows) · cancelled: never started (interrupted)',
        '',
      ].join('\n'),
    );
  });

  test('durations do not show: the same leaves make the same listing (what --resume compares)', () => {
    expect(listLeaves([leaf('flow_0001', 'succeeded', { duration_ms: 1 })])).toBe(
      listLeaves([leaf('flow_0001', 'succeeded', { duration_ms: 999 })]),
    );
  });
});
