/**
 * The tests in four layers (CONTRIBUTING.md, "Tests, by layer"), one jest project each, so that
 * `npm run test:fast` (`jest --selectProjects fast`) runs the in-process layer alone and `npm test`
 * runs them all:
 * - fast: test/unit/ and the other suites that run our code in the jest process (no built CLI, no
 *   Action bundle, no browser; loopback stand-ins and small programs such as `sh` or `git` only);
 * - process: the CLI run in the jest process (test/helpers/cli-inprocess.ts) or, where a test is about
 *   the process, the built CLI (`bin/orchestrator.js` -> build/) as a child; other programs as children;
 * - browser: report.html opened in chromium through playwright-core (the suites importing it);
 * - dist: the Action bundle (build/action/index.js, built from the current source by `pretest`)
 *   run as the runner would (the suites importing test/helpers/action.ts).
 * A suite's layer follows from what it imports, so a new suite lands in the right one by itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Suites outside test/unit/ that run only in process. */
const IN_PROCESS = ['test/comment.test.ts', 'test/cli-errors.test.ts'];

const suites = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${name.replaceAll('\\', '/')}`)
  .sort();
/** Whether the suite has an import statement of a module whose specifier ends with `what`. */
const imports = (file, what) =>
  new RegExp(`^import [^;]*from '[^']*${what.replaceAll('.', '\\.')}';`, 'm').test(readFileSync(join(ROOT, file), 'utf8'));
const layerOf = (file) => {
  if (imports(file, 'playwright-core')) return 'browser';
  if (imports(file, '/helpers/action.js')) return 'dist';
  if (file.startsWith('test/unit/') || IN_PROCESS.includes(file)) return 'fast';
  return 'process';
};

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // esbuild, types removed file by file (test/helpers/esbuild-transform.js)
  transform: { '^.+\\.ts$': '<rootDir>/test/helpers/esbuild-transform.js' },
  // ORCHESTRATOR_TEST_CPU=<file>: the CPU seconds of every test and suite, for speed work
  setupFilesAfterEnv: ['<rootDir>/test/helpers/cpu-log.ts'],
  // the tests start what is built there as processes, never import it (its bundles' package.json
  // copies would collide with ours in jest's module map)
  modulePathIgnorePatterns: ['<rootDir>/build/'],
};

const project = (name) => ({
  ...common,
  displayName: name,
  testMatch: suites.filter((file) => layerOf(file) === name).map((file) => `<rootDir>/${file}`),
});

/** @type {import('jest').Config} */
export default {
  projects: ['fast', 'process', 'browser', 'dist'].map(project),
  testTimeout: 60000,
  // the suites mostly wait on child processes and loopback servers: two workers on two cores
  maxWorkers: 2,
};
