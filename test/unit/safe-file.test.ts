/**
 * The safe-file layer at the level of its primitives (util/safe-read.ts for reading, SafeTree and
 * DirHandles for writing): one test per guard, each planting the link or file that guard is there
 * for. Each test fails when its guard alone is taken out (the flag removed from its constant, or
 * the check deleted), so weakening the layer cannot pass unnoticed.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Step } from '../../src/config/types.js';
import { allLeavesPresent } from '../../src/engine/resume.js';
import { removeLeafResults } from '../../src/engine/resume-clear.js';
import { loadMergedRun, type MergedRun } from '../../src/report/merge.js';
import { copyMergedTree } from '../../src/report/merge-copy.js';
import { runTreeLoader } from '../../src/report/html-file.js';
import { lastPatch } from '../../src/patches/changes.js';
import type { LeafEntry } from '../../src/model/results.js';
import { readRegular, readTreeFile, readUnder } from '../../src/util/safe-read.js';
import { DirHandles } from '../../src/util/dir-handles.js';
import { INPUT_FLAGS, InputFileError, readInputFile } from '../../src/util/input-file.js';
import { OpenDir } from '../../src/util/open-dir.js';
import { NEW_FILE, SafeTree, UnsafePathError } from '../../src/util/safe-tree.js';
import { startFlipper } from '../helpers/flipper.js';
import { scratch } from '../helpers/project.js';

/** A directory outside the tree, holding a secret a planted link points at. */
function outside(): { dir: string; secret: string } {
  const dir = scratch({ secret: 'SECRET\n' });
  return { dir, secret: join(dir, 'secret') };
}

/** A FIFO named `name` in `dir`, which nobody opens. */
function fifoIn(dir: string, name: string): string {
  const fifo = join(dir, name);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  return fifo;
}

/**
 * Runs `op` on a FIFO nobody opens: an open of it that waits for the other end (O_NONBLOCK or
 * O_DIRECTORY missing) would block the test for good, so a child opens the other end after 10 s,
 * leaving a mark first. `waited`: whether it had to (the open waited); `outcome`: what `op`
 * returned or threw.
 */
function whetherItWaited(fifo: string, op: () => unknown): { waited: boolean; outcome: unknown } {
  const mark = `${fifo}.released`;
  const release = `setTimeout(() => { const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(mark)}, ''); fs.openSync(${JSON.stringify(fifo)}, 'r+'); setTimeout(() => {}, 60000); }, 10000)`;
  const child = spawn(process.execPath, ['-e', release], { stdio: 'ignore' });
  try {
    let outcome: unknown;
    try {
      outcome = op();
    } catch (error) {
      outcome = error;
    }
    return { waited: existsSync(mark), outcome };
  } finally {
    child.kill('SIGKILL');
  }
}

const thrown = (op: () => unknown): unknown => {
  try {
    op();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
};

describe('reading (safe-read.ts)', () => {
  test('O_NOFOLLOW: a symbolic link at the file read is refused, not followed', () => {
    const tree = scratch();
    symlinkSync(outside().secret, join(tree, 'output.txt'));
    const error = thrown(() => readRegular(join(tree, 'output.txt')));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toMatch(/output\.txt is a symbolic link, which is not followed/);
  });

  test('fstat regular-file check: a directory at the file read is refused as not a regular file', () => {
    const tree = scratch();
    mkdirSync(join(tree, 'output.txt'));
    const error = thrown(() => readRegular(join(tree, 'output.txt')));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toMatch(/output\.txt is not a regular file/);
  });

  test('O_NONBLOCK: a FIFO at the file read is refused at once, the open does not wait for a writer', () => {
    const fifo = fifoIn(scratch(), 'output.txt');
    const { waited, outcome } = whetherItWaited(fifo, () => readRegular(fifo));
    expect(waited).toBe(false);
    expect(outcome).toBeInstanceOf(UnsafePathError);
    expect((outcome as Error).message).toMatch(/output\.txt is not a regular file/);
  });

  test('lstat of the parent: readTreeFile refuses a file whose directory is a link to one elsewhere', () => {
    const tree = scratch();
    const elsewhere = scratch({ 'output.txt': 'SECRET\n' });
    symlinkSync(elsewhere, join(tree, '01_a'));
    expect(() => readTreeFile(join(tree, '01_a', 'output.txt'))).toThrow(/01_a is not a directory of the tree/);
  });

  test('lstat of every directory: readUnder reaches nothing through a link on the way down', () => {
    const root = scratch();
    const elsewhere = scratch({ '01_a/output.txt': 'SECRET\n' });
    symlinkSync(elsewhere, join(root, 'flow_0001'));
    mkdirSync(join(root, 'flow_0002', '01_a'), { recursive: true });
    writeFileSync(join(root, 'flow_0002', '01_a', 'output.txt'), 'ours\n');
    expect(readUnder(root, 'flow_0001/01_a/output.txt')).toBeUndefined();
    expect(readUnder(root, 'flow_0002/01_a/output.txt')?.bytes.toString()).toBe('ours\n');
    expect(readUnder(root, 'flow_0002/../flow_0001/01_a/output.txt')).toBeUndefined();
  });

  test('size cap: a file larger than it may be is refused before it is read', () => {
    const tree = scratch({ 'entry.json': 'x'.repeat(1000) });
    expect(() => readTreeFile(join(tree, 'entry.json'), { maxBytes: 999 })).toThrow(/entry\.json holds 1000 bytes, more than the 999/);
    expect(readTreeFile(join(tree, 'entry.json'), { maxBytes: 1000 }).length).toBe(1000);
    expect(readRegular(join(tree, 'entry.json'), { maxBytes: 10, tail: true })).toMatchObject({
      bytes: Buffer.from('x'.repeat(10)),
      size: 1000,
    });
  });
});

describe('writing (SafeTree, DirHandles)', () => {
  test('O_EXCL (and the hard-link check): a hard link to a file elsewhere, planted where a file is written, is refused; the file elsewhere is untouched', () => {
    const root = scratch();
    const { secret } = outside();
    linkSync(secret, join(root, 'prompt.txt'));
    const tree = new SafeTree(root);
    expect(() => tree.write(join(root, 'prompt.txt'), 'overwritten')).toThrow(/prompt\.txt is a hard link to a file elsewhere/);
    expect(readFileSync(secret, 'utf8')).toBe('SECRET\n');
  });

  test('O_EXCL: a symbolic link planted where a file is written is refused with the link named; nothing is created where it points', () => {
    const root = scratch();
    const victim = join(outside().dir, 'victim');
    symlinkSync(victim, join(root, 'output.txt'));
    const error = thrown(() => new SafeTree(root).write(join(root, 'output.txt'), 'x'));
    expect(error).toBeInstanceOf(UnsafePathError);
    expect((error as Error).message).toMatch(/output\.txt is a symbolic link \(to ".*victim"\) where orchestrator writes a file/);
    expect(existsSync(victim)).toBe(false);
  });

  test('lstat of each directory: a link planted where a directory of the tree goes is refused as a link', () => {
    const root = scratch();
    const { dir } = outside();
    symlinkSync(dir, join(root, 'flow_0001'));
    expect(() => new SafeTree(root).write(join(root, 'flow_0001', 'output.txt'), 'x')).toThrow(/flow_0001 is a symbolic link/);
    expect(existsSync(join(dir, 'output.txt'))).toBe(false);
  });

  test('O_DIRECTORY: a file where the root of kept-open directories goes is refused', () => {
    const file = join(scratch({ run: 'a file' }), 'run');
    expect(() => new DirHandles(file).usable()).toThrow(UnsafePathError);
  });

  test('O_NOFOLLOW on directories: a root that is a link to a directory is not opened through the link', () => {
    const link = join(scratch(), 'run');
    symlinkSync(outside().dir, link);
    expect(() => new DirHandles(link).usable()).toThrow(/run is a symbolic link/);
  });

  test('copyFile copies a regular file only: a link at the source is not followed, and nothing is written', () => {
    const from = scratch({ 'run.json': '{}' });
    symlinkSync(outside().secret, join(from, 'result.json'));
    const to = scratch();
    const tree = new SafeTree(to);
    expect(tree.copyFile(join(from, 'run.json'), join(to, 'run.json'))).toBe(true);
    expect(tree.copyFile(join(from, 'result.json'), join(to, 'result.json'))).toBe(false);
    expect(readFileSync(join(to, 'run.json'), 'utf8')).toBe('{}');
    expect(existsSync(join(to, 'result.json'))).toBe(false);
  });
});

describe('each flag of the layer, where it is the only guard', () => {
  test('NEW_FILE: O_NOFOLLOW adds nothing to O_CREAT | O_EXCL (the kernel follows no link then), so the constant is what is checked', () => {
    // dropping O_NOFOLLOW alone changes nothing a planted file can show: O_EXCL refuses a link (the test above)
    expect(NEW_FILE & (constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW)).toBe(
      constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    );
  });

  test('APPEND_FILE O_NOFOLLOW: a link planted where a file is appended to, pointing at a regular file elsewhere, is refused; the file is untouched', () => {
    const root = scratch();
    const { secret } = outside();
    symlinkSync(secret, join(root, 'results.jsonl'));
    expect(() => new SafeTree(root).append(join(root, 'results.jsonl'))).toThrow(/results\.jsonl is a symbolic link/);
    expect(readFileSync(secret, 'utf8')).toBe('SECRET\n');
  });

  test('APPEND_FILE O_APPEND: what is appended goes after what the file holds', () => {
    const root = scratch({ 'results.jsonl': 'one\n' });
    const fd = new SafeTree(root).append(join(root, 'results.jsonl'));
    writeSync(fd, 'two\n');
    closeSync(fd);
    expect(readFileSync(join(root, 'results.jsonl'), 'utf8')).toBe('one\ntwo\n');
  });

  test('APPEND_FILE O_NONBLOCK: a FIFO where a file is appended to is refused at once, the open does not wait for a reader', () => {
    const root = scratch();
    const fifo = fifoIn(root, 'results.jsonl');
    const { waited, outcome } = whetherItWaited(fifo, () => new SafeTree(root).append(fifo));
    expect(waited).toBe(false);
    expect((outcome as Error).message).toMatch(/results\.jsonl is not a regular file/);
  });

  test('DIRECTORY O_NOFOLLOW below the root (kept open): a link where a directory of the tree goes is refused; nothing is written where it points', () => {
    const root = scratch();
    const { dir } = outside();
    symlinkSync(dir, join(root, 'flow_0001'));
    const tree = new SafeTree(root, { keepOpen: true });
    try {
      expect(() => tree.write(join(root, 'flow_0001', 'output.txt'), 'x')).toThrow(/flow_0001 is a symbolic link/);
    } finally {
      tree.close();
    }
    expect(existsSync(join(dir, 'output.txt'))).toBe(false);
  });

  test('DIRECTORY O_DIRECTORY below the root (kept open): a file where a directory of the tree goes is refused as one', () => {
    const root = scratch({ flow_0001: 'a file' });
    const tree = new SafeTree(root, { keepOpen: true });
    try {
      expect(() => tree.write(join(root, 'flow_0001', 'output.txt'), 'x')).toThrow(
        /flow_0001 is a file where orchestrator keeps a directory/,
      );
    } finally {
      tree.close();
    }
  });

  test('OpenDir O_NOFOLLOW: a link where a directory is walked is not opened', () => {
    const root = scratch();
    symlinkSync(outside().dir, join(root, 'flow_0001'));
    expect(OpenDir.under(root, 'flow_0001')).toBeUndefined();
  });

  test('OpenDir O_DIRECTORY: a file, or a FIFO, where a directory is walked is not opened, and the FIFO not waited on', () => {
    const root = scratch({ flow_0001: 'a file' });
    expect(OpenDir.under(root, 'flow_0001')).toBeUndefined();
    const fifo = fifoIn(root, 'flow_0002');
    const { waited, outcome } = whetherItWaited(fifo, () => OpenDir.under(root, 'flow_0002'));
    expect(waited).toBe(false);
    expect(outcome).toBeUndefined();
  });

  test('INPUT_FLAGS O_NONBLOCK: a FIFO named as an input file is refused at once; O_NOCTTY is in the constant (only a session leader could tell)', () => {
    const fifo = fifoIn(scratch(), 'keys.txt');
    const { waited, outcome } = whetherItWaited(fifo, () => readInputFile(fifo));
    expect(waited).toBe(false);
    expect(outcome).toBeInstanceOf(InputFileError);
    expect(INPUT_FLAGS & constants.O_NOCTTY).toBe(constants.O_NOCTTY);
  });
});

describe('readers of a run tree go through the layer', () => {
  /** A run directory whose flow_0001 is a link to a folder elsewhere holding what a step directory would. */
  function linkedFlow(files: Record<string, string>): string {
    const runDir = scratch();
    symlinkSync(scratch(files), join(runDir, 'flow_0001'));
    return runDir;
  }

  test('leafChanges (lastPatch) reads no changes.patch through a link planted on the way', () => {
    const runDir = linkedFlow({ '01_a/changes.patch': 'diff --git a/x b/x\n' });
    expect(lastPatch(runDir, [{ dir: 'flow_0001/01_a' }])).toBeUndefined();
  });

  test("--resume reads no array step's elements through a link planted on the way", () => {
    const runDir = linkedFlow({ '01_split/output.txt': '["a"]' });
    const steps = [{ kind: 'cmd', array: true }, { kind: 'cmd' }] as unknown as Step[];
    const leaf = { branch: [1], steps: [{ dir: 'flow_0001/01_split' }] } as unknown as LeafEntry;
    expect(allLeavesPresent(steps, runDir, [leaf], 0)).toBe(false);
  });
});

describe('walking a tree (OpenDir): resume removes, and report reads and copies, only inside it', () => {
  test('resume: removeLeafResults below a flow directory that is a link removes nothing where the link points', () => {
    const runDir = scratch();
    const elsewhere = scratch({ 'branch_02/result.json': 'theirs', 'branch_02/not_started.json': 'theirs' });
    symlinkSync(elsewhere, join(runDir, 'flow_0001'));
    removeLeafResults(runDir, join(runDir, 'flow_0001', 'branch_02'));
    expect(readdirSync(join(elsewhere, 'branch_02')).sort()).toEqual(['not_started.json', 'result.json']);
  });

  test('resume: a directory swapped for a link while removeLeafResults walks the flow: nothing is removed where the link points', async () => {
    const runDir = scratch({ 'flow_0001/01_a/result.json': 'ours' });
    const elsewhere = scratch({ 'result.json': 'theirs' });
    const flipper = await startFlipper(join(runDir, 'flow_0001', '01_a'), elsewhere, { 'result.json': 'ours' });
    try {
      await flipper.race(() => {
        removeLeafResults(runDir, join(runDir, 'flow_0001'));
        return existsSync(join(elsewhere, 'result.json'));
      }, 1500);
    } finally {
      await flipper.stop();
    }
    expect(readdirSync(elsewhere)).toEqual(['result.json']);
  });

  /** A run directory's run.json for shard 1 of 1 of `runId`. */
  const record = (runId: string): string =>
    JSON.stringify({
      run_id: runId,
      shard: { index: 1, count: 1 },
      flows: { total: 1, from: 1, to: 1 },
      config: { file: 'c.json', hash: 'h' },
      keys_hash: 'k',
      started_at: '2026-12-07T00:00:00Z',
      ended_at: null,
    });

  test('readUnder: a directory swapped for a link while a file below it is read: nothing is read from where the link points', async () => {
    const runDir = scratch({ 'flow_0001/01_a/output.txt': 'ours' });
    const elsewhere = scratch({ 'output.txt': 'SECRET' });
    const seen = new Set<string>();
    const flipper = await startFlipper(join(runDir, 'flow_0001', '01_a'), elsewhere, {});
    try {
      await flipper.race(
        () => {
          const read = readUnder(runDir, 'flow_0001/01_a/output.txt');
          if (read !== undefined) seen.add(read.bytes.toString('utf8'));
          return !seen.has('SECRET');
        },
        1500,
        undefined,
        () => seen.has('ours'),
      );
    } finally {
      await flipper.stop();
    }
    expect([...seen]).toEqual(['ours']);
  });

  test('report.html (runTreeLoader): a step directory swapped for a link while it is listed and read: nothing is listed or read from where the link points', async () => {
    const runDir = scratch({ 'flow_0001/01_a/output.txt': 'ours' });
    const elsewhere = scratch({ 'output.txt': 'SECRET', 'error.txt': 'SECRET' });
    const seen = new Set<string>();
    const flipper = await startFlipper(join(runDir, 'flow_0001', '01_a'), elsewhere, {});
    try {
      await flipper.race(
        () => {
          // a loader lists a directory once: a new one each turn
          const load = runTreeLoader(runDir);
          for (const file of ['output.txt', 'error.txt']) {
            const text = load(`flow_0001/01_a/${file}`, 100, false)?.text;
            if (text !== undefined) seen.add(text);
          }
          return !seen.has('SECRET');
        },
        1500,
        undefined,
        () => seen.has('ours'),
      );
    } finally {
      await flipper.stop();
    }
    expect([...seen]).toEqual(['ours']);
  });

  test('report: a shards/ folder that is a link is not read; the run is the one its run.json names', () => {
    const runDir = scratch({ 'run.json': record('run_ours') });
    symlinkSync(scratch({ '1-of-1.json': record('run_theirs') }), join(runDir, 'shards'));
    expect(loadMergedRun([runDir]).runId).toBe('run_ours');
  });

  test('report: a directory swapped for a link while the shards are copied into one tree: nothing is copied from where the link points', async () => {
    // twenty files: the longer the copy of one directory, the likelier a swap lands inside it
    const names = Array.from({ length: 20 }, (_, i) => `output_${i}.txt`);
    const runDir = scratch({
      'run.json': record('run_ours'),
      ...Object.fromEntries(names.map((name) => [`flow_0001/01_a/${name}`, 'ours'])),
    });
    const elsewhere = scratch(Object.fromEntries(names.map((name) => [name, 'SECRET'])));
    const run = { runDirs: [runDir] } as unknown as MergedRun;
    const copies = scratch();
    const seen = new Set<string>();
    let turn = 0;
    const flipper = await startFlipper(join(runDir, 'flow_0001', '01_a'), elsewhere, {});
    try {
      await flipper.race(
        () => {
          // the directory may be a link when listed (left out then), or when opened after it was
          // listed (the copy stops, saying so): what is copied is ours
          const to = join(copies, String(turn++));
          try {
            copyMergedTree(run, to);
          } catch (error) {
            if (!/ to copy it: it is no longer a directory/.test((error as Error).message)) throw error;
          }
          // copied as 01_a, or as 01_a.away when listed while swapped away
          for (const rel of readdirSync(to, { recursive: true, encoding: 'utf8' }))
            if (/output_\d+\.txt$/.test(rel)) seen.add(readFileSync(join(to, rel), 'utf8'));
          return !seen.has('SECRET');
        },
        1500,
        undefined,
        () => seen.has('ours'),
      );
    } finally {
      await flipper.stop();
    }
    expect([...seen]).toEqual(['ours']);
  });

  test('a FIFO in the tree: removeLeafResults removes one named as a record, the copy leaves one out, neither waits for a writer', () => {
    const runDir = scratch({ 'run.json': record('run_ours') });
    mkdirSync(join(runDir, 'flow_0001'));
    for (const name of ['result.json', 'output.txt']) expect(spawnSync('mkfifo', [join(runDir, 'flow_0001', name)]).status).toBe(0);
    expect(copyMergedTree({ runDirs: [runDir] } as unknown as MergedRun, scratch())).toEqual([
      'flow_0001/output.txt',
      'flow_0001/result.json',
    ]);
    removeLeafResults(runDir, join(runDir, 'flow_0001'));
    expect(readdirSync(join(runDir, 'flow_0001'))).toEqual(['output.txt']);
  });
});
