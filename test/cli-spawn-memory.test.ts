/**
 * A run that starts programs keeps its memory small (issue 27.4): every `spawn` forks the
 * orchestrator, copying the page tables of all its memory, and the event loop waits until the child
 * has torn them down again in `exec`; so each spawn cost more the more V8's young generation had
 * grown (to 64 MB in 2,000 `cat` steps). Once a step starts a program, the young generation stops
 * growing at 8 MB. Measured in the CLI process itself, through a preloaded module.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectExit, orchestrate, writeFiles } from './helpers/cli.js';
import { docProject } from './helpers/project.js';

/** Records the largest size V8's new space reached, written to peak.txt on exit. */
const PEAK_PRELOAD = `import { getHeapSpaceStatistics } from 'node:v8';
import { writeFileSync } from 'node:fs';
let peak = 0;
const look = () => {
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (young !== undefined) peak = Math.max(peak, young.space_size);
};
setInterval(look, 2).unref();
process.on('exit', () => {
  look();
  writeFileSync(process.env.PEAK_FILE, String(peak));
});
`;

test("a run of cmd steps holds V8's young generation at 8 MB", async () => {
  const FLOWS = 600;
  // each step's output survives a scavenge or two on its way to output.txt and the next step, as in a
  // real run: its 20 KB come from the shell's own printf, so that a step starts one program beside
  // the shell (what the run spawns, and so its memory, is the same as with more of them)
  const dir = docProject([{ type: 'shout', cmd: 'cat; printf "%020000d" 0' }], FLOWS);
  writeFiles(dir, { 'peak.mjs': PEAK_PRELOAD });
  const peakFile = join(dir, 'peak.txt');
  const o = await orchestrate(
    dir,
    ['--key', 'DOC:docs.list', '--parallel', '8'],
    { NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'peak.mjs')).href}`, PEAK_FILE: peakFile },
    { timeoutMs: 240_000 },
  );
  expectExit(o, 0);
  expect(o.results.succeeded).toBe(FLOWS);
  const peakMb = Number(readFileSync(peakFile, 'utf8')) / 1024 / 1024;
  expect(peakMb).toBeGreaterThan(0);
  // the hold takes the space as it is at the first step that spawns: 8 MB when it got there while
  // steps ran, up to one doubling more when the run's start (loading the bundle, reading the key
  // files) had already grown it (4.25-12.5 MB measured); left to grow it reached 32-64 MB
  expect(peakMb).toBeLessThanOrEqual(16);
}, 300_000);
