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
