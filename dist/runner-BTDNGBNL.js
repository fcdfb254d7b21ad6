import { createRequire as __orchestratorRequire } from 'node:module';
const require = __orchestratorRequire(import.meta.url);
import {
  APIError,
  OpenAI,
  acceptReply,
  causes,
  isRetryable,
  toFile
} from "./chunk-OHUCS44P.js";
import "./chunk-ANBMBDJK.js";
import {
  BATCH_ID,
  endpointOf,
  readBatchRecords,
  requestHash,
  writeBatchRecord
} from "./chunk-ZAPD2Q3Y.js";
import {
  ReplyError,
  backoffMs,
  isObject,
  maxOutputBytes,
  modelRequest,
  retryAfterMs,
  sleep
} from "./chunk-ZNNWXPSJ.js";
import "./chunk-5BV6RGVG.js";
import {
  CancelledError,
  StepError,
  errorMessage
} from "./chunk-WJ4T7FWF.js";
import "./chunk-2UVPHNR5.js";
import "./chunk-BNGJJZ4L.js";

// src/steps/batch/runner.ts
import { relative } from "node:path";

// src/steps/batch/gather.ts
var BATCH_MAX_REQUESTS = 5e4;
var BATCH_MAX_BYTES = 199e6;
var Gatherer = class {
  constructor(options, send, now = Date.now) {
    this.options = options;
    this.send = send;
    this.now = now;
  }
  options;
  send;
  now;
  groups = /* @__PURE__ */ new Map();
  /** Requests gathered and not sent yet. */
  get pending() {
    let n = 0;
    for (const group of this.groups.values()) n += group.items.length;
    return n;
  }
  add(key, item) {
    const { options } = this;
    let group = this.groups.get(key);
    if (group !== void 0 && (group.items.length + 1 > options.maxRequests || group.bytes + item.bytes > options.maxBytes)) {
      this.flush(key);
      group = void 0;
    }
    if (group === void 0) {
      group = { items: [], bytes: 0, first: this.now(), timer: void 0 };
      this.groups.set(key, group);
    }
    group.items.push(item);
    group.bytes += item.bytes;
    clearTimeout(group.timer);
    const wait = Math.min(options.quietMs, group.first + options.maxWaitMs - this.now());
    if (wait <= 0 || group.items.length >= options.maxRequests) {
      this.flush(key);
      return;
    }
    group.timer = setTimeout(() => this.flush(key), wait);
  }
  /** Drops what was not sent (the run stops); returns it. */
  clear() {
    const dropped = [];
    for (const group of this.groups.values()) {
      clearTimeout(group.timer);
      dropped.push(...group.items);
    }
    this.groups.clear();
    return dropped;
  }
  flush(key) {
    const group = this.groups.get(key);
    if (group === void 0) return;
    clearTimeout(group.timer);
    this.groups.delete(key);
    this.send(key, group.items);
  }
};

// src/steps/batch/lines.ts
var text = (value, max = 500) => typeof value === "string" ? value.slice(0, max) : "";
function readResultLine(line) {
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    return void 0;
  }
  if (!isObject(parsed) || typeof parsed.custom_id !== "string") return void 0;
  const customId = parsed.custom_id;
  const { response, error } = parsed;
  if (isObject(response) && Number.isSafeInteger(response.status_code) && isObject(response.body)) {
    return { customId, status: response.status_code, body: response.body };
  }
  if (isObject(error)) return { customId, error: { code: text(error.code, 100) || "unknown", message: text(error.message) } };
  return void 0;
}
var TRANSIENT_LINE_CODES = /* @__PURE__ */ new Set(["batch_expired", "server_error", "rate_limit_exceeded", "internal_error"]);
var UNANSWERED_CODES = /* @__PURE__ */ new Set(["batch_expired", "batch_cancelled"]);
function lineAnswer(line) {
  if ("error" in line) {
    const retryable = TRANSIENT_LINE_CODES.has(line.error.code);
    const message = `error ${line.error.code}${line.error.message ? `: ${line.error.message}` : ""}`;
    return UNANSWERED_CODES.has(line.error.code) ? { message, retryable, unanswered: true } : { message, retryable };
  }
  if (line.status === 200) return { body: line.body };
  const error = isObject(line.body.error) ? line.body.error : {};
  const detail = text(error.message);
  return {
    message: `HTTP ${line.status}${detail ? `: ${detail}` : ""}`,
    // the usual rules of a direct call: 429 and 5xx are worth another attempt
    retryable: line.status === 429 || line.status >= 500
  };
}
async function* streamLines(body, maxLine) {
  const decoder = new TextDecoder();
  let pending = "";
  let dropping = false;
  for await (const chunk of body) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
      const line = pending.slice(start, end);
      start = end + 1;
      if (!dropping && line.trim() !== "") yield line;
      dropping = false;
    }
    pending = pending.slice(start);
    if (pending.length > maxLine) {
      pending = "";
      dropping = true;
    }
  }
  pending += decoder.decode();
  if (!dropping && pending.trim() !== "") yield pending;
}

// src/steps/batch/tracked.ts
var BatchLineError = class extends StepError {
  constructor(message, retryable, unanswered = false) {
    super(message);
    this.retryable = retryable;
    this.unanswered = unanswered;
    this.name = "BatchLineError";
  }
  retryable;
  unanswered;
};
var FINAL = /* @__PURE__ */ new Set(["completed", "failed", "expired", "cancelled"]);
var TrackedBatch = class {
  constructor(id, customIds, server, board, timing, stop) {
    this.id = id;
    this.customIds = customIds;
    this.server = server;
    this.board = board;
    this.timing = timing;
    this.stop = stop;
  }
  id;
  customIds;
  server;
  board;
  timing;
  stop;
  waiters = /* @__PURE__ */ new Map();
  lines;
  failure;
  polling = false;
  status = "in_progress";
  done = 0;
  /** Whether the batch reached a final status and its files were read (or could not be). */
  get finished() {
    return this.lines !== void 0 || this.failure !== void 0;
  }
  get size() {
    return this.customIds.size;
  }
  /** The answer line of request `customId`, once the batch is final; rejects on `signal` or after `timeoutMs`. */
  wait(customId, timeoutMs, signal) {
    if (this.finished) return Promise.resolve().then(() => this.take(customId));
    return new Promise((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.waiters.delete(customId);
      };
      const onAbort = () => {
        end();
        reject(new BatchLineError("interrupted", false));
      };
      const timer = setTimeout(() => {
        end();
        const seconds = Math.round(timeoutMs / 1e3);
        reject(
          new BatchLineError(
            `batch ${this.id} gave no answer within ${seconds} s (status ${this.status}, ${this.done}/${this.customIds.size} requests done); it is left running at the server: run again with --resume (same --output and --run-id) to collect it, or raise --timeout`,
            false
          )
        );
      }, timeoutMs);
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.set(customId, {
        resolve: (line) => (end(), resolve(line)),
        reject: (error) => (end(), reject(error))
      });
      if (!this.polling) void this.poll();
    });
  }
  take(customId) {
    if (this.failure !== void 0) throw this.failure;
    const line = this.lines.get(customId);
    if (line === void 0) {
      throw new BatchLineError(
        `batch ${this.id} ended ${this.status} and its output and error files hold no line for this request`,
        // an expired batch never got to it: the next one may
        this.status === "expired",
        true
      );
    }
    this.lines.delete(customId);
    return line;
  }
  /** Polls until the batch is final or nobody waits any more (the run stops, or every waiter timed out). */
  async poll() {
    this.polling = true;
    let wait = this.timing.firstMs;
    try {
      while (this.waiters.size > 0 && !this.stop.aborted) {
        let state;
        try {
          state = await this.server.retrieve(this.id);
        } catch (error) {
          if (!this.server.retryable(error))
            return this.fail(new BatchLineError(`polling batch ${this.id}: ${this.server.describe(error)}`, false));
        }
        if (state !== void 0) {
          this.status = state.status;
          this.done = state.done;
          this.board.set(this.id, this.customIds.size, state.done);
          if (FINAL.has(state.status)) return await this.collect(state);
        }
        await sleep(wait, this.stop).catch(() => void 0);
        wait = Math.min(this.timing.maxMs, wait * 1.5);
      }
    } finally {
      this.polling = false;
      this.board.remove(this.id);
    }
  }
  /** Reads the output and error files of a final batch and answers every waiter. */
  async collect(state) {
    if (state.status === "failed") {
      return this.fail(new BatchLineError(`batch ${this.id} failed${state.errors ? `: ${state.errors}` : ""}`, false, true));
    }
    const lines = /* @__PURE__ */ new Map();
    try {
      for (const fileId of [state.outputFileId, state.errorFileId]) {
        if (fileId === void 0) continue;
        for await (const text2 of streamLines(await this.server.content(fileId), this.timing.maxLine)) {
          const line = readResultLine(text2);
          if (line !== void 0 && this.customIds.has(line.customId) && !lines.has(line.customId)) lines.set(line.customId, line);
        }
      }
    } catch (error) {
      return this.fail(
        new BatchLineError(
          `reading the results of batch ${this.id} (${state.status}): ${this.server.describe(error)}; --resume reads them again`,
          false
        )
      );
    }
    this.lines = lines;
    for (const [customId, waiter] of [...this.waiters]) {
      try {
        waiter.resolve(this.take(customId));
      } catch (error) {
        waiter.reject(error);
      }
    }
  }
  fail(error) {
    this.failure = error;
    for (const waiter of [...this.waiters.values()]) waiter.reject(error);
  }
};

// src/steps/batch/runner.ts
var FILE_ID = BATCH_ID;
var BatchRunner = class {
  constructor(options) {
    this.options = options;
    this.batches = options.board;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 0 });
    this.gatherer = new Gatherer({ ...options.gather, maxRequests: BATCH_MAX_REQUESTS, maxBytes: BATCH_MAX_BYTES }, (_, items) => {
      const sent = this.send(items).finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    });
    this.server = this.batchServer();
    if (options.resume) {
      const { records, problems } = readBatchRecords(options.runDir);
      for (const problem of problems) options.notice(`orchestrator: warning: ${problem}`);
      for (const record of records) {
        for (const request of record.requests) this.saved.set(`${request.dir}
${request.hash}`, { record, customId: request.custom_id });
      }
    }
  }
  options;
  batches;
  client;
  gatherer;
  server;
  tracked = /* @__PURE__ */ new Map();
  /** With --resume: requests of earlier batches by step directory and body hash. */
  saved = /* @__PURE__ */ new Map();
  sending = /* @__PURE__ */ new Set();
  stop = new AbortController();
  async run(request) {
    const call = modelRequest(request.step, request.model, request.api, request.prompt);
    const dir = relative(this.options.runDir, request.dir).split("\\").join("/");
    const hash = requestHash(call);
    const timeoutMs = (request.step.timeout ?? this.options.timeoutS) * 1e3;
    const { retries } = this.options.retry;
    for (let attempt = 0; ; attempt++) {
      const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : "";
      let batch;
      try {
        const answer = await this.answer(request, call, dir, hash, timeoutMs, attempt === 0);
        batch = answer.batch;
        const outcome = lineAnswer(answer.line);
        if ("body" in outcome) return { ...acceptReply(request, outcome.body), batch: true, batchId: batch };
        throw new BatchLineError(`the model call in batch ${batch} failed: ${outcome.message}`, outcome.retryable);
      } catch (error) {
        if (request.signal.aborted) throw new CancelledError("interrupted");
        const retryable = (error instanceof BatchLineError || error instanceof ReplyError) && error.retryable;
        if (retryable && attempt < retries) continue;
        if (error instanceof ReplyError) {
          throw new StepError(`${error.message}${batch ? ` (batch ${batch})` : ""}${tries}`, { cause: error, usage: error.usage });
        }
        throw new StepError(`${errorMessage(error)}${tries}`, { cause: error });
      }
    }
  }
  /** The request's answer line: from the batch an earlier attempt sent it in (--resume), else from a new one. */
  answer(request, call, dir, hash, timeoutMs, first) {
    const saved = first ? this.saved.get(`${dir}
${hash}`) : void 0;
    if (saved !== void 0) {
      this.saved.delete(`${dir}
${hash}`);
      const tracked = this.track(
        saved.record.id,
        saved.record.requests.map((r) => r.custom_id)
      );
      const again = () => this.answer(request, call, dir, hash, timeoutMs, false);
      return tracked.wait(saved.customId, timeoutMs, request.signal).then(
        (line) => {
          const outcome = lineAnswer(line);
          return "unanswered" in outcome && outcome.unanswered && !request.signal.aborted ? again() : { batch: saved.record.id, line };
        },
        (error) => {
          if (error instanceof BatchLineError && error.unanswered && !request.signal.aborted) return again();
          throw error;
        }
      );
    }
    const body = JSON.stringify(call.body);
    if (Buffer.byteLength(body) + 200 > BATCH_MAX_BYTES) {
      return Promise.reject(new BatchLineError("the request is larger than a batch file may be (200 MB): run without --batch", false));
    }
    return new Promise((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) return reject(new BatchLineError("interrupted", false));
      const onAbort = () => reject(new BatchLineError("interrupted", false));
      signal.addEventListener("abort", onAbort, { once: true });
      const done = () => signal.removeEventListener("abort", onAbort);
      this.gatherer.add(`${call.api} ${call.body.model}`, {
        call,
        dir,
        hash,
        bytes: Buffer.byteLength(body) + 200,
        timeoutMs,
        signal,
        files: request.files,
        resolve: (answer) => (done(), resolve(answer)),
        reject: (error) => (done(), reject(error))
      });
    });
  }
  track(id, customIds) {
    let tracked = this.tracked.get(id);
    if (tracked === void 0) {
      const timing = { ...this.options.poll, maxLine: maxOutputBytes() + 1024 * 1024 };
      tracked = new TrackedBatch(id, new Set(customIds), this.server, this.options.board, timing, this.stop.signal);
      this.tracked.set(id, tracked);
    }
    return tracked;
  }
  /** Sends gathered requests as one batch, saves its record, and hands each request its line when the batch is done. */
  async send(items) {
    if (items[0].signal.aborted || this.stop.signal.aborted) return;
    const { api, body } = items[0].call;
    const endpoint = endpointOf(api);
    const requests = items.map((item, i) => ({ custom_id: `r${i + 1}`, dir: item.dir, hash: item.hash }));
    const jsonl = items.map((item, i) => JSON.stringify({ custom_id: `r${i + 1}`, method: "POST", url: endpoint, body: item.call.body }));
    let record;
    try {
      const file = await this.retrying(
        async () => this.client.files.create({
          file: await toFile(Buffer.from(jsonl.join("\n") + "\n"), `${this.options.runId}.jsonl`, { type: "application/jsonl" }),
          purpose: "batch"
        })
      );
      const batch = await this.retrying(
        () => this.client.batches.create({
          input_file_id: file.id,
          endpoint,
          completion_window: "24h",
          metadata: { orchestrator_run: this.options.runId }
        })
      );
      record = {
        schema: 1,
        id: batch.id,
        endpoint,
        model: body.model ?? "",
        input_file_id: file.id,
        created_at: (/* @__PURE__ */ new Date()).toISOString(),
        requests
      };
      if (!BATCH_ID.test(batch.id))
        throw new Error(`the server named the batch ${JSON.stringify(String(batch.id).slice(0, 100))}, which is not a batch id`);
    } catch (error) {
      const failure = new BatchLineError(`sending a batch of ${items.length} requests: ${this.describe(error)}`, false);
      for (const item of items) item.reject(failure);
      return;
    }
    try {
      writeBatchRecord(items[0].files, this.options.runDir, record);
    } catch (error) {
      this.options.notice(
        `orchestrator: warning: batch ${record.id} could not be saved in the run directory (${errorMessage(error)}): --resume will not find it`
      );
    }
    const tracked = this.track(
      record.id,
      record.requests.map((r) => r.custom_id)
    );
    this.options.board.set(record.id, items.length, 0);
    for (const [i, item] of items.entries()) {
      tracked.wait(`r${i + 1}`, item.timeoutMs, item.signal).then(
        (line) => item.resolve({ batch: record.id, line }),
        (error) => item.reject(error)
      );
    }
  }
  /** A call of the Batch API with the usual retries (429, 5xx, connection errors), ended when the run ends. */
  async retrying(call) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.options.retry.retries || this.stop.signal.aborted) throw error;
        const asked = error instanceof APIError ? retryAfterMs(error.headers) : void 0;
        await sleep(backoffMs(attempt + 1, this.options.retry, asked), this.stop.signal);
      }
    }
  }
  describe(error) {
    if (error instanceof APIError && error.status !== void 0)
      return `HTTP ${String(error.status)} from ${this.client.baseURL}: ${error.message}`;
    const cause = causes(error);
    return `${cause || errorMessage(error)} (${this.client.baseURL})`;
  }
  batchServer() {
    const client = this.client;
    return {
      retrieve: async (id) => batchState(await client.batches.retrieve(id, { timeout: 6e4, maxRetries: 0 })),
      content: async (fileId) => {
        const response = await client.files.content(fileId, { timeout: 6e5, maxRetries: 0 });
        return response.body ?? new ReadableStream();
      },
      retryable: isRetryable,
      describe: (error) => this.describe(error)
    };
  }
  /** Ends the run's batching: says which batches are left running at the server, or cancels them (--batch-cancel-on-exit). */
  async close() {
    await Promise.allSettled([...this.sending]);
    for (const item of this.gatherer.clear()) item.reject(new BatchLineError("interrupted", false));
    this.stop.abort();
    const left = [...this.tracked.values()].filter((t) => !t.finished);
    for (const t of left) this.options.board.remove(t.id);
    if (left.length === 0) return;
    const ids = left.map((t) => t.id).join(", ");
    const requests = left.reduce((n, t) => n + t.size, 0);
    if (this.options.cancelOnExit) {
      const failed = [];
      for (const t of left) await this.client.batches.cancel(t.id, { timeout: 3e4, maxRetries: 2 }).catch(() => failed.push(t.id));
      this.options.notice(
        `orchestrator: cancelled ${left.length - failed.length} unfinished batch(es) (--batch-cancel-on-exit): ${ids}` + (failed.length > 0 ? `; could not cancel ${failed.join(", ")}` : "")
      );
      return;
    }
    this.options.notice(
      `orchestrator: ${left.length} batch(es) left running at the server with ${requests} requests: ${ids}. They are paid for as they finish: run again with --batch --resume (same --output and --run-id) to collect their answers, or pass --batch-cancel-on-exit to cancel unfinished batches when a run stops.`
    );
  }
};
function batchState(batch) {
  const counts = batch.request_counts;
  const fileId = (id) => typeof id === "string" && FILE_ID.test(id) ? id : void 0;
  const errors = (batch.errors?.data ?? []).slice(0, 5).map((e) => [e.line != null ? `line ${e.line}` : "", e.code, e.message].filter(Boolean).join(" ")).join("; ");
  return {
    status: typeof batch.status === "string" ? batch.status : "unknown",
    done: Number(counts?.completed ?? 0) + Number(counts?.failed ?? 0) || 0,
    outputFileId: fileId(batch.output_file_id),
    errorFileId: fileId(batch.error_file_id),
    errors: errors.slice(0, 1e3)
  };
}
export {
  BatchRunner
};
