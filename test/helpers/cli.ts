import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALLED, installedIsFresh } from '../../scripts/bundle-if-stale.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI as a clone runs it: bin/orchestrator.js, which loads the ~150 compiled modules of build/. */
export const COMPILED_BIN = join(ROOT, 'bin', 'orchestrator.js');
/**
 * The CLI the tests run: the npm package's bin and one-file bundle, laid out in build/installed/ as
 * an install puts them (`npm run build:test` makes it), while it was built from the current sources:
 * a start costs a third less CPU than from build/, and the process layer starts the CLI over a
 * thousand times. Otherwise (src/ changed since) COMPILED_BIN, which `npm run build:cli` keeps
 * current. A test that looks at which modules are loaded runs COMPILED_BIN itself.
 */
export const BIN = installedIsFresh() ? join(ROOT, INSTALLED, 'bin', 'orchestrator.js') : COMPILED_BIN;

/** The npm package's bin in build/installed/; fails, saying how to build it, when that is stale. */
export function packageBin(): string {
  if (!installedIsFresh())
    throw new Error(`${INSTALLED}/ was not built from the current sources: run \`npm run build:package\` (npm test does)`);
  return join(ROOT, INSTALLED, 'bin', 'orchestrator.js');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called once the process has started, e.g. to send it a signal. */
  onStart?: (pid: number, output: { stderr: () => string; stdout: () => string }) => void;
}

/** statfs's f_type of tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

/**
 * A directory on tmpfs for the tests' temporary files, or undefined where there is none or it has
 * too little room (Docker's default /dev/shm is 64 MB; on a shared machine others' files may have
 * taken its inodes). On this machine ext4 spends 0.2-0.3 ms of
 * kernel time creating a file (its inode allocator) against ~0.02 ms on tmpfs, and the process, dist
 * and browser layers create some hundred thousand files (a run writes several per flow): that was
 * most of their system time.
 */
function tmpfsRoot(): string | undefined {
  const shm = '/dev/shm';
  try {
    const fs = statfsSync(shm);
    // room for the files of the largest suites (report-html: ~60,000) with some to spare, in bytes and in inodes
    if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 2 * 1024 ** 3 || fs.ffree < 250_000) return undefined;
    accessSync(shm, constants.W_OK);
    const root = join(shm, `orchestrator-tests-${process.getuid?.() ?? 'user'}`);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    return root;
  } catch {
    return undefined;
  }
}

const TMPFS = tmpfsRoot();
let onDisk = false;

/**
 * For tests whose programs cannot see /dev/shm: the real codex's workspace-write sandbox (bwrap)
 * mounts a /dev of its own, so a checkout or a TMPDIR there vanishes under it. Called at the top of
 * a suite (after its imports, before it makes any directory) or of a describe block: there, the
 * temporary directories and the TMPDIR of what the tests start are the machine's own.
 */
export function tempOnDisk(): void {
  beforeAll(() => {
    onDisk = true;
  });
  afterAll(() => {
    onDisk = false;
  });
}

/**
 * Where the tests make temporary directories (`tempDir`) and what they start makes its own (the
 * TMPDIR of `baseEnv`): tmpfs when the machine has one (see tmpfsRoot), else the system's.
 */
export function testTmpdir(): string {
  return onDisk || TMPFS === undefined ? tmpdir() : TMPFS;
}

/** The environment every CLI test starts from: no real keys, no real endpoints, fast retries. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(OPENAI_|CODEX_|ACTIONS_|GITHUB_|INPUT_)/.test(name)) continue;
    env[name] = value;
  }
  env.ORCHESTRATOR_RETRY_BASE_MS = '10';
  env.ORCHESTRATOR_KILL_GRACE_MS = '500';
  env.ORCHESTRATOR_PROGRESS_INTERVAL_MS = '0';
  // --isolate worktree puts worktrees under $XDG_CACHE_HOME: keep tests out of the home directory
  env.XDG_CACHE_HOME = join(testTmpdir(), 'orchestrator-test-cache');
  env.TMPDIR = testTmpdir();
  // V8's code cache for every node process a test starts (the CLI, the Action bundle, codex's
  // launcher): a third less CPU per start once warm; keyed by file contents, so never stale
  env.NODE_COMPILE_CACHE = join(tmpdir(), 'orchestrator-test-compile-cache');
  return withOverrides(env, extra);
}

/** Sets each variable of `extra` in env, or removes it where its value is undefined; returns env. */
export function withOverrides(env: Record<string, string>, extra: Record<string, string | undefined>): Record<string, string> {
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs: number;
  /** Names the process in the error thrown when it does not finish in time. */
  what: string;
  /** Called once the process has started, e.g. to send it a signal. */
  onStart?: CliOptions['onStart'];
}

/**
 * Runs `node ...args` with stdin closed and collects its output; rejects, after a SIGKILL, when it
 * does not finish within timeoutMs.
 */
export function runNodeProcess(args: readonly string[], options: ProcessOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.what} did not finish in ${options.timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('spawn', () => options.onStart?.(child.pid!, { stderr: () => stderr, stdout: () => stdout }));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the real CLI (`node bin/orchestrator.js`) as a child process. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return runNodeProcess([BIN, ...args], {
    cwd: options.cwd,
    env: options.env ?? baseEnv(),
    timeoutMs: options.timeoutMs ?? 60000,
    what: `orchestrator ${args.join(' ')}`,
    onStart: options.onStart,
  });
}

/** A run of `orchestrator config.json --run-id t ...` in a project directory. */
export interface Outcome extends CliResult {
  /** generated/run_t of the project */
  runDir: string;
  /** results.json of the run, parsed; undefined when it was not written (or not read) */
  results: any;
  /** how long the run took */
  ms: number;
}

export interface OrchestrateOptions {
  timeoutMs?: number;
  onStart?: CliOptions['onStart'];
  /** false: leave results.json unread (a test that checks it with checkResults reports a bad one itself) */
  readResults?: boolean;
}

/** `orchestrator config.json --run-id t ...args` in dir, with baseEnv(env); results.json read when it exists. */
export async function orchestrate(
  dir: string,
  args: readonly string[] = [],
  env: Record<string, string | undefined> = {},
  options: OrchestrateOptions = {},
): Promise<Outcome> {
  const started = Date.now();
  const result = await runCli(['config.json', '--run-id', 't', ...args], {
    cwd: dir,
    env: baseEnv(env),
    timeoutMs: options.timeoutMs ?? 30_000,
    onStart: options.onStart,
  });
  const ms = Date.now() - started;
  const runDir = join(dir, 'generated', 'run_t');
  const resultsPath = join(runDir, 'results.json');
  const results = options.readResults !== false && existsSync(resultsPath) ? readJson(resultsPath) : undefined;
  return { ...result, runDir, results, ms };
}

/** What a run printed, for failure messages. */
const shown = (o: CliResult): string => `exit ${o.code}\nstdout:\n${o.stdout}\nstderr:\n${o.stderr}`;

/** Fails showing what the run printed (and its results.json, when read) unless it exited with `code`. */
export function expectExit(o: CliResult & { results?: unknown }, code: number): void {
  if (o.code === code) return;
  const results = o.results === undefined ? '' : `\nresults: ${JSON.stringify(o.results, null, 2)}`;
  throw new Error(`expected exit ${code}, got ${shown(o)}${results}`);
}

/** A fresh temporary directory with the given files (path -> contents). */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(testTmpdir(), 'orchestrator-test-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), contents);
  }
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
