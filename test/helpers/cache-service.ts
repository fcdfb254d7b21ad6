/**
 * A loopback stand-in for the GitHub Actions cache service (v2) that `@actions/cache` 6 talks to
 * when ACTIONS_CACHE_SERVICE_V2 is set (see artifact-service.ts for the artifact service):
 *
 * - Twirp JSON at `POST /twirp/github.actions.results.api.v1.CacheService/<Method>` (fields in
 *   proto names): GetCacheEntryDownloadURL `{key, restore_keys, version}` -> `{ok, signed_download_url,
 *   matched_key}` (the key exactly, else the newest entry whose key starts with a restore key, in
 *   order, with the same version); CreateCacheEntry `{key, version}` -> `{ok, signed_upload_url}`
 *   (`ok: false` when that key and version exist: entries are never overwritten);
 *   FinalizeCacheEntryUpload `{key, version, size_bytes}` -> `{ok, entry_id}`.
 * - Uploads: a single Put Blob (`PUT` + `x-ms-blob-type: BlockBlob`) or staged blocks and a block
 *   list, as the Azure SDK sends them. Downloads: `HEAD` and `GET` with `x-ms-range`/`Range`.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { closeServer, listenOnLoopback } from './loopback.js';
import { blobHeaders, putBlockBlob, sendJson } from './azure-blob.js';

export interface CacheEntry {
  readonly id: number;
  readonly key: string;
  readonly version: string;
  /** The archive (a tar, compressed with zstd or gzip) as uploaded. */
  archive: Buffer;
  finalized: boolean;
}

export interface CacheService {
  /** http://127.0.0.1:PORT/ (trailing slash), for ACTIONS_RESULTS_URL */
  url: string;
  entries: CacheEntry[];
  /** Twirp calls received, in order */
  calls: { method: string; body: any }[];
  /** ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN, ACTIONS_CACHE_SERVICE_V2, GITHUB_SERVER_URL for an action process. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const SERVICE_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';

export function startCacheService(): Promise<CacheService> {
  const sockets = new Set<Socket>();
  const sig = randomBytes(12).toString('hex');
  const blocks = new Map<number, Map<string, Buffer>>();
  let base = '';
  const server = http.createServer();

  const service: CacheService = {
    url: '',
    entries: [],
    calls: [],
    env: () => ({
      ACTIONS_RESULTS_URL: service.url,
      ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token-for-the-cache-service',
      ACTIONS_CACHE_SERVICE_V2: 'true',
      GITHUB_SERVER_URL: 'https://github.com',
    }),
    close: () => closeServer(server, sockets),
  };

  const twirp = (method: string, body: any): unknown => {
    const finalized = service.entries.filter((e) => e.finalized && e.version === body.version);
    switch (method) {
      case 'GetCacheEntryDownloadURL': {
        let found = finalized.find((e) => e.key === body.key);
        for (const prefix of (body.restore_keys ?? []) as string[]) {
          if (found !== undefined) break;
          found = finalized.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.id - a.id)[0];
        }
        if (found === undefined) return { ok: false, signed_download_url: '', matched_key: '' };
        return { ok: true, signed_download_url: `${base}blob/${found.id}?sig=${sig}`, matched_key: found.key };
      }
      case 'CreateCacheEntry': {
        if (service.entries.some((e) => e.key === body.key && e.version === body.version)) {
          return { ok: false, signed_upload_url: '', message: `cache entry ${body.key} already exists` };
        }
        const entry: CacheEntry = {
          id: service.entries.length + 1,
          key: body.key,
          version: body.version,
          archive: Buffer.alloc(0),
          finalized: false,
        };
        service.entries.push(entry);
        return { ok: true, signed_upload_url: `${base}blob/${entry.id}?sig=${sig}` };
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = service.entries.find((e) => e.key === body.key && e.version === body.version && !e.finalized);
        if (entry === undefined || String(entry.archive.length) !== String(body.size_bytes)) return { ok: false, entry_id: '0' };
        entry.finalized = true;
        return { ok: true, entry_id: String(entry.id) };
      }
      default:
        throw new Error(`no handler for ${method}`);
    }
  };

  const blob = (req: http.IncomingMessage, res: http.ServerResponse, entry: CacheEntry, body: Buffer, query: URLSearchParams): void => {
    if (req.method === 'PUT') {
      const staged = blocks.get(entry.id) ?? new Map<string, Buffer>();
      blocks.set(entry.id, staged);
      putBlockBlob(req, res, body, query, staged, (blob) => (entry.archive = blob));
      return;
    }
    if (!entry.finalized) {
      res.writeHead(404, { 'x-ms-error-code': 'BlobNotFound', 'content-length': '0' });
      res.end();
      return;
    }
    const range = /bytes=(\d+)-(\d*)/.exec(String(req.headers['x-ms-range'] ?? req.headers.range ?? ''));
    const from = range ? Number(range[1]) : 0;
    const to = range && range[2] ? Math.min(Number(range[2]), entry.archive.length - 1) : entry.archive.length - 1;
    const data = entry.archive.subarray(from, to + 1);
    const headers = {
      ...blobHeaders(),
      'content-type': 'application/octet-stream',
      'content-length': String(req.method === 'HEAD' ? entry.archive.length : data.length),
      'x-ms-blob-type': 'BlockBlob',
      'accept-ranges': 'bytes',
    };
    if (range && req.method === 'GET') {
      res.writeHead(206, { ...headers, 'content-range': `bytes ${from}-${to}/${entry.archive.length}` });
    } else res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', base);
      try {
        if (url.pathname.startsWith(SERVICE_PREFIX)) {
          const method = url.pathname.slice(SERVICE_PREFIX.length);
          const parsed = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
          service.calls.push({ method, body: parsed });
          if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
            return sendJson(res, 401, { code: 'unauthenticated', msg: 'missing bearer token' });
          }
          return sendJson(res, 200, twirp(method, parsed));
        }
        const match = /^\/blob\/(\d+)$/.exec(url.pathname);
        const entry = match ? service.entries.find((e) => e.id === Number(match[1])) : undefined;
        if (entry === undefined || url.searchParams.get('sig') !== sig) return sendJson(res, 404, { code: 'bad_route', msg: url.pathname });
        return blob(req, res, entry, body, url.searchParams);
      } catch (error) {
        return sendJson(res, 500, { code: 'internal', msg: String((error as Error).message) });
      }
    });
  });

  return listenOnLoopback(server, sockets).then((port) => {
    base = `http://127.0.0.1:${port}/`;
    service.url = base;
    return service;
  });
}
