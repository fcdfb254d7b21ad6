/**
 * The run tree's two ways of writing (util/safe-tree.ts, docs/security.md): a run none of whose
 * steps starts a process (openai steps only) writes by path, its directories made or checked once;
 * any other run writes through directories kept open, which a step racing the engine cannot
 * redirect. Both refuse a link planted before the run.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectExit, orchestrate } from './helpers/cli.js';
import { keyFiles, project, scratch } from './helpers/project.js';

/** Every entry under a directory, recursively: "nothing outside changed" compares it. */
const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

const statuses = (results: any): Record<string, string> => Object.fromEntries(results.flows.map((f: any) => [f.id, f.status]));
const errorOf = (results: any, id: string): string => results.flows.find((f: any) => f.id === id).error;

test('openai steps only (written by path): links planted before a --resume at a flow, its step directory or its files are refused; nothing outside is written', async () => {
  const outside = scratch({ keep: 'keep\n' });
  mkdirSync(join(outside, '01_one'));
  const before = listing(outside);
  // every flow fails its check in the first attempt ("no" lacks "ok"); the resume runs them again
  const docs = { 'd1.md': 'no', 'd2.md': 'no', 'd3.md': 'no', 'd4.md': 'no', 'd5.md': 'no' };
  const dir = project([{ type: 'openai', name: 'one', prompt: 'say {{{doc}}}', checks: [{ type: 'contains', value: 'ok' }] }], {
    ...keyFiles('docs.txt', docs),
  });
  const args = ['--key', 'doc:docs.txt', '--offline', '--parallel', '2'];
  const first = await orchestrate(dir, args);
  expectExit(first, 1);
  expect(Object.values(statuses(first.results))).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  const flow = (n: number): string => join(first.runDir, `flow_000${n}`);
  // what a step of an earlier run, or a pull request committing generated/, may have left
  rmSync(flow(1), { recursive: true });
  symlinkSync(outside, flow(1)); // the flow's own directory (outside holds a 01_one too)
  rmSync(join(flow(2), '01_one'), { recursive: true });
  symlinkSync(join(outside, '01_one'), join(flow(2), '01_one')); // its step's directory
  rmSync(join(flow(3), '01_one', 'output.txt'));
  symlinkSync(join(outside, 'victim-output'), join(flow(3), '01_one', 'output.txt')); // a file its step writes
  rmSync(join(flow(4), '01_one', 'step.json'));
  symlinkSync(join(outside, 'victim-step'), join(flow(4), '01_one', 'step.json')); // the step's record
  for (const name of Object.keys(docs)) writeFileSync(join(dir, name), 'ok');

  const resumed = await orchestrate(dir, [...args, '--resume']);
  expectExit(resumed, 1);
  expect(listing(outside)).toEqual(before);
  // a step directory of an earlier attempt is cleared before its step runs again: the links in it
  // are removed, not followed, and the files written afresh
  expect(statuses(resumed.results)).toEqual({
    flow_0001: 'failed',
    flow_0002: 'failed',
    flow_0003: 'succeeded',
    flow_0004: 'succeeded',
    flow_0005: 'succeeded',
  });
  for (const file of [join(flow(3), '01_one', 'output.txt'), join(flow(4), '01_one', 'step.json')])
    expect(lstatSync(file).isFile()).toBe(true);
  expect(errorOf(resumed.results, 'flow_0001')).toContain(`flow_0001 is a symbolic link (to "${outside}")`);
  expect(errorOf(resumed.results, 'flow_0002')).toContain(`flow_0002/01_one is a symbolic link (to "${join(outside, '01_one')}")`);
  for (const id of ['flow_0001', 'flow_0002']) expect(errorOf(resumed.results, id)).toContain('not followed');
  expect(lstatSync(flow(1)).isSymbolicLink()).toBe(true);
  expect(resumed.stderr).not.toContain('internal error');
});

test("a config with a cmd step writes through directories kept open: a step swapping other flows' directories for links in a loop never redirects a write", async () => {
  // a flow's step directories stand in `outside` too, so a write by path through the link would succeed
  const outside = scratch({ keep: 'keep\n', '01_race/keep': '', '02_next/keep': '' });
  const before = listing(outside);
  const flows = 60;
  const docs: Record<string, string> = {};
  for (let i = 1; i <= flows; i++) docs[`d${String(i).padStart(2, '0')}.md`] = String(i);
  const state = scratch();
  // flow 1's step swaps every other running flow's directory for a link to `outside` and back, as fast as
  // it can, until every other flow has ended (its line in results.jsonl) or 20 s passed; written by
  // path, a write made while a link stands there would land in `outside`
  const racer = `
    const fs = require('node:fs');
    const [run, outside, state, flows] = process.argv.slice(2);
    const ended = () => { try { return fs.readFileSync(run + '/results.jsonl', 'utf8').split('\\n').length - 1; } catch { return 0; } };
    let swaps = 0;
    const until = Date.now() + 20000;
    while (Date.now() < until && ended() < Number(flows) - 1) {
      for (let n = 2; n <= Number(flows); n++) {
        const d = run + '/flow_00' + String(n).padStart(2, '0');
        // the flows still writing: started, not ended
        if (fs.existsSync(d + '/result.json')) continue;
        try { fs.renameSync(d, d + '.away'); } catch { continue; }
        try { fs.symlinkSync(outside, d); if (swaps++ === 0) fs.writeFileSync(state + '/racing', ''); for (let k = 0; k < 500; k++) fs.existsSync(d); fs.unlinkSync(d); } catch {}
        try { fs.renameSync(d + '.away', d); } catch {}
      }
    }
    fs.writeFileSync(state + '/swaps', String(swaps));
  `;
  writeFileSync(join(state, 'racer.cjs'), racer);
  // the other flows start writing once the race is on (or after 10 s)
  const wait = `i=0; while [ ! -e ${state}/racing ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done`;
  const race = `case {{{doc:path}}} in d01.md) "${process.execPath}" ${join(state, 'racer.cjs')} generated/run_t ${outside} ${state} ${flows};; *) ${wait};; esac; echo done`;
  const dir = project(
    [
      { name: 'race', cmd: race },
      { name: 'next', cmd: 'cat' },
    ],
    keyFiles('docs.txt', docs),
  );
  const run = await orchestrate(dir, ['--key', 'doc:docs.txt', '--parallel', '4'], {}, { timeoutMs: 60_000 });
  if (run.code !== 0) expectExit(run, 1);
  // the race ran while other flows wrote their files
  expect(Number(readFileSync(join(state, 'swaps'), 'utf8'))).toBeGreaterThan(flows);
  expect(listing(outside)).toEqual(before);
  expect(run.stderr).not.toContain('internal error');
});
