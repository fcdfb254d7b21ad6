/**
 * jest's transform of our TypeScript (test/helpers/esbuild-transform.js): what it emits, that a
 * stack trace names the .ts line, and that its cache key changes with everything the output
 * depends on (a stale key would run old code from jest's cache).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

interface Transformer {
  getCacheKey(source: string, filename: string, options: { supportsStaticESM?: boolean; instrument?: boolean }): string;
  process(source: string, filename: string, options: { supportsStaticESM?: boolean }): { code: string };
}
const { default: transformer } = (await import(join(ROOT, 'test/helpers/esbuild-transform.js'))) as { default: Transformer };

const SOURCE = [
  "import type { Stats } from 'node:fs';",
  "import { readFileSync } from 'node:fs';",
  'export class Box {',
  '  size = 1;',
  '  constructor(private readonly stats: Stats) {}',
  '  read = (): string => readFileSync(String(this.stats.size), "utf8");',
  '}',
  'export const url = import.meta.url;',
].join('\n');

describe('esbuild transform', () => {
  test('an ES module when jest asks for one: type-only imports gone, parameter properties and import.meta kept', () => {
    const { code } = transformer.process(SOURCE, '/x/box.ts', { supportsStaticESM: true });
    expect(code).toMatch(/^import \{ readFileSync \} from "node:fs";$/m);
    expect(code).not.toContain('Stats');
    expect(code).toContain('this.stats = stats');
    expect(code).toContain('import.meta.url');
    expect(code).toMatch(/\n\/\/# sourceMappingURL=data:application\/json;base64,[A-Za-z0-9+/=]+\n?$/);
    const cjs = transformer.process(SOURCE, '/x/box.ts', { supportsStaticESM: false }).code;
    expect(cjs).toContain('require("node:fs")');
    expect(cjs).not.toMatch(/^import /m);
  });

  test('a stack trace names the line of the .ts file', () => {
    // the Error is made on the next line: the source map must bring it back here, not to the output's line
    const line = new Error('here').stack!.split('\n')[1]!;
    const expected =
      readFileSync(join(ROOT, 'test/unit/esbuild-transform.test.ts'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes("new Error('here')")) + 1;
    expect(line).toContain(`esbuild-transform.test.ts:${expected}:`);
  });

  test('the cache key changes with the source, the path and the kind of module; not from call to call', () => {
    const key = (source: string, filename: string, supportsStaticESM: boolean, instrument = false): string =>
      transformer.getCacheKey(source, filename, { supportsStaticESM, instrument });
    const base = key(SOURCE, '/x/box.ts', true);
    expect(key(SOURCE, '/x/box.ts', true)).toBe(base);
    const others = [
      key(`${SOURCE}\n`, '/x/box.ts', true),
      key(SOURCE, '/y/box.ts', true),
      key(SOURCE, '/x/box.ts', false),
      key(SOURCE, '/x/box.ts', true, true),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });
});
