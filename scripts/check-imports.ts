/**
 * Checks the shape of src/: no import cycle between files, none between folders, nothing below the
 * entries (cli/, action/) reaching up into them, and model/ importing nothing outside itself.
 * Type-only imports count: a cycle of types is still two concepts that cannot be read apart. Prints every problem and exits 1 when there is one.
 *
 *   node scripts/check-imports.ts          (npm run lint runs it)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', 'src');
/** Folders that are entries: they may import anything, and nothing imports them. */
const ENTRIES = new Set(['cli', 'action']);
/** Folders every other may use that import nothing outside themselves (the shared types). */
const LEAVES = new Set(['model']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\sfrom\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

/** The files a source imports, as paths relative to src/ (`engine/run.ts`). */
export function importsOf(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (spec === undefined) continue;
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
    found.push(relative(ROOT, target));
  }
  return found;
}

/** The folder of a file relative to src/: `steps/batch` for `steps/batch/runner.ts`, `.` at the top. */
const folderOf = (file: string): string => dirname(file);
/** The top folder: `steps` for `steps/batch/runner.ts`. */
const topOf = (file: string): string => file.split('/')[0] ?? '.';

/** Every elementary cycle's smallest witness found by a depth-first search, as lists of nodes. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          found.push([...cycle, next]);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

/** Every problem in a map of files (relative to src/) to the files they import. */
export function problemsIn(files: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  const fileGraph = new Map<string, Set<string>>();
  const folderGraph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    fileGraph.set(file, new Set(targets));
    for (const target of targets) {
      if (!files.has(target)) problems.push(`${file}: imports ${target}, which does not exist`);
      const [from, to] = [folderOf(file), folderOf(target)];
      if (ENTRIES.has(topOf(target)) && topOf(file) !== topOf(target) && file !== 'index.ts') {
        problems.push(`${file}: imports ${target}: only the entries (src/index.ts, bin/) may use cli/ and action/`);
      }
      if (LEAVES.has(topOf(file)) && topOf(file) !== topOf(target)) {
        problems.push(`${file}: imports ${target}: ${topOf(file)}/ is a leaf that every folder uses, it imports nothing outside itself`);
      }
      // a folder and its subfolders are one concept: steps/batch may use steps/ and the reverse
      if (topOf(file) === topOf(target) || from === to) continue;
      const edges = folderGraph.get(topOf(file)) ?? new Set<string>();
      edges.add(topOf(target));
      folderGraph.set(topOf(file), edges);
    }
  }
  for (const cycle of cycles(folderGraph)) problems.push(`folder cycle: ${cycle.join(' -> ')}`);
  for (const cycle of cycles(fileGraph)) problems.push(`file cycle: ${cycle.join(' -> ')}`);
  return problems;
}

function main(): void {
  const files = new Map<string, string[]>();
  for (const path of sources(ROOT)) files.set(relative(ROOT, path), importsOf(path, readFileSync(path, 'utf8')));
  const problems = problemsIn(files);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`\n${problems.length} import problem(s) in src/: see CONTRIBUTING.md "How data flows" for the arrows.`);
    process.exit(1);
  }
  console.log(`imports: ${files.size} files, no cycles between files or folders`);
}

if (import.meta.main) main();
