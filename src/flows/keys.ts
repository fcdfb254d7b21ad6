import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { StepError, UsageError } from '../errors.js';
import { KEY_NAME } from '../prompt/placeholders.js';
import {
  InputFileError,
  inputFileMessage,
  inputFileProblem,
  readInputFile,
  tryReadInputFile,
  type InputRules,
} from '../util/input-file.js';
import type { KeyKind, KeyList } from './flows.js';

/** A `--key NAME:FILE` or `--values NAME:FILE` argument, split; `kind` absent is `paths`. */
export interface KeySpec {
  readonly name: string;
  readonly file: string;
  readonly kind?: KeyKind;
}

/** The flag a key was given with. */
export const keyFlag = (key: { readonly kind?: KeyKind }): string => (key.kind === 'values' ? '--values' : '--key');

/** What a key file lists, said in messages. */
const listed = (kind: KeyKind | undefined): string => (kind === 'values' ? 'one value per line' : 'one path per line');

const MAX_LISTED = 10;

/**
 * Splits `NAME:FILE` at the first colon; throws a UsageError naming the argument when it is
 * malformed. `source` is the flag or input named in the message.
 */
export function parseKeySpec(argument: string, source = '--key', kind: KeyKind = 'paths'): KeySpec {
  const colon = argument.indexOf(':');
  if (colon < 0) {
    const example = kind === 'values' ? 'id:ids.txt' : 'doc:docs.txt';
    throw new UsageError(`${source} ${JSON.stringify(argument)}: expected NAME:FILE, e.g. ${example} (the file lists ${listed(kind)})`);
  }
  const name = argument.slice(0, colon).trim();
  const file = argument.slice(colon + 1).trim();
  if (!KEY_NAME.test(name)) {
    throw new UsageError(
      `${source} ${JSON.stringify(argument)}: key name ${JSON.stringify(name)} may only contain letters, digits, "_", "." and "-" (it is used as {{{${name || 'NAME'}}}})`,
    );
  }
  if (file === '') throw new UsageError(`${source} ${JSON.stringify(argument)}: the FILE after the colon is empty`);
  return kind === 'values' ? { name, file, kind } : { name, file };
}

/** The paths (or values) a key file lists: one per line, blank lines skipped, `\r`, a BOM and surrounding spaces removed. */
export function keyFileLines(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The 1-based line of the file holding the `n`-th (0-based) listed path, blank lines counted. */
function fileLine(text: string, n: number): number {
  const lines = text.split('\n');
  for (let line = 0, seen = -1; line < lines.length; line++) if (lines[line]!.trim() !== '' && ++seen === n) return line + 1;
  return n + 1;
}

/**
 * A name as `git diff --name-only` prints it when it holds bytes outside ASCII and core.quotePath is
 * on (the default): in double quotes, with octal escapes, e.g. `"caf\303\251.md"`.
 */
const gitQuoted = (path: string): boolean => path.length > 1 && path.startsWith('"') && path.endsWith('"');

const GIT_QUOTED_HINT =
  'it looks like a file name quoted by git (core.quotePath): list names with `git -c core.quotePath=false diff --name-only`, or with `-z`';

/** Reading key lists: where the Action confines input files, and where warnings go. */
export interface KeyListOptions extends Pick<InputRules, 'confineTo'> {
  /** Lines that will fail their flows rather than the run (names quoted by git) are reported here. */
  readonly warnings?: string[];
}

/** A listed file's contents, read for one flow; a StepError says why it cannot be. */
export function readListedFile(baseDir: string, path: string, key: string, rules: Pick<InputRules, 'confineTo'> = {}): string {
  try {
    return readInputFile(resolve(baseDir, path), rules).toString('utf8');
  } catch (error) {
    const problem = error instanceof InputFileError ? error.problem : String(error);
    const quoted = gitQuoted(path) && problem === 'does not exist';
    const shown = quoted ? path : JSON.stringify(path);
    throw new StepError(`cannot read ${shown} (key "${key}"): it ${problem}${quoted ? `; ${GIT_QUOTED_HINT}` : ''}`, { cause: error });
  }
}

/**
 * Reads every key file and checks every path it lists, relative to `baseDir`. Throws one
 * UsageError listing all problems.
 */
export function readKeyLists(specs: readonly KeySpec[], baseDir: string, options: KeyListOptions = {}): KeyList[] {
  const problems: string[] = [];
  const seen = new Map<string, KeySpec>();
  const lists: KeyList[] = [];
  for (const spec of specs) {
    const { name, file, kind } = spec;
    const where = `${keyFlag(spec)} ${name}:${file}`;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push(
        (earlier.kind ?? 'paths') === (kind ?? 'paths')
          ? `${where}: key "${name}" is given twice; each key name may be used once`
          : `${where}: key "${name}" is also given by ${keyFlag(earlier)} ${earlier.name}:${earlier.file}; each key name may be used once: rename one`,
      );
      continue;
    }
    seen.set(name, spec);
    const what = kind === 'values' ? 'values file' : 'key file';
    const read = tryReadInputFile(resolve(baseDir, file), { confineTo: options.confineTo, pipes: true });
    if ('problem' in read) {
      problems.push(`${where}: ${inputFileMessage(what, file, read.problem)}`);
      continue;
    }
    const bytes = read.bytes;
    if (bytes.includes(0)) {
      problems.push(`${where}: ${inputFileMessage(what, file, `is not a text file (it holds NUL bytes); it should list ${listed(kind)}`)}`);
      continue;
    }
    const text = bytes.toString('utf8');
    const paths = keyFileLines(text);
    if (paths.length === 0) {
      problems.push(`${where}: ${inputFileMessage(what, file, `is empty; it should list ${listed(kind)}`)}`);
      continue;
    }
    if (kind === 'values') {
      // the lines are the values: there is no file to check
      lists.push({ name, file, paths, kind });
      continue;
    }
    const bad: string[] = [];
    let badCount = 0;
    const missing: string[] = [];
    const quoted: string[] = [];
    let quotedCount = 0;
    // a path listed on many lines is checked once (a 100,000-line list of 1,000 files was 100,000
    // stat, realpath and access calls: ~1 CPU s before the run started)
    const checked = new Map<string, string | undefined>();
    for (const [i, listed] of paths.entries()) {
      const path = resolve(baseDir, listed);
      const listedProblem = checked.has(path) ? checked.get(path) : inputFileProblem(path, { confineTo: options.confineTo });
      checked.set(path, listedProblem);
      if (listedProblem === undefined) continue;
      if (listedProblem === 'does not exist' && gitQuoted(listed)) {
        // git's quoting of one odd name must not stop the review of every other file: that flow fails
        if (quotedCount++ < MAX_LISTED) quoted.push(`line ${fileLine(text, i)}: ${listed}`);
        continue;
      }
      badCount++;
      if (listedProblem === 'does not exist' && !isAbsolute(listed)) missing.push(listed);
      if (bad.length < MAX_LISTED) bad.push(`${where}: ${inputFileMessage(`line ${fileLine(text, i)}:`, listed, listedProblem)}`);
    }
    problems.push(...bad);
    if (quotedCount > 0) {
      options.warnings?.push(
        `${where}: ${quoted.join(', ')}${quotedCount > quoted.length ? ` and ${quotedCount - quoted.length} more` : ''}: ` +
          `no such file, and ${GIT_QUOTED_HINT}; the flows of these lines will fail`,
      );
    }
    if (badCount > bad.length) problems.push(`${where}: ... and ${badCount - bad.length} more listed files that cannot be read`);
    if (missing.length > 0) problems.push(`${where}: ${relativeHint(file, missing, baseDir, options)}`);
    lists.push({ name, file, paths });
  }
  if (problems.length > 0) throw new UsageError(problems);
  return lists;
}

/**
 * Where listed paths are looked for: relative to the current directory (named), not to the key
 * file's folder; said with how many would be found there, when the list was written that way.
 */
function relativeHint(file: string, missing: readonly string[], baseDir: string, rules: Pick<InputRules, 'confineTo'>): string {
  const folder = dirname(file);
  const there =
    folder === '.'
      ? []
      : missing.filter((path) => inputFileProblem(resolve(baseDir, folder, path), { confineTo: rules.confineTo }) === undefined);
  const found =
    there.length === 0
      ? ''
      : `; ${there.length} of ${missing.length} exist relative to the key file's folder ${JSON.stringify(folder)}: ` +
        `list them from the current directory (e.g. ${JSON.stringify(join(folder, there[0]!))}), or run from ${JSON.stringify(folder)}`;
  return `listed paths are read relative to the current directory, ${baseDir}, not to the key file${found}`;
}

/** sha256 of the key names and listed paths; `--resume` refuses when it changes. */
export function hashKeyLists(lists: readonly KeyList[]): string {
  const hash = createHash('sha256');
  // a values list is marked, so turning a --key into --values (or back) is a change; key lists hash as they always did
  for (const list of lists)
    hash.update(JSON.stringify(list.kind === 'values' ? [list.name, list.paths, 'values'] : [list.name, list.paths]));
  return hash.digest('hex');
}
