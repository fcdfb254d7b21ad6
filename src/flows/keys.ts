import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { KEY_NAME } from '../prompt/placeholders.js';
import type { KeyList } from './flows.js';

/** A `--key NAME:FILE` argument, split. */
export interface KeySpec {
  readonly name: string;
  readonly file: string;
}

const MAX_LISTED = 10;

/** Splits `NAME:FILE` at the first colon; throws a UsageError naming the argument when it is malformed. */
export function parseKeySpec(argument: string, source = '--key'): KeySpec {
  const colon = argument.indexOf(':');
  if (colon < 0) {
    throw new UsageError(`${source} ${JSON.stringify(argument)}: expected NAME:FILE, e.g. doc:docs.txt (the file lists one path per line)`);
  }
  const name = argument.slice(0, colon).trim();
  const file = argument.slice(colon + 1).trim();
  if (!KEY_NAME.test(name)) {
    throw new UsageError(
      `${source} ${JSON.stringify(argument)}: key name ${JSON.stringify(name)} may only contain letters, digits, "_", "." and "-" (it is used as {{{${name || 'NAME'}}}})`,
    );
  }
  if (file === '') throw new UsageError(`${source} ${JSON.stringify(argument)}: the FILE after the colon is empty`);
  return { name, file };
}

/** The paths a key file lists: one per line, blank lines skipped, `\r`, a BOM and surrounding spaces removed. */
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

function readable(path: string): string | undefined {
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) return 'is a directory, not a file';
    if (!stats.isFile()) return 'is not a regular file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES'
        ? 'is not readable (permission denied)'
        : `cannot be read (${code ?? String(error)})`;
  }
}

/**
 * Reads every key file and checks every path it lists, relative to `baseDir`. Throws one
 * UsageError listing all problems.
 */
export function readKeyLists(specs: readonly KeySpec[], baseDir: string): KeyList[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const lists: KeyList[] = [];
  for (const { name, file } of specs) {
    const where = `--key ${name}:${file}`;
    if (seen.has(name)) {
      problems.push(`${where}: key "${name}" is given twice; each key name may be used once`);
      continue;
    }
    seen.add(name);
    const path = resolve(baseDir, file);
    const problem = readable(path);
    if (problem !== undefined) {
      problems.push(`${where}: key file ${JSON.stringify(file)} ${problem}`);
      continue;
    }
    const bytes = readFileSync(path);
    if (bytes.includes(0)) {
      problems.push(`${where}: key file ${JSON.stringify(file)} is not a text file (it holds NUL bytes); it should list one path per line`);
      continue;
    }
    const text = bytes.toString('utf8');
    const paths = keyFileLines(text);
    if (paths.length === 0) {
      problems.push(`${where}: key file ${JSON.stringify(file)} is empty; it should list one path per line`);
      continue;
    }
    const bad: string[] = [];
    let badCount = 0;
    for (const [i, listed] of paths.entries()) {
      const listedProblem = readable(resolve(baseDir, listed));
      if (listedProblem === undefined) continue;
      badCount++;
      if (bad.length < MAX_LISTED) bad.push(`${where}: line ${fileLine(text, i)}: ${JSON.stringify(listed)} ${listedProblem}`);
    }
    problems.push(...bad);
    if (badCount > bad.length) problems.push(`${where}: ... and ${badCount - bad.length} more listed files that cannot be read`);
    lists.push({ name, file, paths });
  }
  if (problems.length > 0) throw new UsageError(problems);
  return lists;
}

/** sha256 of the key names and listed paths; `--resume` refuses when it changes. */
export function hashKeyLists(lists: readonly KeyList[]): string {
  const hash = createHash('sha256');
  for (const list of lists) hash.update(JSON.stringify([list.name, list.paths]));
  return hash.digest('hex');
}
