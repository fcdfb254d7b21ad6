import { hash } from 'node:crypto';
import type { Step } from '../config/types.js';
import type { StepRequest } from '../steps/runner.js';
import { urlWithoutCredentials, type Redactor } from '../util/redact.js';

/** What a step is given, before it runs: the parts of its request that decide its output. */
export type StepInput = Pick<StepRequest, 'prompt' | 'input' | 'command' | 'model' | 'api' | 'sandbox'>;

/** The run's settings that decide what a step answers, the same for every step. */
export interface FingerprintSettings {
  readonly offline: boolean;
  /** The model server openai steps call: `--base-url`, else OPENAI_BASE_URL; undefined means api.openai.com. */
  readonly openaiBaseUrl: string | undefined;
  /** `--base-url` only: codex ignores OPENAI_BASE_URL. */
  readonly codexBaseUrl: string | undefined;
  /**
   * The workdir as given (`--workdir`, relative to the base directory): cwd of codex and cmd steps.
   * Not the resolved path, so a job re-run on a machine with another checkout path still resumes.
   */
  readonly workdir: string;
  readonly isolate: 'none' | 'worktree';
}

/** The fingerprint settings of a run's options (the flows' steps and the after steps alike). */
export function fingerprintSettings(o: {
  readonly offline: boolean;
  readonly baseUrl?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly workdir: string;
  readonly isolate?: 'none' | 'worktree';
}): FingerprintSettings {
  return {
    offline: o.offline,
    openaiBaseUrl: o.baseUrl ?? (o.env.OPENAI_BASE_URL || undefined),
    codexBaseUrl: o.baseUrl,
    workdir: o.workdir,
    isolate: o.isolate ?? 'none',
  };
}

/** A step's saved output and the fingerprint it was made under: what the next step starts from. */
export interface Previous {
  readonly output: string;
  /** The output byte for byte, when it was read back from a file (a cmd step's stdin). */
  readonly bytes?: Buffer;
  readonly fingerprint: string;
}

/** A base URL as it names the server in a fingerprint or cache key (urlWithoutCredentials 'identity'); null for none. */
export function withoutCredentials(url: string | undefined): string | null {
  if (url === undefined || url === '') return null;
  // one run has one or two base URLs and asks once a step: parsing it (new URL, two setters) each
  // time was about 1 % of a run of model calls
  if (url !== lastUrl.given) lastUrl = { given: url, identity: urlWithoutCredentials(url, 'identity') };
  return lastUrl.identity;
}
let lastUrl = { given: '', identity: '' };

/**
 * A step's input as its files keep it: every secret masked, as in prompt.txt and in the output.txt
 * of the step before, which is what `--resume` reads back. Fingerprints are taken of this, so a
 * step after one whose output held a secret (saved masked) is current on resume, not made again
 * from `***` each time.
 */
export function maskedInput(input: StepInput, redactor: Pick<Redactor, 'redact' | 'redactBytes'>): StepInput {
  return {
    ...input,
    prompt: redactor.redact(input.prompt),
    input: input.input === undefined ? undefined : redactor.redactBytes(input.input),
    command:
      input.command === undefined
        ? undefined
        : {
            script: redactor.redact(input.command.script),
            variables: input.command.variables.map((v) => ({ ...v, value: redactor.redact(v.value) })),
          },
  };
}

/**
 * The fingerprint (sha256) of everything that decides one step's output in one flow or branch, so
 * `--resume` reuses a saved step only when it would be asked the same thing again (README
 * "Resuming a run"). It covers the step's kind, its resolved prompt (template with the key files'
 * contents and the previous output: prompt files, key files and `--append-filepath` are in it) or
 * for cmd steps the compiled script, the placeholders' values and stdin; and the fingerprint of the
 * step before it, so a step that runs again makes every step after it run again.
 *
 * Per kind, only what reaches the step counts: model steps answer offline with their prompt, so
 * offline only the mode and `array` count; online openai steps add model, API and server, codex
 * steps model, sandbox, server, workdir and isolation; cmd steps the workdir and isolation (they
 * run the same offline and online). Not counted: timeouts and retries (a step that succeeded gave
 * the same answer it would have with more time), `--parallel`, the token budget, the codex binary.
 */
export function stepFingerprint(step: Step, input: StepInput, previous: string | undefined, settings: FingerprintSettings): string {
  if (step.kind !== 'cmd') {
    // the object below as JSON.stringify writes it: the fields after the prompt are made once a step
    const head = `{"v":1,"previous":${JSON.stringify(previous ?? null)},"kind":"${step.kind}","prompt":${JSON.stringify(input.prompt)},`;
    return hash('sha256', head + modelFields(step, input, settings), 'hex');
  }
  // stdin as bytes: two outputs that differ only in bytes that are not UTF-8 are different inputs
  const stdin = input.input ?? Buffer.from(input.prompt, 'utf8');
  const parts = {
    v: 1,
    previous: previous ?? null,
    kind: step.kind,
    stdin: hash('sha256', stdin, 'hex'),
    script: input.command?.script ?? step.cmd,
    variables: (input.command?.variables ?? []).map((v) => [v.key, v.variable, v.value]),
    workdir: settings.workdir,
    isolate: settings.isolate,
  };
  return hash('sha256', JSON.stringify(parts), 'hex');
}

/** A model step's fields after its prompt, as JSON without the opening brace: the same for each flow, so made once (the last step's kept). */
function modelFields(step: Exclude<Step, { kind: 'cmd' }>, input: StepInput, settings: FingerprintSettings): string {
  const last = lastFields;
  if (
    last.step === step &&
    last.settings === settings &&
    last.model === input.model &&
    last.api === input.api &&
    last.sandbox === input.sandbox
  )
    return last.json;
  let fields: Record<string, unknown>;
  if (settings.offline) fields = { mode: 'offline', array: step.array };
  else if (step.kind === 'openai')
    fields = {
      mode: 'online',
      array: step.array,
      model: input.model ?? null,
      api: input.api,
      base_url: withoutCredentials(settings.openaiBaseUrl),
    };
  else
    fields = {
      mode: 'online',
      array: step.array,
      model: input.model ?? null,
      sandbox: input.sandbox,
      base_url: withoutCredentials(settings.codexBaseUrl),
      workdir: settings.workdir,
      isolate: settings.isolate,
    };
  const json = JSON.stringify(fields).slice(1);
  lastFields = { step, settings, model: input.model, api: input.api, sandbox: input.sandbox, json };
  return json;
}
let lastFields: {
  step?: Step;
  settings?: FingerprintSettings;
  model?: string;
  api?: StepInput['api'];
  sandbox?: StepInput['sandbox'];
  json: string;
} = { json: '' };
