/**
 * --resume over a finished run reads the index of finished flows (README: "Resuming a run"), not
 * every flow's result.json and step.json: shown by making every flow's files unreadable as leaves
 * after the run (result.json no longer JSON, its size and mtime kept) and resuming: with the index no
 * step runs again and the results stand; without it (removed), where it disagrees (a fingerprint
 * that is not the step's), or where a flow's files are gone or rewritten since (their size or mtime
 * not the index's), resume reads the flows' files as before and runs again those that do not hold up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, orchestrate } from './helpers/cli.js';
import { orchestrateInProcess } from './helpers/cli-inprocess.js';
import { docProject } from './helpers/project.js';

const FLOWS = 6;
const runDirOf = (dir: string): string => join(dir, 'generated', 'run_t');
const INDEX = 'leaves-1-of-1.jsonl';
const config = [
  { name: 'one', cmd: 'echo {{{DOC}}} >> runs.log; echo one {{{DOC}}}' },
  { name: 'two', cmd: 'tr a-z A-Z' },
];

async function run(dir: string, args: string[] = []): Promise<void> {
  expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', ...args], {}, { readResults: false }), 0);
}

const runs = (dir: string): number => readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n').length;
const flowDirs = (dir: string): string[] => readdirSync(runDirOf(dir)).filter((name) => name.startsWith('flow_'));
/**
 * Rewrites `path` as `text` (padded with spaces to the file's size) and gives it back its
 * modification time: a file the index's stamp (size and mtime) cannot tell from the one written.
 */
function forge(path: string, text: string): void {
  const { size, mtimeMs } = lstatSync(path);
  const { mtimeNs } = lstatSync(path, { bigint: true });
  expect(text.length).toBeLessThanOrEqual(size);
  writeFileSync(path, text.padEnd(size, ' '));
  // to the nanosecond: utimes takes seconds as a double, whose rounding could move mtimeMs
  const seconds = mtimeNs / 1_000_000_000n;
  execFileSync('touch', ['-m', '-d', `@${seconds}.${String(mtimeNs - seconds * 1_000_000_000n).padStart(9, '0')}`, path]);
  expect(lstatSync(path)).toMatchObject({ size, mtimeMs });
}
const NOT_JSON = '{ not json';
const INPUTS_LINE = /^\{"inputs":"[0-9a-f]{64}"\}$/;
/** The index's flow lines (without the digest of the run's inputs it ends with when they held: indexed). */
const indexLines = (dir: string): string[] =>
  readFileSync(join(runDirOf(dir), INDEX), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => !INPUTS_LINE.test(line));
/** The digest of the run's inputs the index ends with, or undefined. */
const inputsLine = (dir: string): string | undefined => {
  const last = readFileSync(join(runDirOf(dir), INDEX), 'utf8')
    .trim()
    .split('\n')
    .at(-1)!;
  return INPUTS_LINE.test(last) ? last : undefined;
};
/**
 * Every flow's result.json made unreadable as a leaf, its size and mtime kept: a resume that read
 * it would run the flow again.
 */
function spoilLeaves(dir: string): void {
  for (const flow of flowDirs(dir)) forge(join(runDirOf(dir), flow, 'result.json'), NOT_JSON);
}

describe('the index of finished flows', () => {
  test('a finished run keeps one line per succeeded flow, with each step’s fingerprint', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    const lines = indexLines(dir);
    expect(lines).toHaveLength(FLOWS);
    expect(inputsLine(dir)).toBeDefined();
    for (const line of lines) {
      const { id, fp, st } = JSON.parse(line) as { id: string; fp: string[]; st: number[] };
      expect(flowDirs(dir)).toContain(id);
      expect(fp).toHaveLength(2);
      // size and mtime of the flow's directory, then of its result.json
      const stamped = ['.', 'result.json'].map((file) => lstatSync(join(runDirOf(dir), id, file)));
      expect(st).toEqual(stamped.flatMap(({ size, mtimeMs }) => [size, mtimeMs]));
      const record = JSON.parse(readFileSync(join(runDirOf(dir), id, '02_two', 'step.json'), 'utf8')) as { fingerprint: string };
      expect(fp[1]).toBe(record.fingerprint);
    }
  });

  test('resume over a finished run reads the index, not the leaves: no flow runs again', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    expect(runs(dir)).toBe(FLOWS);
    const results = readFileSync(join(runDirOf(dir), 'results.json'), 'utf8');
    spoilLeaves(dir);
    await run(dir, ['--resume']);
    // a flow whose result.json had been read would have run again (it does not parse) and been written anew
    for (const flow of flowDirs(dir)) expect(readFileSync(join(runDirOf(dir), flow, 'result.json'), 'utf8').trimEnd()).toBe(NOT_JSON);
    expect(runs(dir)).toBe(FLOWS);
    // nothing ran: results.json and report.html stand; the index is this attempt's again
    expect(readFileSync(join(runDirOf(dir), 'results.json'), 'utf8')).toBe(results);
    expect(indexLines(dir)).toHaveLength(FLOWS);
    expect(inputsLine(dir)).toBeDefined();
    const record = JSON.parse(readFileSync(join(runDirOf(dir), 'run.json'), 'utf8')) as { attempts: unknown[] };
    expect(record.attempts).toHaveLength(2);
  });

  test('the command line’s resume (its checks started before the run is prepared) reads the index, not the leaves, and keeps it whole', async () => {
    const dir = docProject(config, FLOWS);
    expectExit(await orchestrate(dir, ['--key', 'DOC:docs.list'], {}, { readResults: false }), 0);
    spoilLeaves(dir);
    // a line laid out otherwise among them: the thread lays it out again for the run
    const path = join(runDirOf(dir), INDEX);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const { id, fp, st } = JSON.parse(lines[2]!) as { id: string; fp: string[]; st: number[] };
    writeFileSync(
      path,
      [...lines.slice(0, 2), JSON.stringify({ st, fp, id }, null, 1).replaceAll('\n', ' '), ...lines.slice(3)].join('\n') + '\n',
    );
    expectExit(await orchestrate(dir, ['--key', 'DOC:docs.list', '--resume'], {}, { readResults: false }), 0);
    for (const flow of flowDirs(dir)) expect(readFileSync(join(runDirOf(dir), flow, 'result.json'), 'utf8').trimEnd()).toBe(NOT_JSON);
    expect(runs(dir)).toBe(FLOWS);
    // every line kept, in the flows' order, the one laid out otherwise as a run writes it
    expect(readFileSync(path, 'utf8').trim().split('\n').sort()).toEqual(lines.sort());
  });

  test('resume keeps results.json only when it ends as a whole one: one cut short is written again', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    const path = join(runDirOf(dir), 'results.json');
    const whole = readFileSync(path, 'utf8');
    // cut inside not_started's end: the header and every entry are still there
    writeFileSync(path, whole.slice(0, whole.lastIndexOf(']')));
    await run(dir, ['--resume']);
    expect(runs(dir)).toBe(FLOWS);
    expect(readFileSync(path, 'utf8')).toBe(whole);
  });

  test('without the index, resume reads the leaves: the flows whose result.json does not parse run again (their steps reused)', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    spoilLeaves(dir);
    rmSync(join(runDirOf(dir), INDEX));
    await run(dir, ['--resume']);
    for (const flow of flowDirs(dir))
      expect(JSON.parse(readFileSync(join(runDirOf(dir), flow, 'result.json'), 'utf8'))).toMatchObject({ status: 'succeeded' });
    expect(runs(dir)).toBe(FLOWS);
    expect(existsSync(join(runDirOf(dir), INDEX))).toBe(true);
  });

  test('a line that disagrees (a fingerprint not the step’s, a line cut short) vouches for nothing: that flow’s files are read', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    const path = join(runDirOf(dir), INDEX);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as { id: string; fp: string[] };
    const second = JSON.parse(lines[1]!) as { id: string };
    // the first flow's line claims another fingerprint for step two; the second's is cut short
    const forged = JSON.stringify({ ...first, fp: [first.fp[0], 'f'.repeat(64)] });
    writeFileSync(path, [forged, lines[1]!.slice(0, 20), ...lines.slice(2)].join('\n') + '\n');
    // their files as the stamps say: only the lines disagree
    for (const id of [first.id, second.id]) forge(join(runDirOf(dir), id, 'result.json'), NOT_JSON);
    await run(dir, ['--resume']);
    // those two flows were read (their result.json did not parse) and ran again, written anew
    for (const id of [first.id, second.id]) {
      expect(JSON.parse(readFileSync(join(runDirOf(dir), id, 'result.json'), 'utf8'))).toMatchObject({ status: 'succeeded' });
    }
    const results = JSON.parse(readFileSync(join(runDirOf(dir), 'results.json'), 'utf8')) as { succeeded: number };
    expect(results.succeeded).toBe(FLOWS);
    expect(indexLines(dir)).toHaveLength(FLOWS);
  });

  test('a flow the index vouches for that is not a succeeded leaf on disk costs the index: the next resume reads every flow', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    const path = join(runDirOf(dir), INDEX);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]!) as { id: string; fp: string[] };
    // one flow's line broken (it runs again, so results.json is read back) and another flow's
    // result.json saying it failed, with the size and mtime the index holds (so the index vouches for it)
    writeFileSync(path, [lines[0]!.slice(0, 20), ...lines.slice(1)].join('\n') + '\n');
    const second = JSON.parse(lines[1]!) as { id: string };
    const leaf = join(runDirOf(dir), second.id, 'result.json');
    const failed = readFileSync(leaf, 'utf8').replace('"status": "succeeded"', '"status": "failed"');
    expect(failed).toContain('"status": "failed"');
    forge(leaf, failed);
    await run(dir, ['--resume']).catch(() => undefined);
    expect(first.id).not.toBe(second.id);
    expect(existsSync(path)).toBe(false);
  });

  test('a finished leaf a step of another flow deletes during the run is not vouched for: resume runs that flow again, and only it', async () => {
    // flow 3's step removes flow 1's directory once flow 1 has ended (--parallel 1: in order)
    const deleting = [
      { name: 'one', cmd: 'echo {{{DOC}}} >> runs.log; if [ {{{DOC}}} = doc-3 ]; then rm -r generated/run_t/flow_0001; fi; echo one' },
    ];
    const dir = docProject(deleting, 4);
    await run(dir, ['--parallel', '1']);
    expect(existsSync(join(runDirOf(dir), 'flow_0001'))).toBe(false);
    await run(dir, ['--resume', '--parallel', '1']);
    expect(readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n').slice(4)).toEqual(['doc-1']);
    expect(JSON.parse(readFileSync(join(runDirOf(dir), 'flow_0001', 'result.json'), 'utf8'))).toMatchObject({ status: 'succeeded' });
  });

  test('a finished leaf whose files are removed or rewritten after the run is not vouched for: resume reads that flow, runs it again', async () => {
    const dir = docProject(config, FLOWS);
    await run(dir);
    const [first, second, third] = flowDirs(dir).sort();
    // step two's directory gone; step one's output rewritten in place (another size); result.json
    // rewritten in place, the same size, an hour later
    rmSync(join(runDirOf(dir), first!, '02_two'), { recursive: true });
    writeFileSync(join(runDirOf(dir), second!, '01_one', 'output.txt'), 'one changed\n');
    const leaf = join(runDirOf(dir), third!, 'result.json');
    const { size, mtimeMs } = lstatSync(leaf);
    writeFileSync(leaf, NOT_JSON.padEnd(size, ' '));
    utimesSync(leaf, mtimeMs / 1000 + 3600, mtimeMs / 1000 + 3600);
    await run(dir, ['--resume']);
    // each of the three was read from disk and ran again from the first step not current
    expect(readFileSync(join(runDirOf(dir), first!, '02_two', 'output.txt'), 'utf8')).toBe(`ONE DOC-${Number(first!.slice(5))}\n`);
    expect(readFileSync(join(runDirOf(dir), second!, '02_two', 'output.txt'), 'utf8')).toBe('ONE CHANGED\n');
    expect(JSON.parse(readFileSync(leaf, 'utf8'))).toMatchObject({ status: 'succeeded' });
    expect(runs(dir)).toBe(FLOWS); // step one was current in each: reused, not run
    expect(indexLines(dir)).toHaveLength(FLOWS);
  });

  test('a flow that failed is not in the index, and runs again on resume', async () => {
    const failing = [{ name: 'one', cmd: 'echo {{{DOC}}} >> runs.log; test {{{DOC}}} != doc-2 && echo ok' }];
    const dir = docProject(failing, 3);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list'], {}, { readResults: false }), 1);
    const ids = indexLines(dir).map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toHaveLength(2);
    expectExit(await orchestrateInProcess(dir, ['--key', 'DOC:docs.list', '--resume'], {}, { readResults: false }), 1);
    expect(runs(dir)).toBe(4);
  });

  describe('the digest of the run’s inputs the index ends with', () => {
    const oneStep = [{ name: 'one', cmd: 'echo {{{DOC}}} >> runs.log; echo one {{{DOC}}}' }];
    /**
     * Flow `id`'s first fingerprint in the index replaced by another (the line's layout kept), and
     * its result.json made unreadable as a leaf (its stamp kept): a resume that compares that
     * fingerprint reads the flow's files and writes its result.json anew (its step reused, since its
     * step.json holds the real fingerprint); one that takes it as it is leaves the file as it is.
     */
    /** The flows whose result.json forgeFirstPrint spoiled that a resume wrote anew. */
    const rewritten = (dir: string): string[] =>
      forged.filter((id) => readFileSync(join(runDirOf(dir), id, 'result.json'), 'utf8').trimEnd() !== NOT_JSON);
    let forged: string[] = [];
    beforeEach(() => (forged = []));
    function forgeFirstPrint(dir: string, id: string): void {
      forged.push(id);
      forge(join(runDirOf(dir), id, 'result.json'), NOT_JSON);
      const path = join(runDirOf(dir), INDEX);
      const text = readFileSync(path, 'utf8');
      const line = text.split('\n').find((l) => l.startsWith(`{"id":"${id}"`))!;
      const { fp } = JSON.parse(line) as { fp: string[] };
      writeFileSync(path, text.replace(line, line.replace(fp[0]!, '0'.repeat(64))));
    }

    test('when the inputs are those the index was written under, each line’s first fingerprint is taken as it is; without the digest it is made and compared', async () => {
      const dir = docProject(oneStep, FLOWS);
      await run(dir);
      forgeFirstPrint(dir, 'flow_0002');
      // the digest holds: no fingerprint is made, so the forged one vouches like the others
      await run(dir, ['--resume']);
      expect(rewritten(dir)).toEqual([]);
      expect(inputsLine(dir)).toBeDefined();
      // the same index without its digest: each fingerprint is made, flow 2's is not its line's, so
      // its files are read; the others still hold
      const path = join(runDirOf(dir), INDEX);
      writeFileSync(path, indexLines(dir).join('\n') + '\n');
      await run(dir, ['--resume']);
      expect(rewritten(dir)).toEqual(['flow_0002']);
      expect(runs(dir)).toBe(FLOWS);
      expect(inputsLine(dir)).toBeDefined();
    });

    test('a key file edited since: the digest differs, each fingerprint is made, and only the flow that lists it runs again', async () => {
      const dir = docProject(oneStep, FLOWS);
      await run(dir);
      const before = inputsLine(dir);
      forgeFirstPrint(dir, 'flow_0002');
      writeFileSync(join(dir, 'docs', '4.txt'), 'doc-4 edited');
      await run(dir, ['--resume']);
      // flow 2's forged line is compared (its files read), flow 4's fingerprint is another now (it runs again)
      expect(rewritten(dir)).toEqual(['flow_0002']);
      expect(readFileSync(join(dir, 'runs.log'), 'utf8').trim().split('\n').slice(FLOWS)).toEqual(['doc-4 edited']);
      expect(inputsLine(dir)).toBeDefined();
      expect(inputsLine(dir)).not.toBe(before);
    });

    test('a prompt template edited since: the digest differs, and every flow runs again', async () => {
      const dir = docProject([{ name: 'one', type: 'openai', prompt_file: 'prompt.md' }], 3);
      writeFileSync(join(dir, 'prompt.md'), 'Summarise {{{DOC}}}.');
      await run(dir, ['--offline']);
      const before = inputsLine(dir);
      writeFileSync(join(dir, 'prompt.md'), 'Summarise {{{DOC}}} again.');
      await run(dir, ['--offline', '--resume']);
      expect(inputsLine(dir)).not.toBe(before);
      for (const flow of flowDirs(dir)) expect(readFileSync(join(runDirOf(dir), flow, '01_one', 'prompt.txt'), 'utf8')).toContain('again');
    });

    test('a key file changed while the run runs: the index keeps no digest, and the next resume makes each fingerprint', async () => {
      // flow 1's step rewrites flow 3's file with the same text: the contents are as before, the file is not
      const touching = [
        { name: 'one', cmd: `echo {{{DOC}}} >> runs.log; if [ {{{DOC}}} = doc-1 ]; then printf doc-3 > docs/3.txt; fi; echo one` },
      ];
      const dir = docProject(touching, 4);
      await run(dir, ['--parallel', '1']);
      expect(indexLines(dir)).toHaveLength(4);
      expect(inputsLine(dir)).toBeUndefined();
      forgeFirstPrint(dir, 'flow_0002');
      await run(dir, ['--resume', '--parallel', '1']);
      expect(rewritten(dir)).toEqual(['flow_0002']);
      expect(runs(dir)).toBe(4);
      // nothing changed during this attempt: its index has the digest
      expect(inputsLine(dir)).toBeDefined();
    });

    test('a prompt file named by a placeholder (a template a flow), files of more than 32 MiB, or many files a few flows each: no digest, the fingerprints are made', async () => {
      const perFlow = docProject([{ name: 'one', type: 'openai', prompt_file: '{{{DOC:path}}}' }], 3);
      await run(perFlow, ['--offline']);
      expect(indexLines(perFlow)).toHaveLength(3);
      expect(inputsLine(perFlow)).toBeUndefined();
      // more than 32 MiB of files (the digest would read and hash them all: a first run pays it too)
      const large = docProject([{ name: 'one', cmd: 'echo {{{DOC:path}}}' }], 2);
      writeFileSync(join(large, 'docs', '2.txt'), 'x'.repeat(32 * 1024 * 1024));
      await run(large);
      expect(indexLines(large)).toHaveLength(2);
      expect(inputsLine(large)).toBeUndefined();
      // 1,001 files, one flow each
      const many = docProject(oneStep, 1001);
      await run(many, ['--parallel', '16']);
      expect(indexLines(many)).toHaveLength(1001);
      expect(inputsLine(many)).toBeUndefined();
    }, 60_000);
  });
});
