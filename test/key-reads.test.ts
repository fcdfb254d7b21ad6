import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BIN, baseEnv, runNodeProcess } from './helpers/cli.js';

// A key file is read once per run, not once per flow that lists it (issue 27.5: --resume over a
// finished run recomputes every flow's fingerprint from the key files; reading the last key's files
// again for every value of the first key was half its time). The count comes from the built CLI
// itself: a hook given with --import wraps fs.openSync and counts the opens of each key file.
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orchestrator-key-reads-'));
  writeFileSync(
    join(dir, 'hook.mjs'),
    [
      "import fs from 'node:fs';",
      "import { syncBuiltinESMExports } from 'node:module';",
      'const opens = {};',
      'const open = fs.openSync;',
      'fs.openSync = function (path, ...rest) {',
      "  if (String(path).includes('/b/')) opens[String(path)] = (opens[String(path)] ?? 0) + 1;",
      '  return open.call(this, path, ...rest);',
      '};',
      'syncBuiltinESMExports();',
      "process.on('exit', () => fs.writeFileSync(process.env.OPENS_LIST, JSON.stringify(opens)));",
    ].join('\n'),
  );
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  const list = (name: string, count: number): void => {
    const paths = Array.from({ length: count }, (_, i) => `${name}/${i + 1}.txt`);
    for (const path of paths) writeFileSync(join(dir, path), `${path}\n`);
    writeFileSync(join(dir, `${name}.list`), paths.join('\n') + '\n');
  };
  // 3 × 40 flows: b's files come round once per file of a
  list('a', 3);
  list('b', 40);
  writeFileSync(join(dir, 'config.json'), JSON.stringify([{ type: 'openai', prompt: 'Compare {{{a}}} with {{{b}}}' }]));
  // older than the 3 s in which a file's change makes the digest of the inputs read it again at the end (engine/inputs-digest.ts)
  await delay(3100);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How many times the run opened each of b's files. */
async function opensOfB(extra: readonly string[]): Promise<number[]> {
  const list = join(dir, 'opens.json');
  const args = ['run', 'config.json', '--key', 'a:a.list', '--key', 'b:b.list', '--offline', '--run-id', 'reads', ...extra];
  const o = await runNodeProcess(['--import', join(dir, 'hook.mjs'), BIN, ...args], {
    cwd: dir,
    env: baseEnv({ OPENS_LIST: list }),
    timeoutMs: 60_000,
    what: `orchestrator ${args.join(' ')}`,
  });
  expect({ code: o.code, stderr: o.code === 0 ? '' : o.stderr }).toEqual({ code: 0, stderr: '' });
  return Object.values(JSON.parse(readFileSync(list, 'utf8')) as Record<string, number>);
}

test('a run and a --resume over it each open every file of the last key once (and once for the digest of the inputs), not once per value of the first', async () => {
  // the flows' reads, and the digest of the run's inputs the index of finished flows ends with (engine/inputs-digest.ts)
  const run = await opensOfB([]);
  expect(run.length).toBe(40);
  expect(Math.max(...run)).toBe(2);
  // the digest only: every flow is vouched for by the index
  const resume = await opensOfB(['--resume']);
  expect(resume.length).toBe(40);
  expect(Math.max(...resume)).toBe(1);
  // every flow still got its own file's contents
  const results = JSON.parse(readFileSync(join(dir, 'generated', 'run_reads', 'results.json'), 'utf8'));
  expect(results.succeeded).toBe(120);
  for (const leaf of results.flows) expect(leaf.output).toBe(`Compare ${leaf.keys.a}\n with ${leaf.keys.b}\n`);
}, 120_000);

test('a key file changed just before a run (within the 3 s a timestamp may not tell a change from none) is read again when the index is written', async () => {
  const touched = Date.now();
  for (let i = 1; i <= 40; i++) writeFileSync(join(dir, 'b', `${i}.txt`), `b/${i}.txt\n`);
  const resume = await opensOfB(['--resume']);
  const record = JSON.parse(readFileSync(join(dir, 'generated', 'run_reads', 'run.json'), 'utf8')) as {
    attempts: { started_at: string }[];
  };
  const started = Date.parse(record.attempts.at(-1)!.started_at);
  // written again with the same text: the digest is the index's, so no flow reads its file; the
  // digest reads each file, and again at the end when it was taken within 3 s of the change (it is
  // taken before the attempt's start time: certain when that is within 3 s, either way after)
  expect(resume.length).toBe(40);
  if (started - touched < 3000) expect(Math.max(...resume)).toBe(2);
  else expect([1, 2]).toContain(Math.max(...resume));
}, 60_000);
