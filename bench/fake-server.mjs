// A loopback fake of the two OpenAI endpoints the engine calls, for the benchmark only.
//
//   node bench/fake-server.mjs LATENCY_MS [RATE_PER_S [window|bucket]]
//
// Prints {"port": N} on its first stdout line. Every POST to /v1/responses or
// /v1/chat/completions is answered after LATENCY_MS with a short fixed message. With RATE_PER_S,
// requests above the rate are answered at once with 429 (OpenAI's error shape, no Retry-After):
// `window` (the default) accepts at most RATE_PER_S requests in any sliding second; `bucket` is a
// token bucket holding one second's worth, refilled continuously. GET /stats returns the counts
// and the times of the first and last accepted request (started, answered); POST /reset clears them.
//
// The Batch API too (--batch): POST /v1/files (multipart, the JSONL), POST /v1/batches, GET
// /v1/batches/:id (completed BATCH_DELAY_MS, the 5th argument, after it was created; each line
// answered like a direct call, not counted in `accepted`), GET /v1/files/:id/content. /stats adds
// `batches`: the number of requests of each batch created, in order.
import http from 'node:http';

const latency = Number(process.argv[2] ?? 20);
const rate = Number(process.argv[3] ?? 0);
const mode = process.argv[4] ?? 'window';
const batchDelay = Number(process.argv[5] ?? 0);
/** Uploaded and generated files by id, and batches by id. */
const files = new Map();
const batches = new Map();
let ids = 0;

let stats;
const reset = () => {
  stats = { accepted: 0, rejected: 0, first: 0, lastStart: 0, last: 0, inFlight: 0, maxInFlight: 0, perSecond: [], batches: [] };
  started = Date.now();
};
let started = Date.now();
/** Accepted and rejected requests in each second since the last reset (bounded: the first 600 s). */
function tally(now, field) {
  const second = Math.floor((now - started) / 1000);
  if (second >= 600) return;
  while (stats.perSecond.length <= second) stats.perSecond.push({ accepted: 0, rejected: 0 });
  stats.perSecond[second][field]++;
}
reset();
/** Start times of accepted requests in the last second, oldest first (a ring would do; this stays small). */
let window = [];
let windowHead = 0;

let tokens = rate;
let refilled = Date.now();

function admit(now) {
  if (!(rate > 0)) return true;
  if (mode === 'bucket') {
    tokens = Math.min(rate, tokens + ((now - refilled) * rate) / 1000);
    refilled = now;
    if (tokens < 1) return false;
    tokens--;
    return true;
  }
  while (windowHead < window.length && now - window[windowHead] >= 1000) windowHead++;
  if (windowHead > 4096) {
    window = window.slice(windowHead);
    windowHead = 0;
  }
  if (window.length - windowHead >= rate) return false;
  window.push(now);
  return true;
}

let counter = 0;
function answer(path, model) {
  const n = ++counter;
  const text = `answer ${n}`;
  if (path === '/v1/chat/completions') {
    return {
      id: `chatcmpl_${n}`,
      object: 'chat.completion',
      created: 1,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
    };
  }
  return {
    id: `resp_${n}`,
    object: 'response',
    created_at: 1,
    status: 'completed',
    model,
    output: [
      {
        type: 'message',
        id: `msg_${n}`,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
  };
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The file field of a multipart/form-data body, as text. */
function uploadedFile(raw, contentType) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return undefined;
  for (const part of raw.toString('latin1').split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0 && /name="file"/i.test(part.slice(0, split))) {
      return Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
    }
  }
  return undefined;
}

function batchObject(batch) {
  const done = Date.now() - batch.created >= batchDelay;
  if (done && batch.output_file_id === null) {
    const lines = batch.lines.map((line) =>
      JSON.stringify({
        id: `br_${++ids}`,
        custom_id: line.custom_id,
        response: { status_code: 200, body: answer(line.url, line.body.model) },
        error: null,
      }),
    );
    batch.output_file_id = `file_${++ids}`;
    files.set(batch.output_file_id, lines.join('\n') + '\n');
  }
  const total = batch.lines.length;
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    input_file_id: batch.input_file_id,
    completion_window: '24h',
    status: done ? 'completed' : 'in_progress',
    output_file_id: batch.output_file_id,
    error_file_id: null,
    created_at: Math.floor(batch.created / 1000),
    request_counts: { total, completed: done ? total : 0, failed: 0 },
  };
}

/** The Batch API's routes; false when `path` is none of them. */
function batchRoute(req, res, path, raw) {
  if (req.method === 'POST' && path === '/v1/files') {
    const content = uploadedFile(raw, req.headers['content-type']);
    if (content === undefined)
      return send(res, 400, { error: { message: 'no file', type: 'invalid_request_error', code: null, param: null } });
    const id = `file_${++ids}`;
    files.set(id, content);
    return send(res, 200, {
      id,
      object: 'file',
      bytes: Buffer.byteLength(content),
      created_at: 1,
      filename: 'batch.jsonl',
      purpose: 'batch',
    });
  }
  if (req.method === 'POST' && path === '/v1/batches') {
    const body = JSON.parse(raw.toString('utf8'));
    const lines = (files.get(body.input_file_id) ?? '')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
    const batch = {
      id: `batch_${++ids}`,
      endpoint: body.endpoint,
      input_file_id: body.input_file_id,
      created: Date.now(),
      lines,
      output_file_id: null,
    };
    batches.set(batch.id, batch);
    stats.batches.push(lines.length);
    return send(res, 200, batchObject(batch));
  }
  const batch = /^\/v1\/batches\/([^/]+)$/.exec(path);
  if (req.method === 'GET' && batch && batches.has(batch[1])) return send(res, 200, batchObject(batches.get(batch[1])));
  const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
  if (req.method === 'GET' && content && files.has(content[1])) {
    const text = files.get(content[1]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(text) });
    return res.end(text);
  }
  return false;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/stats') return send(res, 200, stats);
    if (req.method === 'POST' && path === '/reset') {
      reset();
      window = [];
      windowHead = 0;
      tokens = rate;
      refilled = Date.now();
      return send(res, 200, { ok: true });
    }
    if (batchRoute(req, res, path, Buffer.concat(chunks)) !== false) return;
    if (req.method !== 'POST' || (path !== '/v1/responses' && path !== '/v1/chat/completions')) {
      return send(res, 404, { error: { message: 'not found', type: 'invalid_request_error', code: 'not_found', param: null } });
    }
    let model = 'bench';
    try {
      model = JSON.parse(Buffer.concat(chunks).toString('utf8')).model ?? model;
    } catch {
      // the body is not looked at beyond the model
    }
    const now = Date.now();
    if (!admit(now)) {
      stats.rejected++;
      tally(now, 'rejected');
      return send(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } });
    }
    stats.accepted++;
    tally(now, 'accepted');
    if (stats.first === 0) stats.first = now;
    stats.lastStart = now;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    setTimeout(() => {
      stats.inFlight--;
      stats.last = Date.now();
      send(res, 200, answer(path, model));
    }, latency);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
// the bench ends it with SIGTERM; it also leaves when its parent goes away
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
