import type { Usage } from './model/usage.js';

/**
 * Errors the user can fix: bad usage, a bad config, missing files. They carry every problem found,
 * so one run of the CLI lists them all, and they map to exit code 2 (nothing ran).
 */
export class UsageError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[], options?: { cause?: unknown }) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'), options);
    this.name = 'UsageError';
    this.problems = list;
  }
}

/** A step failed; the message is what the user sees in results.json and the summary. */
export class StepError extends Error {
  /** Tokens the failed attempt still cost (a model reply cut short is paid for): counted like a success's. */
  readonly usage: Usage | null;

  constructor(message: string, options?: { cause?: unknown; usage?: { input_tokens: number; output_tokens: number } | null }) {
    super(message, options);
    this.name = 'StepError';
    this.usage = options?.usage ?? null;
  }
}

/** The run's own files (results.json, run.json) could not be written: the results are incomplete. */
export class OutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutputError';
  }
}

/** A step was stopped before it finished, by an interrupt or the token budget. */
export class CancelledError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CancelledError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
