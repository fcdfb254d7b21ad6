import { Writable } from 'node:stream';
import type { ProgressSnapshot } from '../../src/engine/run.js';
import { ProgressPrinter } from '../../src/progress/printer.js';
import { finalLine, progressLine, usageText } from '../../src/progress/render.js';

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

  test('plain mode (CI logs): a line per change, no repeats, then the closing line', () => {
    const out = sink();
    const printer = new ProgressPrinter(out.stream, { tty: false, intervalMs: 0 });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 2 }));
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 2 }));
    printer.update(snapshot({ atStep: [0, 0, 0], finished: 2, total: 2, succeeded: 2 }));
    printer.finish();
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('draft: 1 -> codex: 0 -> summary: 0   0/2');
    expect(lines[1]).toBe('draft: 0 -> codex: 0 -> summary: 0   2/2');
    expect(lines[2]).toMatch(/^done: 2 succeeded, 0 failed; tokens 0 in \/ 0 out; cost \$0; \d+\.\d s$/);
    expect(lines).toHaveLength(4);
    expect(out.text()).not.toContain('\r');
  });

  test('plain mode is throttled: changes within the interval print once, at the end', () => {
    const out = sink();
    const printer = new ProgressPrinter(out.stream, { tty: false, intervalMs: 60_000 });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 3 }));
    printer.update(snapshot({ atStep: [0, 1, 0], finished: 1, total: 3 }));
    printer.update(snapshot({ atStep: [0, 0, 1], finished: 2, total: 3 }));
    expect(out.text().split('\n').filter(Boolean)).toEqual(['draft: 1 -> codex: 0 -> summary: 0   0/3']);
    printer.finish();
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines[1]).toBe('draft: 0 -> codex: 0 -> summary: 1   2/3');
    expect(lines[2]).toMatch(/^done: /);
  });

  test('terminal mode redraws in place', () => {
    const out = sink();
    const printer = new ProgressPrinter(out.stream, { tty: true, intervalMs: 0 });
    printer.update(snapshot({ atStep: [1, 0, 0], finished: 0, total: 1 }));
    printer.message('a warning');
    printer.finish();
    expect(out.text()).toContain('\r\x1b[2Kdraft: 1 -> codex: 0 -> summary: 0   0/1');
    expect(out.text()).toContain('a warning\n');
    expect(out.text()).toMatch(/done: .*\n$/);
  });
});
