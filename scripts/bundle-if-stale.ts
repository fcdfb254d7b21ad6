/**
 * Builds the bundles from the current source with esbuild, straight from the TypeScript of src/
 * (`npm run lint` type-checks it; esbuild only strips the types, as tsc's emit would):
 * - `--dist`: the Action's bundle into the committed dist/ (`npm run build:action`), always;
 * - the Action bundle the tests run (build/action/, ignored by git), the same bundle, unless the one
 *   there was built from exactly these sources (a hash of src/, package.json, package-lock.json,
 *   the tsconfigs and this script, kept in build/<bundle>.sources). It never writes the committed
 *   dist/: it only says when dist/ differs from the fresh bundle (CI's "dist/ is up to date" check
 *   is what fails on that; `npm run build:action` rewrites dist/);
 * - `--package`: the npm package's CLI bundle (build/package/; `npm pack` runs it) unless stamped
 *   likewise, and beside it build/installed/, the files the package ships (its "files") laid out as
 *   an install puts them: the process tests run the CLI from there (less CPU per start than the
 *   ~150 modules of build/), but only while build/installed.sources says it was built from the
 *   current sources (test/helpers/cli.ts: otherwise they run build/ through bin/).
 *
 * `--from-dist`: CI has just rebuilt dist/ from this source and checked that it equals the
 * committed one, so it is the test bundle: copied instead of built a second time.
 *
 * A bundle is a directory: index.js, the entry, and the chunks esbuild splits off what the code
 * imports lazily (`import()`: the Action after the shelter's re-exec, the CLI's commands, the
 * OpenAI runner...), which a start then neither reads nor compiles unless it uses them; beside them
 * the two modules that run apart, each one file of its own (see HELPERS), licenses.txt (the
 * licenses of the packages bundled) and a package.json that makes the .js files ES modules.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

interface Bundle {
  /** The bundle's directory, relative to the root. */
  readonly out: string;
  /** The module esbuild bundles into index.js. */
  readonly entry: string;
  /** Inputs besides src/, package.json, package-lock.json, tsconfig.json and this script. */
  readonly extra: readonly string[];
  /** Holds the hash of the sources the bundle was built from (outside it: npm pack ships build/package). */
  readonly stamp: string;
}

const ACTION: Bundle = { out: 'build/action', entry: 'src/index.ts', extra: [], stamp: 'build/action.sources' };
// (scripts/build-cli.ts: it compiles the files of build/ that the package ships beside the bundle)
const PACKAGE: Bundle = {
  out: 'build/package',
  entry: 'src/cli/main.ts',
  extra: ['bin', 'scripts/build-cli.ts'],
  stamp: 'build/package.sources',
};
/**
 * The modules that run apart from the bundle, each bundled whole (no chunks) into a file of its own
 * beside it, where the code finds it next to itself (`import.meta.url`): the spawner helper
 * (src/steps/spawner.ts forks it), the thread that checks resume's index
 * (src/engine/leaf-checks.ts starts it) and the thread that writes a by-path run's tree
 * (src/util/tree-queue.ts starts it).
 */
const HELPERS = {
  'spawner-helper': 'src/steps/spawner-helper.ts',
  'leaf-check-worker': 'src/engine/leaf-check-worker.ts',
  'tree-thread': 'src/util/tree-thread.ts',
};

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
  const inputs = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/bundle-if-stale.ts', ...bundle.extra];
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

/**
 * The ES module bundles run CommonJS packages (most of @actions/*' dependencies): their `require`
 * of node's modules needs a `require` in scope, which an ES module lacks.
 */
const REQUIRE =
  "import { createRequire as __orchestratorRequire } from 'node:module';\nconst require = __orchestratorRequire(import.meta.url);";

/**
 * node:http (and https) by `require`, as CommonJS code gets them, not by an ES `import`: an ES
 * import of a builtin reads all its exports, and node:http's WebSocket, MessageEvent and
 * CloseEvent are getters that load Node's internal undici (~15 ms of CPU at every Action start,
 * where @actions/http-client imports both; ncc turned every import into a require). Each import is
 * answered by a CommonJS module of one line whose require is left to the banner's.
 */
const BUILTINS_BY_REQUIRE: Plugin = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^(node:)?https?$/ }, ({ path, namespace }) =>
      namespace === 'by-require' ? { path, external: true } : { path, namespace: 'by-require' },
    );
    build.onLoad({ filter: /.*/, namespace: 'by-require' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
    }));
  },
};

/** What every build shares: one ES module per output, for the Node the Action runs on and the package needs (>= 22). */
const COMMON: BuildOptions = {
  plugins: [BUILTINS_BY_REQUIRE],
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  banner: { js: REQUIRE },
  // no keepNames: its __name() call for every function and class cost an Action start ~15 % more
  // CPU. A top-level name two bundled modules share is renamed in one (`OpenAI2`), and its `.name`
  // with it: none of those the code reads (the openai client's, in its User-Agent) is shared today
  metafile: true,
  logLevel: 'warning',
};

/** A package's directory under node_modules/ (the last one, for a nested package), or undefined for a file of ours. */
const packageOf = (input: string): string | undefined => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];

/**
 * The licenses of the packages bundled (the inputs of esbuild's metafiles under node_modules/), as
 * ncc wrote them: per package its name, its license and the text of its license file, sorted.
 */
function licenses(metafiles: readonly Metafile[]): string {
  const packages = new Set(metafiles.flatMap((meta) => Object.keys(meta.inputs).flatMap((input) => packageOf(input) ?? [])));
  const entries = new Set<string>();
  for (const dir of packages) {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; license?: string | { type?: string } };
    const license = (typeof pkg.license === 'string' ? pkg.license : pkg.license?.type) ?? 'UNKNOWN';
    const file = readdirSync(join(ROOT, dir))
      .filter((name) => /^licen[cs]e/i.test(name))
      .sort()[0];
    const text =
      file === undefined
        ? ''
        : `\n${readFileSync(join(ROOT, dir, file), 'utf8')
            .replace(/^\s*\n/, '')
            .trimEnd()}`;
    entries.add(`${pkg.name}\n${license}${text}`);
  }
  return `${[...entries].sort().join('\n\n')}\n`;
}

/** Bundles entry into out/ (emptied first): index.js with its chunks, the helpers, licenses.txt and package.json. */
async function build(entry: string, out: string): Promise<void> {
  const esbuild = await import('esbuild');
  const outdir = join(ROOT, out);
  rmSync(outdir, { recursive: true, force: true });
  const results = await Promise.all([
    esbuild.build({ ...COMMON, entryPoints: { index: entry }, outdir, splitting: true, chunkNames: '[name]-[hash]' }),
    ...Object.entries(HELPERS).map(([name, helper]) => esbuild.build({ ...COMMON, entryPoints: { [name]: helper }, outdir })),
  ]);
  writeFileSync(join(outdir, 'licenses.txt'), licenses(results.map((result) => result.metafile!)));
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
}

/** Builds a bundle for the tests, then stamps it with hash. */
async function buildStamped(bundle: Bundle, hash: string): Promise<void> {
  rmSync(join(ROOT, bundle.stamp), { force: true });
  await build(bundle.entry, bundle.out);
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

async function actionBundle(fromDist: boolean): Promise<void> {
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
    console.log(`${ACTION.out}/: building the Action bundle for the tests from src/ (esbuild)`);
    await buildStamped(ACTION, hash);
  }
  const stale = differences(out, join(ROOT, 'dist'));
  if (stale.length > 0)
    console.log(
      `note: the committed dist/ differs from a bundle of the current source (${stale.join(', ')}); the tests run ${ACTION.out}/. ` +
        "`npm run build:action` rewrites dist/, and CI's dist/ check fails until it is committed.",
    );
}

async function packageBundle(): Promise<void> {
  const hash = sourcesHash(PACKAGE);
  if (isFresh(PACKAGE, hash)) console.log(`${PACKAGE.out}/: the CLI bundle is up to date with src/`);
  else {
    console.log(`${PACKAGE.out}/: building the CLI bundle from src/ (esbuild)`);
    await buildStamped(PACKAGE, hash);
  }
  const installed = join(ROOT, INSTALLED);
  if (stamped(INSTALLED_STAMP, hash) && existsSync(installed)) return;
  // the package also ships files of build/ beside the bundle (bin's shelter): compiled from these sources
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.ts')], { cwd: ROOT, stdio: 'inherit' });
  rmSync(join(ROOT, INSTALLED_STAMP), { force: true });
  rmSync(installed, { recursive: true, force: true });
  // what the package holds: package.json's "files", and package.json
  const { files: shipped } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  for (const path of ['package.json', ...shipped]) cpSync(join(ROOT, path), join(installed, path), { recursive: true });
  writeStamp(INSTALLED_STAMP, hash);
}

async function main(args: readonly string[]): Promise<void> {
  if (args.includes('--dist')) await build(ACTION.entry, 'dist');
  else if (args.includes('--from-dist')) await actionBundle(true);
  else if (args.includes('--package')) await packageBundle();
  else {
    await actionBundle(false);
    await packageBundle();
  }
}

if (import.meta.main) await main(process.argv.slice(2));
