/** The after steps' pure parts: results.json's `after` read back as data. */
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

  test.each([
    ['a step directory outside after/', { steps: [{ ...good.steps[0], dir: '../../etc' }] }, 'field "after.steps[0].dir"'],
    ['a flow step directory', { steps: [{ ...good.steps[0], dir: 'flow_0001/01_x' }] }, 'under after/'],
    ['an unknown status', { status: 'done' }, 'field "after.status" must be one of succeeded, failed, cancelled'],
    ['an output that is not text', { output: 5 }, 'field "after.output" must be a string or null'],
    ['negative tokens', { usage: { input_tokens: -1, output_tokens: 0 } }, 'field "after.usage.input_tokens"'],
  ])('refused: %s', (_what, change, message) => {
    expect(() => parseAfterResult({ ...good, ...change }, 'results.json')).toThrow(message);
  });
});
