import { join } from 'node:path';
import type { Step } from '../config/types.js';
import { parseArrayOutput } from '../engine/array.js';
import { errorMessage } from '../errors.js';
import { NO_USAGE } from '../model/usage.js';
import { formatBytes, maxOutputBytes } from '../steps/limits.js';
import { modelRequest } from '../steps/model-request.js';
import { readChatReply, readResponsesReply, type Reply } from '../steps/reply.js';
import type { StepRequest, StepResult, StepRunner } from '../steps/runner.js';
import { cacheKey } from './key.js';
import { CorruptEntry, type ResponseCache } from './store.js';

/** What the cache tells the user while a run goes on (an entry it could not use, a write that failed). */
export type Warn = (message: string) => void;

/** A step whose reply would not be used: an array step's reply must be an array, or the flow fails and asks again. */
const unusable = (step: Step, reply: Reply): boolean => step.array && 'error' in parseArrayOutput(reply.output, step.maxItems);

/**
 * openai steps through the response cache (`--cache DIR`): a request already answered is answered
 * from the cache, at no cost, and marked `cached`; any other goes to the model, and its reply is
 * stored once it is whole. Failed calls, cut-short or refused replies (the runner throws) and an
 * array step's reply that is not an array are never stored. Codex steps are not cached: they act
 * on files, and an answer alone would not redo what they did.
 */
export class CachedRunner implements StepRunner {
  private readonly warned = new Set<string>();

  constructor(
    private readonly inner: StepRunner,
    private readonly cache: ResponseCache,
    /** The server openai steps call (`--base-url`, else OPENAI_BASE_URL): part of the key. */
    private readonly baseUrl: string | undefined,
    private readonly warn: Warn,
  ) {}

  async run(request: StepRequest): Promise<StepResult> {
    const call = modelRequest(request.step, request.model!, request.api, request.prompt);
    const key = cacheKey(call, this.baseUrl);
    const hit = this.answer(key, request);
    if (hit !== undefined) return hit;
    const result = await this.inner.run(request);
    const reply = result.response === undefined ? undefined : { output: result.output, usage: result.usage };
    if (reply !== undefined && !request.signal.aborted && !unusable(request.step, reply)) {
      try {
        // masked as response.json is: the cache travels (the Actions cache), a key must not
        this.cache.write({ key, api: call.api, response: request.files.redactor.redactValue(result.response!) });
      } catch (error) {
        this.warnOnce('write', `cannot write to the response cache (${errorMessage(error)}): replies are not kept for later runs`);
      }
    }
    return result;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }

  /** With --batch, the misses go in batches: a step waiting for one holds no slot (walk.ts). */
  get batches(): StepRunner['batches'] {
    return this.inner.batches;
  }

  /** The cached answer to the request `key`, its files written as a call's would be; undefined on a miss. */
  private answer(key: string, request: StepRequest): StepResult | undefined {
    let reply: Reply;
    let response: Readonly<Record<string, unknown>>;
    try {
      const entry = this.cache.read(key);
      if (entry === undefined) return undefined;
      if (entry.api !== request.api) throw new CorruptEntry(`its "api" is "${entry.api}", not "${request.api}"`);
      response = entry.response;
      // the same checks as a fresh reply: an entry cut short, refused or empty is not an answer
      try {
        reply = entry.api === 'chat' ? readChatReply(response) : readResponsesReply(response);
      } catch (error) {
        throw new CorruptEntry(`its reply is not usable: ${errorMessage(error)}`);
      }
      if (unusable(request.step, reply)) throw new CorruptEntry('its reply is not the JSON array an array step needs');
      const max = maxOutputBytes();
      if (Buffer.byteLength(reply.output) > max)
        throw new CorruptEntry(`its reply is larger than the ${formatBytes(max)} a step's output may be`);
    } catch (error) {
      const why = error instanceof CorruptEntry ? error.message : `it cannot be read: ${errorMessage(error)}`;
      this.warnOnce(key, `the response cache entry ${this.cache.path(key)} is not used (${why}): the model is called instead`);
      return undefined;
    }
    const { files, dir } = request;
    files.write(join(dir, 'response.json'), JSON.stringify(response, null, 2) + '\n');
    files.write(join(dir, 'output.txt'), reply.output);
    return { output: files.redactor.redact(reply.output), usage: NO_USAGE, cached: reply.usage ?? NO_USAGE, response };
  }

  private warnOnce(what: string, message: string): void {
    if (this.warned.has(what)) return;
    this.warned.add(what);
    this.warn(message);
  }
}

/** What wrapping the runners needs of a prepared run. */
export interface CacheSetup {
  readonly options: {
    readonly offline: boolean;
    readonly baseUrl: string | undefined;
    readonly env: Readonly<Record<string, string | undefined>>;
  };
}

/**
 * The runners with openai steps going through the cache. Offline steps call nothing and are not
 * cached; codex and cmd steps never are.
 */
export function withCache<R extends Record<Step['kind'], StepRunner>>(runners: R, setup: CacheSetup, cache: ResponseCache, warn: Warn): R {
  const { options } = setup;
  if (options.offline) return runners;
  const baseUrl = options.baseUrl ?? (options.env.OPENAI_BASE_URL || undefined);
  return { ...runners, openai: new CachedRunner(runners.openai, cache, baseUrl, warn) };
}
