import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { maxOutputBytes } from '../steps/limits.js';
import { makeDirectories } from '../util/safe-tree.js';
import { CACHE_FORMAT } from './key.js';
import { isObject } from '../util/is-object.js';

/** What an entry of the response cache holds: the reply to one request, as its server gave it (secrets masked). */
export interface CacheEntry {
  readonly schema: number;
  readonly key: string;
  readonly api: 'responses' | 'chat';
  /** The reply's parsed body; the output and usage are read from it again on every hit. */
  readonly response: Readonly<Record<string, unknown>>;
}

/** Why an entry read back is not used: it is then a miss, with a warning naming the file. */
export class CorruptEntry extends Error {}

const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * The response cache on disk (`--cache DIR`): one file per request, named by its key (cache/key.ts),
 * `DIR/v1/<first two hex digits>/<key>.json`. Entries are written whole through a temporary file
 * and a rename, so runs sharing the directory at the same time (two shards, two CI jobs on one
 * machine) see an entry whole or not at all; two runs writing the same entry write the same reply
 * to the same request, and either one may stay. Entries read back are data from outside the run
 * (the Action restores them from the Actions cache): they are read without following links,
 * size-capped and validated (CacheEntry, then the reply itself by the caller); one that is not
 * valid is a miss, never an error.
 */
export class ResponseCache {
  /** Entries this process wrote: the Action saves the cache only when it gained some. */
  written = 0;
  private readonly root: string;

  /** `dir`: the directory, absolute; `where`: what set it, for messages (`--cache "cache"`). */
  constructor(
    readonly dir: string,
    where = `--cache ${JSON.stringify(dir)}`,
  ) {
    this.root = join(dir, `v${CACHE_FORMAT}`);
    try {
      makeDirectories(this.root);
      if (!statSync(this.root).isDirectory()) throw new Error('it is not a directory');
    } catch (error) {
      throw new UsageError(`${where}: cannot use it as the response cache: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  /** The file of an entry. */
  path(key: string): string {
    if (!HEX_KEY.test(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), `${key}.json`);
  }

  /**
   * The entry for `key`, or undefined when there is none. Throws CorruptEntry when a file is there
   * but is not an entry for this key (the caller warns and calls the model).
   */
  read(key: string): CacheEntry | undefined {
    const path = this.path(key);
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new CorruptEntry(code === 'ELOOP' ? 'it is a symbolic link, which is not followed' : errorMessage(error));
    }
    let text: string;
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) throw new CorruptEntry('it is not a regular file');
      // a reply is at most maxOutputBytes of text; its JSON body a little more
      const cap = 2 * maxOutputBytes() + 64 * 1024;
      if (stats.size > cap) throw new CorruptEntry(`it holds ${stats.size} bytes, more than any reply (${cap})`);
      const data = Buffer.alloc(stats.size);
      let read = 0;
      while (read < data.length) {
        const n = readSync(fd, data, read, data.length - read, read);
        if (n === 0) break;
        read += n;
      }
      text = data.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CorruptEntry('it is not JSON');
    }
    if (!isObject(parsed)) throw new CorruptEntry('it is not a JSON object');
    if (parsed.schema !== CACHE_FORMAT) throw new CorruptEntry(`its "schema" is ${JSON.stringify(parsed.schema)}, not ${CACHE_FORMAT}`);
    if (parsed.key !== key) throw new CorruptEntry('its "key" is not the key its file is named by');
    if (parsed.api !== 'responses' && parsed.api !== 'chat') throw new CorruptEntry('its "api" is neither "responses" nor "chat"');
    if (!isObject(parsed.response)) throw new CorruptEntry('its "response" is not a JSON object');
    return { schema: CACHE_FORMAT, key, api: parsed.api, response: parsed.response };
  }

  /** Stores the reply to the request `key`: a temporary file of this process, renamed into place. */
  write(entry: Omit<CacheEntry, 'schema'>): void {
    const path = this.path(entry.key);
    const dir = join(this.root, entry.key.slice(0, 2));
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // the shard directory is ours: a link there would send the entry elsewhere
    if (!lstatSync(dir).isDirectory()) throw new Error(`${dir} is not a directory (a symbolic link is not followed)`);
    const temporary = join(dir, `.${entry.key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const text = JSON.stringify({ schema: CACHE_FORMAT, key: entry.key, api: entry.api, response: entry.response });
    const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeFileSync(fd, text);
    } catch (error) {
      // a full disk: no half-written temporary file is left in the cache
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    try {
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    this.written++;
  }
}
