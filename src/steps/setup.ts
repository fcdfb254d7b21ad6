import { join } from 'node:path';
import { StepError } from '../errors.js';
import type { TreeWriter } from '../util/files.js';
import { processFailure } from './cmd.js';
import { childEnv } from './env.js';
import { runProcess } from './process.js';

export interface SetupRequest {
  /** The config's `setup` command, run with `sh -c`. */
  readonly command: string;
  /** The directory of the new worktree that stands for the workdir: the command's cwd. */
  readonly cwd: string;
  /** The workdir in the checkout, as ORCHESTRATOR_WORKDIR (e.g. to link its node_modules). */
  readonly workdir: string;
  /** The run's environment (filtered as for cmd steps) and the step's ORCHESTRATOR_* variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stepEnv: Readonly<Record<string, string>>;
  /** Where setup_stdout.txt and setup_stderr.txt go: the directory of the step that needed the worktree. */
  readonly dir: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly files: TreeWriter;
}

/**
 * Runs the config's `setup` command once in a new worktree, before its first step (a worktree holds
 * only what git tracks: no node_modules, no build output). Its failure fails the step that needed
 * the worktree.
 */
export async function runSetup(request: SetupRequest): Promise<void> {
  const result = await runProcess({
    file: 'sh',
    args: ['-c', request.command],
    cwd: request.cwd,
    env: { ...childEnv(request.env), ...request.stepEnv, ORCHESTRATOR_WORKDIR: request.workdir },
    input: '',
    stdout: request.files.stream(join(request.dir, 'setup_stdout.txt')),
    stderr: request.files.stream(join(request.dir, 'setup_stderr.txt')),
    captureStdout: false,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
  });
  const failure = processFailure(`the config's "setup" command (${JSON.stringify(request.command)})`, result, request.timeoutMs);
  if (failure instanceof StepError) {
    throw new StepError(`${failure.message} (in this leaf's new worktree, before its first step; output in setup_stderr.txt)`, {
      cause: failure,
    });
  }
  if (failure) throw failure;
}
