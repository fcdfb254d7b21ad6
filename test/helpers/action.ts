/**
 * Runs the Action bundle as the GitHub runner would: build/action/index.js, which `pretest`
 * (scripts/bundle-if-stale.ts) builds with esbuild from the current source, as `npm run build:action`
 * builds the committed dist/ (CI checks that the two agree). Under the Node that
 * runs the tests (Node 24), with every input of action.yml passed as `INPUT_<NAME>` (its default
 * filled in when the test gives none), and the runner's file commands (`GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`) pointing at temporary files that are read back afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runActionInWorker } from './action-in-worker.js';
import { ROOT, baseEnv, runNodeProcess, testTmpdir, withOverrides } from './cli.js';

export const ACTION_BUNDLE = join(ROOT, 'build', 'action', 'index.js');
export const ACTION_YML = join(ROOT, 'action.yml');
/** Stands in for `${{ github.token }}`. */
export const FAKE_GITHUB_TOKEN = 'ghs_fakeGithubTokenForActionTests0123456789';

export interface ActionInputSpec {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: unknown;
}

/** The inputs of action.yml, in file order. */
export function actionInputs(): Record<string, ActionInputSpec> {
  const doc = parse(readFileSync(ACTION_YML, 'utf8')) as { inputs?: Record<string, ActionInputSpec> };
  return doc.inputs ?? {};
}

/** The variable the runner passes an input in: upper-cased, spaces turned to `_`, hyphens kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** An input's default as the runner fills it in; `${{ github.token }}` becomes a fake token. */
function defaultValue(spec: ActionInputSpec): string {
  if (spec.default === undefined || spec.default === null) return '';
  const text = typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
  return text.replace(/\$\{\{\s*github\.token\s*\}\}/g, FAKE_GITHUB_TOKEN);
}

export interface ActionOptions {
  /** GITHUB_WORKSPACE and the process's cwd. */
  readonly workspace: string;
  /** Added to (or, with undefined, removed from) the environment after the inputs. */
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** Lists the files of the bundle's directory that node loads (`ActionResult.loaded`); runs a child process. */
  readonly recordLoads?: boolean;
  /**
   * Runs the step as a child process, `node build/action/index.js`, even where the worker could run
   * it (test/helpers/action-in-worker.ts): for a test about the process (the shelter's re-exec,
   * what /proc/<pid>/environ shows, the exit of the real process).
   */
  readonly child?: boolean;
}

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Parsed from GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** Contents of GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The raw GITHUB_OUTPUT file. */
  outputFile: string;
  /** With `recordLoads`: each load of a file of the bundle's directory, in load order, by every node process of the step. */
  loaded: string[];
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` blocks (and legacy `name=value` lines) of GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      let j = i + 1;
      while (j < lines.length && lines[j] !== delimiter) value.push(lines[j++]!);
      if (j >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
      outputs[name!] = value.join('\n');
      i = j;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`);
    outputs[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return outputs;
}

/**
 * The environment of one action step: a clean base (no OPENAI_/CODEX_/GITHUB_/ACTIONS_/INPUT_/RUNNER_
 * variables of the machine, nothing of jest's or npm's), the runner's GITHUB_* and RUNNER_* variables,
 * every input, then `extra`.
 */
export function actionEnv(
  inputs: Record<string, string>,
  files: { workspace: string; output: string; summary: string; runnerTemp: string },
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const specs = actionInputs();
  for (const name of Object.keys(inputs)) {
    if (!(name in specs)) throw new Error(`runAction: action.yml has no input ${JSON.stringify(name)}`);
  }
  const env = baseEnv();
  // nothing of the test process either: a runner starts the step with its own environment
  for (const name of Object.keys(env)) {
    if (/^(RUNNER_|npm_|JEST_|TS_JEST)/.test(name) || ['NODE_OPTIONS', 'NODE_ENV', 'INIT_CWD'].includes(name)) delete env[name];
  }
  Object.assign(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: files.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_RUN_ID: '1000',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_WORKFLOW: 'orchestrate',
    GITHUB_JOB: 'flows',
    GITHUB_ACTION: 'orchestrator',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: files.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
  });
  for (const [name, spec] of Object.entries(specs)) env[inputVariable(name)] = inputs[name] ?? defaultValue(spec);
  return withOverrides(env, extra);
}

/**
 * A module hook for `node --import`: appends the path of every file of the bundle's directory that
 * node loads (the entry, the chunks: bundler-independent) to the file `$ORCHESTRATOR_TEST_LOADS`.
 * Given through NODE_OPTIONS, it reaches every node process of the step: the shelter's re-exec
 * replaces the first, which never reaches its exit, so each load is appended at once.
 */
function loadsHook(dir: string): string {
  const hook = join(dir, 'bundle-loads.mjs');
  writeFileSync(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { appendFileSync } from 'node:fs';",
      "import { fileURLToPath } from 'node:url';",
      `const bundle = ${JSON.stringify(join(ACTION_BUNDLE, '..'))};`,
      'registerHooks({ load(url, context, next) {',
      "  if (url.startsWith('file:') && fileURLToPath(url).startsWith(bundle + '/')) appendFileSync(process.env.ORCHESTRATOR_TEST_LOADS, fileURLToPath(url) + '\\n');",
      '  return next(url, context);',
      '} });',
    ].join('\n'),
  );
  return hook;
}

/**
 * Runs the bundle of the current source as one step of a job and collects what the runner would
 * see: in the jest worker (`runActionInWorker`), or as `node build/action/index.js` when the test
 * asks for a child (`child`, `recordLoads`).
 */
export async function runAction(inputs: Record<string, string>, opts: ActionOptions): Promise<ActionResult> {
  const runner = mkdtempSync(join(testTmpdir(), 'orchestrator-runner-'));
  const output = join(runner, 'github_output');
  const summary = join(runner, 'step_summary');
  const runnerTemp = join(runner, 'temp');
  // the runner creates both files before the step starts; @actions/core refuses a missing one
  writeFileSync(output, '');
  writeFileSync(summary, '');
  mkdirSync(runnerTemp);
  const loads = join(runner, 'bundle-loads.txt');
  const recording = opts.recordLoads ? { ORCHESTRATOR_TEST_LOADS: loads, NODE_OPTIONS: `--import=${loadsHook(runner)}` } : {};
  const env = actionEnv(inputs, { workspace: opts.workspace, output, summary, runnerTemp }, { ...recording, ...opts.env });
  try {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const child = opts.child === true || opts.recordLoads === true;
    const { code, signal, stdout, stderr } = child
      ? await runNodeProcess([ACTION_BUNDLE], { cwd: opts.workspace, env, timeoutMs, what: 'the action' })
      : await runActionInWorker(ACTION_BUNDLE, env, opts.workspace, timeoutMs);
    const outputFile = readFileSync(output, 'utf8');
    const loaded = opts.recordLoads ? readFileSync(loads, 'utf8').split('\n').filter(Boolean) : [];
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseOutputFile(outputFile),
      summary: readFileSync(summary, 'utf8'),
      outputFile,
      loaded,
    };
  } finally {
    rmSync(runner, { recursive: true, force: true });
  }
}

/** The `::error::` (or `::warning::`) lines of a run, with the runner's escapes (%0A, %0D, %25) undone. */
export function annotations(result: ActionResult, kind: 'error' | 'warning'): string[] {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${kind}`))
    .map((line) =>
      line
        .replace(/^::[a-z]+[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%'),
    );
}

/** A run's stdout without the `::add-mask::` commands, which name the secrets they mask. */
export function stdoutWithoutMasks(result: ActionResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** The table rows of a step summary, by leaf id (`| flow_0001 | ...`, `| flow_0003 [2] | ...`). */
export function summaryRows(summary: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of summary.split('\n')) {
    const match = /^\| (flow_\d+(?: \[[\d.]+\])?) \|/.exec(line);
    if (match) map.set(match[1]!, line);
  }
  return map;
}
