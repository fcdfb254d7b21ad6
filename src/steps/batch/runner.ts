import { relative } from 'node:path';
import OpenAI, { APIError, toFile } from 'openai';
import { CancelledError, StepError, errorMessage } from '../../errors.js';
import type { TreeWriter } from '../../util/files.js';
import { maxOutputBytes } from '../limits.js';
import { acceptReply } from '../accept-reply.js';
import { modelRequest, type ModelRequest } from '../model-request.js';
import { causes, isRetryable } from '../openai.js';
import { ReplyError } from '../reply.js';
import { backoffMs, retryAfterMs, sleep, type RetryPolicy } from '../retry.js';
import type { StepRequest, StepResult, StepRunner } from '../runner.js';
import type { BatchBoard } from './board.js';
import { BATCH_MAX_BYTES, BATCH_MAX_REQUESTS, Gatherer } from './gather.js';
import { lineAnswer, type ResultLine } from './lines.js';
import { BATCH_ID, endpointOf, readBatchRecords, requestHash, writeBatchRecord, type BatchRecord } from './record.js';
import { BatchLineError, TrackedBatch, type BatchServer, type BatchState, type PollTiming } from './tracked.js';

export interface BatchRunnerOptions {
  readonly apiKey: string;
  readonly baseUrl: string | undefined;
  readonly retry: RetryPolicy;
  readonly runId: string;
  readonly runDir: string;
  /** `--resume`: requests already sent in a batch of an earlier attempt wait for that batch. */
  readonly resume: boolean;
  /** Longest wait for one batch, in seconds, when the step sets no `timeout`. */
  readonly timeoutS: number;
  readonly cancelOnExit: boolean;
  readonly board: BatchBoard;
  /** Tells the user something about the run's batches (a warning, batches left running). */
  readonly notice: (text: string) => void;
  readonly gather: { readonly quietMs: number; readonly maxWaitMs: number };
  readonly poll: Omit<PollTiming, 'maxLine'>;
}

/** A request waiting to be sent in the next batch of its model and endpoint. */
interface Pending {
  readonly call: ModelRequest;
  readonly dir: string;
  readonly hash: string;
  readonly bytes: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly files: TreeWriter;
  resolve(answer: { batch: string; line: ResultLine }): void;
  reject(error: Error): void;
}

const FILE_ID = BATCH_ID;

/**
 * openai steps through the Batch API at half price: requests ready together are gathered per
 * model and endpoint, sent as one JSONL file and one batch, saved in the run directory at once
 * (batches/<id>.json), and polled; each step moves on when its batch is done.
 */
export class BatchRunner implements StepRunner {
  readonly batches: BatchBoard;
  private readonly client: OpenAI;
  private readonly gatherer: Gatherer<Pending>;
  private readonly server: BatchServer;
  private readonly tracked = new Map<string, TrackedBatch>();
  /** With --resume: requests of earlier batches by step directory and body hash. */
  private readonly saved = new Map<string, { record: BatchRecord; customId: string }>();
  private readonly sending = new Set<Promise<void>>();
  private readonly stop = new AbortController();

  constructor(private readonly options: BatchRunnerOptions) {
    this.batches = options.board;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0 });
    this.gatherer = new Gatherer<Pending>({ ...options.gather, maxRequests: BATCH_MAX_REQUESTS, maxBytes: BATCH_MAX_BYTES }, (_, items) => {
      const sent: Promise<void> = this.send(items).finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    });
    this.server = this.batchServer();
    if (options.resume) {
      const { records, problems } = readBatchRecords(options.runDir);
      for (const problem of problems) options.notice(`orchestrator: warning: ${problem}`);
      for (const record of records) {
        for (const request of record.requests) this.saved.set(`${request.dir}\n${request.hash}`, { record, customId: request.custom_id });
      }
    }
  }

  async run(request: StepRequest): Promise<StepResult> {
    const call = modelRequest(request.step, request.model!, request.api, request.prompt);
    const dir = relative(this.options.runDir, request.dir).split('\\').join('/');
    const hash = requestHash(call);
    const timeoutMs = (request.step.timeout ?? this.options.timeoutS) * 1000;
    const { retries } = this.options.retry;
    for (let attempt = 0; ; attempt++) {
      const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
      let batch: string | undefined;
      try {
        const answer = await this.answer(request, call, dir, hash, timeoutMs, attempt === 0);
        batch = answer.batch;
        const outcome = lineAnswer(answer.line);
        if ('body' in outcome) return { ...acceptReply(request, outcome.body), batch: true, batchId: batch };
        throw new BatchLineError(`the model call in batch ${batch} failed: ${outcome.message}`, outcome.retryable);
      } catch (error) {
        if (request.signal.aborted) throw new CancelledError('interrupted');
        const retryable = (error instanceof BatchLineError || error instanceof ReplyError) && error.retryable;
        // failed lines follow the usual rules: retried, in the next batch, while --retries allows
        if (retryable && attempt < retries) continue;
        if (error instanceof ReplyError) {
          throw new StepError(`${error.message}${batch ? ` (batch ${batch})` : ''}${tries}`, { cause: error, usage: error.usage });
        }
        throw new StepError(`${errorMessage(error)}${tries}`, { cause: error });
      }
    }
  }

  /** The request's answer line: from the batch an earlier attempt sent it in (--resume), else from a new one. */
  private answer(
    request: StepRequest,
    call: ModelRequest,
    dir: string,
    hash: string,
    timeoutMs: number,
    first: boolean,
  ): Promise<{ batch: string; line: ResultLine }> {
    const saved = first ? this.saved.get(`${dir}\n${hash}`) : undefined;
    if (saved !== undefined) {
      this.saved.delete(`${dir}\n${hash}`);
      const tracked = this.track(
        saved.record.id,
        saved.record.requests.map((r) => r.custom_id),
      );
      // the earlier batch never ran it (cancelled on exit, expired, refused): it is sent anew, as a
      // first attempt, since nothing was paid for it
      const again = (): Promise<{ batch: string; line: ResultLine }> => this.answer(request, call, dir, hash, timeoutMs, false);
      return tracked.wait(saved.customId, timeoutMs, request.signal).then(
        (line) => {
          const outcome = lineAnswer(line);
          return 'unanswered' in outcome && outcome.unanswered && !request.signal.aborted ? again() : { batch: saved.record.id, line };
        },
        (error: unknown) => {
          if (error instanceof BatchLineError && error.unanswered && !request.signal.aborted) return again();
          throw error;
        },
      );
    }
    const body = JSON.stringify(call.body);
    if (Buffer.byteLength(body) + 200 > BATCH_MAX_BYTES) {
      return Promise.reject(new BatchLineError('the request is larger than a batch file may be (200 MB): run without --batch', false));
    }
    return new Promise((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) return reject(new BatchLineError('interrupted', false));
      const onAbort = (): void => reject(new BatchLineError('interrupted', false));
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal.removeEventListener('abort', onAbort);
      this.gatherer.add(`${call.api} ${call.body.model}`, {
        call,
        dir,
        hash,
        bytes: Buffer.byteLength(body) + 200,
        timeoutMs,
        signal,
        files: request.files,
        resolve: (answer) => (done(), resolve(answer)),
        reject: (error) => (done(), reject(error)),
      });
    });
  }

  private track(id: string, customIds: readonly string[]): TrackedBatch {
    let tracked = this.tracked.get(id);
    if (tracked === undefined) {
      const timing = { ...this.options.poll, maxLine: maxOutputBytes() + 1024 * 1024 };
      tracked = new TrackedBatch(id, new Set(customIds), this.server, this.options.board, timing, this.stop.signal);
      this.tracked.set(id, tracked);
    }
    return tracked;
  }

  /** Sends gathered requests as one batch, saves its record, and hands each request its line when the batch is done. */
  private async send(items: Pending[]): Promise<void> {
    // the run stopped while they were gathered: nothing is sent
    if (items[0]!.signal.aborted || this.stop.signal.aborted) return;
    const { api, body } = items[0]!.call;
    const endpoint = endpointOf(api);
    const requests = items.map((item, i) => ({ custom_id: `r${i + 1}`, dir: item.dir, hash: item.hash }));
    const jsonl = items.map((item, i) => JSON.stringify({ custom_id: `r${i + 1}`, method: 'POST', url: endpoint, body: item.call.body }));
    let record: BatchRecord;
    try {
      const file = await this.retrying(async () =>
        this.client.files.create({
          file: await toFile(Buffer.from(jsonl.join('\n') + '\n'), `${this.options.runId}.jsonl`, { type: 'application/jsonl' }),
          purpose: 'batch',
        }),
      );
      const batch = await this.retrying(() =>
        this.client.batches.create({
          input_file_id: file.id,
          endpoint,
          completion_window: '24h',
          metadata: { orchestrator_run: this.options.runId },
        }),
      );
      record = {
        schema: 1,
        id: batch.id,
        endpoint,
        model: body.model ?? '',
        input_file_id: file.id,
        created_at: new Date().toISOString(),
        requests,
      };
      if (!BATCH_ID.test(batch.id))
        throw new Error(`the server named the batch ${JSON.stringify(String(batch.id).slice(0, 100))}, which is not a batch id`);
    } catch (error) {
      const failure = new BatchLineError(`sending a batch of ${items.length} requests: ${this.describe(error)}`, false);
      for (const item of items) item.reject(failure);
      return;
    }
    try {
      // before any polling: a run stopped from here on finds this batch again with --resume
      writeBatchRecord(items[0]!.files, this.options.runDir, record);
    } catch (error) {
      this.options.notice(
        `orchestrator: warning: batch ${record.id} could not be saved in the run directory (${errorMessage(error)}): --resume will not find it`,
      );
    }
    const tracked = this.track(
      record.id,
      record.requests.map((r) => r.custom_id),
    );
    this.options.board.set(record.id, items.length, 0);
    for (const [i, item] of items.entries()) {
      tracked.wait(`r${i + 1}`, item.timeoutMs, item.signal).then(
        (line) => item.resolve({ batch: record.id, line }),
        (error: Error) => item.reject(error),
      );
    }
  }

  /** A call of the Batch API with the usual retries (429, 5xx, connection errors), ended when the run ends. */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.options.retry.retries || this.stop.signal.aborted) throw error;
        const asked = error instanceof APIError ? retryAfterMs(error.headers as Headers | undefined) : undefined;
        await sleep(backoffMs(attempt + 1, this.options.retry, asked), this.stop.signal);
      }
    }
  }

  private describe(error: unknown): string {
    if (error instanceof APIError && error.status !== undefined)
      return `HTTP ${String(error.status)} from ${this.client.baseURL}: ${error.message}`;
    const cause = causes(error);
    return `${cause || errorMessage(error)} (${this.client.baseURL})`;
  }

  private batchServer(): BatchServer {
    const client = this.client;
    return {
      retrieve: async (id) => batchState(await client.batches.retrieve(id, { timeout: 60_000, maxRetries: 0 })),
      content: async (fileId) => {
        const response = await client.files.content(fileId, { timeout: 600_000, maxRetries: 0 });
        // a ReadableStream is async-iterable in Node
        return response.body ?? new ReadableStream<Uint8Array>();
      },
      retryable: isRetryable,
      describe: (error) => this.describe(error),
    };
  }

  /** Ends the run's batching: says which batches are left running at the server, or cancels them (--batch-cancel-on-exit). */
  async close(): Promise<void> {
    // a batch being sent when the run stopped is saved before it is named
    await Promise.allSettled([...this.sending]);
    for (const item of this.gatherer.clear()) item.reject(new BatchLineError('interrupted', false));
    this.stop.abort();
    const left = [...this.tracked.values()].filter((t) => !t.finished);
    for (const t of left) this.options.board.remove(t.id);
    if (left.length === 0) return;
    const ids = left.map((t) => t.id).join(', ');
    const requests = left.reduce((n, t) => n + t.size, 0);
    if (this.options.cancelOnExit) {
      const failed: string[] = [];
      for (const t of left) await this.client.batches.cancel(t.id, { timeout: 30_000, maxRetries: 2 }).catch(() => failed.push(t.id));
      this.options.notice(
        `orchestrator: cancelled ${left.length - failed.length} unfinished batch(es) (--batch-cancel-on-exit): ${ids}` +
          (failed.length > 0 ? `; could not cancel ${failed.join(', ')}` : ''),
      );
      return;
    }
    this.options.notice(
      `orchestrator: ${left.length} batch(es) left running at the server with ${requests} requests: ${ids}. ` +
        'They are paid for as they finish: run again with --batch --resume (same --output and --run-id) to collect their answers, ' +
        'or pass --batch-cancel-on-exit to cancel unfinished batches when a run stops.',
    );
  }
}

/** The fields of a batch the poller uses, checked: file ids go into URLs. */
function batchState(batch: OpenAI.Batches.Batch): BatchState {
  const counts = batch.request_counts;
  const fileId = (id: unknown): string | undefined => (typeof id === 'string' && FILE_ID.test(id) ? id : undefined);
  const errors = (batch.errors?.data ?? [])
    .slice(0, 5)
    .map((e) => [e.line != null ? `line ${e.line}` : '', e.code, e.message].filter(Boolean).join(' '))
    .join('; ');
  return {
    status: typeof batch.status === 'string' ? batch.status : 'unknown',
    done: Number(counts?.completed ?? 0) + Number(counts?.failed ?? 0) || 0,
    outputFileId: fileId(batch.output_file_id),
    errorFileId: fileId(batch.error_file_id),
    errors: errors.slice(0, 1000),
  };
}
