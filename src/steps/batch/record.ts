import { createHash } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { TreeWriter } from '../../util/files.js';
import { readTreeFile } from '../../util/safe-tree.js';
import type { ModelRequest } from '../model-request.js';
import { isObject } from '../../util/is-object.js';

/** The run directory's folder of batch records: one `<batch id>.json` per batch sent. */
export const BATCHES_DIR = 'batches';

export type BatchEndpoint = '/v1/responses' | '/v1/chat/completions';

/** The Batch API endpoint of a request's API. */
export const endpointOf = (api: ModelRequest['api']): BatchEndpoint => (api === 'chat' ? '/v1/chat/completions' : '/v1/responses');

/** One request of a batch: its custom_id, the step directory it answers (relative to the run directory), the hash of its body. */
export interface BatchRequestRecord {
  readonly custom_id: string;
  readonly dir: string;
  readonly hash: string;
}

/**
 * A batch sent to the server, saved in the run directory as soon as it exists: `--resume` finds a
 * request there (same step directory, same body) and polls that batch instead of paying again.
 */
export interface BatchRecord {
  readonly schema: 1;
  readonly id: string;
  readonly endpoint: BatchEndpoint;
  readonly model: string;
  readonly input_file_id: string;
  readonly created_at: string;
  readonly requests: readonly BatchRequestRecord[];
}

/** What identifies a request across attempts: its endpoint and body, hashed. */
export function requestHash(call: ModelRequest): string {
  return createHash('sha256')
    .update(`${endpointOf(call.api)}\n${JSON.stringify(call.body)}`)
    .digest('hex');
}

/** A batch id usable as a file name; the server's word is not trusted for paths. */
export const BATCH_ID = /^[A-Za-z0-9_-]{1,200}$/;

export function writeBatchRecord(files: TreeWriter, runDir: string, record: BatchRecord): void {
  if (!BATCH_ID.test(record.id))
    throw new Error(`the server named the batch ${JSON.stringify(record.id.slice(0, 100))}, which is not a batch id`);
  files.writeJson(join(runDir, BATCHES_DIR, `${record.id}.json`), record);
}

/** A step directory as the walker makes them: relative, forward slashes, no `..`, no empty part. */
const isStepDir = (dir: unknown): dir is string =>
  typeof dir === 'string' &&
  dir.length <= 4096 &&
  !isAbsolute(dir) &&
  dir.split('/').every((part) => part !== '' && part !== '.' && part !== '..');

/** A record read back from disk, checked field by field; the problem when it is not a record we wrote. */
export function parseBatchRecord(text: string, fileId: string): BatchRecord | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObject(data) || data.schema !== 1) return 'not a batch record (schema 1)';
  const { id, endpoint, model, input_file_id: inputFile, created_at: created, requests } = data;
  if (typeof id !== 'string' || !BATCH_ID.test(id) || id !== fileId) return `"id" is not the file's name`;
  if (endpoint !== '/v1/responses' && endpoint !== '/v1/chat/completions') return `"endpoint" is not /v1/responses or /v1/chat/completions`;
  if (typeof model !== 'string' || typeof inputFile !== 'string' || typeof created !== 'string')
    return '"model", "input_file_id" or "created_at" is not text';
  if (!Array.isArray(requests)) return '"requests" is not a list';
  const seen = new Set<string>();
  const checked: BatchRequestRecord[] = [];
  for (const [i, request] of requests.entries()) {
    if (!isObject(request)) return `requests[${i}] is not an object`;
    const { custom_id: customId, dir, hash } = request;
    if (typeof customId !== 'string' || customId.length > 64 || seen.has(customId))
      return `requests[${i}].custom_id is missing, too long or repeated`;
    if (!isStepDir(dir)) return `requests[${i}].dir is not a step directory of the run`;
    if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return `requests[${i}].hash is not a sha256`;
    seen.add(customId);
    checked.push({ custom_id: customId, dir, hash });
  }
  return { schema: 1, id, endpoint, model, input_file_id: inputFile, created_at: created, requests: checked };
}

/**
 * The batch records of a run directory, each read without following a planted link and checked;
 * a file that is not one of ours is skipped and named in `problems` (its requests are sent again).
 */
export function readBatchRecords(runDir: string): { records: BatchRecord[]; problems: string[] } {
  const dir = join(runDir, BATCHES_DIR);
  const records: BatchRecord[] = [];
  const problems: string[] = [];
  const stats = lstatSync(dir, { throwIfNoEntry: false });
  if (stats === undefined) return { records, problems };
  if (!stats.isDirectory()) return { records, problems: [`${dir} is not a directory: its batches are not polled again`] };
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    let parsed: BatchRecord | string;
    try {
      parsed = parseBatchRecord(readTreeFile(path).toString('utf8'), name.slice(0, -'.json'.length));
    } catch (error) {
      parsed = error instanceof Error ? error.message : String(error);
    }
    if (typeof parsed === 'string') problems.push(`${path}: ${parsed}: its batch is not polled again`);
    else records.push(parsed);
  }
  return { records, problems };
}
