/**
 * A step racing the engine: a worker thread that swaps a directory of a tree for a link to one
 * elsewhere and back, over and over (rename the directory away, plant the link, refill the
 * directory, put it back), while the test runs a reader or remover of the tree in a loop. What
 * checks a directory and then uses its path (lstat, then readdir or rm) is caught between the two
 * with the link in place within a few hundred turns; what holds the directory open is not.
 */
import { Worker } from 'node:worker_threads';

const FLIP = `
const { renameSync, symlinkSync, unlinkSync, writeFileSync } = require('node:fs');
const { workerData: { dir, target, refill, counter } } = require('node:worker_threads');
const flips = new Int32Array(counter);
const away = dir + '.away';
while (Atomics.load(flips, 1) === 0) {
  renameSync(dir, away);
  symlinkSync(target, dir);
  for (const [name, text] of Object.entries(refill)) writeFileSync(away + '/' + name, text);
  unlinkSync(dir);
  renameSync(away, dir);
  Atomics.add(flips, 0, 1);
}
`;

export interface Flipper {
  /**
   * Runs `turn` until the directory was swapped `flips` times and `enough` (if given) says so: at
   * least one turn, at most `maxMs`; false from `turn` stops early. The directory is in place only
   * for a moment each swap: on a loaded machine a reader can go a thousand swaps without catching
   * it there, so a test that must also see the reads succeed passes `enough` instead of counting on
   * that.
   */
  race(turn: () => boolean | void, flips: number, maxMs?: number, enough?: () => boolean): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts swapping `dir` (a directory) for a link to `target` and back; `refill` names the files
 * (and their text) put back in `dir` at each turn, as the directory was, since the code under test
 * removes them.
 */
export async function startFlipper(dir: string, target: string, refill: Record<string, string>): Promise<Flipper> {
  const counter = new SharedArrayBuffer(8);
  const flips = new Int32Array(counter);
  const worker = new Worker(FLIP, { eval: true, workerData: { dir, target, refill, counter } });
  const ended = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  // ready once it has swapped the directory a first time (bounded: the worker failing ends the wait)
  const started = Date.now();
  while (Atomics.load(flips, 0) === 0) {
    if (Date.now() - started > 20_000) throw new Error('the flipper did not start within 20 s');
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5))]);
  }
  return {
    async race(turn, want, maxMs = 30_000, enough = () => true) {
      const from = Atomics.load(flips, 0);
      const until = Date.now() + maxMs;
      let turns = 0;
      do {
        turns++;
        if (turn() === false) break;
        // a turn every so often lets the worker's error (if any) through
        if (turns % 200 === 0) await Promise.race([ended, new Promise((resolve) => setImmediate(resolve))]);
      } while ((Atomics.load(flips, 0) - from < want || !enough()) && Date.now() < until);
      return turns;
    },
    async stop() {
      Atomics.store(flips, 1, 1);
      await ended;
    },
  };
}
