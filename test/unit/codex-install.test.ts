/**
 * The Codex CLI install of the Action (`codex-version`): `npm install --prefix` of the exact
 * package and version, and the directory it returns holds the `codex` that npm linked. npm itself
 * is a stand-in script on PATH that records its arguments (no registry is reached).
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCodex } from '../../src/action/codex-install.js';
import { scratch } from '../helpers/project.js';

function fakeNpm(dir: string, exitCode = 0): string {
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  // records its arguments; links a `codex` into <prefix>/node_modules/.bin as npm would
  writeFileSync(
    join(bin, 'npm'),
    `#!/bin/sh
printf '%s\\n' "$@" > "${join(dir, 'npm-args.txt')}"
[ ${exitCode} -eq 0 ] || { echo 'npm ERR! 404 Not Found - @openai/codex' >&2; exit ${exitCode}; }
while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done
mkdir -p "$prefix/node_modules/.bin" && printf '#!/bin/sh\\necho codex-cli 0.0.0\\n' > "$prefix/node_modules/.bin/codex" && chmod +x "$prefix/node_modules/.bin/codex"
`,
  );
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

describe('installCodex', () => {
  const path = process.env.PATH;

  test('installs @openai/codex@<version> under the prefix and returns the bin directory holding codex', () => {
    const dir = scratch();
    const env = { ...process.env, PATH: `${fakeNpm(dir)}:${path}` };
    const prefix = join(dir, 'tools');
    const bin = installCodex('0.169.0', prefix, env);
    expect(bin).toBe(join(prefix, 'node_modules', '.bin'));
    expect(readFileSync(join(bin, 'codex'), 'utf8')).toContain('codex-cli');
    const args = readFileSync(join(dir, 'npm-args.txt'), 'utf8').trim().split('\n');
    expect(args[0]).toBe('install');
    expect(args).toContain('@openai/codex@0.169.0');
    expect(args[args.indexOf('--prefix') + 1]).toBe(prefix);
  });

  test('a failed install throws, so the Action fails before any flow starts', () => {
    const dir = scratch();
    const env = { ...process.env, PATH: `${fakeNpm(dir, 1)}:${path}` };
    expect(() => installCodex('9.9.9', join(dir, 'tools'), env)).toThrow(/npm/);
  });
});
