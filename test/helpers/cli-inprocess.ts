/**
 * The CLI in the test's own process: `cli(argv, io)` from src/cli/main.ts (what `main` runs) with
 * an Io of the test's (captured stdout and stderr, the environment baseEnv gives a child, the
 * directory), returning the exit code `main` would exit with. No node start (the process layer
 * started the CLI ~800 times, ~0.15-0.25 CPU s each), for tests about what a command prints,
 * writes and exits with. A test about the process itself keeps `runCli` (test/helpers/cli.ts):
 * signals, the shelter's re-exec and what `/proc/<pid>/environ` holds, stdin, a terminal, a
 * timeout that kills it, memory, or a variable the code reads from `process.env` rather than
 * `io.env` (IN_PROCESS_REFUSES below).
 *
 * So that an assertion that something is *not* printed cannot pass because the text went
 * elsewhere, anything written to this process's own stdout or stderr while a command runs fails
 * the run (the CLI writes only to its Io).
 */
import { Writable } from 'node:stream';
import { cli } from '../../src/cli/main.js';
import { baseEnv, type CliResult } from './cli.js';

/** Variables the code reads from process.env (not from its Io): a test that sets one needs a process. */
const IN_PROCESS_REFUSES = ['ORCHESTRATOR_KILL_GRACE_MS', 'ORCHESTRATOR_RESULTS_OUTPUT_CHARS', 'ORCHESTRATOR_DEBUG'];

export interface InProcessOptions {
  cwd: string;
  /** The command's environment (default: baseEnv()). */
  env?: Record<string, string | undefined>;
}

// what baseEnv gives a child, for the code that reads it from process.env
process.env.ORCHESTRATOR_KILL_GRACE_MS = baseEnv().ORCHESTRATOR_KILL_GRACE_MS;

/** A stream that keeps what is written to it. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Commands running now, and what reached the process's own streams meanwhile. */
let running = 0;
let stray = '';
let restore: (() => void) | undefined;

function watchOwnStreams(): void {
  if (running++ > 0) return;
  stray = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const catcher =
    (name: string) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      if (String(chunk) !== '') stray += `${name}: ${String(chunk)}`;
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = catcher('stdout');
  process.stderr.write = catcher('stderr');
  restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
}

/** Node's own warning that jest's ESM mode (vm modules) is experimental, printed once per worker: not the CLI's. */
const JEST_WARNING = /^stderr: \(node:\d+\) ExperimentalWarning: VM Modules .*\n(stderr: )?\(Use `node --trace-warnings \.\.\.` .*\n/m;

function unwatchOwnStreams(): string {
  const seen = stray.replace(JEST_WARNING, '');
  if (--running === 0) restore?.();
  return seen;
}

/** `orchestrator ...args` run in this process: its exit code and what it printed (signal: always null). */
export async function runCliInProcess(args: readonly string[], options: InProcessOptions): Promise<CliResult> {
  const env = options.env === undefined ? baseEnv() : (options.env as Record<string, string>);
  const refused = IN_PROCESS_REFUSES.filter((name) => env[name] !== undefined && env[name] !== baseEnv()[name]);
  if (refused.length > 0) throw new Error(`runCliInProcess: ${refused.join(', ')} is read from process.env: run this test with runCli`);
  const stdout = new Capture();
  const stderr = new Capture();
  watchOwnStreams();
  let seen: string;
  let code: number;
  try {
    code = await cli(args, { stdout, stderr, env, cwd: options.cwd });
  } finally {
    seen = unwatchOwnStreams();
  }
  if (seen !== '') throw new Error(`orchestrator ${args.join(' ')} wrote to the test process's own streams, not its Io:\n${seen}`);
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}
