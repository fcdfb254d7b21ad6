/**
 * What the helpers that run our code in the jest worker's own process instead of a child
 * (cli-inprocess.ts: the CLI; action-in-worker.ts: the Action bundle) share: the process's
 * environment made a command's own, and a deadline for a command that cannot be killed.
 */

/**
 * Makes this process's environment `env` until the returned function is called: what a child
 * process would have had, for the code that reads process.env rather than what it is given (the
 * SDK's OPENAI_BASE_URL, ORCHESTRATOR_KILL_GRACE_MS, the Action's INPUT_* ...).
 */
export function useEnv(env: Record<string, string | undefined>): () => void {
  const saved = { ...process.env };
  const replace = (next: Record<string, string | undefined>): void => {
    for (const name of Object.keys(process.env)) if (!(name in next)) delete process.env[name];
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  replace(env);
  return () => replace(saved);
}

/** The promise's value, or a rejection saying `what()` when it has not settled within `ms` (a command here cannot be killed: it is this process). */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
