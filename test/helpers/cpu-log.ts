/**
 * Opt-in (ORCHESTRATOR_TEST_CPU=<file>): appends one line per test and per suite to <file> with the
 * CPU seconds it cost: the jest worker's own time plus that of every child process it waited for
 * (the built CLI, the Action bundle, chromium, git, sh ...), from /proc/self/stat. CPU seconds are
 * what a loaded machine does not inflate much, unlike jest's wall-clock durations.
 *
 * Tab-separated columns:
 * - `test  <cpu s>  <suite>  <test name>`
 * - `suite <cpu s>  <suite>  <wall s>  <user s>  <sys s>  <worker's own s>  <children's s>  <worker pid>
 *   <start> <end>`: user and sys of worker and children together, then the worker's own CPU (its
 *   transforms, the test code, GC) and its waited-for children's; start and end on the monotonic
 *   clock in seconds (what `perf record -k mono` stamps events with), to attribute the processes a
 *   system-wide trace saw to the suite whose worker started them.
 */
import { appendFileSync, readFileSync } from 'node:fs';

const file = process.env.ORCHESTRATOR_TEST_CPU;
const TICK = 100; // clock ticks per second (getconf CLK_TCK) on Linux

/** utime, stime, cutime, cstime of this process, in seconds. */
function times(): [number, number, number, number] {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, cstime field 17
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]) / TICK);
  return [utime!, stime!, cutime!, cstime!];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const seconds = (value: number): string => value.toFixed(2);
const monotonic = (): string => (Number(process.hrtime.bigint() / 1000n) / 1e6).toFixed(3);

if (file) {
  const suite = (): string => (expect.getState().testPath ?? '?').replace(/^.*?\/test\//, 'test/');
  // from before the suite's module is loaded (its transform and imports count)
  const suiteStart = times();
  const wall = Date.now();
  const started = monotonic();
  let testStart = 0;
  beforeEach(() => {
    testStart = sum(times());
  });
  afterEach(() => {
    appendFileSync(file, `test\t${seconds(sum(times()) - testStart)}\t${suite()}\t${expect.getState().currentTestName}\n`);
  });
  afterAll(() => {
    const [utime, stime, cutime, cstime] = times().map((value, i) => value - suiteStart[i]!) as [number, number, number, number];
    const columns = [
      'suite',
      seconds(utime + stime + cutime + cstime),
      suite(),
      ((Date.now() - wall) / 1000).toFixed(1),
      seconds(utime + cutime),
      seconds(stime + cstime),
      seconds(utime + stime),
      seconds(cutime + cstime),
      String(process.pid),
      started,
      monotonic(),
    ];
    appendFileSync(file, `${columns.join('\t')}\n`);
  });
}
