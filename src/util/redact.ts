/** Environment variable names whose values are treated as secrets (`-` too: the Action's `INPUT_GITHUB-TOKEN`). */
const SECRET_NAME = /([_-]KEY|[_-]TOKEN|[_-]SECRET|PASSWORD)$/i;
const MIN_SECRET_LENGTH = 8;
export const MASK = '***';

/** A secret value and the variable (or input) it came from, so a message can name it without showing it. */
export interface NamedSecret {
  readonly name: string;
  readonly value: string;
}

/** Secret values found in an environment: variables named *_KEY, *_TOKEN, *_SECRET, *PASSWORD. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): NamedSecret[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([name, value]) => ({ name, value: value! }));
}

/**
 * The forms of a secret that are masked: the value; for a multi-line value (a PEM key) each line
 * too, since a step may print one line, and a log is masked line by line; and the JSON-escaped
 * form of each (newlines, quotes and backslashes escaped), as codex's event stream and any JSON
 * text carry it.
 */
function secretForms(value: string): string[] {
  const lines = value.includes('\n') || value.includes('\r') ? value.split(/\r?\n|\r/).map((line) => line.trim()) : [];
  const plain = [value, ...lines];
  return [...plain, ...plain.map((form) => JSON.stringify(form).slice(1, -1))];
}

/** Replaces secret values by `***` in everything written or printed. */
export class Redactor {
  private readonly secrets: string[];
  private readonly names = new Map<string, string>();
  private bytes: Buffer[] | undefined;

  /** Plain strings are named `the API key` in messages; prefer named secrets. */
  constructor(secrets: Iterable<string | NamedSecret | undefined>) {
    for (const secret of secrets) {
      if (secret === undefined) continue;
      const { name, value } = typeof secret === 'string' ? { name: 'the API key', value: secret } : secret;
      if (value.length < MIN_SECRET_LENGTH) continue;
      for (const form of secretForms(value)) if (form.length >= MIN_SECRET_LENGTH && !this.names.has(form)) this.names.set(form, name);
    }
    this.secrets = [...this.names.keys()].sort((a, b) => b.length - a.length);
  }

  /**
   * A JSON-able value with every string (and key) redacted: redact before serialising. A copy when
   * something in it held a secret, else the value itself: looking costs no allocation, and a
   * step's record (step.json, its line of results.jsonl) rarely holds one.
   */
  redactValue<T>(value: T): T {
    if (this.secrets.length === 0 || !this.anywhereIn(value)) return value;
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.redact(item);
      if (Array.isArray(item)) return item.map(walk);
      if (item !== null && typeof item === 'object' && !(item instanceof Date)) {
        return Object.fromEntries(Object.entries(item).map(([key, inner]) => [this.redact(key), walk(inner)]));
      }
      return item;
    };
    return walk(value) as T;
  }

  /** Whether a string of `item`, or a key, holds a secret (the walk redactValue makes, reading only). */
  private anywhereIn(item: unknown): boolean {
    if (typeof item === 'string') return this.secrets.some((secret) => item.includes(secret));
    if (Array.isArray(item)) return item.some((inner) => this.anywhereIn(inner));
    if (item === null || typeof item !== 'object' || item instanceof Date) return false;
    // anything but a plain object (a Buffer, a Map) is copied as the walk copies it, whatever it holds
    const proto: unknown = Object.getPrototypeOf(item);
    if (proto !== Object.prototype && proto !== null) return true;
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      if (this.anywhereIn(key) || this.anywhereIn((item as Record<string, unknown>)[key])) return true;
    }
    return false;
  }

  /** Every form masked (value, lines, escaped forms): for masking a log line by line (`::add-mask::`). */
  get forms(): readonly string[] {
    return this.secrets;
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
  }

  /** The names of the secrets whose values occur in `text` (never the values). */
  namesIn(text: string): string[] {
    return [...new Set(this.secrets.filter((secret) => text.includes(secret)).map((secret) => this.names.get(secret)!))].sort();
  }

  /** Longest secret, so a stream redactor knows how much text to hold back between chunks. */
  get longest(): number {
    return this.secrets[0]?.length ?? 0;
  }

  /** The secrets as UTF-8 bytes, longest first. */
  private get secretBytes(): Buffer[] {
    return (this.bytes ??= this.secrets.map((secret) => Buffer.from(secret, 'utf8')).sort((a, b) => b.length - a.length));
  }

  /**
   * `redact` on bytes: the UTF-8 bytes of each secret replaced by those of `***`, every other byte
   * kept as it is (a command's output need not be UTF-8, and passes on unchanged but for secrets).
   */
  redactBytes(data: Buffer): Buffer {
    let result = data;
    for (const secret of this.secretBytes) {
      let at = result.indexOf(secret);
      if (at < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (; at >= 0; at = result.indexOf(secret, from)) {
        parts.push(result.subarray(from, at), MASK_BYTES);
        from = at + secret.length;
      }
      parts.push(result.subarray(from));
      result = Buffer.concat(parts);
    }
    return result;
  }

  /** Longest secret in UTF-8 bytes, so a byte stream knows how much to hold back between chunks. */
  get longestBytes(): number {
    return this.secretBytes[0]?.length ?? 0;
  }
}

const MASK_BYTES = Buffer.from(MASK);

/**
 * A URL without the credentials it may carry, for one of two uses:
 * - `'record'` (default), a URL as it may be written down (run.json): the user, the password and
 *   every query value become `***`; text that is not a URL becomes `***` (nothing of it is known to be safe);
 * - `'identity'`, what names the server in a fingerprint or a cache key: the user and password are
 *   dropped (rotating them does not change the answers) and the query is kept (it may choose what
 *   answers, e.g. `?api-version=`); text that is not a URL is kept as it is.
 */
export function urlWithoutCredentials(text: string, use: 'record' | 'identity' = 'record'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return use === 'record' ? MASK : text;
  }
  if (use === 'identity') {
    url.username = '';
    url.password = '';
    return url.toString();
  }
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, MASK);
  return url.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/** The credentials a URL carries (user, password, query values), as secrets for a Redactor. */
export function secretsFromUrl(text: string | undefined, name: string): NamedSecret[] {
  if (text === undefined) return [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const values = [url.username, url.password, ...url.searchParams.values()];
  // user and password as written (percent-encoded) and as sent
  for (const value of [url.username, url.password]) {
    try {
      values.push(decodeURIComponent(value));
    } catch {
      // not valid percent-encoding: as written only
    }
  }
  return values.filter((value) => value.length >= MIN_SECRET_LENGTH).map((value) => ({ name, value }));
}

/** What a run's redactor hides besides the environment's secret-like variables. */
export interface RunSecrets {
  /** The API key (named `the API key` in messages), or a named one (the Action's input). */
  readonly apiKey?: string | NamedSecret;
  /** The base URL, whose user, password and query values are secrets, and what set it (`--base-url`). */
  readonly baseUrl?: { readonly value: string | undefined; readonly name: string };
  /** Any other secret, named (the Action's GitHub token). */
  readonly others?: readonly (NamedSecret | undefined)[];
}

/**
 * The one recipe for a run's redactor, used by the CLI, the engine, the after report and the
 * Action alike: every variable of `env` whose name says it holds a secret, the API key, the
 * credentials of the base URL, and any other secret named.
 */
export function redactorFor(env: Readonly<Record<string, string | undefined>>, secrets: RunSecrets = {}): Redactor {
  return new Redactor([
    ...secretsFromEnv(env),
    secrets.apiKey,
    ...secretsFromUrl(secrets.baseUrl?.value, secrets.baseUrl?.name ?? '--base-url'),
    ...(secrets.others ?? []),
  ]);
}
