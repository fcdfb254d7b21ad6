/**
 * `apply --redo DIR`: the leaves whose patch conflicted become key lists, `DIR/<KEY>.txt` (the
 * listed files of those leaves, each once, in leaf order), so that a new run over them, on the new
 * HEAD, is one command: `orchestrator run CONFIG --key KEY:DIR/KEY.txt ... --isolate worktree`.
 * With one key those are exactly the conflicting flows; with several, the flows of the product of
 * the lists, which holds them (and may hold a few combinations more).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_NAME } from '../prompt/placeholders.js';
import type { ApplyRow } from './apply.js';

/** The lists to write: key name -> listed paths, each once, in leaf order. */
export function redoLists(rows: readonly ApplyRow[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const row of rows) {
    if (row.outcome !== 'conflict') continue;
    for (const [name, path] of Object.entries(row.keys)) {
      // a name from a record that is no key name, or a path that is not one line, is no list entry
      if (!KEY_NAME.test(name) || /[\r\n]/.test(path) || path.trim() === '') continue;
      const list = lists.get(name) ?? [];
      if (!list.includes(path)) list.push(path);
      lists.set(name, list);
    }
  }
  return lists;
}

/** Writes the lists into `dir`; resolves to the `--key` arguments that run them (empty when nothing conflicted). */
export function writeRedo(dir: string, rows: readonly ApplyRow[]): string[] {
  const lists = redoLists(rows);
  mkdirSync(dir, { recursive: true });
  const keys: string[] = [];
  for (const [name, paths] of lists) {
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, paths.join('\n') + '\n');
    keys.push(`${name}:${file}`);
  }
  return keys;
}
