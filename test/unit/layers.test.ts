/**
 * The layers of jest.config.js (CONTRIBUTING.md, "Tests, by layer"): every suite is in exactly one,
 * and the fast one stays in process: no built CLI, no Action bundle, no browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';

interface Config {
  projects: { displayName: string; testMatch: string[] }[];
}
const { projects } = ((await import(pathToFileURL(join(ROOT, 'jest.config.js')).href)) as { default: Config }).default;
const suitesOf = (name: string): string[] =>
  projects.find((p) => p.displayName === name)!.testMatch.map((pattern) => pattern.replace('<rootDir>/', ''));

test('four layers; every suite in exactly one', () => {
  expect(projects.map((p) => p.displayName)).toEqual(['fast', 'process', 'browser', 'dist']);
  const all = projects.flatMap((p) => suitesOf(p.displayName));
  expect(new Set(all).size).toBe(all.length);
  // a suite that only names playwright-core or the Action helper in its text (as this one does) stays in its layer
  expect(suitesOf('fast')).toContain('test/unit/layers.test.ts');
  expect(suitesOf('dist')).toContain('test/action.test.ts');
  expect(suitesOf('browser')).toContain('test/report-html.test.ts');
  expect(suitesOf('process')).toContain('test/cli-core.test.ts');
});

test('the fast layer starts no built CLI, no Action bundle and no browser', () => {
  const outside = /\b(runCli|orchestrate|runNodeProcess|runAction|BIN|ACTION_BUNDLE)\b|from 'playwright-core'|helpers\/action\.js/;
  const offending = suitesOf('fast')
    .filter((file) => file !== 'test/unit/layers.test.ts') // it names them only in the pattern above
    .filter((file) => outside.test(readFileSync(join(ROOT, file), 'utf8')));
  expect(offending).toEqual([]);
});
