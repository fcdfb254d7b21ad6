import { killAllProcessTrees } from '../steps/process.js';

/** The exit code a shell gives a process ended by the signal: 130 for SIGINT, 143 for SIGTERM. */
export const signalExitCode = (signal: NodeJS.Signals): 130 | 143 => (signal === 'SIGTERM' ? 143 : 130);

/** SIGINT and SIGTERM while a run is in progress; see `stopOnSignals`. */
export interface SignalStop {
  /** Aborted by the first signal, with an Error named after it. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  /** Stops listening. */
  dispose(): void;
}

/**
 * The one way the CLI and the Action stop on a signal: the first SIGINT or SIGTERM calls `onFirst`
 * (to say what happens) and aborts `signal`, so running steps end and results are written; a second
 * one ends every step's process group and exits at once, even mid-write, with `signalExitCode`.
 */
export function stopOnSignals(onFirst: (signal: NodeJS.Signals) => void): SignalStop {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      killAllProcessTrees();
      process.exit(signalExitCode(signal));
    }
    first = signal;
    onFirst(signal);
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => void process.off('SIGINT', onSignal).off('SIGTERM', onSignal),
  };
}
