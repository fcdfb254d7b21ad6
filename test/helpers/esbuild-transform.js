/**
 * jest's transform of our TypeScript (`transform` in jest.config.js): esbuild's `transformSync`, one
 * file at a time and types only removed, as tsconfig.json's `isolatedModules` promises is enough
 * (`npm run typecheck` is the type check). ES modules out when jest loads the file as one (the tests
 * run with --experimental-vm-modules), CommonJS otherwise; an inline source map, so that a stack
 * trace names the .ts line. Plain JavaScript: jest loads it before anything could compile it.
 *
 * Against ts-jest (TypeScript's `transpileModule`), esbuild compiles a file ~10 times faster and
 * does not load the TypeScript compiler into every worker.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync, version } from 'esbuild';

const SELF = readFileSync(new URL(import.meta.url), 'utf8');
const TSCONFIG = readFileSync(new URL('../../tsconfig.json', import.meta.url), 'utf8');
const { compilerOptions } = JSON.parse(TSCONFIG);

/** esbuild's options for one file: tsconfig.json's target and class-field semantics. */
const optionsFor = (filename, esm) => ({
  loader: 'ts',
  format: esm ? 'esm' : 'cjs',
  target: compilerOptions.target.toLowerCase(),
  sourcemap: 'inline',
  sourcefile: filename,
  sourcesContent: false,
  tsconfigRaw: { compilerOptions },
});

export default {
  /**
   * What the output depends on: the source and its path, whether jest wants an ES module, this
   * file, esbuild's version and tsconfig.json. jest keys its cache on this alone.
   */
  getCacheKey(source, filename, { supportsStaticESM, instrument }) {
    const hash = createHash('sha256');
    for (const part of [SELF, version, TSCONFIG, filename, String(Boolean(supportsStaticESM)), String(Boolean(instrument))]) {
      hash.update(part).update('\0');
    }
    return hash.update(source).digest('hex');
  },
  process(source, filename, { supportsStaticESM }) {
    return { code: transformSync(source, optionsFor(filename, supportsStaticESM)).code };
  },
};
