import { basename, dirname, join, sep } from 'node:path';

/** The names of the files and directories a SafeTree writes (safe-tree.ts). */

/**
 * `dirname` and `basename` of a path as join() makes them (no trailing separator, not the root):
 * a cut at the last separator, without path.dirname's and basename's scans; any other path goes
 * to them.
 */
export function splitPath(path: string): { parent: string; name: string } {
  const cut = sep === '/' ? path.lastIndexOf('/') : -1;
  if (cut > 0 && cut < path.length - 1) return { parent: path.slice(0, cut), name: path.slice(cut + 1) };
  return { parent: dirname(path), name: basename(path) };
}

/**
 * `join(dir, name)` for a directory join() made (normalised) and a single name: a concatenation,
 * without join's normalising scan, where the separator is `/`.
 */
export const under = (dir: string, name: string): string => (sep === '/' ? `${dir}/${name}` : join(dir, name));

/** The temporary file `path` is written through: `<path>.<pid>.tmp`, in the same directory. */
export const temporaryPath = (path: string): string => `${path}.${process.pid}.tmp`;

/**
 * The pid in the name of a temporary file orchestrator writes through (`<name>.<pid>.tmp`, and
 * results.json's `<name>.<pid>.flows.tmp`); undefined for any other name.
 */
export function temporaryOwner(name: string): number | undefined {
  const match = /^.+\.([1-9]\d{0,9})(?:\.flows)?\.tmp$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}
