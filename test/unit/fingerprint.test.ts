/**
 * What a step's fingerprint covers (README "Resuming a run"): everything that decides its answer,
 * nothing that does not. The CLI tests in resume-inputs.test.ts count the calls this saves or makes.
 */
import { parseConfig } from '../../src/config/parse.js';
import type { Step } from '../../src/config/types.js';
import {
  maskedInput,
  stepFingerprint,
  withoutCredentials,
  type FingerprintSettings,
  type StepInput,
} from '../../src/engine/fingerprint.js';
import { Redactor } from '../../src/util/redact.js';

const [openai, codex, cmd] = parseConfig(
  JSON.stringify([
    { type: 'openai', prompt: 'Ask', timeout: 10 },
    { type: 'codex', prompt: 'Do' },
    { name: 'shout', cmd: 'tr a-z A-Z' },
  ]),
  'config.json',
).steps as [Step, Step, Step];

const SETTINGS: FingerprintSettings = {
  offline: false,
  openaiBaseUrl: 'https://api.example.com/v1',
  codexBaseUrl: undefined,
  workdir: '.',
  isolate: 'none',
};
const INPUT: StepInput = { prompt: 'Ask', command: undefined, model: 'm1', api: 'responses', sandbox: 'workspace-write' };
const CMD: StepInput = { ...INPUT, prompt: 'stdin', command: { script: 'tr a-z A-Z', variables: [] } };

const fp = (step: Step, input: Partial<StepInput> = {}, settings: Partial<FingerprintSettings> = {}, previous?: string): string =>
  stepFingerprint(step, { ...(step.kind === 'cmd' ? CMD : INPUT), ...input }, previous, { ...SETTINGS, ...settings });

describe('stepFingerprint', () => {
  test('the same inputs give the same sha256', () => {
    expect(fp(openai)).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(openai)).toBe(fp(openai));
  });

  test.each([
    ['the prompt', { prompt: 'Ask more' }, {}],
    ['the model', { model: 'm2' }, {}],
    ['the API', { api: 'chat' as const }, {}],
    ['offline', {}, { offline: true }],
    ['the server', {}, { openaiBaseUrl: 'https://other.example.com/v1' }],
  ])('an openai step: %s counts', (_what, input, settings) => {
    expect(fp(openai, input, settings)).not.toBe(fp(openai));
  });

  test('an openai step: the sandbox, the workdir, isolation and a step timeout do not count', () => {
    expect(fp(openai, { sandbox: 'read-only' }, { workdir: 'elsewhere', isolate: 'worktree' })).toBe(fp(openai));
    expect(fp({ ...openai, timeout: 99 })).toBe(fp(openai));
  });

  test('offline a model step answers with its prompt: only the prompt (and array) count, not model or server', () => {
    const offline = { offline: true };
    expect(fp(openai, { model: 'm2', api: 'chat' }, { ...offline, openaiBaseUrl: undefined })).toBe(fp(openai, {}, offline));
    expect(fp(openai, { prompt: 'other' }, offline)).not.toBe(fp(openai, {}, offline));
    expect(fp({ ...openai, array: true }, {}, offline)).not.toBe(fp(openai, {}, offline));
  });

  test('a codex step: sandbox, workdir, isolation and --base-url count; OPENAI_BASE_URL does not reach codex', () => {
    expect(fp(codex, { sandbox: 'read-only' })).not.toBe(fp(codex));
    expect(fp(codex, {}, { workdir: 'sub' })).not.toBe(fp(codex));
    expect(fp(codex, {}, { isolate: 'worktree' })).not.toBe(fp(codex));
    expect(fp(codex, {}, { codexBaseUrl: 'http://127.0.0.1:1/v1' })).not.toBe(fp(codex));
    expect(fp(codex, {}, { openaiBaseUrl: 'http://127.0.0.1:1/v1' })).toBe(fp(codex));
  });

  test('a cmd step: script, placeholder values and stdin count; offline, model and server do not', () => {
    const withValue = (value: string): Partial<StepInput> => ({
      command: { script: 'cat "$ORCH_1"', variables: [{ key: 'DOC', variable: 'ORCH_1', value, file: 'a.txt' }] },
    });
    expect(fp(cmd, withValue('one'))).not.toBe(fp(cmd, withValue('two')));
    expect(fp(cmd, { prompt: 'other stdin' })).not.toBe(fp(cmd));
    expect(fp(cmd, { command: { script: 'tr A-Z a-z', variables: [] } })).not.toBe(fp(cmd));
    expect(fp(cmd, { model: 'm2' }, { offline: true, openaiBaseUrl: undefined })).toBe(fp(cmd));
  });

  test('the step before it counts: a step after one that changed changes too', () => {
    expect(fp(cmd, {}, {}, fp(openai))).not.toBe(fp(cmd, {}, {}, fp(openai, { model: 'm2' })));
    expect(fp(cmd, {}, {}, undefined)).not.toBe(fp(cmd, {}, {}, fp(openai)));
  });
});

describe('withoutCredentials', () => {
  test('drops a user name and password, keeps the rest', () => {
    expect(withoutCredentials('https://user:pass@example.com:8443/v1?x=1')).toBe('https://example.com:8443/v1?x=1');
    expect(withoutCredentials('https://example.com/v1')).toBe('https://example.com/v1');
    expect(withoutCredentials(undefined)).toBeNull();
    expect(withoutCredentials('')).toBeNull();
  });
});

describe('maskedInput', () => {
  const secret = 'sk-test-masked-0123456789abcdef';
  const redactor = new Redactor([secret]);
  const masked = (step: Step, input: Partial<StepInput>): string =>
    stepFingerprint(step, maskedInput({ ...(step.kind === 'cmd' ? CMD : INPUT), ...input }, redactor), undefined, SETTINGS);

  test('an input holding a secret has the fingerprint of the same input read back masked (***)', () => {
    expect(masked(openai, { prompt: `Ask\n\nreply ${secret}` })).toBe(masked(openai, { prompt: 'Ask\n\nreply ***' }));
    expect(masked(cmd, { input: Buffer.from(`out ${secret}\n`) })).toBe(masked(cmd, { input: Buffer.from('out ***\n') }));
    const variable = (value: string): Partial<StepInput> => ({
      command: { script: 'cat "$1"', variables: [{ key: 'doc', variable: 'O_doc', value, file: 'a.md' }] },
    });
    expect(masked(cmd, variable(`v ${secret}`))).toBe(masked(cmd, variable('v ***')));
  });

  test('what is not a secret still tells inputs apart', () => {
    expect(masked(openai, { prompt: 'Ask\n\nreply one' })).not.toBe(masked(openai, { prompt: 'Ask\n\nreply two' }));
    expect(masked(cmd, { input: Buffer.from('one') })).not.toBe(masked(cmd, { input: Buffer.from('two') }));
    // without secrets the fingerprint is the one taken before masking existed: earlier runs still resume
    expect(stepFingerprint(openai, maskedInput(INPUT, new Redactor([])), undefined, SETTINGS)).toBe(fp(openai));
  });
});

describe('stepFingerprint stays what earlier releases wrote (a resume after an upgrade reuses every step)', () => {
  // the values the JSON.stringify of one object made (0.x up to 2026-12-07); each case made twice,
  // and after another, so what is kept from the step before cannot leak into the next
  test('openai, codex and array steps, online and offline, with and without a step before', () => {
    const [ask, code, list] = parseConfig(
      JSON.stringify([
        { type: 'openai', prompt: 'Ask' },
        { type: 'codex', prompt: 'Do' },
        { type: 'openai', prompt: 'List', array: true },
      ]),
      'c.json',
    ).steps as [Step, Step, Step];
    const settings: FingerprintSettings = { ...SETTINGS, openaiBaseUrl: 'https://u:p@api.example.com/v1' };
    const input: StepInput = { ...INPUT, prompt: 'Ask "q"\n' };
    const cases: [string, () => string][] = [
      ['c86a378c32b1b615c7baaa79c48d95a5936c388005ec36fbb2cdf755568550ce', () => stepFingerprint(ask, input, undefined, settings)],
      ['a32c71df8298f9a3204f061e969154d8efa0ba04f8a720e9081753db7ec9e204', () => stepFingerprint(ask, input, 'abc', settings)],
      [
        '7d33e9f5740ec36931bed5796a6b83969ebba08767a7c42b317bc5fd968775ae',
        () => stepFingerprint(ask, { ...input, model: undefined }, undefined, settings),
      ],
      [
        '0a98987930dbc9571d62e5204637eb49830e523990692d8411cc4fc20ea19d01',
        () => stepFingerprint(ask, input, undefined, { ...settings, offline: true }),
      ],
      [
        '5aeedd05f7e057c05598e850965536f1290e26abb2a21ec949dc1acb1f328286',
        () => stepFingerprint(list, input, undefined, { ...settings, offline: true }),
      ],
      ['5a8f23b0d4a33d8ef61c5ced9a17e9647bd19e32e391cd2af632f7d36f75efb6', () => stepFingerprint(list, input, 'p', settings)],
      ['922909ff0a493b51c3b5bae156068ae54afb3d7e1452bb6e6669d7a379965bc0', () => stepFingerprint(code, input, undefined, settings)],
      [
        'e342461e4f1a216e3c000a86b27f3607bdb89ddb9021eddd7b06b87857732054',
        () => stepFingerprint(code, input, undefined, { ...settings, codexBaseUrl: 'http://x/v1', isolate: 'worktree' }),
      ],
    ];
    for (let round = 0; round < 2; round++)
      for (const [expected, fingerprint] of cases) {
        expect(fingerprint()).toBe(expected);
        expect(fingerprint()).toBe(expected);
      }
  });
});
