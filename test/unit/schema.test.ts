/** The published JSON Schema and the config parser accept and reject the same configs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import { parseConfig } from '../../src/config/parse.js';
import { ROOT } from '../helpers/cli.js';

const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as new (options: object) => any;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(ROOT, 'schema', 'config.schema.json'), 'utf8')),
);

const parses = (config: unknown): boolean => {
  try {
    parseConfig(JSON.stringify(config), 'config.json');
    return true;
  } catch {
    return false;
  }
};

const CONFIGS: Array<[string, unknown]> = [
  [
    'the seed form',
    [
      { type: 'openai', name: 'draft', prmpt_file: 'p.txt' },
      { type: 'codex', prompt: 'x' },
      { type: 'shout', cmd: 'tr a-z A-Z', array: true },
    ],
  ],
  [
    'object form with defaults and comments',
    { $schema: 's', _c: 1, model: 'm', api: 'chat', timeout: 3, sandbox: 'read-only', steps: [{ type: 'openai', prompt: '' }] },
  ],
  ['a setup command', { setup: 'npm ci', steps: [{ type: 'codex', prompt: 'x' }] }],
  ['an empty setup command', { setup: '', steps: [{ cmd: 'x' }] }],
  ['a setup command that is a list', { setup: ['npm', 'ci'], steps: [{ cmd: 'x' }] }],
  ['setup on a step', [{ cmd: 'x', setup: 'npm ci' }]],
  ['a cmd step typed "openai"', [{ type: 'openai', cmd: 'cat' }]],
  ['a cmd step with timeout and array', [{ cmd: 'cat', timeout: 1.5, array: false }]],
  ['a timeout of exactly 7 days, the most', [{ cmd: 'x', timeout: 604800 }]],
  ['a step comment', [{ cmd: 'cat', _why: 'because', $schema: 'x' }]],
  [
    'codex with every field',
    [{ type: 'codex', name: 'c', prompt_file: 'p', model: 'm', timeout: 9, sandbox: 'workspace-write', array: true }],
  ],
  ['openai with api', [{ type: 'openai', prompt: 'x', api: 'responses', model: 'm' }]],
  ['no steps', []],
  ['empty steps', { steps: [] }],
  ['no steps field', { model: 'm' }],
  ['an unknown field', [{ type: 'openai', promt: 'x' }]],
  ['an unknown default', { steps: [{ cmd: 'x' }], modle: 'm' }],
  ['an unknown type', [{ type: 'opnai', prompt: 'x' }]],
  ['no type and no cmd', [{ prompt: 'x' }]],
  ['no prompt', [{ type: 'codex' }]],
  ['two prompts', [{ type: 'openai', prompt: 'x', prompt_file: 'y' }]],
  ['cmd with prompt', [{ cmd: 'x', prmpt_file: 'y' }]],
  ['cmd with model', [{ cmd: 'x', model: 'm' }]],
  ['cmd with sandbox', [{ type: 'codex', cmd: 'x', sandbox: 'read-only' }]],
  ['sandbox on an openai step', [{ type: 'openai', prompt: 'x', sandbox: 'read-only' }]],
  ['api on a codex step', [{ type: 'codex', prompt: 'x', api: 'chat' }]],
  ['an empty cmd', [{ cmd: '' }]],
  ['an empty name', [{ cmd: 'x', name: '' }]],
  ['an empty model default', { steps: [{ cmd: 'x' }], model: '' }],
  ['a negative timeout', [{ cmd: 'x', timeout: -1 }]],
  ['a timeout above 7 days (a timer would fire at once)', [{ cmd: 'x', timeout: 604801 }]],
  ['a string timeout default', { steps: [{ cmd: 'x' }], timeout: '5' }],
  ['a bad api', [{ type: 'openai', prompt: 'x', api: 'rest' }]],
  ['a bad sandbox default', { steps: [{ cmd: 'x' }], sandbox: 'none' }],
  ['array as a string', [{ cmd: 'x', array: 'true' }]],
  ['max_items on an array step', [{ cmd: 'x', array: true, max_items: 300000 }]],
  ['max_items 1', [{ type: 'openai', prompt: 'x', array: true, max_items: 1 }]],
  ['max_items without array', [{ cmd: 'x', max_items: 5 }]],
  ['max_items with array: false', [{ cmd: 'x', array: false, max_items: 5 }]],
  ['max_items zero', [{ cmd: 'x', array: true, max_items: 0 }]],
  ['max_items a fraction', [{ cmd: 'x', array: true, max_items: 2.5 }]],
  ['max_items a string', [{ cmd: 'x', array: true, max_items: '10' }]],
  ['max_items beyond a safe integer', [{ cmd: 'x', array: true, max_items: 1e20 }]],
  [
    'prices for two models',
    { prices: { m: { input: 1.25, cached_input: 0.125, output: 10 }, n: { input: 0, output: 0 }, _c: 'x' }, steps: [{ cmd: 'x' }] },
  ],
  ['prices without a cached_input price', { prices: { m: { input: 1, output: 2 } }, steps: [{ cmd: 'x' }] }],
  ['prices with a negative price', { prices: { m: { input: -1, output: 2 } }, steps: [{ cmd: 'x' }] }],
  ['prices with a string price', { prices: { m: { input: '1', output: 2 } }, steps: [{ cmd: 'x' }] }],
  ['prices without an output price', { prices: { m: { input: 1 } }, steps: [{ cmd: 'x' }] }],
  ['prices with a misspelt field', { prices: { m: { input: 1, output: 2, cache_input: 0.1 } }, steps: [{ cmd: 'x' }] }],
  ['prices with an absurd price', { prices: { m: { input: 1e9, output: 2 } }, steps: [{ cmd: 'x' }] }],
  ['prices for an empty model name', { prices: { '': { input: 1, output: 2 } }, steps: [{ cmd: 'x' }] }],
  ['prices that is a list', { prices: [{ input: 1, output: 2 }], steps: [{ cmd: 'x' }] }],
  ['a model priced by a number', { prices: { m: 5 }, steps: [{ cmd: 'x' }] }],
  ['a step that is a string', ['cat']],
  ['a number', 5],
  [
    'after steps of each kind',
    { steps: [{ cmd: 'x' }], after: [{ type: 'openai', prompt: 'x' }, { type: 'codex', prompt_file: 'p' }, { cmd: 'y' }] },
  ],
  ['an empty after list', { steps: [{ cmd: 'x' }], after: [] }],
  ['an after step with array', { steps: [{ cmd: 'x' }], after: [{ cmd: 'y', array: true }] }],
  ['an after step with array: false', { steps: [{ cmd: 'x' }], after: [{ cmd: 'y', array: false }] }],
  ['an after step with an unknown field', { steps: [{ cmd: 'x' }], after: [{ cmd: 'y', promt: 'z' }] }],
  ['an after step without a prompt', { steps: [{ cmd: 'x' }], after: [{ type: 'openai' }] }],
  ['after as an object', { steps: [{ cmd: 'x' }], after: { cmd: 'y' } }],
  ['after on a step', [{ cmd: 'x', after: [] }]],
  [
    'checks of every kind',
    {
      checks_fail: false,
      steps: [
        {
          cmd: 'x',
          checks: [
            { type: 'contains', value: 'a', name: 'has a' },
            { type: 'not_contains', value: 'b' },
            { type: 'regex', value: '^a', flags: 'im' },
            { type: 'json_schema', value: { type: 'object', required: ['a'] } },
            { type: 'equals', value: { a: 1 } },
            { type: 'equals', value: 'yes' },
            { type: 'cmd', value: 'grep -q a' },
            { type: 'rubric', value: 'polite?', model: 'm', api: 'chat' },
          ],
        },
      ],
    },
  ],
  ['an empty list of checks', [{ cmd: 'x', checks: [] }]],
  ['a check of an unknown type', [{ cmd: 'x', checks: [{ type: 'contain', value: 'a' }] }]],
  ['a check without a value', [{ cmd: 'x', checks: [{ type: 'contains' }] }]],
  ['a check with a field of another type', [{ cmd: 'x', checks: [{ type: 'contains', value: 'a', flags: 'i' }] }]],
  ['a regex check with the g flag', [{ cmd: 'x', checks: [{ type: 'regex', value: 'a', flags: 'g' }] }]],
  ['a rubric with a placeholder', [{ cmd: 'x', checks: [{ type: 'rubric', value: 'about {{{doc}}}' }] }]],
  ['an equals check of null', [{ cmd: 'x', checks: [{ type: 'equals', value: null }] }]],
  ['checks as an object', [{ cmd: 'x', checks: { type: 'contains', value: 'a' } }]],
  ['checks on an after step', { steps: [{ cmd: 'x' }], after: [{ cmd: 'y', checks: [] }] }],
  ['checks_fail not a boolean', { checks_fail: 'no', steps: [{ cmd: 'x' }] }],
];

test.each(CONFIGS)('schema and parser agree: %s', (_what, config) => {
  expect(validate(config)).toBe(parses(config));
});
