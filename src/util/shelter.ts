import { mkdtempSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PRIVATE_ENV_FILE, isPrivateVariable, publicEnv } from './private-env.js';

const SHELTERED = Symbol.for('orchestrator.sheltered');

/**
 * Whether argv only asks for the usage or the version (`--help`, `-h`, `--version`, `-V`, first or
 * after a command's name): such a run starts no step, so it needs no shelter and pays no re-exec.
 * Only those positions: anywhere else the word could be an option's value.
 */
export function informational(argv: readonly string[]): boolean {
  const first = argv[0];
  if (first === undefined) return false;
  if (INFORMATIONAL.has(first)) return true;
  return argv.length === 2 && !first.startsWith('-') && INFORMATIONAL.has(argv[1]!);
}
const INFORMATIONAL = new Set(['--help', '-h', '--version', '-V']);

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

/**
 * Moves the private variables (keys, tokens, the Action's inputs) out of this process's
 * environment before anything else runs. `/proc/<pid>/environ` shows a process's *initial*
 * environment to every process of the same user, whatever `process.env` says later; so the process
 * re-executes itself (Node 24's `process.execve`) with the private variables removed, and hands
 * them over in a file only this user can read, in a fresh 0700 directory, which the new process
 * reads and deletes at once (Node opens every descriptor close-on-exec, so no pipe survives
 * execve). The new process keeps them in `process.env`, in memory only; every child gets an
 * environment built without them. On a Node without `execve` nothing moves (the README says so).
 *
 * Returns only in the process that goes on running (the re-executed one, or this one when there is
 * nothing to move or no `execve`).
 */
export function shelterPrivateEnv(env: NodeJS.ProcessEnv = process.env): void {
  // once a process: bin/orchestrator.js calls this before loading the CLI (so a re-exec does not
  // load it twice), then main() again; a global, not a module variable, since the npm bundle holds
  // its own copy of this module. Only the process's own environment is marked: another object
  // (a test's) is handled each time it is given
  const done = globalThis as { [SHELTERED]?: boolean };
  if (env === process.env) {
    if (done[SHELTERED] === true) return;
    done[SHELTERED] = true;
  }
  const handedOver = env[PRIVATE_ENV_FILE];
  if (handedOver !== undefined) {
    delete env[PRIVATE_ENV_FILE];
    receive(handedOver, env);
    return;
  }
  const execve = (process as unknown as { execve?: Execve }).execve;
  const moved = Object.entries(env).filter(([name, value]) => value !== undefined && isPrivateVariable(name));
  if (execve === undefined || moved.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-env-'));
  const file = join(dir, 'env.json');
  try {
    writeFileSync(file, JSON.stringify(Object.fromEntries(moved)), { mode: 0o600, flag: 'wx' });
    // --disable-sigusr1: else any process of this user (a step) could send SIGUSR1, open the
    // inspector on 127.0.0.1:9229 and read the keys out of this process's memory
    const flags = ['--disable-sigusr1', ...process.execArgv.filter((flag) => flag !== '--disable-sigusr1')];
    execve.call(process, process.execPath, [process.execPath, ...flags, ...process.argv.slice(1)], {
      ...publicEnv(env),
      [PRIVATE_ENV_FILE]: file,
    });
  } catch {
    // execve refused (it returns only on failure): go on as we are, with nothing left on disk
    forget(file);
  }
}

function receive(file: string, env: NodeJS.ProcessEnv): void {
  let values: Record<string, unknown> = {};
  try {
    values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // nothing handed over (the variable was set by hand): the run then says which key is missing
  } finally {
    forget(file);
  }
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string' && isPrivateVariable(name)) env[name] = value;
}

/** Deletes the hand-over file and its directory, and nothing else. */
function forget(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
  try {
    rmdirSync(dirname(file));
  } catch {
    // not empty or gone: not ours to remove then
  }
}
