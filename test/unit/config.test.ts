import { parseJson, lineColumn } from '../../src/config/json.js';
import { parseConfig, parseConfigLenient } from '../../src/config/parse.js';
import { UsageError } from '../../src/errors.js';

/** The problems a config text is rejected with (fails the test when it is accepted). */
function problemsOf(text: string, file = 'config.json'): string[] {
  try {
    parseConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return [...(error as UsageError).problems];
  }
  throw new Error(`expected ${text} to be rejected`);
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

describe('parseConfig: the array form (seed compatibility)', () => {
  test('the seed config: prmpt_file, prompt, name, cmd, array', () => {
    const config = parseConfig(
      json([
        { type: 'openai', name: 'draft', prmpt_file: 'prompts/draft.txt' },
        { type: 'codex', prompt: 'Apply it.' },
        { type: 'codex', prompt: 'Again.' },
        { type: 'shout', cmd: 'tr a-z A-Z', array: true },
        { type: 'openai', prompt_file: 'p.txt' },
      ]),
      'config.json',
    );
    expect(config.file).toBe('config.json');
    expect(config.steps).toHaveLength(5);
    const [draft, codex1, codex2, shout, last] = config.steps;
    expect(draft).toMatchObject({
      index: 1,
      kind: 'openai',
      type: 'openai',
      name: 'draft',
      label: 'draft',
      prompt: { kind: 'file', path: 'prompts/draft.txt' },
      array: false,
    });
    expect(codex1).toMatchObject({
      index: 2,
      kind: 'codex',
      label: 'codex',
      name: undefined,
      prompt: { kind: 'inline', text: 'Apply it.' },
    });
    // two unnamed codex steps: the same label, told apart by index
    expect(codex2).toMatchObject({ index: 3, kind: 'codex', label: 'codex' });
    expect(shout).toMatchObject({
      index: 4,
      kind: 'cmd',
      type: 'shout',
      label: 'shout',
      cmd: 'tr a-z A-Z',
      array: true,
    });
    expect(shout).not.toHaveProperty('prompt');
    expect(last).toMatchObject({ index: 5, kind: 'openai', prompt: { kind: 'file', path: 'p.txt' } });
    expect(config.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a cmd step without a type is a cmd step labelled "cmd"', () => {
    const [step] = parseConfig('[{"cmd": "cat"}]', 'c.json').steps;
    expect(step).toMatchObject({ kind: 'cmd', type: 'cmd', label: 'cmd', model: undefined, api: undefined, sandbox: undefined });
  });

  test('an empty prompt is allowed (the previous output is the whole prompt)', () => {
    expect(parseConfig('[{"type": "openai", "prompt": ""}]', 'c.json').steps[0]!.prompt).toEqual({ kind: 'inline', text: '' });
  });

  test('$schema and _comment keys are ignored at both levels', () => {
    const withComments = parseConfig(
      json({
        $schema: './schema/config.schema.json',
        _comment: 'top',
        _anything: { nested: [1, 2] },
        steps: [{ $schema: 'x', _comment: 'a step comment', type: 'openai', prompt: 'hi' }],
      }),
      'c.json',
    );
    const without = parseConfig(json({ steps: [{ type: 'openai', prompt: 'hi' }] }), 'c.json');
    expect(withComments.steps).toEqual(without.steps);
    expect(withComments.hash).toBe(without.hash);
    expect(parseConfig(json([{ _note: 1, type: 'openai', prompt: 'hi' }]), 'c.json').steps).toEqual(without.steps);
  });

  test('the same steps in array and object form are the same config', () => {
    const steps = [{ type: 'openai', prompt: 'a' }, { cmd: 'cat' }];
    expect(parseConfig(json(steps), 'a.json').hash).toBe(parseConfig(json({ steps }), 'b.json').hash);
  });

  test('the hash changes when setup is added or changed (--resume then refuses)', () => {
    const steps = [{ type: 'codex', prompt: 'a' }];
    const hashes = [undefined, 'npm ci', 'npm install'].map((setup) => parseConfig(json({ setup, steps }), 'c.json').hash);
    expect(new Set(hashes).size).toBe(3);
    expect(parseConfig(json({ setup: 'npm ci', steps }), 'c.json').setup).toBe('npm ci');
  });

  test('the hash changes when a step changes', () => {
    const a = parseConfig(json([{ type: 'openai', prompt: 'a' }]), 'c.json');
    const b = parseConfig(json([{ type: 'openai', prompt: 'b' }]), 'c.json');
    expect(a.hash).not.toBe(b.hash);
  });
});

describe('parseConfig: defaults', () => {
  const config = parseConfig(
    json({
      model: 'default-model',
      api: 'chat',
      timeout: 60,
      sandbox: 'read-only',
      steps: [
        { type: 'openai', name: 'inherits', prompt: 'x' },
        { type: 'openai', name: 'own', prompt: 'x', model: 'step-model', api: 'responses', timeout: 5 },
        { type: 'codex', name: 'codex-inherits', prompt: 'x' },
        { type: 'codex', name: 'codex-own', prompt: 'x', sandbox: 'danger-full-access', model: 'm2' },
        { type: 'label', name: 'shell', cmd: 'cat' },
        { type: 'label', name: 'shell-own', cmd: 'cat', timeout: 7 },
      ],
    }),
    'c.json',
  );
  const byName = (name: string) => config.steps.find((s) => s.name === name)!;

  test('a step without its own value takes the default', () => {
    expect(byName('inherits')).toMatchObject({ model: 'default-model', api: 'chat', timeout: 60, sandbox: undefined });
    expect(byName('codex-inherits')).toMatchObject({ model: 'default-model', api: undefined, timeout: 60, sandbox: 'read-only' });
  });

  test("a step's own value beats the default", () => {
    expect(byName('own')).toMatchObject({ model: 'step-model', api: 'responses', timeout: 5 });
    expect(byName('codex-own')).toMatchObject({ model: 'm2', sandbox: 'danger-full-access', timeout: 60 });
  });

  test('cmd steps take only the timeout default', () => {
    expect(byName('shell')).toMatchObject({ model: undefined, api: undefined, sandbox: undefined, timeout: 60 });
    expect(byName('shell-own')).toMatchObject({ timeout: 7 });
  });

  test('without defaults nothing is filled in (CLI and env fallbacks come later)', () => {
    const [step] = parseConfig('[{"type": "openai", "prompt": "x"}]', 'c.json').steps;
    expect(step).toMatchObject({ model: undefined, api: undefined, timeout: undefined });
  });
});

describe('parseConfig: validation messages name the file, the step and the field', () => {
  test('unknown step field, with a suggestion (the documented example)', () => {
    const problems = problemsOf(
      json([
        { type: 'openai', prompt: 'x' },
        { type: 'openai', name: 'summary', promt: 'x' },
      ]),
    );
    expect(problems).toEqual(['config.json: step 2 ("summary"): unknown field "promt" (did you mean "prompt"?)']);
  });

  test('unknown field without a close match gets no suggestion', () => {
    const [problem] = problemsOf(json([{ type: 'openai', prompt: 'x', zzzzzzzzzz: 1 }]));
    expect(problem).toBe('config.json: step 1 ("openai"): unknown field "zzzzzzzzzz"');
  });

  test.each([
    ['prmpt_fle', 'prmpt_file'],
    ['prompt-file', 'prompt_file'],
    ['arary', 'array'],
    ['sandbx', 'sandbox'],
    ['Model', 'model'],
    ['nmae', 'name'],
  ])('did you mean: %s -> %s', (wrong, right) => {
    const [problem] = problemsOf(json([{ type: 'codex', prompt: 'x', [wrong]: 'v' }]));
    expect(problem).toContain(`unknown field "${wrong}" (did you mean "${right}"?)`);
  });

  test('unknown type, with a suggestion', () => {
    const [problem] = problemsOf(json([{ type: 'opnai', name: 'draft', prompt: 'x' }]));
    expect(problem).toMatch(/^config\.json: step 1 \("draft"\): unknown type "opnai" \(did you mean "openai"\?\)/);
    expect(problem).toContain('"cmd"');
  });

  test('missing type and cmd', () => {
    const [problem] = problemsOf(json([{ name: 'x', prompt: 'p' }]));
    expect(problem).toMatch(/^config\.json: step 1 \("x"\): missing field "type"/);
  });

  test.each([
    [{ type: 'openai', prompt: 'x', array: 'yes' }, 'array', /must be true or false, got the string "yes"/],
    [{ type: 'openai', prompt: 'x', timeout: 0 }, 'timeout', /positive number of seconds/],
    [
      { type: 'openai', prompt: 'x', timeout: '10' },
      'timeout',
      /positive number of seconds, at most 604800 \(7 days\), got the string "10"/,
    ],
    [{ type: 'openai', prompt: 'x', api: 'completions' }, 'api', /"responses" or "chat"/],
    [{ type: 'codex', prompt: 'x', sandbox: 'readonly' }, 'sandbox', /"read-only", "workspace-write", "danger-full-access"/],
    [{ type: 'openai', prompt: 42 }, 'prompt', /must be a string, got number 42/],
    [{ type: 'openai', prompt: 'x', name: '' }, 'name', /non-empty string/],
    [{ type: 'openai', prompt: 'x', model: null }, 'model', /non-empty string, got null/],
    [{ cmd: ['ls'] }, 'cmd', /non-empty string, got an array/],
    [{ cmd: 'x', array: true, max_items: 0 }, 'max_items', /must be a positive whole number, got number 0/],
    [{ cmd: 'x', array: true, max_items: 2.5 }, 'max_items', /must be a positive whole number, got number 2.5/],
    [{ cmd: 'x', array: true, max_items: '100' }, 'max_items', /must be a positive whole number, got the string "100"/],
  ])('wrong type: %j names field %s', (step, field, reason) => {
    const problems = problemsOf(json([{ type: 'openai', prompt: 'fine' }, step]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^config\.json: step 2\b/);
    expect(problems[0]).toContain(`field "${field}"`);
    expect(problems[0]).toMatch(reason);
  });

  test('max_items: 10,000 by default on array steps, a step may change it, and it needs "array": true', () => {
    const config = parseConfig(
      json([{ cmd: 'a', array: true }, { cmd: 'b', array: true, max_items: 300000 }, { cmd: 'c' }]),
      'config.json',
    );
    expect(config.steps.map((s) => s.maxItems)).toEqual([10_000, 300_000, undefined]);
    for (const step of [
      { name: 'split', cmd: 'x', max_items: 5 },
      { name: 'split', cmd: 'x', array: false, max_items: 5 },
    ]) {
      const problems = problemsOf(json([{ cmd: 'a' }, step]));
      expect(problems).toEqual([
        'config.json: step 2 ("split"): field "max_items" caps the elements of an "array": true step; this step has no "array": true (add it, or remove "max_items")',
      ]);
    }
  });

  test('a model step needs exactly one prompt source', () => {
    expect(problemsOf(json([{ type: 'openai', name: 'a' }]))[0]).toMatch(/^config\.json: step 1 \("a"\): missing prompt/);
    const [two] = problemsOf(json([{ type: 'codex', name: 'b', prompt: 'x', prmpt_file: 'y' }]));
    expect(two).toMatch(/^config\.json: step 1 \("b"\): /);
    expect(two).toContain('"prompt" and "prmpt_file"');
  });

  test('a cmd step takes no prompt and no model fields', () => {
    expect(problemsOf(json([{ name: 'c', cmd: 'cat', prompt: 'x' }]))[0]).toMatch(/^config\.json: step 1 \("c"\): .*"prompt"/);
    expect(problemsOf(json([{ name: 'c', cmd: 'cat', model: 'm' }]))[0]).toMatch(/field "model" does not apply to a cmd step/);
  });

  test('sandbox only on codex steps, api only on openai steps', () => {
    expect(problemsOf(json([{ type: 'openai', prompt: 'x', sandbox: 'read-only' }]))[0]).toMatch(/step 1 \("openai"\): field "sandbox"/);
    expect(problemsOf(json([{ type: 'codex', prompt: 'x', api: 'chat' }]))[0]).toMatch(/step 1 \("codex"\): field "api"/);
  });

  test('a step that is not an object', () => {
    expect(problemsOf('[{"cmd": "x"}, 5]')).toEqual([expect.stringMatching(/^config\.json: step 2: must be an object/)]);
  });

  test('every problem is listed at once, across steps', () => {
    const problems = problemsOf(
      json([
        { type: 'openai', name: 'a', prompt: 'x', modle: 'm', apii: 'chat' },
        { type: 'openai', name: 'ok', prompt: 'x' },
        { type: 'codex', name: 'c', prompt: 'x', api: 'chat' },
      ]),
      'dir/my.json',
    );
    expect(problems).toEqual([
      'dir/my.json: step 1 ("a"): unknown field "modle" (did you mean "model"?)',
      'dir/my.json: step 1 ("a"): unknown field "apii" (did you mean "api"?)',
      expect.stringMatching(/^dir\/my\.json: step 3 \("c"\): field "api"/),
    ]);
  });

  test('parseConfigLenient keeps the valid steps next to the problems', () => {
    const { config, problems } = parseConfigLenient(json([{ cmd: 'a' }, { type: 'x' }, { cmd: 'b' }]), 'c.json');
    expect(config.steps.map((s) => s.cmd)).toEqual(['a', 'b']);
    expect(problems).toHaveLength(1);
  });

  test('empty steps, in both forms', () => {
    expect(problemsOf('[]')).toEqual([expect.stringMatching(/^config\.json: .*no steps/)]);
    expect(problemsOf('{"steps": []}')).toEqual([expect.stringMatching(/^config\.json: .*no steps/)]);
  });

  test('object form: unknown top-level field, missing or wrong steps, bad defaults', () => {
    expect(problemsOf(json({ steps: [{ cmd: 'x' }], modle: 'm' }))).toEqual(['config.json: unknown field "modle" (did you mean "model"?)']);
    expect(problemsOf(json({ stepz: [{ cmd: 'x' }] }))).toEqual(['config.json: unknown field "stepz" (did you mean "steps"?)']);
    expect(problemsOf(json({ model: 'm' }))[0]).toMatch(/^config\.json: missing field "steps"/);
    expect(problemsOf(json({ steps: { a: 1 } }))[0]).toMatch(/^config\.json: field "steps" must be an array/);
    expect(problemsOf(json({ steps: [{ cmd: 'x' }], timeout: -1 }))[0]).toMatch(/^config\.json: field "timeout" must be a positive number/);
    expect(problemsOf(json({ steps: [{ cmd: 'x' }], api: 'rest' }))[0]).toMatch(/^config\.json: field "api"/);
  });

  test('neither an array nor an object', () => {
    expect(problemsOf('"steps"')[0]).toMatch(/^config\.json: the config must be a JSON array of steps or an object/);
    expect(problemsOf('null')[0]).toMatch(/^config\.json: /);
  });
});

describe('parseJson: syntax errors name the line and column', () => {
  const errorOf = (text: string): string => {
    try {
      parseJson(text, 'cfg.json');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error('expected a JSON error');
  };

  test('valid JSON, with or without a BOM', () => {
    expect(parseJson('[1, {"a": 2}]', 'x.json')).toEqual([1, { a: 2 }]);
    expect(parseJson('\uFEFF{"a": 1}', 'x.json')).toEqual({ a: 1 });
  });

  test('a trailing comma on line 3', () => {
    expect(errorOf('[\n  {"cmd": "a"},\n  {"cmd": "b",}\n]')).toMatch(/^cfg\.json:3:15: invalid JSON: /);
  });

  test('a missing comma between properties', () => {
    expect(errorOf('{\n  "steps": []\n  "model": "m"\n}')).toMatch(/^cfg\.json:3:3: invalid JSON: /);
  });

  test('single quotes', () => {
    expect(errorOf("[\n  {'cmd': 'a'}\n]")).toMatch(/^cfg\.json:2:4: invalid JSON: /);
  });

  test('a cut-off file points at its end', () => {
    expect(errorOf('[\n  {"cmd": "a"}')).toMatch(/^cfg\.json:2:15: invalid JSON: /);
    expect(errorOf('')).toMatch(/^cfg\.json:1:1: invalid JSON/);
  });

  test('a BOM does not shift the column', () => {
    expect(errorOf('\uFEFF{"a" 1}')).toMatch(/^cfg\.json:1:6: /);
  });

  // V8 words "Unexpected token" errors without "at position": the offending token must still be located
  test.each([
    ['a bare word (tru)', '[\n  {"type": "openai", "array": tru},\n  {"cmd": "a"}\n]', 'tru}', 3],
    ['undefined', '[\n  {"type": "openai", "prompt": undefined},\n  {"cmd": "b"}\n]', 'undefined', 0],
    ['a short text', '[1, 2, x]', 'x', 0],
    ['a word near the start of a long text', '[x, {"cmd": "aaaaaaaaaaaaaaaaaaa"}]', 'x', 0],
    ['a word near the end of a long text', '[{"cmd": "aaaaaaaaaaaaaaaaaaa"}, x]', 'x]', 0],
    ['a single-quoted value', '{\n  "steps": [\n    {"cmd": \'ls\'}\n  ]\n}', "'ls'", 0],
  ])('an unexpected token: %s', (_what, text, marker, shift) => {
    const { line, column } = lineColumn(text, text.indexOf(marker) + shift);
    const message = errorOf(text);
    expect(message).toMatch(new RegExp(`^cfg\\.json:${line}:${column}: invalid JSON: Unexpected token`));
    // the reason is one line, without V8's quote of the surrounding text
    expect(message).not.toContain('\n');
  });

  test('lineColumn', () => {
    expect(lineColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\n', 6)).toEqual({ line: 3, column: 1 });
  });

  test('a config file with a JSON error is a UsageError naming file:line:column', () => {
    expect(() => parseConfig('[\n{"cmd": "a"}\n{"cmd": "b"}]', 'c.json')).toThrow(/^c\.json:3:1: invalid JSON/);
  });
});

describe('parseConfig: after steps (run once over all leaves)', () => {
  const steps = [{ type: 'openai', name: 'review', prompt: 'Review {{{doc}}}' }];

  test('"after" holds steps of every kind, numbered in their own list, defaults applied', () => {
    const config = parseConfig(
      json({
        model: 'm1',
        steps,
        after: [
          { type: 'openai', name: 'overview', prompt: 'Summarise these reviews' },
          { type: 'codex', prompt_file: 'p.txt', sandbox: 'read-only' },
          { cmd: 'wc -l' },
        ],
      }),
      'config.json',
    );
    expect(config.after).toHaveLength(3);
    expect(config.after[0]).toMatchObject({ index: 1, kind: 'openai', label: 'overview', model: 'm1', array: false });
    expect(config.after[1]).toMatchObject({ index: 2, kind: 'codex', prompt: { kind: 'file', path: 'p.txt' }, sandbox: 'read-only' });
    expect(config.after[2]).toMatchObject({ index: 3, kind: 'cmd', cmd: 'wc -l' });
  });

  test('a config without "after" (either form) has none', () => {
    expect(parseConfig(json(steps), 'c.json').after).toEqual([]);
    expect(parseConfig(json({ steps }), 'c.json').after).toEqual([]);
  });

  test('the hash does not cover the after steps: --resume then runs only them again', () => {
    const hashes = [undefined, [{ cmd: 'wc -l' }], [{ cmd: 'cat' }]].map((after) => parseConfig(json({ steps, after }), 'c.json').hash);
    expect(new Set(hashes).size).toBe(1);
  });

  test('the full hash covers everything that runs or gates: steps, setup, after steps, prices (not comments, order or the file name)', () => {
    const price = { input: 1, output: 2 };
    const variants = [
      { steps },
      { steps, after: [{ cmd: 'wc -l' }] },
      { steps, after: [{ cmd: 'cat' }] },
      { steps, after: [{ cmd: 'cat', timeout: 5 }] },
      { steps, setup: 'npm ci' },
      { steps, prices: { 'gpt-x': price } },
      { steps, prices: { 'gpt-x': { ...price, output: 3 } } },
      { steps, model: 'gpt-y' },
    ];
    const configs = variants.map((v, i) => parseConfig(json(v), `c${i}.json`));
    expect(new Set(configs.map((c) => c.fullHash)).size).toBe(variants.length);
    expect(configs.every((c) => /^[0-9a-f]{64}$/.test(c.fullHash))).toBe(true);
    const reordered = parseConfig(json({ _note: 'x', prices: { 'gpt-x': price }, steps }), 'other.json');
    expect(reordered.fullHash).toBe(configs[5]!.fullHash);
  });

  test('array and max_items are refused, naming the after step', () => {
    expect(problemsOf(json({ steps, after: [{ type: 'openai', name: 'split', prompt: 'x', array: true }] }))).toEqual([
      'config.json: after step 1 ("split"): field "array" does not apply to after steps: they run once over all leaves, and cannot split into branches (remove it)',
    ]);
    expect(problemsOf(json({ steps, after: [{ cmd: 'x' }, { cmd: 'y', array: true, max_items: 3 }] }))[0]).toMatch(
      /^config\.json: after step 2: field "array"/,
    );
  });

  test('an after step is checked like any step, its problems named as after steps', () => {
    expect(problemsOf(json({ steps, after: [{ type: 'openai', promt: 'x' }, 'cat'] }))).toEqual([
      'config.json: after step 1 ("openai"): unknown field "promt" (did you mean "prompt"?)',
      'config.json: after step 2: must be an object like {"type": "openai", "prompt": "..."}, got the string "cat"',
    ]);
  });

  test('"after" must be a list; on a step it is pointed to the top level', () => {
    expect(problemsOf(json({ steps, after: { cmd: 'x' } }))).toEqual([
      'config.json: field "after" must be an array of steps, got an object',
    ]);
    expect(problemsOf(json([{ cmd: 'x', after: [] }]))[0]).toContain(
      'unknown field "after" (after is a field of the config, next to "steps": {"after": [...], "steps": [...]})',
    );
  });
});

describe('config mistakes, all at once (issue 24.4)', () => {
  const problemsOfText = (config: unknown, hints = {}): readonly string[] => {
    try {
      const { problems } = parseConfigLenient(JSON.stringify(config), 'config.json', hints);
      return problems;
    } catch (error) {
      return (error as UsageError).problems;
    }
  };
  const options = [{ flag: '--parallel', input: 'parallel' }, { flag: '--max-cost', input: 'max-cost' }, { flag: '--output' }];

  test('a top-level typo does not hide the steps problems; an option spelt as a field is named', () => {
    expect(problemsOfText({ paralel: 3, max_cost: 1, steps: [{ type: 'openai', promt: 'x' }] }, { options })).toEqual([
      'config.json: unknown field "paralel" (did you mean the option --parallel? It is given on the command line, or as the Action\'s input "parallel", not in the config)',
      'config.json: unknown field "max_cost" (did you mean the option --max-cost? It is given on the command line, or as the Action\'s input "max-cost", not in the config)',
      'config.json: step 1 ("openai"): unknown field "promt" (did you mean "prompt"?)',
    ]);
  });

  test('a bad default is reported and not applied to the steps; a missing steps field comes with the other problems', () => {
    expect(problemsOfText({ timeout: -1, steps: [{ cmd: 'x' }] })).toEqual([
      expect.stringMatching(/^config\.json: field "timeout" must be a positive number/),
    ]);
    expect(problemsOfText({ modle: 'm' })).toEqual([
      'config.json: unknown field "modle" (did you mean "model"?)',
      'config.json: missing field "steps" (the list of steps to run)',
    ]);
  });
});
