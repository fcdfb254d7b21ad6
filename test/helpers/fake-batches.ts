/**
 * The Batch API side of the fake OpenAI server (fake-openai.ts): `POST /v1/files` (multipart, purpose
 * "batch"), `GET /v1/files/:id`, `GET /v1/files/:id/content`, `POST /v1/batches`, `GET /v1/batches/:id`,
 * `POST /v1/batches/:id/cancel`. A batch is `in_progress` until `delayMs` after it was created (read
 * at each retrieve, so a test may shorten the wait of a batch already made), then `completed`: each
 * line is answered by the server's handler as a direct call would be, into the output file, or the
 * error file when the handler answers HTTP 400 or more or `lineError` names an error for the line.
 */

/** What a batch line's request is answered with: HTTP status and JSON body, as a direct call would get. */
export type LineAnswer = (url: string, body: unknown, customId: string) => Promise<{ status: number; body: unknown }>;

export interface FakeBatch {
  id: string;
  endpoint: string;
  input_file_id: string;
  created: number;
  /** The lines of its input file, parsed. */
  lines: { custom_id: string; method: string; url: string; body: any }[];
  status: 'validating' | 'in_progress' | 'completed' | 'cancelled' | 'expired' | 'failed';
  output_file_id?: string;
  error_file_id?: string;
  failed?: { code: string; message: string };
}

export interface FakeBatchOptions {
  /** How long a batch stays in progress (default 0: done at the first retrieve). */
  delayMs: number;
  /** An error line (`error: {code, message}`, no response) for this line instead of an answer. */
  lineError?: (line: { custom_id: string; body: any }, batch: FakeBatch) => { code: string; message: string } | undefined;
  /** Batches end `expired` instead of `completed`: every line is an error line `batch_expired`. */
  expire?: boolean;
}

export interface FakeBatches {
  readonly options: FakeBatchOptions;
  /** Every batch created, in order. */
  readonly batches: FakeBatch[];
  /** Uploaded and generated files by id. */
  readonly files: Map<string, { purpose: string; filename: string; content: string }>;
  /** Batches created so far. */
  readonly created: number;
}

type Reply = { status: number; body: unknown } | { status: 200; text: string };

const notFound = (what: string): Reply => ({
  status: 404,
  body: { error: { message: `No such ${what}`, type: 'invalid_request_error', code: null, param: null } },
});
const badRequest = (message: string): Reply => ({
  status: 400,
  body: { error: { message, type: 'invalid_request_error', code: null, param: null } },
});

/** The fields of a multipart/form-data body: name -> {filename, content}. */
function multipart(raw: Buffer, contentType: string | undefined): Map<string, { filename?: string; content: string }> {
  const fields = new Map<string, { filename?: string; content: string }>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return fields;
  const text = raw.toString('latin1');
  for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined) continue;
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    const content = Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
    fields.set(name, { filename, content });
  }
  return fields;
}

export class BatchService implements FakeBatches {
  readonly options: FakeBatchOptions = { delayMs: 0 };
  readonly batches: FakeBatch[] = [];
  readonly files = new Map<string, { purpose: string; filename: string; content: string }>();
  private ids = 0;

  constructor(private readonly answer: LineAnswer) {}

  get created(): number {
    return this.batches.length;
  }

  /** Whether this server path is the Batch API's. */
  static serves(path: string): boolean {
    return path === '/v1/files' || path.startsWith('/v1/files/') || path === '/v1/batches' || path.startsWith('/v1/batches/');
  }

  async handle(method: string, path: string, raw: Buffer, contentType: string | undefined): Promise<Reply> {
    const parts = path.split('/').slice(2); // ['files', id?, 'content'?] or ['batches', id?, 'cancel'?]
    if (parts[0] === 'files') {
      if (method === 'POST' && parts.length === 1) return this.upload(raw, contentType);
      const file = this.files.get(parts[1] ?? '');
      if (method !== 'GET' || file === undefined) return notFound('file');
      if (parts[2] === 'content') return { status: 200, text: file.content };
      return { status: 200, body: this.fileObject(parts[1]!, file) };
    }
    if (method === 'POST' && parts.length === 1) return this.create(raw);
    const batch = this.batches.find((b) => b.id === parts[1]);
    if (batch === undefined) return notFound('batch');
    if (method === 'POST' && parts[2] === 'cancel') {
      if (batch.status === 'in_progress' || batch.status === 'validating') await this.finish(batch, 'cancelled');
      return { status: 200, body: this.batchObject(batch) };
    }
    if (method !== 'GET' || parts.length !== 2) return notFound('route');
    if (batch.status === 'in_progress' && Date.now() - batch.created >= this.options.delayMs) {
      await this.finish(batch, this.options.expire ? 'expired' : 'completed');
    }
    return { status: 200, body: this.batchObject(batch) };
  }

  private nextId(prefix: string): string {
    return `${prefix}_fake${String(++this.ids).padStart(6, '0')}`;
  }

  private upload(raw: Buffer, contentType: string | undefined): Reply {
    const fields = multipart(raw, contentType);
    const purpose = fields.get('purpose')?.content;
    const file = fields.get('file');
    if (purpose !== 'batch' || file === undefined)
      return badRequest(`expected a file and purpose "batch", got purpose ${JSON.stringify(purpose)}`);
    const id = this.nextId('file');
    const stored = { purpose, filename: file.filename ?? 'upload', content: file.content };
    this.files.set(id, stored);
    return { status: 200, body: this.fileObject(id, stored) };
  }

  private create(raw: Buffer): Reply {
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return badRequest('could not parse the JSON body of the request');
    }
    const file = this.files.get(body?.input_file_id);
    if (file === undefined) return notFound('file');
    if (body.completion_window !== '24h') return badRequest('completion_window must be 24h');
    const lines: FakeBatch['lines'] = [];
    const ids = new Set<string>();
    for (const text of file.content.split('\n')) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text);
      if (typeof line.custom_id !== 'string' || ids.has(line.custom_id))
        return badRequest(`duplicate or missing custom_id in line ${lines.length + 1}`);
      if (line.method !== 'POST' || line.url !== body.endpoint)
        return badRequest(`line ${lines.length + 1}: url ${line.url} is not the batch's endpoint ${body.endpoint}`);
      ids.add(line.custom_id);
      lines.push(line);
    }
    if (lines.length > 50_000) return badRequest('more than 50,000 requests in one batch');
    const models = new Set(lines.map((l) => l.body?.model));
    if (models.size > 1) return badRequest(`one model per batch, got ${[...models].join(', ')}`);
    const batch: FakeBatch = {
      id: this.nextId('batch'),
      endpoint: body.endpoint,
      input_file_id: body.input_file_id,
      created: Date.now(),
      lines,
      status: 'in_progress',
    };
    this.batches.push(batch);
    return { status: 200, body: this.batchObject(batch) };
  }

  /** Answers every line (none when the batch is cancelled or expired) into an output and an error file. */
  private async finish(batch: FakeBatch, status: 'completed' | 'cancelled' | 'expired'): Promise<void> {
    batch.status = status;
    const output: string[] = [];
    const errors: string[] = [];
    for (const line of batch.lines) {
      const id = this.nextId('batch_req');
      const lost = status === 'cancelled' ? 'batch_cancelled' : status === 'expired' ? 'batch_expired' : undefined;
      const error = lost
        ? { code: lost, message: `This line was not executed: the batch was ${status}.` }
        : this.options.lineError?.(line, batch);
      if (error !== undefined) {
        errors.push(JSON.stringify({ id, custom_id: line.custom_id, response: null, error }));
        continue;
      }
      const answer = await this.answer(line.url, line.body, line.custom_id);
      const entry = {
        id,
        custom_id: line.custom_id,
        response: { status_code: answer.status, request_id: `req_${id}`, body: answer.body },
        error: null,
      };
      (answer.status >= 400 ? errors : output).push(JSON.stringify(entry));
    }
    const save = (lines: string[]): string | undefined => {
      if (lines.length === 0) return undefined;
      const fileId = this.nextId('file');
      this.files.set(fileId, { purpose: 'batch_output', filename: `${batch.id}.jsonl`, content: lines.join('\n') + '\n' });
      return fileId;
    };
    batch.output_file_id = save(output);
    batch.error_file_id = save(errors);
  }

  private fileObject(id: string, file: { purpose: string; filename: string; content: string }) {
    return {
      id,
      object: 'file',
      bytes: Buffer.byteLength(file.content),
      created_at: 0,
      filename: file.filename,
      purpose: file.purpose,
      status: 'processed',
    };
  }

  private batchObject(batch: FakeBatch) {
    const total = batch.lines.length;
    const done = batch.status === 'completed';
    const elapsed = this.options.delayMs > 0 ? Math.min(1, (Date.now() - batch.created) / this.options.delayMs) : 1;
    const errors = batch.error_file_id ? this.files.get(batch.error_file_id)!.content.trim().split('\n').length : 0;
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors: null,
      input_file_id: batch.input_file_id,
      completion_window: '24h',
      status: batch.status,
      output_file_id: batch.output_file_id ?? null,
      error_file_id: batch.error_file_id ?? null,
      created_at: Math.floor(batch.created / 1000),
      request_counts: done
        ? { total, completed: total - errors, failed: errors }
        : { total, completed: batch.status === 'in_progress' ? Math.floor(total * elapsed) : 0, failed: 0 },
      metadata: null,
    };
  }
}
