import { Writable } from 'node:stream';
import type { ProgressSnapshot } from '../../src/engine/run.js';
import { ProgressPrinter } from '../../src/progress/printer.js';
import { fitProgressLine } from '../../src/progress/fit.js';
import { finalLine, progressLine, usageText } from '../../src/progress/render.js';
import { endingLines } from '../../src/progress/ending.js';
import { FailedLeaves } from '../../src/report/failed.js';
import type { LeafEntry } from '../../src/model/results.js';

const snapshot = (over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  labels: ['draft', 'codex', 'summary'],
  atStep: [1, 0, 1],
  finished: 3,
  total: 10,
  succeeded: 3,
  failed: 0,
  cancelled: 0,
  usage: { input_tokens: 0, output_tokens: 0 },
  ...over,
});

describe('progressLine', () => {
  test('each label with the flows at it, then finished/total (the documented example)', () => {
    expect(progressLine(snapshot())).toBe('draft: 1 -> codex: 0 -> summary: 1   3/10');
  });

  test('the final state', () => {
    expect(progressLine(snapshot({ atStep: [0, 0, 0], finished: 2, total: 2 }))).toBe('draft: 0 -> codex: 0 -> summary: 0   2/2');
  });

  test('repeated labels are kept, one per step', () => {
    expect(progressLine(snapshot({ labels: ['codex', 'codex'], atStep: [2, 1], finished: 0, total: 4 }))).toBe(
      'codex: 2 -> codex: 1   0/4',
    );
  });

  test('a single step', () => {
    expect(progressLine(snapshot({ labels: ['shout'], atStep: [4], finished: 96, total: 100 }))).toBe('shout: 4   96/100');
  });
});

describe('finalLine', () => {
  test('with array steps (more results than flows, which the progress line counted): how many results of how many flows', () => {
    expect(finalLine(snapshot({ succeeded: 11, failed: 1, total: 6 }), 1000)).toBe(
      'done: 12 results of 6 flows: 11 succeeded, 1 failed; tokens 0 in / 0 out; cost $0; 1.0 s',
    );
    expect(finalLine(snapshot({ succeeded: 6, total: 6 }), 1000)).toMatch(/^done: 6 succeeded, 0 failed; /);
  });

  test('a resume says how many flows an earlier attempt had finished (not run again)', () => {
    expect(finalLine(snapshot({ succeeded: 3000, total: 3000, kept: 1464 }), 1000)).toBe(
      'done: 3000 succeeded, 0 failed (1464 flows finished before, not run again); tokens 0 in / 0 out; cost $0; 1.0 s',
    );
    expect(finalLine(snapshot({ succeeded: 2, failed: 1, cancelled: 1, kept: 1 }), 1000)).toMatch(
      /^done: 2 succeeded, 1 failed, 1 cancelled \(1 flow finished before, not run again\);/,
    );
  });

  test('succeeded and failed counts, tokens and time', () => {
    expect(finalLine(snapshot({ succeeded: 5, failed: 1, usage: { input_tokens: 1234, output_tokens: 5678901 } }), 12_345)).toBe(
      'done: 5 succeeded, 1 failed; tokens 1,234 in / 5,678,901 out; cost $0; 12.3 s',
    );
  });

  test('dollars, and cached input tokens when there are some', () => {
    const usage = { input_tokens: 2000, cached_input_tokens: 1500, output_tokens: 10, cost_usd: 12.345 };
    expect(finalLine(snapshot({ usage }), 1000)).toBe(
      'done: 3 succeeded, 0 failed; tokens 2,000 in (1,500 cached) / 10 out; cost $12.35; 1.0 s',
    );
    expect(finalLine(snapshot({ usage: { ...usage, cost_usd: 0.00042 } }), 0)).toContain('; cost $0.0004;');
    // a model without a price was called: the cost is not $0
    expect(finalLine(snapshot({ usage: { ...usage, cost_usd: null } }), 0)).toContain('; cost unknown;');
  });

  test('cancelled only when there are some', () => {
    expect(finalLine(snapshot({ succeeded: 2, failed: 0, cancelled: 0 }), 0)).toMatch(/^done: 2 succeeded, 0 failed; /);
    expect(finalLine(snapshot({ succeeded: 2, failed: 0, cancelled: 3 }), 0)).toMatch(/^done: 2 succeeded, 0 failed, 3 cancelled; /);
  });

  test('usageText', () => {
    expect(usageText({ input_tokens: 0, output_tokens: 1000 })).toBe('0 in / 1,000 out');
  });
});

describe('ProgressPrinter', () => {
  const sink = () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk);
        callback();
      },
    });
    return { stream, text: () => text };
  };

  /** A clock the test moves: timers run when `run()` is called. */
  const manual = () => {
    const tasks: { task: () => void; ms: number }[] = [];
    const schedule = (task: () => void, ms: number): (() => void) => {
      const entry = { task, ms };
      tasks.push(entry);
      return () => void tasks.splice(tasks.indexOf(entry), 1);
    };
    const run = (): void => {
      for (const { task } of tasks.splice(0)) task();
    };
    return { schedule, run, pending: () => tasks.map(({ ms }) => ms) };
  };

  test('plain mode (CI logs): a line per change, no repeats, then the closing line', () => {
    const out = sink();
    const clock = manual();
    const printer = new ProgressPrinter(out.stream, { tty: false, intervalMs: 0, schedule: clock.schedule });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 2 }));
    clock.run();
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 2 }));
    clock.run();
    printer.update(snapshot({ atStep: [0, 0, 0], finished: 2, total: 2, succeeded: 2 }));
    clock.run();
    printer.finish();
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('draft: 1 -> codex: 0 -> summary: 0   0/2');
    expect(lines[1]).toBe('draft: 0 -> codex: 0 -> summary: 0   2/2');
    expect(lines[2]).toMatch(/^done: 2 succeeded, 0 failed; tokens 0 in \/ 0 out; cost \$0; \d+\.\d s$/);
    expect(lines).toHaveLength(4);
    expect(out.text()).not.toContain('\r');
  });

  test('the first line waits for the changes of the same turn: it counts every step started', () => {
    const out = sink();
    const clock = manual();
    const printer = new ProgressPrinter(out.stream, { tty: false, intervalMs: 60_000, schedule: clock.schedule });
    for (let running = 1; running <= 6; running++) printer.update(snapshot({ atStep: [running, 0, 0], finished: 0, total: 9 }));
    expect(out.text()).toBe('');
    expect(clock.pending()).toEqual([0]);
    clock.run();
    expect(out.text()).toBe('draft: 6 -> codex: 0 -> summary: 0   0/9\n');
  });

  test('plain mode is throttled: one timer at a time, due an interval after the last line', () => {
    const out = sink();
    const clock = manual();
    const printer = new ProgressPrinter(out.stream, { tty: false, intervalMs: 60_000, schedule: clock.schedule });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 3 }));
    clock.run();
    printer.update(snapshot({ atStep: [0, 1, 0], finished: 1, total: 3 }));
    printer.update(snapshot({ atStep: [0, 0, 1], finished: 2, total: 3 }));
    // one pending draw, about an interval away: never a second line right after the first
    expect(clock.pending()).toHaveLength(1);
    expect(clock.pending()[0]).toBeGreaterThan(50_000);
    expect(out.text().split('\n').filter(Boolean)).toEqual(['draft: 1 -> codex: 0 -> summary: 0   0/3']);
    printer.finish();
    expect(clock.pending()).toEqual([]);
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines[1]).toBe('draft: 0 -> codex: 0 -> summary: 1   2/3');
    expect(lines[2]).toMatch(/^done: /);
  });

  test('terminal mode redraws in place, cut to the width, and again on a resize', () => {
    const out = sink();
    const clock = manual();
    let columns = 80;
    const printer = new ProgressPrinter(out.stream, { tty: true, intervalMs: 0, schedule: clock.schedule, columns: () => columns });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 1 }));
    clock.run();
    printer.message('a warning');
    expect(out.text()).toContain('\r\x1b[2Kdraft: 1 -> codex: 0 -> summary: 0   0/1');
    columns = 20;
    printer.resize();
    const drawn = out.text().split('\r\x1b[2K').at(-1)!;
    expect(drawn).toContain('0/1');
    expect(drawn.length).toBeLessThan(20);
    printer.finish();
    expect(out.text()).toContain('a warning\n');
    expect(out.text()).toMatch(/done: .*\n$/);
  });
});

describe('fitProgressLine', () => {
  const three = (labels: string[]) => snapshot({ labels, atStep: [1, 22, 3], finished: 123, total: 4567 });

  test('a line that fits is left whole', () => {
    expect(fitProgressLine(three(['draft', 'codex', 'summary']), 79)).toBe('draft: 1 -> codex: 22 -> summary: 3   123/4567');
  });

  test('names are shortened first, then middle steps dropped, and finished/total always stays', () => {
    const labels = ['a-very-long-first-step-name', 'a-very-long-middle-step-name', 'a-very-long-last-step-name'];
    for (let width = 1; width <= 120; width++) {
      const line = fitProgressLine(three(labels), width);
      expect([...line].length).toBeLessThanOrEqual(Math.max(width, '123/4567'.length));
      expect(line).toContain('123/4567');
    }
    expect(fitProgressLine(three(labels), 60)).toMatch(/^a-very-lo…: 1 -> a-very-lo…: 22 -> a-very-lo…: 3 {3}123\/4567$/);
    expect(fitProgressLine(three(labels), 34)).toBe('a-v…: 1 -> … -> a-v…: 3   123/4567');
    expect(fitProgressLine(three(labels), 30)).toBe('a-v…: 1 -> …   123/4567');
    expect(fitProgressLine(three(labels), 12)).toBe('123/4567');
  });

  test('with batches waiting, their counts go before the steps do', () => {
    const line = fitProgressLine({ ...three(['draft', 'codex', 'summary']), batches: { pending: 2, requests: 3000, done: 1200 } }, 60);
    expect(line).toBe('draft: 1 -> codex: 22 -> summary: 3   123/4567');
  });
});

test("the end of a run shows a failed leaf's error with its control characters made visible as the text report does (ESC as ␛, a bidirectional override as U+FFFD)", () => {
  const failed = new FailedLeaves();
  const error = 'step 1 ("x"): \u001b[31mred\u001b[0m \u202egnp.exe\r\nsecond line';
  failed.add({ id: 'flow_0001', branch: [], keys: {}, status: 'failed', error, steps: [] } as unknown as LeafEntry);
  const ending = { stopped: undefined, limits: {}, spent: { input_tokens: 0, output_tokens: 0 }, cancelled: 0, resume: '', failed };
  const lines = endingLines(ending);
  expect(lines).toEqual(['failed: 1 leaf:', '  flow_0001: step 1 ("x"): ␛[31mred␛[0m \ufffdgnp.exe␍ …']);
  // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
  expect(lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
});
