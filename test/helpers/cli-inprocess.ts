/**
 * The CLI in the test's own process: `cli(argv, io)` from src/cli/main.ts (what `main` runs) with
 * an Io of the test's (captured stdout and stderr, the environment baseEnv gives a child, the
 * directory), returning the exit code `main` would exit with. No node start (the process layer
 * started the CLI ~800 times, ~0.15-0.25 CPU s each), for tests about what a command prints,
 * writes and exits with. A test about the process itself keeps `runCli` (test/helpers/cli.ts):
 * signals, the shelter's re-exec and what `/proc/<pid>/environ` holds, stdin, a terminal, a
 * timeout that kills it, memory, two commands at once (commands here run one at a time, each
 * with this process's environment made the command's own while it runs).
 *
 * So that an assertion that something is *not* printed cannot pass because the text went
 * elsewhere, anything written to this process's own stdout or stderr while a command runs fails
 * the run (the CLI writes only to its Io).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { cli } from '../../src/cli/main.js';
import { baseEnv, readJson, type CliResult, type Outcome } from './cli.js';
import { useEnv, within } from './in-this-process.js';

export interface InProcessOptions {
  cwd: string;
  /** The command's environment (default: baseEnv()). */
  env?: Record<string, string | undefined>;
  /** Fails the test when the command has not ended by then (it cannot be killed: it is this process). */
  timeoutMs?: number;
}

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

/**
 * The end of the last command started: commands run one at a time, as separate processes would not
 * share what a process holds once (its handlers for SIGINT and exit, the registry of the step
 * processes it kills when it stops). A test that needs two commands at once runs them with runCli.
 */
let queue: Promise<unknown> = Promise.resolve();

/** `orchestrator ...args` run in this process: its exit code and what it printed (signal: always null). */
export function runCliInProcess(args: readonly string[], options: InProcessOptions): Promise<CliResult> {
  const mine = queue.then(() => runNow(args, options));
  queue = mine.catch(() => undefined);
  return mine;
}

async function runNow(args: readonly string[], options: InProcessOptions): Promise<CliResult> {
  const env = options.env === undefined ? baseEnv() : (options.env as Record<string, string>);
  const stdout = new Capture();
  const stderr = new Capture();
  watchOwnStreams();
  const restoreEnv = useEnv(env);
  let seen: string;
  let code: number;
  try {
    code = await within(cli(args, { stdout, stderr, env, cwd: options.cwd }), options.timeoutMs ?? 60_000, () => {
      return `orchestrator ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstdout:\n${stdout.text}\nstderr:\n${stderr.text}`;
    });
  } finally {
    restoreEnv();
    seen = unwatchOwnStreams();
  }
  if (seen !== '') throw new Error(`orchestrator ${args.join(' ')} wrote to the test process's own streams, not its Io:\n${seen}`);
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

/** `orchestrator config.json --run-id t ...args` in dir, in this process: orchestrate() of test/helpers/cli.ts without the node start. */
export async function orchestrateInProcess(
  dir: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
  options: { readResults?: boolean; timeoutMs?: number } = {},
): Promise<Outcome> {
  const started = Date.now();
  const result = await runCliInProcess(['config.json', '--run-id', 't', ...args], {
    cwd: dir,
    env: baseEnv(env),
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const ms = Date.now() - started;
  const runDir = join(dir, 'generated', 'run_t');
  const resultsPath = join(runDir, 'results.json');
  const results = options.readResults !== false && existsSync(resultsPath) ? readJson(resultsPath) : undefined;
  return { ...result, runDir, results, ms };
}
