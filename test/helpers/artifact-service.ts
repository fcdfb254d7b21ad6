/**
 * A loopback stand-in for the GitHub Actions artifact service that `@actions/artifact` 6 talks to.
 *
 * - Twirp JSON at `POST /twirp/github.actions.results.api.v1.ArtifactService/<Method>`:
 *   CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact.
 *   Errors are Twirp error bodies (`{code, msg}`) with the matching HTTP status.
 * - Uploads: the `signed_upload_url` takes Azure block-blob requests (`PUT ?comp=block&blockid=…`,
 *   then `PUT ?comp=blocklist` with XML), or a single Put Blob (`PUT` + `x-ms-blob-type: BlockBlob`).
 *   On FinalizeArtifact the uploaded zip is unpacked into `files`.
 * - Downloads: `GET` on the `signed_url` serves a zip built from `files` (content-type application/zip);
 *   each is recorded in `downloads` with the bytes served, so a test can weigh what a job fetched.
 *
 * Also exports a minimal zip reader/writer (`readZip`, `writeZip`) and `crc32`.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { closeServer, listenOnLoopback } from './loopback.js';
import { blobError, blobHeaders, putBlockBlob, sendJson } from './azure-blob.js';

export interface StoredArtifact {
  id: number;
  name: string;
  /** path inside the zip -> contents (directory entries are left out) */
  files: Map<string, Buffer>;
  /** size of the zip in bytes */
  size: number;
  createdAt: Date;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  deleted: boolean;
  /** the zip exactly as uploaded (undefined for seeded artifacts) */
  zip?: Buffer;
}

export interface BlobRequest {
  method: string;
  /** the upload key (one per CreateArtifact) */
  key: string;
  /** query parameters (sig included) */
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** body length in bytes */
  size: number;
  status: number;
}

export interface ArtifactService {
  /** http://127.0.0.1:PORT/ (trailing slash), for ACTIONS_RESULTS_URL */
  url: string;
  /** an ACTIONS_RUNTIME_TOKEN JWT whose payload scp holds Actions.Results:<runBackendId>:<jobBackendId> */
  token: string;
  /** the run backend id in `token` (shared by every job of the run) */
  runBackendId: string;
  /** the job backend id in `token` */
  jobBackendId: string;
  /** every finalized artifact, including deleted ones, in creation order */
  artifacts: StoredArtifact[];
  /** Twirp calls received, in order (method name and parsed JSON body) */
  calls: { method: string; body: any }[];
  /** requests to signed upload URLs (Azure block-blob protocol), in order */
  blobRequests: BlobRequest[];
  /** artifacts served by GET (HEAD not counted), in order, with the bytes of the zip sent */
  downloads: { id: number; name: string; bytes: number }[];
  /** the artifacts not deleted */
  live(): StoredArtifact[];
  /** a runtime token for another job of the same run (e.g. a matrix leg or a later report job) */
  tokenFor(jobBackendId: string): string;
  /**
   * env vars for an action process: ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, and
   * GITHUB_SERVER_URL=https://github.com (any other host makes @actions/artifact refuse as GHES).
   * `jobBackendId` picks the job the token names (default: `jobBackendId`).
   */
  env(opts?: { jobBackendId?: string }): Record<string, string>;
  /**
   * pre-load an artifact of ANOTHER workflow run (numeric run id, as in the REST API): invisible to
   * this run's Twirp calls, listed and served by `restArtifacts()` (give that to the GitHub API stand-in)
   */
  seedRun(workflowRunId: number, name: string, files: Record<string, string | Buffer>): StoredArtifact;
  /** the REST view of other runs' artifacts: list per workflow run, and the signed zip URL a download redirects to */
  restArtifacts(): RestArtifacts;
  /**
   * Called with each Twirp call before it is answered: a test's stand-in for what happens on the
   * runner meanwhile (e.g. an unzip still writing files the action already read).
   */
  onCall?: (method: string, body: any) => void;
  /** pre-load an artifact as if an earlier job uploaded it (default job id: a fresh one) */
  seed(name: string, files: Record<string, string | Buffer>, opts?: { jobBackendId?: string; createdAt?: Date }): StoredArtifact;
  close(): Promise<void>;
}

/** Other workflow runs' artifacts as the REST API shows them (`GET .../actions/runs/:id/artifacts`, `.../artifacts/:id/zip`). */
export interface RestArtifacts {
  list(workflowRunId: number): { id: number; name: string; size: number; createdAt: Date }[];
  /** where `GET /repos/:o/:r/actions/artifacts/:id/zip` redirects (302); undefined for an unknown id */
  zipUrl(id: number): string | undefined;
}

const SERVICE_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';

// ---------------------------------------------------------------------------------------------
// CRC32 and a minimal zip reader / writer
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  /** general purpose flags (bit 3: sizes in a data descriptor) */
  flags: number;
  isDirectory: boolean;
  data: Buffer;
}

/** Reads every entry of a zip through its central directory (zip64 sizes/offsets understood). */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  // End of central directory: 22 bytes + up to 65,535 bytes of comment, searched from the end.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: end of central directory not found');
  let count = zip.readUInt16LE(eocd + 10);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== 0x07064b50) throw new Error('zip: zip64 locator missing');
    const z64 = Number(zip.readBigUInt64LE(locator + 8));
    if (zip.readUInt32LE(z64) !== 0x06064b50) throw new Error('zip: zip64 end record missing');
    count = Number(zip.readBigUInt64LE(z64 + 32));
    cdOffset = Number(zip.readBigUInt64LE(z64 + 48));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: bad central directory entry at ${p}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    let compSize = zip.readUInt32LE(p + 20);
    let size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    let localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // zip64 extended information: only the fields whose 32-bit value is 0xffffffff, in this order
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = zip.readUInt16LE(e);
      const len = zip.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = Number(zip.readBigUInt64LE(q));
          q += 8;
        }
        if (compSize === 0xffffffff) {
          compSize = Number(zip.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(zip.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;

    if (zip.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = zlib.inflateRawSync(raw);
    else throw new Error(`zip: unsupported compression method ${method} for ${name}`);
    if (data.length !== size) throw new Error(`zip: size mismatch for ${name}`);
    if (crc32(data) !== crc) throw new Error(`zip: CRC mismatch for ${name}`);
    entries.push({ name, method, flags, isDirectory: name.endsWith('/'), data });
  }
  return entries;
}

/** The files of a zip (directory entries left out), path inside the zip -> contents. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readZipEntries(zip)) if (!entry.isDirectory) files.set(entry.name, entry.data);
  return files;
}

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** Builds a zip (deflated entries, UTF-8 names, no data descriptors) from path -> contents. */
export function writeZip(files: Map<string, Buffer> | Record<string, string | Buffer>, mtime = new Date()): Buffer {
  const list: [string, Buffer][] =
    files instanceof Map ? [...files] : Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]);
  const { time, date } = dosDateTime(mtime);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of list) {
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = zlib.deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by: unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    // extra, comment, disk start, internal attrs: 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attrs: regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(list.length, 8);
  end.writeUInt16LE(list.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

function makeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5t: 'fake' };
  const payload = {
    nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
    scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:fake',
    nbf: now - 60,
    exp: now + 6 * 3600,
  };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${b64url('fake-signature')}`;
}

/** query parameters decoded without turning '+' into a space (block ids are base64) */
function rawQuery(url: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = url.indexOf('?');
  if (q < 0) return out;
  for (const part of url.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.set(decodeURIComponent(k), decodeURIComponent(v));
    } catch {
      out.set(k, v);
    }
  }
  return out;
}

interface Pending {
  key: string;
  name: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  blocks: Map<string, Buffer>;
  blob: Buffer | undefined;
}

function twirpStatus(code: string): number {
  switch (code) {
    case 'invalid_argument':
    case 'malformed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'permission_denied':
      return 403;
    case 'not_found':
    case 'bad_route':
      return 404;
    case 'already_exists':
    case 'aborted':
      return 409;
    case 'failed_precondition':
      return 412;
    default:
      return 500;
  }
}

class TwirpError extends Error {
  readonly code: string;
  constructor(code: string, msg: string) {
    super(msg);
    this.code = code;
  }
}

export function startArtifactService(): Promise<ArtifactService> {
  const runBackendId = randomUUID();
  const jobBackendId = randomUUID();
  const sig = randomBytes(12).toString('hex');
  const sockets = new Set<Socket>();
  const pending = new Map<string, Pending>(); // upload key -> pending artifact
  let nextId = 1;
  let base = '';
  const otherRuns = new Map<number, StoredArtifact[]>();

  const server = http.createServer();

  const stored = (name: string, files: Map<string, Buffer>, size: number, run: string, job: string, createdAt: Date): StoredArtifact => {
    const a: StoredArtifact = {
      id: nextId++,
      name,
      files,
      size,
      createdAt,
      workflowRunBackendId: run,
      workflowJobRunBackendId: job,
      deleted: false,
    };
    service.artifacts.push(a);
    return a;
  };

  const liveInRun = (run: string) => service.artifacts.filter((a) => !a.deleted && a.workflowRunBackendId === run);
  const newest = (list: StoredArtifact[]) => list.reduce<StoredArtifact | undefined>((m, a) => (!m || a.id > m.id ? a : m), undefined);

  const service: ArtifactService = {
    url: '',
    token: makeToken(runBackendId, jobBackendId),
    runBackendId,
    jobBackendId,
    artifacts: [],
    calls: [],
    blobRequests: [],
    downloads: [],
    live() {
      return service.artifacts.filter((a) => !a.deleted);
    },
    tokenFor(job: string) {
      return makeToken(runBackendId, job);
    },
    env(opts = {}) {
      return {
        ACTIONS_RESULTS_URL: service.url,
        ACTIONS_RUNTIME_TOKEN: opts.jobBackendId ? makeToken(runBackendId, opts.jobBackendId) : service.token,
        GITHUB_SERVER_URL: 'https://github.com',
      };
    },
    seedRun(workflowRunId, name, files) {
      const map = new Map<string, Buffer>();
      for (const [k, v] of Object.entries(files)) map.set(k, Buffer.from(v));
      const createdAt = new Date();
      const a = stored(name, map, writeZip(map, createdAt).length, `workflow-run-${workflowRunId}`, randomUUID(), createdAt);
      otherRuns.set(workflowRunId, [...(otherRuns.get(workflowRunId) ?? []), a]);
      return a;
    },
    restArtifacts() {
      return {
        list: (workflowRunId) =>
          (otherRuns.get(workflowRunId) ?? [])
            .filter((a) => !a.deleted)
            .map((a) => ({ id: a.id, name: a.name, size: a.size, createdAt: a.createdAt })),
        zipUrl: (id) => {
          const a = [...otherRuns.values()].flat().find((x) => x.id === id && !x.deleted);
          return a && `${base}download/${a.id}/${encodeURIComponent(a.name)}.zip?sv=2024-01-01&sr=b&sp=r&sig=${sig}`;
        },
      };
    },
    seed(name, files, opts = {}) {
      const map = new Map<string, Buffer>();
      for (const [k, v] of Object.entries(files)) map.set(k, typeof v === 'string' ? Buffer.from(v) : Buffer.from(v));
      const createdAt = opts.createdAt ?? new Date();
      const size = writeZip(map, createdAt).length;
      return stored(name, map, size, runBackendId, opts.jobBackendId ?? randomUUID(), createdAt);
    },
    close() {
      return closeServer(server, sockets);
    },
  };

  const listEntry = (a: StoredArtifact) => ({
    workflow_run_backend_id: a.workflowRunBackendId,
    workflow_job_run_backend_id: a.workflowJobRunBackendId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt.toISOString(),
  });

  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  /** wrapper types (StringValue / Int64Value) arrive as plain JSON values; accept {value} too */
  const wrapped = (v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    const value: unknown = typeof v === 'object' && 'value' in v ? v.value : v;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };

  const twirp = (method: string, body: any): unknown => {
    service.onCall?.(method, body);
    const run = str(body.workflow_run_backend_id);
    const job = str(body.workflow_job_run_backend_id);
    const name = str(body.name);
    switch (method) {
      case 'CreateArtifact': {
        if (!run || !job || !name) throw new TwirpError('invalid_argument', 'workflow run/job backend ids and name are required');
        if (liveInRun(run).some((a) => a.name === name)) {
          throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
        }
        for (const [k, p] of pending) if (p.workflowRunBackendId === run && p.name === name) pending.delete(k);
        const key = randomUUID();
        pending.set(key, { key, name, workflowRunBackendId: run, workflowJobRunBackendId: job, blocks: new Map(), blob: undefined });
        return { ok: true, signed_upload_url: `${base}blob/uploads/${key}.zip?sv=2024-01-01&sr=b&sp=cw&sig=${sig}` };
      }
      case 'FinalizeArtifact': {
        const entry = [...pending.values()].find((p) => p.workflowRunBackendId === run && p.name === name);
        if (!entry) throw new TwirpError('not_found', `artifact ${name} was not created in this run`);
        if (!entry.blob) throw new TwirpError('failed_precondition', `no upload was committed for artifact ${name}`);
        let files: Map<string, Buffer>;
        try {
          files = readZip(entry.blob);
        } catch (err) {
          throw new TwirpError('invalid_argument', `uploaded blob is not a readable zip: ${(err as Error).message}`);
        }
        pending.delete(entry.key);
        const a = stored(name, files, entry.blob.length, run, entry.workflowJobRunBackendId, new Date());
        a.zip = entry.blob;
        return { ok: true, artifact_id: String(a.id) };
      }
      case 'ListArtifacts': {
        const nameFilter = wrapped(body.name_filter);
        const idFilter = wrapped(body.id_filter);
        const list = liveInRun(run).filter(
          (a) => (nameFilter === undefined || a.name === nameFilter) && (idFilter === undefined || String(a.id) === idFilter),
        );
        return { artifacts: list.map(listEntry) };
      }
      case 'GetSignedArtifactURL': {
        const a = newest(liveInRun(run).filter((x) => x.name === name));
        if (!a) throw new TwirpError('not_found', `artifact ${name} not found`);
        return { signed_url: `${base}download/${a.id}/${encodeURIComponent(a.name)}.zip?sv=2024-01-01&sr=b&sp=r&sig=${sig}` };
      }
      case 'DeleteArtifact': {
        const a = newest(liveInRun(run).filter((x) => x.name === name));
        if (!a) throw new TwirpError('not_found', `artifact ${name} not found`);
        a.deleted = true;
        return { ok: true, artifact_id: String(a.id) };
      }
      default:
        throw new TwirpError('bad_route', `no handler for method ${method}`);
    }
  };

  const handleBlob = (req: http.IncomingMessage, res: http.ServerResponse, key: string, body: Buffer, query: Map<string, string>) => {
    const record: BlobRequest = {
      method: req.method ?? '',
      key,
      query: Object.fromEntries(query),
      headers: req.headers,
      size: body.length,
      status: 0,
    };
    service.blobRequests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const p = pending.get(key);
    if (query.get('sig') !== sig) return blobError(res, 403, 'AuthenticationFailed', 'bad signature');
    if (!p) return blobError(res, 404, 'ResourceNotFound', 'The specified resource does not exist.');
    if (req.method !== 'PUT') return blobError(res, 405, 'UnsupportedHttpVerb', 'only PUT is supported');
    putBlockBlob(req, res, body, query, p.blocks, (blob) => (p.blob = blob));
  };

  const handleDownload = (req: http.IncomingMessage, res: http.ServerResponse, id: number, query: Map<string, string>) => {
    if (query.get('sig') !== sig) return blobError(res, 403, 'AuthenticationFailed', 'bad signature');
    const a = service.artifacts.find((x) => x.id === id);
    if (!a) return blobError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
    const zip = writeZip(a.files, a.createdAt);
    res.writeHead(200, {
      ...blobHeaders(),
      'content-type': 'application/zip',
      'content-length': String(zip.length),
      'content-disposition': `attachment; filename="${a.name}.zip"; filename*=UTF-8''${encodeURIComponent(a.name)}.zip`,
      'x-ms-blob-type': 'BlockBlob',
    });
    if (req.method !== 'HEAD') service.downloads.push({ id: a.id, name: a.name, bytes: zip.length });
    res.end(req.method === 'HEAD' ? undefined : zip);
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawUrl = req.url ?? '/';
      const path = rawUrl.split('?')[0]!;
      const query = rawQuery(rawUrl);
      try {
        if (path.startsWith(SERVICE_PREFIX)) {
          const method = path.slice(SERVICE_PREFIX.length);
          let parsed: any = {};
          try {
            parsed = body.length ? JSON.parse(body.toString('utf8')) : {};
          } catch {
            return sendJson(res, 400, { code: 'malformed', msg: 'request body is not JSON' });
          }
          service.calls.push({ method, body: parsed });
          if (req.method !== 'POST') return sendJson(res, 404, { code: 'bad_route', msg: 'twirp methods take POST' });
          const auth = String(req.headers.authorization ?? '');
          if (!auth.startsWith('Bearer ') || auth.length <= 7) {
            return sendJson(res, 401, { code: 'unauthenticated', msg: 'missing bearer token' });
          }
          return sendJson(res, 200, twirp(method, parsed));
        }
        const upload = /^\/blob\/uploads\/([0-9a-f-]+)\.zip$/.exec(path);
        if (upload) return handleBlob(req, res, upload[1]!, body, query);
        const download = /^\/download\/(\d+)\/[^/]*$/.exec(path);
        if (download && (req.method === 'GET' || req.method === 'HEAD')) return handleDownload(req, res, Number(download[1]), query);
        return sendJson(res, 404, { code: 'bad_route', msg: `no route for ${req.method} ${path}` });
      } catch (err) {
        if (err instanceof TwirpError) return sendJson(res, twirpStatus(err.code), { code: err.code, msg: err.message });
        return sendJson(res, 500, { code: 'internal', msg: String((err as Error)?.message ?? err) });
      }
    });
  });

  return listenOnLoopback(server, sockets).then((port) => {
    base = `http://127.0.0.1:${port}/`;
    service.url = base;
    return service;
  });
}
