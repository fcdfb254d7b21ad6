/**
 * Fails the process when `work` has not settled by the time nothing is left to run: a promise that
 * nothing will ever settle (a wake-up lost in a bug) would otherwise let the event loop drain and
 * the process exit with code 0, as if the command had done its work, having written nothing. `say`
 * tells why (stderr, or the Action's error annotation); the exit code is then 1.
 */
export function failIfUnsettled<T>(work: Promise<T>, say: (message: string) => void): Promise<T> {
  const stuck = (): void => {
    process.exitCode = 1;
    say(
      'orchestrator: internal error: the command stopped waiting for work that nothing was left to do (a bug: please report it, with ORCHESTRATOR_DEBUG=1); what it wrote so far is kept, and the run can be resumed',
    );
  };
  process.once('beforeExit', stuck);
  return work.finally(() => process.off('beforeExit', stuck));
}
