/**
 * The run tree's writes on a thread of their own (util/tree-queue.ts, util/tree-thread.ts; a run
 * that writes by path): directories and whole files made there as SafeTree makes them here (never
 * through a planted link, a plain file of an earlier attempt replaced), failures told by path to
 * whoever asks once the writes are done, and a thread that dies failing what waits instead of
 * hanging it. The thread is the built one (build/util/tree-thread.js: `npm run build:cli`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnsafePathError } from '../../src/util/dir-handles.js';
import { TreeWriter } from '../../src/util/files.js';
import { Redactor } from '../../src/util/redact.js';
import { WriteQueue } from '../../src/util/tree-queue.js';
import { ROOT } from '../helpers/cli.js';
import { scratch } from '../helpers/project.js';

const THREAD = pathToFileURL(join(ROOT, 'build', 'util', 'tree-thread.js'));
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

let root: string;
let outside: string;
let files: TreeWriter;
let queue: WriteQueue;
beforeAll(() => {
  if (!existsSync(THREAD)) throw new Error(`${THREAD.pathname} is missing: run npm run build:cli first`);
});
beforeEach(() => {
  root = join(scratch(), 'run_t');
  mkdirSync(root);
  outside = scratch({ keep: 'keep\n', '01_a/keep': '' });
  files = new TreeWriter(new Redactor([]), root, { byPath: true });
  queue = WriteQueue.start(THREAD)!;
  files.defer(queue);
});
afterEach(async () => {
  await files.settle().catch(() => undefined);
  await queue.close();
});

test('writes are made on the thread, in order: directories, files, a file of an earlier attempt replaced, one through a temporary file', async () => {
  const step = join(root, 'flow_0001', '01_a');
  files.write(join(step, 'prompt.txt'), 'one');
  files.write(join(step, 'prompt.txt'), 'two');
  files.writeBytes(join(step, 'bytes.bin'), Buffer.from([0, 1, 2]));
  files.writeJson(join(root, 'flow_0001', 'result.json'), { ok: true });
  const seen: boolean[] = [];
  // run once everything pushed before is done: the files are there
  queue.after(() => seen.push(existsSync(join(root, 'flow_0001', 'result.json'))));
  expect(await files.written(join(root, 'flow_0001'))).toBeUndefined();
  expect(seen).toEqual([true]);
  expect(readFileSync(join(step, 'prompt.txt'), 'utf8')).toBe('two');
  expect([...readFileSync(join(step, 'bytes.bin'))]).toEqual([0, 1, 2]);
  expect(JSON.parse(readFileSync(join(root, 'flow_0001', 'result.json'), 'utf8'))).toEqual({ ok: true });
  expect(listing(join(root, 'flow_0001'))).toEqual(['01_a', '01_a/bytes.bin', '01_a/prompt.txt', 'result.json']);
});

/** Links planted at a file and at a directory: refused and told by path; nothing outside is written; other flows are written. */
async function plantedLinks(files: TreeWriter): Promise<void> {
  mkdirSync(join(root, 'flow_0001', '01_a'), { recursive: true });
  symlinkSync(join(outside, 'keep'), join(root, 'flow_0001', '01_a', 'output.txt'));
  symlinkSync(outside, join(root, 'flow_0002'));
  const before = listing(outside);
  for (const flow of ['flow_0001', 'flow_0002', 'flow_0003']) {
    files.write(join(root, flow, '01_a', 'output.txt'), 'written');
    files.writeJson(join(root, flow, 'result.json'), { flow });
  }
  const one = await files.written(join(root, 'flow_0001', '01_a'));
  expect(one).toBeInstanceOf(UnsafePathError);
  expect(one!.message).toBe(
    `${join(root, 'flow_0001', '01_a', 'output.txt')} is a symbolic link (to ${JSON.stringify(join(outside, 'keep'))}) where orchestrator writes a file: it is not followed`,
  );
  const two = await files.written(join(root, 'flow_0002'));
  expect(two?.message).toBe(
    `${join(root, 'flow_0002')} is a symbolic link (to ${JSON.stringify(outside)}) where orchestrator keeps a directory: it is not followed`,
  );
  expect(await files.written(join(root, 'flow_0003'))).toBeUndefined();
  expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('keep\n');
  expect(listing(outside)).toEqual(before);
  expect(lstatSync(join(root, 'flow_0002')).isSymbolicLink()).toBe(true);
  expect(readFileSync(join(root, 'flow_0003', '01_a', 'output.txt'), 'utf8')).toBe('written');
  // told once: the flow that asked took it
  expect(await files.written(join(root, 'flow_0001'))).toBeUndefined();
  // any other operation on the tree waits for the thread first, and checks the directory again itself
  expect(() => files.tree.removeFile(join(root, 'flow_0002', 'result.json'))).toThrow(/flow_0002 is a symbolic link/);
}

test('a link planted at a file, or at a directory, is refused on the thread and told by path; nothing outside is written; other flows are written', () =>
  plantedLinks(files));

test('a thread that cannot start (a limit on threads): the writes are made on this thread, in order, with the same refusals; the run goes on', async () => {
  await files.settle();
  await queue.close();
  // new Worker throws at once for this URL, as it does when no thread can be created
  queue = WriteQueue.start(new URL('http://example.invalid/tree-thread.js'))!;
  const deaths: Error[] = [];
  queue.onDeath = (error) => deaths.push(error);
  files = new TreeWriter(new Redactor([]), root, { byPath: true });
  files.defer(queue);
  await plantedLinks(files);
  files.write(join(root, 'flow_0004', 'a.txt'), 'four');
  queue.drainSync();
  expect(readFileSync(join(root, 'flow_0004', 'a.txt'), 'utf8')).toBe('four');
  await files.settle();
  expect(deaths).toEqual([]);
});

test('a failure is told to the observer (the spool reads that file from disk instead), and the leaf waiting on it hears of it', async () => {
  const unknown: string[] = [];
  files.observer = { wrote: () => undefined, unknown: (path) => unknown.push(path) };
  mkdirSync(join(root, 'flow_0001', 'result.json'), { recursive: true });
  const path = join(root, 'flow_0001', 'result.json');
  files.writeJson(path, {}, { atomic: false });
  const failure = await new Promise<Error | undefined>((resolve) => queue.after(() => resolve(queue.failure(path))));
  expect(failure?.message).toBe(`${path} is a directory where orchestrator writes a file`);
  expect(unknown).toEqual([path]);
});

/** A tree whose writes go to a stand-in thread (test/fixtures/NAME), and the deaths the run hears of. */
function withFixture(name: string): { queue: WriteQueue; deaths: Error[]; tree: TreeWriter } {
  const fixture = WriteQueue.start(pathToFileURL(join(ROOT, 'test', 'fixtures', name)))!;
  const deaths: Error[] = [];
  fixture.onDeath = (error) => deaths.push(error);
  const tree = new TreeWriter(new Redactor([]), join(scratch(), 'run_f'), { byPath: true });
  mkdirSync(tree.tree.root);
  tree.defer(fixture);
  return { queue: fixture, deaths, tree };
}

test('drainSync: everything sent is written when it returns', () => {
  for (let i = 1; i <= 50; i++) files.write(join(root, `flow_${i}`, 'a.txt'), String(i));
  queue.drainSync();
  for (let i = 1; i <= 50; i++) expect(readFileSync(join(root, `flow_${i}`, 'a.txt'), 'utf8')).toBe(String(i));
});

test('a thread that dies fails what waits on it with a clear error instead of hanging, and the run hears of it once', async () => {
  const { queue: dying, deaths, tree } = withFixture('dying-thread.mjs');
  tree.write(join(tree.tree.root, 'flow_0001', 'a.txt'), 'a');
  const error = await tree.written(join(tree.tree.root, 'flow_0001'));
  expect(error?.message).toMatch(/^the thread writing the run's files stopped \(it exited with code 3\).*run again with --resume$/);
  expect(deaths).toEqual([error]);
  expect(() => dying.drainSync()).toThrow(error);
  await expect(tree.settle()).rejects.toThrow(error);
  await dying.close();
});

test('the thread starts with the first write: a run that writes nothing (a resume with nothing to do) starts none', async () => {
  // a thread that exits as it starts: heard only once something was pushed
  const { queue: lazy, deaths, tree } = withFixture('exits-at-start.mjs');
  await new Promise((resolve) => setTimeout(resolve, 300));
  lazy.drainSync();
  expect(await tree.written(tree.tree.root)).toBeUndefined();
  expect(deaths).toEqual([]);
  tree.write(join(tree.tree.root, 'flow_0001', 'a.txt'), 'a');
  const error = await tree.written(join(tree.tree.root, 'flow_0001'));
  expect(error?.message).toMatch(/^the thread writing the run's files stopped \(it exited with code 4\)/);
  expect(deaths).toEqual([error]);
  await expect(tree.settle()).rejects.toThrow(error);
  await lazy.close();
});

test('a thread that exits while this thread waits for it (drainSync) is heard at once, not after the 120 s stall', () => {
  const { queue: exiting, tree } = withFixture('exiting-thread.mjs');
  tree.write(join(tree.tree.root, 'flow_0001', 'a.txt'), 'a');
  // sent and waited for in one go: this thread never turns its event loop, so the worker's exit event cannot tell it
  // (before, it was heard after STALLED_MS: "it finished nothing for 120 s")
  expect(() => exiting.drainSync()).toThrow(/^the thread writing the run's files stopped \(it exited with code 3\)/);
  return exiting.close();
}, 150_000);

const isRoot = process.getuid?.() === 0;
(isRoot ? test : test.skip)(
  'a full disk (a real ENOSPC on a small tmpfs) fails that write on the thread, told by path with its code; the others stand',
  async () => {
    const disk = scratch();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
    const tree = new TreeWriter(new Redactor([]), disk, { byPath: true });
    const writer = WriteQueue.start(THREAD)!;
    tree.defer(writer);
    try {
      tree.write(join(disk, 'flow_0001', 'a.txt'), 'small');
      tree.write(join(disk, 'flow_0002', 'a.txt'), 'x'.repeat(1024 * 1024));
      expect(await tree.written(join(disk, 'flow_0001'))).toBeUndefined();
      const full = await tree.written(join(disk, 'flow_0002'));
      expect(full?.message).toBe(`ENOSPC: no space left on device, write`);
      expect((full as NodeJS.ErrnoException).code).toBe('ENOSPC');
      expect(readFileSync(join(disk, 'flow_0001', 'a.txt'), 'utf8')).toBe('small');
    } finally {
      await tree.settle().catch(() => undefined);
      await writer.close();
      execFileSync('umount', [disk]);
    }
  },
);
