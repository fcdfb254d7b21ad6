import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StepError } from '../errors.js';
import { processFailure } from './cmd.js';
import { configuredProvider } from './codex-config.js';
import { childEnv } from './env.js';
import { formatBytes, maxOutputBytes } from './limits.js';
import { runProcess } from './process.js';
import type { ResponsesProxy } from './proxy.js';
import { isolationOverrides, SANDBOX_FIXES } from './sandbox.js';
import { ARRAY_OUTPUT_SCHEMA } from './schema.js';
import type { StepRequest, StepResult, StepRunner } from './runner.js';
import { addUsage, NO_USAGE, tokenCount, type Usage } from '../model/usage.js';
import { readRegular } from '../util/safe-read.js';

export interface CodexOptions {
  /** The codex binary: `--codex-path`, or `codex` found on PATH. */
  readonly path: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly apiKey: string | undefined;
  /** `--base-url`: codex ignores OPENAI_BASE_URL, so a provider is defined with `-c` overrides (the proxy's upstream). */
  readonly baseUrl: string | undefined;
  /** `--retries`: how often codex retries a failed request to the `--base-url` provider. */
  readonly retries: number;
}

const PROVIDER = 'orchestrator';

/**
 * `-c` overrides that point codex at an OpenAI-compatible server: the responses proxy, which adds
 * the key itself (no key variable), or without a key `--base-url` itself. Codex's two retry loops
 * multiply (a 5xx is retried by both: (request + 1) × (stream + 1) attempts, 30 with its defaults),
 * so `--retries` goes to the stream loop alone, which also retries 5xx and connection errors, and
 * request retries are off: a failing request is sent `retries + 1` times.
 */
export function providerOverrides(baseUrl: string, retries: number): string[] {
  const settings: Record<string, string | number> = {
    model_provider: PROVIDER,
    [`model_providers.${PROVIDER}.name`]: PROVIDER,
    [`model_providers.${PROVIDER}.base_url`]: baseUrl,
    [`model_providers.${PROVIDER}.wire_api`]: 'responses',
    [`model_providers.${PROVIDER}.request_max_retries`]: 0,
    [`model_providers.${PROVIDER}.stream_max_retries`]: retries,
  };
  return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${JSON.stringify(value)}`]);
}

/** The `codex exec` arguments for one step; the prompt goes on stdin (`-`). */
export function codexArgs(
  request: Pick<StepRequest, 'sandbox' | 'model' | 'dir' | 'step' | 'tmpdir'>,
  options: Pick<CodexOptions, 'baseUrl' | 'retries'>,
): string[] {
  const args = [
    'exec',
    '--sandbox',
    request.sandbox,
    '--skip-git-repo-check',
    '--ephemeral',
    '--json',
    '--output-last-message',
    join(request.dir, 'final_message.txt'),
  ];
  if (request.model !== undefined) args.push('-m', request.model);
  if (request.step.array) args.push('--output-schema', join(request.dir, 'output-schema.json'));
  if (options.baseUrl !== undefined) args.push(...providerOverrides(options.baseUrl, options.retries));
  if (request.tmpdir !== undefined) args.push(...isolationOverrides(request.tmpdir));
  args.push('-');
  return args;
}

/** How a command that codex's sandbox could not start fails (bubblewrap, namespaces, landlock, seccomp). */
const SANDBOX_REFUSAL = /\bbwrap\b|user namespace|uid[ _]map|landlock|seccomp|sandbox (?:error|denied|setup)/i;

/** What the `--json` event stream says: usage, the first error, and commands its sandbox refused. */
export class CodexEvents {
  usage: Usage = NO_USAGE;
  error: string | undefined;
  /** turn.failed is final; an `error` event may not be: codex also sends one per stream retry ("Reconnecting... 1/5"). */
  private turnFailed = false;
  /** Commands codex ran, and those its sandbox refused to start. */
  commands = 0;
  refused: string[] = [];

  line(text: string): void {
    let event: {
      type?: string;
      usage?: Partial<Usage>;
      message?: string;
      error?: { message?: string };
      item?: { type?: string; aggregated_output?: string; output?: string; exit_code?: number | null };
    };
    try {
      event = JSON.parse(text) as typeof event;
    } catch {
      return; // not an event: kept in stdout.txt, ignored here
    }
    if (event.type === 'item.completed' && event.item?.type === 'command_execution') {
      this.commands++;
      const output = event.item.aggregated_output ?? event.item.output ?? '';
      if (event.item.exit_code !== 0 && SANDBOX_REFUSAL.test(output)) this.refused.push(output.trim().split('\n').slice(-1)[0] ?? '');
    }
    if (event.type === 'turn.completed' && !this.turnFailed) this.error = undefined; // the errors before it were retried
    if (event.type === 'turn.completed' && event.usage) {
      // codex counts its cached input tokens within input_tokens, like the Responses API it calls
      const input = tokenCount(event.usage.input_tokens);
      this.usage = addUsage(this.usage, {
        input_tokens: input,
        output_tokens: tokenCount(event.usage.output_tokens),
        cached_input_tokens: Math.min(input, tokenCount(event.usage.cached_input_tokens)),
      });
    } else if (event.type === 'error' || (event.type === 'turn.failed' && !this.turnFailed)) {
      if (event.type === 'turn.failed') this.error = undefined; // its message is the final word
      this.turnFailed ||= event.type === 'turn.failed';
      this.error ??= event.message ?? event.error?.message ?? JSON.stringify(event);
    }
  }
}

/** Runs `codex exec` non-interactively in the workdir. */
export class CodexRunner implements StepRunner {
  private proxy: Promise<ResponsesProxy> | undefined;

  constructor(private readonly options: CodexOptions) {}

  /**
   * The proxy codex's provider points at, which holds the key (OpenAI, or --base-url upstream);
   * none without a key (codex is pointed at --base-url itself, if given), nor for a provider set in
   * codex's own config.toml, which is left alone.
   */
  private async keyProxy(): Promise<ResponsesProxy | undefined> {
    const { apiKey, baseUrl, env } = this.options;
    if (apiKey === undefined) return undefined;
    if (baseUrl === undefined && (configuredProvider(env) ?? 'openai') !== 'openai') return undefined;
    const upstream = baseUrl === undefined ? undefined : `${baseUrl.replace(/\/+$/, '')}/responses`;
    // node:http is loaded with the proxy: importing it loads fetch's undici too (most of an
    // offline run's start-up otherwise)
    this.proxy ??= import('./proxy.js').then(({ ResponsesProxy }) => ResponsesProxy.start(apiKey, upstream));
    return this.proxy;
  }

  async close(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    (await proxy?.catch(() => undefined))?.stop();
  }

  async run(request: StepRequest): Promise<StepResult> {
    const { prompt, dir, timeoutMs, signal, files } = request;
    const events = new CodexEvents();
    const finalMessage = join(dir, 'final_message.txt');
    const proxy = await this.keyProxy();
    const server = proxy?.baseUrl ?? (this.options.apiKey === undefined ? this.options.baseUrl : undefined);
    const args = codexArgs(request, { baseUrl: server, retries: this.options.retries });
    let dismiss: (() => void) | undefined;
    if (request.step.array) files.write(join(dir, 'output-schema.json'), JSON.stringify(ARRAY_OUTPUT_SCHEMA, null, 2) + '\n');
    const result = await runProcess({
      file: this.options.path,
      args,
      cwd: request.cwd,
      env: {
        ...childEnv(this.options.env),
        ...request.env,
        ...(request.tmpdir && { TMPDIR: request.tmpdir }),
      },
      input: prompt,
      stdout: files.stream(join(dir, 'stdout.txt')),
      stderr: files.stream(join(dir, 'stderr.txt')),
      captureStdout: false,
      onStdoutLine: (line) => events.line(line),
      timeoutMs,
      signal,
      // codex starts its shells in sessions of their own: no group signal reaches them
      sweep: true,
      onSpawn: (pid) => (dismiss = proxy?.admit(pid, args)),
    }).finally(() => dismiss?.());
    const failure = processFailure('codex', result, timeoutMs);
    // codex exits 1 after an error event: its message says more than the exit code and stderr
    if (failure && (events.error === undefined || result.timedOut || result.cancelled)) throw failure;
    if (events.error !== undefined) throw new StepError(`codex reported an error: ${events.error}`);
    if (events.commands > 0 && events.refused.length === events.commands) {
      throw new StepError(
        `codex's sandbox refused every command codex ran (${events.commands}), e.g. "${events.refused[0]}". ${SANDBOX_FIXES}`,
      );
    }
    if (!existsSync(finalMessage)) throw new StepError('codex exited without writing a final message');
    // codex's commands could write in this directory: the message is read only as a regular file, not through a link
    const { bytes, size } = readRegular(finalMessage, { maxBytes: maxOutputBytes() + 1 });
    if (size > maxOutputBytes()) {
      throw new StepError(
        `codex wrote a final message of ${size} bytes, more than the ${formatBytes(maxOutputBytes())} a step may pass on: ask for a shorter answer, or have codex write its result to a file`,
      );
    }
    const output = files.redactor.redact(bytes.toString('utf8'));
    files.write(finalMessage, output);
    return { output, usage: events.usage, finalMessage };
  }
}
