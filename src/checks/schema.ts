/**
 * The JSON Schema subset a `json_schema` check takes: `type`, `properties`, `required`,
 * `additionalProperties`, `items`, `enum`, `const`, `minItems`/`maxItems`, `minLength`/`maxLength`,
 * `minimum`/`maximum`, `pattern`, and the annotations `title`, `description`, `$schema`, `$comment`.
 * Any other keyword is refused when the config is read, so no constraint is silently ignored. Pure,
 * and small on purpose: the installed CLI bundles no schema library.
 */
import { isObject } from '../util/is-object.js';

const TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
const ANNOTATIONS = ['title', 'description', '$schema', '$comment'];
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength'];
const KEYWORDS = [
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'pattern',
  ...COUNTS,
  ...ANNOTATIONS,
];

type Schema = Record<string, unknown>;

/** What is wrong with `schema` as a schema of the subset, each problem with its place (`/properties/a`); empty when nothing is. */
export function schemaProblems(schema: unknown, at = ''): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isObject(schema)) return [`${at || '/'}: a schema must be an object (or true/false)`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const here = `${at}/${key}`;
    if (!KEYWORDS.includes(key))
      problems.push(`${here}: keyword "${key}" is not supported (supported: ${KEYWORDS.slice(0, -4).join(', ')})`);
    else if (key === 'type') {
      const types = Array.isArray(value) ? value : [value];
      if (types.length === 0 || !types.every((t) => (TYPES as readonly unknown[]).includes(t)))
        problems.push(`${here}: must be one of ${TYPES.join(', ')} (or a list of them)`);
    } else if (key === 'properties') {
      if (!isObject(value)) problems.push(`${here}: must be an object of property schemas`);
      else for (const [name, sub] of Object.entries(value)) problems.push(...schemaProblems(sub, `${here}/${name}`));
    } else if (key === 'items' || key === 'additionalProperties') problems.push(...schemaProblems(value, here));
    else if (key === 'required' && !(Array.isArray(value) && value.every((v) => typeof v === 'string')))
      problems.push(`${here}: must be a list of property names`);
    else if (key === 'enum' && !Array.isArray(value)) problems.push(`${here}: must be a list of values`);
    else if (COUNTS.includes(key) && !(Number.isSafeInteger(value) && (value as number) >= 0))
      problems.push(`${here}: must be a whole number, 0 or more`);
    else if ((key === 'minimum' || key === 'maximum') && typeof value !== 'number') problems.push(`${here}: must be a number`);
    else if (key === 'pattern') {
      if (typeof value !== 'string') problems.push(`${here}: must be a regular expression as a string`);
      else {
        try {
          new RegExp(value, 'u');
        } catch (error) {
          problems.push(`${here}: not a regular expression: ${(error as Error).message}`);
        }
      }
    }
  }
  return problems;
}

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;

/** Whether `a` and `b` are the same JSON value (object keys in any order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

const short = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

function matchesType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

/** The first way `value` breaks `schema` (checked by schemaProblems), with its place (`/items/2`); undefined when it conforms. */
export function schemaViolation(schema: unknown, value: unknown, at = ''): string | undefined {
  if (schema === true) return undefined;
  if (schema === false) return `${at || '/'}: no value is allowed here`;
  const s = schema as Schema;
  const where = at || '/';
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!types.some((t) => matchesType(value, t))) return `${where}: expected ${types.join(' or ')}, got ${typeOf(value)}`;
  }
  if (s.const !== undefined && !jsonEqual(value, s.const)) return `${where}: expected ${short(s.const)}, got ${short(value)}`;
  if (Array.isArray(s.enum) && !s.enum.some((v) => jsonEqual(v, value)))
    return `${where}: expected one of ${short(s.enum)}, got ${short(value)}`;
  if (typeof value === 'string') return stringViolation(s, value, where);
  if (typeof value === 'number') return numberViolation(s, value, where);
  if (Array.isArray(value)) return arrayViolation(s, value, at);
  if (isObject(value)) return objectViolation(s, value, at);
  return undefined;
}

function stringViolation(s: Schema, value: string, where: string): string | undefined {
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength) return `${where}: shorter than ${s.minLength} characters`;
  if (typeof s.maxLength === 'number' && length > s.maxLength) return `${where}: longer than ${s.maxLength} characters`;
  if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) return `${where}: does not match ${s.pattern}`;
  return undefined;
}

function numberViolation(s: Schema, value: number, where: string): string | undefined {
  if (typeof s.minimum === 'number' && value < s.minimum) return `${where}: ${value} is less than ${s.minimum}`;
  if (typeof s.maximum === 'number' && value > s.maximum) return `${where}: ${value} is more than ${s.maximum}`;
  return undefined;
}

function arrayViolation(s: Schema, value: unknown[], at: string): string | undefined {
  const where = at || '/';
  if (typeof s.minItems === 'number' && value.length < s.minItems) return `${where}: fewer than ${s.minItems} items`;
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) return `${where}: more than ${s.maxItems} items`;
  if (s.items === undefined) return undefined;
  for (const [i, item] of value.entries()) {
    const problem = schemaViolation(s.items, item, `${at}/${i}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function objectViolation(s: Schema, value: Record<string, unknown>, at: string): string | undefined {
  const missing = ((s.required as string[] | undefined) ?? []).find((name) => !Object.hasOwn(value, name));
  if (missing !== undefined) return `${at || '/'}: missing property ${JSON.stringify(missing)}`;
  const properties = (s.properties as Record<string, unknown> | undefined) ?? {};
  for (const [name, item] of Object.entries(value)) {
    const sub = Object.hasOwn(properties, name) ? properties[name] : s.additionalProperties;
    if (sub === undefined) continue;
    if (sub === false && !Object.hasOwn(properties, name)) return `${at || '/'}: property ${JSON.stringify(name)} is not allowed`;
    const problem = schemaViolation(sub, item, `${at}/${name}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
