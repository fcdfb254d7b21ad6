/**
 * One way to do each thing: the run id rule, file messages, step locations, leaf labels and the
 * merged report each come from one function, whoever asks (CLI, Action, results validation).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { parseConfigLenient, stepWhere } from '../../src/config/parse.js';
import type { Step } from '../../src/config/types.js';
import { stepBase } from '../helpers/steps.js';
import { UsageError } from '../../src/errors.js';
import { loadDefinition } from '../../src/engine/prepare.js';
import { readKeyLists } from '../../src/flows/keys.js';
import { leafName } from '../../src/report/summary.js';
import { checkedRunId, RUN_ID_RULE, runIdProblem } from '../../src/results/paths.js';
import { leafLabel } from '../../src/results/results.js';
import { DataError } from '../../src/results/fields.js';
import { parseRunRecord } from '../../src/results/validate.js';
import { inputFileMessage } from '../../src/util/input-file.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'one-way-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The problems thrown as a UsageError, or those returned to be thrown with the caller's own (loadDefinition). */
const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    const result = fn();
    if (typeof result === 'object' && result !== null && 'problems' in result) return (result as { problems: readonly string[] }).problems;
  } catch (error) {
    if (error instanceof UsageError) return error.problems;
    throw error;
  }
  throw new Error('no UsageError');
};

describe('run ids', () => {
  test('checkedRunId adds run_ and refuses with the one message naming where the id came from', () => {
    expect(checkedRunId('--run-id', 'abc')).toBe('run_abc');
    expect(problemsOf(() => checkedRunId("the input 'run-id'", 'a/b'))).toEqual([`the input 'run-id' "a/b": ${RUN_ID_RULE}`]);
    expect(runIdProblem('--run-id', 'x y')).toBe(`--run-id "x y": ${RUN_ID_RULE}`);
  });

  test("a run record's bad run_id names the same rule", () => {
    const record = { run_id: 'run_a/b', shard: { index: 1, count: 1 } };
    expect(() => parseRunRecord(record, 'run.json')).toThrow(DataError);
    expect(() => parseRunRecord(record, 'run.json')).toThrow(RUN_ID_RULE);
  });
});

describe('input file messages', () => {
  test('the config, a prompt file and a key file that do not exist are named the same way', () => {
    expect(inputFileMessage('key file', 'a.txt', 'does not exist')).toBe('key file "a.txt" does not exist');
    expect(problemsOf(() => loadDefinition('nope.json', [], dir))).toEqual([
      inputFileMessage('the config file', 'nope.json', 'does not exist'),
    ]);
    writeFileSync(join(dir, 'c.json'), JSON.stringify([{ type: 'openai', prompt_file: 'p.md' }]));
    expect(problemsOf(() => loadDefinition('c.json', [], dir))).toEqual([
      `${stepWhere('c.json', 1, 'openai')}: ${inputFileMessage('prompt file', 'p.md', 'does not exist')}`,
    ]);
    expect(problemsOf(() => readKeyLists([{ name: 'doc', file: 'docs.txt' }], dir)).join('\n')).toContain(
      inputFileMessage('key file', 'docs.txt', 'does not exist'),
    );
  });
});

describe('step locations', () => {
  test('parsing and preparing name a step the same way: its label (name, else type)', () => {
    const parsed = parseConfigLenient(JSON.stringify([{ type: 'lint', cmd: 'true', bogus: 1 }]), 'c.json');
    expect(parsed.problems[0]).toMatch(new RegExp(`^${stepWhere('c.json', 1, 'lint').replace(/[()[\]]/g, '\\$&')}: unknown field "bogus"`));
    writeFileSync(join(dir, 'c.json'), JSON.stringify([{ type: 'lint', cmd: 'echo {{{doc}}}' }]));
    expect(problemsOf(() => loadDefinition('c.json', [], dir))[0]).toMatch(/^c\.json: step 1 \("lint"\): /);
  });
});

describe('leaf labels', () => {
  test('one format, escaped in reports', () => {
    expect(leafLabel({ id: 'flow_0001', branch: [] })).toBe('flow_0001');
    expect(leafLabel({ id: 'flow_0001', branch: [2, 1] })).toBe('flow_0001 [2.1]');
    expect(leafName({ id: 'flow_0001', branch: [2, 1] })).toBe('flow_0001 [2.1]');
    expect(leafName({ id: 'a|b', branch: [] })).not.toContain('|');
  });
});

describe('layers', () => {
  test('no module of src/steps imports from src/engine (retry, rate limiting and patch messages live with the steps, Usage with the results)', () => {
    const steps = join(import.meta.dirname, '../../src/steps');
    const engine = join(import.meta.dirname, '../../src/engine');
    const offending: string[] = [];
    for (const file of readdirSync(steps, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const [, spec] of readFileSync(join(steps, file), 'utf8').matchAll(/from '([^']+)'/g))
        if (spec !== undefined && resolve(steps, dirname(file), spec).startsWith(engine + sep)) offending.push(`${file}: ${spec}`);
    }
    expect(offending).toEqual([]);
  });
});

describe('types that carry the rules', () => {
  test('a Step is a cmd step with its cmd, or a model step with its prompt (npm run typecheck fails otherwise)', () => {
    const base = stepBase();
    const steps: Step[] = [
      { ...base, kind: 'cmd', cmd: 'true' },
      { ...base, kind: 'codex', prompt: { kind: 'inline', text: 'hi' } },
      // @ts-expect-error a model step without a prompt is not a Step
      { ...base, kind: 'openai' },
      // @ts-expect-error a cmd step with a prompt is not a Step
      { ...base, kind: 'cmd', cmd: 'true', prompt: { kind: 'inline', text: 'hi' } },
    ];
    const parsed = parseConfigLenient(JSON.stringify([{ cmd: 'true' }, { type: 'openai', prompt: 'p' }]), 'c.json').config.steps;
    expect(parsed.map((s) => (s.kind === 'cmd' ? s.cmd : s.prompt.kind))).toEqual(['true', 'inline']);
    expect(steps).toHaveLength(4);
  });

  test('the step shapes keep the config hash of earlier versions (so --resume accepts their runs)', () => {
    const text = JSON.stringify([
      { prmpt_file: 'p.txt', type: 'openai' },
      { type: 'codex', prompt: 'x {{{doc}}}', name: 'n', sandbox: 'read-only' },
      { cmd: 'tr a-z A-Z', type: 'shout', array: true },
      { type: 'openai', prompt: 'q', model: 'm', api: 'chat', timeout: 5 },
    ]);
    expect(parseConfigLenient(text, 'c.json').config.hash).toBe('9f86fe35ffbcd27f0e3073a6758d501587db293b2a13ebb69ca151a7e9f364e9');
  });
});
