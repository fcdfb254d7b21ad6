/**
 * A resume works out ahead, while it waits for the stamps, whether each flow's line in the earlier
 * attempt's index holds its steps' fingerprints now (engine/vouch-ahead.ts): the same answer as
 * worked out when the feeder reaches the flow, each flow worked out once, and, once a flow runs, the
 * flows after it worked out again when reached.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/parse.js';
import type { Step } from '../../src/config/types.js';
import type { CheckedLines } from '../../src/engine/leaf-checks.js';
import { indexLine } from '../../src/engine/leaf-lines.js';
import type { StepInputs } from '../../src/engine/step-input.js';
import { VouchAhead } from '../../src/engine/vouch-ahead.js';
import { flowId, type Flow } from '../../src/flows/flows.js';
import { scratch } from '../helpers/project.js';

const TOTAL = 1000;
const FROM = 10;
const TO = 900;
const print = (i: number): string => i.toString(16).padStart(64, '0');
/** Flows whose line holds another fingerprint than the one made now (every third), and one without a line. */
const stale = (i: number): boolean => i % 3 === 0;
const UNLISTED = 500;

function setup(firstHolds = false, config: unknown[] = [{ type: 'openai', prompt: 'Ask' }]): { ahead: VouchAhead; made: number[] } {
  const steps = parseConfig(JSON.stringify(config), 'c.json').steps as Step[];
  const runDir = join(scratch(), 'run_t');
  mkdirSync(runDir);
  const made: number[] = [];
  const inputs = {
    fingerprint: ({ flow }: { flow: Flow }) => {
      made.push(flow.index);
      return print(flow.index);
    },
  } as unknown as StepInputs;
  const checked = {
    listed: (i: number) => (i === UNLISTED ? undefined : indexLine(flowId(i, TOTAL), [stale(i) ? print(i + 1) : print(i)], [1, 2, 3, 4])),
  } as unknown as CheckedLines;
  const ahead = new VouchAhead({
    steps,
    runDir,
    range: { from: FROM, to: TO },
    flowAt: (index) => ({ index, id: flowId(index, TOTAL), keys: {} }),
    inputs,
    checked,
    firstHolds,
  });
  return { ahead, made };
}

const expected = (i: number): boolean => !stale(i) && i !== UNLISTED;

test('worked out ahead or when reached, each flow gets the same answer, and each is worked out once', () => {
  const { ahead, made } = setup();
  // the feeder reaches the first flows itself, then waits (spare) now and then
  for (let i = FROM; i < TO; i++) {
    if (i % 200 === 0) for (let n = 0; n < 2; n++) ahead.spare();
    expect([i, ahead.holds(i)]).toEqual([i, expected(i)]);
  }
  expect(ahead.spare()).toBe(false);
  expect(made.slice().sort((a, b) => a - b)).toEqual([...Array(TO - FROM).keys()].map((k) => FROM + k).filter((i) => i !== UNLISTED));
});

test('once a flow runs, the flows after it worked out ahead are worked out again when reached, and nothing more ahead; those before are not', () => {
  const { ahead, made } = setup();
  while (ahead.spare());
  expect(made).toHaveLength(TO - FROM - 1);
  made.length = 0;
  for (let i = FROM; i < 100; i++) ahead.holds(i);
  expect(made).toEqual([]);
  ahead.forget(99); // flow 99 runs
  expect(ahead.spare()).toBe(false);
  for (let i = 100; i < TO; i++) {
    expect([i, ahead.holds(i)]).toEqual([i, expected(i)]);
    // worked out as it is reached, not before
    expect(made.at(-1)).toBe(i === UNLISTED ? i - 1 : i);
    expect(ahead.spare()).toBe(false);
  }
  expect(made).toEqual([...Array(TO - 100).keys()].map((k) => 100 + k).filter((i) => i !== UNLISTED));
});

test("when the run's inputs are those the index was written under, a one-step flow's line holds without a fingerprint made", () => {
  const { ahead, made } = setup(true);
  while (ahead.spare());
  for (let i = FROM; i < TO; i++) expect([i, ahead.holds(i)]).toEqual([i, i !== UNLISTED]);
  expect(made).toEqual([]);
});

test("with two steps, the first step's fingerprint is taken from the line and the second made from its saved output", () => {
  const { ahead, made } = setup(true, [
    { type: 'openai', prompt: 'Ask' },
    { type: 'openai', prompt: 'Then' },
  ]);
  // no saved output of the first step: the second cannot be made, so no line holds, but nothing is made for the first
  for (let i = FROM; i < FROM + 5; i++) expect(ahead.holds(i)).toBe(false);
  expect(made).toEqual([]);
});
