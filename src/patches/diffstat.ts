/**
 * The diffstat of a patch as `git diff --binary` prints it: for each file its path (after a rename
 * or copy also the one before), what happened to it, and the lines added and removed. Pure: it reads
 * the patch text, nothing else. Binary files count no lines.
 */
import type { FileChange } from '../model/results.js';

export interface Diffstat {
  readonly files: readonly FileChange[];
  readonly added: number;
  readonly removed: number;
}

/** A path as git prints it: bare, or C-quoted ("caf\303\251 \"x\".md") when it has special characters. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, a: 7, b: 8, f: 12, r: 13, v: 11, '"': 34, '\\': 92 };
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') break;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = text.slice(i, i + 3);
      bytes.push(parseInt(octal, 8));
      i += octal.length - 1;
    } else bytes.push(simple[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** One side of `--- a/x` / `+++ b/x`: the path without its `a/`/`b/` prefix, or null for /dev/null. */
function sidePath(rest: string): string | null {
  // git ends the name with a tab when it holds a space, so that the line can be read back
  const name = rest.includes('\t') ? rest.slice(0, rest.indexOf('\t')) : rest;
  if (name === '/dev/null') return null;
  return unquotePath(name).replace(/^[ab]\//, '');
}

/** The two paths of a `diff --git` line, when `---`/`+++` lines do not name them (binary, mode only, empty file). */
function headerPaths(rest: string): { a: string; b: string } | undefined {
  if (rest.startsWith('"')) {
    // "a/…" "b/…" or "a/…" b/…: the first is quoted, so it ends at its closing quote
    const end = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
    if (end === undefined) return undefined;
    return { a: unquotePath(end).replace(/^a\//, ''), b: unquotePath(rest.slice(end.length + 1)).replace(/^b\//, '') };
  }
  if (rest.endsWith('"')) {
    const start = rest.lastIndexOf(' "');
    return { a: rest.slice(0, start).replace(/^a\//, ''), b: unquotePath(rest.slice(start + 1)).replace(/^b\//, '') };
  }
  // bare names with spaces are ambiguous, but without a rename both are the same path: a/X b/X
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) {
    const path = rest.slice(2, half);
    return { a: path, b: path };
  }
  const [a = '', b = ''] = rest.split(' b/');
  return { a: a.replace(/^a\//, ''), b };
}

interface Building {
  path: string;
  old_path?: string;
  status: FileChange['status'];
  binary: boolean;
  added: number;
  removed: number;
  named: boolean;
}

export function parseDiffstat(patch: string): Diffstat {
  const files: FileChange[] = [];
  let file: Building | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  const finish = (): void => {
    if (file === undefined) return;
    const { named: _named, old_path, ...rest } = file;
    files.push(old_path !== undefined && old_path !== file.path ? { ...rest, old_path } : rest);
    file = undefined;
  };
  const lines = patch.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (file !== undefined && (oldLeft > 0 || newLeft > 0)) {
      // inside a hunk: its header said how many lines of each side follow
      if (line.startsWith('+')) {
        file.added++;
        newLeft--;
      } else if (line.startsWith('-')) {
        file.removed++;
        oldLeft--;
      } else if (line.startsWith('\\')) {
        // "\ No newline at end of file"
      } else {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    if (line.startsWith('diff --git ')) {
      finish();
      const paths = headerPaths(line.slice('diff --git '.length));
      file = { path: paths?.b ?? '', status: 'modified', binary: false, added: 0, removed: 0, named: false };
      if (paths && paths.a !== paths.b) file.old_path = paths.a;
      continue;
    }
    if (file === undefined) continue;
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
    } else if (line.startsWith('new file mode')) file.status = 'added';
    else if (line.startsWith('deleted file mode')) file.status = 'deleted';
    else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
      file.status = line.startsWith('rename') ? 'renamed' : 'copied';
      file.old_path = unquotePath(line.slice(line.indexOf(' from ') + 6));
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      file.path = unquotePath(line.slice(line.indexOf(' to ') + 4));
      file.named = true;
    } else if (line.startsWith('--- ')) {
      const path = sidePath(line.slice(4));
      if (path !== null && !file.named) file.old_path = path;
    } else if (line.startsWith('+++ ')) {
      const path = sidePath(line.slice(4));
      if (path !== null && !file.named) {
        file.path = path;
        file.named = true;
      } else if (path === null && file.old_path !== undefined && !file.named) {
        file.path = file.old_path; // a deletion names the deleted path
      }
    } else if (line === 'GIT binary patch' || (line.startsWith('Binary files ') && line.endsWith(' differ'))) {
      file.binary = true;
    }
  }
  finish();
  return {
    files,
    added: files.reduce((sum, f) => sum + f.added, 0),
    removed: files.reduce((sum, f) => sum + f.removed, 0),
  };
}
