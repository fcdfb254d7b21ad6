/**
 * The diffstat of a patch (issue 13.6), checked against git itself: a repository with every kind of
 * change git can print (edits, new, deleted, renamed with edits, binary, mode only, empty files,
 * names with spaces, quotes, tabs and non-ASCII letters), its `git diff --binary` parsed, and the
 * result compared with `git diff --numstat -z`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDiffstat, unquotePath } from '../../src/patches/diffstat.js';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

/** git's own view: path (after) -> [added, removed] ("-" for binary), from --numstat -z. */
function numstat(cwd: string): Map<string, [string, string]> {
  const out = git(cwd, 'diff', '--cached', '--numstat', '-z', '-M', 'HEAD');
  const parts = out.split('\0');
  const map = new Map<string, [string, string]>();
  for (let i = 0; i < parts.length - 1; i++) {
    const [, added, removed, path] = /^([^\t]*)\t([^\t]*)\t([\s\S]*)$/.exec(parts[i]!) as unknown as [string, string, string, string];
    if (path === '') {
      map.set(parts[i + 2]!, [added, removed]); // a rename: "" then old and new path
      i += 2;
    } else map.set(path, [added, removed]);
  }
  return map;
}

test('every kind of change git prints is counted as git counts it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-diffstat-'));
  try {
    git(dir, 'init', '-q');
    const lines = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}`).join('\n') + '\n';
    const files: Record<string, string> = {
      'edit.txt': lines(20, 'e'),
      'gone.txt': lines(3, 'g'),
      'old name.txt': lines(30, 'r'),
      'bin.dat': 'x',
      'mode.sh': 'echo hi\n',
      'no-newline.txt': 'a\nb',
      'dash.txt': '-- x\n--- y\n+++ z\n',
    };
    mkdirSync(join(dir, 'sub dir'));
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');

    writeFileSync(join(dir, 'edit.txt'), lines(20, 'e').replace('e line 5', 'changed 5').replace('e line 9\n', '') + 'tail\n');
    unlinkSync(join(dir, 'gone.txt'));
    unlinkSync(join(dir, 'old name.txt'));
    writeFileSync(join(dir, 'sub dir', 'new name.txt'), lines(30, 'r').replace('r line 2\n', 'r line two\n'));
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 3, 255, 0, 10]));
    chmodSync(join(dir, 'mode.sh'), 0o755);
    writeFileSync(join(dir, 'no-newline.txt'), 'a\nb\nc');
    writeFileSync(join(dir, 'dash.txt'), '--- y\n+++ z\n-- x\n');
    writeFileSync(join(dir, 'café "quoted"\tand tab.md'), 'hello\n');
    writeFileSync(join(dir, 'empty new'), '');
    writeFileSync(join(dir, 'new binary.png'), Buffer.from([137, 80, 78, 71, 0, 0]));
    git(dir, 'add', '-A');
    const patch = git(dir, 'diff', '--cached', '--binary', 'HEAD');

    const stat = parseDiffstat(patch);
    const truth = numstat(dir);
    const byPath = new Map(stat.files.map((f) => [f.path, f]));
    expect([...byPath.keys()].sort()).toEqual([...truth.keys()].sort());
    for (const [path, [added, removed]] of truth) {
      const f = byPath.get(path)!;
      if (added === '-') expect(f).toMatchObject({ binary: true, added: 0, removed: 0 });
      else expect([path, f.added, f.removed]).toEqual([path, Number(added), Number(removed)]);
    }
    expect(byPath.get('gone.txt')!.status).toBe('deleted');
    expect(byPath.get('sub dir/new name.txt')).toMatchObject({ status: 'renamed', old_path: 'old name.txt', added: 1, removed: 1 });
    expect(byPath.get('café "quoted"\tand tab.md')).toMatchObject({ status: 'added', added: 1 });
    expect(byPath.get('empty new')).toMatchObject({ status: 'added', added: 0, removed: 0 });
    expect(byPath.get('new binary.png')).toMatchObject({ status: 'added', binary: true });
    expect(byPath.get('mode.sh')).toMatchObject({ status: 'modified', added: 0, removed: 0 });
    expect(stat.added).toBe(stat.files.reduce((s, f) => s + f.added, 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty patch changes nothing; C-quoted paths are decoded', () => {
  expect(parseDiffstat('')).toEqual({ files: [], added: 0, removed: 0 });
  expect(unquotePath('"caf\\303\\251 \\"x\\"\\t.md"')).toBe('café "x"\t.md');
  expect(unquotePath('plain name.md')).toBe('plain name.md');
});
