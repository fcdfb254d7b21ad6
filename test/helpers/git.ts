/** Git repositories for tests: a committed repository in a scratch directory, and git run in it. */
import { execFileSync } from 'node:child_process';
import { scratch } from './project.js';

/** A fixed identity and no system config, so commits work on any machine. */
export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A git repository holding `files`, all committed on `main`; generated/ is ignored, as a project would. */
export function gitRepo(files: Record<string, string>): string {
  const dir = scratch({ '.gitignore': 'generated/\n', ...files });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

/** A committed repository holding config.json, the listed docs (docs.list) and `files`. */
export function repo(config: unknown, docs: Record<string, string>, files: Record<string, string> = {}): string {
  return gitRepo({ 'config.json': JSON.stringify(config), 'docs.list': Object.keys(docs).join('\n') + '\n', ...docs, ...files });
}
