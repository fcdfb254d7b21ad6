/**
 * Builds the two ncc bundles from the current source (`--package`: the CLI's alone), each unless
 * the one there was built from exactly these sources (a hash of src/, package.json,
 * package-lock.json and the tsconfigs, kept in build/<bundle>.sources):
 * - the Action bundle the tests run (build/action/, ignored by git), as `npm run build:action`
 *   builds dist/ (tsc into build/action-js/, then ncc). It never writes the committed dist/: it only
 *   says when dist/ differs from the fresh bundle (CI's "dist/ is up to date" check is what fails
 *   on that; `npm run build:action` rewrites dist/);
 * - `--package`: the CLI's one-file bundle the npm package ships (build/package/, tsc into build/,
 *   then ncc; `npm pack` runs it), and beside it build/installed/, the files the package ships (its
 *   "files") laid out as an install puts them: the process tests run the CLI from there (a third less CPU per
 *   start than the ~150 modules of build/), but only while build/installed.sources says it was built
 *   from the current sources (test/helpers/cli.ts: otherwise they run build/ through bin/).
 *
 * `--from-dist`: CI has just rebuilt dist/ from this source and checked that it equals the
 * committed one, so it is the test bundle: copied instead of built a second time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

interface Bundle {
  /** The bundle's directory, relative to the root. */
  readonly out: string;
  /** tsc's project for the JavaScript ncc bundles, and that JavaScript's entry. */
  readonly tsconfig: string;
  /** Inputs besides src/, package.json, package-lock.json and the tsconfigs. */
  readonly extra: readonly string[];
  readonly entry: string;
  /**
   * Where tsc put the modules that run apart from the bundle, each bundled beside it under its own
   * name: the spawner helper (src/steps/spawner-helper.ts, where spawner.ts forks it from) and the
   * thread that checks resume's index (src/engine/leaf-check-worker.ts, where leaf-checks.ts starts it from).
   */
  readonly helpers: string;
  /** Holds the hash of the sources the bundle was built from (outside it: npm pack ships build/package). */
  readonly stamp: string;
}

const ACTION: Bundle = {
  out: 'build/action',
  tsconfig: 'tsconfig.action.json',
  extra: [],
  entry: 'build/action-js/index.js',
  helpers: 'build/action-js',
  stamp: 'build/action.sources',
};
const PACKAGE: Bundle = {
  out: 'build/package',
  tsconfig: 'tsconfig.build.json',
  extra: ['bin'],
  entry: 'build/cli/main.js',
  helpers: 'build',
  stamp: 'build/package.sources',
};
/** The modules bundled beside a bundle (Bundle.helpers), as tsc lays them out. */
const HELPERS = ['steps/spawner-helper.js', 'engine/leaf-check-worker.js'];

/** The npm package's layout (bin/, build/package/) that the tests run the CLI bundle from, and its stamp. */
export const INSTALLED = 'build/installed';
const INSTALLED_STAMP = 'build/installed.sources';

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

/** A hash of a bundle's inputs, their names and contents (paths relative to the root). */
function sourcesHash(bundle: Bundle): string {
  const hash = createHash('sha256');
  const inputs = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', bundle.tsconfig, ...bundle.extra];
  for (const file of inputs.flatMap((input) => files(join(ROOT, input)))) {
    hash
      .update(`${relative(ROOT, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Whether the stamp says the bundle it stands for was built from these sources. */
function stamped(stamp: string, hash: string): boolean {
  const path = join(ROOT, stamp);
  return existsSync(path) && readFileSync(path, 'utf8').trim() === hash;
}

function writeStamp(stamp: string, hash: string): void {
  writeFileSync(join(ROOT, stamp), `${hash}\n`);
}

const isFresh = (bundle: Bundle, hash: string): boolean => existsSync(join(ROOT, bundle.out, 'index.js')) && stamped(bundle.stamp, hash);

/** Whether build/installed/ holds the CLI bundle of the current sources (the tests run it then). */
export const installedIsFresh = (): boolean => stamped(INSTALLED_STAMP, sourcesHash(PACKAGE));

/** tsc, then ncc over its JavaScript, as `npm run build:action` does; stamped with hash. */
function build(bundle: Bundle, hash: string): void {
  rmSync(join(ROOT, bundle.out), { recursive: true, force: true });
  rmSync(join(ROOT, bundle.stamp), { force: true });
  const options = { cwd: ROOT, stdio: 'inherit' } as const;
  execFileSync('npx', ['tsc', '-b', bundle.tsconfig], options);
  execFileSync('npx', ['ncc', 'build', bundle.entry, '-o', bundle.out, '--license', 'licenses.txt', '--quiet'], options);
  // as `npm run build:action` does for dist/: each helper is a file of its own (node builtins only)
  for (const helper of HELPERS) {
    const helperOut = join(ROOT, 'build', 'helper-bundle');
    rmSync(helperOut, { recursive: true, force: true });
    execFileSync('npx', ['ncc', 'build', join(bundle.helpers, helper), '-o', helperOut, '--quiet'], options);
    cpSync(join(helperOut, 'index.js'), join(ROOT, bundle.out, basename(helper)));
    rmSync(helperOut, { recursive: true, force: true });
  }
  writeStamp(bundle.stamp, hash);
}

/** The files of a bundle directory (not the stamp), with their contents. */
function bundleFiles(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  if (!existsSync(dir)) return found;
  for (const file of files(dir)) found.set(file.slice(dir.length + 1), readFileSync(file));
  return found;
}

/** The files in which two bundle directories differ. */
function differences(a: string, b: string): string[] {
  const left = bundleFiles(a);
  const right = bundleFiles(b);
  const names = new Set([...left.keys(), ...right.keys()]);
  return [...names].filter((name) => !(left.get(name)?.equals(right.get(name) ?? Buffer.alloc(0)) ?? false)).sort();
}

function actionBundle(fromDist: boolean): void {
  const hash = sourcesHash(ACTION);
  const out = join(ROOT, ACTION.out);
  if (fromDist) {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    cpSync(join(ROOT, 'dist'), out, { recursive: true });
    writeStamp(ACTION.stamp, hash);
    console.log(`${ACTION.out}/: the Action bundle for the tests, copied from the freshly built dist/`);
  } else if (isFresh(ACTION, hash)) {
    console.log(`${ACTION.out}/: the Action bundle for the tests is up to date with src/`);
  } else {
    console.log(`${ACTION.out}/: building the Action bundle for the tests from src/ (ncc)`);
    build(ACTION, hash);
  }
  const stale = differences(out, join(ROOT, 'dist'));
  if (stale.length > 0)
    console.log(
      `note: the committed dist/ differs from a bundle of the current source (${stale.join(', ')}); the tests run ${ACTION.out}/. ` +
        "`npm run build:action` rewrites dist/, and CI's dist/ check fails until it is committed.",
    );
}

function packageBundle(): void {
  const hash = sourcesHash(PACKAGE);
  if (isFresh(PACKAGE, hash)) console.log(`${PACKAGE.out}/: the CLI bundle is up to date with src/`);
  else {
    console.log(`${PACKAGE.out}/: building the CLI bundle from src/ (ncc)`);
    build(PACKAGE, hash);
  }
  const installed = join(ROOT, INSTALLED);
  if (stamped(INSTALLED_STAMP, hash) && existsSync(installed)) return;
  // the package also ships files of build/ beside the bundle (bin's shelter): compiled from these sources
  execFileSync('npx', ['tsc', '-b', PACKAGE.tsconfig], { cwd: ROOT, stdio: 'inherit' });
  rmSync(join(ROOT, INSTALLED_STAMP), { force: true });
  rmSync(installed, { recursive: true, force: true });
  // what the package holds: package.json's "files", and package.json
  const { files: shipped } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  for (const path of ['package.json', ...shipped]) cpSync(join(ROOT, path), join(installed, path), { recursive: true });
  writeStamp(INSTALLED_STAMP, hash);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  if (args.includes('--from-dist')) actionBundle(true);
  else if (args.includes('--package')) packageBundle();
  else {
    actionBundle(false);
    packageBundle();
  }
}
