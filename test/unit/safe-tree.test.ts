/**
 * SafeTree's three ways of checking directories: lstat from the root down at every write; (the
 * run's own tree, on Linux) directories opened once with O_NOFOLLOW and written into through
 * /proc/self/fd; and (a run none of whose steps starts a process) directories made or checked once
 * and written into by path. The fast ones must refuse every link the slow one refuses; the one kept
 * open also once a directory was opened and a link is planted at its path afterwards. Written by
 * path, nothing races the tree (no process of the run can): what is planted is planted before the
 * tree looks, as by an earlier attempt or a committed file.
 */
import {
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DirHandles } from '../../src/util/dir-handles.js';
import { SafeTree, UnsafePathError } from '../../src/util/safe-tree.js';
import { scratch } from '../helpers/project.js';

const modes = [
  ['lstat at every write', { keepOpen: false, byPath: false }],
  ['directories kept open', { keepOpen: true, byPath: false }],
  ['by path, directories made or checked once', { keepOpen: false, byPath: true }],
] as const;

/** What a directory outside the tree holds: "nothing outside changed" compares it. */
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

describe.each(modes)('SafeTree (%s)', (_, options) => {
  let root: string;
  let outside: string;
  let tree: SafeTree;
  beforeEach(() => {
    root = join(scratch(), 'run_t');
    mkdirSync(root);
    outside = scratch({ keep: 'keep\n' });
    tree = new SafeTree(root, options);
  });
  afterEach(() => tree.close());
  /** A test of a link planted after the tree looked (a step racing the engine): not a case of the mode by path, which runs only when nothing can race it. */
  const racing = options.byPath ? test.skip : test;

  test('writes files, creating the directories down to them; replaces a file of an earlier attempt', () => {
    tree.write(join(root, 'flow_0001', '01_a', 'output.txt'), 'one');
    tree.write(join(root, 'flow_0001', '01_a', 'output.txt'), 'two');
    tree.writeAtomic(join(root, 'flow_0001', 'result.json'), '{}');
    expect(readFileSync(join(root, 'flow_0001', '01_a', 'output.txt'), 'utf8')).toBe('two');
    expect(readdirSync(join(root, 'flow_0001')).sort()).toEqual(['01_a', 'result.json']);
  });

  racing('a link planted at a directory opened by an earlier write is refused, and nothing is written outside', () => {
    const flow = join(root, 'flow_0001');
    tree.write(join(flow, '01_a', 'output.txt'), 'first');
    // what a step may do between two writes of the engine
    rmSync(flow, { recursive: true });
    symlinkSync(outside, flow);
    const before = listing(outside);
    expect(() => tree.write(join(flow, '01_a', 'output.txt'), 'second')).toThrow(
      new UnsafePathError(
        flow,
        `is a symbolic link (to ${JSON.stringify(outside)}) where orchestrator keeps a directory: it is not followed`,
      ),
    );
    expect(() => tree.writeAtomic(join(flow, 'result.json'), '{}')).toThrow(/flow_0001 is a symbolic link/);
    expect(() => tree.dir(join(flow, '02_b'))).toThrow(/flow_0001 is a symbolic link/);
    expect(listing(outside)).toEqual(before);
  });

  racing('a link planted at the root after a write is refused', () => {
    tree.write(join(root, 'run.json'), '{}');
    rmSync(root, { recursive: true });
    symlinkSync(outside, root);
    expect(() => tree.write(join(root, 'flow_0001', 'output.txt'), 'x')).toThrow(/run_t is a symbolic link/);
    expect(() => tree.verify(root)).toThrow(/run_t is a symbolic link/);
    expect(listing(outside)).toEqual(['keep']);
  });

  racing('a directory moved away and replaced by a link: writes never go through the link', () => {
    const flow = join(root, 'flow_0001');
    tree.write(join(flow, 'prompt.txt'), 'first');
    const moved = join(root, 'elsewhere');
    renameSync(flow, moved);
    symlinkSync(outside, flow);
    if (options.keepOpen) {
      // kept open: the write reaches the directory orchestrator made, wherever it is now
      tree.write(join(flow, 'output.txt'), 'second');
      expect(readFileSync(join(moved, 'output.txt'), 'utf8')).toBe('second');
    } else {
      expect(() => tree.write(join(flow, 'output.txt'), 'second')).toThrow(/flow_0001 is a symbolic link/);
    }
    expect(listing(outside)).toEqual(['keep']);
    // a fresh check by path sees the link
    expect(() => tree.verify(flow)).toThrow(/flow_0001 is a symbolic link/);
  });

  test('links, directories and hard links where a file goes are refused; a link where a directory goes too', () => {
    const flow = join(root, 'flow_0001');
    tree.dir(flow);
    symlinkSync(join(outside, 'keep'), join(flow, 'result.json'));
    expect(() => tree.writeAtomic(join(flow, 'result.json'), '{}')).toThrow(
      /result\.json is a symbolic link .* where orchestrator writes a file/,
    );
    symlinkSync(join(outside, 'victim'), join(flow, 'output.txt'));
    expect(() => tree.write(join(flow, 'output.txt'), 'x')).toThrow(/output\.txt is a symbolic link/);
    linkSync(join(outside, 'keep'), join(flow, 'prompt.txt'));
    expect(() => tree.write(join(flow, 'prompt.txt'), 'x')).toThrow(/prompt\.txt is a hard link/);
    mkdirSync(join(flow, 'stdout.txt'));
    expect(() => tree.write(join(flow, 'stdout.txt'), 'x')).toThrow(/stdout\.txt is a directory/);
    symlinkSync(outside, join(flow, '02_b'));
    expect(() => tree.write(join(flow, '02_b', 'output.txt'), 'x')).toThrow(/02_b is a symbolic link/);
    expect(() => tree.removeDir(join(flow, '02_b'))).toThrow(/02_b is a symbolic link/);
    writeFileSync(join(flow, '03_c'), 'a file');
    expect(() => tree.dir(join(flow, '03_c'))).toThrow(/03_c is a file where orchestrator keeps a directory/);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('keep\n');
    expect(existsSync(join(outside, 'victim'))).toBe(false);
    expect(lstatSync(join(flow, '02_b')).isSymbolicLink()).toBe(true);
  });

  test('append: created when missing, added to after; a link, a hard link or a directory at its name is refused', () => {
    const path = join(root, 'results.jsonl');
    for (const line of ['one\n', 'two\n']) {
      const fd = tree.append(path);
      writeSync(fd, line);
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
    const refused = (name: string, plant: (at: string) => void, why: RegExp): void => {
      plant(join(root, name));
      expect(() => tree.append(join(root, name))).toThrow(UnsafePathError);
      expect(() => tree.append(join(root, name))).toThrow(why);
    };
    refused('link.jsonl', (at) => symlinkSync(join(outside, 'keep'), at), /link\.jsonl is a symbolic link/);
    refused('dangling.jsonl', (at) => symlinkSync(join(outside, 'victim'), at), /dangling\.jsonl is a symbolic link/);
    refused('hard.jsonl', (at) => linkSync(join(outside, 'keep'), at), /hard\.jsonl is a hard link/);
    // a FIFO: in safe-file.test.ts, where an open that waits (O_NONBLOCK dropped) is released after a bound instead of hanging
    refused('dir.jsonl', (at) => mkdirSync(at), /dir\.jsonl is a directory/);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('keep\n');
    expect(existsSync(join(outside, 'victim'))).toBe(false);
  });

  test('a directory removed and made again (by orchestrator or a step) is written into at its new place', () => {
    const step = join(root, 'flow_0001', '01_a');
    tree.write(join(step, 'output.txt'), 'one');
    tree.removeDir(step);
    expect(existsSync(step)).toBe(false);
    tree.write(join(step, 'output.txt'), 'two');
    rmSync(join(root, 'flow_0001'), { recursive: true });
    mkdirSync(join(root, 'flow_0001'));
    tree.write(join(step, 'output.txt'), 'three');
    expect(readFileSync(join(step, 'output.txt'), 'utf8')).toBe('three');
  });

  test('errors name the path in the tree, not a descriptor', () => {
    const flow = join(root, 'flow_0001');
    tree.dir(flow);
    mkdirSync(join(flow, 'result.json'));
    expect(() => tree.writeAtomic(join(flow, 'result.json'), '{}')).toThrow(new RegExp(`^${flow}/result\\.json is a directory`));
    writeFileSync(join(flow, 'x.tmp'), '');
    expect(() => tree.rename(join(flow, 'missing.tmp'), join(flow, 'out.txt'))).toThrow(/flow_0001\/(missing\.tmp|out\.txt)/);
    expect(() => tree.rename(join(flow, 'missing.tmp'), join(flow, 'out.txt'))).not.toThrow(/proc\/self\/fd/);
  });

  test('writing 300 directories keeps a bounded number of descriptors open, none after close()', () => {
    const before = openDescriptors();
    for (let i = 0; i < 300; i++) tree.write(join(root, `flow_${i}`, '01_a', 'output.txt'), String(i));
    expect(openDescriptors() - before).toBeLessThanOrEqual(options.keepOpen ? 130 : 0);
    tree.close();
    expect(openDescriptors()).toBe(before);
    expect(readFileSync(join(root, 'flow_299', '01_a', 'output.txt'), 'utf8')).toBe('299');
  });
});

test('by path: a tree over an earlier attempt checks what stands there once; links planted before it looked are refused', () => {
  const root = join(scratch(), 'run_t');
  const outside = scratch({ keep: 'keep\n' });
  mkdirSync(join(outside, '01_a'));
  for (const flow of ['flow_1', 'flow_2', 'flow_3']) mkdirSync(join(root, flow, '01_a'), { recursive: true });
  writeFileSync(join(root, 'flow_1', '01_a', 'output.txt'), 'earlier');
  symlinkSync(outside, join(root, 'flow_4'));
  rmSync(join(root, 'flow_2', '01_a'), { recursive: true });
  symlinkSync(join(outside, '01_a'), join(root, 'flow_2', '01_a'));
  symlinkSync(join(outside, 'victim'), join(root, 'flow_3', 'result.json'));
  writeFileSync(join(root, 'flow_5'), 'a file');
  const before = listing(outside);
  const tree = new SafeTree(root, { byPath: true });
  expect(tree.byPath).toBe(true);
  tree.write(join(root, 'flow_1', '01_a', 'output.txt'), 'again');
  expect(readFileSync(join(root, 'flow_1', '01_a', 'output.txt'), 'utf8')).toBe('again');
  expect(() => tree.write(join(root, 'flow_4', '01_a', 'output.txt'), 'x')).toThrow(
    new UnsafePathError(
      join(root, 'flow_4'),
      `is a symbolic link (to ${JSON.stringify(outside)}) where orchestrator keeps a directory: it is not followed`,
    ),
  );
  expect(() => tree.write(join(root, 'flow_2', '01_a', 'output.txt'), 'x')).toThrow(/flow_2\/01_a is a symbolic link/);
  expect(() => tree.write(join(root, 'flow_3', 'result.json'), 'x')).toThrow(/flow_3\/result\.json is a symbolic link/);
  expect(() => tree.write(join(root, 'flow_5', 'result.json'), 'x')).toThrow(/flow_5 is a file where orchestrator keeps a directory/);
  expect(listing(outside)).toEqual(before);
  // refused again at the next write: a directory found to be a link is not remembered
  expect(() => tree.dir(join(root, 'flow_4'))).toThrow(/flow_4 is a symbolic link/);
  tree.close();
});

test('a directory written into while 300 others are opened stays open: the one used least recently is closed first', () => {
  const root = scratch();
  const handles = new DirHandles(root);
  expect(handles.usable()).toBe(true);
  const flow = join(root, 'flow_0001');
  const opened = handles.reach(['flow_0001']);
  for (let i = 0; i < 300; i++) {
    handles.reach(['flow_0001', `0${i}_step`]);
    // each step of the flow writes into the flow's directory too (its result.json, the next step's directory)
    expect(handles.lookup(flow)).toBe(opened);
  }
  handles.close();
});

test('without keepOpen nothing is kept open', () => {
  const root = scratch();
  const before = openDescriptors();
  const tree = new SafeTree(root);
  for (let i = 0; i < 50; i++) tree.write(join(root, `d${i}`, 'f'), 'x');
  expect(openDescriptors()).toBe(before);
});
