/**
 * The Action's inputs, parsed directly (src/action/settings.ts): defaults agree with action.yml,
 * every input named in action.yml is read, and a bad value throws a UsageError naming the input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../src/errors.js';
import { Inputs } from '../../src/action/constants.js';
import { parseSettings, type Settings } from '../../src/action/settings.js';
import { ROOT } from '../helpers/cli.js';

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };

/** A reader that behaves like the runner: every input defined, unset ones filled from action.yml. */
function reader(given: Record<string, string> = {}): (name: string) => string {
  return (name) => {
    if (!(name in action.inputs)) throw new Error(`the code reads input ${JSON.stringify(name)}, which action.yml does not define`);
    if (name in given) return given[name]!;
    const fallback = action.inputs[name]!.default ?? '';
    return fallback.includes('${{') ? '' : fallback;
  };
}

const settings = (given: Record<string, string> = {}, env: Record<string, string> = {}): Settings =>
  parseSettings(reader({ config: 'c.json', ...given }), env);

function refusal(given: Record<string, string>): string {
  try {
    settings(given);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(given)} was accepted`);
}

describe('parseSettings', () => {
  test('every input of action.yml has a constant, and every constant is an input of action.yml', () => {
    expect(Object.values(Inputs).sort()).toEqual(Object.keys(action.inputs).sort());
  });

  test('the defaults of action.yml give the documented settings, and parsing empty inputs gives the same', () => {
    const fromYaml = settings();
    const fromEmpty = parseSettings((name) => (name === 'config' ? 'c.json' : ''), {});
    expect(fromEmpty).toEqual(fromYaml);
    expect(fromYaml).toMatchObject({
      mode: 'run',
      parallel: 4,
      timeoutS: 1800,
      workdir: '.',
      appendFilepath: false,
      offline: false,
      retries: 3,
      resume: true,
      isolate: 'none',
      artifactName: 'orchestrator',
      upload: true,
      summary: true,
      comment: false,
      failOnError: true,
    });
  });

  test('keys: one NAME:FILE per line, blank lines and # comments skipped', () => {
    expect(settings({ keys: 'doc:docs.txt\n\n# a comment\n  tone:tones.txt  \n' }).keys).toEqual([
      { name: 'doc', file: 'docs.txt' },
      { name: 'tone', file: 'tones.txt' },
    ]);
  });

  test('values: one NAME:FILE per line, each a list of values, after the keys lines', () => {
    expect(settings({ values: 'id:ids.txt\n# a comment\n', keys: 'doc:docs.txt' }).keys).toEqual([
      { name: 'doc', file: 'docs.txt' },
      { name: 'id', file: 'ids.txt', kind: 'values' },
    ]);
  });

  test('fail-fast: false by default; true is the first failed leaf; a number the Nth', () => {
    expect((settings() as { failFast?: number }).failFast).toBeUndefined();
    expect((settings({ 'fail-fast': 'true' }) as { failFast?: number }).failFast).toBe(1);
    expect((settings({ 'fail-fast': '3' }) as { failFast?: number }).failFast).toBe(3);
    expect((settings({ 'fail-fast': 'false' }) as { failFast?: number }).failFast).toBeUndefined();
  });

  test('max-cost: US dollars, with or without a $; empty means no cap', () => {
    expect((settings({ 'max-cost': '2.50' }) as { maxCost?: number }).maxCost).toBe(2.5);
    expect((settings({ 'max-cost': '$5' }) as { maxCost?: number }).maxCost).toBe(5);
    expect((settings() as { maxCost?: number }).maxCost).toBeUndefined();
  });

  test('the key and the token fall back to the environment', () => {
    const parsed = settings({}, { OPENAI_API_KEY: 'sk-from-env-123', GITHUB_TOKEN: 'ghs_fromenv' });
    expect(parsed.apiKey).toBe('sk-from-env-123');
    expect(parsed.githubToken).toBe('ghs_fromenv');
    expect(settings({ 'openai-api-key': 'sk-input-456' }, { OPENAI_API_KEY: 'sk-from-env-123' }).apiKey).toBe('sk-input-456');
  });

  test.each([
    [{ mode: 'deploy' }, "input 'mode'", 'run, plan, report'],
    [{ parallel: '0' }, "input 'parallel'", 'whole number of 1 or more'],
    [{ parallel: '2.5' }, "input 'parallel'", 'whole number'],
    [{ retries: '-1' }, "input 'retries'", 'whole number of 0 or more'],
    [{ timeout: 'soon' }, "input 'timeout'", 'positive number of seconds'],
    [{ offline: 'maybe' }, "input 'offline'", 'true or false'],
    [{ shard: '3/2' }, "input 'shard'", ''],
    [{ shards: '300', mode: 'plan' }, "input 'shards'", '256'],
    [{ api: 'completions' }, "input 'api'", 'responses, chat'],
    [{ sandbox: 'none' }, "input 'sandbox'", 'read-only'],
    [{ isolate: 'container' }, "input 'isolate'", 'none, worktree'],
    [{ 'artifact-name': 'a/b' }, "input 'artifact-name'", ''],
    [{ keys: 'no-colon-here' }, "input 'keys'", 'NAME:FILE'],
    [{ values: 'my id:ids.txt' }, "input 'values'", 'may only contain letters'],
    [{ 'base-url': 'localhost:8080' }, "input 'base-url'", ''],
    [{ 'max-cost': '0' }, "input 'max-cost'", 'US dollars above 0'],
    [{ 'max-cost': 'five' }, "input 'max-cost'", 'like 5 or 0.50'],
    [{ 'fail-fast': 'first' }, "input 'fail-fast'", 'true, false, or the number of failed leaves'],
  ])('%j is refused, naming the input and what it must be', (given, input, must) => {
    const message = refusal(given);
    expect(message).toContain(input);
    expect(message).toContain(must);
  });

  test('batch: off by default; on, timeout bounds the wait per batch (24 h unless set); batch-cancel-on-exit needs it', () => {
    expect(settings().batch).toBeUndefined();
    expect(settings({ batch: 'true' })).toMatchObject({ timeoutS: 1800, batch: { timeoutS: 86400, cancelOnExit: false } });
    expect(settings({ batch: 'true', timeout: '600', 'batch-cancel-on-exit': 'true' }).batch).toEqual({
      timeoutS: 600,
      cancelOnExit: true,
    });
    expect(refusal({ 'batch-cancel-on-exit': 'true' })).toContain("The input 'batch-cancel-on-exit' is true, but 'batch' is false");
    expect(refusal({ batch: 'maybe' })).toContain('input \'batch\' is "maybe"');
  });

  test('run and plan need a config; plan needs shards', () => {
    expect(() => parseSettings(reader({ config: '' }), {})).toThrow("The input 'config' is empty");
    expect(() => parseSettings(reader({ mode: 'plan' }), {})).toThrow("The input 'config' is empty, but mode 'plan'");
    expect(refusal({ mode: 'plan' })).toContain("The input 'shards' is empty");
    expect(parseSettings(reader({ mode: 'report', config: '' }), {}).mode).toBe('report');
  });

  test('baseline-run-id: a workflow run id, in mode report only', () => {
    const report = parseSettings(reader({ mode: 'report', 'baseline-run-id': ' 123 ' }), {});
    expect(report.mode === 'report' && report.baselineRunId).toBe(123);
    expect(refusal({ mode: 'report', 'baseline-run-id': 'main' })).toContain(
      'The input \'baseline-run-id\' is "main", but it must be a whole number of 1 or more.',
    );
    expect(refusal({ 'baseline-run-id': '123' })).toContain("The input 'baseline-run-id' is set, but mode 'run' writes no comparison");
  });
});

describe('Settings by mode', () => {
  test('plan has its config and shards; run its config; report may have no config (npm run typecheck checks the shapes)', () => {
    const plan = settings({ mode: 'plan', shards: '3' });
    if (plan.mode !== 'plan') throw new Error('not plan');
    const shards: number = plan.shards;
    const config: string = plan.config;
    expect([shards, config]).toEqual([3, 'c.json']);
    const run = settings();
    if (run.mode !== 'run') throw new Error('not run');
    // @ts-expect-error mode run has no shards input
    expect(run.shards).toBeUndefined();
    const report = parseSettings(reader({ mode: 'report' }), {});
    if (report.mode !== 'report') throw new Error('not report');
    // @ts-expect-error mode report may have no config
    const reportConfig: string = report.config;
    expect(reportConfig).toBeUndefined();
  });
});
