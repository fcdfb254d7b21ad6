import { execFile } from 'node:child_process';
import { UsageError } from '../errors.js';
import { childEnv } from './env.js';

export const SANDBOX_FIXES =
  'Fix it in one of two ways: allow unprivileged user namespaces on the runner ' +
  "(GitHub's Ubuntu 24.04 images block them: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` in a step before this one), " +
  'or set "sandbox": "danger-full-access" on the codex steps (Action input `sandbox: danger-full-access`) on a runner that is itself the sandbox, such as a GitHub-hosted VM.';

/** How the probe failed: exit code or signal, and the end of its stderr, or that it printed nothing. */
function probeFailure(error: unknown): string {
  const e = error as { stderr?: string; code?: number | string | null; signal?: string | null; killed?: boolean; message?: string };
  let how: string;
  if (e.killed && e.signal) how = `did not finish in 60 s (ended with ${e.signal})`;
  else if (e.signal) how = `was killed by ${e.signal}`;
  else if (typeof e.code === 'number') how = `exited with code ${e.code}`;
  else if (typeof e.code === 'string') how = `could not be started (${e.code}${e.message ? `: ${e.message}` : ''})`;
  else how = `failed${e.message ? ` (${e.message})` : ''}`;
  const said = (e.stderr ?? '').trim().split('\n').slice(-3).join(' ').slice(0, 400);
  return said === '' ? `${how} and printed nothing on stderr` : `${how}: ${said}`;
}

/**
 * Runs a trivial command in codex's sandbox. Codex on a machine where its sandbox cannot start does
 * not fail: every command it runs is refused, and the step "succeeds" having done nothing. So
 * this is checked once, before any flow starts.
 */
export async function probeSandbox(codexPath: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      const child = execFile(
        codexPath,
        ['sandbox', '--', 'true'],
        { cwd, env: childEnv(env), timeout: 60_000 },
        (error, _stdout, stderr) => (error ? reject(Object.assign(error as Error, { stderr })) : resolve()),
      );
      child.stdin?.end();
    });
  } catch (error) {
    throw new UsageError(
      `codex's sandbox does not work on this machine (\`codex sandbox -- true\` ${probeFailure(error)}). ${SANDBOX_FIXES}`,
    );
  }
}

/**
 * `codex exec` arguments that confine a `workspace-write` sandbox to the leaf's worktree (its cwd) and
 * its own temp directory `tmpdir`: by default that sandbox may also write to /tmp and $TMPDIR, where
 * every other flow's codex can write too.
 */
export function isolationOverrides(tmpdir: string): string[] {
  return [
    '-c',
    'sandbox_workspace_write.exclude_slash_tmp=true',
    '-c',
    'sandbox_workspace_write.exclude_tmpdir_env_var=true',
    '-c',
    `sandbox_workspace_write.writable_roots=${JSON.stringify([tmpdir])}`,
  ];
}
