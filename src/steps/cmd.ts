import { join } from 'node:path';
import { CancelledError, StepError } from '../errors.js';
import { childEnv } from './env.js';
import { formatBytes } from './limits.js';
import { describeHolders } from './pipe-watch.js';
import type { ProcessResult } from './process.js';
import { Spawner } from './spawner.js';
import type { StepRequest, StepResult, StepRunner } from './runner.js';

/** Linux's cap on one argument or environment string (MAX_ARG_STRLEN), "NAME=value" included. */
const MAX_ARG_BYTES = 128 * 1024;

export function timedOutMessage(timeoutMs: number): string {
  return `timed out after ${timeoutMs / 1000} s`;
}

/** Turns a finished process into the step's error, or undefined when it succeeded. */
export function processFailure(what: string, result: ProcessResult, timeoutMs: number): Error | undefined {
  if (result.cancelled) return new CancelledError('interrupted');
  const held =
    result.holders.length > 0
      ? ` (a process it started outside its process group still held its output open: killed ${describeHolders(result.holders)})`
      : result.pipesHeld
        ? ' (a process that could not be found still held its output open: stopped reading it)'
        : '';
  if (result.timedOut) return new StepError(`${what} ${timedOutMessage(timeoutMs)}${held}`);
  if (result.spawnError !== undefined) {
    const tooBig = /E2BIG/.test(result.spawnError) ? ' (its environment is too large: pass large contents on stdin instead)' : '';
    return new StepError(`${what} could not be started: ${result.spawnError}${tooBig}`);
  }
  if (result.exitCode === 0 && result.stdoutCap !== undefined) {
    return new StepError(
      `${what} wrote ${result.stdoutBytes} bytes on stdout, more than the ${formatBytes(result.stdoutCap)} a step may pass on ` +
        '(all of it is in its output.txt): write large results to a file and pass on its path instead',
    );
  }
  if (result.exitCode === 0) return undefined;
  const how = result.signal !== undefined ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const stderr = result.stderrTail.trim().split('\n').slice(-5).join('\n');
  return new StepError(`${what} ${how}${stderr ? `: ${stderr}` : ''}`);
}

/** Runs a `cmd` step with `sh -c`: previous output on stdin, stdout is the output, stderr kept. */
export class CmdRunner implements StepRunner {
  /** The environment every cmd step starts from, filtered once per run rather than once per step. */
  private readonly baseEnv: Record<string, string>;
  /** Starts the commands off this process's event loop (spawner.ts), from processes given only baseEnv. */
  private readonly spawner: Spawner;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.baseEnv = childEnv(env);
    this.spawner = new Spawner(this.baseEnv);
  }

  close(): Promise<void> {
    return this.spawner.close();
  }

  async run({ step, prompt, input, command, dir, cwd, timeoutMs, signal, files, env }: StepRequest): Promise<StepResult> {
    if (step.kind !== 'cmd') throw new Error(`internal: the cmd runner was given a ${step.kind} step`);
    const script = command?.script ?? step.cmd;
    const variables: Record<string, string> = {};
    for (const { key, variable, value, file } of command?.variables ?? []) {
      if (value.includes('\0')) {
        throw new StepError(
          `{{{${key}}}} in "cmd": ${JSON.stringify(file)} holds a NUL byte, which an environment variable cannot carry: ` +
            `pass the contents on stdin instead (e.g. read the file in the command: cat {{{${key.replace(/:path$/, '')}:path}}})`,
        );
      }
      const bytes = Buffer.byteLength(value);
      if (bytes + variable.length + 2 > MAX_ARG_BYTES) {
        throw new StepError(
          `{{{${key}}}} in "cmd" stands for ${bytes} bytes, too large for a command line (Linux caps one argument or ` +
            `variable at 128 KiB): pass the contents on stdin instead, e.g. as the output of a previous step`,
        );
      }
      variables[variable] = value;
    }
    files.write(join(dir, 'command.txt'), step.cmd + '\n');
    const result = await this.spawner.run({
      file: 'sh',
      args: ['-c', script],
      cwd,
      env: { ...this.baseEnv, ...env, ...variables },
      input: input ?? prompt,
      stdout: files.stream(join(dir, 'output.txt')),
      stderr: files.stream(join(dir, 'stderr.txt')),
      captureStdout: true,
      timeoutMs,
      signal,
    });
    const failure = processFailure('the command', result, timeoutMs);
    if (failure) throw failure;
    // passed on byte for byte (secrets masked, as in output.txt); `output` is its text view
    const bytes = files.redactor.redactBytes(result.stdout);
    return { output: bytes.toString('utf8'), bytes, usage: null };
  }
}
