/** Reading a JSON record we did not write field by field: each problem names the file and the field. */

/** A file under a run directory holds something we did not write. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export type Json = Record<string, unknown>;

/** Reads fields of one JSON object, each check naming `file` and the field's path. */
export class Fields {
  constructor(
    readonly file: string,
    private readonly at: string,
    private readonly value: Json,
  ) {}

  static of(file: string, value: unknown, at = ''): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new DataError(`${file}: ${at === '' ? 'the file' : `field "${at}"`} must be a JSON object`);
    return new Fields(file, at, value as Json);
  }

  private name(field: string): string {
    return this.at === '' ? field : `${this.at}.${field}`;
  }

  fail(field: string, what: string): never {
    const shown = JSON.stringify(this.value[field]) ?? 'nothing';
    throw new DataError(
      `${this.file}: field "${this.name(field)}" must be ${what}, not ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`,
    );
  }

  has(field: string): boolean {
    return this.value[field] !== undefined;
  }

  string(field: string, pattern?: RegExp, what = 'a string'): string {
    const v = this.value[field];
    if (typeof v !== 'string' || (pattern !== undefined && !pattern.test(v))) this.fail(field, what);
    return v;
  }

  nullableString(field: string): string | null {
    return this.value[field] === null ? null : this.string(field, undefined, 'a string or null');
  }

  /** A finite number of 0 or more (`whole`: an integer). */
  count(field: string, whole = false, min = 0): number {
    const v = this.value[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (whole && !Number.isSafeInteger(v)))
      this.fail(field, `a finite ${whole ? 'whole ' : ''}number of ${min} or more`);
    return v;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.value[field];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) this.fail(field, `one of ${allowed.join(', ')}`);
    return v as T;
  }

  object(field: string): Fields {
    return Fields.of(this.file, this.value[field], this.name(field));
  }

  array(field: string): { fields: (i: number) => Fields; values: readonly unknown[]; name: string } {
    const v = this.value[field];
    if (!Array.isArray(v)) this.fail(field, 'an array');
    return { values: v, name: this.name(field), fields: (i) => Fields.of(this.file, v[i], `${this.name(field)}[${i}]`) };
  }

  /** An object whose values are all strings. */
  strings(field: string): Record<string, string> {
    const object = this.object(field);
    const out: Record<string, string> = {};
    for (const key of Object.keys(object.value)) out[key] = object.string(key);
    return out;
  }

  all(): Json {
    return this.value;
  }

  raw(field: string): unknown {
    return this.value[field];
  }
}
