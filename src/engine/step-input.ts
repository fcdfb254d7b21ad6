import { resolve } from 'node:path';
import type { Api, ModelStep, Step } from '../config/types.js';
import { StepError, errorMessage } from '../errors.js';
import type { Flow } from '../flows/flows.js';
import { readListedFile } from '../flows/keys.js';
import { assemblePrompt, promptValue } from '../prompt/assemble.js';
import { fillPlaceholders, parseRef, type PlaceholderField } from '../prompt/placeholders.js';
import type { CommandRequest } from '../steps/runner.js';
import { InputFileError, readInputFile } from '../util/input-file.js';
import type { Redactor } from '../util/redact.js';
import {
  fingerprintSettings,
  maskedInput,
  stepFingerprint,
  type FingerprintSettings,
  type Previous,
  type StepInput,
} from './fingerprint.js';
import { modelOf, sandboxOf } from './options.js';
import type { PreparedRun } from './prepare.js';

/** How many characters of key files' texts are kept for the flows that follow (see StepInputs.contents). */
const KEPT_CHARS = 16 * 1024 * 1024;

/** One flow as it runs: its directory, when it started, and its key files' contents, read once. */
export interface FlowState {
  readonly flow: Flow;
  readonly dir: string;
  readonly started: number;
  readonly contents: Map<string, string>;
  /**
   * Its directory holds nothing of this run's (a first run: without --resume, no flow directory in
   * the range is ours): its step directories need no clearing first. A link planted there is
   * still refused, when the step's first file is written.
   */
  readonly fresh?: boolean;
}

/** Builds what each step is given (prompt, command variables, model settings) and the fingerprint it is made under. */
export class StepInputs {
  private readonly fingerprints: FingerprintSettings;
  /** Per key, the file read last and its text (see contents). */
  private readonly lastRead = new Map<string, { path: string; text: string }>();
  /** Key files' texts by path, the most recently used last (see contents). */
  private readonly kept = new Map<string, string>();
  /** The characters `kept` holds. */
  private keptChars = 0;
  /** Each step's model, found once (modelOf reads the environment: slow, once a flow). */
  private readonly models = new Map<Step, { value: string | undefined }>();
  /** The `--values` keys: a flow's entry is the value itself, not a file to read. */
  private readonly valueKeys: ReadonlySet<string>;

  /** `redactor`: the run's, whose masking its files show (fingerprints are taken of the masked input). */
  constructor(
    private readonly prepared: PreparedRun,
    private readonly redactor: Redactor,
  ) {
    this.fingerprints = fingerprintSettings(prepared.options);
    this.valueKeys = new Set(prepared.space.keys.filter((key) => key.kind === 'values').map((key) => key.name));
  }

  /** The fingerprint of a step made from `input` after the step whose fingerprint is `chain`. */
  fingerprintOf(step: Step, input: StepInput, chain: string | undefined): string {
    return stepFingerprint(step, maskedInput(input, this.redactor), chain, this.fingerprints);
  }

  /** The fingerprint a step of this flow would be made under now, after `previous` (resume.ts asks). */
  fingerprint(flow: FlowState, step: Step, previous: Previous | undefined): string {
    return this.fingerprintOf(step, this.stepInput(flow, step, previous?.output, previous?.bytes), previous?.fingerprint);
  }

  /**
   * The fingerprint of a first step for a flow whose every key stands for a marker of its own, as
   * its contents and as its path: what the first steps of all flows share (inputs-digest.ts).
   * Undefined for a prompt file whose path has placeholders (a template a flow).
   */
  probeFingerprint(step: Step): string | undefined {
    if (step.kind !== 'cmd' && step.prompt.kind !== 'inline' && !this.prepared.templates.has(step.index)) return undefined;
    const keys: Record<string, string> = {};
    const contents = new Map<string, string>();
    for (const key of this.prepared.space.keys) {
      keys[key.name] = `\0path of ${key.name}\0`;
      if (key.kind !== 'values') contents.set(key.name, `\0contents of ${key.name}\0`);
    }
    return this.fingerprint({ flow: { index: -1, id: 'flow_probe', keys }, dir: '', started: 0, contents }, step, undefined);
  }

  /** Text as fingerprints see it: every secret masked. */
  masked(text: string): string {
    return this.redactor.redact(text);
  }

  /**
   * What a step is given: its prompt or command filled in for this flow, and its model settings;
   * a cmd step gets the previous output's bytes on stdin when there are any.
   */
  stepInput(flow: FlowState, step: Step, previous: string | undefined, bytes: Buffer | undefined): StepInput {
    const { options } = this.prepared;
    let prompt: string;
    let command: CommandRequest | undefined;
    if (step.kind === 'cmd') {
      prompt = previous ?? '';
      const compiled = this.prepared.commands.get(step.index)!;
      command = {
        script: compiled.script,
        variables: [...compiled.variables].map(([ref, variable]) => {
          const { name, field } = parseRef(ref);
          return { key: ref, variable, file: flow.flow.keys[name]!, value: this.value(flow, name, field) };
        }),
      };
    } else {
      const template = this.template(flow, step);
      const filled = fillPlaceholders(template, (name, field) =>
        flow.flow.keys[name] === undefined
          ? undefined
          : field === 'path'
            ? flow.flow.keys[name]
            : this.valueKeys.has(name)
              ? flow.flow.keys[name]
              : promptValue(this.contents(flow, name), flow.flow.keys[name], options.appendFilepath),
      );
      prompt = assemblePrompt(filled, previous);
    }
    let model = this.models.get(step);
    if (model === undefined) this.models.set(step, (model = { value: modelOf(step, options) }));
    const api: Api = step.api ?? options.api ?? 'responses';
    return { prompt, input: step.kind === 'cmd' ? bytes : undefined, command, model: model.value, api, sandbox: sandboxOf(step, options) };
  }

  /** A model step's template: inline, a prompt file read once, or a file whose path has placeholders. */
  private template(flow: FlowState, step: ModelStep): string {
    const source = step.prompt;
    if (source.kind === 'inline') return source.text;
    const fixed = this.prepared.templates.get(step.index);
    if (fixed !== undefined) return fixed;
    const path = fillPlaceholders(source.path, (name, field) =>
      flow.flow.keys[name] === undefined ? undefined : this.value(flow, name, field).trim(),
    );
    try {
      return readInputFile(resolve(this.prepared.options.baseDir, path), { confineTo: this.prepared.options.confineTo }).toString('utf8');
    } catch (error) {
      const why = error instanceof InputFileError ? `it ${error.problem}` : errorMessage(error);
      throw new StepError(`cannot read prompt file ${JSON.stringify(path)}: ${why}`, { cause: error });
    }
  }

  /** What a placeholder stands for in this flow: its file's contents, or its listed path. */
  private value(flow: FlowState, name: string, field: PlaceholderField): string {
    return field === 'path' ? flow.flow.keys[name]! : this.contents(flow, name);
  }

  /**
   * The contents of this flow's file for a key, read once per flow. The file read last for each key
   * is kept, and the small files read recently (up to KEPT_CHARS), so the flows that follow do not read them again: the first key changes slowest and the
   * last one cycles through its list once per value of the others, so a list of a few thousand small
   * files is read once per run, not once a flow. The checks readListedFile makes when it reads a
   * file hold for the text kept.
   */
  private contents(flow: FlowState, name: string): string {
    if (this.valueKeys.has(name)) return flow.flow.keys[name]!;
    let text = flow.contents.get(name);
    if (text === undefined) {
      const path = flow.flow.keys[name]!;
      const last = this.lastRead.get(name);
      text = last?.path === path ? last.text : this.recent(path);
      if (text === undefined) {
        text = readListedFile(this.prepared.options.baseDir, path, name, { confineTo: this.prepared.options.confineTo });
        this.keep(path, text);
      }
      this.lastRead.set(name, { path, text });
      flow.contents.set(name, text);
    }
    return text;
  }

  /** A small file's text read recently. */
  private recent(path: string): string | undefined {
    return this.kept.get(path);
  }

  /** Keeps a small file's text; past KEPT_CHARS the first kept go first (the lists are read in cycles, where least recently used would do no better). */
  private keep(path: string, text: string): void {
    if (text.length > KEPT_CHARS / 64) return;
    this.kept.set(path, text);
    this.keptChars += text.length;
    for (const [oldest, kept] of this.kept) {
      if (this.keptChars <= KEPT_CHARS) break;
      this.kept.delete(oldest);
      this.keptChars -= kept.length;
    }
  }
}
