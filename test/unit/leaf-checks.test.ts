/**
 * The stamps of an earlier attempt's index are checked ahead of a resume (engine/leaf-checks.ts),
 * on a thread of their own in the built CLI (build/engine/leaf-check-worker.js) or on this one: both
 * give, flow by flow and across batches, the line of each flow whose files are as the line says,
 * and nothing for a flow whose directory or result.json changed, went or became a link.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { earlyIndexPath, endEarlyChecks, readIndexFile, startEarlyChecks, takeEarlyChecks } from '../../src/engine/early-checks.js';
import { leafIndexPath } from '../../src/engine/leaf-index.js';
import { prepare } from '../../src/engine/prepare.js';
import { CheckedLines, fromHere, sharedChecks } from '../../src/engine/leaf-checks.js';
import { indexLayout, indexLine, inputsLine, parseIndex, stampOf } from '../../src/engine/leaf-lines.js';
import { flowId } from '../../src/flows/flows.js';
import { engineOptions } from '../helpers/engine-options.js';
import { docProject, scratch } from '../helpers/project.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The thread's module as `npm run build:cli` builds it (jest runs our sources, where it is TypeScript). */
const THREAD = pathToFileURL(join(ROOT, 'build', 'engine', 'leaf-check-worker.js'));
/** More than one of the batches the lines are checked in (2,048 flows). */
/** The same, bundled beside the npm package's one-file CLI (npm pack; built by the process layer's tests). */
const PACKAGED = join(ROOT, 'build', 'package', 'leaf-check-worker.js');
const TOTAL = 2300;
const FROM = 10;
const TO = 2250;
const print = (i: number): string => i.toString(16).padStart(64, '0');

/** A run directory of TOTAL flows, each with a result.json, and the index a run would leave of them. */
function finishedRun(): { runDir: string; text: string } {
  const runDir = join(scratch(), 'run_t');
  const lines: string[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const id = flowId(i, TOTAL);
    mkdirSync(join(runDir, id, '01_one'), { recursive: true });
    writeFileSync(join(runDir, id, 'result.json'), `{"id":"${id}"}\n`);
    lines.push(indexLine(id, [print(i)], stampOf(runDir, id)!));
  }
  return { runDir, text: lines.join('\n') + '\n' };
}

/** What changes after the run, by flow index: each costs that flow its line. */
function changeFlows(runDir: string): Set<number> {
  const at = (i: number, ...rest: string[]): string => join(runDir, flowId(i, TOTAL), ...rest);
  rmSync(at(FROM + 1, '01_one'), { recursive: true }); // a step directory gone
  writeFileSync(at(2047, 'result.json'), '{"status":"failed"}\n'); // rewritten in place
  const later = new Date(Date.now() + 3_600_000);
  utimesSync(at(2048, 'result.json'), later, later); // touched
  rmSync(at(2100), { recursive: true }); // the flow gone
  renameSync(at(2101, 'result.json'), at(2101, 'moved.json'));
  symlinkSync('moved.json', at(2101, 'result.json')); // result.json now a link
  renameSync(at(2200), at(2200) + '.real');
  symlinkSync(at(2200) + '.real', at(2200)); // the flow's directory now a link
  return new Set([FROM + 1, 2047, 2048, 2100, 2101, 2200]);
}

/** Each flow's line as the checks give it, in order, as the feeder asks. */
async function checked(lines: CheckedLines): Promise<(string | undefined)[]> {
  const got: (string | undefined)[] = [];
  for (let i = FROM; i < TO; i++) {
    if (!lines.has(i)) await lines.ready(i);
    got.push(lines.line(i));
  }
  lines.close();
  return got;
}

/** Waits until a test's thread wrote `marker` (it has taken what it takes first). */
async function marked(marker: string, what: string): Promise<void> {
  for (const started = Date.now(); !existsSync(marker);) {
    if (Date.now() - started > 10_000) throw new Error(`${what} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Each flow's check (checked), or 'waited 10 s' when the feeder is left waiting. */
async function checkedWithin(lines: CheckedLines): Promise<(string | undefined)[] | 'waited 10 s'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waited 10 s'>((resolve) => (timer = setTimeout(() => resolve('waited 10 s'), 10_000)));
  const got = await Promise.race([checked(lines), waited]);
  clearTimeout(timer);
  lines.close();
  return got;
}

describe('the stamps of an earlier attempt’s index, checked ahead of a resume', () => {
  test.each([
    ['on a thread of their own', THREAD],
    ['on this thread', undefined],
  ])('%s: a flow’s line when its files are as it says, nothing for one changed since', async (_, file) => {
    const { runDir, text } = finishedRun();
    const changed = changeFlows(runDir);
    // a line cut short and one of a flow of another run's size are not lines of these flows
    const extra = `${indexLine(flowId(5, TOTAL), [print(5)], [1, 2, 3, 4]).slice(0, 30)}\n{"id":"flow_7","fp":["${print(7)}"],"st":[1,2,3,4]}\n`;
    const lines = new CheckedLines({ text: text + extra, steps: 1, runDir, from: FROM, to: TO, total: TOTAL }, file);
    const got = await checked(lines);
    const all = text.split('\n');
    for (let i = FROM; i < TO; i++) expect([i, got[i - FROM]]).toEqual([i, changed.has(i) ? undefined : all[i]]);
  });

  test('the digest of the inputs the index ends with is read from its last line only; it is no flow’s line', async () => {
    const { runDir, text } = finishedRun();
    const digest = 'ab'.repeat(32);
    const at = (index: string): CheckedLines =>
      new CheckedLines({ text: index, steps: 1, runDir, from: FROM, to: TO, total: TOTAL }, undefined);
    const ending = at(`${text}${inputsLine(digest)}\n`);
    expect(ending.inputs).toBe(digest);
    expect(await checked(ending)).toEqual(await checked(at(text)));
    // not last, not a digest, or written otherwise: none
    expect(at(`${inputsLine(digest)}\n${text}`).inputs).toBeUndefined();
    expect(at(`${text}${inputsLine('ab'.repeat(31))}\n`).inputs).toBeUndefined();
    expect(at(`${text}{"inputs": "${digest}"}\n`).inputs).toBeUndefined();
    expect(at(`${text}${inputsLine(digest)}`).inputs).toBe(digest);
  });

  test('a line laid out otherwise (its fields in another order, spaces) counts as the same line, given back as a run writes it', async () => {
    const { runDir, text } = finishedRun();
    const all = text.split('\n');
    const { id, fp, st } = JSON.parse(all[FROM]!) as { id: string; fp: string[]; st: number[] };
    const other = JSON.stringify({ st, fp, id }, null, 1).replaceAll('\n', ' ');
    const lines = new CheckedLines(
      { text: [other, ...all.slice(FROM + 1)].join('\n'), steps: 1, runDir, from: FROM, to: TO, total: TOTAL },
      THREAD,
    );
    const got = await checked(lines);
    expect(got[0]).toBe(all[FROM]);
    expect(got[1]).toBe(all[FROM + 1]);
  });

  test('while the thread checks one batch (its lines by the spans this thread found, the index parsed there too for a line laid out otherwise), this thread checks the last ones nobody took: each flow’s check is the same', async () => {
    const { runDir, text } = finishedRun();
    const changed = changeFlows(runDir);
    const all = text.split('\n');
    // a line laid out otherwise is not the text's own (the thread's batch holds it; this thread's lines are found by their spans)
    const { id, fp, st } = JSON.parse(all[FROM + 5]!) as { id: string; fp: string[]; st: number[] };
    const other = JSON.stringify({ st, fp, id }, null, 1).replaceAll('\n', ' ');
    // a thread that parses the index, takes the first batch and checks it only once every other one is taken (by this thread)
    const slow = join(scratch(), 'slow-thread.mjs');
    const marker = `${slow}.took-the-first`;
    writeFileSync(
      slow,
      `import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { checkLines } from ${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'engine', 'leaf-checks.js')).href)};
const { shared, ...setup } = workerData;
const taken = shared.taken;
Atomics.store(taken, 0, 1);
writeFileSync(${JSON.stringify(marker)}, '');
while (!taken.slice(1).every((state) => state !== 0)) Atomics.wait(taken, 0, 1, 5);
// the first batch, its lines found by the spans the run's thread left (that line laid out otherwise among them)
Atomics.store(taken, 0, 0);
checkLines({ ...setup, shared, to: Math.min(setup.from + 2048, setup.to) }, (from) => parentPort.postMessage(from));
setInterval(() => {}, 1000);
`,
    );
    const lines = new CheckedLines(
      { text: [...all.slice(0, FROM + 5), other, ...all.slice(FROM + 6)].join('\n'), steps: 1, runDir, from: FROM, to: TO, total: TOTAL },
      pathToFileURL(slow),
    );
    // the thread has taken the first batch before the feeder asks for it
    await marked(marker, 'the slow thread');
    const got = await checkedWithin(lines);
    expect(got).not.toBe('waited 10 s');
    for (let i = FROM; i < TO; i++)
      expect([i, (got as (string | undefined)[])[i - FROM]]).toEqual([i, changed.has(i) ? undefined : all[i]]);
  });

  test('the thread’s module as shipped (the build, and the package’s bundle when built) checks every flow, batch by batch', async () => {
    const { runDir, text } = finishedRun();
    const changed = changeFlows(runDir);
    for (const file of [fileURLToPath(THREAD), ...(existsSync(PACKAGED) ? [PACKAGED] : [])]) {
      const shared = sharedChecks(TO - FROM);
      const setup = { text, steps: 1, runDir, from: FROM, to: TO, total: TOTAL };
      parseIndex(text, 1, setup, shared.spans);
      shared.parsed[0] = 1;
      const worker = new Worker(file, { workerData: { ...setup, shared } });
      const done: number[] = [];
      worker.on('message', (from: number) => done.push(from));
      const code = await new Promise((exited) => worker.on('exit', exited));
      expect(code).toBe(0);
      expect(done).toEqual([FROM, FROM + 2048]);
      expect([...shared.taken]).toEqual([2, 2]);
      const notHeld = [...shared.held].flatMap((held, k) => (held === 1 ? [] : [FROM + k]));
      expect(notHeld).toEqual([...changed].sort((a, b) => a - b));
    }
  });

  test.each([
    ['marked its first batch done, then died before telling it', 'held.fill(1, 0, 2048);\nAtomics.store(taken, 0, 2);'],
    ['died in the middle of its first batch (taken, not done)', ''],
  ])('a thread that %s while the feeder waits for that batch: the wait ends, each flow’s check is the same', async (_, end) => {
    const { runDir, text } = finishedRun();
    const changed = changeFlows(runDir);
    const all = text.split('\n');
    const dying = join(scratch(), 'dying-thread.mjs');
    const marker = `${dying}.took-the-first`;
    // takes the first batch and every other one (so the feeder has nothing to do but wait), then dies
    writeFileSync(
      dying,
      `import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
const { taken, held, parsed } = workerData.shared;
while (Atomics.load(parsed, 0) === 0) Atomics.wait(parsed, 0, 0);
for (let b = 0; b < taken.length; b++) Atomics.compareExchange(taken, b, 0, 1);
writeFileSync(${JSON.stringify(marker)}, '');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
${end}
throw new Error('the thread dies');
`,
    );
    const lines = new CheckedLines({ text, steps: 1, runDir, from: FROM, to: TO, total: TOTAL }, pathToFileURL(dying));
    await marked(marker, 'the dying thread');
    const got = await checkedWithin(lines);
    expect(got).not.toBe('waited 10 s');
    // (a batch it marked done holds what it set: every flow's line, as the thread claimed)
    const claimed = end === '' ? new Set<number>() : new Set(Array.from({ length: 2048 }, (_, k) => FROM + k));
    for (let i = FROM; i < TO; i++)
      expect([i, (got as (string | undefined)[])[i - FROM]]).toEqual([i, changed.has(i) && !claimed.has(i) ? undefined : all[i]]);
  });

  test('the stamps are taken by a path from the working directory when the run is below it, else by the whole path', () => {
    expect(fromHere(join(process.cwd(), 'generated', 'run_t'))).toBe(join('generated', 'run_t'));
    expect(fromHere(process.cwd())).toBe(process.cwd());
    const elsewhere = join(scratch(), 'run_t');
    expect(fromHere(elsewhere)).toBe(elsewhere);
  });

  test('an index’s layout, found without the run: steps and id width from its first line laid out as a run writes it, the largest flow of that width', () => {
    const line = (id: string, steps = 2): string =>
      indexLine(
        id,
        Array.from({ length: steps }, (_, i) => print(i)),
        [1, 2, 3, 4],
      );
    const other = JSON.stringify({ st: [1, 2, 3, 4], fp: [print(0)], id: 'flow_0900' });
    expect(indexLayout([other, line('flow_0007'), line('flow_0012'), line('flow_0003')].join('\n'))).toEqual({
      steps: 2,
      width: 9,
      flows: 12,
    });
    // a wider id (a line forged, or of another run) does not make the arrays larger; one cut short of the same width counts
    expect(indexLayout([line('flow_0007'), line('flow_99999999'), '{"id":"flow_0050"'].join('\n') + '\n')).toEqual({
      steps: 2,
      width: 9,
      flows: 50,
    });
    expect(indexLayout(`${line('flow_000001', 3)}\n${inputsLine('ab'.repeat(32))}\n`)).toEqual({ steps: 3, width: 11, flows: 1 });
    expect(indexLayout(`${other}\n{"inputs":"x"}\n`)).toBeUndefined();
    expect(indexLayout('')).toBeUndefined();
  });

  describe('started by the command line before the run is prepared, then taken over by the run', () => {
    const WIDTH = flowId(0, TOTAL).length;
    /** The index of a finished run written where a run keeps it, with the flows changed since. */
    function early(): { runDir: string; path: string; all: string[]; changed: Set<number> } {
      const { runDir, text } = finishedRun();
      const path = join(runDir, 'leaves-1-of-1.jsonl');
      writeFileSync(path, text);
      return { runDir, path, all: text.split('\n'), changed: changeFlows(runDir) };
    }
    const index = (runDir: string, text: string) => ({ text, steps: 1, runDir, from: FROM, to: TO, total: TOTAL });
    afterEach(() => endEarlyChecks());

    test.each([
      ['the default output directory', 'generated', 't', undefined],
      ['--output elsewhere, a run id given whole', 'out/nested', 'run_abc', undefined],
      ['a shard of several', 'generated', 'x1', { index: 2, count: 3 }],
    ])('the command line finds the index where the run will: %s', (_, outputDir, runId, shard) => {
      const dir = docProject([{ cmd: 'echo' }], 3);
      const prepared = prepare(engineOptions(dir, { outputDir, runId, shard }));
      expect(earlyIndexPath({ baseDir: dir, outputDir, runId, shard })).toEqual({
        path: leafIndexPath(prepared.runDir, prepared.shard),
        runDir: prepared.runDir,
      });
    });

    test('the thread reads the index by its path and checks every flow it lists; the run takes its arrays over: each flow’s check is the same', async () => {
      const { runDir, path, all, changed } = early();
      startEarlyChecks(path, runDir, THREAD);
      const file = readIndexFile(path)!;
      const adopted = takeEarlyChecks(path, file, 1, WIDTH);
      expect(adopted).toBeDefined();
      // its arrays cover the flows from the first to the last the index lists
      expect(adopted!.flows).toBe(TOTAL);
      const got = await checkedWithin(new CheckedLines(index(runDir, file.text), THREAD, adopted));
      expect(got).not.toBe('waited 10 s');
      for (let i = FROM; i < TO; i++)
        expect([i, (got as (string | undefined)[])[i - FROM]]).toEqual([i, changed.has(i) ? undefined : all[i]]);
    });

    test.each([
      ['another index than the run’s (another path)', 'path'],
      ['lines of another number of steps than the run’s', 'steps'],
      ['flow ids of another width than the run’s', 'width'],
    ])('not taken over: %s (the run checks the index itself)', (_, what) => {
      const { runDir, path } = early();
      startEarlyChecks(what === 'path' ? join(runDir, 'leaves-1-of-2.jsonl') : path, runDir, THREAD);
      const file = readIndexFile(path)!;
      expect(takeEarlyChecks(path, file, what === 'steps' ? 2 : 1, what === 'width' ? WIDTH + 1 : WIDTH)).toBeUndefined();
    });

    /** An early thread that reads the index and tells what it found as checkEarly does, writes `marker`, then `end`s. */
    function tellingThread(marker: string, end: string): URL {
      const file = join(scratch(), 'early-thread.mjs');
      writeFileSync(
        file,
        `import { writeFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { indexLayout } from ${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'engine', 'leaf-lines.js')).href)};
import { readIndexFile } from ${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'engine', 'early-checks.js')).href)};
import { sharedChecks } from ${JSON.stringify(pathToFileURL(join(ROOT, 'build', 'engine', 'leaf-checks.js')).href)};
const file = readIndexFile(workerData.path);
const layout = indexLayout(file.text);
const shared = sharedChecks(layout.flows);
workerData.port.postMessage({ ...layout, stamp: file.stamp, shared });
Atomics.store(workerData.told, 0, 1);
Atomics.notify(workerData.told, 0);
writeFileSync(${JSON.stringify(marker)}, '');
${end}
`,
      );
      return pathToFileURL(file);
    }

    test('not taken over: the index written again since the thread read it (the same text, another file)', async () => {
      const { runDir, path } = early();
      const marker = join(scratch(), 'read');
      startEarlyChecks(path, runDir, tellingThread(marker, 'setInterval(() => {}, 1000);'));
      await marked(marker, 'the early thread');
      const text = readFileSync(path, 'utf8');
      rmSync(path);
      writeFileSync(path, text);
      expect(takeEarlyChecks(path, readIndexFile(path)!, 1, WIDTH)).toBeUndefined();
    });

    test('an index whose first line names a flow past what a run could have: the thread says so at once, and the run checks the index itself', () => {
      const { runDir, path } = early();
      // laid out as a run of 100,000,000 flows or more would write it: arrays of 900 MB
      const huge = indexLine('flow_000099999999', [print(0)], [1, 2, 3, 4]);
      writeFileSync(path, `${huge}\n${readFileSync(path, 'utf8')}`);
      startEarlyChecks(path, runDir, THREAD);
      const started = Date.now();
      expect(takeEarlyChecks(path, readIndexFile(path)!, 1, 'flow_000099999999'.length)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1500);
    });

    test('a thread that never tells what it found: the run waits 2 s at most, then checks the index itself', () => {
      const { runDir, path } = early();
      const silent = join(scratch(), 'silent-thread.mjs');
      writeFileSync(silent, 'setInterval(() => {}, 1000);\n');
      startEarlyChecks(path, runDir, pathToFileURL(silent));
      const started = Date.now();
      expect(takeEarlyChecks(path, readIndexFile(path)!, 1, WIDTH)).toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    test('a thread that told what it found, took the first batch, then died before the run took it over: the run checks every flow itself', async () => {
      const { runDir, path, all, changed } = early();
      const marker = join(scratch(), 'read');
      startEarlyChecks(path, runDir, tellingThread(marker, "Atomics.store(shared.taken, 0, 1);\nthrow new Error('the thread dies');"));
      await marked(marker, 'the early thread');
      // its death is heard (a turn of the event loop) before the run takes it over
      await new Promise((turn) => setTimeout(turn, 200));
      const file = readIndexFile(path)!;
      const adopted = takeEarlyChecks(path, file, 1, WIDTH);
      expect(adopted).toBeDefined();
      const got = await checkedWithin(new CheckedLines(index(runDir, file.text), THREAD, adopted));
      expect(got).not.toBe('waited 10 s');
      for (let i = FROM; i < TO; i++)
        expect([i, (got as (string | undefined)[])[i - FROM]]).toEqual([i, changed.has(i) ? undefined : all[i]]);
    });
  });
});
