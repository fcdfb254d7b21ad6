/** Checks on outputs: the config's `"checks"` and the checks decided by the output alone. */
import { evaluateCheck, isPureCheck } from '../../src/checks/evaluate.js';
import { schemaProblems, schemaViolation } from '../../src/checks/schema.js';
import { parseConfig } from '../../src/config/parse.js';
import { readRubricAnswer, rubricPrompt } from '../../src/steps/check-rubric.js';
import { UsageError } from '../../src/errors.js';
import type { Check } from '../../src/model/checks.js';

function problemsOf(config: unknown): string[] {
  try {
    parseConfig(JSON.stringify(config), 'config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return [...(error as UsageError).problems];
  }
  throw new Error(`expected ${JSON.stringify(config)} to be rejected`);
}

const checksOf = (checks: unknown[], extra: object = {}): readonly Check[] =>
  parseConfig(JSON.stringify({ ...extra, steps: [{ cmd: 'cat', name: 'draft', checks }] }), 'config.json').steps[0]!.checks!;

const verdict = (check: unknown, output: string) => {
  const [parsed] = checksOf([check]);
  if (!isPureCheck(parsed!)) throw new Error('not a pure check');
  return evaluateCheck(parsed, output);
};

describe('config: "checks"', () => {
  test('each kind parses, with a default name', () => {
    const checks = checksOf(
      [
        { type: 'contains', value: 'LGTM' },
        { type: 'not_contains', value: 'TODO', name: 'no todo' },
        { type: 'regex', value: '^ok', flags: 'im' },
        { type: 'json_schema', value: { type: 'object', required: ['a'] } },
        { type: 'equals', value: { a: 1 } },
        { type: 'cmd', value: 'grep -q x' },
        { type: 'rubric', value: 'Is it polite?' },
      ],
      { model: 'gpt-test' },
    );
    expect(checks.map((c) => [c.type, c.name])).toEqual([
      ['contains', 'contains "LGTM"'],
      ['not_contains', 'no todo'],
      ['regex', 'regex "^ok"'],
      ['json_schema', 'json_schema'],
      ['equals', 'equals "{\\"a\\":1}"'],
      ['cmd', 'cmd "grep -q x"'],
      ['rubric', 'rubric "Is it polite?"'],
    ]);
    expect(checks[6]).toMatchObject({ model: 'gpt-test' });
    expect(checks[2]).toMatchObject({ flags: 'im' });
  });

  test('a config without checks keeps its hash; checks_fail defaults to true', () => {
    const plain = parseConfig(JSON.stringify([{ cmd: 'cat' }]), 'c.json');
    expect(plain.steps[0]).not.toHaveProperty('checks');
    expect(plain.checksFail).toBe(true);
    const withChecks = parseConfig(JSON.stringify([{ cmd: 'cat', checks: [{ type: 'contains', value: 'x' }] }]), 'c.json');
    expect(withChecks.hash).not.toBe(plain.hash);
    expect(parseConfig(JSON.stringify({ checks_fail: false, steps: [{ cmd: 'cat' }] }), 'c.json').checksFail).toBe(false);
  });

  test('every mistake is reported with file, step, check and field', () => {
    const problems = problemsOf({
      checks_fail: 'no',
      steps: [
        {
          cmd: 'cat',
          name: 'draft',
          checks: [
            { type: 'contain', value: 'x' },
            { type: 'regex', value: '(' },
            { type: 'json_schema', value: { type: 'object', oneOf: [] } },
            { type: 'contains' },
            { type: 'contains', value: 'x', model: 'm' },
            { type: 'rubric', value: 'about {{{doc}}}' },
            { type: 'contains', value: 'x', vlaue: 'y' },
            'LGTM',
          ],
        },
        { cmd: 'cat', checks: { type: 'contains' } },
      ],
      after: [{ cmd: 'cat', checks: [] }],
    });
    const where = 'config.json: step 1 ("draft")';
    expect(problems).toEqual(
      expect.arrayContaining([
        'config.json: field "checks_fail" must be true or false, got the string "no"',
        expect.stringMatching(
          /^config\.json: step 1 \("draft"\): check 1 \("contain"\): field "type" must be one of .*did you mean "contains"/,
        ),
        expect.stringMatching(/^config\.json: step 1 \("draft"\): check 2 \("regex"\): field "value" is not a regular expression/),
        expect.stringContaining(
          `${where}: check 3 ("json_schema"): field "value" is not a JSON Schema this check takes: /oneOf: keyword "oneOf" is not supported`,
        ),
        `${where}: check 4 ("contains"): missing field "value"`,
        `${where}: check 5 ("contains"): field "model" applies to rubric checks only (remove it)`,
        expect.stringContaining(`${where}: check 6 ("rubric"): field "value" holds a placeholder`),
        expect.stringContaining(`${where}: check 7 ("contains"): unknown field "vlaue" (did you mean "value"?)`),
        expect.stringContaining(`${where}: check 8: must be an object like`),
        expect.stringContaining('config.json: step 2: field "checks" must be an array of checks'),
        expect.stringContaining('config.json: after step 1: field "checks" does not apply to after steps'),
      ]),
    );
    expect(problems).toHaveLength(11);
  });
});

describe('checks decided by the output alone', () => {
  test('contains and not_contains', () => {
    expect(verdict({ type: 'contains', value: 'LGTM' }, 'all LGTM here')).toEqual({ passed: true, reason: 'the output contains "LGTM"' });
    expect(verdict({ type: 'contains', value: 'LGTM' }, 'nope').passed).toBe(false);
    expect(verdict({ type: 'not_contains', value: 'TODO' }, 'a TODO left')).toEqual({
      passed: false,
      reason: 'the output contains "TODO"',
    });
    expect(verdict({ type: 'not_contains', value: 'TODO' }, 'clean').passed).toBe(true);
  });

  test('regex, with flags', () => {
    expect(verdict({ type: 'regex', value: '^score: (\\d+)$', flags: 'm' }, 'x\nscore: 7\n')).toEqual({
      passed: true,
      reason: 'matched "score: 7"',
    });
    expect(verdict({ type: 'regex', value: '^score' }, 'x\nscore: 7').passed).toBe(false);
    expect(verdict({ type: 'regex', value: 'ok', flags: 'i' }, 'OK').passed).toBe(true);
  });

  test('json_schema: the output (or one ```json block) against the schema, the first violation as the reason', () => {
    const schema = {
      type: 'object',
      required: ['score', 'tags'],
      properties: { score: { type: 'integer', minimum: 0, maximum: 10 }, tags: { type: 'array', items: { type: 'string' }, maxItems: 2 } },
      additionalProperties: false,
    };
    expect(verdict({ type: 'json_schema', value: schema }, '{"score": 3, "tags": ["a"]}').passed).toBe(true);
    expect(verdict({ type: 'json_schema', value: schema }, '```json\n{"score": 3, "tags": []}\n```').passed).toBe(true);
    expect(verdict({ type: 'json_schema', value: schema }, '{"score": 11, "tags": []}').reason).toBe('/score: 11 is more than 10');
    expect(verdict({ type: 'json_schema', value: schema }, '{"score": 1.5, "tags": []}').reason).toBe(
      '/score: expected integer, got number',
    );
    expect(verdict({ type: 'json_schema', value: schema }, '{"tags": []}').reason).toBe('/: missing property "score"');
    expect(verdict({ type: 'json_schema', value: schema }, '{"score": 1, "tags": [1]}').reason).toBe(
      '/tags/0: expected string, got number',
    );
    expect(verdict({ type: 'json_schema', value: schema }, '{"score": 1, "tags": [], "x": 0}').reason).toBe(
      '/: property "x" is not allowed',
    );
    expect(verdict({ type: 'json_schema', value: schema }, 'not json').reason).toMatch(/^the output is not JSON/);
  });

  test('equals: trimmed text, or a JSON value compared as JSON', () => {
    expect(verdict({ type: 'equals', value: 'yes' }, 'yes\n').passed).toBe(true);
    expect(verdict({ type: 'equals', value: 'yes' }, 'yes!').reason).toBe('the output "yes!" is not "yes"');
    expect(verdict({ type: 'equals', value: { a: [1, 2], b: null } }, '{"b": null, "a": [1, 2]}').passed).toBe(true);
    expect(verdict({ type: 'equals', value: 3 }, '4').passed).toBe(false);
  });

  test('the schema subset: what it refuses and enum/const/pattern', () => {
    expect(schemaProblems({ type: 'strin' })).toEqual([
      '/type: must be one of object, array, string, number, integer, boolean, null (or a list of them)',
    ]);
    expect(schemaProblems({ properties: { a: { $ref: '#/x' } } })[0]).toMatch(/^\/properties\/a\/\$ref: keyword "\$ref" is not supported/);
    expect(schemaViolation({ enum: ['a', 'b'] }, 'c')).toBe('/: expected one of ["a","b"], got "c"');
    expect(schemaViolation({ const: { a: 1 } }, { a: 1 })).toBeUndefined();
    expect(schemaViolation({ type: 'string', pattern: '^x', minLength: 2 }, 'x')).toBe('/: shorter than 2 characters');
    expect(schemaViolation({ type: ['string', 'null'] }, null)).toBeUndefined();
  });
});

describe("the rubric grader's answer", () => {
  test('{"pass", "reason"} (also in a ```json block) is the verdict; any other answer fails, saying what came back', () => {
    expect(readRubricAnswer('{"pass": true, "reason": "cites the essay"}')).toEqual({ passed: true, reason: 'cites the essay' });
    expect(readRubricAnswer('```json\n{"pass": false, "reason": " vague "}\n```')).toEqual({ passed: false, reason: 'vague' });
    expect(readRubricAnswer('{"pass": false}')).toEqual({ passed: false, reason: '(the grader gave no reason)' });
    expect(readRubricAnswer('Yes, it passes.')).toEqual({
      passed: false,
      reason: 'the grader\'s answer is not {"pass": true|false, "reason": "..."}: "Yes, it passes."',
    });
    expect(readRubricAnswer('{"pass": "yes"}').passed).toBe(false);
    expect(rubricPrompt('Polite?', 'hi')).toMatch(/Rubric:\nPolite\?\n\nOutput to grade:\nhi$/);
  });
});
