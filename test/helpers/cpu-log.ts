/**
 * Opt-in (ORCHESTRATOR_TEST_CPU=<file>): appends one line per test and per suite to <file> with the
 * CPU seconds it cost: the jest worker's own time plus that of every child process it waited for
 * (the built CLI, the Action bundle, chromium, git, sh ...), from /proc/self/stat. CPU seconds are
 * what a loaded machine does not inflate much, unlike jest's wall-clock durations.
 */
import { appendFileSync, readFileSync } from 'node:fs';

const file = process.env.ORCHESTRATOR_TEST_CPU;
const TICK = 100; // clock ticks per second (getconf CLK_TCK) on Linux

/** utime + stime + cutime + cstime of this process, in seconds. */
function cpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, cstime field 17
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / TICK;
}

if (file) {
  const suite = (): string => (expect.getState().testPath ?? '?').replace(/^.*?\/test\//, 'test/');
  // from before the suite's module is loaded (its transform and imports count)
  const suiteStart = cpu();
  const wall = Date.now();
  let testStart = 0;
  beforeEach(() => {
    testStart = cpu();
  });
  afterEach(() => {
    appendFileSync(file, `test\t${(cpu() - testStart).toFixed(2)}\t${suite()}\t${expect.getState().currentTestName}\n`);
  });
  afterAll(() => {
    appendFileSync(file, `suite\t${(cpu() - suiteStart).toFixed(2)}\t${suite()}\t${((Date.now() - wall) / 1000).toFixed(1)}\n`);
  });
}
