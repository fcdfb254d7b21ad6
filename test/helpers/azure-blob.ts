/**
 * What the artifact and cache stand-ins share: Twirp JSON answers and the Azure block-blob upload
 * the Azure SDK sends to a signed URL (`PUT ?comp=block&blockid=…`, then `PUT ?comp=blocklist` with
 * XML, or a single Put Blob with `x-ms-blob-type: BlockBlob`).
 */
import type http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export const blobHeaders = (): Record<string, string> => ({
  etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
  'last-modified': new Date().toUTCString(),
  'x-ms-request-id': randomUUID(),
  'x-ms-version': '2025-01-05',
  date: new Date().toUTCString(),
  'x-ms-request-server-encrypted': 'true',
});

export function blobError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code, 'content-length': String(Buffer.byteLength(xml)) });
  res.end(xml);
}

/**
 * One upload request of a block blob: a staged block is kept in `staged`; a block list or a single
 * Put Blob gives the whole blob to `commit`. Answers 201, or an Azure error for a request it cannot take.
 */
export function putBlockBlob(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  query: { get(name: string): string | null | undefined },
  staged: Map<string, Buffer>,
  commit: (blob: Buffer) => void,
): void {
  const comp = query.get('comp') ?? undefined;
  if (comp === 'block') {
    const id = query.get('blockid');
    if (!id) return blobError(res, 400, 'InvalidQueryParameterValue', 'blockid missing');
    staged.set(id, body);
  } else if (comp === 'blocklist') {
    const xml = body.toString('utf8');
    const ids = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2]!.trim());
    const parts: Buffer[] = [];
    for (const id of ids) {
      const block = staged.get(id);
      if (!block) return blobError(res, 400, 'InvalidBlockList', `block ${id} was not staged`);
      parts.push(block);
    }
    commit(Buffer.concat(parts));
    staged.clear();
  } else if (comp === undefined && String(req.headers['x-ms-blob-type'] ?? '').toLowerCase() === 'blockblob') {
    commit(body);
  } else {
    return blobError(res, 400, 'UnsupportedQueryParameter', `unsupported blob request comp=${comp ?? ''}`);
  }
  res.writeHead(201, { ...blobHeaders(), 'content-length': '0' });
  res.end();
}
