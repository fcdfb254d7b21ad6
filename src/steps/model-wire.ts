import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ReplyError } from './reply.js';

/**
 * What a model call that failed in the thread making the calls (model-thread.ts) sends back: the
 * SDK's errors lose their class on the way (structured clone keeps an Error's message, not its
 * class, its status or its cause), so each is taken apart here and made again on the other side as
 * the same class with the same fields, which is what the runner's retry decisions and messages read.
 */
export type WireError =
  | { readonly kind: 'api'; readonly status: number; readonly error: unknown; readonly headers: string[]; readonly message: string }
  | { readonly kind: 'abort' | 'timeout'; readonly message: string }
  | { readonly kind: 'connection'; readonly message: string; readonly cause: WireCause | undefined }
  | { readonly kind: 'reply'; readonly message: string; readonly retryable: boolean }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly cause: WireCause | undefined };

/** An error's cause chain, as far as messages go (what `causes()` shows), with a Node error code. */
interface WireCause {
  readonly name: string;
  readonly message: string;
  readonly code: unknown;
  readonly cause: WireCause | undefined;
}

/**
 * Messages between the runner and its thread, gathered and sent as one array at the end of the
 * current turn of the event loop: each message wakes the other thread, and the calls of 50 flows
 * in flight start and end in bursts (a batch of answers continues several flows, each of which
 * asks for its next call in the same turn).
 */
export class Outbox<T> {
  private batch: T[] = [];

  constructor(private readonly send: (batch: T[]) => void) {}

  add(message: T): void {
    if (this.batch.push(message) === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    this.send(batch);
  }
}

/** Headers as name, value, name, value... (names in lower case, as Headers iterates them). */
export function headerList(headers: Headers): string[] {
  const list: string[] = [];
  for (const [name, value] of headers) list.push(name, value);
  return list;
}

/** A reader of headers sent as a list, as Headers#get reads them (any case of the name). */
export function listedHeaders(list: readonly string[]): { get(name: string): string | null } {
  const byName = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) byName.set(list[i]!, list[i + 1]!);
  return { get: (name) => byName.get(name.toLowerCase()) ?? null };
}

export function toWire(error: unknown): WireError {
  if (error instanceof APIUserAbortError) return { kind: 'abort', message: error.message };
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout', message: error.message };
  if (error instanceof APIConnectionError) return { kind: 'connection', message: error.message, cause: causeOf(error.cause) };
  if (error instanceof APIError && typeof error.status === 'number' && error.headers !== undefined) {
    const headers = headerList(error.headers as Headers);
    return { kind: 'api', status: error.status, error: error.error, headers, message: error.message };
  }
  if (error instanceof ReplyError) return { kind: 'reply', message: error.message, retryable: error.retryable };
  if (error instanceof Error) return { kind: 'other', name: error.name, message: error.message, cause: causeOf(error.cause) };
  return { kind: 'other', name: 'Error', message: String(error), cause: undefined };
}

export function fromWire(wire: WireError): Error {
  switch (wire.kind) {
    case 'abort':
      return new APIUserAbortError({ message: wire.message });
    case 'timeout':
      return new APIConnectionTimeoutError({ message: wire.message });
    case 'connection':
      return new APIConnectionError({ message: wire.message, cause: errorOf(wire.cause) });
    case 'api': {
      // the class by status (RateLimitError for 429...), its fields from the body; the message as the SDK made it
      const made = APIError.generate(wire.status, { error: wire.error }, undefined, new Headers(pairs(wire.headers)));
      made.message = wire.message;
      return made;
    }
    case 'reply':
      return new ReplyError(wire.message, wire.retryable);
    case 'other': {
      const made = wire.name === 'TypeError' ? new TypeError(wire.message) : new Error(wire.message);
      if (wire.name !== made.name) made.name = wire.name;
      if (wire.cause !== undefined) made.cause = errorOf(wire.cause);
      return made;
    }
  }
}

function causeOf(cause: unknown, depth = 0): WireCause | undefined {
  if (!(cause instanceof Error) || depth >= 5) return undefined;
  return { name: cause.name, message: cause.message, code: (cause as { code?: unknown }).code, cause: causeOf(cause.cause, depth + 1) };
}

function errorOf(wire: WireCause | undefined): Error | undefined {
  if (wire === undefined) return undefined;
  const made = new Error(wire.message, { cause: errorOf(wire.cause) });
  made.name = wire.name;
  if (wire.code !== undefined) Object.assign(made, { code: wire.code });
  return made;
}

function pairs(list: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push([list[i]!, list[i + 1]!]);
  return out;
}
