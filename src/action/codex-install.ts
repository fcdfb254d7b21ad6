import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { publicEnv } from '../util/private-env.js';

/**
 * Installs the Codex CLI from npm into `prefix` and returns the directory holding its `codex`
 * binary, for the PATH. The native binary ships inside the npm package, so this needs only the
 * npm registry. `env` is the environment npm runs with (its PATH finds npm).
 */
export function installCodex(version: string, prefix: string, env: NodeJS.ProcessEnv = process.env): string {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `@openai/codex@${version}`], {
    stdio: 'inherit',
    env: publicEnv(env),
  });
  return join(prefix, 'node_modules', '.bin');
}
