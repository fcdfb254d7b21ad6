/**
 * Variables no process a step starts may see, nor find in an ancestor's `/proc/<pid>/environ`: the
 * runner's credentials and file commands, the Action's inputs, and the model keys.
 */
const PRIVATE = [
  /^ACTIONS_/,
  /^INPUT_/,
  /^GITHUB_TOKEN$/,
  /^GH_TOKEN$/,
  /^OPENAI_API_KEY$/,
  /^CODEX_API_KEY$/,
  // the runner's file commands: a step writing to them would change the job's later steps
  /^GITHUB_(ENV|PATH|OUTPUT|STATE|STEP_SUMMARY)$/,
];

/** Set in the re-executed process's environment: the file the private variables wait in. */
export const PRIVATE_ENV_FILE = 'ORCHESTRATOR_PRIVATE_ENV';

export function isPrivateVariable(name: string): boolean {
  return name === PRIVATE_ENV_FILE || PRIVATE.some((pattern) => pattern.test(name));
}

/** `env` without its private variables: the base of every child process's environment. */
export function publicEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !isPrivateVariable(name)) result[name] = value;
  return result;
}
