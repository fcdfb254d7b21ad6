import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError, errorMessage } from '../errors.js';
import { maxOutputBytes } from '../steps/limits.js';
import { readTreeFile } from '../util/safe-read.js';
import { makeDirectories, SafeTree, UnsafePathError } from '../util/safe-tree.js';
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
  private readonly tree: SafeTree;

  /** `dir`: the directory, absolute; `where`: what set it, for messages (`--cache "cache"`). */
  constructor(
    readonly dir: string,
    where = `--cache ${JSON.stringify(dir)}`,
  ) {
    this.root = join(dir, `v${CACHE_FORMAT}`);
    this.tree = new SafeTree(this.root);
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
    // a reply is at most maxOutputBytes of text; its JSON body a little more
    const cap = 2 * maxOutputBytes() + 64 * 1024;
    const path = this.path(key);
    let text: string;
    try {
      text = readTreeFile(path, { maxBytes: cap }).toString('utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new CorruptEntry(error instanceof UnsafePathError ? `it ${error.problem}` : errorMessage(error));
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
    const temporary = join(dirname(path), `.${entry.key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const text = JSON.stringify({ schema: CACHE_FORMAT, key: entry.key, api: entry.api, response: entry.response });
    // the shard directory is ours: a link there would send the entry elsewhere, and is refused
    try {
      this.tree.write(temporary, text);
    } catch (error) {
      // a full disk: no half-written temporary file is left in the cache
      rmSync(temporary, { force: true });
      throw error;
    }
    try {
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    this.written++;
  }
}
