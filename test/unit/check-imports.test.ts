/** The import checker `npm run lint` runs (scripts/check-imports.ts): planted problems are found. */
import { cycles, importsOf, problemsIn } from '../../scripts/check-imports.js';

const graph = (edges: Record<string, string[]>): Map<string, Set<string>> =>
  new Map(Object.entries(edges).map(([node, next]) => [node, new Set(next)]));

describe('check-imports', () => {
  it('finds a planted cycle, and none in a graph without one', () => {
    expect(cycles(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cycles(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('reports folder and file cycles, imports of the entries from below, and model/ importing out', () => {
    const files = new Map<string, string[]>([
      ['results/store.ts', ['report/merge.ts']],
      ['report/merge.ts', ['results/store.ts']],
      ['engine/run.ts', ['cli/io.ts', 'model/usage.ts']],
      ['cli/io.ts', []],
      ['model/usage.ts', ['util/files.ts']],
      ['util/files.ts', []],
      ['index.ts', ['action/main.ts']],
      ['action/main.ts', ['engine/run.ts']],
    ]);
    expect(problemsIn(files).sort()).toEqual([
      'engine/run.ts: imports cli/io.ts: only the entries (src/index.ts, bin/) may use cli/ and action/',
      'file cycle: report/merge.ts -> results/store.ts -> report/merge.ts',
      'folder cycle: report -> results -> report',
      'model/usage.ts: imports util/files.ts: model/ is a leaf that every folder uses, it imports nothing outside itself',
    ]);
    expect(
      problemsIn(
        new Map([
          ['a/x.ts', ['b/y.ts']],
          ['b/y.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads static, re-exported, type-only and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../model/b.js';",
      "export { c } from './c.js';",
      "const d = await import('../util/d.js');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(importsOf(`${process.cwd()}/src/engine/x.ts`, text)).toEqual(['engine/a.ts', 'model/b.ts', 'engine/c.ts', 'util/d.ts']);
  });
});
