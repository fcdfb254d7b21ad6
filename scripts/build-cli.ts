/**
 * Compiles the CLI's sources into build/ (npm ci's `prepare`, `npm run build:cli`): every file of
 * src/ but the Action's (src/action/, src/index.ts, which live only in its bundle dist/: the CLI
 * needs no @actions/*) as one ES module of the same path, `src/cli/main.ts` -> `build/cli/main.js`
 * with its source map beside it, which `bin/orchestrator.js` runs in a clone.
 *
 * esbuild strips the types file by file (~0.5 CPU s, where `tsc` took ~8.5 with `noCheck`, serial
 * inside npm ci): `npm run lint` type-checks these sources under tsconfig.json, and under its
 * `isolatedModules` the JavaScript is the same either way (esbuild takes tsconfig.json's settings
 * that change it, e.g. class fields by define for its ES2023 target). A syntax error fails the build.
 *
 * A file whose compiled text is already in build/ is left as it is, and a changed one is replaced
 * whole (written beside it, then renamed): a CLI or a worker thread starting from build/ meanwhile
 * (a test layer beside `npm test`'s pretest) never reads half a file.
 *
 *   node scripts/build-cli.ts       (exit 1 with esbuild's message when a source does not compile)
 */
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const OUT = join(ROOT, 'build');
/** The Action's sources, which the CLI does not use (relative to src/). */
const ACTION_ONLY = (path: string): boolean => path === 'index.ts' || path.startsWith('action/');

/** The TypeScript sources of the CLI, as absolute paths, sorted. */
function sources(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !ACTION_ONLY(relative(SRC, path)))
    .sort();
}

/** Whether path holds exactly these bytes. */
function holds(path: string, contents: Uint8Array): boolean {
  try {
    return readFileSync(path).equals(contents);
  } catch {
    return false;
  }
}

const result = await build({
  entryPoints: sources(),
  absWorkingDir: ROOT,
  outdir: OUT,
  outbase: SRC,
  bundle: false,
  platform: 'node',
  format: 'esm',
  // tsconfig.json's target: the syntax stays as written
  target: 'es2023',
  // as tsc wrote them (tsconfig.json's sourceMap): a map per file, its sources pointing at src/
  sourcemap: 'linked',
  sourcesContent: false,
  write: false,
  logLevel: 'error',
}).catch(() => {
  // esbuild has printed the errors, with their file and line
  console.error('build/: the CLI did not compile (above); fix the source and run `npm run build:cli` again');
  process.exit(1);
});

let written = 0;
for (const file of result.outputFiles) {
  if (holds(file.path, file.contents)) continue;
  mkdirSync(dirname(file.path), { recursive: true });
  const partial = `${file.path}.${process.pid}.tmp`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
  written += 1;
}
console.log(`build/: ${result.outputFiles.length / 2} modules of src/ compiled (esbuild), ${written} file(s) written`);
