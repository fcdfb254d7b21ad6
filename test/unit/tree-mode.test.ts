/**
 * Which runs write their tree by path (engine/output.ts startsNoProcess): only those in which no
 * process runs while they write, so nothing can race them (docs/security.md).
 */
import type { Config, Step } from '../../src/config/types.js';
import { startsNoProcess } from '../../src/engine/output.js';
import type { RunOptions } from '../../src/engine/options.js';

const step = (kind: Step['kind'], checks?: Step['checks']): Step =>
  ({ kind, type: kind, index: 1, label: kind, array: false, ...(checks ? { checks } : {}) }) as unknown as Step;

const byPath = (steps: Step[], after: Step[] = [], isolate: RunOptions['isolate'] = 'none'): boolean =>
  startsNoProcess({ config: { steps, after } as unknown as Config, options: { isolate } as RunOptions });

test('openai steps alone (rubric checks call a model) are written by path', () => {
  expect(byPath([step('openai'), step('openai', [{ type: 'rubric', value: 'good?' } as never])])).toBe(true);
});

test('anything that runs a process keeps the directories open: a cmd or codex step, a cmd check, an after step, worktrees', () => {
  expect(byPath([step('openai'), step('cmd')])).toBe(false);
  expect(byPath([step('codex')])).toBe(false);
  expect(byPath([step('openai', [{ type: 'cmd', value: 'test -s /dev/stdin' } as never])])).toBe(false);
  expect(byPath([step('openai')], [step('cmd')])).toBe(false);
  expect(byPath([step('openai')], [step('openai', [{ type: 'cmd', value: 'true' } as never])])).toBe(false);
  expect(byPath([step('openai')], [], 'worktree')).toBe(false);
});
