/**
 * Builds the Action bundle the tests run (build/action/, ignored by git) from the current source,
 * as `npm run build:action` does (tsc into build/action-js/, then ncc), unless the one there was
 * built from exactly these sources (a hash of src/, package.json, package-lock.json and the two
 * tsconfigs, kept in build/action/SOURCES). It never writes the committed dist/: it only says when
 * dist/ differs from the fresh bundle (CI's "dist/ is up to date" check is what fails on that;
 * `npm run build:action` rewrites dist/).
 *
 * `--from-dist`: CI has just rebuilt dist/ from this source and checked that it equals the
 * committed one, so it is the test bundle: copied instead of built a second time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join('build', 'action');
const STAMP = join(OUT, 'SOURCES');
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.action.json'];

/** Every file under path (itself when it is a file), sorted. */
function files(path: string): string[] {
  try {
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    throw error;
  }
}

/** A hash of the bundle's inputs: their names and contents. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(`${file}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The files of a bundle directory (not the stamp), with their contents. */
function bundleFiles(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  if (!existsSync(dir)) return found;
  for (const file of files(dir)) if (file !== STAMP) found.set(file.slice(dir.length + 1), readFileSync(file));
  return found;
}

/** The files in which two bundle directories differ. */
function differences(a: string, b: string): string[] {
  const left = bundleFiles(a);
  const right = bundleFiles(b);
  const names = new Set([...left.keys(), ...right.keys()]);
  return [...names].filter((name) => !(left.get(name)?.equals(right.get(name) ?? Buffer.alloc(0)) ?? false)).sort();
}

const hash = sourcesHash();
if (process.argv.includes('--from-dist')) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  cpSync('dist', OUT, { recursive: true });
  writeFileSync(STAMP, `${hash}\n`);
  console.log(`${OUT}/: the Action bundle for the tests, copied from the freshly built dist/`);
} else if (existsSync(join(OUT, 'index.js')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) {
  console.log(`${OUT}/: the Action bundle for the tests is up to date with src/`);
} else {
  console.log(`${OUT}/: building the Action bundle for the tests from src/ (ncc)`);
  rmSync(OUT, { recursive: true, force: true });
  // as `npm run build:action` does: tsc, then ncc over its JavaScript
  execFileSync('npx', ['tsc', '-b', 'tsconfig.action.json'], { stdio: 'inherit' });
  execFileSync('npx', ['ncc', 'build', join('build', 'action-js', 'index.js'), '-o', OUT, '--license', 'licenses.txt', '--quiet'], {
    stdio: 'inherit',
  });
  writeFileSync(STAMP, `${hash}\n`);
}
const stale = differences(OUT, 'dist');
if (stale.length > 0)
  console.log(
    `note: the committed dist/ differs from a bundle of the current source (${stale.join(', ')}); the tests run ${OUT}/. ` +
      "`npm run build:action` rewrites dist/, and CI's dist/ check fails until it is committed.",
  );
