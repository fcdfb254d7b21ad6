/**
 * Rebuilds the Action bundle (dist/) before the tests when any source file is newer than it, so
 * the Action tests, which run dist/index.js as the runner would, always test the current source.
 * A fresh bundle (CI builds it just before) is not built twice.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let bundled = 0;
try {
  bundled = statSync('dist/index.js').mtimeMs;
} catch {
  // no bundle yet
}
const sources = Math.max(newest('src'), statSync('package.json').mtimeMs, statSync('package-lock.json').mtimeMs);
if (sources > bundled) {
  console.log('dist/ is older than src/: rebuilding the Action bundle for the tests (commit dist/ with your change)');
  execFileSync('npm', ['run', 'build:action'], { stdio: 'inherit' });
}
