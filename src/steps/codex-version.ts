import { execFile } from 'node:child_process';
import { childEnv } from './env.js';

/**
 * What `codex --version` prints (e.g. "codex-cli 0.169.0"), recorded in run.json so a run's codex
 * behaviour can be traced to a release; null when it could not be asked (the run goes on).
 */
export function codexVersion(codexPath: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  return new Promise((resolve) => {
    const child = execFile(codexPath, ['--version'], { cwd, env: childEnv(env), timeout: 30_000 }, (error, stdout) => {
      const version = String(stdout).trim().split('\n')[0]?.trim().slice(0, 200);
      resolve(error || !version ? null : version);
    });
    child.stdin?.end();
  });
}
