/**
 * A loopback fake of the OpenAI HTTP API for tests.
 *
 * Serves `POST /v1/responses` (plain JSON, or SSE when `body.stream === true`, which is what the
 * Codex CLI uses) and `POST /v1/chat/completions` (plain JSON, or SSE chunks when streaming).
 * The Batch API's files and batches are served by fake-batches.ts, each line answered by the same
 * handler. Every other path gets a 404 in OpenAI's error shape. Each request is recorded and
 * answered by a replaceable handler.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import { BatchService, type FakeBatches } from './fake-batches.js';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  /**
   * the text prompt: for /v1/responses the last user message text (for codex requests: the last
   * user input item's text, skipping items starting with <environment_context> or
   * <user_instructions>); for chat the last user message content
   */
  prompt: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** text of the assistant message */
  text?: string;
  /** raw JSON body to send instead of a generated one */
  json?: unknown;
  /** a raw body (any text, e.g. an HTML error page) sent as it is, with `contentType` (default application/json) */
  rawBody?: string;
  contentType?: string;
  /**
   * a reply cut short (non-streaming replies): Responses `status: "incomplete"` with
   * `incomplete_details.reason`; Chat Completions `finish_reason` "length" (for max_output_tokens)
   * or "content_filter". The text sent is `text`, as far as the model got.
   */
  incomplete?: 'max_output_tokens' | 'content_filter';
  /** Responses: `status: "failed"` with this `error` and no output */
  failed?: { code: string; message: string };
  /** no text at all: Responses `output: []`, Chat Completions `content: null` */
  nullOutput?: boolean;
  /** the model refuses: a `refusal` content part (Responses) or `message.refusal` (chat), no text */
  refusal?: string;
  /** `cached_input_tokens` (part of `input_tokens`): Responses `input_tokens_details.cached_tokens`, chat `prompt_tokens_details.cached_tokens` */
  usage?: { input_tokens: number; output_tokens: number; cached_input_tokens?: number };
  delayMs?: number;
  /** never answer (the connection stays open until the server closes) */
  hang?: boolean;
  /** destroy the socket without answering */
  reset?: boolean;
  /** for streaming (codex) replies: send part of the stream then destroy the socket */
  cutStream?: boolean;
  /**
   * for streaming replies: instead of a message, ask codex to run this shell command through its
   * exec_command tool; the follow-up request carrying the function_call_output is answered by
   * calling the handler again (req.body will contain the function_call_output item)
   */
  toolCommand?: string;
}

export type Handler = (req: RecordedRequest, n: number /* 1-based request count */) => Reply | Promise<Reply>;

export interface FakeOpenAI {
  url: string /* e.g. http://127.0.0.1:PORT/v1 */;
  port: number;
  requests: RecordedRequest[];
  /** highest number of requests being handled at the same time so far */
  maxConcurrent: number;
  /** currently in flight */
  inFlight: number;
  /** The Batch API (fake-batches.ts): its options, and the batches made so far. */
  batches: FakeBatches;
  /** The requests of batch lines, as the handler saw them (they are not in `requests`). */
  batchLines: RecordedRequest[];
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

/**
 * How long codex waits for a tool command before answering "still running" (its default is 10 s):
 * its login shell is slow to start on a loaded machine, and a test wants the finished command.
 */
export const EXEC_YIELD_MS = 120_000;

const DEFAULT_USAGE: NonNullable<Reply['usage']> = { input_tokens: 10, output_tokens: 5 };

const defaultHandler: Handler = (req) => ({ text: `echo: ${req.prompt}`, usage: DEFAULT_USAGE });

/** The `function_call_output` items of a /v1/responses request (codex's tool results), in order. */
export function functionCallOutputs(req: RecordedRequest): { call_id: string; output: string }[] {
  const input: unknown = req.body?.input;
  if (!Array.isArray(input)) return [];
  return input
    .filter((i: any) => i && i.type === 'function_call_output')
    .map((i: any) => ({
      call_id: String(i.call_id ?? ''),
      output: typeof i.output === 'string' ? i.output : JSON.stringify(i.output),
    }));
}

// codex sends AGENTS.md content as a user item '# AGENTS.md instructions for <dir>' before the prompt
const SKIPPED_PREFIXES = ['<environment_context>', '<user_instructions>', '# AGENTS.md instructions for '];

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: any) =>
      p && typeof p.text === 'string' && (p.type === undefined || p.type === 'input_text' || p.type === 'text' || p.type === 'output_text')
        ? p.text
        : '',
    )
    .join('');
}

function extractPrompt(path: string, body: any): string {
  if (!body || typeof body !== 'object') return '';
  if (path === '/v1/responses') {
    const input = body.input;
    if (typeof input === 'string') return input;
    if (!Array.isArray(input)) return '';
    for (let i = input.length - 1; i >= 0; i--) {
      const item = input[i];
      if (!item || item.role !== 'user' || (item.type !== undefined && item.type !== 'message')) continue;
      const text = contentText(item.content);
      if (SKIPPED_PREFIXES.some((p) => text.trimStart().startsWith(p))) continue;
      return text;
    }
    return '';
  }
  if (path === '/v1/chat/completions') {
    const messages = body.messages;
    if (!Array.isArray(messages)) return '';
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m && m.role === 'user') return contentText(m.content);
    }
  }
  return '';
}

function errorType(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 404) return { type: 'invalid_request_error', code: 'not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function errorBody(status: number, message: string): unknown {
  return { error: { message, ...errorType(status), param: null } };
}

function decodeBody(raw: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
      return zlib.gunzipSync(raw);
    case 'deflate':
      return zlib.inflateSync(raw);
    case 'br':
      return zlib.brotliDecompressSync(raw);
    case 'zstd':
      return zlib.zstdDecompressSync(raw);
    default:
      return raw;
  }
}

export function startFakeOpenAI(handler?: Handler): Promise<FakeOpenAI> {
  let current: Handler = handler ?? defaultHandler;
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  /** per in-flight request: marks it finished (idempotent) */
  const finishers = new Set<() => void>();
  let closed = false;
  let ids = 0;
  const nextId = (prefix: string) => `${prefix}_fake${String(++ids).padStart(6, '0')}`;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };

  /** write a chunk, then destroy the socket once it has been flushed */
  const cutAfter = (req: http.IncomingMessage, res: http.ServerResponse, chunk: string) => {
    res.write(chunk, () => {
      const t = setTimeout(() => {
        timers.delete(t);
        req.socket.destroy();
      }, 20);
      timers.add(t);
    });
  };

  const usageOf = (reply: Reply) => {
    const u = reply.usage ?? DEFAULT_USAGE;
    return {
      input_tokens: u.input_tokens,
      output_tokens: u.output_tokens,
      total_tokens: u.input_tokens + u.output_tokens,
      input_tokens_details: { cached_tokens: u.cached_input_tokens ?? 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    };
  };

  const outputItem = (reply: Reply): Record<string, unknown> => {
    if (reply.toolCommand !== undefined) {
      return {
        type: 'function_call',
        id: nextId('fc'),
        call_id: nextId('call'),
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: reply.toolCommand, yield_time_ms: EXEC_YIELD_MS }),
        status: 'completed',
      };
    }
    return {
      type: 'message',
      id: nextId('msg'),
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: reply.text ?? '', annotations: [] }],
    };
  };

  const responseObject = (body: any, reply: Reply, output: unknown[], status: string, withUsage: boolean, id: string) => ({
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    error: null,
    incomplete_details: null,
    model: typeof body?.model === 'string' ? body.model : 'gpt-fake',
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: withUsage ? usageOf(reply) : null,
  });

  /** The body of a non-streaming /v1/responses answer. */
  const responsesBody = (body: any, reply: Reply, item = outputItem(reply), id = nextId('resp')) => {
    const state = reply.failed ? 'failed' : reply.incomplete ? 'incomplete' : 'completed';
    let output: unknown[] = [item];
    if (reply.failed || reply.nullOutput) output = [];
    else if (reply.refusal !== undefined) output = [{ ...item, content: [{ type: 'refusal', refusal: reply.refusal }] }];
    return {
      ...responseObject(body, reply, output, state, true, id),
      ...(reply.failed ? { error: reply.failed } : {}),
      ...(reply.incomplete ? { incomplete_details: { reason: reply.incomplete } } : {}),
    };
  };

  const answerResponses = (req: http.IncomingMessage, res: http.ServerResponse, body: any, reply: Reply, status: number) => {
    const item = outputItem(reply);
    const id = nextId('resp');
    if (body?.stream !== true) {
      const obj = responsesBody(body, reply, item, id);
      if (reply.cutStream) {
        const text = JSON.stringify(obj);
        res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
        cutAfter(req, res, text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      sendJson(res, status, obj, reply.headers);
      return;
    }
    res.writeHead(status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...reply.headers,
    });
    let seq = 0;
    const ev = (type: string, data: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
    const inProgress: Record<string, unknown> = { ...item, status: 'in_progress' };
    if (item.type === 'message') inProgress.content = [];
    let head = ev('response.created', { response: responseObject(body, reply, [], 'in_progress', false, id) });
    head += ev('response.output_item.added', { output_index: 0, item: inProgress });
    if (reply.cutStream) {
      cutAfter(req, res, head);
      return;
    }
    let tail = '';
    if (item.type === 'message') {
      const text = reply.text ?? '';
      const part = { type: 'output_text', text: '', annotations: [] };
      tail += ev('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part });
      tail += ev('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: text });
      tail += ev('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text });
      tail += ev('response.content_part.done', {
        item_id: item.id,
        output_index: 0,
        content_index: 0,
        part: { ...part, text },
      });
    } else {
      const args = String(item.arguments);
      tail += ev('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: args });
      tail += ev('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: args });
    }
    tail += ev('response.output_item.done', { output_index: 0, item });
    tail += ev('response.completed', { response: responseObject(body, reply, [item], 'completed', true, id) });
    res.end(head + tail);
  };

  const chatParts = (body: any, reply: Reply) => {
    const u = reply.usage ?? DEFAULT_USAGE;
    const usage = {
      prompt_tokens: u.input_tokens,
      completion_tokens: u.output_tokens,
      total_tokens: u.input_tokens + u.output_tokens,
      prompt_tokens_details: { cached_tokens: u.cached_input_tokens ?? 0 },
    };
    const id = nextId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    const model = typeof body?.model === 'string' ? body.model : 'gpt-fake';
    const toolCalls =
      reply.toolCommand !== undefined
        ? [
            {
              id: nextId('call'),
              type: 'function',
              function: { name: 'exec_command', arguments: JSON.stringify({ cmd: reply.toolCommand, yield_time_ms: EXEC_YIELD_MS }) },
            },
          ]
        : undefined;
    const cut = reply.incomplete === 'max_output_tokens' ? 'length' : reply.incomplete;
    const finish = cut ?? (toolCalls ? 'tool_calls' : 'stop');
    const obj = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: toolCalls || reply.nullOutput || reply.refusal !== undefined ? null : (reply.text ?? ''),
            refusal: reply.refusal ?? null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage,
    };
    return { usage, id, created, model, toolCalls, finish, obj };
  };

  const answerChat = (req: http.IncomingMessage, res: http.ServerResponse, body: any, reply: Reply, status: number) => {
    const { usage, id, created, model, toolCalls, finish, obj } = chatParts(body, reply);
    if (body?.stream !== true) {
      if (reply.cutStream) {
        const text = JSON.stringify(obj);
        res.writeHead(status, { 'content-type': 'application/json', ...reply.headers });
        cutAfter(req, res, text.slice(0, Math.floor(text.length / 2)));
        return;
      }
      sendJson(res, status, obj, reply.headers);
      return;
    }
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    const chunk = (delta: unknown, finishReason: string | null, withUsage = false) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...(withUsage ? { usage } : {}),
      })}\n\n`;
    const head = chunk({ role: 'assistant', content: '' }, null);
    if (reply.cutStream) {
      cutAfter(req, res, head);
      return;
    }
    let out = head;
    out += toolCalls
      ? chunk({ tool_calls: toolCalls.map((c, index) => ({ index, ...c })) }, null)
      : chunk({ content: reply.text ?? '' }, null);
    out += chunk({}, finish, true);
    out += 'data: [DONE]\n\n';
    res.end(out);
  };

  /** A batch line answered by the handler as the direct call would be (status and body only). */
  const answerLine = async (path: string, body: any): Promise<{ status: number; body: unknown }> => {
    const recorded: RecordedRequest = { method: 'POST', path, headers: {}, body, prompt: extractPrompt(path, body) };
    fake.batchLines.push(recorded);
    let reply: Reply;
    try {
      reply = await current(recorded, fake.batchLines.length);
    } catch (e) {
      return { status: 500, body: errorBody(500, `fake-openai handler threw: ${String(e)}`) };
    }
    const status = reply.status ?? 200;
    if (reply.json !== undefined) return { status, body: reply.json };
    if (status >= 400) return { status, body: errorBody(status, reply.text ?? `fake error ${status}`) };
    return { status, body: path === '/v1/responses' ? responsesBody(body, reply) : chatParts(body, reply).obj };
  };

  let fake: FakeOpenAI;
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    fake = {
      url: '',
      port: 0,
      requests: [],
      maxConcurrent: 0,
      inFlight: 0,
      batches: new BatchService(answerLine),
      batchLines: [],
      setHandler(h: Handler) {
        current = h;
      },
      close() {
        closed = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        return closeServer(server, sockets).then(() => {
          // 'close' on a ServerResponse can lag behind its socket's; settle the books now
          for (const f of [...finishers]) f();
        });
      },
    };

    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      fake.inFlight++;
      fake.maxConcurrent = Math.max(fake.maxConcurrent, fake.inFlight);
      let counted = true;
      const finish = () => {
        if (counted) {
          counted = false;
          fake.inFlight--;
          finishers.delete(finish);
        }
      };
      finishers.add(finish);
      // 'finish' (all bytes handed to the OS) comes before the client can see the end of the
      // response; 'close' covers aborted and destroyed responses
      res.on('finish', finish);
      res.on('close', finish);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => {});
      req.on('end', () => {
        void handle(req, res, Buffer.concat(chunks));
      });
    });

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      let body: any = undefined;
      let parseError: string | undefined;
      if (raw.length > 0) {
        try {
          const text = decodeBody(raw, req.headers['content-encoding']).toString('utf8');
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
            parseError = 'could not parse the JSON body of the request';
          }
        } catch (e) {
          parseError = `could not decode the request body: ${(e as Error).message}`;
        }
      }
      const recorded: RecordedRequest = { method, path, headers: { ...req.headers }, body, prompt: extractPrompt(path, body) };
      fake.requests.push(recorded);
      const n = fake.requests.length;

      if (BatchService.serves(path)) {
        const answer = await (fake.batches as BatchService).handle(method, path, raw, req.headers['content-type']);
        if ('text' in answer) {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(Buffer.byteLength(answer.text)) });
          res.end(answer.text);
        } else sendJson(res, answer.status, answer.body);
        return;
      }
      const known = method === 'POST' && (path === '/v1/responses' || path === '/v1/chat/completions');
      if (!known) {
        sendJson(res, 404, errorBody(404, `Invalid URL (${method} ${path})`));
        return;
      }
      if (parseError) {
        sendJson(res, 400, errorBody(400, parseError));
        return;
      }

      let reply: Reply;
      try {
        reply = await current(recorded, n);
      } catch (e) {
        sendJson(res, 500, errorBody(500, `fake-openai handler threw: ${(e as Error)?.stack ?? String(e)}`));
        return;
      }
      if (reply.delayMs && reply.delayMs > 0) await sleep(reply.delayMs);
      if (closed || res.destroyed) return;
      if (reply.hang) return;
      if (reply.reset) {
        req.socket.destroy();
        return;
      }
      const status = reply.status ?? 200;
      const headers = { 'x-request-id': `req_fake${n}`, ...reply.headers };
      if (reply.json !== undefined) {
        sendJson(res, status, reply.json, headers);
        return;
      }
      if (reply.rawBody !== undefined) {
        res.writeHead(status, {
          'content-type': reply.contentType ?? 'application/json',
          'content-length': String(Buffer.byteLength(reply.rawBody)),
          ...headers,
        });
        res.end(reply.rawBody);
        return;
      }
      if (status >= 400) {
        sendJson(res, status, errorBody(status, reply.text ?? `fake error ${status}`), headers);
        return;
      }
      const withHeaders = { ...reply, headers };
      if (path === '/v1/responses') answerResponses(req, res, body, withHeaders, status);
      else answerChat(req, res, body, withHeaders, status);
    };

    listenOnLoopback(server, sockets).then((port) => {
      fake.port = port;
      fake.url = `http://127.0.0.1:${port}/v1`;
      resolve(fake);
    }, reject);
  });
}
