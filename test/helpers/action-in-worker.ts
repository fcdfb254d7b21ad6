/**
 * The Action bundle's `run()` in the jest worker's own process instead of a node start of its own:
 * the modules of build/action/ are loaded once a worker with the worker's own `require` (not jest's
 * module loader: what runs is the bundle CI ships, compiled once and from V8's compile cache), and
 * each step runs with this process's environment, directory and exit code made the step's own
 * while it runs and what it writes to stdout and stderr captured. One start of the bundle costs
 * two node starts (the shelter's re-exec) and the loads of its chunks, 0.25-0.8 CPU s; a step in
 * the worker costs what the step does.
 *
 * What a process holds once, a fresh process would hold afresh: `@actions/core`'s summary (it keeps
 * the path of the first GITHUB_STEP_SUMMARY it wrote) and `@actions/github`'s context (the event
 * read when the module loaded) are reset before each step. `@actions/github` also fixes the REST
 * API's URL when it loads (octokit's defaults): every step here names the worker's one loopback
 * front for it (`githubApiFront` in test/helpers/action-realm.mjs), which passes each request on to
 * the API the step was given (a stand-in, or nothing). A test about the process itself runs the
 * step as a child (`runAction`'s `child`, `recordLoads`): the shelter's re-exec, what
 * /proc/<pid>/environ shows, what node loads. Steps run one at a time in a worker, as separate
 * processes would not share what a process holds once.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, type CliResult } from './cli.js';
import { useEnv, within } from './in-this-process.js';

interface Realm {
  sheltered: () => boolean;
  githubApiFront: (api: string) => Promise<string>;
}

interface Bundle {
  run: () => Promise<void>;
  summary: { _filePath?: string; _buffer: string };
  context: object;
}

/** `require` of the worker's own (not jest's: what it loads runs in the worker's realm, compiled by node). */
const workerRequire = (from: string): NodeJS.Require => process.getBuiltinModule('node:module').createRequire(from);

/** test/helpers/action-realm.mjs in the worker's realm: marks it sheltered (checked here) before any bundle code runs. */
function workerRealm(): Realm {
  const realm = workerRequire(ROOT)(join(ROOT, 'test', 'helpers', 'action-realm.mjs')) as Realm;
  if (!realm.sheltered()) throw new Error('the Action in the worker: its realm is not marked sheltered');
  return realm;
}

let bundle: Bundle | undefined;

/** The file name in the first `import ... "./<name>"` of `text` (a file of the bundle) that `pattern` matches. */
function chunkFile(text: string, pattern: RegExp, what: string): string {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`build/action/: no ${what} in the bundle's code (did its layout change?)`);
  return match[1]!;
}

/**
 * Loads the bundle's main chunk (what its entry imports after the shelter) in this worker, once,
 * with the V8 compile cache of the tests' node processes; in the environment of the first step
 * (its GITHUB_API_URL the worker's front: see the file's comment).
 */
function load(entry: string, compileCache: string): Bundle {
  if (bundle !== undefined) return bundle;
  process.getBuiltinModule('node:module').enableCompileCache(compileCache);
  const dir = dirname(entry);
  const require = workerRequire(entry);
  const mainFile = chunkFile(readFileSync(entry, 'utf8'), /import\("\.\/(main-[^"]+\.js)"\)/, 'main chunk');
  const main = readFileSync(join(dir, mainFile), 'utf8');
  const core = chunkFile(main, /import \{[^}]*\bsummary\b[^}]*\} from "\.\/(chunk-[^"]+\.js)"/, "chunk of @actions/core's summary");
  const github = chunkFile(main, /import\("\.\/(github-[^"]+\.js)"\)/, '@actions/github chunk');
  const { summary } = require(join(dir, core)) as Pick<Bundle, 'summary'>;
  const { context } = require(join(dir, github)) as Pick<Bundle, 'context'>;
  const { run } = require(join(dir, mainFile)) as Pick<Bundle, 'run'>;
  bundle = { run, summary, context };
  return bundle;
}

/** The end of the last step started in this worker: steps run one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** A write function that appends to `add` instead (and calls a callback, as a stream would). */
const catcher =
  (add: (text: string) => void) =>
  (chunk: unknown, ...rest: unknown[]): boolean => {
    add(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    (rest.find((arg) => typeof arg === 'function') as (() => void) | undefined)?.();
    return true;
  };

async function runNow(entry: string, given: Record<string, string>, cwd: string, timeoutMs: number): Promise<CliResult> {
  const { execve } = process as { execve?: unknown };
  const realm = workerRealm();
  // the step's GitHub API through the worker's front, the one URL @actions/github keeps
  const env: Record<string, string> = {
    ...given,
    GITHUB_API_URL: await realm.githubApiFront(given.GITHUB_API_URL ?? 'https://api.github.com'),
  };
  const restoreEnv = useEnv(env);
  const savedCwd = process.cwd();
  const { stdout: ownOut, stderr: ownErr } = process;
  const [out, err] = [ownOut.write.bind(ownOut), ownErr.write.bind(ownErr)];
  let stdout = '';
  let stderr = '';
  process.stdout.write = catcher((text) => (stdout += text));
  process.stderr.write = catcher((text) => (stderr += text));
  try {
    const { run, summary, context } = load(entry, env.NODE_COMPILE_CACHE!);
    process.chdir(cwd);
    process.exitCode = undefined;
    // and in case the mark were ever lost: no execve to re-execute the worker with
    Object.assign(process, { execve: undefined });
    // what a fresh process would hold: no summary file yet, the event of this step
    summary._filePath = undefined;
    summary._buffer = '';
    Object.assign(context, new (context.constructor as new () => object)());
    await within(run(), timeoutMs, () => `the action did not finish in ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    return { code: Number(process.exitCode ?? 0), signal: null, stdout, stderr };
  } finally {
    Object.assign(process, { execve });
    process.exitCode = undefined;
    process.chdir(savedCwd);
    restoreEnv();
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Runs the bundle `entry`'s step in this worker, after the steps started before it: its exit code and what it printed. */
export function runActionInWorker(entry: string, env: Record<string, string>, cwd: string, timeoutMs: number): Promise<CliResult> {
  const mine = queue.then(() => runNow(entry, env, cwd, timeoutMs));
  queue = mine.catch(() => undefined);
  return mine;
}
