import { StepError } from '../../errors.js';
import { sleep } from '../retry.js';
import type { BatchBoard } from './board.js';
import { readResultLine, streamLines, type ResultLine } from './lines.js';

/** A request that got no usable answer from a batch; `retryable`: the next batch may do better. */
export class BatchLineError extends StepError {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The batch ended without answering the request at all (cancelled, expired, failed): nothing was paid for it. */
    readonly unanswered = false,
  ) {
    super(message);
    this.name = 'BatchLineError';
  }
}

/** What polling a batch needs of the server (the SDK in runner.ts). */
export interface BatchServer {
  /** The batch's status, its request counts and result files; throws what the SDK throws. */
  retrieve(id: string): Promise<BatchState>;
  /** A result file's bytes as they arrive. */
  content(fileId: string): Promise<AsyncIterable<Uint8Array>>;
  /** Whether an error is worth another attempt (429, 5xx, connection errors). */
  retryable(error: unknown): boolean;
  /** An error as the step shows it. */
  describe(error: unknown): string;
}

/** A batch as the server reports it, checked: what the poller uses. */
export interface BatchState {
  readonly status: string;
  readonly done: number;
  readonly outputFileId: string | undefined;
  readonly errorFileId: string | undefined;
  /** Why a batch `failed` (its input file was refused). */
  readonly errors: string;
}

const FINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface PollTiming {
  /** First wait between two polls, growing by half each time up to `maxMs`. */
  readonly firstMs: number;
  readonly maxMs: number;
  /** Longest line read from a result file. */
  readonly maxLine: number;
}

interface Waiter {
  resolve(line: ResultLine): void;
  reject(error: Error): void;
}

/**
 * One batch at the server, polled while someone waits for one of its requests; once it is final
 * its output and error files are read and each request's line handed to whoever waits for it (a
 * resumed run may come for a line later: lines not yet taken are kept).
 */
export class TrackedBatch {
  private readonly waiters = new Map<string, Waiter>();
  private lines: Map<string, ResultLine> | undefined;
  private failure: BatchLineError | undefined;
  private polling = false;
  private status = 'in_progress';
  private done = 0;

  constructor(
    readonly id: string,
    /** The custom_ids of its requests. */
    private readonly customIds: ReadonlySet<string>,
    private readonly server: BatchServer,
    private readonly board: BatchBoard,
    private readonly timing: PollTiming,
    /** Aborted when the run ends: polling stops, the batch is left as it is. */
    private readonly stop: AbortSignal,
  ) {}

  /** Whether the batch reached a final status and its files were read (or could not be). */
  get finished(): boolean {
    return this.lines !== undefined || this.failure !== undefined;
  }

  get size(): number {
    return this.customIds.size;
  }

  /** The answer line of request `customId`, once the batch is final; rejects on `signal` or after `timeoutMs`. */
  wait(customId: string, timeoutMs: number, signal: AbortSignal): Promise<ResultLine> {
    if (this.finished) return Promise.resolve().then(() => this.take(customId));
    return new Promise((resolve, reject) => {
      const end = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(customId);
      };
      const onAbort = (): void => {
        end();
        reject(new BatchLineError('interrupted', false));
      };
      const timer = setTimeout(() => {
        end();
        const seconds = Math.round(timeoutMs / 1000);
        reject(
          new BatchLineError(
            `batch ${this.id} gave no answer within ${seconds} s (status ${this.status}, ${this.done}/${this.customIds.size} requests done); ` +
              'it is left running at the server: run again with --resume (same --output and --run-id) to collect it, or raise --timeout',
            false,
          ),
        );
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(customId, {
        resolve: (line) => (end(), resolve(line)),
        reject: (error) => (end(), reject(error)),
      });
      if (!this.polling) void this.poll();
    });
  }

  private take(customId: string): ResultLine {
    if (this.failure !== undefined) throw this.failure;
    const line = this.lines!.get(customId);
    if (line === undefined) {
      throw new BatchLineError(
        `batch ${this.id} ended ${this.status} and its output and error files hold no line for this request`,
        // an expired batch never got to it: the next one may
        this.status === 'expired',
        true,
      );
    }
    this.lines!.delete(customId);
    return line;
  }

  /** Polls until the batch is final or nobody waits any more (the run stops, or every waiter timed out). */
  private async poll(): Promise<void> {
    this.polling = true;
    let wait = this.timing.firstMs;
    try {
      while (this.waiters.size > 0 && !this.stop.aborted) {
        let state: BatchState | undefined;
        try {
          state = await this.server.retrieve(this.id);
        } catch (error) {
          if (!this.server.retryable(error))
            return this.fail(new BatchLineError(`polling batch ${this.id}: ${this.server.describe(error)}`, false));
        }
        if (state !== undefined) {
          this.status = state.status;
          this.done = state.done;
          this.board.set(this.id, this.customIds.size, state.done);
          if (FINAL.has(state.status)) return await this.collect(state);
        }
        await sleep(wait, this.stop).catch(() => undefined);
        wait = Math.min(this.timing.maxMs, wait * 1.5);
      }
    } finally {
      this.polling = false;
      this.board.remove(this.id);
    }
  }

  /** Reads the output and error files of a final batch and answers every waiter. */
  private async collect(state: BatchState): Promise<void> {
    if (state.status === 'failed') {
      return this.fail(new BatchLineError(`batch ${this.id} failed${state.errors ? `: ${state.errors}` : ''}`, false, true));
    }
    const lines = new Map<string, ResultLine>();
    try {
      for (const fileId of [state.outputFileId, state.errorFileId]) {
        if (fileId === undefined) continue;
        for await (const text of streamLines(await this.server.content(fileId), this.timing.maxLine)) {
          const line = readResultLine(text);
          // a line for a request this batch does not hold, or a second one for the same, is ignored
          if (line !== undefined && this.customIds.has(line.customId) && !lines.has(line.customId)) lines.set(line.customId, line);
        }
      }
    } catch (error) {
      return this.fail(
        new BatchLineError(
          `reading the results of batch ${this.id} (${state.status}): ${this.server.describe(error)}; --resume reads them again`,
          false,
        ),
      );
    }
    this.lines = lines;
    for (const [customId, waiter] of [...this.waiters]) {
      try {
        waiter.resolve(this.take(customId));
      } catch (error) {
        waiter.reject(error as Error);
      }
    }
  }

  private fail(error: BatchLineError): void {
    this.failure = error;
    for (const waiter of [...this.waiters.values()]) waiter.reject(error);
  }
}
