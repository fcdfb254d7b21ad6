import { FlowSpace, range, type KeyList } from '../../src/flows/flows.js';
import { keyFileLines, parseKeySpec, hashKeyLists, readKeyLists } from '../../src/flows/keys.js';
import { shardPlan } from '../../src/flows/plan.js';
import { MAX_SHARDS, parseShard, shardRange } from '../../src/flows/shards.js';
import { UsageError } from '../../src/errors.js';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../helpers/project.js';

const key = (name: string, count: number, prefix = name): KeyList => ({
  name,
  file: `${name}.txt`,
  paths: Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`),
});

describe('FlowSpace', () => {
  test('the cartesian product, first key varying slowest, ids flow_0001..', () => {
    const space = new FlowSpace([
      { name: 'a', file: 'a.txt', paths: ['a1', 'a2', 'a3'] },
      { name: 'b', file: 'b.txt', paths: ['b1', 'b2'] },
    ]);
    expect(space.total).toBe(6);
    expect([...space.flows()]).toEqual([
      { index: 0, id: 'flow_0001', keys: { a: 'a1', b: 'b1' } },
      { index: 1, id: 'flow_0002', keys: { a: 'a1', b: 'b2' } },
      { index: 2, id: 'flow_0003', keys: { a: 'a2', b: 'b1' } },
      { index: 3, id: 'flow_0004', keys: { a: 'a2', b: 'b2' } },
      { index: 4, id: 'flow_0005', keys: { a: 'a3', b: 'b1' } },
      { index: 5, id: 'flow_0006', keys: { a: 'a3', b: 'b2' } },
    ]);
  });

  test('keys are recorded in the order the keys were given', () => {
    const space = new FlowSpace([key('zeta', 2), key('alpha', 2)]);
    expect(Object.keys(space.at(3).keys)).toEqual(['zeta', 'alpha']);
    expect(space.at(1).keys).toEqual({ zeta: 'zeta1', alpha: 'alpha2' });
  });

  test('three keys: every combination exactly once, in mixed-radix order', () => {
    const space = new FlowSpace([key('a', 2), key('b', 3), key('c', 4)]);
    const flows = [...space.flows()];
    expect(flows).toHaveLength(24);
    expect(new Set(flows.map((f) => JSON.stringify(f.keys))).size).toBe(24);
    flows.forEach((flow, i) => {
      expect(flow.keys).toEqual({ a: `a${Math.floor(i / 12) + 1}`, b: `b${(Math.floor(i / 4) % 3) + 1}`, c: `c${(i % 4) + 1}` });
    });
  });

  test('no keys: one flow with no keys', () => {
    const space = new FlowSpace([]);
    expect(space.total).toBe(1);
    expect([...space.flows()]).toEqual([{ index: 0, id: 'flow_0001', keys: {} }]);
  });

  test('ids have at least 4 digits, and one width for the whole run', () => {
    expect(new FlowSpace([key('a', 9999)]).id(0)).toBe('flow_0001');
    expect(new FlowSpace([key('a', 9999)]).id(9998)).toBe('flow_9999');
    const big = new FlowSpace([key('a', 100), key('b', 100), key('c', 2)]);
    expect(big.total).toBe(20000);
    expect(big.id(0)).toBe('flow_00001');
    expect(big.id(19999)).toBe('flow_20000');
    expect(new FlowSpace([key('a', 10000)]).at(9999).id).toBe('flow_10000');
    expect(new FlowSpace([key('a', 10000)]).at(0).id).toBe('flow_00001');
  });

  test('ids sort in flow order as plain strings', () => {
    const space = new FlowSpace([key('a', 120), key('b', 100)]);
    const ids = [0, 1, 9, 10, 99, 999, 9999, 11999].map((i) => space.id(i));
    expect([...ids].sort()).toEqual(ids);
  });

  test('flows() is lazy: a space of 10^12 flows yields its first 3 at once', () => {
    const space = new FlowSpace([key('a', 10000), key('b', 10000), key('c', 10000)]);
    expect(space.total).toBe(1e12);
    const started = Date.now();
    const iterator = space.flows();
    const first = [iterator.next().value, iterator.next().value, iterator.next().value];
    expect(Date.now() - started).toBeLessThan(1000);
    expect(first.map((f) => f!.id)).toEqual(['flow_0000000000001', 'flow_0000000000002', 'flow_0000000000003']);
    expect(first[2]!.keys).toEqual({ a: 'a1', b: 'b1', c: 'c3' });
    // the last flow is addressable without walking there
    expect(space.at(1e12 - 1)).toEqual({ index: 1e12 - 1, id: 'flow_1000000000000', keys: { a: 'a10000', b: 'b10000', c: 'c10000' } });
  });

  test('flows(indexes) yields the given indexes only', () => {
    const space = new FlowSpace([key('a', 3), key('b', 2)]);
    expect([...space.flows(range(2, 4))].map((f) => f.id)).toEqual(['flow_0003', 'flow_0004']);
    expect([...space.flows([5, 0])].map((f) => f.id)).toEqual(['flow_0006', 'flow_0001']);
  });

  test('at() refuses indexes outside the space', () => {
    const space = new FlowSpace([key('a', 3)]);
    expect(() => space.at(3)).toThrow(RangeError);
    expect(() => space.at(-1)).toThrow(RangeError);
    expect(() => space.at(1.5)).toThrow(RangeError);
  });

  test('range() is lazy', () => {
    const iterator = range(0, Number.MAX_SAFE_INTEGER);
    expect(iterator.next().value).toBe(0);
    expect(iterator.next().value).toBe(1);
    expect([...range(3, 3)]).toEqual([]);
  });
});

describe('keyFileLines', () => {
  test('one path per line', () => {
    expect(keyFileLines('a.md\nb.md\n')).toEqual(['a.md', 'b.md']);
    expect(keyFileLines('a.md\nb.md')).toEqual(['a.md', 'b.md']);
  });

  test('CRLF line ends lose their \\r', () => {
    expect(keyFileLines('a.md\r\nb.md\r\n')).toEqual(['a.md', 'b.md']);
  });

  test('a UTF-8 BOM is removed', () => {
    expect(keyFileLines('\uFEFFa.md\r\nb.md')).toEqual(['a.md', 'b.md']);
  });

  test('blank lines are skipped, wherever they are', () => {
    expect(keyFileLines('\n\na.md\n\n   \n\r\nb.md\n\n\n')).toEqual(['a.md', 'b.md']);
    expect(keyFileLines('')).toEqual([]);
    expect(keyFileLines('\r\n\n')).toEqual([]);
  });

  test('paths keep their inner spaces and order, duplicates included', () => {
    expect(keyFileLines('my docs/a b.md\nz.md\nmy docs/a b.md\n')).toEqual(['my docs/a b.md', 'z.md', 'my docs/a b.md']);
  });
});

describe('readKeyLists', () => {
  // a path listed on many lines is checked once (keys.ts): every line of it is still reported
  test('a bad path listed on several lines is reported on each of them; a good one is read on each', () => {
    const dir = scratch({ 'a.md': 'a', 'outside/secret.md': 's', 'ws/b.md': 'b' });
    mkdirSync(join(dir, 'ws', 'folder'));
    symlinkSync(join(dir, 'outside', 'secret.md'), join(dir, 'ws', 'out.md'));
    const ws = join(dir, 'ws');
    const list = (lines: string[]): string => lines.join('\n') + '\n';
    writeFileSync(join(ws, 'docs.txt'), list(['b.md', 'gone.md', 'b.md', 'folder', 'gone.md', 'out.md', 'folder', 'out.md']));
    let message = '';
    try {
      readKeyLists([parseKeySpec('doc:docs.txt')], ws, { confineTo: ws });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const line of [2, 5]) expect(message).toContain(`line ${line}: "gone.md" does not exist`);
    for (const line of [4, 7]) expect(message).toMatch(new RegExp(`line ${line}: "folder" is a directory`));
    for (const line of [6, 8]) expect(message).toMatch(new RegExp(`line ${line}: "out.md" is \\(or links to\\) .*outside the workspace`));
    expect(message).not.toMatch(/line [13]:/);

    writeFileSync(join(ws, 'good.txt'), list(['b.md', 'b.md', 'b.md']));
    const [keys] = readKeyLists([parseKeySpec('doc:good.txt')], ws, { confineTo: ws });
    expect(keys!.paths).toEqual(['b.md', 'b.md', 'b.md']);
  });
});

describe('parseKeySpec', () => {
  test('NAME:FILE split at the first colon', () => {
    expect(parseKeySpec('doc:docs.txt')).toEqual({ name: 'doc', file: 'docs.txt' });
    expect(parseKeySpec('doc:C:/lists/docs.txt')).toEqual({ name: 'doc', file: 'C:/lists/docs.txt' });
  });

  test.each(['docs.txt', ':docs.txt', 'doc:', 'my doc:docs.txt', 'a{b:docs.txt'])('rejects %j with a UsageError naming it', (arg) => {
    expect(() => parseKeySpec(arg)).toThrow(UsageError);
    expect(() => parseKeySpec(arg)).toThrow(JSON.stringify(arg));
  });
});

describe('hashKeyLists', () => {
  test('changes with names, paths and their order', () => {
    const base = hashKeyLists([key('a', 2)]);
    expect(hashKeyLists([key('a', 2)])).toBe(base);
    expect(hashKeyLists([key('b', 2, 'a')])).not.toBe(base);
    expect(hashKeyLists([key('a', 3)])).not.toBe(base);
    expect(hashKeyLists([{ name: 'a', file: 'x', paths: ['a2', 'a1'] }])).not.toBe(base);
  });
});

describe('shards', () => {
  const totals = [1, 2, 3, 5, 7, 10, 17, 100, 255, 256, 257, 1000, 1001];
  const counts = [1, 2, 3, 4, 7, 10, 16, 100, 256];

  test.each(totals)('total %i: for every N, shards are disjoint contiguous ranges covering every flow, sizes within 1', (total) => {
    for (const count of counts.filter((c) => c <= total)) {
      const ranges = Array.from({ length: count }, (_, i) => shardRange(total, { index: i + 1, count }));
      let next = 0;
      for (const { from, to } of ranges) {
        expect(from).toBe(next); // contiguous, in order, no overlap, no gap
        expect(to).toBeGreaterThan(from); // no empty shard when N <= total
        next = to;
      }
      expect(next).toBe(total);
      const sizes = ranges.map(({ from, to }) => to - from);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  test('the assignment depends only on total, I and N', () => {
    expect(shardRange(10, { index: 1, count: 3 })).toEqual({ from: 0, to: 4 });
    expect(shardRange(10, { index: 2, count: 3 })).toEqual({ from: 4, to: 7 });
    expect(shardRange(10, { index: 3, count: 3 })).toEqual({ from: 7, to: 10 });
    expect(shardRange(10, { index: 2, count: 3 })).toEqual(shardRange(10, { index: 2, count: 3 }));
  });

  test('huge totals stay exact', () => {
    const total = 1e12 + 7;
    const ranges = Array.from({ length: 256 }, (_, i) => shardRange(total, { index: i + 1, count: 256 }));
    expect(ranges[0]!.from).toBe(0);
    expect(ranges[255]!.to).toBe(total);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
  });

  test('parseShard', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard(' 3 / 3 ')).toEqual({ index: 3, count: 3 });
    expect(parseShard('256/256')).toEqual({ index: 256, count: 256 });
    expect(parseShard('0/4')).toMatch(/I must be between 1 and N/);
    expect(parseShard('5/4')).toMatch(/I must be between 1 and N \(4\)/);
    expect(parseShard('1/0')).toMatch(/N must be between 1 and 256/);
    expect(parseShard('1/257')).toMatch(/N must be between 1 and 256/);
    for (const bad of ['1', '1/', '/4', 'a/b', '1.5/4', '-1/4', '1/4/5', '']) expect(parseShard(bad)).toMatch(/expected I\/N/);
  });

  test('shardPlan: one matrix entry per shard, flows per shard summing to the total', () => {
    const plan = shardPlan('run_x', 10, 3);
    expect(plan).toEqual({
      run_id: 'run_x',
      total: 10,
      matrix: {
        include: [
          { shard: '1/3', flows: 4 },
          { shard: '2/3', flows: 3 },
          { shard: '3/3', flows: 3 },
        ],
      },
    });
  });

  test('shardPlan caps N at the number of flows, so no leg is empty', () => {
    const plan = shardPlan('run_x', 3, 10);
    expect(plan.matrix.include).toEqual([
      { shard: '1/3', flows: 1 },
      { shard: '2/3', flows: 1 },
      { shard: '3/3', flows: 1 },
    ]);
  });

  test('shardPlan caps N at 256 (the GitHub matrix limit)', () => {
    expect(MAX_SHARDS).toBe(256);
    const plan = shardPlan('run_x', 100000, 1000);
    expect(plan.matrix.include).toHaveLength(256);
    expect(plan.matrix.include[255]!.shard).toBe('256/256');
    expect(plan.matrix.include.reduce((sum, s) => sum + s.flows, 0)).toBe(100000);
    const sizes = plan.matrix.include.map((s) => s.flows);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  test('shardPlan with more shards than flows and more than 256 at once', () => {
    const plan = shardPlan('run_x', 300, 1000);
    expect(plan.matrix.include).toHaveLength(256);
    expect(plan.matrix.include.every((s) => s.flows >= 1)).toBe(true);
  });
});
